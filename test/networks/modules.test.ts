import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Game } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import {
  PolicyValueModel, architectureFor, createModel, defaultModelConfig, loadModules, moduleWeights, saveCheckpoint, selectBackend, writeModuleWeights,
  type Architecture, type ModelConfig,
} from '../../src/networks/index.js';

/**
 * Weights by module: read one module out of a network and load modules into another network —
 * of the same game, or of another game with the stem's input planes mapped by name.
 */

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
});

const SMALL: Partial<ModelConfig> = { filters: 8, blocks: 2, poolEvery: 2, policyFilters: 4, valueFilters: 4, valueHidden: 8 };

/** Random batch-norm statistics and biases, so that every loaded value matters. */
function perturb(model: PolicyValueModel, seed: number): PolicyValueModel {
  const rng = createRng(seed);
  const weights = model.readWeightsSync();
  for (const spec of model.specs) {
    const w = weights.get(spec.name)!;
    if (spec.kind === 'var' || spec.kind === 'gamma') for (let i = 0; i < w.length; i++) w[i] = 0.5 + rng.next();
    if (spec.kind === 'mean' || spec.kind === 'beta' || spec.kind === 'bias') for (let i = 0; i < w.length; i++) w[i] = 0.3 * rng.normal();
  }
  model.writeWeights(weights);
  return model;
}

function arch(game: Game, config: Partial<ModelConfig>, change: Partial<Architecture> = {}): Architecture {
  return { ...architectureFor(game, { ...defaultModelConfig(game), ...config }), ...change };
}

/** NCHW inputs of `planes` planes, each plane's values drawn from {0,1}; planes named in `zero` stay 0. */
function inputs(planes: readonly string[], count: number, rows: number, cols: number, seed: number, zero: readonly string[] = []): Float32Array {
  const rng = createRng(seed);
  const cells = rows * cols;
  const out = new Float32Array(count * planes.length * cells);
  for (let n = 0; n < count; n++) {
    planes.forEach((name, p) => {
      if (zero.includes(name)) return;
      for (let c = 0; c < cells; c++) out[(n * planes.length + p) * cells + c] = rng.next() < 0.4 ? 1 : 0;
    });
  }
  return out;
}

/** The same positions with their planes rearranged for another plane list (planes the source lacks: random values). */
function rearrange(x: Float32Array, from: readonly string[], to: readonly string[], count: number, cells: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(count * to.length * cells);
  for (let n = 0; n < count; n++) {
    to.forEach((name, t) => {
      const s = from.indexOf(name);
      for (let c = 0; c < cells; c++) out[(n * to.length + t) * cells + c] = s >= 0 ? x[(n * from.length + s) * cells + c] : rng.next() < 0.5 ? 1 : 0;
    });
  }
  return out;
}

function trunkOutput(model: PolicyValueModel, x: Float32Array, count: number, rows: number, cols: number): Float32Array {
  return tf.tidy(() => model.intermediate(tf.tensor4d(x, [count, model.architecture.inputPlanes.length, rows, cols]), model.description.outputs.trunk).dataSync() as Float32Array);
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function expectSameWeights(a: PolicyValueModel, b: PolicyValueModel, names: readonly string[]): void {
  const wa = a.readWeightsSync();
  const wb = b.readWeightsSync();
  for (const name of names) expect(Buffer.from(wb.get(name)!.buffer).equals(Buffer.from(wa.get(name)!.buffer)), name).toBe(true);
}

describe('moduleWeights', () => {
  it('reads whole parameters, and a policy head as its index of the shared output layers', () => {
    const game = createGame('othello:size=6');
    const model = perturb(createModel(game, SMALL), 1);
    const all = model.readWeightsSync();
    const trunk = moduleWeights(model, 'trunk');
    expect(trunk.kind).toBe('trunk');
    expect(trunk.config).toEqual({ filters: 8, blocks: 2, poolEvery: 2 });
    expect(trunk.tensors.map((t) => t.name)).toEqual(model.specs.filter((s) => s.name.startsWith('block')).map((s) => s.name));
    for (const t of trunk.tensors) expect(t.data).toEqual(all.get(t.name));

    const place = moduleWeights(model, 'policy:place');
    expect(place.writes).toEqual([{ name: 'place', extent: 'cell' }]);
    expect(place.tensors.map((t) => [t.name, t.shape])).toEqual([['policy/out', [1, 1, 4, 1]], ['policy/out/b', [1]]]);
    expect(Array.from(place.tensors[0].data)).toEqual(Array.from(all.get('policy/out')!)); // one action plane: the whole layer
    const pass = moduleWeights(model, 'policy:pass');
    expect(pass.writes).toEqual([{ name: 'pass', extent: 'global' }]);
    expect(pass.tensors.map((t) => [t.name, t.shape])).toEqual([['policy/global/w', [8, 1]], ['policy/global/b', [1]]]);

    const bt = perturb(createModel(createGame('breakthrough:rows=5,cols=5'), SMALL), 2);
    const out = bt.readWeightsSync().get('policy/out')!; // [1,1,4,6]: channel k of input c at c*6+k
    const ne = moduleWeights(bt, 'policy:move:NE').tensors[0];
    expect(Array.from(ne.data)).toEqual([0, 1, 2, 3].map((c) => out[c * 6 + 1]));
    expect(() => moduleWeights(bt, 'trunc')).toThrow(/has no module "trunc"; did you mean trunk\? its modules: stem, trunk, policy, policy:move:N, /);
    for (const m of [model, bt]) m.dispose();
  });
});

describe('loadModules', () => {
  it('stem and trunk of tic-tac-toe into a fresh Hex model: the trunk computes what the source computed, whatever the new plane holds', async () => {
    const ttt = createGame('tictactoe');
    const hex = createGame('hex:size=3');
    const source = perturb(createModel(ttt, SMALL), 3);
    const target = createModel(hex, { ...SMALL, seed: 9 });
    const fresh = createModel(hex, { ...SMALL, seed: 9 });
    const report = await loadModules(target, source, ['stem', 'trunk']);
    expect(report.loaded).toEqual(['stem', 'trunk']);
    expect(report.planes).toMatchObject({ sourceIndex: [0, 1, 2, -1], missing: ['side:first-player'], extra: [] });
    // The new plane's stem weights are zero; the shared planes' are the source's.
    const stem = target.v('stem/conv').arraySync() as number[][][][];
    const sourceStem = source.v('stem/conv').arraySync() as number[][][][];
    for (const row of stem) for (const col of row) {
      expect(col[3].every((w) => w === 0)).toBe(true);
    }
    expect(stem.map((r) => r.map((c) => c.slice(0, 3)))).toEqual(sourceStem);

    const count = 5;
    const x = inputs(ttt.encoding.planes, count, 3, 3, 1);
    const want = trunkOutput(source, x, count, 3, 3);
    for (const seed of [10, 11]) {
      const got = trunkOutput(target, rearrange(x, ttt.encoding.planes, hex.encoding.planes, count, 9, seed), count, 3, 3);
      expect(maxDiff(got, want)).toBeLessThan(1e-5);
    }
    // The heads stay freshly initialised.
    expectSameWeights(target, fresh, target.specs.filter((s) => !/^(stem|block)/.test(s.name)).map((s) => s.name));
    for (const m of [source, target, fresh]) m.dispose();
  });

  it('reads a checkpoint folder; reordered planes and planes the target lacks are mapped by name', async () => {
    const c4 = createGame('connect4');
    const source = perturb(createModel(c4, SMALL), 4);
    const dir = join(mkdtempSync(join(tmpdir(), 'arbor-modules-')), 'c4');
    await saveCheckpoint(dir, { model: source, game: c4 });
    // A made-up game: some of Connect Four's planes in another order, and one of its own.
    const planes = ['cell:exists', 'opp:stone', 'new:plane', 'own:stone'];
    const target = new PolicyValueModel(arch(createGame('gomoku:size=7,k=4'), SMALL, { inputPlanes: planes }));
    const report = await loadModules(target, dir, ['stem', 'trunk']);
    expect(report.planes).toEqual({
      sourceIndex: [2, 1, -1, 0],
      missing: ['new:plane'],
      extra: ['side:first-player', 'own:threat', 'opp:threat', 'cell:odd-row', 'cell:playable'],
      identical: false,
    });
    // Equal to the source on positions whose planes the target lacks are zero (any board size: the trunk is convolutional).
    const count = 4;
    const x = inputs(c4.encoding.planes, count, 7, 7, 2, report.planes!.extra);
    const got = trunkOutput(target, rearrange(x, c4.encoding.planes, planes, count, 49, 3), count, 7, 7);
    expect(maxDiff(got, trunkOutput(source, x, count, 7, 7))).toBeLessThan(1e-5);
    for (const m of [source, target]) m.dispose();
  });

  it('takes an explicit plane map (Breakthrough pawns as Gomoku stones) and checks it', async () => {
    const bt = createGame('breakthrough:rows=5,cols=5');
    const gomoku = createGame('gomoku:size=5,k=4');
    const source = perturb(createModel(bt, SMALL), 5);
    const target = createModel(gomoku, SMALL);
    expect(gomoku.encoding.planes).toEqual(['own:stone', 'opp:stone', 'cell:exists']);
    const report = await loadModules(target, source, ['stem', 'trunk'], { planeMap: [0, 1, 2] });
    expect(report.planes).toEqual({ sourceIndex: [0, 1, 2], missing: [], extra: ['side:first-player'], identical: false });
    const x = inputs(bt.encoding.planes, 3, 5, 5, 6, ['side:first-player']);
    const got = trunkOutput(target, rearrange(x, bt.encoding.planes, ['own:pawn', 'opp:pawn', 'cell:exists'], 3, 25, 7), 3, 5, 5);
    expect(maxDiff(got, trunkOutput(source, x, 3, 5, 5))).toBeLessThan(1e-5);
    await expect(loadModules(target, source, ['stem'], { planeMap: [0, 1] })).rejects.toThrow(/planeMap has 2 entries but the target network reads 3 planes/);
    await expect(loadModules(target, source, ['stem'], { planeMap: [0, 1, 4] })).rejects.toThrow(/planeMap entry 2 \(cell:exists\) is 4, not a source plane index in 0..3 or -1/);
    for (const m of [source, target]) m.dispose();
  });

  it('loads policy heads by action kind, wherever the kind stands in the target layout', async () => {
    const bt = createGame('breakthrough:rows=5,cols=5');
    const source = perturb(createModel(bt, SMALL), 6);
    const reversed = [...bt.actionLayout.planes].reverse();
    const target = new PolicyValueModel(arch(bt, { ...SMALL, seed: 3 }, { actionPlanes: reversed }));
    const all = source.description.modules.map((m) => m.id);
    await loadModules(target, source, all);
    const count = 2;
    const x = inputs(bt.encoding.planes, count, 5, 5, 8);
    const logits = (m: PolicyValueModel) => tf.tidy(() => m.forward(tf.tensor4d(x, [count, 4, 5, 5])).logits.arraySync() as number[][]);
    const a = logits(source);
    const b = logits(target);
    for (let n = 0; n < count; n++) {
      for (let k = 0; k < 6; k++) {
        // Target plane k is source plane 5-k; 25 cells each.
        expect(maxDiff(Float32Array.from(b[n].slice(k * 25, (k + 1) * 25)), Float32Array.from(a[n].slice((5 - k) * 25, (6 - k) * 25)))).toBeLessThan(1e-5);
      }
    }
    // One head alone moves only its own channel.
    const other = new PolicyValueModel(arch(bt, { ...SMALL, seed: 4 }, { actionPlanes: reversed }));
    const before = other.readWeightsSync().get('policy/out')!;
    writeModuleWeights(other, moduleWeights(source, 'policy:move:S'));
    const after = other.readWeightsSync().get('policy/out')!;
    const sourceOut = source.readWeightsSync().get('policy/out')!;
    for (let c = 0; c < 4; c++) {
      for (let k = 0; k < 6; k++) expect(after[c * 6 + k]).toBe(k === 2 ? sourceOut[c * 6 + 3] : before[c * 6 + k]);
    }
    for (const m of [source, target, other]) m.dispose();
  });

  it('all modules of a network into a fresh one of the same architecture: the same network', async () => {
    const game = createGame('connect4:rows=5,cols=6');
    const config = { ...SMALL, valueHead: 'wdl' as const, ownership: true };
    const source = perturb(createModel(game, config), 7);
    const target = createModel(game, { ...config, seed: 99 });
    await loadModules(target, source, source.description.modules.map((m) => m.id));
    expectSameWeights(target, source, source.specs.map((s) => s.name));
    for (const m of [source, target]) m.dispose();
  });

  it('refuses what does not fit with one clear error, and then leaves the target as it was', async () => {
    const ttt = createGame('tictactoe');
    const source = perturb(createModel(ttt, SMALL), 8);
    const wider = createModel(ttt, { ...SMALL, filters: 16 });
    const deeper = createModel(ttt, { ...SMALL, blocks: 3 });
    const before = wider.readWeightsSync();
    await expect(loadModules(wider, source, ['stem', 'trunk'])).rejects.toMatchObject({
      name: 'ArborError',
      message: 'module stem was built with filters=8, the target network has filters=16; build the target with the module\'s filters to load it',
    });
    expectSameWeights(wider, { readWeightsSync: () => before } as unknown as PolicyValueModel, wider.specs.map((s) => s.name));
    await expect(loadModules(deeper, source, ['stem', 'trunk'])).rejects.toThrow(/module trunk was built with filters=8, blocks=2, poolEvery=2, the target network has filters=8, blocks=3, poolEvery=2; build the target with the module's blocks/);
    expect(deeper.v('stem/bn/beta').dataSync()).not.toEqual(source.v('stem/bn/beta').dataSync()); // the stem was not written either

    const cells = createModel(ttt, { ...SMALL, valueInput: 'cells' });
    await expect(loadModules(cells, source, ['value'])).rejects.toThrow(/module value was built with .*valueInput=pool.* the target network has .*valueInput=cells.*valueCells=9/);
    const othello = perturb(createModel(createGame('othello:size=6'), SMALL), 9);
    await expect(loadModules(source, othello, ['policy:pass'])).rejects.toThrow(/the target network has no module "policy:pass"; .*its modules: stem, trunk, policy, policy:place, value/);
    const c4 = createModel(createGame('connect4'), SMALL);
    const cellDrop = new PolicyValueModel(arch(createGame('connect4'), SMALL, { actionPlanes: [{ name: 'drop', extent: 'cell' }] }));
    await expect(loadModules(cellDrop, c4, ['policy:drop'])).rejects.toThrow(/policy head policy:drop writes column actions, the target's cell actions/);
    await expect(loadModules(cellDrop, c4, [])).rejects.toThrow(/no modules to load/);
    await expect(loadModules(cellDrop, c4, ['stem', 'stem'])).rejects.toThrow(/module stem is named twice/);
    for (const m of [source, wider, deeper, cells, othello, c4, cellDrop]) m.dispose();
  });
});
