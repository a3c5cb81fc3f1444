import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Game } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { OrtEvaluator, PolicyValueModel, Trainer, createModel, onnxModelBytes, selectBackend, type ModelConfig } from '../../src/networks/index.js';
import { growNetwork, type GrowOptions } from '../../src/transfer/grow.js';
import { maxRelativeDifference, perturb, randomPositions, tensorOf } from './helpers.js';

/**
 * Net2Net growth keeps the network's function: policy logits and values before and after widening,
 * deepening and both agree to 1e-5 in tfjs, and ONNX Runtime agrees with tfjs on the grown net.
 */

const TOLERANCE = 1e-5;
const models: PolicyValueModel[] = [];

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
});

afterAll(() => {
  for (const m of models) m.dispose();
});

function keep(model: PolicyValueModel): PolicyValueModel {
  models.push(model);
  return model;
}

interface Case {
  readonly spec: string;
  readonly config: Partial<ModelConfig>;
}

const CASES: readonly Case[] = [
  { spec: 'tictactoe', config: { filters: 6, blocks: 2, poolEvery: 2, policyFilters: 4, valueFilters: 4, valueHidden: 8, seed: 3 } },
  // Pool blocks every block, a win/draw/loss value head and an ownership head: every layer kind that reads trunk channels.
  { spec: 'connect4:rows=5,cols=6', config: { filters: 8, blocks: 2, poolEvery: 1, policyFilters: 4, valueFilters: 4, valueHidden: 8, valueHead: 'wdl', ownership: true, seed: 4 } },
  // A global action (pass) read from the pooled policy features.
  { spec: 'othello:size=6', config: { filters: 8, blocks: 1, poolEvery: 2, policyFilters: 4, valueFilters: 4, valueHidden: 8, seed: 5 } },
];

const GROWTHS: readonly [string, GrowOptions][] = [
  ['wider', { filters: 13 }],
  ['deeper', { blocks: 4 }],
  ['wider and deeper', { filters: 16, blocks: 3 }],
  ['wider, equal split', { filters: 12, split: 'equal' }],
];

async function outputsOf(model: PolicyValueModel, game: Game, inputs: Float32Array, count: number) {
  const { logits, value } = await model.predict(inputs, count, game.shape);
  const out = model.description.outputs;
  const ownership = out.ownership ? tensorOf(model, inputs, count, game.shape.rows, game.shape.cols, out.ownership) : new Float32Array(0);
  return Float32Array.from([...logits, ...value, ...ownership]);
}

describe('growNetwork', () => {
  for (const { spec, config } of CASES) {
    for (const [what, options] of GROWTHS) {
      it(`${spec}: ${what} keeps policy and value (tfjs), and ONNX Runtime agrees`, async () => {
        const game = createGame(spec);
        const source = keep(perturb(createModel(game, config), 21));
        const grown = growNetwork({ architecture: source.architecture, weights: source.readWeightsSync() }, options);
        expect(grown.architecture.config.filters).toBe(options.filters ?? config.filters);
        expect(grown.architecture.config.blocks).toBe(options.blocks ?? config.blocks);
        const model = keep(new PolicyValueModel(grown.architecture, grown.weights));
        expect(model.paramCount()).toBeGreaterThan(source.paramCount());
        const count = 8;
        const inputs = randomPositions(game, count, 5);
        const before = await outputsOf(source, game, inputs, count);
        const after = await outputsOf(model, game, inputs, count);
        expect(maxRelativeDifference(after, before)).toBeLessThan(TOLERANCE);

        const ort = await OrtEvaluator.create(await onnxModelBytes(model), game);
        const got = await ort.run(inputs, count);
        await ort.close();
        const { logits, value } = await model.predict(inputs, count, game.shape);
        expect(maxRelativeDifference(got.logits, logits)).toBeLessThan(1e-4);
        expect(maxRelativeDifference(got.value, value)).toBeLessThan(1e-4);
      });
    }
  }

  it('describes what it did; new blocks start as the identity with bn2 gamma and beta zero', () => {
    const game = createGame('tictactoe');
    const source = keep(createModel(game, CASES[0].config));
    const grown = growNetwork({ architecture: source.architecture, weights: source.readWeightsSync() }, { filters: 8, blocks: 3, seed: 1 });
    expect(grown.changes).toHaveLength(2);
    expect(grown.changes[0]).toMatch(/^filters 6 -> 8: new residual channels 6\.\.7 copy channels \d, \d; .*random proportions/);
    expect(grown.changes[1]).toBe('blocks 2 -> 3: block2 appended as the identity (the last batch norm of each residual branch starts with gamma = beta = 0)');
    expect([...grown.weights.get('block2/bn2/gamma')!]).toEqual(new Array(8).fill(0));
    expect([...grown.weights.get('block2/bn2/beta')!]).toEqual(new Array(8).fill(0));
    expect(grown.weights.get('block2/conv2')!.some((x) => x !== 0)).toBe(true);
    // The same seed grows the same network.
    const again = growNetwork({ architecture: source.architecture, weights: source.readWeightsSync() }, { filters: 8, blocks: 3, seed: 1 });
    expect([...again.weights.get('stem/conv')!]).toEqual([...grown.weights.get('stem/conv')!]);
  });

  it('copies of a channel stay copies under training with equal shares, and part with random shares', async () => {
    const game = createGame('tictactoe');
    const source = keep(perturb(createModel(game, CASES[0].config), 8));
    // Channel 6 and 7 copy some old channels; find a copied pair in the residual stream.
    const spread = async (split: 'equal' | 'random') => {
      const grown = growNetwork({ architecture: source.architecture, weights: source.readWeightsSync() }, { filters: 8, split, seed: 2 });
      const model = keep(new PolicyValueModel(grown.architecture, grown.weights));
      const stem = grown.weights.get('stem/conv')!;
      const copyOf = (j: number) => [0, 1, 2, 3, 4, 5].find((i) => stem.every((v, k) => k % 8 !== j || v === stem[k - j + i]))!;
      const original = copyOf(6);
      const trainer = new Trainer(model, game, { learningRate: 0.01 });
      const count = 16;
      const inputs = randomPositions(game, count, 3);
      const policyTargets = new Float32Array(count * 9).fill(1 / 9);
      await trainer.trainBatch({ inputs, policyTargets, valueTargets: new Float32Array(count).fill(0.5), masks: new Uint8Array(count * 9).fill(1), count });
      trainer.dispose();
      const after = model.readWeightsSync().get('stem/conv')!;
      let d = 0;
      for (let k = 0; k < after.length; k += 8) d = Math.max(d, Math.abs(after[k + 6] - after[k + original]));
      return d;
    };
    expect(await spread('equal')).toBe(0);
    expect(await spread('random')).toBeGreaterThan(1e-6);
  });

  it('refuses to shrink', () => {
    const source = keep(createModel(createGame('tictactoe'), CASES[0].config));
    const network = { architecture: source.architecture, weights: source.readWeightsSync() };
    expect(() => growNetwork(network, { filters: 4 })).toThrow('grow filters=4: growing keeps every channel, so give at least the network\'s 6');
    expect(() => growNetwork(network, { blocks: 1 })).toThrow('grow blocks=1: growing keeps every block, so give at least the network\'s 2');
  });
});
