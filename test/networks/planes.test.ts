import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGame } from '../../src/envs/index.js';
import {
  OrtEvaluator, TfjsEvaluator, Trainer, createModel, exportOnnx, loadCheckpoint, loadModelEvaluator, mapPlanes, onnxInputPlanes, onnxModelBytes,
  saveCheckpoint, selectBackend,
} from '../../src/networks/index.js';

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
});

describe('mapPlanes', () => {
  it('maps each target plane to the source plane of the same name', () => {
    const m = mapPlanes(['own:stone', 'opp:stone', 'cell:exists'], ['cell:exists', 'own:stone', 'opp:stone']);
    expect(m.sourceIndex).toEqual([2, 0, 1]);
    expect(m.missing).toEqual([]);
    expect(m.extra).toEqual([]);
    expect(m.identical).toBe(false);
    expect(mapPlanes(['a', 'b'], ['a', 'b'])).toEqual({ sourceIndex: [0, 1], missing: [], extra: [], identical: true });
  });

  it('gives -1 for target planes the source lacks, and lists the source planes the target drops', () => {
    // Tic-tac-toe's planes onto Hex's (which adds side:first-player), and Connect Four's onto Hex's.
    const ttt = createGame('tictactoe').encoding.planes;
    const hex = createGame('hex:size=5').encoding.planes;
    const c4 = createGame('connect4').encoding.planes;
    expect(mapPlanes(ttt, hex)).toEqual({ sourceIndex: [0, 1, 2, -1], missing: ['side:first-player'], extra: [], identical: false });
    expect(mapPlanes(c4, hex)).toEqual({ sourceIndex: [0, 1, 2, 3], missing: [], extra: ['own:threat', 'opp:threat', 'cell:odd-row', 'cell:playable'], identical: false });
    expect(mapPlanes([], ['x']).sourceIndex).toEqual([-1]);
  });

  it('refuses a list that names a plane twice', () => {
    expect(() => mapPlanes(['own:stone', 'own:stone'], ['own:stone'])).toThrow(/input plane "own:stone" is named twice/);
    expect(() => mapPlanes(['own:stone'], ['opp:stone', 'opp:stone'])).toThrow(/input plane "opp:stone" is named twice/);
  });
});

describe('a network on a game whose planes differ: one clear error everywhere', () => {
  const ttt = createGame('tictactoe');
  const hex = createGame('hex:size=3');
  const wording = /does not match the input planes of hex:size=3: hex:size=3 encodes side:first-player, which .* does not read; retrain for hex:size=3, or build a hex:size=3 model and carry the stem and trunk over with loadModules/;

  it('tfjs evaluator, trainer, ONNX export, ONNX Runtime evaluator and checkpoint saving', async () => {
    const model = createModel(ttt, { filters: 4, blocks: 1 });
    expect(() => new TfjsEvaluator(model, hex)).toThrow(wording);
    expect(() => new Trainer(model, hex)).toThrow(wording);
    const dir = mkdtempSync(join(tmpdir(), 'arbor-planes-'));
    await expect(exportOnnx(model, hex, join(dir, 'x.onnx'))).rejects.toThrow(wording);
    const bytes = await onnxModelBytes(model);
    expect(onnxInputPlanes(bytes)).toEqual([...ttt.encoding.planes]);
    await expect(OrtEvaluator.create(bytes, hex)).rejects.toMatchObject({ name: 'ArborError', message: expect.stringMatching(/^the ONNX model does not match the input planes of hex:size=3: hex:size=3 encodes side:first-player/) });
    await expect(saveCheckpoint(join(dir, 'ck'), { model, game: hex })).rejects.toThrow(/the model does not match the input planes of hex:size=3.*save it with the game it was built for/);
    model.dispose();
  });

  it('a checkpoint of the same game saved with another encoding names the missing and extra planes', async () => {
    const c4 = createGame('connect4');
    const model = createModel(c4, { filters: 4, blocks: 1 });
    const dir = join(mkdtempSync(join(tmpdir(), 'arbor-planes-')), 'ck');
    await saveCheckpoint(dir, { model, game: c4 });
    const metaPath = join(dir, 'meta.json');
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { encodingPlanes: string[] };
    // As an older encoding would have been: no odd-row plane, and a plane today's game does not write.
    meta.encodingPlanes = [...meta.encodingPlanes.filter((p) => p !== 'cell:odd-row'), 'own:height'];
    writeFileSync(metaPath, JSON.stringify(meta));
    const expected = new RegExp(`^checkpoint ${dir} does not match the input planes of connect4: connect4 encodes cell:odd-row, which checkpoint ${dir} does not read; checkpoint ${dir} reads own:height, which connect4 does not encode; retrain for connect4`);
    await expect(loadCheckpoint(dir, c4)).rejects.toMatchObject({ name: 'ArborError', message: expect.stringMatching(expected) });
    await expect(loadModelEvaluator(dir, c4)).rejects.toThrow(expected);
    // The same planes in another order are refused too (the stem's weights would read the wrong planes).
    meta.encodingPlanes = [...c4.encoding.planes].reverse();
    writeFileSync(metaPath, JSON.stringify(meta));
    await expect(loadCheckpoint(dir, c4)).rejects.toThrow(/reads the same planes in another order/);
    model.dispose();
  });
});
