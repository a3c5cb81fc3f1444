import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Game } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import {
  GameView, PolicyValueModel, Trainer, defaultModelConfig, gameViewWeights, onnxModelBytes, OrtEvaluator, selectBackend, unionArchitecture,
  type ModelConfig, type TrainingBatch,
} from '../../src/networks/index.js';
import { assembleNetwork } from '../../src/transfer/index.js';

/**
 * One network over several games (game-view.ts): the union layout, each game's exact view of it,
 * and batches of one game that train shared weights and only that game's planes and heads.
 */
const ttt = createGame('tictactoe');
const c4 = createGame('connect4:rows=4,cols=5');
const config: ModelConfig = { ...defaultModelConfig(c4), filters: 8, blocks: 2, policyFilters: 4, valueFilters: 4, valueHidden: 8, seed: 3 };

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
});

/** `count` positions of `game` after random moves, encoded, with their legal masks. */
function positions(game: Game, count: number, seed: number): { inputs: Float32Array; masks: Uint8Array } {
  const rng = createRng(seed);
  const size = game.encoding.planes.length * game.shape.rows * game.shape.cols;
  const inputs = new Float32Array(count * size);
  const masks = new Uint8Array(count * game.numActions);
  const mask = new Uint8Array(game.numActions);
  const legal = new Int32Array(game.numActions);
  for (let i = 0; i < count; i++) {
    const state = game.newInitialState();
    const moves = i % 4;
    for (let m = 0; m < moves && !state.isTerminal(); m++) {
      const n = state.legalActions(legal);
      state.apply(legal[rng.int(n)]);
    }
    state.encode(inputs, i * size);
    state.legalMask(mask);
    masks.set(mask, i * game.numActions);
  }
  return { inputs, masks };
}

/** A training batch of `game` (its own layout) with uniform policy targets over legal moves. */
function batchOf(game: Game, count: number, seed: number): TrainingBatch {
  const { inputs, masks } = positions(game, count, seed);
  const policyTargets = new Float32Array(masks.length);
  for (let i = 0; i < count; i++) {
    const row = masks.subarray(i * game.numActions, (i + 1) * game.numActions);
    const legal = row.reduce((a, b) => a + b, 0);
    row.forEach((m, a) => {
      policyTargets[i * game.numActions + a] = m ? 1 / legal : 0;
    });
  }
  const valueTargets = Float32Array.from({ length: count }, (_, i) => (i % 3) - 1);
  return { inputs, masks, policyTargets, valueTargets, count, shape: game.shape };
}

describe('the union layout', () => {
  it('reads every game\'s planes (the first game\'s order, then new names) and has a head per action kind', () => {
    const arch = unionArchitecture([ttt, c4], config);
    expect(arch.inputPlanes).toEqual(['own:stone', 'opp:stone', 'cell:exists', 'side:first-player', 'own:threat', 'opp:threat', 'cell:odd-row', 'cell:playable']);
    expect(arch.actionPlanes).toEqual([{ name: 'place', extent: 'cell' }, { name: 'drop', extent: 'column' }]);
    const view = new GameView(arch, ttt);
    expect([...view.planeSource]).toEqual([0, 1, 2, -1, -1, -1, -1, -1]);
    expect(view.unionActions).toBe(9 + 3); // place over 3x3 cells, then drop over 3 columns
    expect([...view.actionTarget]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const c4View = new GameView(arch, c4);
    expect([...c4View.planeSource]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...c4View.actionTarget]).toEqual([20, 21, 22, 23, 24]); // drop after place's 4x5 cells
  });

  it('expands a game\'s batch with zero planes and illegal (masked) actions of other kinds', () => {
    const view = new GameView(unionArchitecture([ttt, c4], config), ttt);
    const batch = batchOf(ttt, 3, 1);
    const out = view.expand(batch);
    const cells = 9;
    for (let i = 0; i < 3; i++) {
      for (let p = 0; p < 8; p++) {
        const plane = out.inputs.subarray((i * 8 + p) * cells, (i * 8 + p + 1) * cells);
        const expected = p < 3 ? batch.inputs.subarray((i * 3 + p) * cells, (i * 3 + p + 1) * cells) : new Float32Array(cells);
        expect([...plane]).toEqual([...expected]);
      }
      expect([...out.masks.subarray(i * 12 + 9, i * 12 + 12)]).toEqual([0, 0, 0]);
      expect([...out.policyTargets.subarray(i * 12, i * 12 + 9)]).toEqual([...batch.policyTargets.subarray(i * 9, i * 9 + 9)]);
    }
    expect(out.restriction?.masks.get('policy/out')).toBeInstanceOf(Float32Array);
  });

  it('refuses a value head that reads one board size, in one line', () => {
    expect(() => unionArchitecture([ttt, c4], { ...config, valueInput: 'cells' })).toThrow(/^model.valueInput "cells" reads one board size of one game, so it cannot serve several games; use valueInput "pool"/);
  });
});

describe('a game\'s view of the union network', () => {
  it('computes what the union net computes on that game\'s inputs (tfjs, ONNX Runtime and assembleNetwork), to 1e-5', async () => {
    const union = new PolicyValueModel(unionArchitecture([ttt, c4], config));
    try {
      const network = { architecture: union.architecture, weights: union.readWeightsSync() };
      for (const game of [ttt, c4]) {
        const n = 6;
        const { inputs } = positions(game, n, 7);
        const view = new GameView(union.architecture, game);
        const expanded = view.expand({ ...batchOf(game, n, 7), inputs });
        const whole = await union.predict(expanded.inputs, n, game.shape);
        const cut = gameViewWeights(network, game);
        const viewModel = new PolicyValueModel(cut.architecture, cut.weights);
        const assembled = await assembleNetwork(game, union);
        const ort = await OrtEvaluator.create(await onnxModelBytes(cut), game);
        try {
          const mine = await viewModel.predict(inputs, n, game.shape);
          const theirs = await assembled.model.predict(inputs, n, game.shape);
          const onnx = await ort.run(inputs, n);
          for (let i = 0; i < n; i++) {
            for (const out of [mine, theirs, onnx]) expect(Math.abs(out.value[i] - whole.value[i])).toBeLessThan(1e-5);
            for (let a = 0; a < game.numActions; a++) {
              const reference = whole.logits[i * view.unionActions + view.actionTarget[a]];
              for (const out of [mine, theirs, onnx]) expect(Math.abs(out.logits[i * game.numActions + a] - reference)).toBeLessThan(1e-5);
            }
          }
        } finally {
          viewModel.dispose();
          assembled.model.dispose();
          await ort.close();
        }
      }
    } finally {
      union.dispose();
    }
  });

  it('refuses a game whose planes or action kinds the network lacks', () => {
    const arch = unionArchitecture([ttt, createGame('gomoku:size=4,k=3')], config);
    const weights = new Map<string, Float32Array>();
    expect(() => gameViewWeights({ architecture: arch, weights }, c4)).toThrow(/^the network cannot play connect4:rows=4,cols=5: connect4:rows=4,cols=5 encodes side:first-player, own:threat, opp:threat, cell:odd-row, cell:playable, which the network does not read/);
  });
});

describe('training the union network one game at a time', () => {
  it('shares the trunk, and leaves the planes and heads a game lacks (and their optimiser state) exactly as they were', async () => {
    const union = new PolicyValueModel(unionArchitecture([ttt, c4], config));
    const trainer = new Trainer(union, ttt, { unionOf: [ttt, c4], learningRate: 0.01 });
    try {
      const tttView = new GameView(union.architecture, ttt);
      const c4View = new GameView(union.architecture, c4);
      // A Connect Four step first, so every head and stem plane has optimiser momentum.
      await trainer.trainBatch(c4View.expand(batchOf(c4, 8, 2)));
      const before = union.readWeightsSync();
      const slotsBefore = (await trainer.readState()).slots;
      const c4SeesBefore = gameViewWeights({ architecture: union.architecture, weights: before }, c4).weights;
      await trainer.trainBatch(tttView.expand(batchOf(ttt, 8, 3)));
      const after = union.readWeightsSync();
      const slotsAfter = (await trainer.readState()).slots;
      const c4SeesAfter = gameViewWeights({ architecture: union.architecture, weights: after }, c4).weights;

      // Shared weights moved, and Connect Four's view sees the move.
      expect(c4SeesAfter.get('block0/conv1')).not.toEqual(c4SeesBefore.get('block0/conv1'));
      expect(c4SeesAfter.get('value/fc1/w')).not.toEqual(c4SeesBefore.get('value/fc1/w'));

      // The drop head (policy/out channel 1, bias 1): untouched, weights and Adam state.
      const F = config.policyFilters;
      const channel = (data: Float32Array, k: number) => Array.from({ length: F }, (_, i) => data[i * 2 + k]);
      expect(channel(after.get('policy/out')!, 1)).toEqual(channel(before.get('policy/out')!, 1));
      expect(after.get('policy/out/b')![1]).toBe(before.get('policy/out/b')![1]);
      for (const s of [0, 1]) expect(channel(slotsAfter.get('policy/out')![s], 1)).toEqual(channel(slotsBefore.get('policy/out')![s], 1));
      // ... while the place head trained.
      expect(channel(after.get('policy/out')!, 0)).not.toEqual(channel(before.get('policy/out')!, 0));

      // Stem kernel [3,3,planes,F]: the planes tic-tac-toe lacks (3..7) are untouched, its own planes trained.
      const planes = 8;
      const filters = config.filters;
      const stemPlane = (data: Float32Array, p: number) => data.filter((_, i) => Math.floor(i / filters) % planes === p);
      for (let p = 3; p < planes; p++) {
        expect([...stemPlane(after.get('stem/conv')!, p)]).toEqual([...stemPlane(before.get('stem/conv')!, p)]);
        expect([...stemPlane(slotsAfter.get('stem/conv')![0], p)]).toEqual([...stemPlane(slotsBefore.get('stem/conv')![0], p)]);
      }
      expect([...stemPlane(after.get('stem/conv')!, 0)]).not.toEqual([...stemPlane(before.get('stem/conv')!, 0)]);
    } finally {
      trainer.dispose();
      union.dispose();
    }
  });
});
