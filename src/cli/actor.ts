import type { Command } from 'commander';
import { defaultWorkers } from '../core/index.js';
import { runActor } from '../distributed/index.js';
import { optionWithRuntimeDefault, withExamples } from './help.js';
import { action, intOption, printJson } from './run.js';

export function register(program: Command): void {
  const command = program
    .command('actor')
    .summary('play self-play games for a distributed training run (over Redis)')
    .description('join a training run started with arbor train --redis: play its self-play games with worker threads and ONNX Runtime, send every finished game to the learner through Redis, switch to each new model between games; Ctrl-C stops it after the games in flight, a second Ctrl-C at once (losing only those games)')
    .requiredOption('--redis <url>', 'the Redis server the learner uses, e.g. redis://127.0.0.1:6379/0 or redis://:PASSWORD@HOST:6379/0')
    .requiredOption('--run <name>', 'the run to join (printed by arbor train --redis; by default the run folder\'s name)')
    .addOption(optionWithRuntimeDefault('--workers <N>', 'self-play worker threads', 'one per core, one fewer above two cores', intOption('--workers', 1, 256)))
    .option('--id <name>', 'this actor\'s name in heartbeats, metrics and the report (default HOST-PID)')
    .addOption(optionWithRuntimeDefault('--games <N>', 'stop after sending this many games', 'until stopped', intOption('--games', 1)))
    .addOption(optionWithRuntimeDefault('--seed <seed>', 'seed of this actor\'s games (two actors given one seed play the same games: give each its own, or none)', 'fresh'))
    .option('--json', 'print the closing summary as one JSON object')
    .action(action(async (opts: { redis: string; run: string; workers?: number; id?: string; games?: number; seed?: string; json?: boolean }) => {
      const controller = new AbortController();
      const stop = () => {
        if (controller.signal.aborted) process.exit(130);
        process.stderr.write('actor: stopping once the games in flight are finished and sent (Ctrl-C again to stop at once and lose them)\n');
        controller.abort();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      const summary = await runActor({
        url: opts.redis,
        run: opts.run,
        workers: opts.workers ?? defaultWorkers(),
        id: opts.id,
        games: opts.games,
        seed: opts.seed,
        signal: controller.signal,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      if (opts.json) printJson(summary);
      else process.stdout.write(`actor ${summary.id}: sent ${summary.games} games (${summary.positions} positions) to run "${summary.run}" in ${summary.seconds.toFixed(1)} s = ${(summary.positions / Math.max(1e-3, summary.seconds)).toFixed(1)} positions/s; model versions ${summary.modelVersions.join(', ') || '-'}\n`);
      process.exit(0);
    }));
  withExamples(command, [
    { command: 'arbor actor --redis redis://127.0.0.1:6379/0 --run connect4-quick --workers 2', note: 'play for the run started with arbor train --game connect4 --redis redis://127.0.0.1:6379/0' },
    { command: 'arbor actor --redis redis://:secret@learner-host:6379/0 --run connect4-quick --id laptop', note: 'from another machine, with a password' },
  ]);
}
