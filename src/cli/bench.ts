import type { Command } from 'commander';
import { benchmarks } from '../../bench/index.js';
import { ArborError, unknownNameMessage } from '../core/index.js';
import { withExamples } from './help.js';
import { action, printJson } from './run.js';

export function register(program: Command): void {
  const command = program
    .command('bench')
    .summary('run a benchmark')
    .description(`run a benchmark, or all of them, and print the measurements. ${benchmarks.map((b) => `${b.name}: ${b.description}.`).join(' ')}`)
    .argument('<name>', `which benchmark: ${benchmarks.map((b) => b.name).join(', ')}, or all`)
    .option('--json', 'print one JSON object for scripts')
    .action(action(async (name: string, opts: { json?: boolean }) => {
      const chosen = name === 'all' ? benchmarks : benchmarks.filter((b) => b.name === name);
      if (chosen.length === 0) throw new ArborError(unknownNameMessage('benchmark', name, [...benchmarks.map((b) => b.name), 'all']));
      const results: Record<string, unknown> = {};
      for (const b of chosen) {
        if (!opts.json) process.stdout.write(`== bench ${b.name}: ${b.description}\n`);
        results[b.name] = await b.run({ json: opts.json });
      }
      if (opts.json) printJson(chosen.length === 1 ? results[chosen[0].name] : results);
    }));
  withExamples(command, [
    { command: 'arbor bench games', note: 'perft speed of every game, against boardgame.io\'s reducer' },
    { command: 'arbor bench mcts --json', note: 'tree-search speed, as JSON' },
  ]);
}
