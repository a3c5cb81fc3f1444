import { describe, expect, it } from 'vitest';
import { createRng, encodedSize } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { gameSamples, type TargetSettings } from '../../src/selfplay/targets/game-samples.js';
import { lambdaReturns } from '../../src/selfplay/targets/lambda-returns.js';
import { ownershipPlanes, ownershipTargets } from '../../src/selfplay/targets/ownership.js';
import { sampledPlies } from '../../src/selfplay/targets/playout-cap.js';
import { policySurprises, valueSurprises } from '../../src/selfplay/targets/surprise-weighting.js';
import { mixValueTargets } from '../../src/selfplay/targets/value-mix.js';
import type { Trajectory } from '../../src/selfplay/trajectory.js';

/**
 * Each training-target function alone, on trajectories written by hand (per-move arrays set
 * directly, no game played), with the expected targets worked out in the comments.
 */

const ttt = createGame('tictactoe');
const A = ttt.numActions;
const inSize = encodedSize(ttt);

/** A trajectory over `players.length` searched moves; what a test does not set is zero. */
function trajectory(o: {
  players: number[];
  full: number[];
  rootValues: number[];
  networkValues?: number[];
  outcome: number[];
  policies?: number[][];
  priors?: number[][];
  final?: { inputs: Float32Array; perspective: number };
}): Trajectory {
  const plies = o.players.length;
  const flat = (rows: number[][] | undefined) => {
    const out = new Float32Array(plies * A);
    rows?.forEach((row, i) => out.set(row, i * A));
    return out;
  };
  const inputs = new Float32Array(plies * inSize);
  for (let i = 0; i < plies; i++) inputs[i * inSize] = i + 1; // tells the rows apart
  return {
    game: ttt.spec,
    seed: 'hand',
    openingActions: new Int32Array(0),
    plies,
    numActions: A,
    inputSize: inSize,
    players: Int8Array.from(o.players),
    full: Uint8Array.from(o.full),
    simulations: Int32Array.from(o.full.map((f) => (f ? 32 : 8))),
    actions: Int32Array.from(o.players.map((_, i) => i)),
    rootValues: Float32Array.from(o.rootValues),
    networkValues: Float32Array.from(o.networkValues ?? o.rootValues.map(() => 0)),
    policies: flat(o.policies),
    visits: flat(o.policies),
    priors: flat(o.priors),
    inputs,
    masks: new Uint8Array(plies * A).fill(1),
    outcome: o.outcome,
    resignation: { resignedBy: -1, playthrough: false, wouldResign: [false, false] },
    final: o.final ?? { inputs: new Float32Array(inSize), perspective: 0 },
    playMs: 0,
  };
}

describe('playout-cap filtering (Wu 2019, §3.1)', () => {
  it('samples the full searches only, in order', () => {
    const t = trajectory({ players: [0, 1, 0, 1, 0], full: [1, 0, 1, 1, 0], rootValues: [0, 0, 0, 0, 0], outcome: [1, -1] });
    expect(Array.from(sampledPlies(t))).toEqual([0, 2, 3]);
    expect(sampledPlies(trajectory({ players: [0, 1], full: [0, 0], rootValues: [0, 0], outcome: [0, 0] }))).toHaveLength(0);
  });
});

describe('TD(λ) returns (Sutton 1988)', () => {
  const values = Float32Array.of(0.2, -0.4, 0.6, -0.8);
  const players = Int8Array.of(0, 1, 0, 1);

  it('λ = 1 is the outcome for each mover; λ = 0 is the next search\'s value from the mover\'s side', () => {
    expect(Array.from(lambdaReturns(values, players, 4, [1, -1], 1))).toEqual([1, -1, 1, -1]);
    // G_t = −v_{t+1} (the next mover is the opponent); the last move gets the outcome.
    lambdaReturns(values, players, 4, [1, -1], 0).forEach((g, t) => expect(g).toBeCloseTo([0.4, -0.6, 0.8, -1][t], 6));
  });

  it('λ = 0.5 by hand, and the same mover twice in a row keeps the sign', () => {
    // G_3 = z_1 = -1; G_2 (player 0) = −(0.5·(−0.8) + 0.5·(−1)) = 0.9; G_1 (player 1) = −(0.5·0.6 + 0.5·0.9) = −0.75;
    // G_0 (player 0) = −(0.5·(−0.4) + 0.5·(−0.75)) = 0.575.
    const g = lambdaReturns(values, players, 4, [1, -1], 0.5);
    expect(g).toHaveLength(4);
    g.forEach((v, t) => expect(v).toBeCloseTo([0.575, -0.75, 0.9, -1][t], 6));
    // Player 0 moves twice (a pass-like turn): G_0 = 0.5·v_1 + 0.5·G_1 with no negation.
    const same = lambdaReturns(Float32Array.of(0, 0.4), Int8Array.of(0, 0), 2, [1, -1], 0.5);
    expect(same[0]).toBeCloseTo(0.7, 6);
    expect(same[1]).toBe(1);
    expect(lambdaReturns(values, players, 0, [1, -1], 0.5)).toHaveLength(0);
  });
});

describe('the z/q value mix (Oracle\'s Connect Four study)', () => {
  it('is (1 − w)·z + w·q at the sampled plies', () => {
    const returns = Float32Array.of(1, -1, 1, -1);
    const q = Float32Array.of(0.5, -0.25, 0.75, 0);
    const plies = Int32Array.of(0, 2, 3);
    expect(Array.from(mixValueTargets(returns, q, plies, 0))).toEqual([1, 1, -1]);
    expect(Array.from(mixValueTargets(returns, q, plies, 1))).toEqual([0.5, 0.75, 0]);
    expect(Array.from(mixValueTargets(returns, q, plies, 0.5))).toEqual([0.75, 0.875, -0.5]);
  });
});

describe('ownership targets (Wu 2019, §4.1)', () => {
  it('read the final board from each sample\'s mover\'s side', () => {
    // Final tic-tac-toe board encoded from player 1's side: own (player 1) stones on cells 0 and 4, player 0's on 8.
    const [own, opp] = ownershipPlanes(ttt);
    const final = new Float32Array(inSize);
    final[own * 9 + 0] = 1;
    final[own * 9 + 4] = 1;
    final[opp * 9 + 8] = 1;
    const t = trajectory({ players: [0, 1, 0], full: [1, 1, 1], rootValues: [0, 0, 0], outcome: [-1, 1], final: { inputs: final, perspective: 1 } });
    const targets = ownershipTargets(t, Int32Array.of(0, 1), [own, opp], 9);
    const cells = (from: number) => Array.from(targets.subarray(from, from + 9), (v) => v + 0); // -0 reads as 0
    expect(cells(0)).toEqual([-1, 0, 0, 0, -1, 0, 0, 0, 1]); // player 0
    expect(cells(9)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, -1]); // player 1
  });
});

describe('surprise scores (KataGo)', () => {
  it('policy surprise is KL(target ‖ prior) per sample; value surprise (z − v)²', () => {
    const uniform = new Array(A).fill(1 / A);
    const oneHot = (a: number) => Array.from({ length: A }, (_, i) => (i === a ? 1 : 0));
    const t = trajectory({
      players: [0, 1], full: [1, 1], rootValues: [0, 0], networkValues: [0.5, -0.25], outcome: [1, -1],
      policies: [oneHot(4), uniform], priors: [uniform, uniform],
    });
    const p = policySurprises(t, Int32Array.of(0, 1));
    expect(p[0]).toBeCloseTo(Math.log(A), 6);
    expect(p[1]).toBeCloseTo(0, 6);
    const v = valueSurprises(Float32Array.of(1, -1), t.networkValues, Int32Array.of(0, 1));
    expect(Array.from(v)).toEqual([0.25, 0.5625]);
  });
});

describe('gameSamples', () => {
  const base: TargetSettings = { valueTargetQWeight: 0, valueTargetLambda: 1, surpriseWeighting: { policy: 0, value: 0 }, ownership: null };
  const t = trajectory({ players: [0, 1, 0, 1], full: [1, 0, 1, 1], rootValues: [0.2, -0.4, 0.6, -0.8], networkValues: [0, 0, 0.9, 0], outcome: [1, -1] });

  it('composes playout-cap filtering, the λ-return and the z/q mix; each sample written once without surprise weighting', () => {
    const s = gameSamples(t, base, createRng('x'));
    expect(Array.from(s.plies)).toEqual([0, 2, 3]);
    expect(Array.from(s.values)).toEqual([1, 1, -1]);
    expect(Array.from(s.copies)).toEqual([1, 1, 1]);
    expect(s.written).toBe(3);
    expect(s.ownership).toBeNull();
    // λ = 0.5 and w = 0.5: the returns of the by-hand test above, mixed with q.
    const mixed = gameSamples(t, { ...base, valueTargetLambda: 0.5, valueTargetQWeight: 0.5 }, createRng('x'));
    mixed.values.forEach((v, i) => expect(v).toBeCloseTo([0.5 * 0.575 + 0.5 * 0.2, 0.5 * 0.9 + 0.5 * 0.6, 0.5 * -1 + 0.5 * -0.8][i], 6));
  });

  it('draws copies from the value surprises with the stream it is given', () => {
    // Value share 1: weights 3·s_i / Σs, s = (z − v)² = [1, 0.01, 1] → [1.4925, 0.0149, 1.4925].
    const settings = { ...base, surpriseWeighting: { policy: 0, value: 1 } };
    const a = gameSamples(t, settings, createRng('copies'));
    const b = gameSamples(t, settings, createRng('copies'));
    expect(Array.from(a.copies)).toEqual(Array.from(b.copies));
    expect(a.written).toBe(a.copies.reduce((x, y) => x + y, 0));
    const mean = [0, 0, 0];
    const rng = createRng('mean');
    for (let k = 0; k < 4000; k++) gameSamples(t, settings, rng).copies.forEach((c, i) => (mean[i] += c / 4000));
    expect(mean[0]).toBeCloseTo(3 / 2.01, 1);
    expect(mean[1]).toBeCloseTo(0.03 / 2.01, 1);
    expect(mean[2]).toBeCloseTo(3 / 2.01, 1);
  });
});
