import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { formatReport, loadArenaFile, reportJson, runArena, type ArenaConfig } from '../arena/index.js';
import { ArborError, defaultWorkers } from '../core/index.js';
import { optionWithRuntimeDefault, withExamples } from './help.js';
import { action, intOption, printJson } from './run.js';

interface ArenaOptions {
  game?: string;
  agents?: string;
  games?: number;
  openings?: number;
  workers?: number;
  seed?: string;
  dir?: string;
  anchor?: string;
  moveTimeMs?: number;
  json?: boolean;
}

/** "a;b;c" -> specs exactly as given (trimmed); a trailing ';' is allowed, an empty entry is not. */
function splitAgents(text: string): string[] {
  const parts = text.split(';').map((s) => s.trim());
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const empty = parts.findIndex((p) => p === '');
  if (empty >= 0) throw new ArborError(`--agents entry ${empty + 1} is empty; separate agent specs with ';', e.g. "random;greedy;uct:simulations=200"`);
  return parts;
}

function configFrom(file: string | undefined, o: ArenaOptions): ArenaConfig {
  if (file) {
    if (o.game || o.agents) throw new ArborError('give either an arena spec file or --game/--agents, not both');
    const c = loadArenaFile(file);
    return {
      ...c,
      gamesPerPair: o.games ?? c.gamesPerPair,
      openingPlies: o.openings ?? c.openingPlies,
      workers: o.workers ?? c.workers ?? defaultWorkers(),
      seed: o.seed ?? c.seed,
      dir: o.dir ?? c.dir,
      anchor: o.anchor ?? c.anchor,
      moveTimeMs: o.moveTimeMs ?? c.moveTimeMs,
    };
  }
  if (!o.game || !o.agents) throw new ArborError('give an arena spec file (e.g. arenas/connect4-ladder.json) or --game SPEC --agents "a;b" --games N');
  if (o.games === undefined) throw new ArborError('--games N is required with --agents (games per pair of agents, e.g. --games 20)');
  return {
    game: o.game,
    agents: splitAgents(o.agents),
    anchor: o.anchor,
    gamesPerPair: o.games,
    openingPlies: o.openings ?? 0,
    moveTimeMs: o.moveTimeMs,
    workers: o.workers ?? defaultWorkers(),
    seed: o.seed,
    dir: o.dir,
  };
}

export function register(program: Command): void {
  const command = program
    .command('arena')
    .summary('round-robin between agents: ratings, pairwise results, recorded games')
    .description('round-robin between agents: Elo ratings with 95% intervals, a pairwise table, games recorded in SQLite (with --dir). Give an arena spec file, or --game, --agents and --games.')
    .argument('[spec]', 'arena spec file, e.g. arenas/tictactoe-ladder.json')
    .option('--game <spec>', 'game spec, e.g. connect4')
    .option('--agents <list>', 'agent specs separated by ";", e.g. "random;greedy;uct:simulations=200"; see arbor agents')
    .option('--games <n>', 'games per pair of agents (even: each opening with both colours); required with --agents', intOption('--games', 1))
    .addOption(optionWithRuntimeDefault('--openings <plies>', 'random plies at the start of every opening', 'the spec file\'s, else 0', intOption('--openings', 0, 1000)))
    .addOption(optionWithRuntimeDefault('--workers <n>', 'worker threads, 0 = the main thread', 'one per core, one fewer above two cores', intOption('--workers', 0, 256)))
    .addOption(optionWithRuntimeDefault('--seed <seed>', 'match seed, printed and recorded', 'fresh'))
    .addOption(optionWithRuntimeDefault('--dir <dir>', 'records folder (arena.sqlite); ratings accumulate across runs there', 'none, the games are not recorded'))
    .addOption(optionWithRuntimeDefault('--anchor <agent>', 'agent rated 0', 'the first'))
    .addOption(optionWithRuntimeDefault('--move-time-ms <ms>', 'per-move time budget for agents that honour one', 'none', intOption('--move-time-ms', 1)))
    .option('--json', 'print one JSON object: {"agents":[...],"pairs":[...]}')
    .action(action(async (file: string | undefined, o: ArenaOptions) => {
      const config = configFrom(file, o);
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar(
            { stream: process.stderr, format: 'arena |{bar}| {value}/{total} games | {eta_formatted} left | {last}', hideCursor: true },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      const report = await runArena({
        ...config,
        onStart: (total) => bar?.start(total, 0, { last: '' }),
        onProgress: (done, _total, g) => {
          const [x, y] = g.scheduled.task.players;
          bar?.update(done, { last: `${x.spec} vs ${y.spec}: ${g.outcome.score === 1 ? '1-0' : g.outcome.score === 0 ? '0-1' : '½-½'}` });
        },
      }).finally(() => bar?.stop());
      if (o.json) printJson(reportJson(report));
      else process.stdout.write(`${formatReport(report, config.workers ?? 0)}\n`);
      if (!config.dir) process.stderr.write('arbor: no --dir given, so these games were not recorded and the ratings use this run only\n');
    }));
  withExamples(command, [
    { command: 'arbor arena --game tictactoe --agents "random;greedy;uct:simulations=200" --games 10 --dir arena-runs/tictactoe', note: 'a quick ladder, games recorded in arena-runs/tictactoe/arena.sqlite' },
    { command: 'arbor arena arenas/tictactoe-ladder.json --workers 2', note: 'a shipped arena spec: 600 games in about a minute on 2 cores (arenas/connect4-ladder.json: about 5 minutes)' },
    { command: 'arbor replay --dir arena-runs/tictactoe --game-id 1', note: 'then replay a recorded game' },
  ]);
}
