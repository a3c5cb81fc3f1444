import { createAgent, validateAgentSpec, ArborError, deriveSeed, freshSeed, isArborError, type Game } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { type GameOutcome, type GameTask, randomOpenings } from './game.js';
import { fitRatings } from './ratings.js';
import type { ArenaRecords } from './records.js';
import { SprtTest, type SprtParams, type SprtStatus } from './sprt.js';
import { createGameRunner, type GameRunner } from './workers.js';

/**
 * Fair matches: paired games (every opening is played twice, each agent taking the first move
 * once), randomised openings shared by every pair of agents, per-move budgets, and a seed per
 * game derived from the match seed, so that every game can be played again from its record.
 */

/** An agent as the arena sees it: a spec string, an optional display name and budget. */
export interface ArenaAgent {
  readonly spec: string;
  readonly name?: string;
  /** Per-move wall-clock budget in ms (agents that support it honour it). */
  readonly moveTimeMs?: number;
}

export type AgentInput = string | ArenaAgent;

export function toArenaAgent(input: AgentInput): ArenaAgent {
  return typeof input === 'string' ? { spec: input } : input;
}

export function displayName(agent: ArenaAgent): string {
  return agent.name ?? agent.spec;
}

/** One scheduled game between agents[i] and agents[j] of a list. */
export interface ScheduledGame {
  readonly i: number;
  readonly j: number;
  /** Whether agents[i] moves first. */
  readonly iFirst: boolean;
  readonly openingIndex: number;
  readonly task: GameTask;
}

export interface ScheduleOptions {
  readonly game: Game;
  readonly agents: readonly ArenaAgent[];
  readonly pairs: readonly (readonly [number, number])[];
  readonly gamesPerPair: number;
  readonly openings: readonly (readonly number[])[];
  readonly seed: string;
  readonly setupModules?: readonly string[];
}

/**
 * Game g of a pair uses opening floor(g / 2), with agents[i] first when g is even: the two games
 * of an opening differ only in colours, which cancels most of an opening's bias (as engine
 * testing frameworks such as fishtest and cutechess do). Games are interleaved over pairs so that
 * a run stopped early still has every pair covered evenly.
 */
export function scheduleGames(o: ScheduleOptions): ScheduledGame[] {
  const scheduled: ScheduledGame[] = [];

  for (let g = 0; g < o.gamesPerPair; g++) {
    for (const [i, j] of o.pairs) {
      const openingIndex = Math.floor(g / 2);
      const iFirst = g % 2 === 0;
      const [first, second] = iFirst ? [o.agents[i], o.agents[j]] : [o.agents[j], o.agents[i]];
      const gameSeed = deriveSeed(o.seed, `pair${i}-${j}`, `game${g}`);
      scheduled.push({
        i,
        j,
        iFirst,
        openingIndex,
        task: {
          game: o.game.spec,
          players: [
            { spec: first.spec, seed: deriveSeed(gameSeed, 'first'), moveTimeMs: first.moveTimeMs },
            { spec: second.spec, seed: deriveSeed(gameSeed, 'second'), moveTimeMs: second.moveTimeMs },
          ],
          opening: o.openings[openingIndex],
          setupModules: o.setupModules,
        },
      });
    }
  }
  return scheduled;
}

/** The openings of a match or arena: one per pair of games, shared by every pair of agents. */
export function matchOpenings(game: Game, gamesPerPair: number, plies: number, seed: string): number[][] {
  return randomOpenings(game, Math.max(1, Math.ceil(gamesPerPair / 2)), plies, deriveSeed(seed, 'openings'));
}

/**
 * Refuses bad agents before any game: unknown names or options (the registry's error), and
 * agents that cannot be built for this game (e.g. a model trained for another game).
 */
export async function checkAgents(game: Game, agents: readonly ArenaAgent[], setupModules: readonly string[] = []): Promise<void> {
  for (const url of setupModules) await import(url);
  for (const a of agents) validateAgentSpec(a.spec);
  for (const a of agents) {
    try {
      const agent = await createAgent(a.spec, { game, seed: 'arena-check' });
      await agent.close?.();
    } catch (e) {
      if (isArborError(e)) throw e;
      throw new ArborError(`agent ${a.spec} cannot play ${game.spec}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

export interface FinishedGame {
  readonly scheduled: ScheduledGame;
  readonly outcome: GameOutcome;
  /** Score of agents[i] (1, 0.5, 0). */
  readonly iScore: number;
  /** Record id, when records are kept. */
  readonly recordId?: number;
}

/** Most games in one worker task: beyond this the per-task cost is already negligible. */
export const MAX_GAMES_PER_TASK = 16;

/**
 * Wall time a batched task aims at (ms): long enough to make the per-task cost (two messages,
 * a promise) small next to ~1 ms games, short enough that finished games reach the records and
 * the progress bar promptly and an interrupted run loses almost nothing.
 */
export const TASK_TARGET_MS = 50;

/** Mean wall time of the games of each pair of agents so far (ms), as finished games report it. */
export class PairTimes {
  private readonly totals = new Map<string, { games: number; ms: number }>();

  private static key(g: ScheduledGame): string {
    return `${g.i},${g.j}`;
  }

  add(g: ScheduledGame, ms: number): void {
    const t = this.totals.get(PairTimes.key(g));
    if (t) {
      t.games++;
      t.ms += ms;
    } else this.totals.set(PairTimes.key(g), { games: 1, ms });
  }

  /** Mean game time of this game's pair, or undefined before one of its games has finished. */
  mean(g: ScheduledGame): number | undefined {
    const t = this.totals.get(PairTimes.key(g));
    return t ? t.ms / t.games : undefined;
  }
}

/**
 * How many games, from `games[next]` on, go into the next task for `lanes` workers. Consecutive
 * games join while their pairs' mean times (`times`) add up to at most TASK_TARGET_MS, so slow
 * games, and games of a pair not timed yet, go one per task; and never more than a 1/(4 lanes)
 * share of the games left (nor `max`), so shares shrink towards the end of a run and no worker is
 * left with a long tail: "guided self-scheduling" (Polychronopoulos & Kuck, IEEE Trans. Computers
 * 1987; OpenMP's schedule(guided)).
 */
export function gamesPerTask(games: readonly ScheduledGame[], next: number, lanes: number, times: PairTimes, max = MAX_GAMES_PER_TASK): number {
  const cap = Math.max(1, Math.min(max, Math.floor((games.length - next) / (4 * lanes))));
  let budget = TASK_TARGET_MS;
  let count = 0;
  while (count < cap && next + count < games.length) {
    const ms = times.mean(games[next + count]);
    if (ms === undefined || (count > 0 && ms > budget)) break;
    budget -= ms;
    count++;
  }
  return Math.max(1, count);
}

export interface RunScheduledOptions {
  /**
   * Games per worker task, fixed (1 = one game per task); default: chosen by gamesPerTask.
   * Batching changes no game: every game brings its own seeds, and is reported on its own.
   */
  readonly gamesPerTask?: number;
}

/**
 * Plays scheduled games on a runner, keeping every worker busy; short games go to workers in
 * small batches (see gamesPerTask), each worker task carrying consecutive games of the schedule.
 * `onGame` sees each game as it finishes (in completion order, a batch's games together, in
 * schedule order) and may return true to stop scheduling more (SPRT). Games already sent to a
 * worker are finished and reported.
 */
export async function runScheduled(
  games: readonly ScheduledGame[],
  runner: GameRunner,
  onGame: (g: FinishedGame) => boolean | void,
  options: RunScheduledOptions = {},
): Promise<FinishedGame[]> {
  if (options.gamesPerTask !== undefined && !(Number.isInteger(options.gamesPerTask) && options.gamesPerTask >= 1)) {
    throw new ArborError(`gamesPerTask ${options.gamesPerTask} must be a positive integer (1 = one game per worker task), or left out to let the arena choose`);
  }
  const finished: FinishedGame[] = [];
  let next = 0;
  let stop = false;
  const lanes = Math.max(1, runner.workers);
  // In this thread there is no message to save: one game at a time reacts fastest to a stop.
  const fixed = runner.workers === 0 ? 1 : options.gamesPerTask;
  const times = new PairTimes();
  const lane = async (): Promise<void> => {
    while (!stop && next < games.length) {
      const count = fixed ?? gamesPerTask(games, next, lanes, times);
      const batch = games.slice(next, next + count);
      next += batch.length;
      const outcomes = await runner.runBatch(batch.map((g) => g.task));
      for (let k = 0; k < batch.length; k++) {
        const scheduled = batch[k];
        const outcome = outcomes[k];
        times.add(scheduled, outcome.durationMs);
        const iScore = scheduled.iFirst ? outcome.score : 1 - outcome.score;
        const done: FinishedGame = { scheduled, outcome, iScore };
        finished.push(done);
        if (onGame(done) === true) stop = true;
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return finished;
}

/** Writes a finished game to the records and returns its id. */
export function recordGame(records: ArenaRecords, runId: number, game: Game, f: FinishedGame): number {
  const { task } = f.scheduled;
  const { outcome } = f;
  return records.addGame({
    runId,
    game: game.spec,
    first: task.players[0].spec,
    second: task.players[1].spec,
    firstSeed: task.players[0].seed,
    secondSeed: task.players[1].seed,
    firstMoveTimeMs: task.players[0].moveTimeMs ?? null,
    secondMoveTimeMs: task.players[1].moveTimeMs ?? null,
    opening: game.formatMoves(task.opening),
    openingPlies: task.opening.length,
    moves: game.formatMoves(outcome.moves),
    result: outcome.score,
    reason: outcome.reason,
    durationMs: outcome.durationMs,
    firstThinkMs: outcome.thinkMs[0],
    secondThinkMs: outcome.thinkMs[1],
  });
}

/** Explicit openings of a match: enough for `games` paired games, each legal and leaving the game unfinished. */
function checkOpenings(game: Game, openings: readonly (readonly number[])[], games: number): (readonly number[])[] {
  const needed = Math.ceil(games / 2);
  if (openings.length < needed) throw new ArborError(`${games} games need ${needed} openings (one per pair of games) but ${openings.length} were given; pass more openings or play fewer games`);
  return openings.slice(0, needed).map((moves, k) => {
    const state = game.newInitialState();
    for (const a of moves) {
      if (state.isTerminal() || !Number.isInteger(a) || !state.isLegal(a)) throw new ArborError(`opening ${k} (${moves.join(' ')}) has an illegal move ${a} for ${game.spec}; give legal moves from the start`);
      state.apply(a);
    }
    if (state.isTerminal()) throw new ArborError(`opening ${k} (${game.formatMoves(moves)}) already ends the game; give openings that leave a move to play`);
    return moves;
  });
}

export interface MatchOptions {
  /** Game spec, e.g. `connect4`. */
  readonly game: string;
  readonly a: AgentInput;
  readonly b: AgentInput;
  /** Maximum number of games (SPRT may stop earlier). */
  readonly games: number;
  /** Random plies at the start of each opening (default 0); ignored when `openings` is given. */
  readonly openingPlies?: number;
  /**
   * Explicit openings (action lists from the start), one per pair of games: game g starts from
   * openings[floor(g / 2)], as with random ones. At least ceil(games / 2) of them, each legal and
   * leaving the game unfinished. E.g. labelled positions for the closing test against perfect play.
   */
  readonly openings?: readonly (readonly number[])[];
  /** Per-move budget for both agents unless an agent sets its own. */
  readonly moveTimeMs?: number;
  readonly seed?: string;
  /** Worker threads (0 = this thread, the default), or a runner to reuse across matches. */
  readonly workers?: number | GameRunner;
  /** Stop as soon as this SPRT decides. */
  readonly sprt?: SprtParams;
  /** Keep the games here (optional). */
  readonly records?: ArenaRecords;
  /** Modules that register extra agents, imported in the workers before the first game. */
  readonly setupModules?: readonly string[];
  /** Games per worker task (see runScheduled; default: adaptive, but 1 with an SPRT, so it stops promptly). */
  readonly gamesPerTask?: number;
  readonly onGame?: (done: number, total: number, game: FinishedGame) => void;
}

export interface MatchResult {
  readonly game: string;
  readonly seed: string;
  readonly a: string;
  readonly b: string;
  readonly aWins: number;
  readonly draws: number;
  readonly bWins: number;
  readonly games: readonly FinishedGame[];
  /** a's rating relative to b (b = 0), with its 95% interval. */
  readonly eloDiff: { readonly elo: number; readonly ci95: readonly [number, number] };
  /** Present when an SPRT was requested. */
  readonly sprt?: SprtStatus;
  readonly runId?: number;
}

/**
 * A head-to-head match of a against b: paired games over shared random openings, optionally
 * stopped early by an SPRT (a against b: H1 = "a is elo1 stronger"). Usable without the CLI and
 * without records (training uses it for evaluation and gating).
 */
export async function playMatch(options: MatchOptions): Promise<MatchResult> {
  const game = createGame(options.game);
  if (game.numPlayers !== 2) throw new ArborError(`${game.spec} has ${game.numPlayers} players; arena matches need two-player games`);
  if (!(Number.isInteger(options.games) && options.games >= 1)) throw new ArborError(`games ${options.games} must be a positive integer`);
  const withBudget = (x: ArenaAgent): ArenaAgent => ({ ...x, moveTimeMs: x.moveTimeMs ?? options.moveTimeMs });
  const agents = [withBudget(toArenaAgent(options.a)), withBudget(toArenaAgent(options.b))];
  await checkAgents(game, agents, options.setupModules);
  const seed = options.seed ?? freshSeed();
  const openings = options.openings ? checkOpenings(game, options.openings, options.games) : matchOpenings(game, options.games, options.openingPlies ?? 0, seed);
  const plies = options.openings ? Math.max(...openings.map((o) => o.length)) : (options.openingPlies ?? 0);
  const schedule = scheduleGames({ game, agents, pairs: [[0, 1]], gamesPerPair: options.games, openings, seed, setupModules: options.setupModules });
  const sprtTest = options.sprt ? new SprtTest(options.sprt) : undefined;
  const ownRunner = typeof options.workers !== 'object';
  const runner = typeof options.workers === 'object' ? options.workers : createGameRunner(options.workers ?? 0);
  const runId = options.records?.startRun(game.spec, seed, { kind: 'match', a: agents[0], b: agents[1], games: options.games, openingPlies: plies, sprt: options.sprt });
  let aWins = 0;
  let draws = 0;
  let bWins = 0;
  let finished: FinishedGame[];
  try {
    let done = 0;
    finished = await runScheduled(schedule, runner, (f) => {
      if (options.records) recordGame(options.records, runId!, game, f);
      if (f.iScore === 1) aWins++;
      else if (f.iScore === 0) bWins++;
      else draws++;
      done++;
      options.onGame?.(done, schedule.length, f);
      return sprtTest ? sprtTest.add(f.iScore).decision !== 'continue' : false;
    }, { gamesPerTask: options.gamesPerTask ?? (sprtTest ? 1 : undefined) });
  } finally {
    if (ownRunner) await runner.close();
  }
  const fit = fitRatings([{ a: 'a', b: 'b', aWins, draws, bWins }], 'b');
  const ra = fit.ratings.find((r) => r.name === 'a')!;
  return {
    game: game.spec,
    seed,
    a: agents[0].spec,
    b: agents[1].spec,
    aWins,
    draws,
    bWins,
    games: finished,
    eloDiff: { elo: ra.elo, ci95: ra.ci95 },
    sprt: sprtTest?.status(),
    runId,
  };
}
