import { existsSync, statSync } from 'node:fs';
import { ArborError, type Evaluator, type Game } from '../core/index.js';
import { loadCheckpoint, readCheckpointMeta, resolveCheckpointDir } from './checkpoint.js';
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
 * a training run folder (its `checkpoints/latest`), or an `.onnx` file exported by arbor.
 */
export async function loadModelEvaluator(path: string, game: Game, options: ModelEvaluatorOptions = {}): Promise<Evaluator> {
  const engine = options.engine ?? 'onnxruntime';
  if (engine !== 'onnxruntime' && engine !== 'tfjs') throw new ArborError(`unknown engine "${String(engine)}"; use onnxruntime or tfjs`);
  if (path.endsWith('.onnx') && existsSync(path) && statSync(path).isFile()) {
    if (engine !== 'onnxruntime') throw new ArborError(`${path} is an ONNX file, which only the onnxruntime engine runs; give a checkpoint folder for engine=tfjs`);
    return OrtEvaluator.create(path, game, { threads: options.threads, symmetric: options.symmetric });
  }
  const dir = resolveCheckpointDir(path);
  if (engine === 'tfjs') {
    const loaded = await loadCheckpoint(dir, game);
    return new TfjsEvaluator(loaded.model, game, { symmetric: options.symmetric });
  }
  await readCheckpointMeta(dir, game);
  if (!existsSync(`${dir}/model.onnx`)) throw new ArborError(`checkpoint ${dir} has no model.onnx; create it with \`arbor export --checkpoint ${dir} --onnx ${dir}/model.onnx\``);
  return OrtEvaluator.create(`${dir}/model.onnx`, game, { threads: options.threads, symmetric: options.symmetric });
}

