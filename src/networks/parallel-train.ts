import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { ArborError, type Game, compiledWorkerUrl } from '../core/index.js';
import { activeBackend } from './backend.js';
import type { PolicyValueModel } from './model.js';
import { CTL_WEIGHTS, SharedGroup, createGroupBuffers } from './parallel-group.js';
import type { TrainWorkerData, TrainWorkerStep } from './train-worker.js';
import { LOSS_PARTS, Trainer, lossAndGradients, type Losses, type TrainerOptions, type TrainingBatch } from './train.js';

/**
 * Data-parallel training on several CPU threads, for the tfjs `wasm` backend, whose threaded
 * build does not load in Node (its workers come from blob: URLs), so one tfjs instance uses one
 * core. The calling thread and `threads - 1` worker threads (each with its own tfjs instance and
 * a replica of the model) each take a share of the batch. Batch norm is synchronised across them
 * (statistics and gradient sums over the whole batch, through shared memory: parallel-group.ts),
 * every share's loss is scaled by its fraction of the batch, and the workers' weight gradients are
 * summed into the caller's; the caller then takes the one optimiser step and publishes the new
 * weights for the next step. So a step equals Trainer's step on the same batch up to float
 * rounding (summation order), and optimiser state, checkpoints and BN moving averages live on the
 * caller's thread exactly as with Trainer — it is a drop-in replacement (`createTrainer`).
 *
 * The caller's thread computes a share itself rather than idling while two workers do: on a
 * 2-core machine that is the same parallelism with one fewer tfjs instance and no weight copy back.
 */

export interface ParallelTrainerOptions extends TrainerOptions {
  /** Threads computing gradients, including the caller's (default 2; 1 = Trainer's behaviour). */
  readonly threads?: number;
  /** A thread silent for this long is taken as dead and the step fails (default 120 s). */
  readonly timeoutMs?: number;
}

/** Batches smaller than this many samples per thread run on the caller's thread alone. */
const MIN_SAMPLES_PER_THREAD = 2;

export class ParallelTrainer extends Trainer {
  readonly threads: number;
  private readonly workers: Worker[] = [];
  private readonly group: SharedGroup;
  private readonly sharedWeights: Float32Array;
  private readonly sharedGrads: Float32Array;
  private readonly sharedLosses: Float32Array;
  private readonly offsets: number[] = [];
  private readonly ready: Promise<void>;
  private publishedVersion: number;
  private failure: string | undefined;
  private closed = false;

  constructor(model: PolicyValueModel, game: Game, options: ParallelTrainerOptions = {}) {
    const { threads = 2, timeoutMs = 120_000, ...trainerOptions } = options;
    super(model, game, trainerOptions);
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new ArborError(`training threads=${String(threads)} is not an integer in 1..64`);
    if (!(timeoutMs > 0)) throw new ArborError(`timeoutMs ${timeoutMs} must be > 0`);
    this.threads = threads;
    const backend = activeBackend();
    if (!backend) throw new Error('call `await selectBackend()` (src/networks) before creating a trainer');
    let total = 0;
    for (const name of model.trainableNames) {
      this.offsets.push(total);
      total += model.v(name).size;
    }
    // Largest all-reduce: both gradient sums of the widest batch-norm layer, plus a count.
    let widest = 0;
    for (const layer of model.description.layers) if (layer.op === 'convBn') widest = Math.max(widest, layer.outChannels);
    const slot = 2 * widest + 1;
    const buffers = createGroupBuffers(threads, slot);
    this.group = new SharedGroup(buffers, 0, threads, timeoutMs);
    const weightsBuffer = new SharedArrayBuffer(total * 4);
    const gradsBuffer = new SharedArrayBuffer(Math.max(1, threads - 1) * total * 4);
    const lossesBuffer = new SharedArrayBuffer(threads * LOSS_PARTS * 4);
    this.sharedWeights = new Float32Array(weightsBuffer);
    this.sharedGrads = new Float32Array(gradsBuffer);
    this.sharedLosses = new Float32Array(lossesBuffer);
    this.publishedVersion = model.version;
    const weights = model.readWeightsSync();
    const url = threads > 1 ? compiledWorkerUrl(import.meta.url, './train-worker') : undefined;
    const started: Promise<void>[] = [];
    for (let index = 1; index < threads; index++) {
      const workerData: TrainWorkerData = {
        index,
        participants: threads,
        backend,
        architecture: model.architecture,
        weights,
        shape: this.options.shape,
        l2: this.options.l2,
        ownershipWeight: this.options.ownershipWeight,
        group: buffers,
        timeoutMs,
        sharedWeights: weightsBuffer,
        sharedGrads: gradsBuffer,
        sharedLosses: lossesBuffer,
      };
      const worker = new Worker(url!, { workerData });
      this.workers.push(worker);
      started.push(
        new Promise<void>((resolve, reject) => {
          worker.on('message', (msg: { type: string; error?: string }) => {
            if (msg.type === 'ready') resolve();
            else if (msg.type === 'error') {
              this.failure ??= msg.error ?? 'unknown error';
              reject(new Error(msg.error));
            }
          });
          worker.on('error', (e) => {
            this.failure ??= e.message;
            reject(e);
          });
          worker.on('exit', (code) => {
            if (!this.closed) this.failure ??= `a training worker exited (code ${code})`;
            reject(new Error(`training worker exited (code ${code}) before it was ready`));
          });
        }),
      );
    }
    this.ready = Promise.all(started).then(() => {
      // Idle workers must not keep the process alive; close() ends them.
      for (const w of this.workers) w.unref();
    });
    this.ready.catch(() => undefined); // reported by trainBatch
  }

  /** Resolves when every worker has built its replica (trainBatch waits for this itself). */
  async whenReady(): Promise<void> {
    await this.ready;
  }

  override async trainBatch(batch: TrainingBatch): Promise<Losses> {
    if (this.closed) throw new Error('this ParallelTrainer is closed; create a new one');
    try {
      await this.ready;
    } catch (e) {
      throw new Error(`parallel trainer workers failed to start: ${this.failure ?? (e instanceof Error ? e.message : String(e))}`);
    }
    if (this.failure) throw new Error(`parallel trainer failed earlier (${this.failure}); create a new one`);
    const n = this.checkBatch(batch);
    const threads = this.threads;
    // The worker replicas were built for the trainer's board shape: a batch of another size (a
    // multi-size run) trains in this thread.
    const ownShape = batch.shape === undefined || (batch.shape.rows === this.options.shape.rows && batch.shape.cols === this.options.shape.cols);
    if (threads === 1 || n < MIN_SAMPLES_PER_THREAD * threads || !ownShape) return super.trainBatch(batch);

    const { rows, cols } = this.options.shape;
    const size = this.model.architecture.inputPlanes.length * rows * cols;
    const A = this.model.numActionsFor(this.options.shape);
    const cells = rows * cols;
    const shares = Array.from({ length: threads }, (_, i) => Math.floor(n / threads) + (i < n % threads ? 1 : 0));
    this.publishWeights();
    let at = shares[0];
    for (let w = 1; w < threads; w++) {
      const count = shares[w];
      const msg: TrainWorkerStep = {
        type: 'step',
        count,
        scale: count / n,
        inputs: batch.inputs.slice(at * size, (at + count) * size),
        policyTargets: batch.policyTargets.slice(at * A, (at + count) * A),
        valueTargets: batch.valueTargets.slice(at, at + count),
        masks: batch.masks.slice(at * A, (at + count) * A),
        ownershipTargets: batch.ownershipTargets?.slice(at * cells, (at + count) * cells),
      };
      this.workers[w - 1].postMessage(msg);
      at += count;
    }

    const lr = this.learningRate();
    const kept: tf.Tensor[] = [];
    let losses: tf.Tensor;
    try {
      losses = tf.tidy(() => {
        this.group.beginStep();
        const part = lossAndGradients(this.model, batch, 0, shares[0], this.lossSettings(shares[0] / n, this.group), kept);
        this.group.barrier(); // every worker has written its gradients
        const total = this.sharedWeights.length;
        const grads = part.grads.map((g, i) => {
          const v = this.model.v(this.model.trainableNames[i]);
          let sum: tf.Tensor | undefined = g;
          for (let w = 0; w < threads - 1; w++) {
            const from = w * total + this.offsets[i];
            const other = tf.tensor(this.sharedGrads.slice(from, from + v.size), v.shape);
            sum = sum ? tf.add(sum, other) : other;
          }
          return sum;
        });
        this.applyStep(grads, part.stats, n, lr, this.options.shape, batch.restriction);
        return tf.stack([...part.parts, part.total]);
      });
    } catch (e) {
      this.group.abort();
      // Let a worker's error message arrive (the event loop was blocked during the step).
      await new Promise((resolve) => setTimeout(resolve, 50));
      this.failure ??= e instanceof Error ? e.message : String(e);
      throw new Error(`parallel training step failed: ${this.failure}`);
    } finally {
      for (const t of kept) t.dispose();
    }
    const extra = new Float32Array(LOSS_PARTS + 1);
    for (let p = 1; p < threads; p++) {
      for (let i = 0; i < LOSS_PARTS; i++) extra[i] += this.sharedLosses[p * LOSS_PARTS + i];
    }
    for (let i = 0; i < LOSS_PARTS; i++) extra[LOSS_PARTS] += extra[i];
    return this.finishStep(losses, extra);
  }

  /** Copies the caller's weights to shared memory when they changed since the workers last read them. */
  private publishWeights(): void {
    if (this.publishedVersion === this.model.version) return;
    this.model.trainableNames.forEach((name, i) => {
      this.sharedWeights.set(this.model.v(name).dataSync() as Float32Array, this.offsets[i]);
    });
    // The atomic store orders the plain writes above before any worker's atomic load of the version.
    Atomics.add(this.group.control, CTL_WEIGHTS, 1);
    this.publishedVersion = this.model.version;
  }

  /** Stops the worker threads and frees the optimiser state. */
  override async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await Promise.all(this.workers.map((w) => w.terminate()));
    }
    super.dispose();
  }

  /** As close(), without waiting for the threads to exit. */
  override dispose(): void {
    void this.close();
  }
}

/**
 * The trainer for `threads` compute threads: Trainer for 1, ParallelTrainer otherwise (the
 * self-play learner switches with one config value). Parallel training pays only on the `wasm`
 * backend; the native tfjs backends already use every core.
 */
export function createTrainer(model: PolicyValueModel, game: Game, options: ParallelTrainerOptions = {}): Trainer {
  const threads = options.threads ?? 1;
  if (threads === 1) {
    const { threads: _threads, timeoutMs: _timeout, ...rest } = options;
    return new Trainer(model, game, rest);
  }
  return new ParallelTrainer(model, game, options);
}
