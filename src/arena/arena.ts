import { ArborError, freshSeed } from '../core/index.js';
import { createGame } from '../envs/index.js';
import {
  checkAgents,
  displayName,
  matchOpenings,
  recordGame,
  runScheduled,
  scheduleGames,
  toArenaAgent,
  type AgentInput,
  type ArenaAgent,
  type FinishedGame,
} from './match.js';
import { fitRatings, type PairResult } from './ratings.js';
import { ArenaRecords } from './records.js';
import { createGameRunner } from './workers.js';

/** Everything an arena run needs; `arbor arena` builds it from a spec file or flags. */
export interface ArenaConfig {
  readonly game: string;
  readonly agents: readonly AgentInput[];
  /** Spec or display name of the agent rated 0 (default: the first agent). */
  readonly anchor?: string;
  /** Games per pair of agents (paired: each opening twice, colours swapped). */
  readonly gamesPerPair: number;
  /** Random plies of each opening (default 0). */
  readonly openingPlies?: number;
  /** Per-move budget for agents that do not set their own. */
  readonly moveTimeMs?: number;
  /** Worker threads; 0 plays in this thread (default 0). */
  readonly workers?: number;
  readonly seed?: string;
  /** Records folder (arena.sqlite inside); without it games are not kept. */
  readonly dir?: string;
  /** Virtual draws per pair in the rating fit (see fitRatings). */
  readonly priorDraws?: number;
  /** Modules that register extra agents, imported before validation and in each worker. */
  readonly setupModules?: readonly string[];
  /** Games per worker task, fixed (1 = one game per task); default: adaptive (see runScheduled). */
  readonly gamesPerTask?: number;
  /** Called once all checks passed, just before the first game, with the number of games. */
  readonly onStart?: (total: number) => void;
  readonly onProgress?: (done: number, total: number, game: FinishedGame) => void;
}

export interface AgentReport {
  readonly spec: string;
  readonly name: string;
  readonly elo: number;
  readonly ci95: readonly [number, number];
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
  readonly games: number;
}

export interface PairReport {
  readonly a: string;
  readonly b: string;
  readonly aWins: number;
  readonly draws: number;
  readonly bWins: number;
}

export interface ArenaReport {
  readonly game: string;
  readonly seed: string;
  readonly anchor: string;
  /** Games played in this run. */
  readonly gamesPlayed: number;
  /** Games the ratings rest on (this run plus earlier runs in the same records). */
  readonly gamesRated: number;
  /** Games of this run that ended by forfeit, with their reasons. */
  readonly forfeits: readonly { readonly recordId?: number; readonly reason: string }[];
  readonly agents: readonly AgentReport[];
  readonly pairs: readonly PairReport[];
  readonly recordsPath?: string;
  readonly runId?: number;
  readonly elapsedMs: number;
}

/** Checks the parts of a config that need no registry, naming the bad field. */
function checkConfig(config: ArenaConfig, agents: readonly ArenaAgent[]): void {
  if (agents.length < 2) throw new ArborError(`an arena needs at least two agents (got ${agents.length}); list them in "agents"`);
  if (!(Number.isInteger(config.gamesPerPair) && config.gamesPerPair >= 1)) {
    throw new ArborError(`gamesPerPair ${config.gamesPerPair} must be a positive integer (even numbers pair every opening)`);
  }
  const plies = config.openingPlies ?? 0;
  if (!(Number.isInteger(plies) && plies >= 0)) throw new ArborError(`openings ${plies} must be a whole number of random plies, 0 or more`);
  const workers = config.workers ?? 0;
  if (!(Number.isInteger(workers) && workers >= 0 && workers <= 256)) throw new ArborError(`workers ${workers} must be an integer in 0..256`);
  const seen = new Map<string, number>();
  agents.forEach((a, k) => {
    const key = `${a.spec}\u0000${a.moveTimeMs ?? ''}`;
    if (seen.has(key)) throw new ArborError(`agents ${seen.get(key)! + 1} and ${k + 1} are both "${a.spec}"; each agent must differ (spec or budget)`);
    seen.set(key, k);
  });
  const names = new Set<string>();
  for (const a of agents) {
    const n = displayName(a);
    if (names.has(n)) throw new ArborError(`two agents share the name "${n}"; give them distinct names`);
    names.add(n);
  }
}

export function resolveAnchor(agents: readonly ArenaAgent[], anchor: string | undefined): number {
  if (anchor === undefined) return 0;
  const k = agents.findIndex((a) => a.spec === anchor || a.name === anchor);
  if (k < 0) throw new ArborError(`anchor "${anchor}" is not one of the agents; choose one of: ${agents.map(displayName).join(', ')}`);
  return k;
}

/**
 * Runs a round robin: every pair of agents plays `gamesPerPair` paired games over the same
 * openings, in parallel workers; every game is recorded (when `dir` is set) as it finishes, and
 * the ratings are fitted on every recorded game between these agents, this run's and earlier ones.
 */
export async function runArena(config: ArenaConfig): Promise<ArenaReport> {
  const started = performance.now();
  const game = createGame(config.game);
  if (game.numPlayers !== 2) throw new ArborError(`${game.spec} has ${game.numPlayers} players; the arena rates two-player games`);
  const agents = config.agents.map(toArenaAgent).map((a) => ({ ...a, moveTimeMs: a.moveTimeMs ?? config.moveTimeMs }));
  checkConfig(config, agents);
  const anchorIndex = resolveAnchor(agents, config.anchor);
  await checkAgents(game, agents, config.setupModules);
  const seed = config.seed ?? freshSeed();
  const openings = matchOpenings(game, config.gamesPerPair, config.openingPlies ?? 0, seed);
  const pairs: [number, number][] = [];
  for (let i = 0; i < agents.length; i++) for (let j = i + 1; j < agents.length; j++) pairs.push([i, j]);
  const schedule = scheduleGames({ game, agents, pairs, gamesPerPair: config.gamesPerPair, openings, seed, setupModules: config.setupModules });

  const records = config.dir ? ArenaRecords.openDir(config.dir) : undefined;
  const runner = createGameRunner(config.workers ?? 0);
  try {
    const runId = records?.startRun(game.spec, seed, {
      kind: 'arena',
      game: game.spec,
      agents,
      anchor: agents[anchorIndex].spec,
      gamesPerPair: config.gamesPerPair,
      openingPlies: config.openingPlies ?? 0,
      workers: config.workers ?? 0,
      seed,
    });
    const forfeits: { recordId?: number; reason: string }[] = [];
    const thisRun = new Map<string, PairReport>();
    let done = 0;
    config.onStart?.(schedule.length);
    await runScheduled(schedule, runner, (f) => {
      const recordId = records ? recordGame(records, runId!, game, f) : undefined;
      if (f.outcome.forfeit >= 0) forfeits.push({ recordId, reason: f.outcome.reason });
      const key = `${f.scheduled.i},${f.scheduled.j}`;
      const prev = thisRun.get(key) ?? { a: String(f.scheduled.i), b: String(f.scheduled.j), aWins: 0, draws: 0, bWins: 0 };
      thisRun.set(key, {
        ...prev,
        aWins: prev.aWins + (f.iScore === 1 ? 1 : 0),
        draws: prev.draws + (f.iScore === 0.5 ? 1 : 0),
        bWins: prev.bWins + (f.iScore === 0 ? 1 : 0),
      });
      done++;
      config.onProgress?.(done, schedule.length, { ...f, recordId });
    }, { gamesPerTask: config.gamesPerTask });

    // Pair tallies by agent index: from the records (accumulated) or from this run only.
    const counted: PairResult[] = records
      ? records
          .pairResults(game.spec, agents.map((a) => ({ spec: a.spec, moveTimeMs: a.moveTimeMs ?? null })))
          .map((p) => ({ ...p, a: String(p.a), b: String(p.b) }))
      : [...thisRun.values()];
    const fit = fitRatings(counted, String(anchorIndex), {
      players: agents.map((_, k) => String(k)),
      priorDraws: config.priorDraws,
    });
    const reports: AgentReport[] = agents.map((a, k) => {
      const r = fit.ratings.find((x) => x.name === String(k))!;
      return { spec: a.spec, name: displayName(a), elo: r.elo, ci95: r.ci95, wins: r.wins, draws: r.draws, losses: r.losses, games: r.games };
    });
    const pairReports: PairReport[] = pairs.map(([i, j]) => {
      const p = counted.find((x) => x.a === String(i) && x.b === String(j));
      return { a: agents[i].spec, b: agents[j].spec, aWins: p?.aWins ?? 0, draws: p?.draws ?? 0, bWins: p?.bWins ?? 0 };
    });
    return {
      game: game.spec,
      seed,
      anchor: agents[anchorIndex].spec,
      gamesPlayed: done,
      gamesRated: pairReports.reduce((s, p) => s + p.aWins + p.draws + p.bWins, 0),
      forfeits,
      agents: reports,
      pairs: pairReports,
      recordsPath: records?.path,
      runId,
      elapsedMs: performance.now() - started,
    };
  } finally {
    await runner.close();
    records?.close();
  }
}
