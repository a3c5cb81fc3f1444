import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGame } from '../../src/envs/index.js';
import {
  OrtEvaluator, Trainer, loadCheckpoint, loadModelEvaluator, moduleWeights, onnxModelBytes, readCheckpointWeights, selectBackend,
} from '../../src/networks/index.js';
import { FIXTURES, type FixtureOutputs } from '../fixtures/networks/make-v1-checkpoints.js';

/**
 * Checkpoints written by older arbor code (test/fixtures/networks, made by make-v1-checkpoints.ts
 * before the network code read one architecture description) still load, and today's tfjs forward
 * pass and today's ONNX export reproduce the outputs the old code recorded for them.
 */

const folder = fileURLToPath(new URL('../fixtures/networks/', import.meta.url));

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
});

function expectClose(got: ArrayLike<number>, want: readonly number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  expect(worst, what).toBeLessThan(1e-5);
}

describe('checkpoints written by older code', () => {
  it('cover the heads and options the old code had', () => {
    const configs = FIXTURES.map((f) => f.config);
    expect(configs.some((c) => c.valueHead === 'wdl' && c.ownership === true)).toBe(true);
    expect(configs.some((c) => c.valueInput === 'cells')).toBe(true);
    expect(FIXTURES.map((f) => createGame(f.game).actionLayout.globals.length)).toContain(1);
  });

  for (const fixture of FIXTURES) {
    it(`${fixture.name}: loads and reproduces the recorded tfjs and ONNX outputs to 1e-5`, async () => {
      const dir = join(folder, fixture.name);
      const recorded = JSON.parse(readFileSync(join(dir, 'outputs.json'), 'utf8')) as FixtureOutputs;
      const game = createGame(recorded.game);
      const loaded = await loadCheckpoint(dir, game);
      const { model } = loaded;
      expect(model.config).toMatchObject(fixture.config);
      const count = recorded.positions.length;
      const inputs = Float32Array.from(recorded.inputs);
      const { rows, cols } = game.shape;
      const planes = game.encoding.planes.length;

      // Today's encoding of the recorded positions is still the one the outputs were recorded on.
      const encoded = new Float32Array(inputs.length);
      recorded.positions.forEach((moves, i) => {
        const s = game.newInitialState();
        for (const a of moves) s.apply(a);
        s.encode(encoded, i * planes * rows * cols);
      });
      expect(Array.from(encoded)).toEqual(recorded.inputs);

      const out = tf.tidy(() => {
        const r = model.forward(tf.tensor4d(inputs, [count, planes, rows, cols]), false);
        return { logits: r.logits.dataSync(), value: r.value.dataSync(), wdl: r.wdlLogits?.dataSync(), ownership: r.ownershipLogits?.dataSync() };
      });
      expectClose(out.logits, recorded.tfjs.logits, 'tfjs logits');
      expectClose(out.value, recorded.tfjs.value, 'tfjs value');
      expect(out.wdl === undefined).toBe(recorded.tfjs.wdlLogits === undefined);
      if (out.wdl) expectClose(out.wdl, recorded.tfjs.wdlLogits!, 'tfjs wdl logits');
      expect(out.ownership === undefined).toBe(recorded.tfjs.ownershipLogits === undefined);
      if (out.ownership) expectClose(out.ownership, recorded.tfjs.ownershipLogits!, 'tfjs ownership logits');

      // Today's ONNX export of the loaded weights, and the ONNX file the old code wrote.
      for (const [what, onnx] of [['new export', await onnxModelBytes(model)], ['old model.onnx', readFileSync(loaded.onnxPath)]] as const) {
        const ort = await OrtEvaluator.create(onnx, game);
        const got = await ort.run(inputs, count);
        await ort.close();
        expectClose(got.logits, recorded.onnx.policy, `${what} policy`);
        expectClose(got.value, recorded.onnx.value, `${what} value`);
      }

      // The optimiser state loads into a trainer, and the checkpoint evaluates through the model loader.
      expect(loaded.optimizer?.step).toBe(3);
      const trainer = new Trainer(model, game, loaded.optimizer!.options);
      trainer.writeState(loaded.optimizer!);
      expect(trainer.step).toBe(3);
      trainer.dispose();
      const evaluator = await loadModelEvaluator(dir, game);
      const policy = new Float32Array(game.numActions);
      await evaluator.evaluate([game.newInitialState()], 1, policy, new Float32Array(1));
      expect(policy.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);

      // Its modules can be read without building a model.
      const weights = await readCheckpointWeights(dir);
      const stem = moduleWeights(weights, 'stem');
      expect(stem.reads).toEqual([...game.encoding.planes]);
      expect(stem.tensors.map((t) => t.name)).toEqual(['stem/conv', 'stem/bn/gamma', 'stem/bn/beta', 'stem/bn/mean', 'stem/bn/var']);
      model.dispose();
    });
  }
});
