import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { ArborError, unknownNameMessage } from '../core/index.js';
import { isPresetName, RunFolder, sizeSpecs, train, terminalReporter, type TrainOptions, type TrainSummary } from '../selfplay/index.js';
import { checkResumeOptions } from '../selfplay/resume-options.js';
import { describePerfectPlay } from '../selfplay/evaluation.js';
import { checkRedisUrl, checkRunName, recordedRunName, RemoteSelfPlaySource } from '../distributed/index.js';
import { parseGrowSpec } from '../transfer/warm-start.js';
import { optionWithRuntimeDefault, withExamples } from './help.js';
import { action, intOption, printJson } from './run.js';

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new ArborError(`${name} ${value} is not a positive number of minutes (e.g. ${name} 60)`);
    return n;
  };
}

export function register(program: Command): void {
  const command = program
    .command('train')
    .summary('self-play training of a network-guided agent')
    .description('self-play training: workers play, the learner trains, checkpoints and a report land in the run folder; the trained agent plays as mcts:model=RUN_DIR')
    .option('--game <spec>', 'game spec, e.g. tictactoe or connect4 (required for a new run); given more than once, one network trains on every game (shared stem and trunk, a policy head per action kind)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .addOption(optionWithRuntimeDefault('--preset <name>', 'quick (a demo in minutes) or standard (real strength); see src/selfplay/presets.ts', 'quick for a new run'))
    .addOption(optionWithRuntimeDefault('--run-dir <dir>', 'run folder', 'runs/GAME-PRESET'))
    .addOption(optionWithRuntimeDefault('--minutes <M>', 'wall-clock budget of the whole run, in minutes; given alone, it replaces the preset\'s stop rule', 'the preset\'s', positiveNumber('--minutes')))
    .addOption(optionWithRuntimeDefault('--iterations <N>', 'iterations (self-play + training) of the whole run; given alone, it replaces the preset\'s stop rule', 'the preset\'s', intOption('--iterations', 1)))
    .option('--resume', 'continue the run in --run-dir where it stopped')
    .option('--overwrite', 'delete an earlier run in --run-dir and start afresh (only an arbor run folder is deleted)')
    .addOption(optionWithRuntimeDefault('--seed <seed>', 'seed of every random stream of the run, recorded in config.json', 'fresh'))
    .option('--config <file>', 'JSON file overriding any preset value, e.g. {"selfplay": {"simulations": 200}}')
    .addOption(optionWithRuntimeDefault('--workers <N>', 'self-play worker threads', 'one per core, one fewer above two cores', intOption('--workers', 1, 256)))
    .option('--init-from <ref>', 'start the network from another one: a run folder, a checkpoint folder or lib:NAME, of this or another game (input planes mapped by role, policy heads by action kind); the decisions are printed and stored in RUN/init.json')
    .option('--freeze <modules>', 'with --init-from: modules not trained, e.g. stem,trunk (module ids or kinds: stem, trunk, policy, policy:KIND, policy-head, value-head, ownership-head)')
    .option('--reinit <modules>', 'with --init-from: modules given fresh weights, e.g. value-head,policy-head')
    .option('--grow <spec>', 'with --init-from: a wider and/or deeper network that computes the same function (Net2Net), e.g. filters=64,blocks=6')
    .option('--sizes <list>', 'train one network on several board sizes of --game, e.g. 4x5,5x6,6x7 (each self-play game draws its size; each training batch is of one size; the largest size is evaluated)')
    .option('--size-weights <list>', 'with --sizes: how often each size is drawn, e.g. 1,1,2 (default: uniform)')
    .option('--game-weights <list>', 'with --game given more than once: how often each game is drawn, e.g. 1,2 (default: uniform)')
    .option('--publish <name>', 'at the end, add the final network to your library as NAME (with the run\'s last evaluation); a taken name is refused before the run starts')
    .option('--library <dir>', 'with --publish: the user library folder', undefined)
    .option('--redis <url>', 'take self-play games from actor processes (arbor actor) through this Redis server instead of local worker threads, e.g. redis://127.0.0.1:6379/0; see docs/distributed.md')
    .addOption(optionWithRuntimeDefault('--redis-run <name>', 'with --redis: the run name actors join with (arbor actor --run NAME)', 'the run folder\'s name; a resumed run keeps its own'))
    .option('--json', 'print the summary as one JSON object')
    .action(action(async (given: { redis?: string; redisRun?: string; game?: string[]; gameWeights?: string; preset?: string; runDir?: string; minutes?: number; iterations?: number; resume?: boolean; overwrite?: boolean; seed?: string; config?: string; workers?: number; json?: boolean; initFrom?: string; freeze?: string; reinit?: string; grow?: string; sizes?: string; sizeWeights?: string; publish?: string; library?: string }) => {
      const multi = multiGameOptions(given);
      const opts = { ...given, game: multi ? undefined : given.game?.[0] };
      if (opts.preset !== undefined && !isPresetName(opts.preset)) throw new ArborError(unknownNameMessage('preset', opts.preset, ['quick', 'standard']));
      if (!opts.runDir && opts.resume) throw new ArborError('--resume needs --run-dir RUN (the folder of the run to continue)');
      if (!opts.runDir && !opts.game && !multi) throw new ArborError('--game is required for a new run (e.g. arbor train --game tictactoe --preset quick)');
      const init = initOptions(opts);
      const sizes = multi ?? sizeOptions(opts);
      if (opts.library !== undefined && opts.publish === undefined) throw new ArborError('--library needs --publish NAME: it names the library the final network is added to');
      const runDir = opts.runDir ?? `runs/${(multi ? multi.games.map((g) => g.split(':')[0]).join('-') : opts.game!).replace(/[^a-z0-9=,-]+/gi, '-').replace(/[:=,]/g, '-')}-${opts.preset ?? 'quick'}`;
      // --resume takes the command line the run was started with: options equal to the run's
      // config.json are accepted (and the recorded values used), one that differs is refused.
      let resumeWorkers: number | undefined;
      if (opts.resume && !opts.overwrite) {
        const { manifest, notice } = RunFolder.open(runDir);
        if (notice) process.stderr.write(`${notice}\n`);
        // With --sizes, --game is the base of the sizes (the run records its largest size); the sizes are checked against the run's instead.
        resumeWorkers = checkResumeOptions(manifest.config, { game: sizes ? undefined : opts.game, preset: opts.preset, seed: opts.seed, configFile: opts.config, init }).workers;
      }
      if (opts.redisRun !== undefined && opts.redis === undefined) throw new ArborError('--redis-run needs --redis URL: it names the run on that Redis server');
      const redisRun = opts.redisRun ?? (opts.resume ? recordedRunName(runDir) : null) ?? basename(resolve(runDir));
      if (opts.redis !== undefined) {
        checkRedisUrl(opts.redis);
        checkRunName(redisRun, opts.redisRun === undefined ? `the run folder's name (give --redis-run NAME)` : '--redis-run');
      }
      const defining = opts.resume ? {} : { game: opts.game, preset: opts.preset as 'quick' | 'standard' | undefined, seed: opts.seed, configFile: opts.config, init };
      const summary = await train({
        runDir,
        resume: opts.resume,
        overwrite: opts.overwrite,
        ...defining,
        iterations: opts.iterations,
        minutes: opts.minutes,
        workers: opts.workers ?? resumeWorkers,
        ...(sizes ? { games: sizes.games, gamesFlag: multi ? '--game' : '--sizes', ...(opts.resume ? {} : { gameWeights: sizes.weights }) } : {}),
        ...(opts.publish !== undefined ? { publish: { name: opts.publish, library: opts.library } } : {}),
        reporter: opts.json ? undefined : terminalReporter(),
        ...(opts.redis !== undefined ? { selfPlaySource: RemoteSelfPlaySource.factory({ url: opts.redis, run: redisRun }) } : {}),
      });
      if (opts.json) printJson(summary);
      else process.stdout.write(formatSummary(summary));
    }));
  withExamples(command, [
    { command: 'arbor train --game tictactoe --preset quick', note: 'a few minutes of training into runs/tictactoe-quick (also npm start)' },
    { command: 'arbor train --game tictactoe --run-dir runs/tictactoe-quick --overwrite --iterations 2', note: 'start that run afresh and stop after 2 iterations' },
    { command: 'arbor train --run-dir runs/tictactoe-quick --resume --iterations 4', note: 'continue it up to 4 iterations in all' },
    { command: 'arbor play --game tictactoe --agent mcts:model=runs/tictactoe-quick,simulations=200', note: 'then play the trained agent' },
    { command: 'arbor train --game connect4 --sizes 4x5,5x6,6x7 --publish connect4-multi', note: 'one network for three board sizes, added to your library at the end' },
    { command: 'arbor train --game gomoku:size=7,k=4 --game connect4:rows=5,cols=6 --game-weights 1,2', note: 'one network for two games: shared stem, trunk and value head, a policy head per action kind' },
    { command: 'arbor train --game connect4 --run-dir runs/c4 --redis redis://127.0.0.1:6379/0', note: 'self-play from actor processes: then, anywhere, arbor actor --redis URL --run c4' },
    { command: 'arbor train --game connect4 --init-from runs/connect4-rows-5-cols-6-quick --freeze stem,trunk', note: 'start Connect Four 6x7 from a 5x6 run, training only the heads' },
  ]);
}

/** The games and weights of --game given more than once (and --game-weights), or undefined for one game. */
function multiGameOptions(opts: { game?: string[]; gameWeights?: string; sizes?: string }): { games: string[]; weights?: number[] } | undefined {
  const games = opts.game ?? [];
  if (games.length < 2) {
    if (opts.gameWeights !== undefined) throw new ArborError('--game-weights needs --game given more than once (e.g. --game tictactoe --game connect4:rows=4,cols=5 --game-weights 1,2)');
    return undefined;
  }
  if (opts.sizes !== undefined) throw new ArborError('--sizes gives sizes of one --game; with several --game, list each size as its own --game (e.g. --game connect4:rows=4,cols=5 --game connect4:rows=5,cols=6 --game gomoku:size=7)');
  if (opts.gameWeights === undefined) return { games };
  const weights = opts.gameWeights.split(',').map((w) => Number(w.trim()));
  if (weights.length !== games.length || weights.some((w) => !(Number.isFinite(w) && w > 0))) {
    throw new ArborError(`--game-weights ${opts.gameWeights}: give ${games.length} positive numbers, one per --game (${games.join(' ')})`);
  }
  return { games, weights };
}

/** The game specs and weights --sizes and --size-weights ask for, or undefined. */
function sizeOptions(opts: { game?: string; sizes?: string; sizeWeights?: string }): { games: string[]; weights?: number[] } | undefined {
  if (opts.sizes === undefined) {
    if (opts.sizeWeights !== undefined) throw new ArborError('--size-weights needs --sizes (e.g. --sizes 4x5,5x6 --size-weights 1,2)');
    return undefined;
  }
  if (opts.game === undefined) throw new ArborError('--sizes needs --game: the game whose sizes they are (e.g. --game connect4 --sizes 4x5,5x6)');
  const games = sizeSpecs(opts.game, opts.sizes);
  if (opts.sizeWeights === undefined) return { games };
  const weights = opts.sizeWeights.split(',').map((w) => Number(w.trim()));
  if (weights.length !== games.length || weights.some((w) => !(Number.isFinite(w) && w > 0))) {
    throw new ArborError(`--size-weights ${opts.sizeWeights}: give ${games.length} positive numbers, one per size of --sizes ${opts.sizes}`);
  }
  return { games, weights };
}

/** The warm start the flags ask for, or undefined; --freeze, --reinit and --grow need --init-from. */
export function initOptions(opts: { initFrom?: string; freeze?: string; reinit?: string; grow?: string }): TrainOptions['init'] {
  const list = (text: string | undefined) => (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (opts.initFrom === undefined) {
    const given = (['freeze', 'reinit', 'grow'] as const).filter((k) => opts[k] !== undefined);
    if (given.length > 0) throw new ArborError(`--${given[0]} needs --init-from REF (a run folder, a checkpoint folder or lib:NAME): it applies to a network carried over from another run`);
    return undefined;
  }
  return { from: opts.initFrom, freeze: list(opts.freeze), reinit: list(opts.reinit), grow: opts.grow === undefined ? {} : parseGrowSpec(opts.grow) };
}

export function formatSummary(s: TrainSummary): string {
  const lines: string[] = [];
  const min = (s.elapsedMs / 60000).toFixed(1);
  if (s.stoppedBy === 'already-done') lines.push(`the run had already reached its budget; pass a larger --iterations or --minutes with --resume to continue`);
  lines.push(`trained ${s.trainedGames ? s.trainedGames.join(' + ') : s.game}: ${s.iterations} iterations, ${s.games} self-play games, ${s.positions} positions, ${s.trainSteps} training steps in ${min} min`);
  if (s.firstLosses && s.lastLosses) {
    lines.push(`loss: policy ${s.firstLosses.policy.toFixed(3)} -> ${s.lastLosses.policy.toFixed(3)}, value ${s.firstLosses.value.toFixed(3)} -> ${s.lastLosses.value.toFixed(3)}`);
  }
  if (s.lastEvaluation?.byGame) {
    lines.push(`last evaluation (${s.lastEvaluation.checkpoint}):`);
    for (const e of s.lastEvaluation.byGame) lines.push(`  ${e.game}: ${e.summary}`);
  } else if (s.lastEvaluation) {
    lines.push(`last evaluation (${s.lastEvaluation.checkpoint}): ${s.lastEvaluation.summary}`);
  }
  if (s.checkpoint) lines.push(`checkpoint: ${s.checkpoint} (also ${s.runDir}/checkpoints/latest; play it with mcts:model=${s.runDir})`);
  lines.push(`report: ${s.reportPath}`);
  if (s.published) lines.push(`published: ${s.published.name} in ${s.published.library} (${s.published.entries.length - 1} modules too); play it with mcts:model=lib:${s.published.name}`);
  for (const [i, f] of s.final.entries()) {
    const who = i === 0 ? 'the trained agent' : 'the raw network (1 simulation)';
    lines.push(`${who} against perfect play (${f.opponent}), ${describePerfectPlay(f)}`);
    lines.push(`  agent: ${f.agent}`);
  }
  return `${lines.join('\n')}\n`;
}
