import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from './backend.js';
import type { Architecture } from './architecture.js';
import { PolicyValueModel } from './model.js';
import { CTL_WEIGHTS, SharedGroup, type GroupBuffers } from './parallel-group.js';
import { LOSS_PARTS, lossAndGradients } from './train.js';

/**
 * One worker of a ParallelTrainer (parallel-train.ts): a replica of the model on its own tfjs
 * instance. Per step it loads the weights the main thread published (when their version moved),
 * computes the gradients of its share of the batch with batch norm synchronised across threads,
 * writes them and its loss parts to shared memory and meets the others at the final barrier.
 */

export interface TrainWorkerData {
  readonly index: number;
  readonly participants: number;
  readonly backend: BackendName;
  readonly architecture: Architecture;
  readonly weights: Map<string, Float32Array>;
  readonly shape: { rows: number; cols: number };
  readonly l2: number;
  readonly ownershipWeight: number;
  readonly group: GroupBuffers;
  readonly timeoutMs: number;
  /** Float32: trainable parameters in trainableNames order. */
  readonly sharedWeights: SharedArrayBuffer;
  /** Float32: one gradient vector per worker (participants-1), same layout as the weights. */
  readonly sharedGrads: SharedArrayBuffer;
  /** Float32: [policy, value, l2, ownership] loss parts per participant. */
  readonly sharedLosses: SharedArrayBuffer;
}

export interface TrainWorkerStep {
  readonly type: 'step';
  readonly count: number;
  /** This worker's share of the batch, count/total: its loss is scaled by it. */
  readonly scale: number;
  readonly inputs: Float32Array;
  readonly policyTargets: Float32Array;
  readonly valueTargets: Float32Array;
  readonly masks: Uint8Array;
  readonly ownershipTargets?: Float32Array;
}

async function main(): Promise<void> {
  const data = workerData as TrainWorkerData;
  const port = parentPort!;
  try {
    await selectBackend(data.backend, { quiet: true });
  } catch (e) {
    port.postMessage({ type: 'error', error: `tfjs backend ${data.backend} failed in a training worker: ${e instanceof Error ? e.message : String(e)}` });
    return;
  }
  const model = new PolicyValueModel(data.architecture, data.weights);
  const group = new SharedGroup(data.group, data.index, data.participants, data.timeoutMs);
  const weights = new Float32Array(data.sharedWeights);
  const grads = new Float32Array(data.sharedGrads);
  const losses = new Float32Array(data.sharedLosses);
  const names = model.trainableNames;
  const offsets: number[] = [];
  let total = 0;
  for (const name of names) {
    offsets.push(total);
    total += model.v(name).size;
  }
  const gradBase = (data.index - 1) * total;
  let weightsVersion = Atomics.load(group.control, CTL_WEIGHTS);

  const step = (msg: TrainWorkerStep): void => {
    group.beginStep();
    const version = Atomics.load(group.control, CTL_WEIGHTS);
    if (version !== weightsVersion) {
      tf.tidy(() => {
        names.forEach((name, i) => {
          const v = model.v(name);
          v.assign(tf.tensor(weights.slice(offsets[i], offsets[i] + v.size), v.shape));
        });
      });
      weightsVersion = version;
    }
    const kept: tf.Tensor[] = [];
    try {
      tf.tidy(() => {
        const part = lossAndGradients(model, msg, 0, msg.count, { shape: data.shape, l2: data.l2, ownershipWeight: data.ownershipWeight, scale: msg.scale, sync: group }, kept);
        part.grads.forEach((g, i) => {
          const at = gradBase + offsets[i];
          if (g) grads.set(g.dataSync() as Float32Array, at);
          else grads.fill(0, at, at + model.v(names[i]).size);
        });
        part.parts.forEach((p, i) => {
          losses[data.index * LOSS_PARTS + i] = p.dataSync()[0];
        });
      });
    } finally {
      for (const t of kept) t.dispose();
    }
    group.barrier(); // gradients written: the main thread may read them
  };

  port.on('message', (msg: TrainWorkerStep) => {
    if (msg.type !== 'step') return;
    try {
      step(msg);
    } catch (e) {
      group.abort();
      port.postMessage({ type: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  });
  port.postMessage({ type: 'ready' });
}

void main();
