import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng, encodedSize, type Evaluator, type Game, type Rng, type State } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { UniformEvaluator } from '../../src/mcts/index.js';
import { resolveConfig, type TrainConfig } from '../../src/selfplay/config.js';
import { boardCells, emptyChunk, type SampleChunk } from '../../src/selfplay/replay-buffer.js';
import { SampleWriter } from '../../src/selfplay/sample-writer.js';
import { playSelfPlayGames, targetSettingsFor } from '../../src/selfplay/selfplay-batch.js';
import { playGames } from '../../src/selfplay/selfplay-game.js';
import { gameSamples, ownershipPlanes } from '../../src/selfplay/targets/index.js';
import type { SelfPlayStats } from '../../src/selfplay/selfplay-stats.js';
import type { Trajectory } from '../../src/selfplay/trajectory.js';

/**
 * Training targets did not change when self-play started returning trajectories. Two checks:
 * 1. the same recorded games through the reference (the target code as it ran inside the play
 *    loop up to commit 258be8a, copied below) and through the pure functions of
 *    src/selfplay/targets give the same samples, bit for bit;
 * 2. in-process self-play with network-free evaluators (pure JavaScript, so it repeats exactly)
 *    gives the chunks whose SHA-256 digests were taken from that commit's playSelfPlayGames.
 */

type Settings = TrainConfig['selfplay'];

// ---- The reference: self-play's target code as of commit 258be8a, fed from a trajectory. ----

function refLambdaReturns(values: Float32Array, movers: Int8Array, plies: number, returns: readonly number[], lambda: number, out: Float32Array): void {
  if (plies === 0) return;
  let g = returns[movers[plies - 1]];
  out[plies - 1] = g;
  for (let t = plies - 2; t >= 0; t--) {
    const next = (1 - lambda) * values[t + 1] + lambda * g;
    g = movers[t] === movers[t + 1] ? next : 0 - next;
    out[t] = g;
  }
}

function refPolicySurprise(target: Float32Array, prior: Float32Array, n: number, offset = 0): number {
  let kl = 0;
  for (let a = 0; a < n; a++) {
    const t = target[offset + a];
    if (t > 0) kl += t * Math.log(t / Math.max(prior[a], 1e-6));
  }
  return kl > 0 ? kl : 0;
}

function refSurpriseCopies(policyScores: Float32Array, valueScores: Float32Array, n: number, policyShare: number, valueShare: number, rng: Rng, copies: Int32Array): number {
  let policySum = 0;
  let valueSum = 0;
  for (let i = 0; i < n; i++) {
    policySum += policyScores[i];
    valueSum += valueScores[i];
  }
  const p = policySum > 0 ? policyShare : 0;
  const v = valueSum > 0 ? valueShare : 0;
  const uniform = 1 - p - v;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = uniform + (p > 0 ? (p * n * policyScores[i]) / policySum : 0) + (v > 0 ? (v * n * valueScores[i]) / valueSum : 0);
    const whole = Math.floor(w);
    const k = whole + (rng.next() < w - whole ? 1 : 0);
    copies[i] = k;
    total += k;
  }
  return total;
}

/**
 * One game's samples as the play loop wrote them: per-move buffers filled while playing (here
 * refilled from the trajectory, as the loop filled them from each search result), then the
 * λ-returns, surprise copies and the chunk append of that code.
 */
function referenceSamples(game: Game, t: Trajectory, settings: Settings, pieces: [number, number] | null, rng: Rng, chunk: SampleChunk): void {
  const n = game.maxGameLength;
  const a = game.numActions;
  const inSize = encodedSize(game);
  const inputs = new Float32Array(n * inSize);
  const policies = new Float32Array(n * a);
  const masks = new Uint8Array(n * a);
  const movers = new Int8Array(n);
  const rootValues = new Float32Array(n);
  const plyValues = new Float32Array(n);
  const plyMovers = new Int8Array(n);
  const plyReturns = new Float32Array(n);
  const recordedPly = new Int32Array(n);
  const policySurprises = new Float32Array(n);
  const rawValues = new Float32Array(n);
  const valueSurprises = new Float32Array(n);
  const slotCopies = new Int32Array(n);
  const weighting = settings.surpriseWeighting.policy > 0 || settings.surpriseWeighting.value > 0;
  let recorded = 0;
  for (let plies = 0; plies < t.plies; plies++) {
    plyValues[plies] = t.rootValues[plies];
    plyMovers[plies] = t.players[plies];
    if (t.full[plies] && recorded < game.maxGameLength) {
      recordedPly[recorded] = plies;
      inputs.set(t.inputs.subarray(plies * inSize, (plies + 1) * inSize), recorded * inSize);
      const policy = t.policies.subarray(plies * a, (plies + 1) * a);
      policies.set(policy, recorded * a);
      masks.set(t.masks.subarray(plies * a, (plies + 1) * a), recorded * a);
      movers[recorded] = t.players[plies];
      rootValues[recorded] = t.rootValues[plies];
      if (weighting) {
        policySurprises[recorded] = refPolicySurprise(policy, t.priors.subarray(plies * a, (plies + 1) * a), a);
        rawValues[recorded] = t.networkValues[plies];
      }
      recorded++;
    }
  }
  const finalPerspective = pieces && recorded > 0 ? t.final.perspective : -1;
  refLambdaReturns(plyValues, plyMovers, t.plies, t.outcome, settings.valueTargetLambda, plyReturns);
  let copies: Int32Array | null = null;
  if (weighting) {
    for (let i = 0; i < recorded; i++) {
      const miss = plyReturns[recordedPly[i]] - rawValues[i];
      valueSurprises[i] = miss * miss;
    }
    refSurpriseCopies(policySurprises, valueSurprises, recorded, settings.surpriseWeighting.policy, settings.surpriseWeighting.value, rng, slotCopies);
    copies = slotCopies;
  }
  // The chunk append (capacity is reserved by the caller).
  const cells = boardCells(game);
  const w = settings.valueTargetQWeight;
  const own = pieces ? pieces[0] * cells : 0;
  const opp = pieces ? pieces[1] * cells : 0;
  const f = t.final.inputs;
  const c = chunk;
  for (let i = 0; i < recorded; i++) {
    const value = (1 - w) * plyReturns[recordedPly[i]] + w * rootValues[i];
    const sign = movers[i] === finalPerspective ? 1 : -1;
    for (let k = copies ? copies[i] : 1; k > 0; k--) {
      const at = c.count++;
      c.inputs.set(inputs.subarray(i * inSize, (i + 1) * inSize), at * inSize);
      c.policies.set(policies.subarray(i * a, (i + 1) * a), at * a);
      c.masks.set(masks.subarray(i * a, (i + 1) * a), at * a);
      c.values[at] = value;
      if (pieces && c.ownership) {
        const base = at * cells;
        for (let cell = 0; cell < cells; cell++) c.ownership[base + cell] = sign * (f[own + cell] - f[opp + cell]);
      }
    }
  }
}

// ---- Scenarios ----

/** Priors and values that vary with the position (from its hash), without a network: repeatable everywhere. */
class HashedEvaluator implements Evaluator {
  readonly name = 'hashed';
  private readonly mask: Uint8Array;
  constructor(private readonly game: Game) {
    this.mask = new Uint8Array(game.numActions);
  }
  evaluateNow(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): void {
    const A = this.game.numActions;
    for (let i = 0; i < count; i++) {
      const s = states[i];
      const h = s.hash();
      s.legalMask(this.mask);
      let sum = 0;
      for (let a = 0; a < A; a++) {
        const w = this.mask[a] ? (Math.floor(h / (a + 3)) % 7) + 1 : 0;
        policy[i * A + a] = w;
        sum += w;
      }
      for (let a = 0; a < A; a++) policy[i * A + a] /= sum;
      value[i] = ((h % 2001) / 1000 - 1) * 0.9;
    }
  }
  async evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void> {
    this.evaluateNow(states, count, policy, value);
  }
}

interface Scenario {
  name: string;
  spec: string;
  patch: Record<string, unknown>;
  games: number;
  evaluator: 'uniform' | 'hashed';
  concurrency: number;
  ownership: boolean;
  /** SHA-256 of the chunk's arrays from playSelfPlayGames at commit 258be8a, and its sample count. */
  sha256: string;
  count: number;
  /** The batch totals at that commit (all but the timing). */
  stats: Omit<SelfPlayStats, 'searchMs'>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'tic-tac-toe, quick preset (playout caps, openings, temperature), ownership',
    spec: 'tictactoe', patch: {}, games: 12, evaluator: 'uniform', concurrency: 1, ownership: true,
    sha256: '02e07f57492d1f2eed7b4109d1e3a8850eb3e39e3b7445ad3fcf0821e7ad0a44', count: 41,
    stats: { games: 12, moves: 85, samples: 41, firstWins: 9, secondWins: 1, draws: 2, resigned: 0, playthroughGames: 0, falseResignations: 0, simulations: 2496 },
  },
  {
    name: 'tic-tac-toe, every switch: z/q mix, TD(λ), surprise weighting, forced playouts, root policy temperature, opening range, resignation with playthrough',
    spec: 'tictactoe',
    patch: {
      valueTargetQWeight: 0.5, valueTargetLambda: 0.8, surpriseWeighting: { policy: 0.5, value: 0.1 }, forcedPlayouts: 2,
      rootPolicyTemperature: { initial: 1.25, final: 1.1, halfLifeMoves: 3 }, openings: { fraction: 0.5, randomMoves: 1, randomMovesUpTo: 2 },
      resign: { enabled: true, threshold: 0.3, consecutiveMoves: 1, playthroughFraction: 0.3, minMoves: 2 },
    },
    games: 16, evaluator: 'hashed', concurrency: 1, ownership: true,
    sha256: 'abc48742deb4e234853b25d1072db2269387b2157e57bbfa79b6b0788150d0ac', count: 51,
    stats: { games: 16, moves: 80, samples: 51, firstWins: 11, secondWins: 2, draws: 3, resigned: 9, playthroughGames: 4, falseResignations: 0, simulations: 2976 },
  },
  {
    name: 'Connect Four, Gumbel root with playout caps, TD(λ), z/q mix, policy surprise, ownership',
    spec: 'connect4',
    patch: { root: 'gumbel', consideredActions: 4, simulations: 16, cheapSimulations: 4, fullSearchFraction: 0.5, valueTargetLambda: 0.9, valueTargetQWeight: 0.25, surpriseWeighting: { policy: 0.3, value: 0 } },
    games: 6, evaluator: 'hashed', concurrency: 1, ownership: true,
    sha256: '242915ba987f04d51ce940ccbc4e8683f800842d06247130a0ce1a3151653ad5', count: 82,
    stats: { games: 6, moves: 179, samples: 82, firstWins: 3, secondWins: 3, draws: 0, resigned: 0, playthroughGames: 0, falseResignations: 0, simulations: 1640 },
  },
  {
    name: 'Connect Four, three games in flight, value surprise, playthrough resignation, random openings of 0-3 moves',
    spec: 'connect4',
    patch: {
      simulations: 24, cheapSimulations: 6, fullSearchFraction: 0.4, valueTargetLambda: 0.7, surpriseWeighting: { policy: 0, value: 0.4 },
      resign: { enabled: true, threshold: 0.5, consecutiveMoves: 2, playthroughFraction: 0.5, minMoves: 4 }, openings: { fraction: 1, randomMoves: 0, randomMovesUpTo: 3 },
    },
    games: 8, evaluator: 'hashed', concurrency: 3, ownership: false,
    sha256: 'b3e6d0d27e34eacfd359d255989335439044d83050df1179fc9238880ee24dfe', count: 62,
    stats: { games: 8, moves: 159, samples: 62, firstWins: 5, secondWins: 3, draws: 0, resigned: 0, playthroughGames: 7, falseResignations: 0, simulations: 1998 },
  },
];

function setup(s: Scenario) {
  const game = createGame(s.spec);
  const settings = resolveConfig({ game: game.spec, gameId: game.id, preset: 'quick', seed: 'pin', overrides: { selfplay: s.patch } }).selfplay;
  const makeEvaluator = () => (s.evaluator === 'uniform' ? new UniformEvaluator(game) : new HashedEvaluator(game));
  return { game, settings, makeEvaluator, options: { games: s.games, firstGame: 3, seed: `pin-${s.spec}`, concurrency: s.concurrency } };
}

function digest(c: SampleChunk): string {
  const h = createHash('sha256');
  for (const a of [c.inputs, c.policies, c.values, c.masks, c.ownership ?? new Uint8Array(0)]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
}

describe('training targets from trajectories equal those of the play loop that built them while playing', () => {
  for (const s of SCENARIOS) {
    it(`the same games give the same samples: ${s.name}`, async () => {
      const { game, settings, makeEvaluator, options } = setup(s);
      const games: { trajectory: Trajectory; seed: string; rngState: object }[] = [];
      await playGames(game, settings, makeEvaluator, options, (trajectory, rng) => games.push({ trajectory, seed: rng.seed, rngState: rng.saveState() }));
      expect(games).toHaveLength(s.games);
      const pieces = s.ownership ? ownershipPlanes(game) : null;
      const reference = emptyChunk(game, 64 * s.games * game.maxGameLength, s.ownership);
      reference.count = 0;
      const writer = new SampleWriter(game, 16, s.ownership);
      const targets = targetSettingsFor(game, settings, s.ownership);
      for (const g of games) {
        referenceSamples(game, g.trajectory, settings, pieces, createRng(g.seed, g.rngState), reference);
        writer.append(g.trajectory, gameSamples(g.trajectory, targets, createRng(g.seed, g.rngState)));
      }
      const ours = writer.finish();
      expect(ours.count).toBe(reference.count);
      expect(ours.count).toBeGreaterThan(20);
      expect(Buffer.from(ours.values.buffer).equals(Buffer.from(reference.values.buffer, 0, 4 * reference.count))).toBe(true);
      expect(Array.from(ours.values)).toEqual(Array.from(reference.values.subarray(0, reference.count)));
      expect(Array.from(ours.policies)).toEqual(Array.from(reference.policies.subarray(0, reference.count * game.numActions)));
      expect(Array.from(ours.inputs)).toEqual(Array.from(reference.inputs.subarray(0, reference.count * encodedSize(game))));
      expect(Array.from(ours.masks)).toEqual(Array.from(reference.masks.subarray(0, reference.count * game.numActions)));
      if (s.ownership) expect(Buffer.from(ours.ownership!.buffer).equals(Buffer.from(reference.ownership!.buffer, 0, 4 * reference.count * boardCells(game)))).toBe(true);
    });
  }

  for (const s of SCENARIOS) {
    it(`self-play writes the chunk recorded before trajectories existed: ${s.name}`, async () => {
      const { game, settings, makeEvaluator, options } = setup(s);
      const { chunk, stats } = await playSelfPlayGames(game, settings, makeEvaluator, { ...options, recordOwnership: s.ownership });
      expect(chunk.count).toBe(s.count);
      const { searchMs: _ms, ...counts } = stats;
      expect(counts).toEqual(s.stats);
      expect(digest(chunk)).toBe(s.sha256);
    });
  }
});
