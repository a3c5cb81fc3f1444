import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Game } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { OrtEvaluator, Trainer, augmentWithSymmetry, createModel, onnxModelBytes, selectBackend, type TrainingBatch } from '../../src/networks/index.js';

/**
 * KataGo's ownership head (Wu 2019, §4.1) on the policy/value net: its parameters, its output
 * layout, that training fits it, that symmetry augmentation moves its targets with the board, and
 * that the ONNX export (inference only) leaves it out without changing policy or value.
 */

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
});

/** Random positions with ownership targets read off their stones: +1 own, -1 opponent, 0 empty. */
function stoneBatch(game: Game, n: number, seed: number): TrainingBatch {
  const rng = createRng(seed);
  const cells = game.shape.rows * game.shape.cols;
  const planes = game.encoding.planes.length;
  const A = game.numActions;
  const inputs = new Float32Array(n * planes * cells);
  const ownershipTargets = new Float32Array(n * cells);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < cells; c++) {
      const u = rng.next();
      const plane = u < 0.3 ? 0 : u < 0.6 ? 1 : -1;
      if (plane >= 0) inputs[i * planes * cells + plane * cells + c] = 1;
      ownershipTargets[i * cells + c] = plane === 0 ? 1 : plane === 1 ? -1 : 0;
    }
  }
  const masks = new Uint8Array(n * A).fill(1);
  const policyTargets = new Float32Array(n * A).fill(1 / A);
  return { inputs, policyTargets, valueTargets: new Float32Array(n), masks, ownershipTargets, count: n };
}

describe('ownership head', () => {
  it('adds a 1x1 convolution of the value features and returns one logit per cell in row-major order', () => {
    const game = createGame('connect4');
    const plain = createModel(game, { filters: 16, blocks: 1 });
    const model = createModel(game, { filters: 16, blocks: 1, ownership: true });
    const names = model.specs.map((s) => s.name).filter((n) => !plain.specs.some((p) => p.name === n));
    expect(names).toEqual(['ownership/conv', 'ownership/b']);
    expect(model.specs.find((s) => s.name === 'ownership/conv')!.shape).toEqual([1, 1, model.config.valueFilters, 1]);
    const out = tf.tidy(() => {
      const r = model.forward(tf.zeros([3, game.encoding.planes.length, 6, 7]) as tf.Tensor4D);
      return [r.ownershipLogits!.shape, r.value.shape];
    });
    expect(out).toEqual([[3, 42], [3]]);
    expect(tf.tidy(() => plain.forward(tf.zeros([1, game.encoding.planes.length, 6, 7]) as tf.Tensor4D).ownershipLogits)).toBeUndefined();
    expect(() => createModel(game, { ownership: 'yes' as unknown as boolean })).toThrow(/ownership=yes; use true or false/);
    plain.dispose();
    model.dispose();
  });

  it('learns the final owners: its loss falls and its signs match the targets on occupied cells', async () => {
    const game = createGame('tictactoe');
    const model = createModel(game, { filters: 16, blocks: 1, ownership: true });
    const trainer = new Trainer(model, game, { learningRate: 0.01 });
    const batch = stoneBatch(game, 64, 3);
    const first = await trainer.trainBatch(batch);
    let last = first;
    for (let s = 0; s < 80; s++) last = await trainer.trainBatch(batch);
    // Floor: the empty cells' target 1/2 has a cross-entropy of ln 2 (x 1.5 weight x their ~40% share).
    expect(first.ownershipLoss).toBeGreaterThan(1.0);
    expect(last.ownershipLoss).toBeLessThan(0.75 * first.ownershipLoss);
    expect(last.total).toBeCloseTo(last.policyLoss + last.valueLoss + last.l2 + last.ownershipLoss, 4);
    const logits = tf.tidy(() => model.forward(tf.tensor4d(batch.inputs, [64, 3, 3, 3])).ownershipLogits!.dataSync());
    let right = 0;
    let occupied = 0;
    for (let i = 0; i < logits.length; i++) {
      const t = batch.ownershipTargets![i];
      if (t === 0) continue;
      occupied++;
      if (Math.sign(logits[i]) === t) right++;
    }
    expect(right / occupied).toBeGreaterThan(0.95);
    trainer.dispose();
    model.dispose();
  });

  it('needs ownership targets in every batch, with a clear error; models without the head report 0', async () => {
    const game = createGame('tictactoe');
    const model = createModel(game, { filters: 8, blocks: 1, ownership: true });
    const trainer = new Trainer(model, game);
    const { ownershipTargets: _dropped, ...noTargets } = stoneBatch(game, 4, 1);
    await expect(trainer.trainBatch(noTargets)).rejects.toThrow(/ownership head, so each training sample needs 3x3 ownership targets/);
    const plain = createModel(game, { filters: 8, blocks: 1 });
    const plainTrainer = new Trainer(plain, game);
    expect((await plainTrainer.trainBatch(stoneBatch(game, 4, 1))).ownershipLoss).toBe(0);
    expect(() => new Trainer(plain, game, { ownershipWeight: -1 })).toThrow(/ownership weight -1 must be >= 0/);
    for (const t of [trainer, plainTrainer]) t.dispose();
    model.dispose();
    plain.dispose();
  });

  it('moves with the board under symmetry augmentation: targets stay equal to own minus opponent stones', () => {
    const game = createGame('connect4');
    const batch = stoneBatch(game, 40, 9);
    const out = augmentWithSymmetry(game, batch, createRng('aug'));
    const planes = game.encoding.planes.length;
    let moved = 0;
    for (let i = 0; i < 40; i++) {
      for (let c = 0; c < 42; c++) {
        const expected = out.inputs[i * planes * 42 + c] - out.inputs[i * planes * 42 + 42 + c];
        expect(out.ownershipTargets![i * 42 + c]).toBe(expected);
        if (out.ownershipTargets![i * 42 + c] !== batch.ownershipTargets![i * 42 + c]) moved++;
      }
    }
    expect(moved).toBeGreaterThan(0); // some samples were mirrored
  });

  it('is left out of the ONNX export, which still matches tfjs on policy and value', async () => {
    const game = createGame('connect4');
    const model = createModel(game, { filters: 16, blocks: 1, ownership: true, seed: 4 });
    const batch = stoneBatch(game, 3, 2);
    const ref = await model.predict(batch.inputs, 3, game.shape);
    const ort = await OrtEvaluator.create(await onnxModelBytes(model), game);
    const got = await ort.run(batch.inputs, 3);
    for (let i = 0; i < ref.logits.length; i++) expect(got.logits[i]).toBeCloseTo(ref.logits[i], 4);
    for (let i = 0; i < 3; i++) expect(got.value[i]).toBeCloseTo(ref.value[i], 4);
    await ort.close();
    model.dispose();
  });
});
