import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGame } from '../../src/envs/index.js';
import { createRng, type Game } from '../../src/core/index.js';
import {
  OrtEvaluator, TfjsEvaluator, Trainer, augmentWithSymmetry, createModel, loadCheckpoint, loadModelEvaluator,
  onnxModelBytes, resolveCheckpointDir, saveCheckpoint, selectBackend, type PolicyValueModel,
} from '../../src/networks/index.js';

const GAMES = ['tictactoe', 'connect4', 'gomoku', 'othello', 'hex', 'breakthrough'];

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
});

/** Random batch-norm statistics and affine parameters, so that folding them into the convs is really exercised. */
function randomizeBatchNorm(model: PolicyValueModel, seed: number): void {
  const rng = createRng(seed);
  const weights = model.readWeightsSync();
  for (const spec of model.specs) {
    const w = weights.get(spec.name)!;
    if (spec.kind === 'mean' || spec.kind === 'beta') for (let i = 0; i < w.length; i++) w[i] = 0.3 * rng.normal();
    if (spec.kind === 'var' || spec.kind === 'gamma') for (let i = 0; i < w.length; i++) w[i] = 0.5 + rng.next();
    if (spec.kind === 'bias') for (let i = 0; i < w.length; i++) w[i] = 0.1 * rng.normal();
  }
  model.writeWeights(weights);
}

function randomInputs(game: Game, count: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const size = game.encoding.planes.length * game.shape.rows * game.shape.cols;
  return Float32Array.from({ length: count * size }, () => (rng.next() < 0.3 ? 1 : 0));
}

/** Runs `count` random positions through tfjs and the exported ONNX model, expects agreement to 1e-4, returns the ONNX outputs. */
async function expectOnnxAgrees(model: PolicyValueModel, game: Game, count: number, seed: number): Promise<{ logits: Float32Array; value: Float32Array }> {
  const inputs = randomInputs(game, count, seed);
  const ref = await model.predict(inputs, count, game.shape);
  const ort = await OrtEvaluator.create(await onnxModelBytes(model), game);
  const got = await ort.run(inputs, count);
  await ort.close();
  expect(maxRelDiff(got.logits, ref.logits)).toBeLessThan(1e-4);
  expect(maxRelDiff(got.value, ref.value)).toBeLessThan(1e-4);
  return got;
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 1;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m / scale;
}

/** Plays a random game of `game` for `moves` moves (or until the end). */
function randomState(game: Game, moves: number, seed: number) {
  const rng = createRng(seed);
  const s = game.newInitialState();
  const legal = new Int32Array(game.numActions);
  for (let i = 0; i < moves && !s.isTerminal(); i++) s.apply(legal[rng.int(s.legalActions(legal))]);
  return s;
}

describe('ONNX export', () => {
  for (const spec of GAMES) {
    it(`agrees with tfjs to 1e-4 for the default ${spec} model`, async () => {
      const game = createGame(spec);
      const model = createModel(game, { seed: 7 });
      randomizeBatchNorm(model, 11);
      const got = await expectOnnxAgrees(model, game, 3, 5);
      expect(got.logits.length).toBe(3 * game.numActions);
      expect(got.value.length).toBe(3);
      model.dispose();
    });
  }

  it('agrees for a win/draw/loss value head too', async () => {
    const game = createGame('othello:size=6');
    const model = createModel(game, { filters: 16, blocks: 2, valueHead: 'wdl' });
    randomizeBatchNorm(model, 3);
    await expectOnnxAgrees(model, game, 4, 9);
    model.dispose();
  });
});

describe('flattened value head (valueInput: cells)', () => {
  it('agrees between tfjs and ONNX on a non-square board, and refuses another board size', async () => {
    const game = createGame('connect4');
    const model = createModel(game, { filters: 16, blocks: 2, valueInput: 'cells', valueFilters: 3, valueHidden: 8 });
    expect(model.config.valueCells).toBe(42);
    expect(model.v('value/fc1/w').shape).toEqual([42 * 3, 8]);
    randomizeBatchNorm(model, 5);
    // Against tfjs's NHWC flattening, so a wrong cell order in the export fails here (6x7 is not square).
    await expectOnnxAgrees(model, game, 4, 13);
    const small = createGame('connect4:rows=5,cols=6');
    await expect(model.predict(randomInputs(small, 1, 2), 1, small.shape)).rejects.toThrow(/reads a board of 42 cells, not 5x6/);
    model.dispose();
  });

  it('rejects an unknown valueInput, and a valueCells that does not match the board', () => {
    expect(() => createModel(createGame('connect4'), { valueInput: 'flat' as 'cells' })).toThrow(/valueInput="flat"; use pool or cells/);
    expect(() => createModel(createGame('connect4'), { valueInput: 'cells', valueCells: 30 })).toThrow(/valueCells=30 does not match the 6x7 board/);
  });
});

describe('size independence', () => {
  it('one set of weights evaluates connect4 6x7 and 5x6, in tfjs and from one ONNX file', async () => {
    const big = createGame('connect4');
    const small = createGame('connect4:rows=5,cols=6');
    const model = createModel(big, { filters: 16, blocks: 2 });
    randomizeBatchNorm(model, 4);
    const onnx = await onnxModelBytes(model);
    for (const game of [big, small]) {
      const states = [randomState(game, 5, 1), randomState(game, 9, 2)];
      const policy = new Float32Array(2 * game.numActions);
      const value = new Float32Array(2);
      await new TfjsEvaluator(model, game).evaluate(states, 2, policy, value);
      const ortEval = await OrtEvaluator.create(onnx, game);
      const policy2 = new Float32Array(2 * game.numActions);
      const value2 = new Float32Array(2);
      await ortEval.evaluate(states, 2, policy2, value2);
      expect(game.numActions).toBe(game.shape.cols);
      for (let i = 0; i < 2; i++) {
        const sum = policy.subarray(i * game.numActions, (i + 1) * game.numActions).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 5);
      }
      expect(maxRelDiff(policy2, policy)).toBeLessThan(1e-4);
      expect(maxRelDiff(value2, value)).toBeLessThan(1e-4);
    }
    model.dispose();
  });
});

describe('evaluators', () => {
  it('symmetric: the mean of the plain evaluations of a position and of its mirror image, for both engines', async () => {
    const c4 = createGame('connect4');
    const model = createModel(c4, { filters: 8, blocks: 1 });
    randomizeBatchNorm(model, 5);
    const onnx = await onnxModelBytes(model);
    const [mirror] = c4.symmetries;
    const moves = [0, 0, 1, 3, 6, 6, 6, 5, 4]; // column 1 holds two stones; columns 7 three
    const s = c4.newInitialState();
    const image = c4.newInitialState();
    for (const a of moves) {
      s.apply(a);
      image.apply(mirror.actionMap[a]);
    }
    const plain = [new TfjsEvaluator(model, c4), await OrtEvaluator.create(onnx, c4)];
    const symmetric = [new TfjsEvaluator(model, c4, { symmetric: true }), await OrtEvaluator.create(onnx, c4, { symmetric: true })];
    for (let e = 0; e < 2; e++) {
      const p = new Float32Array(14);
      const v = new Float32Array(2);
      await plain[e].evaluate([s, image], 2, p, v);
      const sp = new Float32Array(14);
      const sv = new Float32Array(2);
      // Two positions in one call: each gets its own average.
      await symmetric[e].evaluate([s, image], 2, sp, sv);
      expect(v[0]).not.toBeCloseTo(v[1], 4); // the net itself is not mirror-invariant
      expect(sv[0]).toBeCloseTo((v[0] + v[1]) / 2, 5);
      expect(sv[1]).toBeCloseTo(sv[0], 5);
      for (let a = 0; a < 7; a++) {
        const mean = (p[a] + p[7 + mirror.actionMap[a]]) / 2;
        expect(sp[a]).toBeCloseTo(mean, 5);
        expect(sp[7 + mirror.actionMap[a]]).toBeCloseTo(sp[a], 5);
      }
      expect(sp.subarray(0, 7).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
    }
    expect(symmetric[1].name).toMatch(/symmetric x2/);
    model.dispose();
  });

  it('give exactly zero policy to illegal actions (full connect4 columns, othello pass)', async () => {
    const c4 = createGame('connect4');
    const s = c4.parseState('444444'); // column 4 is full
    const model = createModel(c4, { filters: 8, blocks: 1 });
    const onnx = await onnxModelBytes(model);
    for (const ev of [new TfjsEvaluator(model, c4), await OrtEvaluator.create(onnx, c4)]) {
      const policy = new Float32Array(7);
      const value = new Float32Array(1);
      await ev.evaluate([s], 1, policy, value);
      expect(policy[3]).toBe(0);
      expect(policy.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(Math.abs(value[0])).toBeLessThanOrEqual(1);
    }
    const oth = createGame('othello');
    const om = createModel(oth, { filters: 8, blocks: 1 });
    const start = oth.newInitialState();
    const policy = new Float32Array(oth.numActions);
    await new TfjsEvaluator(om, oth).evaluate([start], 1, policy, new Float32Array(1));
    const mask = new Uint8Array(oth.numActions);
    start.legalMask(mask);
    let legalMass = 0;
    for (let a = 0; a < oth.numActions; a++) {
      if (!mask[a]) expect(policy[a]).toBe(0);
      else legalMass += policy[a];
    }
    expect(mask.reduce((a, b) => a + b, 0)).toBe(4); // the four opening moves; pass is illegal
    expect(legalMass).toBeCloseTo(1, 5);
    model.dispose();
    om.dispose();
  });
});

describe('training', () => {
  it('a tiny net overfits one batch', async () => {
    const game = createGame('tictactoe');
    const model = createModel(game, { filters: 16, blocks: 1, seed: 3 });
    const trainer = new Trainer(model, game, { optimizer: 'adam', learningRate: 0.01, l2: 0 });
    const n = 16;
    const A = game.numActions;
    const inputs = new Float32Array(n * 27);
    const policyTargets = new Float32Array(n * A);
    const masks = new Uint8Array(n * A);
    const valueTargets = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const s = randomState(game, i % 5, 100 + i);
      s.encode(inputs, i * 27);
      s.legalMask(masks.subarray(i * A, (i + 1) * A));
      const legal = [...masks.subarray(i * A, (i + 1) * A)].flatMap((m, a) => (m ? [a] : []));
      // Targets are a function of the position, so repeated positions never get conflicting targets.
      const h = s.hash();
      policyTargets[i * A + legal[h % legal.length]] = 1;
      valueTargets[i] = [-1, 0, 1][Math.floor(h / 7) % 3];
    }
    const batch = { inputs, policyTargets, valueTargets, masks, count: n };
    const first = await trainer.trainBatch(batch);
    let last = first;
    for (let step = 0; step < 150; step++) last = await trainer.trainBatch(batch);
    expect(first.policyLoss).toBeGreaterThan(1.2); // about ln(#legal moves) at the start
    expect(last.policyLoss).toBeLessThan(0.15);
    expect(last.valueLoss).toBeLessThan(0.1);
    expect(trainer.step).toBe(151);
    model.dispose();
  });

  it('SGD with momentum lowers the loss too', async () => {
    const game = createGame('connect4');
    const model = createModel(game, { filters: 8, blocks: 1 });
    const trainer = new Trainer(model, game, { optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, schedule: { type: 'cosine', totalSteps: 40 } });
    const n = 8;
    const size = game.encoding.planes.length * 42;
    const inputs = new Float32Array(n * size);
    const masks = new Uint8Array(n * 7).fill(1);
    const policyTargets = new Float32Array(n * 7);
    for (let i = 0; i < n; i++) {
      randomState(game, i, i).encode(inputs, i * size);
      policyTargets[i * 7 + (i % 7)] = 1;
    }
    const batch = { inputs, policyTargets, valueTargets: new Float32Array(n).fill(0.5), masks, count: n };
    const first = await trainer.trainBatch(batch);
    let last = first;
    for (let i = 0; i < 40; i++) last = await trainer.trainBatch(batch);
    expect(last.total).toBeLessThan(first.total * 0.5);
    model.dispose();
  });

  it('symmetry augmentation moves inputs by cellMap and targets by actionMap', () => {
    const game = createGame('connect4');
    const s = game.parseState('1');
    const inputs = new Float32Array(game.encoding.planes.length * 42);
    s.encode(inputs, 0);
    const policyTargets = new Float32Array(7);
    policyTargets[0] = 1;
    const masks = new Uint8Array(7).fill(1);
    masks[1] = 0;
    let flipped = 0;
    for (let seed = 0; seed < 20; seed++) {
      const out = augmentWithSymmetry(game, { inputs, policyTargets, valueTargets: new Float32Array([0.5]), masks, count: 1 }, createRng(seed));
      if (out.policyTargets[6] === 1) {
        flipped++;
        expect(out.masks[5]).toBe(0);
        // The opponent's stone (plane 1) sits in the bottom-left cell; flipped, in the bottom-right.
        expect(out.inputs[42 + 5 * 7 + 6]).toBe(1);
        expect(out.inputs[42 + 5 * 7 + 0]).toBe(0);
      } else {
        expect(out.policyTargets[0]).toBe(1);
        expect(out.inputs).toEqual(inputs);
      }
      expect(out.valueTargets[0]).toBe(0.5);
    }
    expect(flipped).toBeGreaterThan(0);
    expect(flipped).toBeLessThan(20);
  });
});

describe('checkpoints', () => {
  it('round-trip bit-exactly (weights, statistics, optimizer state) and keep training identically', async () => {
    const game = createGame('connect4');
    const model = createModel(game, { filters: 8, blocks: 2 });
    const trainer = new Trainer(model, game, { optimizer: 'adam', learningRate: 0.01 });
    const n = 4;
    const inputs = randomInputs(game, n, 1);
    const batch = { inputs, policyTargets: new Float32Array(n * 7).fill(1 / 7), valueTargets: new Float32Array(n).fill(1), masks: new Uint8Array(n * 7).fill(1), count: n };
    await trainer.trainBatch(batch);
    await trainer.trainBatch(batch);
    const dir = join(mkdtempSync(join(tmpdir(), 'arbor-ckpt-')), 'ck');
    await saveCheckpoint(dir, { model, trainer, game, meta: { seed: 42 } });
    const loaded = await loadCheckpoint(dir, game);
    expect(loaded.meta.step).toBe(2);
    expect(loaded.meta.seed).toBe(42);
    expect(loaded.meta.encodingPlanes).toEqual([...game.encoding.planes]);
    const a = model.readWeightsSync();
    const b = loaded.model.readWeightsSync();
    for (const [name, w] of a) expect(Buffer.from(b.get(name)!.buffer).equals(Buffer.from(w.buffer)), name).toBe(true);
    const trainer2 = new Trainer(loaded.model, game, loaded.optimizer!.options);
    trainer2.writeState(loaded.optimizer!);
    const l1 = await trainer.trainBatch(batch);
    const l2 = await trainer2.trainBatch(batch);
    expect(l2.total).toBe(l1.total);
    const a2 = model.readWeightsSync();
    const b2 = loaded.model.readWeightsSync();
    for (const [name, w] of a2) expect(Buffer.from(b2.get(name)!.buffer).equals(Buffer.from(w.buffer)), name).toBe(true);

    // The ONNX file in the folder runs; a run folder resolves to checkpoints/latest.
    const evaluator = await loadModelEvaluator(dir, game);
    const policy = new Float32Array(7);
    await evaluator.evaluate([game.newInitialState()], 1, policy, new Float32Array(1));
    expect(policy.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
    const run = mkdtempSync(join(tmpdir(), 'arbor-run-'));
    await saveCheckpoint(join(run, 'checkpoints', 'latest'), { model, game });
    expect(resolveCheckpointDir(run)).toBe(join(run, 'checkpoints', 'latest'));
    model.dispose();
    loaded.model.dispose();
  });

  it('refuse the wrong game and corrupt files with one clear ArborError', async () => {
    const game = createGame('connect4');
    const model = createModel(game, { filters: 8, blocks: 1 });
    const dir = join(mkdtempSync(join(tmpdir(), 'arbor-ckpt-')), 'ck');
    await saveCheckpoint(dir, { model, game });
    await expect(loadCheckpoint(dir, createGame('tictactoe'))).rejects.toThrow(/is for connect4, not tictactoe/);
    await expect(loadModelEvaluator(dir, createGame('othello'))).rejects.toThrow(/is for connect4/);
    // Another size of the same family is fine (the net is size-independent).
    await expect(loadCheckpoint(dir, createGame('connect4:rows=5,cols=6'))).resolves.toBeDefined();
    const bytes = readFileSync(join(dir, 'weights.bin'));
    bytes[17] ^= 0xff;
    writeFileSync(join(dir, 'weights.bin'), bytes);
    await expect(loadCheckpoint(dir, game)).rejects.toMatchObject({ name: 'ArborError', message: expect.stringMatching(/corrupt \(checksum mismatch\)/) });
    writeFileSync(join(dir, 'meta.json'), '{"format": "arbor-checkpoint", ');
    await expect(loadCheckpoint(dir, game)).rejects.toThrow(/corrupt \(not valid JSON\)/);
    const empty = mkdtempSync(join(tmpdir(), 'arbor-empty-'));
    mkdirSync(join(empty, 'x'));
    expect(() => resolveCheckpointDir(empty)).toThrow(/neither a checkpoint folder/);
    model.dispose();
  });
});

describe('tensor hygiene', () => {
  it('inference leaves no tensors behind', async () => {
    const game = createGame('connect4');
    const model = createModel(game, { filters: 8, blocks: 1 });
    const before = tf.memory().numTensors;
    await model.predict(randomInputs(game, 2, 1), 2, game.shape);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
