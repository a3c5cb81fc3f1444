import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { compiledWorkerUrl } from '../util/worker-url.js';
import type { GameOutcome, GameTask } from './game.js';
import playInWorker from './worker.js';

/** Runs arena games: in this thread (workers = 0) or on a pool of worker threads. */
export interface GameRunner {
  readonly workers: number;
  run(task: GameTask): Promise<GameOutcome>;
  close(): Promise<void>;
}

/** A sensible default worker count: one per core, leaving one for the main thread on big machines. */
export function defaultWorkers(): number {
  const cores = availableParallelism();
  return cores <= 2 ? cores : cores - 1;
}

/**
 * workers = 0 plays in the calling thread (agents registered only in this thread can then play,
 * e.g. in tests); workers >= 1 uses piscina worker threads, each playing one game at a time.
 */
export function createGameRunner(workers: number): GameRunner {
  if (workers <= 0) {
    // The worker's own entry point, called directly: same game cache, same module setup.
    return { workers: 0, run: playInWorker, close: async () => undefined };
  }
  const pool = new Piscina<GameTask, GameOutcome>({
    filename: compiledWorkerUrl(import.meta.url, './worker').href,
    minThreads: workers,
    maxThreads: workers,
    // One game per worker at a time: agents are CPU-bound, interleaving would only add latency.
    concurrentTasksPerWorker: 1,
  });
  return {
    workers,
    run: (task) => pool.run(task),
    close: () => pool.destroy(),
  };
}
