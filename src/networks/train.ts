import * as tf from '@tensorflow/tfjs';
import { ArborError, type Rng, type Game } from '../core/index.js';
import { BN_MOMENTUM, type BatchNormSync, type BatchStat } from './batch-norm.js';
import type { PolicyValueModel } from './model.js';
import { planeFix, requireSamePlanes, unionPlanes } from './planes.js';

/**
 * One training step of an AlphaZero-style net (Silver et al. 2018): cross-entropy of the policy
 * against the search's visit distribution over the legal actions (illegal logits masked out),
 * squared error of the value against the game outcome (or cross-entropy for a win/draw/loss
 * head), KataGo's ownership cross-entropy for models with an ownership head, plus L2 on the
 * weights. Optimisers are written here (Adam: Kingma & Ba 2015; SGD with heavy-ball momentum) so
 * their state is plain named tensors a checkpoint can save exactly.
 */

export interface TrainingBatch {
  /** count x planes x rows x cols, as State.encode writes them. */
  readonly inputs: Float32Array;
  /** count x numActions, summing to 1 over legal actions (0 on illegal ones). */
  readonly policyTargets: Float32Array;
  /** count outcomes in [-1,1] for the player to move. */
  readonly valueTargets: Float32Array;
  /** count x numActions, 1 where legal. */
  readonly masks: Uint8Array;
  /**
   * count x rows x cols final owners of the cells for the player to move (+1 own stone, -1 the
   * opponent's, 0 empty); required when the model has an ownership head, ignored otherwise.
   */
  readonly ownershipTargets?: Float32Array;
  readonly count: number;
  /**
   * Board shape of this batch, when it differs from the trainer's (a run over several board sizes:
   * the weights fit every size, each batch is one size). Defaults to the trainer's `shape`.
   */
  readonly shape?: { readonly rows: number; readonly cols: number };
  /**
   * A batch of one game of a multi-game network (game-view.ts): the parameters it may change only
   * in part, or not at all. Entries outside a mask keep their weights and optimiser state exactly.
   */
  readonly restriction?: UpdateRestriction;
}

/**
 * What a batch may change: per trainable parameter, `none` (left exactly as it is, optimiser state
 * included) or a 0/1 mask of the entries it may change (same size as the parameter). Parameters not
 * listed change as usual. `game` names whose batches these are (for messages).
 */
export interface UpdateRestriction {
  readonly game: string;
  readonly masks: ReadonlyMap<string, Float32Array | 'none'>;
}

export interface Losses {
  readonly policyLoss: number;
  readonly valueLoss: number;
  readonly l2: number;
  /** The weighted ownership loss; 0 without an ownership head. */
  readonly ownershipLoss: number;
  readonly total: number;
}

/** The loss parts every step reports, in order: policy, value, l2, ownership. */
export const LOSS_PARTS = 4;

/** Learning-rate multiplier by step: constant, steps (piecewise constant) or cosine with warm-up. */
export type LearningRateSchedule =
  | { readonly type: 'constant' }
  | { readonly type: 'step'; readonly boundaries: readonly number[]; readonly factors: readonly number[] }
  | { readonly type: 'cosine'; readonly totalSteps: number; readonly warmupSteps?: number; readonly minFactor?: number };

export interface TrainerOptions {
  readonly optimizer?: 'adam' | 'sgd';
  readonly learningRate?: number;
  /** SGD momentum (heavy ball); ignored by Adam. */
  readonly momentum?: number;
  /** L2 coefficient on convolution and dense weights (not biases or batch-norm parameters). */
  readonly l2?: number;
  readonly schedule?: LearningRateSchedule;
  /**
   * Weight of the ownership loss (models with an ownership head): KataGo's 1.5 per board, i.e.
   * 1.5 x the mean over cells of the binary cross-entropy of (1 + owner)/2 (Wu 2019, §4.1).
   */
  readonly ownershipWeight?: number;
  /** Board shape of the batches; defaults to the game's. */
  readonly shape?: { rows: number; cols: number };
  /**
   * Modules (architecture.ts module ids: `stem`, `trunk`, `policy`, `policy:KIND`, `value`,
   * `ownership`) whose weights training steps leave as they are, e.g. a trunk carried over from
   * another game. Their gradients never reach the optimiser (masked to zero first where a module
   * owns one slice of a shared tensor, as a policy head does), so their optimiser state stays zero
   * and they are bit-identical after any number of steps; their batch-norm moving statistics are
   * not updated either, so inference through them is unchanged. In a training step their batch
   * norms still normalise by the batch's statistics, as every batch norm does.
   */
  readonly frozen?: readonly string[];
  /**
   * The model is the union network of these games (game-view.ts: their planes and action kinds
   * together) rather than a network of `game`; batches come in the union layout (GameView.expand).
   */
  readonly unionOf?: readonly Game[];
}

export const DEFAULT_TRAINER_OPTIONS = {
  optimizer: 'adam' as const,
  learningRate: 1e-3,
  momentum: 0.9,
  l2: 1e-4,
  ownershipWeight: 1.5,
  schedule: { type: 'constant' } as LearningRateSchedule,
};

export function scheduleFactor(schedule: LearningRateSchedule, step: number): number {
  switch (schedule.type) {
    case 'constant':
      return 1;
    case 'step': {
      let f = 1;
      schedule.boundaries.forEach((b, i) => {
        if (step >= b) f = schedule.factors[i];
      });
      return f;
    }
    case 'cosine': {
      const warm = schedule.warmupSteps ?? 0;
      if (step < warm) return (step + 1) / warm;
      const t = Math.min(1, (step - warm) / Math.max(1, schedule.totalSteps - warm));
      const min = schedule.minFactor ?? 0;
      return min + (1 - min) * 0.5 * (1 + Math.cos(Math.PI * t));
    }
  }
}

/** Optimiser state as plain arrays (what a checkpoint stores). */
export interface OptimizerState {
  readonly optimizer: 'adam' | 'sgd';
  readonly step: number;
  /** Per parameter: Adam's [m, v] or SGD's [velocity]. */
  readonly slots: Map<string, Float32Array[]>;
}

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPS = 1e-8;

export class Trainer {
  readonly model: PolicyValueModel;
  readonly game: Game;
  readonly options: Required<Omit<TrainerOptions, 'shape' | 'frozen' | 'unionOf'>> & { shape: { rows: number; cols: number } };
  /** Modules whose weights the steps leave as they are (TrainerOptions.frozen). */
  readonly frozen: readonly string[];
  /** Optimiser steps taken so far. */
  step = 0;
  private readonly slots = new Map<string, tf.Variable[]>();
  /** Per trainable parameter of a frozen module: 'all', or a 0/1 mask of the slices that still train. */
  private readonly freezeMasks = new Map<string, 'all' | tf.Tensor>();
  /** Tensors of each batch restriction seen: per parameter, its mask and 1 - mask (or `none`). */
  private readonly restrictionTensors = new Map<UpdateRestriction, Map<string, 'none' | [tf.Tensor, tf.Tensor]>>();

  constructor(model: PolicyValueModel, game: Game, options: TrainerOptions = {}) {
    this.model = model;
    this.game = game;
    const { frozen = [], unionOf, ...rest } = options;
    this.options = { ...DEFAULT_TRAINER_OPTIONS, ...rest, shape: options.shape ?? game.shape };
    this.frozen = [...frozen];
    const { optimizer, learningRate, momentum, l2 } = this.options;
    if (optimizer !== 'adam' && optimizer !== 'sgd') throw new ArborError(`unknown optimizer "${String(optimizer)}"; use adam or sgd`);
    if (!(learningRate > 0)) throw new ArborError(`learning rate ${learningRate} must be > 0`);
    if (!(momentum >= 0 && momentum < 1)) throw new ArborError(`momentum ${momentum} must be in [0, 1)`);
    if (!(l2 >= 0)) throw new ArborError(`l2 ${l2} must be >= 0`);
    if (!(this.options.ownershipWeight >= 0)) throw new ArborError(`ownership weight ${this.options.ownershipWeight} must be >= 0`);
    if (unionOf) {
      requireSamePlanes(model.architecture.inputPlanes, unionPlanes(unionOf.map((g) => g.encoding.planes)), 'the model', `the union of ${unionOf.map((g) => g.spec).join(', ')}`, 'build it with unionArchitecture of the same games');
    } else {
      requireSamePlanes(model.architecture.inputPlanes, game.encoding.planes, 'the model', game.spec, planeFix(game.spec));
    }
    for (const name of model.trainableNames) {
      const shape = model.v(name).shape;
      const count = optimizer === 'adam' ? 2 : 1;
      this.slots.set(name, Array.from({ length: count }, () => tf.variable(tf.zeros(shape), false)));
    }
    if (this.frozen.length > 0) this.buildFreezeMasks();
  }

  private buildFreezeMasks(): void {
    const modules = this.model.description.modules;
    const trainable = new Set(this.model.trainableNames);
    const sliced = new Map<string, Float32Array>();
    for (const id of this.frozen) {
      const module = modules.find((m) => m.id === id);
      if (!module) throw new ArborError(`cannot freeze "${id}": the network has no such module; its modules: ${modules.map((m) => m.id).join(', ')}`);
      for (const part of module.params) {
        if (!trainable.has(part.name)) continue;
        if (!part.slice) {
          this.freezeMasks.set(part.name, 'all');
          continue;
        }
        const shape = this.model.v(part.name).shape;
        let mask = sliced.get(part.name);
        if (!mask) sliced.set(part.name, (mask = new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1)));
        const { axis, index } = part.slice;
        const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
        for (let i = 0; i < mask.length; i++) if (Math.floor(i / inner) % shape[axis] === index) mask[i] = 0;
      }
    }
    for (const [name, mask] of sliced) {
      if (this.freezeMasks.get(name) !== 'all') this.freezeMasks.set(name, tf.tensor(mask, this.model.v(name).shape));
    }
  }

  /**
   * A multiplier set from outside between steps, for schedules that follow something other than
   * the step count (the self-play learner anneals by the share of its time budget used).
   */
  learningRateScale = 1;

  learningRate(step = this.step): number {
    return this.options.learningRate * this.learningRateScale * scheduleFactor(this.options.schedule, step);
  }

  async trainBatch(batch: TrainingBatch): Promise<Losses> {
    const n = this.checkBatch(batch);
    const lr = this.learningRate();
    const shape = this.shapeOf(batch);
    // Tensors kept out of variableGrads' scope (batch statistics, loss parts); freed below.
    const kept: tf.Tensor[] = [];
    const losses = tf.tidy(() => {
      const part = lossAndGradients(this.model, batch, 0, n, this.lossSettings(1, undefined, shape), kept);
      this.applyStep(part.grads, part.stats, n, lr, shape, batch.restriction);
      return tf.stack([...part.parts, part.total]);
    });
    for (const t of kept) t.dispose();
    return this.finishStep(losses);
  }

  /** The board shape of a batch: its own, else the trainer's. */
  protected shapeOf(batch: TrainingBatch): { readonly rows: number; readonly cols: number } {
    return batch.shape ?? this.options.shape;
  }

  /** Checks a batch's array lengths; returns its sample count. */
  protected checkBatch(batch: TrainingBatch): number {
    const shape = this.shapeOf(batch);
    const { rows, cols } = shape;
    const planes = this.model.architecture.inputPlanes.length;
    const numActions = this.model.numActionsFor(shape);
    const n = batch.count;
    if (!Number.isInteger(n) || n < 1) throw new ArborError('a training batch needs at least one sample');
    if (batch.inputs.length < n * planes * rows * cols || batch.policyTargets.length < n * numActions || batch.masks.length < n * numActions || batch.valueTargets.length < n) {
      throw new ArborError(`training batch arrays are too short for ${n} samples of ${planes}x${rows}x${cols} inputs and ${numActions} actions`);
    }
    if (this.model.config.ownership === true && !(batch.ownershipTargets && batch.ownershipTargets.length >= n * rows * cols)) {
      throw new ArborError(`this model has an ownership head, so each training sample needs ${rows}x${cols} ownership targets; record them in self-play (training.ownershipWeight > 0) or train a model without the head`);
    }
    return n;
  }

  /** What lossAndGradients needs besides the model and the batch; `scale` multiplies the whole loss. */
  protected lossSettings(scale: number, sync?: BatchNormSync, shape: { readonly rows: number; readonly cols: number } = this.options.shape): LossSettings {
    return { shape, l2: this.options.l2, ownershipWeight: this.options.ownershipWeight, scale, sync };
  }

  /**
   * One optimiser step from gradients (in trainableNames order) of the whole batch's loss, and the
   * batch-norm moving averages updated from that batch's statistics (`samples` positions).
   */
  protected applyStep(grads: readonly (tf.Tensor | undefined)[], stats: readonly BatchStat[], samples: number, lr: number, shape: { readonly rows: number; readonly cols: number } = this.options.shape, restriction?: UpdateRestriction): void {
    this.applyGradients(grads, lr, restriction ? this.restrictionOf(restriction) : undefined);
    const { rows, cols } = shape;
    const count = samples * rows * cols;
    for (const [name, mean, variance] of stats) {
      if (this.freezeMasks.get(`${name}/gamma`) === 'all') continue;
      const m = this.model.v(`${name}/mean`);
      const v = this.model.v(`${name}/var`);
      // Moving averages of the batch statistics; variance made unbiased (n/(n-1)) as TF does.
      m.assign(tf.add(tf.mul(m, BN_MOMENTUM), tf.mul(mean, 1 - BN_MOMENTUM)));
      v.assign(tf.add(tf.mul(v, BN_MOMENTUM), tf.mul(variance, (1 - BN_MOMENTUM) * (count / Math.max(1, count - 1)))));
    }
  }

  /** Counts the step and reads the [policy, value, l2, ownership, total] losses (freeing the tensor). */
  protected async finishStep(losses: tf.Tensor, extra?: Float32Array): Promise<Losses> {
    this.step++;
    this.model.version++;
    const values = (await losses.data()) as Float32Array;
    losses.dispose();
    if (extra) for (let i = 0; i <= LOSS_PARTS; i++) values[i] += extra[i];
    return { policyLoss: values[0], valueLoss: values[1], l2: values[2], ownershipLoss: values[3], total: values[LOSS_PARTS] };
  }

  /** The tensors of a batch restriction, made once per restriction object and kept until dispose. */
  private restrictionOf(restriction: UpdateRestriction): Map<string, 'none' | [tf.Tensor, tf.Tensor]> {
    let found = this.restrictionTensors.get(restriction);
    if (found) return found;
    found = new Map();
    for (const [name, mask] of restriction.masks) {
      if (!this.slots.has(name)) throw new ArborError(`the batch of ${restriction.game} restricts "${name}", which this model does not train; the batch is of another network`);
      if (mask === 'none') {
        found.set(name, 'none');
        continue;
      }
      const shape = this.model.v(name).shape;
      if (mask.length !== this.model.v(name).size) throw new ArborError(`the batch of ${restriction.game} has a mask of ${mask.length} values for "${name}", which has ${this.model.v(name).size}`);
      const keep = tf.keep(tf.tensor(mask, shape));
      found.set(name, [keep, tf.keep(tf.sub(1, keep))]);
    }
    this.restrictionTensors.set(restriction, found);
    return found;
  }

  /**
   * The optimiser update. With a batch restriction, masked-out entries keep their weights and their
   * optimiser state (x' = mask*new + (1-mask)*old; w' = w - mask*step, exact where mask is 0), as a
   * lazy Adam leaves parameters without gradient: a game's batch does not decay another game's
   * head momentum into its weights.
   */
  private applyGradients(grads: readonly (tf.Tensor | undefined)[], lr: number, restriction?: Map<string, 'none' | [tf.Tensor, tf.Tensor]>): void {
    const t = this.step + 1;
    const adam = this.options.optimizer === 'adam';
    // Bias corrections of Adam folded into the step size (Kingma & Ba 2015, §2, last paragraph).
    const adamLr = lr * Math.sqrt(1 - ADAM_BETA2 ** t) / (1 - ADAM_BETA1 ** t);
    const names = this.model.trainableNames;
    const vars = names.map((name) => this.model.v(name));
    for (let i = 0; i < names.length; i++) {
      const freeze = this.freezeMasks.get(names[i]);
      if (freeze === 'all') continue;
      const only = restriction?.get(names[i]);
      if (only === 'none') continue;
      const g = freeze === undefined ? grads[i] : grads[i] && tf.mul(grads[i]!, freeze);
      if (!g) continue;
      const w = vars[i];
      const slots = this.slots.get(names[i])!;
      // Without a restriction, the plain update; with one, old values stay where the mask is 0.
      const blend = (next: tf.Tensor, old: tf.Tensor) => (only === undefined ? next : tf.add(tf.mul(next, only[0]), tf.mul(old, only[1])));
      const masked = (step: tf.Tensor) => (only === undefined ? step : tf.mul(step, only[0]));
      if (adam) {
        const [m, v] = slots;
        const m2 = tf.add(tf.mul(m, ADAM_BETA1), tf.mul(g, 1 - ADAM_BETA1));
        const v2 = tf.add(tf.mul(v, ADAM_BETA2), tf.mul(tf.square(g), 1 - ADAM_BETA2));
        m.assign(blend(m2, m));
        v.assign(blend(v2, v));
        w.assign(tf.sub(w, masked(tf.div(tf.mul(m2, adamLr), tf.add(tf.sqrt(v2), ADAM_EPS)))));
      } else {
        const [vel] = slots;
        const vel2 = tf.add(tf.mul(vel, this.options.momentum), g);
        vel.assign(blend(vel2, vel));
        w.assign(tf.sub(w, masked(tf.mul(vel2, lr))));
      }
    }
  }

  async readState(): Promise<OptimizerState> {
    const slots = new Map<string, Float32Array[]>();
    for (const [name, vars] of this.slots) slots.set(name, await Promise.all(vars.map(async (v) => (await v.data()) as Float32Array)));
    return { optimizer: this.options.optimizer, step: this.step, slots };
  }

  writeState(state: OptimizerState): void {
    if (state.optimizer !== this.options.optimizer) {
      throw new ArborError(`checkpoint optimizer state is for ${state.optimizer}, the trainer uses ${this.options.optimizer}; use --optimizer ${state.optimizer} or start a fresh optimizer`);
    }
    for (const [name, vars] of this.slots) {
      const saved = state.slots.get(name);
      if (!saved || saved.length !== vars.length) throw new ArborError(`checkpoint optimizer state lacks "${name}"; the file is corrupt or from another architecture`);
      vars.forEach((v, i) => {
        if (saved[i].length !== v.size) throw new ArborError(`checkpoint optimizer slot "${name}" has ${saved[i].length} values, expected ${v.size}`);
        v.assign(tf.tensor(saved[i], v.shape));
      });
    }
    this.step = state.step;
  }

  dispose(): void {
    for (const vars of this.slots.values()) for (const v of vars) v.dispose();
    this.slots.clear();
    for (const mask of this.freezeMasks.values()) if (mask !== 'all') mask.dispose();
    this.freezeMasks.clear();
    for (const masks of this.restrictionTensors.values()) for (const m of masks.values()) if (m !== 'none') m.forEach((t) => t.dispose());
    this.restrictionTensors.clear();
  }

  /** Frees the optimiser state (the same as dispose; ParallelTrainer also stops its threads). */
  async close(): Promise<void> {
    this.dispose();
  }
}

export interface LossSettings {
  readonly shape: { rows: number; cols: number };
  readonly l2: number;
  readonly ownershipWeight: number;
  /** Multiplies the whole loss (data-parallel parts use their share of the batch, count/total). */
  readonly scale: number;
  /** Cross-thread batch-norm sums (ParallelTrainer); absent in one thread. */
  readonly sync?: BatchNormSync;
}

/**
 * The training loss on samples [from, from+count) of `batch` and its gradients with respect to
 * the model's trainable parameters (in trainableNames order). Call inside tf.tidy; the batch
 * statistics and loss parts are also pushed to `kept`, which the caller frees after the tidy.
 * Shared by Trainer and the ParallelTrainer threads, so both compute exactly the same loss.
 */
export function lossAndGradients(model: PolicyValueModel, batch: TrainingBatch, from: number, count: number, settings: LossSettings, kept: tf.Tensor[]): {
  total: tf.Scalar;
  grads: (tf.Tensor | undefined)[];
  parts: tf.Scalar[];
  stats: BatchStat[];
} {
  const { rows, cols } = settings.shape;
  const planes = model.architecture.inputPlanes.length;
  const numActions = model.numActionsFor(settings.shape);
  const n = count;
  const size = planes * rows * cols;
  const wdl = model.config.valueHead === 'wdl';
  const x = tf.tensor4d(batch.inputs.subarray(from * size, (from + n) * size), [n, planes, rows, cols]);
  const target = tf.tensor2d(batch.policyTargets.subarray(from * numActions, (from + n) * numActions), [n, numActions]);
  const maskF = tf.cast(tf.tensor2d(batch.masks.subarray(from * numActions, (from + n) * numActions), [n, numActions], 'int32'), 'float32');
  // Illegal actions get -1e9 added: after the softmax they have probability 0 and no gradient.
  const illegalPenalty = tf.mul(tf.sub(maskF, 1), 1e9);
  const z = tf.tensor1d(batch.valueTargets.subarray(from, from + n));
  const cells = rows * cols;
  const owner = model.config.ownership === true && batch.ownershipTargets
    ? tf.tensor2d(batch.ownershipTargets.subarray(from * cells, (from + n) * cells), [n, cells])
    : undefined;
  const stats: BatchStat[] = [];
  const parts: tf.Scalar[] = [];
  const vars = model.trainableNames.map((name) => model.v(name));
  const l2Names = model.specs.filter((s) => s.kind === 'weight').map((s) => s.name);
  const { value: total, grads } = tf.variableGrads(() => {
    const out = model.forward(x, true, stats, settings.sync);
    for (const [, m, v] of stats) kept.push(tf.keep(m), tf.keep(v));
    const logp = tf.logSoftmax(tf.add(out.logits, illegalPenalty));
    const policyLoss = tf.neg(tf.mean(tf.sum(tf.mul(target, logp), 1))) as tf.Scalar;
    let valueLoss: tf.Scalar;
    if (wdl && out.wdlLogits) {
      // Outcome z in [-1,1] as a win/draw/loss distribution: (max(z,0), 1-|z|, max(-z,0)).
      const wdlTarget = tf.stack([tf.relu(z), tf.sub(1, tf.abs(z)), tf.relu(tf.neg(z))], 1);
      valueLoss = tf.neg(tf.mean(tf.sum(tf.mul(wdlTarget, tf.logSoftmax(out.wdlLogits)), 1))) as tf.Scalar;
    } else {
      valueLoss = tf.mean(tf.squaredDifference(out.value, z)) as tf.Scalar;
    }
    let l2Term = tf.scalar(0);
    for (const name of l2Names) l2Term = tf.add(l2Term, tf.sum(tf.square(model.v(name))));
    l2Term = tf.mul(l2Term, settings.l2);
    let ownershipLoss: tf.Scalar = tf.scalar(0);
    if (owner && out.ownershipLogits) {
      // KataGo's ownership loss: binary cross-entropy of p = (1 + tanh(y))/2 = sigmoid(2y) against
      // t = (1 + owner)/2, written with logits for stability: softplus(2y) - t*2y.
      const y2 = tf.mul(out.ownershipLogits, 2);
      const t = tf.mul(tf.add(owner, 1), 0.5);
      ownershipLoss = tf.mul(tf.mean(tf.sub(tf.softplus(y2), tf.mul(t, y2))), settings.ownershipWeight) as tf.Scalar;
    }
    const scaled = [policyLoss, valueLoss, l2Term as tf.Scalar, ownershipLoss].map((t) => (settings.scale === 1 ? t : (tf.mul(t, settings.scale) as tf.Scalar)));
    for (const t of scaled) parts.push(tf.keep(t));
    kept.push(...parts);
    return tf.add(tf.add(tf.add(scaled[0], scaled[1]), scaled[2]), scaled[3]) as tf.Scalar;
  }, vars);
  return { total, grads: vars.map((v) => grads[v.name] as tf.Tensor | undefined), parts, stats };
}

/**
 * Data augmentation by the game's symmetries (AlphaGo Zero, Silver et al. 2017): each sample is
 * mapped through one symmetry drawn uniformly from {identity} ∪ game.symmetries. Input planes move
 * by `cellMap`; policy targets and legality masks by `actionMap`. Returns a new batch.
 */
export function augmentWithSymmetry(game: Game, batch: TrainingBatch, rng: Rng): TrainingBatch {
  const { rows, cols } = game.shape;
  const cells = rows * cols;
  const planes = game.encoding.planes.length;
  const A = game.numActions;
  const n = batch.count;
  const inputs = new Float32Array(n * planes * cells);
  const policyTargets = new Float32Array(n * A);
  const masks = new Uint8Array(n * A);
  const owners = batch.ownershipTargets;
  const ownershipTargets = owners ? new Float32Array(n * cells) : undefined;
  const syms = game.symmetries;
  for (let i = 0; i < n; i++) {
    const k = rng.int(syms.length + 1);
    const inBase = i * planes * cells;
    const aBase = i * A;
    if (k === 0) {
      inputs.set(batch.inputs.subarray(inBase, inBase + planes * cells), inBase);
      policyTargets.set(batch.policyTargets.subarray(aBase, aBase + A), aBase);
      masks.set(batch.masks.subarray(aBase, aBase + A), aBase);
      if (owners && ownershipTargets) ownershipTargets.set(owners.subarray(i * cells, (i + 1) * cells), i * cells);
      continue;
    }
    const { cellMap, actionMap } = syms[k - 1];
    for (let p = 0; p < planes; p++) {
      const off = inBase + p * cells;
      for (let c = 0; c < cells; c++) inputs[off + cellMap[c]] = batch.inputs[off + c];
    }
    if (owners && ownershipTargets) {
      for (let c = 0; c < cells; c++) ownershipTargets[i * cells + cellMap[c]] = owners[i * cells + c];
    }
    for (let a = 0; a < A; a++) {
      policyTargets[aBase + actionMap[a]] = batch.policyTargets[aBase + a];
      masks[aBase + actionMap[a]] = batch.masks[aBase + a];
    }
  }
  return { inputs, policyTargets, valueTargets: batch.valueTargets.slice(0, n), masks, ownershipTargets, count: n, shape: batch.shape };
}
