import type { MessagePort } from 'node:worker_threads';
import type { Game, Evaluator } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { BatchingEvaluator, CachedEvaluator } from '../mcts/index.js';
import { OrtEvaluator } from '../networks/index.js';
import { playSelfPlayGames, type SelfPlayBatch } from './selfplay-batch.js';
import type { SelfPlaySettings } from './selfplay-game.js';

/**
 * Piscina worker of the self-play actors. Each task is a batch of games played with the model at
 * `onnxPath`; the worker keeps one ONNX Runtime session (one intra-op thread: the pool already
 * uses every core) until a task names a newer model, and runs `concurrency` games at once whose
 * leaf evaluations are merged into one inference call by a BatchingEvaluator.
 */
export interface ActorTask {
  game: string;
  onnxPath: string;
  /** Changes whenever the learner exports a new model (the path may be reused). */
  modelVersion: number;
  settings: SelfPlaySettings;
  seed: string;
  firstGame: number;
  games: number;
  concurrency: number;
  /** Record KataGo ownership targets (the learner trains an ownership head). */
  recordOwnership: boolean;
  /**
   * Posts each finished game here at once (a SelfPlayBatch of that game alone) instead of returning
   * its samples with the task: a distributed actor sends every game as soon as it ends.
   */
  gamePort?: MessagePort;
}

/** What a task returns: its batch, and with `gamePort` how many games it posted there. */
export type ActorTaskResult = SelfPlayBatch & { posted?: number };

const games = new Map<string, Game>();
/**
 * One ONNX Runtime session per board size (an OrtEvaluator encodes for one game's shape; a
 * multi-size run sends tasks of several sizes, all naming the same ONNX file), each reopened when
 * a task names a newer model.
 */
const sessions = new Map<string, { key: string; evaluator: Evaluator }>();

async function evaluatorFor(task: ActorTask, game: Game): Promise<Evaluator> {
  const key = `${task.onnxPath}#${task.modelVersion}`;
  const session = sessions.get(task.game);
  if (session?.key === key) return session.evaluator;
  // A newer model: the sessions of older ones are closed (other sizes reopen on their next task).
  for (const [spec, s] of sessions) {
    if (s.key === key) continue;
    await s.evaluator.close?.();
    sessions.delete(spec);
  }
  const evaluator = await OrtEvaluator.create(task.onnxPath, game, { threads: 1 });
  sessions.set(task.game, { key, evaluator });
  return evaluator;
}

export default async function runActorTask(task: ActorTask): Promise<ActorTaskResult> {
  let game = games.get(task.game);
  if (!game) {
    game = createGame(task.game);
    games.set(task.game, game);
  }
  const network = await evaluatorFor(task, game);
  // A cache per task (a task never spans two models): transpositions and the openings that many
  // games share are evaluated once (~20% of Connect Four evaluations at 100 simulations).
  const inner = task.settings.cacheSize > 0 ? new CachedEvaluator(network, game, task.settings.cacheSize) : network;
  // maxBatch: every game contributes up to leafBatch leaves per step.
  const batching = new BatchingEvaluator(inner, game, { maxBatch: Math.max(1, task.concurrency * task.settings.leafBatch) });
  const port = task.gamePort;
  let posted = 0;
  const onGame = port ? (played: SelfPlayBatch) => {
    const c = played.chunk;
    const buffers = [c.inputs.buffer, c.policies.buffer, c.values.buffer, c.masks.buffer, ...(c.ownership ? [c.ownership.buffer] : [])] as ArrayBuffer[];
    port.postMessage(played, buffers);
    posted++;
  } : undefined;
  const batch = await playSelfPlayGames(game, task.settings, () => batching.client(), {
    games: task.games,
    firstGame: task.firstGame,
    seed: task.seed,
    concurrency: task.concurrency,
    recordOwnership: task.recordOwnership,
    ...(onGame ? { onGame } : {}),
  });
  port?.close();
  return port ? { ...batch, posted } : batch;
}
