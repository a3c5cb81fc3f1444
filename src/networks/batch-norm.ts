import * as tf from '@tensorflow/tfjs';
import { BN_EPSILON } from './architecture.js';

/** Moving-average momentum of the batch-norm statistics. */
export const BN_MOMENTUM = 0.99;

/**
 * Cross-thread sums for synchronised batch norm (data-parallel training): every participating
 * thread calls `allReduce` the same number of times in the same order with its local vector and
 * gets back the element-wise sum over all threads (identical bits in every thread).
 */
export interface BatchNormSync {
  allReduce(local: Float32Array): Float32Array;
}

/** A batch-norm layer's batch [mean, variance], by layer name. */
export type BatchStat = [string, tf.Tensor1D, tf.Tensor1D];

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
export function batchNormTraining(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, name: string, stats?: BatchStat[], sync?: BatchNormSync): tf.Tensor4D {
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
