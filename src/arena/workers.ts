import { Piscina } from 'piscina';
import { compiledWorkerUrl } from '../core/index.js';
import type { GameOutcome, GameTask } from './game.js';
import { registeredModules } from './registered-modules.js';
import { clearAgentCache, playOne, type WorkerReply, type WorkerRequest } from './worker.js';

/** Runs arena games: in this thread (workers = 0) or on a pool of worker threads. */
export interface GameRunner {
  readonly workers: number;
  run(task: GameTask): Promise<GameOutcome>;
  /** Plays several games in one task (one message each way); outcomes in the order of `tasks`. */
  runBatch(tasks: readonly GameTask[]): Promise<GameOutcome[]>;
  /**
   * Starts every worker thread and imports its modules (and `setupModules`), building `games`,
   * so that a timed run that follows measures games only. Optional: the first games do it anyway.
   */
  warm(games?: readonly string[], setupModules?: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** How long a warm-up task waits for the pool's other workers before giving up (ms). */
const WARM_TIMEOUT_MS = 30_000;

/**
 * workers = 0 plays in the calling thread (agents registered only in this thread can then play,
 * e.g. in tests); workers >= 1 uses piscina worker threads, each playing one task at a time.
 */
export function createGameRunner(workers: number): GameRunner {
  if (workers <= 0) {
    // The worker's own entry point, called directly: same game cache, same agent cache, same setup.
    return {
      workers: 0,
      run: playOne,
      runBatch: async (tasks) => {
        const outcomes: GameOutcome[] = [];
        for (const t of tasks) outcomes.push(await playOne(t));
        return outcomes;
      },
      warm: async () => undefined,
      close: clearAgentCache,
    };
  }
  const pool = new Piscina<WorkerRequest, WorkerReply>({
    filename: compiledWorkerUrl(import.meta.url, './worker').href,
    minThreads: workers,
    maxThreads: workers,
    // One task per worker at a time: agents are CPU-bound, interleaving would only add latency.
    concurrentTasksPerWorker: 1,
  });
  // A worker thread starts with empty registries: every task names the modules that registered
  // this thread's games, agent kinds and model loaders (each worker imports them once).
  const withSetup = (task: GameTask): GameTask => ({ ...task, setupModules: registeredModules(task.setupModules) });
  return {
    workers,
    run: async (task) => (await pool.run(withSetup(task))) as GameOutcome,
    runBatch: async (tasks) =>
      tasks.length === 1 ? [(await pool.run(withSetup(tasks[0]))) as GameOutcome] : ((await pool.run({ batch: tasks.map(withSetup) })) as GameOutcome[]),
    warm: async (games = [], setupModules = []) => {
      const arrived = new Int32Array(new SharedArrayBuffer(4));
      const warm = { games, setupModules: registeredModules(setupModules), arrived, workers, timeoutMs: WARM_TIMEOUT_MS };
      await Promise.all(Array.from({ length: workers }, () => pool.run({ warm })));
    },
    close: () => pool.destroy(),
  };
}
