import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/agents/builtins.js';
import { createAgent, createRng } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { drawSizeCounts, interleaveSteps, readMetrics, sizeSpecs, train, type EvaluationMetrics, type IterationMetrics } from '../../src/selfplay/index.js';
import { Library } from '../../src/transfer/index.js';

/**
 * One network trained on two Connect Four board sizes (4x4 and 4x5) through the real pipeline:
 * each self-play game draws its size, each size keeps its own replay window and chunk files,
 * every gradient step trains on a batch of one size, and the checkpoint plays both sizes.
 */
const root = mkdtempSync(join(tmpdir(), 'arbor-multisize-'));
const configFile = join(root, 'tiny.json');
writeFileSync(configFile, JSON.stringify({
  model: { filters: 8, blocks: 1 },
  selfplay: { workers: 1, concurrentGames: 8, gamesPerIteration: 24, simulations: 8, cheapSimulations: 4, fullSearchFraction: 1 },
  replay: { minPositions: 20, sampleReuse: 2 },
  training: { batchSize: 16 },
  evaluation: { every: 1, gamesPerOpponent: 4, opponents: ['random'], previousCheckpoints: 0, oracle: false, perfectPlayGames: 0 },
  final: { games: 0, minStones: 0 },
}));
const sizes = ['connect4:rows=4,cols=4', 'connect4:rows=4,cols=5'];
let savedLibrary: string | undefined;

beforeAll(() => {
  savedLibrary = process.env.ARBOR_LIBRARY;
  process.env.ARBOR_LIBRARY = join(root, 'library');
});
afterAll(() => {
  if (savedLibrary === undefined) delete process.env.ARBOR_LIBRARY;
  else process.env.ARBOR_LIBRARY = savedLibrary;
});

describe('board sizes of a family', () => {
  it('turns --sizes into the game specs of the family, keeping the other parameters', () => {
    expect(sizeSpecs('connect4', '4x4,4x5')).toEqual(sizes);
    expect(sizeSpecs('gomoku:k=4', '4x4,5')).toEqual(['gomoku:rows=4,cols=4,k=4', 'gomoku:rows=5,cols=5,k=4']);
    expect(() => sizeSpecs('othello', '4x6,6x6')).toThrow(/othello boards are square .* write 4x4 or 4, not 4x6/);
    expect(() => sizeSpecs('connect4', '4x5')).toThrow(/lists 1 size\(s\); give two or more/);
    expect(() => sizeSpecs('connect4', '4by5,5x6')).toThrow(/"4by5" is not a board size/);
  });

  it('draws sizes by weight and mixes the steps of each size', () => {
    const counts = drawSizeCounts([1, 3], 4000, createRng('w'));
    expect(counts[0] + counts[1]).toBe(4000);
    // Binomial(4000, 1/4): mean 1000, sd 27.4; 5 sd either side.
    expect(Math.abs(counts[0] - 1000)).toBeLessThan(137);
    const order = interleaveSteps([3, 5], createRng('o'));
    expect(order.filter((k) => k === 0)).toHaveLength(3);
    expect(order.filter((k) => k === 1)).toHaveLength(5);
  });
});

describe('arbor train over two board sizes (Connect Four 4x4 + 4x5, tiny)', () => {
  it('plays, stores and trains both sizes; the checkpoint plays both; --publish adds it to the library', async () => {
    const runDir = join(root, 'run');
    const summary = await train({ runDir, games: sizes, preset: 'quick', seed: 'multi', configFile, iterations: 2, skipFinal: true, publish: { name: 'c4-small-multi' } });
    expect(summary.iterations).toBe(2);
    expect(summary.games).toBe(48);
    // The largest size is the run's game; every size is evaluated.
    expect(summary.game).toBe('connect4:rows=4,cols=5');
    const evaluations = readMetrics(join(runDir, 'metrics.jsonl')).filter((r): r is EvaluationMetrics => r.type === 'evaluation');
    expect(evaluations).toHaveLength(2);
    for (const e of evaluations) {
      expect(e.byGame!.map((g) => g.game)).toEqual(sizes);
      expect(e.byGame![1].summary).toBe(e.summary);
      expect(e.byGame![0].results[0].opponent).toBe('random');
    }
    const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
    expect(config.config.games ?? config.games).toEqual(sizes);

    const rows = readMetrics(join(runDir, 'metrics.jsonl')).filter((r): r is IterationMetrics => r.type === 'iteration');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.sizes!.map((s) => s.game)).toEqual(sizes);
      expect(row.sizes!.reduce((n, s) => n + s.games, 0)).toBe(24);
      expect(row.sizes!.reduce((n, s) => n + s.trainSteps, 0)).toBe(row.trainSteps - (row.iteration === 1 ? 0 : rows[0].trainSteps));
    }
    // Both sizes were played, stored and trained on over the run.
    for (const k of [0, 1]) {
      expect(rows.reduce((n, r) => n + r.sizes![k].games, 0)).toBeGreaterThan(0);
      expect(rows.reduce((n, r) => n + r.sizes![k].trainSteps, 0)).toBeGreaterThan(0);
    }
    const state = JSON.parse(readFileSync(join(runDir, 'state.json'), 'utf8'));
    expect(state.sizes.map((s: { game: string }) => s.game)).toEqual(sizes);
    for (const [k, s] of (state.sizes as { replay: { chunks: number[]; totalPositions: number } }[]).entries()) {
      expect(s.replay.totalPositions).toBeGreaterThan(0);
      for (const id of s.replay.chunks) expect(existsSync(join(runDir, 'replay', `chunk-${String(id).padStart(6, '0')}${k > 0 ? `-s${k}` : ''}.bin`))).toBe(true);
    }
    expect(state.replay.totalPositions).toBe(state.sizes[0].replay.totalPositions + state.sizes[1].replay.totalPositions);

    // One checkpoint, both board sizes.
    for (const spec of sizes) {
      const game = createGame(spec);
      const agent = await createAgent(`mcts:model=${runDir},simulations=4`, { game, seed: 'play' });
      const s = game.newInitialState();
      const action = await agent.selectAction(s);
      await agent.close?.();
      const legal = new Int32Array(game.numActions);
      const n = s.legalActions(legal);
      expect(Array.from(legal.subarray(0, n))).toContain(action);
    }

    // --publish: the net and its modules, with the run's figures.
    expect(summary.published?.name).toBe('c4-small-multi');
    const library = Library.open(join(root, 'library'), 'user');
    try {
      const net = library.find('c4-small-multi')!;
      expect(net.kind).toBe('net');
      expect(net.selfPlayGames).toBe(48);
      expect(net.games).toEqual(sizes);
      expect(net.sizes).toEqual(['4x4', '4x5']);
      const evaluation = (net.measured as { evaluation?: { checkpoint: string; results: { opponent: string; wins: number; draws: number; losses: number }[] } }).evaluation!;
      expect(evaluation.checkpoint).toBe(summary.lastEvaluation!.checkpoint);
      expect(evaluation.results[0].opponent).toBe('random');
      expect(evaluation.results[0].wins + evaluation.results[0].draws + evaluation.results[0].losses).toBe(4);
      expect(library.find('c4-small-multi/trunk')?.kind).toBe('trunk');
    } finally {
      library.close();
    }
    // A taken name is refused before a run starts.
    const again = join(root, 'again');
    await expect(train({ runDir: again, games: sizes, preset: 'quick', seed: 'x', configFile, iterations: 1, skipFinal: true, publish: { name: 'c4-small-multi' } }))
      .rejects.toThrow(/already has an entry c4-small-multi; choose another name/);
    expect(existsSync(again)).toBe(false);

    // Resuming continues every size's window.
    const resumed = await train({ runDir, resume: true, iterations: 3, skipFinal: true });
    expect(resumed.iterations).toBe(3);
    const after = JSON.parse(readFileSync(join(runDir, 'state.json'), 'utf8'));
    expect(after.sizes[0].replay.totalPositions + after.sizes[1].replay.totalPositions).toBeGreaterThan(state.replay.totalPositions);
  }, 240_000);

  it('refuses a size listed twice and a value head that reads one board size, in one line each', async () => {
    await expect(train({ runDir: join(root, 'mixed'), games: ['connect4:rows=4,cols=5', 'connect4:rows=4,cols=5'], preset: 'quick', seed: 'm', configFile, iterations: 1 }))
      .rejects.toThrow(/^--sizes lists connect4:rows=4,cols=5 twice; list each size once/);
    const cells = join(root, 'cells.json');
    writeFileSync(cells, JSON.stringify({ model: { valueInput: 'cells' } }));
    await expect(train({ runDir: join(root, 'cells'), games: sizes, preset: 'quick', seed: 'c', configFile: cells, iterations: 1 }))
      .rejects.toThrow(/model.valueInput "cells" reads one board size, but games lists several sizes or games; use valueInput "pool"/);
    const fromFile = join(root, 'games.json');
    writeFileSync(fromFile, JSON.stringify({ games: ['connect4:rows=4,cols=5', 'connect4:rows=5,cols=6'] }));
    await expect(train({ runDir: join(root, 'file'), game: 'tictactoe', preset: 'quick', seed: 'f', configFile: fromFile, iterations: 1 }))
      .rejects.toThrow(/games lists connect4 but --game is tictactoe; give --game connect4/);
    expect(existsSync(join(root, 'mixed')) || existsSync(join(root, 'cells')) || existsSync(join(root, 'file'))).toBe(false);
  });
});
