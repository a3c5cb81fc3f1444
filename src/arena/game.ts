import { createAgent, type Agent, type MoveClock, ArborError, createRng, type Game, type State } from '../core/index.js';
import type { AgentCache } from './agent-cache.js';

/**
 * One arena game: two agents built from spec strings and seeds, an opening played first, then
 * the agents alternate until the game ends. Everything needed to play it again is in the task,
 * so a record of the task reproduces the game (agents with wall-clock budgets excepted).
 */

export interface PlayerTask {
  readonly spec: string;
  readonly seed: string;
  /** Per-move wall-clock budget handed to the agent (agents that understand it honour it). */
  readonly moveTimeMs?: number;
}

export interface GameTask {
  readonly game: string;
  /** players[0] moves first. */
  readonly players: readonly [PlayerTask, PlayerTask];
  /** Actions played before the agents take over. */
  readonly opening: readonly number[];
  /** Modules imported once per worker before playing (they register extra agents or games). */
  readonly setupModules?: readonly string[];
}

export interface GameOutcome {
  /** Every action from the start (opening included), legal moves only. */
  readonly moves: number[];
  /** Score of the first player: 1 win, 0.5 draw, 0 loss. */
  readonly score: number;
  /** `normal`, or why the game ended early: `illegal move by ...`, `agent threw: ...`. */
  readonly reason: string;
  /** Which player (0 or 1) forfeited, or -1. */
  readonly forfeit: number;
  readonly durationMs: number;
  /** Thinking time of each player, ms. */
  readonly thinkMs: [number, number];
}

/** Cuts an error message to one line of reasonable length for a record. */
function describeError(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split('\n')[0];
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * Plays a task with agents from the registry, or from `cache` (reseeded agents that play exactly
 * like fresh ones). Agent errors (creation included) forfeit the game.
 */
export async function playTask(task: GameTask, game: Game, cache?: AgentCache): Promise<GameOutcome> {
  const started = performance.now();
  const agents: (Agent | undefined)[] = [undefined, undefined];
  let outcome: GameOutcome | undefined;
  try {
    for (let p = 0; p < 2; p++) {
      const { spec, seed } = task.players[p];
      try {
        agents[p] = cache ? await cache.acquire(game, spec, seed) : await createAgent(spec, { game, seed });
      } catch (e) {
        const state = openingState(game, task.opening);
        return forfeitOutcome(state, p, `agent threw: ${spec} could not be created: ${describeError(e)}`, started, [0, 0]);
      }
    }
    outcome = await playAgents(game, [agents[0]!, agents[1]!], task.opening, [task.players[0], task.players[1]], started);
    return outcome;
  } finally {
    for (let p = 0; p < 2; p++) {
      const a = agents[p];
      if (!a) continue;
      // An agent that threw may be in any state: it is closed, never reused.
      const healthy = outcome !== undefined && !(outcome.forfeit === p && outcome.reason.startsWith('agent threw'));
      if (cache) await cache.release(game, task.players[p].spec, a, healthy);
      else await a.close?.().catch(() => undefined);
    }
  }
}

function openingState(game: Game, opening: readonly number[]): State {
  const state = game.newInitialState();
  for (const a of opening) state.apply(a);
  return state;
}

function movesOf(state: State): number[] {
  const moves = new Array<number>(state.moveNumber());
  for (let i = 0; i < moves.length; i++) moves[i] = state.actionAt(i);
  return moves;
}

function forfeitOutcome(state: State, player: number, reason: string, started: number, thinkMs: [number, number]): GameOutcome {
  return {
    moves: movesOf(state),
    score: player === 0 ? 0 : 1,
    reason,
    forfeit: player,
    durationMs: performance.now() - started,
    thinkMs,
  };
}

/**
 * Plays already-built agents (players[0] first) from an opening. An agent that throws or returns
 * an illegal action loses the game; the reason names it. Agents see a private copy of the state,
 * so one that modifies it cannot corrupt the game.
 */
export async function playAgents(
  game: Game,
  agents: readonly [Agent, Agent],
  opening: readonly number[],
  players: readonly [{ spec: string; moveTimeMs?: number }, { spec: string; moveTimeMs?: number }],
  started = performance.now(),
): Promise<GameOutcome> {
  const state = openingState(game, opening);
  const view = game.newInitialState();
  const thinkMs: [number, number] = [0, 0];
  const clocks: (MoveClock | undefined)[] = players.map((p) => (p.moveTimeMs ? { moveTimeMs: p.moveTimeMs } : undefined));
  const observers = agents.some((a) => a.observe);
  for (const a of agents) a.reset?.();
  for (const a of agents) {
    // Agents with memory learn the opening as if it had been played in front of them.
    if (!a.observe) continue;
    const replay = game.newInitialState();
    for (const move of opening) {
      replay.apply(move);
      a.observe(replay, move);
    }
  }
  while (!state.isTerminal()) {
    const mover = state.currentPlayer();
    const seat = mover === 0 ? 0 : 1;
    view.copyFrom(state);
    const t0 = performance.now();
    let action: number;
    try {
      action = await agents[seat].selectAction(view, clocks[seat]);
    } catch (e) {
      thinkMs[seat] += performance.now() - t0;
      return forfeitOutcome(state, seat, `agent threw: ${players[seat].spec}: ${describeError(e)}`, started, thinkMs);
    }
    thinkMs[seat] += performance.now() - t0;
    if (!Number.isInteger(action) || action < 0 || action >= game.numActions || !state.isLegal(action)) {
      const shown = Number.isInteger(action) && action >= 0 && action < game.numActions ? game.actionToString(action) : String(action);
      return forfeitOutcome(state, seat, `illegal move by ${players[seat].spec}: ${shown}`, started, thinkMs);
    }
    state.apply(action);
    if (observers) {
      view.copyFrom(state);
      for (const a of agents) a.observe?.(view, action);
    }
  }
  const r = state.returnOf(0);
  return {
    moves: movesOf(state),
    score: r > 0 ? 1 : r < 0 ? 0 : 0.5,
    reason: 'normal',
    forfeit: -1,
    durationMs: performance.now() - started,
    thinkMs,
  };
}

/**
 * `count` random openings of `plies` uniformly random moves each, from one seeded stream.
 * Openings that end the game are redrawn, and duplicates are avoided while the game has enough
 * distinct openings, so paired games cover as many different starts as possible.
 */
export function randomOpenings(game: Game, count: number, plies: number, seed: string): number[][] {
  if (plies === 0) return Array.from({ length: count }, () => []);
  const rng = createRng(seed);
  const buf = new Int32Array(game.numActions);
  const seen = new Set<string>();
  const openings: number[][] = [];
  let attempts = 0;
  let repeats = 0;
  let exhausted = false;
  while (openings.length < count) {
    attempts++;
    const state = game.newInitialState();
    const moves: number[] = [];
    let ok = true;
    for (let i = 0; i < plies; i++) {
      const n = state.legalActions(buf);
      if (n === 0) {
        ok = false;
        break;
      }
      const a = buf[rng.int(n)];
      state.apply(a);
      moves.push(a);
      if (state.isTerminal()) {
        ok = false;
        break;
      }
    }
    if (!ok) {
      if (attempts > 1000 * count) {
        throw new ArborError(`openings of ${plies} random plies end ${game.spec} games before the agents move; use fewer plies`);
      }
      continue;
    }
    const key = moves.join(',');
    // After many repeats in a row the game has run out of distinct openings (e.g. connect4 has
    // 49 of 2 plies): accept duplicates from then on rather than drawing on for each opening.
    if (seen.has(key) && !exhausted) {
      if (++repeats < 1000 && attempts < 50 * count) continue;
      exhausted = true;
    }
    repeats = 0;
    seen.add(key);
    openings.push(moves);
  }
  return openings;
}
