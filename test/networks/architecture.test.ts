import * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createRng, type Game } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import {
  OrtEvaluator, architectureFor, createModel, defaultModelConfig, describeNetwork, onnxModelBytes, selectBackend, type ModelConfig, type PolicyValueModel,
} from '../../src/networks/index.js';

/**
 * One description drives the network: the parameter list, the parameters the tfjs forward pass
 * reads and the parameters the ONNX graph is built from are the same set, and the modules
 * partition the parameters exactly.
 */

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
});

const CASES: [string, Partial<ModelConfig>][] = [
  ['connect4:rows=5,cols=6', { filters: 4, blocks: 2, poolEvery: 1, policyFilters: 3, valueFilters: 2, valueHidden: 4, valueHead: 'wdl', ownership: true }],
  ['othello:size=6', { filters: 4, blocks: 1, poolEvery: 1, policyFilters: 3, valueFilters: 2, valueHidden: 4, valueInput: 'cells' }],
  ['breakthrough:rows=5,cols=5', { filters: 4, blocks: 2, poolEvery: 2, policyFilters: 3, valueFilters: 2, valueHidden: 4 }],
];

/** Random weights with batch-norm shifts mostly positive, so that no ReLU is dead for every input and each parameter shows. */
function randomize(model: PolicyValueModel, seed: number): void {
  const rng = createRng(seed);
  const weights = model.readWeightsSync();
  for (const spec of model.specs) {
    const w = weights.get(spec.name)!;
    for (let i = 0; i < w.length; i++) {
      if (spec.kind === 'var' || spec.kind === 'gamma') w[i] = 0.5 + rng.next();
      else if (spec.kind === 'beta') w[i] = 0.5 + 0.2 * rng.normal();
      // Output layers small, so that tanh and softmax do not saturate.
      else if (spec.kind === 'weight') w[i] = rng.normal() * (spec.init === 'he-small' ? 0.1 : 1) / Math.sqrt(spec.fanIn ?? 1);
      else w[i] = 0.2 * rng.normal();
    }
  }
  model.writeWeights(weights);
}

function inputsFor(game: Game, count: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count * game.encoding.planes.length * game.shape.rows * game.shape.cols }, () => (rng.next() < 0.4 ? 1 : 0));
}

async function outputs(model: PolicyValueModel, game: Game, inputs: Float32Array): Promise<{ tfjs: Float32Array; onnx: Float32Array }> {
  const { rows, cols } = game.shape;
  const count = inputs.length / (game.encoding.planes.length * rows * cols);
  const tfjs = tf.tidy(() => {
    const r = model.forward(tf.tensor4d(inputs, [count, game.encoding.planes.length, rows, cols]));
    return Float32Array.from([...r.logits.dataSync(), ...r.value.dataSync(), ...(r.wdlLogits?.dataSync() ?? []), ...(r.ownershipLogits?.dataSync() ?? [])]);
  });
  const ort = await OrtEvaluator.create(await onnxModelBytes(model), game);
  const got = await ort.run(inputs, count);
  await ort.close();
  return { tfjs, onnx: Float32Array.from([...got.logits, ...got.value]) };
}

const differs = (a: Float32Array, b: Float32Array) => a.some((x, i) => Math.abs(x - b[i]) > 1e-6);

describe('the architecture description', () => {
  for (const [spec, config] of CASES) {
    it(`drives the parameter list, the tfjs forward pass and the ONNX graph alike (${spec})`, async () => {
      const game = createGame(spec);
      const model = createModel(game, config);
      const description = model.description;
      const names = description.params.map((p) => p.name);
      expect(model.specs.map((s) => s.name)).toEqual(names);
      expect([...model.variables.keys()]).toEqual(names);

      // The parameters the forward pass reads, in inference and in training mode.
      const read = new Set<string>();
      const original = model.v.bind(model);
      const spy = vi.spyOn(model, 'v').mockImplementation((name: string) => {
        read.add(name);
        return original(name);
      });
      const x = tf.tensor4d(inputsFor(game, 2, 1), [2, game.encoding.planes.length, game.shape.rows, game.shape.cols]);
      tf.tidy(() => {
        model.forward(x, false);
      });
      expect([...read].sort()).toEqual([...names].sort());
      read.clear();
      const stats: [string, tf.Tensor1D, tf.Tensor1D][] = [];
      tf.tidy(() => {
        model.forward(x, true, stats);
      });
      for (const [, mean, variance] of stats) tf.dispose([mean, variance]);
      // Training reads the batch statistics, not the moving ones.
      expect([...read].sort()).toEqual(names.filter((n) => !/\/(mean|var)$/.test(n)).sort());
      spy.mockRestore();
      x.dispose();

      // The ONNX graph's initializers are the layers' parameters (batch norm folded into its conv as W and B);
      // the ownership head, a training target, is left out.
      const graph = onnxProto.onnx.ModelProto.decode(await onnxModelBytes(model)).graph!;
      const fromParams = new Set<string>();
      for (const layer of description.layers) {
        if (layer.op === 'convBn') fromParams.add(layer.conv);
        if (layer.op === 'conv') fromParams.add(layer.weight);
        if (layer.op === 'dense') fromParams.add(layer.name);
      }
      if (config.ownership) fromParams.delete('ownership/conv');
      const initializers = (graph.initializer ?? []).map((t) => t.name!).filter((n) => /\/[WB]$/.test(n));
      expect(new Set(initializers.map((n) => n.slice(0, -2)))).toEqual(fromParams);
      expect((graph.output ?? []).map((o) => o.name)).toEqual(description.inferenceOutputs.map(([name]) => name));

      // And every parameter changes what they compute: perturb one at a time.
      randomize(model, 2);
      const inputs = inputsFor(game, 3, 3);
      const base = await outputs(model, game, inputs);
      const rng = createRng(4);
      for (const p of description.params) {
        const saved = model.readWeightsSync().get(p.name)!;
        const changed = saved.map((v) => (p.kind === 'var' ? v * (1.5 + rng.next()) : v + 0.3 * rng.normal()));
        model.writeWeights(new Map([[p.name, changed]]));
        const now = await outputs(model, game, inputs);
        expect(differs(now.tfjs, base.tfjs), `tfjs reads ${p.name}`).toBe(true);
        expect(differs(now.onnx, base.onnx), `ONNX reads ${p.name}`).toBe(!p.name.startsWith('ownership/'));
        model.writeWeights(new Map([[p.name, saved]]));
      }
      model.dispose();
    });
  }

  it('groups the parameters into modules that cover every value exactly once', () => {
    for (const [spec, config] of CASES) {
      const game = createGame(spec);
      const description = describeNetwork(architectureFor(game, { ...defaultModelConfig(game), ...config }));
      const heads = [...game.actionLayout.planes.map((p) => p.name), ...game.actionLayout.globals].map((k) => `policy:${k}`);
      expect(description.modules.map((m) => m.id)).toEqual(['stem', 'trunk', 'policy', ...heads, 'value', ...(config.ownership ? ['ownership'] : [])]);
      const covered = new Map<string, number>();
      for (const m of description.modules) {
        for (const part of m.params) covered.set(part.name, (covered.get(part.name) ?? 0) + part.shape.reduce((a, b) => a * b, 1));
      }
      for (const p of description.params) expect(covered.get(p.name), p.name).toBe(p.shape.reduce((a, b) => a * b, 1));
      const stem = description.modules.find((m) => m.id === 'stem')!;
      expect(stem.reads).toEqual([...game.encoding.planes]);
      expect(stem.kind).toBe('stem');
      for (const [i, plane] of game.actionLayout.planes.entries()) {
        const head = description.modules.find((m) => m.id === `policy:${plane.name}`)!;
        expect(head.kind).toBe('policy-head');
        expect(head.writes).toEqual([{ name: plane.name, extent: plane.extent }]);
        expect(head.params).toEqual([
          { name: 'policy/out', shape: [1, 1, config.policyFilters, 1], slice: { axis: 3, index: i } },
          { name: 'policy/out/b', shape: [1], slice: { axis: 0, index: i } },
        ]);
      }
      expect(description.modules.find((m) => m.id === 'trunk')!.params.every((p) => p.name.startsWith('block'))).toBe(true);
    }
  });

  it('refuses an action layout that names a kind twice', () => {
    const game = createGame('othello:size=6');
    const arch = architectureFor(game, defaultModelConfig(game));
    expect(() => describeNetwork({ ...arch, globalActions: ['place'] })).toThrow(/action kind "place" is named twice/);
  });
});
