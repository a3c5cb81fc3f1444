import * as tf from '@tensorflow/tfjs';
import { createRng, legalActionList, type Game } from '../../src/core/index.js';
import type { PolicyValueModel } from '../../src/networks/index.js';

/** Shared by the transfer tests: positions, non-trivial weights, and comparisons of forward passes. */

/** `count` encoded positions of `game` reached by seeded random moves (0..`maxMoves` of them each). */
export function randomPositions(game: Game, count: number, seed: number, maxMoves = 12): Float32Array {
  const rng = createRng(seed);
  const size = game.encoding.planes.length * game.shape.rows * game.shape.cols;
  const out = new Float32Array(count * size);
  for (let i = 0; i < count; i++) {
    const state = game.newInitialState();
    const moves = rng.int(maxMoves + 1);
    for (let m = 0; m < moves && !state.isTerminal(); m++) {
      const legal = legalActionList(state);
      state.apply(legal[rng.int(legal.length)]);
    }
    state.encode(out, i * size);
  }
  return out;
}

/** Random batch-norm statistics, gammas, betas and biases, so every carried value shows in the outputs. */
export function perturb(model: PolicyValueModel, seed: number): PolicyValueModel {
  const rng = createRng(seed);
  const weights = model.readWeightsSync();
  for (const spec of model.specs) {
    const w = weights.get(spec.name)!;
    if (spec.kind === 'var' || spec.kind === 'gamma') for (let i = 0; i < w.length; i++) w[i] = 0.5 + rng.next();
    if (spec.kind === 'mean' || spec.kind === 'beta' || spec.kind === 'bias') for (let i = 0; i < w.length; i++) w[i] = 0.3 * rng.normal();
    if (spec.kind === 'weight' && spec.init === 'he-small') for (let i = 0; i < w.length; i++) w[i] *= 10;
  }
  model.writeWeights(weights);
  return model;
}

/** A named tensor of the inference-mode forward pass on `count` positions of `rows` x `cols`. */
export function tensorOf(model: PolicyValueModel, inputs: Float32Array, count: number, rows: number, cols: number, name: string): Float32Array {
  const planes = model.architecture.inputPlanes.length;
  return tf.tidy(() => model.intermediate(tf.tensor4d(inputs.subarray(0, count * planes * rows * cols), [count, planes, rows, cols]), name).dataSync() as Float32Array);
}

/** Largest |a - b| / max(1, |b|) over the arrays (which must be as long). */
export function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}
