import { describe, expect, it } from 'vitest';
import { createRng, encodedSize } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { UniformEvaluator } from '../../src/mcts/index.js';
import { resolveConfig, validateConfig } from '../../src/selfplay/config.js';
import type { SampleChunk } from '../../src/selfplay/replay-buffer.js';
import { playSelfPlayGames } from '../../src/selfplay/selfplay-batch.js';
import { policySurprise, surpriseCopies } from '../../src/selfplay/targets/surprise-weighting.js';

/**
 * KataGo's policy (and value) surprise weighting: a game's recorded positions keep their total
 * weight, but positions whose search target surprised the network are written more often.
 */

describe('policySurprise', () => {
  it('is the KL divergence from the prior to the target, in nats', () => {
    const prior = new Float32Array([0.25, 0.25, 0.25, 0.25]);
    expect(policySurprise(new Float32Array([0.25, 0.25, 0.25, 0.25]), prior, 4)).toBeCloseTo(0, 6);
    expect(policySurprise(new Float32Array([0, 1, 0, 0]), prior, 4)).toBeCloseTo(Math.log(4), 6);
    expect(policySurprise(new Float32Array([0.5, 0.5, 0, 0]), prior, 4)).toBeCloseTo(Math.log(2), 6);
    // Read at an offset, as self-play's per-move policy buffers are laid out.
    expect(policySurprise(new Float32Array([9, 9, 0, 1, 0, 0]), prior, 4, 2)).toBeCloseTo(Math.log(4), 6);
  });
});

describe('surpriseCopies', () => {
  const zeros = new Float32Array(4);
  const copies = new Int32Array(4);

  it('writes every position once when weighting is off or every position is equally surprising', () => {
    const rng = createRng('s');
    expect(surpriseCopies(new Float32Array([5, 0, 1, 2]), new Float32Array([1, 0, 0, 3]), 4, 0, 0, rng, copies)).toBe(4);
    expect(Array.from(copies)).toEqual([1, 1, 1, 1]);
    expect(surpriseCopies(new Float32Array([2, 2, 2, 2]), new Float32Array([1, 1, 1, 1]), 4, 0.5, 0.1, rng, copies)).toBe(4);
    expect(Array.from(copies)).toEqual([1, 1, 1, 1]);
    // No surprise at all: the share falls back to uniform.
    expect(surpriseCopies(zeros, zeros, 4, 0.5, 0.1, rng, copies)).toBe(4);
    expect(Array.from(copies)).toEqual([1, 1, 1, 1]);
  });

  it('gives weights 0.5 + share in proportion to surprise, rounded stochastically around them', () => {
    // Policy share 0.5 of 4 positions: weights 0.5 + 2 * [1, 0, 0, 0] = [2.5, 0.5, 0.5, 0.5].
    const rng = createRng('weights');
    const mean = [0, 0, 0, 0];
    let total = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      total += surpriseCopies(new Float32Array([3, 0, 0, 0]), zeros, 4, 0.5, 0, rng, copies);
      expect([2, 3]).toContain(copies[0]);
      for (let i = 1; i < 4; i++) expect([0, 1]).toContain(copies[i]);
      for (let i = 0; i < 4; i++) mean[i] += copies[i] / trials;
    }
    expect(mean[0]).toBeCloseTo(2.5, 1);
    for (let i = 1; i < 4; i++) expect(mean[i]).toBeCloseTo(0.5, 1);
    expect(total / trials).toBeCloseTo(4, 1);
    // Value share 0.1 on top: weights 0.4 + 2 * [1, 0, 0, 0] + 0.4 * [0, 0, 0, 1] = [2.4, 0.4, 0.4, 0.8].
    const m = [0, 0, 0, 0];
    for (let t = 0; t < trials; t++) {
      surpriseCopies(new Float32Array([3, 0, 0, 0]), new Float32Array([0, 0, 0, 7]), 4, 0.5, 0.1, rng, copies);
      for (let i = 0; i < 4; i++) m[i] += copies[i] / trials;
    }
    expect(m.map((x) => +x.toFixed(1))).toEqual([2.4, 0.4, 0.4, 0.8]);
  });
});

describe('surprise weighting in self-play', () => {
  const game = createGame('tictactoe');
  const inSize = encodedSize(game);
  const A = game.numActions;
  const settingsWith = (policy: number, value: number) =>
    resolveConfig({ game: 'tictactoe', gameId: 'tictactoe', preset: 'quick', seed: 'surprise', overrides: { selfplay: { fullSearchFraction: 0.5, simulations: 32, cheapSimulations: 4, surpriseWeighting: { policy, value } } } }).selfplay;
  const play = (policy: number, value: number) =>
    playSelfPlayGames(game, settingsWith(policy, value), () => new UniformEvaluator(game), { games: 24, firstGame: 0, seed: 'sw', concurrency: 1 });
  const key = (c: SampleChunk, i: number) =>
    `${Array.from(c.inputs.subarray(i * inSize, (i + 1) * inSize)).join('')}|${Array.from(c.policies.subarray(i * A, (i + 1) * A)).map((p) => p.toFixed(4)).join(',')}|${c.values[i].toFixed(4)}`;
  // The uniform evaluator's prior is uniform over the legal moves, so a sample's surprise is
  // ln(legal) − entropy(target).
  const surprise = (c: SampleChunk, i: number) => {
    let legal = 0;
    let kl = 0;
    for (let a = 0; a < A; a++) legal += c.masks[i * A + a];
    for (let a = 0; a < A; a++) {
      const p = c.policies[i * A + a];
      if (p > 0) kl += p * Math.log(p * legal);
    }
    return kl;
  };
  const meanSurprise = (c: SampleChunk) => {
    let s = 0;
    for (let i = 0; i < c.count; i++) s += surprise(c, i);
    return s / c.count;
  };

  it('writes the same games\' positions, surprising ones more often, about as many in total', async () => {
    const plain = await play(0, 0);
    const weighted = await play(0.5, 0.1);
    expect(plain.stats.games).toBe(24);
    expect(weighted.stats.moves).toBe(plain.stats.moves); // the same games were played
    expect(plain.chunk.count).toBe(plain.stats.samples);
    expect(weighted.chunk.count).toBe(weighted.stats.samples);
    expect(Math.abs(weighted.chunk.count - plain.chunk.count)).toBeLessThan(0.2 * plain.chunk.count);

    const available = new Map<string, number>();
    for (let i = 0; i < plain.chunk.count; i++) available.set(key(plain.chunk, i), (available.get(key(plain.chunk, i)) ?? 0) + 1);
    const written = new Map<string, number>();
    for (let i = 0; i < weighted.chunk.count; i++) {
      const k = key(weighted.chunk, i);
      expect(available.has(k)).toBe(true); // every weighted sample is one of the game's positions
      written.set(k, (written.get(k) ?? 0) + 1);
    }
    let repeated = 0;
    let dropped = 0;
    for (const [k, n] of available) {
      const w = written.get(k) ?? 0;
      if (w > n) repeated++;
      if (w === 0) dropped++;
    }
    expect(repeated).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(0);
    expect(meanSurprise(weighted.chunk)).toBeGreaterThan(1.2 * meanSurprise(plain.chunk));
  });

  it('refuses shares that add up to more than the whole weight', () => {
    const c = resolveConfig({ game: 'tictactoe', gameId: 'tictactoe', preset: 'quick', seed: 's' });
    expect(c.selfplay.surpriseWeighting).toEqual({ policy: 0, value: 0 });
    expect(() => validateConfig({ ...c, selfplay: { ...c.selfplay, surpriseWeighting: { policy: 0.8, value: 0.3 } } }, 'test')).toThrow(/surpriseWeighting.*at most 1/);
    expect(() => validateConfig({ ...c, selfplay: { ...c.selfplay, surpriseWeighting: { policy: -0.1, value: 0 } } }, 'test')).toThrow(/surpriseWeighting\.policy/);
  });

  it('(and the root policy temperature) refuses a Gumbel root with a root temperature', () => {
    const c = resolveConfig({ game: 'tictactoe', gameId: 'tictactoe', preset: 'quick', seed: 's' });
    expect(c.selfplay.rootPolicyTemperature).toEqual({ initial: 1, final: 1, halfLifeMoves: 7 });
    expect(() => validateConfig({ ...c, selfplay: { ...c.selfplay, root: 'gumbel', rootPolicyTemperature: { initial: 1.25, final: 1.1, halfLifeMoves: 7 } } }, 'test')).toThrow(/rootPolicyTemperature works on the PUCT root only/);
    expect(validateConfig({ ...c, selfplay: { ...c.selfplay, rootPolicyTemperature: { initial: 1.25, final: 1.1, halfLifeMoves: 7 } } }, 'test').selfplay.rootPolicyTemperature.initial).toBe(1.25);
  });
});
