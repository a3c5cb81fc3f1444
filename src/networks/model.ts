import * as tf from '@tensorflow/tfjs';
import { ArborError, createRng, type BoardShape, type Game } from '../core/index.js';
import {
  BN_EPSILON, INPUT, architectureFor, defaultModelConfig, describeNetwork,
  type Architecture, type Layer, type ModelConfig, type NetworkDescription, type ParamSpec,
} from './architecture.js';
import { activeBackend } from './backend.js';
import { batchNormTraining, type BatchNormSync, type BatchStat } from './batch-norm.js';

/**
 * A policy/value network on tfjs: the variables of a NetworkDescription (architecture.ts) and its
 * forward pass, an interpreter of the description's layers.
 *
 * Tensors: inputs are NCHW (planes x rows x cols, as `State.encode` writes them) and are
 * transposed once to NHWC, the layout tfjs's wasm backend supports.
 */

export interface ForwardResult {
  /** [N, numActions] raw logits in action-layout order. */
  readonly logits: tf.Tensor2D;
  /** [N] value in [-1,1] for the player to move. */
  readonly value: tf.Tensor1D;
  /** [N, 3] win/draw/loss logits (valueHead `wdl` only). */
  readonly wdlLogits?: tf.Tensor2D;
  /**
   * [N, rows*cols] pre-tanh ownership logits, cells in row-major order (config `ownership` only):
   * tanh of them is the predicted final owner of each cell for the player to move.
   */
  readonly ownershipLogits?: tf.Tensor2D;
}

export function numActionsFor(arch: Architecture, shape: BoardShape): number {
  let n = arch.globalActions.length;
  for (const p of arch.actionPlanes) n += p.extent === 'cell' ? shape.rows * shape.cols : shape.cols;
  return n;
}

/** How a forward pass runs: inference (moving batch-norm statistics) or training (batch statistics). */
interface RunOptions {
  readonly training: boolean;
  /** Training: receives each batch-norm layer's batch [mean, variance], in layer order. */
  readonly stats?: BatchStat[];
  /** Training on several threads: batch norm over every thread's samples. */
  readonly sync?: BatchNormSync;
  /** Stop once this tensor is computed. */
  readonly until?: string;
}

let modelCounter = 0;

export class PolicyValueModel {
  readonly architecture: Architecture;
  /** Layers, parameters and modules: what the forward pass, the ONNX export and module loading read. */
  readonly description: NetworkDescription;
  readonly specs: readonly ParamSpec[];
  /** Variables by parameter name (trainable ones and batch-norm statistics). */
  readonly variables = new Map<string, tf.Variable>();
  /** Names of the trainable parameters, in order. */
  readonly trainableNames: readonly string[];
  /** Bumped whenever weights change (lets evaluators cache derived data). */
  version = 0;
  readonly id = ++modelCounter;

  constructor(architecture: Architecture, weights?: ReadonlyMap<string, Float32Array>) {
    this.description = describeNetwork(architecture);
    if (activeBackend() === undefined) throw new Error('call `await selectBackend()` (src/networks) before building a model');
    this.architecture = architecture;
    this.specs = this.description.params;
    const rng = createRng(architecture.config.seed);
    const trainable: string[] = [];
    for (const spec of this.specs) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      let data = weights?.get(spec.name);
      if (weights && !data) throw new ArborError(`model weights lack "${spec.name}"; the file does not match its architecture (re-export the checkpoint)`);
      if (data && data.length !== size) throw new ArborError(`model weight "${spec.name}" has ${data.length} values, expected ${size}; the file is corrupt or from another architecture`);
      if (!data) data = initialValues(spec, size, rng);
      const isStat = spec.kind === 'mean' || spec.kind === 'var';
      this.variables.set(spec.name, tf.variable(tf.tensor(data, spec.shape as number[]), !isStat));
      if (!isStat) trainable.push(spec.name);
    }
    this.trainableNames = trainable;
  }

  get config(): ModelConfig {
    return this.architecture.config;
  }

  /** Number of trainable parameters. */
  paramCount(): number {
    let n = 0;
    for (const name of this.trainableNames) n += this.variables.get(name)!.size;
    return n;
  }

  numActionsFor(shape: BoardShape): number {
    return numActionsFor(this.architecture, shape);
  }

  /** Multiply-adds x2 of one forward pass of one position on a board of `shape`. */
  flopsPerPosition(shape: BoardShape): number {
    const cells = shape.rows * shape.cols;
    let flops = 0;
    for (const s of this.specs) {
      if (s.kind !== 'weight') continue;
      const size = s.shape.reduce((a, b) => a * b, 1);
      flops += 2 * size * (s.shape.length === 4 ? cells : 1);
    }
    return flops;
  }

  v(name: string): tf.Variable {
    const found = this.variables.get(name);
    if (!found) throw new Error(`no parameter ${name}`);
    return found;
  }

  /** Plain copies of every parameter (weights and statistics), in spec order. */
  async readWeights(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const spec of this.specs) out.set(spec.name, (await this.v(spec.name).data()) as Float32Array);
    return out;
  }

  readWeightsSync(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const spec of this.specs) out.set(spec.name, this.v(spec.name).dataSync() as Float32Array);
    return out;
  }

  /** Replaces the parameters named in `weights` (others keep their values). */
  writeWeights(weights: ReadonlyMap<string, Float32Array>): void {
    for (const spec of this.specs) {
      const data = weights.get(spec.name);
      if (!data) continue;
      this.v(spec.name).assign(tf.tensor(data, spec.shape as number[]));
    }
    this.version++;
  }

  /**
   * The forward pass. `input` is NCHW [N, planes, rows, cols]. In training mode batch norm uses
   * the batch statistics and pushes [mean, variance] per batch-norm layer (in layer order) into
   * `batchStats`, for the caller to fold into the moving averages. With `sync` (data-parallel
   * training, see parallel-train.ts) the statistics and their gradient sums span every thread's
   * part of the batch, so the result equals training on the whole batch in one thread.
   */
  forward(input: tf.Tensor4D, training = false, batchStats?: BatchStat[], sync?: BatchNormSync): ForwardResult {
    const t = this.run(input, { training, stats: batchStats, sync });
    const out = this.description.outputs;
    return {
      logits: t.get(out.policy) as tf.Tensor2D,
      value: t.get(out.value) as tf.Tensor1D,
      ...(out.wdlLogits ? { wdlLogits: t.get(out.wdlLogits) as tf.Tensor2D } : {}),
      ...(out.ownership ? { ownershipLogits: t.get(out.ownership) as tf.Tensor2D } : {}),
    };
  }

  /**
   * One named tensor of the forward pass in inference mode (NHWC for maps), computing only the
   * layers up to it: e.g. `description.outputs.trunk`, the features every head reads.
   */
  intermediate(input: tf.Tensor4D, tensor: string): tf.Tensor {
    const found = this.run(input, { training: false, until: tensor }).get(tensor);
    if (!found) throw new ArborError(`this network has no tensor "${tensor}"; its tensors: ${this.description.layers.map((l) => l.out).join(', ')}`);
    return found;
  }

  /** Runs the description's layers in order; returns every computed tensor by name. */
  private run(input: tf.Tensor4D, options: RunOptions): Map<string, tf.Tensor> {
    const [n, , rows, cols] = input.shape;
    const t = new Map<string, tf.Tensor>();
    t.set(INPUT, tf.transpose(input, [0, 2, 3, 1]));
    const get = (name: string) => t.get(name)!;
    const v = (name: string) => this.v(name);
    for (const layer of this.description.layers) {
      t.set(layer.out, this.apply(layer, get, v, options, n, rows, cols));
      if (layer.out === options.until) break;
    }
    return t;
  }

  private apply(layer: Layer, get: (name: string) => tf.Tensor, v: (name: string) => tf.Variable, options: RunOptions, n: number, rows: number, cols: number): tf.Tensor {
    switch (layer.op) {
      case 'convBn': {
        const x = tf.conv2d(get(layer.in) as tf.Tensor4D, v(layer.conv) as tf.Tensor4D, 1, 'same');
        const bn = layer.bn;
        const y = options.training
          ? batchNormTraining(x, v(`${bn}/gamma`) as tf.Tensor1D, v(`${bn}/beta`) as tf.Tensor1D, bn, options.stats, options.sync)
          : tf.batchNorm4d(x, v(`${bn}/mean`) as tf.Tensor1D, v(`${bn}/var`) as tf.Tensor1D, v(`${bn}/beta`) as tf.Tensor1D, v(`${bn}/gamma`) as tf.Tensor1D, BN_EPSILON);
        return layer.relu ? tf.relu(y) : y;
      }
      case 'conv':
        return tf.add(tf.conv2d(get(layer.in) as tf.Tensor4D, v(layer.weight) as tf.Tensor4D, 1, 'same'), v(layer.bias));
      case 'pool': {
        const x = get(layer.in) as tf.Tensor4D;
        return tf.concat([tf.mean(x, [1, 2]), globalMax(x)], 1);
      }
      case 'dense': {
        const y = tf.add(tf.matMul(get(layer.in) as tf.Tensor2D, v(`${layer.name}/w`) as tf.Tensor2D), v(`${layer.name}/b`));
        return layer.relu ? tf.relu(y) : y;
      }
      case 'channelBias': {
        const bias = get(layer.bias) as tf.Tensor2D;
        return tf.add(get(layer.in), tf.reshape(bias, [n, 1, 1, bias.shape[1]]));
      }
      case 'add': {
        const sum = tf.add(get(layer.in[0]), get(layer.in[1]));
        return layer.relu ? tf.relu(sum) : sum;
      }
      case 'flatten': {
        const x = get(layer.in);
        if (x.rank === 2) return x;
        if (layer.cells !== undefined && rows * cols !== layer.cells) {
          throw new ArborError(`this network's value head reads a board of ${layer.cells} cells, not ${rows}x${cols}; use it on the board size it was trained on`);
        }
        // NHWC order: every cell's channels together (cell-major).
        return tf.reshape(x, [n, x.size / n]);
      }
      case 'actionLogits': {
        const planes = get(layer.in) as tf.Tensor4D; // [N,H,W,A]
        const parts: tf.Tensor[] = [];
        if (layer.planes.every((pl) => pl.extent === 'cell')) {
          parts.push(tf.reshape(tf.transpose(planes, [0, 3, 1, 2]), [n, layer.planes.length * rows * cols]));
        } else {
          layer.planes.forEach((pl, i) => {
            const one = tf.slice(planes, [0, 0, 0, i], [n, rows, cols, 1]);
            parts.push(pl.extent === 'cell' ? tf.reshape(one, [n, rows * cols]) : tf.reshape(tf.mean(one, 1), [n, cols]));
          });
        }
        if (layer.globals !== undefined) parts.push(get(layer.globals));
        return parts.length === 1 ? parts[0] : tf.concat(parts, 1);
      }
      case 'tanhValue':
        return tf.reshape(tf.tanh(get(layer.in)), [n]);
      case 'wdlValue': {
        const probs = tf.softmax(get(layer.in) as tf.Tensor2D);
        return tf.reshape(tf.sub(tf.slice(probs, [0, 0], [n, 1]), tf.slice(probs, [0, 2], [n, 1])), [n]);
      }
      case 'cellLogits':
        return tf.reshape(get(layer.in), [n, rows * cols]);
    }
  }

  /** Inference on encoded positions (NCHW floats): raw logits [count*numActions] and values [count]. */
  async predict(inputs: Float32Array, count: number, shape: BoardShape): Promise<{ logits: Float32Array; value: Float32Array }> {
    const planes = this.architecture.inputPlanes.length;
    const size = planes * shape.rows * shape.cols;
    const [logitsT, valueT] = tf.tidy(() => {
      const x = tf.tensor4d(inputs.subarray(0, count * size), [count, planes, shape.rows, shape.cols]);
      const r = this.forward(x, false);
      return [r.logits, r.value];
    });
    const [logits, value] = await Promise.all([logitsT.data(), valueT.data()]);
    logitsT.dispose();
    valueT.dispose();
    return { logits: logits as Float32Array, value: value as Float32Array };
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}

/** Max of every channel over the board, [N, C]; a whole-board max pool, whose gradient kernel is fast on wasm. */
function globalMax(x: tf.Tensor4D): tf.Tensor2D {
  const [n, h, w, c] = x.shape;
  return tf.reshape(tf.maxPool(x, [h, w], 1, 'valid'), [n, c]);
}

/** Initial values of a parameter (its `init`), drawn from `rng`: what a fresh model holds, and what grown layers start from. */
export function initialValues(spec: ParamSpec, size: number, rng: ReturnType<typeof createRng>): Float32Array {
  const data = new Float32Array(size);
  switch (spec.init) {
    case 'he':
    case 'he-small': {
      const std = Math.sqrt(2 / (spec.fanIn ?? 1)) * (spec.init === 'he-small' ? 0.1 : 1);
      for (let i = 0; i < size; i++) data[i] = rng.normal() * std;
      break;
    }
    case 'ones':
      data.fill(1);
      break;
    case 'zeros':
      break;
  }
  return data;
}

/** Builds a fresh model for `game`; `config` overrides fields of defaultModelConfig(game). */
export function createModel(game: Game, config: Partial<ModelConfig> = {}): PolicyValueModel {
  return new PolicyValueModel(architectureFor(game, { ...defaultModelConfig(game), ...config }));
}
