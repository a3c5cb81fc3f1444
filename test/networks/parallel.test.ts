import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGame } from '../../src/envs/index.js';
import { createRng, ArborError } from '../../src/core/index.js';
import {
  ParallelTrainer, Trainer, createModel, createTrainer, loadCheckpoint, saveCheckpoint, selectBackend, type TrainingBatch,
} from '../../src/networks/index.js';

const game = createGame('connect4');
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
});
afterAll(async () => {
  for (const t of open) await t.close();
});

/** A batch with random stones, random legality and policy targets on the legal actions, mixed outcomes. */
function randomBatch(n: number, seed: number): TrainingBatch {
  const rng = createRng(seed);
  const A = game.numActions;
  const inputs = Float32Array.from({ length: n * game.encoding.planes.length * 42 }, () => (rng.next() < 0.3 ? 1 : 0));
  const masks = Uint8Array.from({ length: n * A }, (_, i) => (i % A === 0 || rng.next() < 0.7 ? 1 : 0));
  const policyTargets = new Float32Array(n * A);
  for (let s = 0; s < n; s++) {
    let sum = 0;
    for (let a = 0; a < A; a++) sum += policyTargets[s * A + a] = masks[s * A + a] * rng.next();
    for (let a = 0; a < A; a++) policyTargets[s * A + a] /= sum;
  }
  const valueTargets = Float32Array.from({ length: n }, (_, i) => (i % 3) - 1);
  return { inputs, policyTargets, valueTargets, masks, count: n };
}

function maxAbsDiff(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  let m = 0;
  for (const [name, w] of a) {
    const u = b.get(name)!;
    for (let i = 0; i < w.length; i++) m = Math.max(m, Math.abs(w[i] - u[i]));
  }
  return m;
}

describe('ParallelTrainer', () => {
  it('takes the same steps as Trainer on the same batch (2 threads, uneven split, synchronised batch norm)', async () => {
    // SGD with momentum: the update is linear in the gradient, so float rounding stays at rounding
    // size (Adam's first steps, g/|g|, would magnify it on near-zero gradients).
    const options = { optimizer: 'sgd' as const, learningRate: 0.02, momentum: 0.9 };
    const single = new Trainer(createModel(game, { filters: 16, blocks: 2 }), game, options);
    const parallel = new ParallelTrainer(createModel(game, { filters: 16, blocks: 2 }), game, { ...options, threads: 2 });
    open.push(parallel);
    expect(maxAbsDiff(single.model.readWeightsSync(), parallel.model.readWeightsSync())).toBe(0);
    const batch = randomBatch(37, 5);
    for (let step = 0; step < 3; step++) {
      const a = await single.trainBatch(batch);
      const b = await parallel.trainBatch(batch);
      expect(Math.abs(a.policyLoss - b.policyLoss)).toBeLessThan(1e-5);
      expect(Math.abs(a.valueLoss - b.valueLoss)).toBeLessThan(1e-5);
      expect(Math.abs(a.l2 - b.l2)).toBeLessThan(1e-6);
      expect(Math.abs(a.total - b.total)).toBeLessThan(2e-5);
    }
    expect(parallel.step).toBe(3);
    // Weights and batch-norm moving averages (which come from whole-batch statistics) agree.
    expect(maxAbsDiff(single.model.readWeightsSync(), parallel.model.readWeightsSync())).toBeLessThan(1e-5);
    const sState = await single.readState();
    const pState = await parallel.readState();
    for (const [name, [vel]] of sState.slots) {
      const other = pState.slots.get(name)![0];
      for (let i = 0; i < vel.length; i++) expect(Math.abs(vel[i] - other[i])).toBeLessThan(1e-5);
    }
    // A batch too small to split runs on the caller's thread and still trains.
    const tiny = await parallel.trainBatch(randomBatch(3, 6));
    expect(Number.isFinite(tiny.total)).toBe(true);
    expect(parallel.step).toBe(4);
    single.dispose();
  });

  it('saves and restores its optimizer state through a checkpoint, then trains identically; close() ends it', async () => {
    const options = { optimizer: 'adam' as const, learningRate: 0.01 };
    const model = createModel(game, { filters: 8, blocks: 2 });
    const trainer = new ParallelTrainer(model, game, { ...options, threads: 2 });
    open.push(trainer);
    const batch = randomBatch(20, 7);
    const first = await trainer.trainBatch(batch);
    let last = first;
    for (let i = 0; i < 3; i++) last = await trainer.trainBatch(batch);
    expect(last.total).toBeLessThan(first.total);
    const dir = join(mkdtempSync(join(tmpdir(), 'arbor-ptrain-')), 'ck');
    await saveCheckpoint(dir, { model, trainer, game });
    const loaded = await loadCheckpoint(dir, game);
    expect(loaded.meta.step).toBe(4);
    expect(loaded.optimizer!.step).toBe(4);
    const restored = createTrainer(loaded.model, game, { ...loaded.optimizer!.options, threads: 2 });
    open.push(restored);
    expect(restored).toBeInstanceOf(ParallelTrainer);
    restored.writeState(loaded.optimizer!);
    const a = await trainer.trainBatch(batch);
    const b = await restored.trainBatch(batch);
    // Same weights, same optimizer state, same split and summation order: the same bits.
    expect(b.total).toBe(a.total);
    expect(maxAbsDiff(model.readWeightsSync(), loaded.model.readWeightsSync())).toBe(0);
    await trainer.close();
    await expect(trainer.trainBatch(batch)).rejects.toThrow(/closed/);
  });

  it('splits ownership targets with the batch: the same ownership loss and steps as Trainer', async () => {
    const options = { optimizer: 'sgd' as const, learningRate: 0.02, momentum: 0.9, ownershipWeight: 1.5 };
    const single = new Trainer(createModel(game, { filters: 8, blocks: 1, ownership: true }), game, options);
    const parallel = new ParallelTrainer(createModel(game, { filters: 8, blocks: 1, ownership: true }), game, { ...options, threads: 2 });
    open.push(parallel);
    const batch = randomBatch(21, 8);
    // Final owners consistent with the stones: +1 own, -1 opponent, 0 empty.
    const planes = game.encoding.planes.length;
    const ownershipTargets = new Float32Array(21 * 42);
    for (let i = 0; i < 21; i++) for (let c = 0; c < 42; c++) ownershipTargets[i * 42 + c] = batch.inputs[i * planes * 42 + c] - batch.inputs[i * planes * 42 + 42 + c];
    const withOwnership = { ...batch, ownershipTargets };
    for (let step = 0; step < 2; step++) {
      const a = await single.trainBatch(withOwnership);
      const b = await parallel.trainBatch(withOwnership);
      expect(a.ownershipLoss).toBeGreaterThan(0.5);
      expect(Math.abs(a.ownershipLoss - b.ownershipLoss)).toBeLessThan(1e-5);
      expect(Math.abs(a.total - b.total)).toBeLessThan(2e-5);
    }
    expect(maxAbsDiff(single.model.readWeightsSync(), parallel.model.readWeightsSync())).toBeLessThan(1e-5);
    single.dispose();
  });

  it('createTrainer picks Trainer for 1 thread; bad thread counts are one ArborError', () => {
    const model = createModel(game, { filters: 8, blocks: 1 });
    const one = createTrainer(model, game, { threads: 1 });
    expect(one).toBeInstanceOf(Trainer);
    expect(one).not.toBeInstanceOf(ParallelTrainer);
    expect(() => new ParallelTrainer(model, game, { threads: 0 })).toThrow(ArborError);
    expect(() => new ParallelTrainer(model, game, { threads: 2.5 })).toThrow(/threads=2.5 is not an integer in 1\.\.64/);
    one.dispose();
    model.dispose();
  });
});
