import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGame } from '../../src/envs/index.js';
import { createModel, saveCheckpoint, selectBackend, type ModelConfig, type PolicyValueModel } from '../../src/networks/index.js';
import { assembleNetwork, describeAssembly, resolveModuleNames, sourceEncoding } from '../../src/transfer/assemble.js';
import { maxRelativeDifference, perturb, randomPositions, tensorOf } from './helpers.js';

/**
 * Assembling a network for one game out of a network of another: the trunk computes on a target
 * position exactly what the source's trunk computes on the corresponding source position, a head
 * mapped by kind gives the same per-cell logits, and every decision is reported.
 */

const SMALL: Partial<ModelConfig> = { filters: 8, blocks: 2, poolEvery: 2, policyFilters: 4, valueFilters: 4, valueHidden: 8, seed: 5 };
const TOLERANCE = 1e-5;
const dir = mkdtempSync(join(tmpdir(), 'arbor-assemble-'));
const models: PolicyValueModel[] = [];

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
});

afterAll(() => {
  for (const m of models) m.dispose();
});

function keep<T extends PolicyValueModel>(model: T): T {
  models.push(model);
  return model;
}

/** Checks the function-preserving property of `assembled` against `source` on positions of `targetSpec`. */
async function expectPreserved(source: PolicyValueModel, assembled: PolicyValueModel, targetSpec: string, sourceIndex: readonly number[]) {
  const game = createGame(targetSpec);
  const { rows, cols } = game.shape;
  const count = 6;
  const target = randomPositions(game, count, 11);
  const mapped = sourceEncoding(sourceIndex, source.architecture.inputPlanes.length, target, count, rows * cols);
  const trunk = source.description.outputs.trunk;
  const trunkDiff = maxRelativeDifference(tensorOf(assembled, target, count, rows, cols, trunk), tensorOf(source, mapped, count, rows, cols, trunk));
  expect(trunkDiff).toBeLessThan(TOLERANCE);
  const fromSource = await source.predict(mapped, count, game.shape);
  const fromAssembled = await assembled.predict(target, count, game.shape);
  expect(maxRelativeDifference(fromAssembled.value, fromSource.value)).toBeLessThan(TOLERANCE);
  return { fromSource, fromAssembled, count, rows, cols };
}

describe('assembleNetwork', () => {
  it('tictactoe -> hex (from a checkpoint folder): stones and mask mapped, side plane zero; trunk, place logits and value preserved', async () => {
    const tictactoe = createGame('tictactoe');
    const source = keep(perturb(createModel(tictactoe, SMALL), 1));
    const checkpoint = join(dir, 'ttt');
    await saveCheckpoint(checkpoint, { model: source, game: tictactoe });
    const assembled = await assembleNetwork(createGame('hex:size=5'), checkpoint);
    keep(assembled.model);
    expect(assembled.model.config).toMatchObject({ filters: 8, blocks: 2, policyFilters: 4, seed: 5 });
    expect(assembled.planes.map((d) => d.sourceIndex)).toEqual([0, 1, 2, -1]);
    expect(assembled.modules.map((d) => [d.module, d.source])).toEqual([
      ['stem', 'stem'], ['trunk', 'trunk'], ['policy', 'policy'], ['value', 'value'], ['policy:place', 'policy:place'],
    ]);
    expect(assembled.modules[0].text).toBe('stem: loaded (3 of 4 planes mapped by role, the others zero)');
    // The side plane's stem weights are zero, the others the source's.
    const stem = assembled.model.readWeightsSync().get('stem/conv')!;
    const planes = 4;
    for (let i = 0; i < stem.length; i++) {
      const plane = Math.floor(i / 8) % planes;
      if (plane === 3) expect(stem[i]).toBe(0);
    }
    const { fromSource, fromAssembled } = await expectPreserved(source, assembled.model, 'hex:size=5', assembled.planes.map((d) => d.sourceIndex));
    expect(maxRelativeDifference(fromAssembled.logits, fromSource.logits)).toBeLessThan(TOLERANCE);
    const lines = describeAssembly(assembled);
    expect(lines[0]).toMatch(/^from checkpoint .*ttt \(tictactoe, step 0\)$/);
    expect(lines).toContain('  plane side:first-player: no source plane, zero stem weights (the source has no side:* plane)');
    expect(lines).toContain('  module policy:place: loaded from policy:place (same kind)');
  });

  it('gomoku -> connect4 (from a model): drop starts from place, its column logits are the means of the place logits', async () => {
    const source = keep(perturb(createModel(createGame('gomoku:size=7,k=4'), SMALL), 2));
    const assembled = await assembleNetwork(createGame('connect4:rows=5,cols=6'), source);
    keep(assembled.model);
    expect(assembled.actions.map((d) => [d.target, d.source, d.rule])).toEqual([['drop', 'place', 'family']]);
    expect(assembled.planes.filter((d) => d.rule === 'none').map((d) => d.target)).toEqual(['side:first-player', 'own:threat', 'opp:threat', 'cell:odd-row', 'cell:playable']);
    const { fromSource, fromAssembled, count, rows, cols } = await expectPreserved(source, assembled.model, 'connect4:rows=5,cols=6', assembled.planes.map((d) => d.sourceIndex));
    const columnMeans = new Float32Array(count * cols);
    for (let n = 0; n < count; n++) {
      for (let c = 0; c < cols; c++) {
        let sum = 0;
        for (let r = 0; r < rows; r++) sum += fromSource.logits[n * rows * cols + r * cols + c];
        columnMeans[n * cols + c] = sum / rows;
      }
    }
    expect(maxRelativeDifference(fromAssembled.logits, columnMeans)).toBeLessThan(TOLERANCE);
    expect(assembled.modules.find((m) => m.module === 'policy:drop')!.text).toContain('policy:drop: loaded from policy:place (drop <- place (family');
  });

  it('connect4 5x6 -> 6x7 (from a run folder), with an ownership head added: everything else carries over unchanged', async () => {
    const small = createGame('connect4:rows=5,cols=6');
    const source = keep(perturb(createModel(small, SMALL), 3));
    const run = join(dir, 'run-c4');
    await saveCheckpoint(join(run, 'checkpoints', 'latest'), { model: source, game: small });
    const assembled = await assembleNetwork(createGame('connect4'), run, { config: { ownership: true, seed: 9 } });
    keep(assembled.model);
    expect(assembled.planes.every((d) => d.rule === 'exact')).toBe(true);
    expect(assembled.modules.find((m) => m.module === 'ownership')!.text).toBe('ownership: fresh (the source has no ownership module)');
    const { fromSource, fromAssembled } = await expectPreserved(source, assembled.model, 'connect4', [0, 1, 2, 3, 4, 5, 6, 7]);
    expect(maxRelativeDifference(fromAssembled.logits, fromSource.logits)).toBeLessThan(TOLERANCE);
  });

  it('breakthrough -> othello: pawn planes feed the stone planes; place and pass heads are fresh', async () => {
    const source = keep(perturb(createModel(createGame('breakthrough:rows=6,cols=6'), SMALL), 4));
    const assembled = await assembleNetwork(createGame('othello:size=6'), source);
    keep(assembled.model);
    expect(assembled.planes.map((d) => [d.target, d.source, d.rule])).toEqual([['own:stone', 'own:pawn', 'family'], ['opp:stone', 'opp:pawn', 'family'], ['cell:exists', 'cell:exists', 'exact']]);
    expect(assembled.modules.filter((m) => m.source === null).map((m) => m.module)).toEqual(['policy:place', 'policy:pass']);
    expect(assembled.modules.find((m) => m.module === 'policy:pass')!.text).toBe('policy:pass: fresh (pass: fresh head (the source has no head of this kind))');
    await expectPreserved(source, assembled.model, 'othello:size=6', [0, 1, 2]);
  });

  it('a source whose cells-value head fits another board size: the value head is fresh, with the reason', async () => {
    const source = keep(createModel(createGame('connect4:rows=4,cols=5'), { ...SMALL, valueInput: 'cells' }));
    const assembled = await assembleNetwork(createGame('connect4:rows=5,cols=6'), source);
    keep(assembled.model);
    const value = assembled.modules.find((m) => m.module === 'value')!;
    expect(value.source).toBeNull();
    expect(value.text).toMatch(/^value: fresh \(module value was built with .*valueCells=20.*valueCells=30/);
  });

  it('resolves module names and kinds, and names the fix for an unknown one', () => {
    const model = keep(createModel(createGame('othello:size=6'), SMALL));
    expect(resolveModuleNames(model.description, ['trunk', 'policy-head', 'value-head'], '--reinit')).toEqual(['trunk', 'policy:place', 'policy:pass', 'value']);
    expect(() => resolveModuleNames(model.description, ['trunc'], '--freeze')).toThrow(/--freeze: this network has no module "trunc"; did you mean trunk\?/);
  });

  it('an unreadable reference is one clear error', async () => {
    await expect(assembleNetwork(createGame('tictactoe'), join(dir, 'missing'))).rejects.toThrow(/does not exist; give a checkpoint folder or a run folder/);
    await expect(assembleNetwork(createGame('tictactoe'), 'nolib:foo')).rejects.toThrow(/nothing reads "nolib:" references here/);
  });
});
