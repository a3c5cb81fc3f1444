import { existsSync, statSync } from 'node:fs';
import { ArborError, type Evaluator, type Game } from '../core/index.js';
import { activeBackend, selectBackend } from './backend.js';
import { loadCheckpoint, readCheckpointMeta, readCheckpointWeights, resolveCheckpointDir } from './checkpoint.js';
import { gameViewWeights } from './game-view.js';
import { PolicyValueModel } from './model.js';
import { onnxModelBytes } from './onnx.js';
import { OrtEvaluator, TfjsEvaluator } from './evaluators.js';

export interface ModelEvaluatorOptions {
  /** ONNX Runtime intra-op threads (default 1). */
  readonly threads?: number;
  /** `onnxruntime` (default, fast) or `tfjs` (on the active tfjs backend). */
  readonly engine?: 'onnxruntime' | 'tfjs';
  /** Average each evaluation over the game's symmetries (default false; see NetworkEvaluator). */
  readonly symmetric?: boolean;
}

/**
 * The evaluator behind `mcts:model=PATH` and `gumbel:model=PATH`: PATH is a checkpoint folder,
 * a training run folder (its `checkpoints/latest`), or an `.onnx` file exported by arbor. A
 * multi-game checkpoint plays each of its games through that game's view of the network.
 */
export async function loadModelEvaluator(path: string, game: Game, options: ModelEvaluatorOptions = {}): Promise<Evaluator> {
  const engine = options.engine ?? 'onnxruntime';
  if (engine !== 'onnxruntime' && engine !== 'tfjs') throw new ArborError(`unknown engine "${String(engine)}"; use onnxruntime or tfjs`);
  if (path.endsWith('.onnx') && existsSync(path) && statSync(path).isFile()) {
    if (engine !== 'onnxruntime') throw new ArborError(`${path} is an ONNX file, which only the onnxruntime engine runs; give a checkpoint folder for engine=tfjs`);
    return OrtEvaluator.create(path, game, { threads: options.threads, symmetric: options.symmetric });
  }
  const dir = resolveCheckpointDir(path);
  if ((await readCheckpointMeta(dir, game)).games) {
    // A multi-game network: the game plays its own view (its planes, its action kinds), cut from the weights.
    const view = gameViewWeights(await readCheckpointWeights(dir, game), game);
    if (engine === 'tfjs') {
      if (activeBackend() === undefined) await selectBackend();
      return new TfjsEvaluator(new PolicyValueModel(view.architecture, view.weights), game, { symmetric: options.symmetric });
    }
    return OrtEvaluator.create(await onnxModelBytes(view), game, { threads: options.threads, symmetric: options.symmetric });
  }
  if (engine === 'tfjs') {
    const loaded = await loadCheckpoint(dir, game);
    return new TfjsEvaluator(loaded.model, game, { symmetric: options.symmetric });
  }
  await readCheckpointMeta(dir, game);
  if (!existsSync(`${dir}/model.onnx`)) throw new ArborError(`checkpoint ${dir} has no model.onnx; create it with \`arbor export --checkpoint ${dir} --onnx ${dir}/model.onnx\``);
  return OrtEvaluator.create(`${dir}/model.onnx`, game, { threads: options.threads, symmetric: options.symmetric });
}

