import { type Game } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { AgentCache } from './agent-cache.js';
import { playTask, type GameOutcome, type GameTask } from './game.js';

/**
 * Piscina worker: plays arena games. Agents are rebuilt in the worker from their spec strings and
 * seeds (objects holding searches or network sessions cannot cross threads), or taken from this
 * worker's cache of reseedable agents; the games layer and the built-in agents are registered by
 * the imports above.
 */

/** Several games in one task: one message each way instead of one per game. */
export interface GameBatch {
  readonly batch: readonly GameTask[];
}

/**
 * Start-up work before timing: import the setup modules, build the games, then wait (at most
 * `timeoutMs`) until `arrived` (an Int32Array on a SharedArrayBuffer) counts `workers` workers, so
 * that each worker of the pool takes exactly one warm-up task instead of a fast one taking two.
 */
export interface WarmTask {
  readonly warm: { readonly games: readonly string[]; readonly setupModules?: readonly string[]; readonly arrived: Int32Array; readonly workers: number; readonly timeoutMs: number };
}

export type WorkerRequest = GameTask | GameBatch | WarmTask;
export type WorkerReply = GameOutcome | GameOutcome[] | null;

const games = new Map<string, Game>();
const loaded = new Set<string>();
const cache = new AgentCache();

async function setup(setupModules: readonly string[] | undefined): Promise<void> {
  for (const url of setupModules ?? []) {
    if (loaded.has(url)) continue;
    await import(url);
    loaded.add(url);
  }
}

function gameOf(spec: string): Game {
  let game = games.get(spec);
  if (!game) {
    game = createGame(spec);
    games.set(spec, game);
  }
  return game;
}

/** Plays one game (the in-thread runner calls this directly: same game cache, same setup). */
export async function playOne(task: GameTask): Promise<GameOutcome> {
  await setup(task.setupModules);
  return playTask(task, gameOf(task.game), cache);
}

/** Closes the agents this thread keeps between games (the in-thread runner's close). */
export function clearAgentCache(): Promise<void> {
  return cache.clear();
}

export default async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if ('warm' in request) {
    const w = request.warm;
    await setup(w.setupModules);
    for (const spec of w.games) gameOf(spec);
    Atomics.add(w.arrived, 0, 1);
    Atomics.notify(w.arrived, 0);
    const deadline = performance.now() + w.timeoutMs;
    for (let n = Atomics.load(w.arrived, 0); n < w.workers; n = Atomics.load(w.arrived, 0)) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      Atomics.wait(w.arrived, 0, n, left);
    }
    return null;
  }
  if ('batch' in request) {
    const outcomes: GameOutcome[] = [];
    for (const task of request.batch) outcomes.push(await playOne(task));
    return outcomes;
  }
  return playOne(request);
}
