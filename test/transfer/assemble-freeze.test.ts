import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { ParallelTrainer, Trainer, createModel, selectBackend, type PolicyValueModel, type TrainingBatch } from '../../src/networks/index.js';
import { randomPositions } from './helpers.js';

/**
 * Frozen modules of an assembled network: training steps leave their weights and batch-norm
 * statistics bit-identical (also a policy head that owns one slice of a shared tensor) while
 * every other module trains, on one thread and on two.
 */

const game = createGame('breakthrough:rows=5,cols=5');
const models: PolicyValueModel[] = [];

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
});

afterAll(() => {
  for (const m of models) m.dispose();
});

function batchOf(count: number, seed: number): TrainingBatch {
  const rng = createRng(seed);
  const A = game.numActions;
  const policyTargets = new Float32Array(count * A);
  const masks = new Uint8Array(count * A).fill(1);
  for (let n = 0; n < count; n++) policyTargets[n * A + rng.int(A)] = 1;
  const valueTargets = Float32Array.from({ length: count }, () => (rng.next() < 0.5 ? -1 : 1));
  return { inputs: randomPositions(game, count, seed), policyTargets, valueTargets, masks, count };
}

/** Which of each parameter's values changed, by parameter name. */
function changes(before: Map<string, Float32Array>, after: Map<string, Float32Array>): Map<string, boolean[]> {
  const out = new Map<string, boolean[]>();
  for (const [name, values] of before) out.set(name, Array.from(values, (v, i) => !Object.is(v, after.get(name)![i])));
  return out;
}

for (const threads of [1, 2]) {
  describe(`frozen modules (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    it('stem, trunk and one policy head stay bit-identical (weights and batch-norm statistics); the rest trains', async () => {
      const model = createModel(game, { filters: 8, blocks: 2, poolEvery: 2, policyFilters: 4, valueFilters: 4, valueHidden: 8, seed: 2 });
      models.push(model);
      const frozen = ['stem', 'trunk', 'policy:move:N'];
      const trainer = threads === 1 ? new Trainer(model, game, { frozen }) : new ParallelTrainer(model, game, { frozen, threads });
      expect(trainer.frozen).toEqual(frozen);
      const before = model.readWeightsSync();
      for (let step = 0; step < 3; step++) await trainer.trainBatch(batchOf(16, 10 + step));
      await trainer.close();
      const changed = changes(before, model.readWeightsSync());
      const owner = new Map(model.specs.map((s) => [s.name, 'module' in s.owner ? s.owner.module : 'shared']));
      for (const [name, flags] of changed) {
        const module = owner.get(name);
        if (module === 'stem' || module === 'trunk') expect(flags.some(Boolean), name).toBe(false);
      }
      // policy/out [1,1,4,6]: output channel 0 is move:N (frozen), 1..5 the other directions (trained).
      const out = changed.get('policy/out')!;
      expect(out.filter((_, i) => i % 6 === 0).some(Boolean)).toBe(false);
      expect(out.filter((_, i) => i % 6 !== 0).every(Boolean)).toBe(true);
      const bias = changed.get('policy/out/b')!;
      expect(bias[0]).toBe(false);
      expect(bias.slice(1).every(Boolean)).toBe(true);
      for (const name of ['policy/conv', 'policy/bn/mean', 'value/conv', 'value/fc1/w', 'value/bn/var']) expect(changed.get(name)!.some(Boolean), name).toBe(true);
    });
  });
}

describe('freeze names', () => {
  it('an unknown module is one clear error', () => {
    const model = createModel(game, { filters: 4, blocks: 1, policyFilters: 2, valueFilters: 2, valueHidden: 4 });
    models.push(model);
    expect(() => new Trainer(model, game, { frozen: ['trunc'] })).toThrow(/^cannot freeze "trunc": the network has no such module; its modules: stem, trunk, policy, policy:move:N/);
  });
});
