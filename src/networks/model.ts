import * as tf from '@tensorflow/tfjs';
import { ArborError, createRng, type ActionPlane, type BoardShape, type Game } from '../core/index.js';
import { activeBackend } from './backend.js';

/**
 * A fully-convolutional residual policy/value network (AlphaZero: Silver et al., Science 2018)
 * with KataGo's global-pooling bias (Wu 2019, "Accelerating Self-Play Learning in Go", §3.2):
 * some residual blocks and the policy head add a per-channel bias computed from the mean and max
 * of their features over the board. By default no weight depends on the board size — convolutions
 * are per-cell, the only dense layers read globally pooled channels — so one set of weights runs
 * on every board size of a game family; config `valueInput: 'cells'` trades that for AlphaGo Zero's
 * flattened value head on one board size.
 *
 * Tensors: inputs are NCHW (planes x rows x cols, as `State.encode` writes them) and are
 * transposed once to NHWC, the layout tfjs's wasm backend supports.
 */

export interface ModelConfig {
  /** Channels of the residual trunk. */
  readonly filters: number;
  /** Residual blocks (two 3x3 convolutions each). */
  readonly blocks: number;
  /** Every `poolEvery`-th block (1-based: blocks poolEvery, 2*poolEvery, ...) gets a global-pooling bias; 0 = none. */
  readonly poolEvery: number;
  /** Channels of the 1x1 convolution that starts the policy head. */
  readonly policyFilters: number;
  /** Channels of the 1x1 convolution that starts the value head. */
  readonly valueFilters: number;
  /** Width of the value head's hidden dense layer. */
  readonly valueHidden: number;
  /**
   * What the value head's hidden layer reads. `pool` (default; absent in older checkpoints): the
   * mean and max of each value channel over the board, size-independent (KataGo). `cells`: every
   * cell's value channels, flattened (AlphaGo Zero's value head, Silver et al. 2017, "Methods"),
   * so the head can weigh where on the board a feature stands (in Connect Four the row of a
   * threat decides it); the weights then fit one board size, `valueCells`.
   */
  readonly valueInput?: 'pool' | 'cells';
  /** rows x cols of the board a `cells` value head was built for; set by architectureFor from the game. */
  readonly valueCells?: number;
  /** `tanh`: one value in [-1,1]; `wdl`: win/draw/loss logits, value = P(win) - P(loss). */
  readonly valueHead: 'tanh' | 'wdl';
  /**
   * KataGo's ownership head (Wu 2019, §4.1): a 1x1 convolution of the value head's features that
   * predicts, per cell, whose stone stands there at the end of the game (+1 the mover's, -1 the
   * opponent's, 0 empty). Only a training target: it gives the trunk a dense signal about how the
   * game goes on, and is left out of the ONNX export. Absent in older checkpoints (= false).
   */
  readonly ownership?: boolean;
  /** Seed of the weight initialisation. */
  readonly seed: number;
}

/** Everything needed to rebuild a model: its config and the game-facing shape of its inputs/outputs. */
export interface Architecture {
  readonly format: 'arbor-net';
  readonly version: 1;
  readonly config: ModelConfig;
  readonly inputPlanes: readonly string[];
  readonly actionPlanes: readonly ActionPlane[];
  readonly globalActions: readonly string[];
}

export const BN_EPSILON = 1e-3;
/** Moving-average momentum of the batch-norm statistics. */
export const BN_MOMENTUM = 0.99;

/** Defaults sized for this project's 2-core CPU target; tic-tac-toe needs far less. */
export function defaultModelConfig(game: Game): ModelConfig {
  const cells = game.shape.rows * game.shape.cols;
  if (cells <= 16) {
    return { filters: 32, blocks: 2, poolEvery: 2, policyFilters: 16, valueFilters: 16, valueHidden: 32, valueHead: 'tanh', seed: 1 };
  }
  return { filters: 64, blocks: 4, poolEvery: 2, policyFilters: 32, valueFilters: 32, valueHidden: 64, valueHead: 'tanh', seed: 1 };
}

function validateConfig(c: ModelConfig): void {
  const ints: [keyof ModelConfig, number, number][] = [
    ['filters', 1, 1024], ['blocks', 0, 64], ['poolEvery', 0, 64], ['policyFilters', 1, 1024], ['valueFilters', 1, 1024], ['valueHidden', 1, 4096],
  ];
  for (const [key, lo, hi] of ints) {
    const v = c[key] as number;
    if (!Number.isInteger(v) || v < lo || v > hi) throw new ArborError(`model config ${key}=${String(v)} is not an integer in ${lo}..${hi}`);
  }
  if (c.valueHead !== 'tanh' && c.valueHead !== 'wdl') throw new ArborError(`model config valueHead="${String(c.valueHead)}"; use tanh or wdl`);
  if (c.valueInput !== undefined && c.valueInput !== 'pool' && c.valueInput !== 'cells') throw new ArborError(`model config valueInput="${String(c.valueInput)}"; use pool or cells`);
  if (c.valueInput === 'cells' && !(Number.isInteger(c.valueCells) && (c.valueCells as number) > 0)) {
    throw new ArborError(`model config valueInput="cells" needs valueCells (the board's rows x cols) as a positive integer, got ${String(c.valueCells)}`);
  }
  if (c.ownership !== undefined && typeof c.ownership !== 'boolean') throw new ArborError(`model config ownership=${String(c.ownership)}; use true or false`);
}

/** Named parameter: trainable weights, or batch-norm moving statistics (`.../mean`, `.../var`). */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly kind: 'weight' | 'bias' | 'gamma' | 'beta' | 'mean' | 'var';
  /** He-normal fan-in for weights. */
  readonly fanIn?: number;
}

function outputCount(arch: Architecture): number {
  return arch.actionPlanes.length;
}

/** The ordered parameter list of an architecture (the order is the on-disk order). */
export function parameterSpecs(arch: Architecture): ParamSpec[] {
  const { filters: F, blocks, policyFilters: CP, valueFilters: CV, valueHidden: VH, valueHead } = arch.config;
  const P = arch.inputPlanes.length;
  const specs: ParamSpec[] = [];
  const conv = (name: string, k: number, ci: number, co: number) => specs.push({ name, shape: [k, k, ci, co], kind: 'weight', fanIn: k * k * ci });
  const bn = (name: string, c: number) => {
    specs.push({ name: `${name}/gamma`, shape: [c], kind: 'gamma' }, { name: `${name}/beta`, shape: [c], kind: 'beta' });
    specs.push({ name: `${name}/mean`, shape: [c], kind: 'mean' }, { name: `${name}/var`, shape: [c], kind: 'var' });
  };
  const dense = (name: string, i: number, o: number) => {
    specs.push({ name: `${name}/w`, shape: [i, o], kind: 'weight', fanIn: i }, { name: `${name}/b`, shape: [o], kind: 'bias' });
  };
  conv('stem/conv', 3, P, F);
  bn('stem/bn', F);
  for (let b = 0; b < blocks; b++) {
    conv(`block${b}/conv1`, 3, F, F);
    bn(`block${b}/bn1`, F);
    if (isPoolBlock(arch.config, b)) dense(`block${b}/pool`, 2 * F, F);
    conv(`block${b}/conv2`, 3, F, F);
    bn(`block${b}/bn2`, F);
  }
  conv('policy/conv', 1, F, CP);
  bn('policy/bn', CP);
  dense('policy/pool', 2 * CP, CP);
  conv('policy/out', 1, CP, outputCount(arch));
  specs.push({ name: 'policy/out/b', shape: [outputCount(arch)], kind: 'bias' });
  if (arch.globalActions.length > 0) dense('policy/global', 2 * CP, arch.globalActions.length);
  conv('value/conv', 1, F, CV);
  bn('value/bn', CV);
  dense('value/fc1', valueHeadInputs(arch.config), VH);
  dense('value/fc2', VH, valueHead === 'wdl' ? 3 : 1);
  if (arch.config.ownership === true) {
    conv('ownership/conv', 1, CV, 1);
    specs.push({ name: 'ownership/b', shape: [1], kind: 'bias' });
  }
  return specs;
}

/** Width of the value head's first dense layer: pooled mean+max per channel, or every cell's channels. */
export function valueHeadInputs(config: ModelConfig): number {
  return config.valueInput === 'cells' ? (config.valueCells as number) * config.valueFilters : 2 * config.valueFilters;
}

export function isPoolBlock(config: ModelConfig, block: number): boolean {
  return config.poolEvery > 0 && (block + 1) % config.poolEvery === 0;
}

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

let modelCounter = 0;

export class PolicyValueModel {
  readonly architecture: Architecture;
  readonly specs: readonly ParamSpec[];
  /** Variables by parameter name (trainable ones and batch-norm statistics). */
  readonly variables = new Map<string, tf.Variable>();
  /** Names of the trainable parameters, in order. */
  readonly trainableNames: readonly string[];
  /** Bumped whenever weights change (lets evaluators cache derived data). */
  version = 0;
  readonly id = ++modelCounter;

  constructor(architecture: Architecture, weights?: ReadonlyMap<string, Float32Array>) {
    validateConfig(architecture.config);
    if (activeBackend() === undefined) throw new Error('call `await selectBackend()` (src/networks) before building a model');
    this.architecture = architecture;
    this.specs = parameterSpecs(architecture);
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
   * the batch statistics and pushes [mean, variance] per batch-norm layer (in spec order) into
   * `batchStats`, for the caller to fold into the moving averages. With `sync` (data-parallel
   * training, see parallel-train.ts) the statistics and their gradient sums span every thread's
   * part of the batch, so the result equals training on the whole batch in one thread.
   */
  forward(input: tf.Tensor4D, training = false, batchStats?: [string, tf.Tensor1D, tf.Tensor1D][], sync?: BatchNormSync): ForwardResult {
    const arch = this.architecture;
    const cfg = arch.config;
    const [n, , rows, cols] = input.shape;
    const v = (name: string) => this.v(name);
    const batchNorm = (x: tf.Tensor4D, name: string): tf.Tensor4D => {
      if (training) return batchNormTraining(x, v(`${name}/gamma`) as tf.Tensor1D, v(`${name}/beta`) as tf.Tensor1D, name, batchStats, sync);
      return tf.batchNorm4d(x, v(`${name}/mean`) as tf.Tensor1D, v(`${name}/var`) as tf.Tensor1D, v(`${name}/beta`) as tf.Tensor1D, v(`${name}/gamma`) as tf.Tensor1D, BN_EPSILON);
    };
    const conv = (x: tf.Tensor4D, name: string) => tf.conv2d(x, v(name) as tf.Tensor4D, 1, 'same');
    /** [N, 2C]: mean and max of every channel over the board. */
    const pool = (x: tf.Tensor4D) => tf.concat([tf.mean(x, [1, 2]), globalMax(x)], 1) as tf.Tensor2D;
    const dense = (x: tf.Tensor2D, name: string) => tf.add(tf.matMul(x, v(`${name}/w`) as tf.Tensor2D), v(`${name}/b`)) as tf.Tensor2D;
    /** Adds a dense map of the pooled features as a per-channel bias (KataGo's global pooling bias). */
    const poolBias = (x: tf.Tensor4D, name: string) => {
      const bias = dense(pool(x), name);
      return tf.add(x, tf.reshape(bias, [n, 1, 1, bias.shape[1]])) as tf.Tensor4D;
    };

    let x = tf.transpose(input, [0, 2, 3, 1]) as tf.Tensor4D;
    x = tf.relu(batchNorm(conv(x, 'stem/conv'), 'stem/bn'));
    for (let b = 0; b < cfg.blocks; b++) {
      let h = tf.relu(batchNorm(conv(x, `block${b}/conv1`), `block${b}/bn1`));
      if (isPoolBlock(cfg, b)) h = poolBias(h, `block${b}/pool`);
      h = batchNorm(conv(h, `block${b}/conv2`), `block${b}/bn2`);
      x = tf.relu(tf.add(x, h)) as tf.Tensor4D;
    }

    // Policy: a 1x1 conv per action plane, after a global-pooling bias; global actions read the pooled features.
    const p = tf.relu(batchNorm(conv(x, 'policy/conv'), 'policy/bn'));
    const pooledP = pool(p);
    const pb = dense(pooledP, 'policy/pool');
    const p2 = tf.add(p, tf.reshape(pb, [n, 1, 1, cfg.policyFilters])) as tf.Tensor4D;
    const planes = tf.add(conv(p2, 'policy/out'), v('policy/out/b')) as tf.Tensor4D; // [N,H,W,A]
    const parts: tf.Tensor2D[] = [];
    const allCells = arch.actionPlanes.every((pl) => pl.extent === 'cell');
    if (allCells) {
      parts.push(tf.reshape(tf.transpose(planes, [0, 3, 1, 2]), [n, arch.actionPlanes.length * rows * cols]));
    } else {
      arch.actionPlanes.forEach((pl, i) => {
        const one = tf.slice(planes, [0, 0, 0, i], [n, rows, cols, 1]);
        // `column` actions (Connect Four drops) average their column, so they too fit any size.
        parts.push(pl.extent === 'cell' ? tf.reshape(one, [n, rows * cols]) : tf.reshape(tf.mean(one, 1), [n, cols]));
      });
    }
    if (arch.globalActions.length > 0) parts.push(dense(pooledP, 'policy/global'));
    const logits = parts.length === 1 ? parts[0] : (tf.concat(parts, 1) as tf.Tensor2D);

    // Value: pooled (or flattened, NHWC order) 1x1-conv features -> hidden -> tanh (or win/draw/loss).
    const vFeat = tf.relu(batchNorm(conv(x, 'value/conv'), 'value/bn'));
    let valueIn: tf.Tensor2D;
    if (cfg.valueInput === 'cells') {
      if (rows * cols !== cfg.valueCells) throw new ArborError(`this network's value head reads a board of ${String(cfg.valueCells)} cells, not ${rows}x${cols}; use it on the board size it was trained on`);
      valueIn = tf.reshape(vFeat, [n, rows * cols * cfg.valueFilters]);
    } else {
      valueIn = pool(vFeat);
    }
    const hidden = tf.relu(dense(valueIn, 'value/fc1'));
    const out = dense(hidden, 'value/fc2');
    // Ownership reads the same value features (KataGo's ownership head hangs off its value head).
    const ownershipLogits = cfg.ownership === true
      ? (tf.reshape(tf.add(conv(vFeat, 'ownership/conv'), v('ownership/b')), [n, rows * cols]) as tf.Tensor2D)
      : undefined;
    if (cfg.valueHead === 'wdl') {
      const probs = tf.softmax(out);
      const value = tf.sub(tf.slice(probs, [0, 0], [n, 1]), tf.slice(probs, [0, 2], [n, 1]));
      return { logits, value: tf.reshape(value, [n]) as tf.Tensor1D, wdlLogits: out, ownershipLogits };
    }
    return { logits, value: tf.reshape(tf.tanh(out), [n]) as tf.Tensor1D, ownershipLogits };
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

/**
 * Cross-thread sums for synchronised batch norm (data-parallel training): every participating
 * thread calls `allReduce` the same number of times in the same order with its local vector and
 * gets back the element-wise sum over all threads (identical bits in every thread).
 */
export interface BatchNormSync {
  allReduce(local: Float32Array): Float32Array;
}

/** Columns of ones by length, kept for the life of the process (one per batch size in use). */
const onesColumns = new Map<number, tf.Tensor2D>();

/**
 * Per-channel sums of an NHWC tensor over N, H and W, as [C]: x^T [C,M] times a cached [M,1]
 * column of ones. tfjs-wasm's XNNPACK matMul packs (and caches, by tensor) its second operand,
 * so a constant ones column there makes this ~2x faster than Sum over the leading axes (which
 * transposes them to the end first); the ones as the first operand would repack the activations.
 */
function channelSums(x: tf.Tensor): tf.Tensor1D {
  const c = x.shape[x.rank - 1];
  const m = x.size / c;
  let ones = onesColumns.get(m);
  if (!ones || ones.isDisposed) {
    ones = tf.keep(tf.ones([m, 1]) as tf.Tensor2D);
    onesColumns.set(m, ones);
  }
  return tf.reshape(tf.matMul(tf.reshape(x, [m, c]), ones, true, false), [c]);
}

/** Sums a [C] tensor (and optionally a count) over all threads of `sync`; the local sums when alone. */
function reduceAcross(sync: BatchNormSync | undefined, sums: tf.Tensor1D, count: number): { sums: tf.Tensor1D; count: number } {
  if (!sync) return { sums, count };
  const c = sums.shape[0];
  const local = new Float32Array(c + 1);
  local.set(sums.dataSync() as Float32Array);
  local[c] = count;
  const global = sync.allReduce(local);
  return { sums: tf.tensor1d(global.subarray(0, c)), count: global[c] };
}

/**
 * Batch norm over a training batch (Ioffe & Szegedy 2015) with its gradient written out
 * (dx = gamma/(sigma*m) * (m*dy - sum(dy) - xhat*sum(dy*xhat))): tfjs's generic batchNorm gradient
 * tiles the scale to the input's shape, a kernel that is very slow on wasm. Pushes the batch
 * [mean, variance] (kept tensors the caller frees) to `stats`. With `sync` the mean, variance and
 * the two gradient sums are taken over every thread's samples (synchronised batch norm, as in
 * Peng et al. 2018, "MegDet", §4), while the returned gamma/beta gradients stay this thread's
 * share, to be summed with the other threads' weight gradients.
 */
function batchNormTraining(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, name: string, stats?: [string, tf.Tensor1D, tf.Tensor1D][], sync?: BatchNormSync): tf.Tensor4D {
  const localCount = x.shape[0] * x.shape[1] * x.shape[2];
  const fn = tf.customGrad(((xIn: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const total = reduceAcross(sync, channelSums(xIn), localCount);
    const m = total.count;
    const mean = tf.div(total.sums, m) as tf.Tensor1D;
    const xc = tf.sub(xIn, mean);
    const variance = tf.div(reduceAcross(sync, channelSums(tf.square(xc)), localCount).sums, m) as tf.Tensor1D;
    const inv = tf.rsqrt(tf.add(variance, BN_EPSILON));
    const xhat = tf.mul(xc, inv);
    stats?.push([name, tf.keep(mean), tf.keep(variance)]);
    save([xhat, inv, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sxhat, sinv, sg] = saved;
        const sumDy = channelSums(dy);
        const sumDyXhat = channelSums(tf.mul(dy, sxhat));
        let allDy = sumDy;
        let allDyXhat = sumDyXhat;
        if (sync) {
          const c = sumDy.shape[0];
          const both = reduceAcross(sync, tf.concat([sumDy, sumDyXhat]) as tf.Tensor1D, 0).sums;
          allDy = tf.slice(both, [0], [c]);
          allDyXhat = tf.slice(both, [c], [c]);
        }
        const inner = tf.sub(tf.sub(tf.mul(dy, m), allDy), tf.mul(sxhat, allDyXhat));
        const dx = tf.mul(inner, tf.div(tf.mul(sg, sinv), m));
        return [dx, sumDyXhat, sumDy];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return fn(x, gamma, beta) as tf.Tensor4D;
}

/** Max of every channel over the board, [N, C]; a whole-board max pool, whose gradient kernel is fast on wasm. */
function globalMax(x: tf.Tensor4D): tf.Tensor2D {
  const [n, h, w, c] = x.shape;
  return tf.reshape(tf.maxPool(x, [h, w], 1, 'valid'), [n, c]);
}

function initialValues(spec: ParamSpec, size: number, rng: ReturnType<typeof createRng>): Float32Array {
  const data = new Float32Array(size);
  switch (spec.kind) {
    case 'weight': {
      // He-normal (He et al. 2015) for layers followed by ReLU; the output layers start small so
      // the first policies are near uniform and the first values near 0.
      const isOutput = spec.name === 'policy/out' || spec.name.startsWith('policy/global') || spec.name.startsWith('value/fc2') || spec.name === 'ownership/conv';
      const std = Math.sqrt(2 / (spec.fanIn ?? 1)) * (isOutput ? 0.1 : 1);
      for (let i = 0; i < size; i++) data[i] = rng.normal() * std;
      break;
    }
    case 'gamma':
    case 'var':
      data.fill(1);
      break;
    default:
      break;
  }
  return data;
}

export function architectureFor(game: Game, config: ModelConfig): Architecture {
  const cells = game.shape.rows * game.shape.cols;
  if (config.valueInput === 'cells' && config.valueCells !== undefined && config.valueCells !== cells) {
    throw new ArborError(`model config valueCells=${String(config.valueCells)} does not match the ${game.shape.rows}x${game.shape.cols} board; leave valueCells out, it is set from the game`);
  }
  return {
    format: 'arbor-net',
    version: 1,
    config: config.valueInput === 'cells' ? { ...config, valueCells: cells } : { ...config },
    inputPlanes: [...game.encoding.planes],
    actionPlanes: game.actionLayout.planes.map((p) => ({ name: p.name, extent: p.extent })),
    globalActions: [...game.actionLayout.globals],
  };
}

/** Builds a fresh model for `game`; `config` overrides fields of defaultModelConfig(game). */
export function createModel(game: Game, config: Partial<ModelConfig> = {}): PolicyValueModel {
  return new PolicyValueModel(architectureFor(game, { ...defaultModelConfig(game), ...config }));
}
