import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import '../../src/agents/builtins.js';
import type { Game, State, Evaluator } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { Search, UniformEvaluator, writeUniformPolicy } from '../../src/mcts/index.js';
import { resolveConfig, type TrainConfig } from '../../src/selfplay/config.js';
import { gateCandidate } from '../../src/selfplay/evaluation.js';
import type { RunFolder } from '../../src/selfplay/run-folder.js';
import { createSelfPlaySearch } from '../../src/selfplay/search-adapter.js';
import { tinyCheckpoints } from './tiny-checkpoints.js';
import { CentreEvaluator } from '../mcts/centre-evaluator.js';
import { playSelfPlayGames } from '../../src/selfplay/selfplay-batch.js';
import type { SelfPlayStats } from '../../src/selfplay/selfplay-stats.js';
import { lambdaReturns } from '../../src/selfplay/targets/lambda-returns.js';
import { moveTemperature } from '../../src/selfplay/temperature.js';

/**
 * The efficiency switches of self-play (playout cap randomization, resignation with playthrough,
 * the temperature schedule, opening randomisation) and AlphaGo Zero gating, each checked in the
 * main thread with network-free evaluators. A spy around the self-play search (the seam
 * selfplay-game.ts plays through) records every search call and every move played, one game
 * after another (concurrency 1), so each test can check the switches move by move.
 */

interface MoveRecord {
  moveNumber: number;
  mover: number;
  /** Simulations asked for, and whether the move was a full (recorded, noised) search. */
  sims: number;
  full: boolean;
  /** Simulations the search ran (fewer only when the solver proved the root). */
  done: number;
  proven: number | null;
  value: number;
  visits: Float32Array;
  policy: Float32Array;
  bestAction: number;
  actionProven: Int8Array;
  /** The move played from this search; -1 when none was (the mover resigned). */
  action: number;
}
interface GameTrace {
  /** Moves played without a search before the first one (random openings). */
  opening: number[];
  moves: MoveRecord[];
}

const spy = vi.hoisted(() => ({ games: [] as GameTrace[], rootMove: 0 }));
const arenaStub = vi.hoisted(() => ({ next: null as unknown, calls: [] as unknown[] }));

vi.mock(import('../../src/selfplay/search-adapter.js'), async (importOriginal) => {
  const actual = await importOriginal();
  return {
    ...actual,
    createSelfPlaySearch: (...args: Parameters<typeof actual.createSelfPlaySearch>) => {
      const inner = actual.createSelfPlaySearch(...args);
      const current = () => spy.games[spy.games.length - 1];
      return {
        reset: () => {
          inner.reset();
          spy.games.push({ opening: [], moves: [] });
        },
        advance: (action: number) => {
          inner.advance(action);
          const g = current();
          const last = g.moves[g.moves.length - 1];
          if (last && last.action === -1) last.action = action;
          else if (g.moves.length === 0) g.opening.push(action);
          else throw new Error('spy: a move was played without a search after the opening');
        },
        run: async (state: State, sims: number, full: boolean) => {
          const moveNumber = state.moveNumber();
          const mover = state.currentPlayer();
          spy.rootMove = moveNumber;
          const r = await inner.run(state, sims, full);
          current().moves.push({
            moveNumber, mover, sims, full, done: r.stats.simulations, proven: r.proven, value: r.value,
            visits: r.visits.slice(), policy: r.policy.slice(), bestAction: r.bestAction, actionProven: r.actionProven.slice(), action: -1,
          });
          return r;
        },
      };
    },
  };
});

// gateCandidate's match: the real playMatch unless a test queued a canned result.
vi.mock(import('../../src/arena/index.js'), async (importOriginal) => {
  const actual = await importOriginal();
  return {
    ...actual,
    playMatch: async (options: Parameters<typeof actual.playMatch>[0]) => {
      arenaStub.calls.push(options);
      if (arenaStub.next) {
        const r = arenaStub.next as Awaited<ReturnType<typeof actual.playMatch>>;
        arenaStub.next = null;
        return r;
      }
      return actual.playMatch(options);
    },
  };
});

const ttt = createGame('tictactoe');
const c4 = createGame('connect4');

type Settings = TrainConfig['selfplay'];
type SelfplayPatch = { [K in keyof Settings]?: Settings[K] extends object ? Partial<Settings[K]> : Settings[K] };

/** Self-play settings: the quick preset of `game`, switches off unless the test turns them on. */
function settingsFor(game: Game, patch: SelfplayPatch): Settings {
  const base: SelfplayPatch = {
    simulations: 16, cheapSimulations: 16, fullSearchFraction: 1, leafBatch: 4,
    openings: { fraction: 0, randomMoves: 1 },
    resign: { enabled: false },
  };
  const merged = { ...base, ...patch, openings: { ...base.openings, ...patch.openings }, resign: { ...base.resign, ...patch.resign } };
  return resolveConfig({ game: game.spec, gameId: game.id, preset: 'quick', seed: 'switches', overrides: { selfplay: merged } }).selfplay;
}

async function play(game: Game, settings: Settings, games: number, seed: string, makeEvaluator: () => Evaluator = () => new UniformEvaluator(game)) {
  spy.games = [];
  const batch = await playSelfPlayGames(game, settings, makeEvaluator, { games, firstGame: 0, seed, concurrency: 1, keepTrajectories: true });
  expect(spy.games).toHaveLength(games);
  return { ...batch, trace: spy.games };
}

function countsOf(stats: SelfPlayStats): Omit<SelfPlayStats, 'searchMs'> {
  const { searchMs: _ms, ...rest } = stats;
  return rest;
}

/** Replays a traced game; the returns when it reached the end, else null (someone resigned). */
function replay(game: Game, g: GameTrace): number[] | null {
  const s = game.newInitialState();
  for (const a of g.opening) s.apply(a);
  for (const m of g.moves) if (m.action >= 0) s.apply(m.action);
  return s.isTerminal() ? [s.returnOf(0), s.returnOf(1)] : null;
}

/**
 * Uniform priors; the value says `loser` is lost (−v for it, +v for the other side to move), so
 * every root value of `loser` sits near −v whatever the position, until real game ends come
 * within the search's reach.
 */
class DoomedEvaluator implements Evaluator {
  readonly name = 'doomed';
  private readonly legal: Int32Array;
  constructor(private readonly game: Game, private readonly loser: number, private readonly v = 0.98) {
    this.legal = new Int32Array(game.numActions);
  }
  evaluateNow(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): void {
    for (let i = 0; i < count; i++) {
      writeUniformPolicy(states[i], this.legal, policy, i * this.game.numActions, this.game.numActions);
      value[i] = states[i].currentPlayer() === this.loser ? -this.v : this.v;
    }
  }
  async evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void> {
    this.evaluateNow(states, count, policy, value);
  }
}

/**
 * Uniform priors; the first player is called lost (−1, the second +1) only in searches from
 * the root move numbers in `lowAt`, and every position is even (0) in the others.
 */
class PhasedEvaluator implements Evaluator {
  readonly name = 'phased';
  private readonly legal: Int32Array;
  constructor(private readonly game: Game, private readonly lowAt: ReadonlySet<number>) {
    this.legal = new Int32Array(game.numActions);
  }
  evaluateNow(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): void {
    const low = this.lowAt.has(spy.rootMove);
    for (let i = 0; i < count; i++) {
      writeUniformPolicy(states[i], this.legal, policy, i * this.game.numActions, this.game.numActions);
      value[i] = low ? (states[i].currentPlayer() === 0 ? -1 : 1) : 0;
    }
  }
  async evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void> {
    this.evaluateNow(states, count, policy, value);
  }
}

const argmaxCount = (visits: Float32Array) => Math.max(...visits);

/**
 * Whether a move is what greedy play picks: a proven win when the solver found one, else a
 * most-visited move among those not proven lost (selectMove never plays a proven loss while
 * another move exists).
 */
function isGreedyChoice(m: MoveRecord): boolean {
  if (m.proven === 1) return m.action === m.bestAction;
  let max = 0;
  let anySafe = false;
  for (let a = 0; a < m.visits.length; a++) if (m.visits[a] > 0 && m.actionProven[a] !== -1) anySafe = true;
  for (let a = 0; a < m.visits.length; a++) if (!(anySafe && m.actionProven[a] === -1)) max = Math.max(max, m.visits[a]);
  return m.visits[m.action] === max;
}

/**
 * The resignation rule restated over a traced game: the index of the move at which a player
 * would first resign (below −threshold for `consecutiveMoves` own moves from `minMoves` on), and
 * which players would have resigned at some point.
 */
function wouldResign(g: GameTrace, r: { threshold: number; consecutiveMoves: number; minMoves: number }): { first: number; players: boolean[] } {
  const streak = [0, 0];
  const players = [false, false];
  let first = -1;
  g.moves.forEach((m, i) => {
    if (m.moveNumber < r.minMoves) return;
    streak[m.mover] = m.value < -r.threshold ? streak[m.mover] + 1 : 0;
    if (streak[m.mover] >= r.consecutiveMoves) {
      players[m.mover] = true;
      if (first < 0) first = i;
    }
  });
  return { first, players };
}

describe('trajectories', () => {
  it('hold what each search returned and the move played after it, resignations included', async () => {
    const resign = { enabled: true, threshold: 0.8, consecutiveMoves: 2, minMoves: 0, playthroughFraction: 0 };
    const settings = settingsFor(c4, { simulations: 16, cheapSimulations: 4, fullSearchFraction: 0.5, resign, openings: { fraction: 1, randomMoves: 1 } });
    const { trace, trajectories } = await play(c4, settings, 6, 'traj', () => new DoomedEvaluator(c4, 1, 0.9));
    expect(trajectories).toHaveLength(6);
    const A = c4.numActions;
    trace.forEach((g, i) => {
      const t = trajectories![i];
      expect(Array.from(t.openingActions)).toEqual(g.opening);
      expect(t.plies).toBe(g.moves.length);
      g.moves.forEach((m, p) => {
        expect([t.players[p], t.full[p] === 1, t.simulations[p], t.actions[p]]).toEqual([m.mover, m.full, m.sims, m.action]);
        expect(t.rootValues[p]).toBe(Math.fround(m.value));
        expect(Array.from(t.policies.subarray(p * A, (p + 1) * A))).toEqual(Array.from(m.policy));
        expect(Array.from(t.visits.subarray(p * A, (p + 1) * A))).toEqual(Array.from(m.visits));
      });
      // The second player is doomed: it resigns at its second search (move 3, after one random first move).
      expect(t.resignation).toEqual({ resignedBy: 1, playthrough: false, wouldResign: [false, false] });
      expect(t.actions[t.plies - 1]).toBe(-1);
      expect(t.outcome).toEqual([1, -1]);
    });
  });
});

describe('playout cap randomization (Wu 2019, §3.1)', () => {
  const p = 0.25;
  const settings = settingsFor(ttt, { simulations: 32, cheapSimulations: 4, fullSearchFraction: p });

  it('gives about p of the moves the full budget and records exactly those as policy targets', async () => {
    const { chunk, stats, trace } = await play(ttt, settings, 80, 'cap');
    const moves = trace.flatMap((g) => g.moves);
    const full = moves.filter((m) => m.full);
    const cheap = moves.filter((m) => !m.full);
    expect(moves.length).toBeGreaterThan(500);
    // Every search gets one of the two budgets, the full one exactly when it is a full move, and
    // runs all of it unless the solver proves the root first.
    for (const m of moves) {
      expect(m.sims).toBe(m.full ? 32 : 4);
      if (m.proven === null) expect(m.done).toBe(m.sims);
    }
    // Binomial(n≈600, 0.25): sd ≈ 0.018, so ±0.06 is more than 3 sd.
    expect(Math.abs(full.length / moves.length - p)).toBeLessThan(0.06);
    expect(stats.moves).toBe(moves.length);
    expect(stats.samples).toBe(full.length);
    expect(stats.simulations).toBe(32 * full.length + 4 * cheap.length);
    // The recorded samples are the full searches' improved policies, in game and move order.
    expect(chunk.count).toBe(full.length);
    const A = ttt.numActions;
    full.forEach((m, i) => expect(Array.from(chunk.policies.subarray(i * A, (i + 1) * A))).toEqual(Array.from(m.policy)));
  });

  it('repeats exactly with the same seed and differs with another', async () => {
    const a = await play(ttt, settings, 30, 'same');
    const aFull = a.trace.map((g) => g.moves.map((m) => (m.full ? 1 : 0)).join('')).join('|');
    const b = await play(ttt, settings, 30, 'same');
    const bFull = b.trace.map((g) => g.moves.map((m) => (m.full ? 1 : 0)).join('')).join('|');
    expect(countsOf(b.stats)).toEqual(countsOf(a.stats));
    expect(bFull).toBe(aFull);
    expect(Array.from(b.chunk.policies)).toEqual(Array.from(a.chunk.policies));
    const c = await play(ttt, settings, 30, 'other');
    expect(c.trace.map((g) => g.moves.map((m) => (m.full ? 1 : 0)).join('')).join('|')).not.toBe(aFull);
  });

  it('p = 1 makes every move full and recorded; p = 0 records nothing', async () => {
    const all = await play(ttt, settingsFor(ttt, { simulations: 32, cheapSimulations: 4, fullSearchFraction: 1 }), 10, 'p1');
    expect(all.trace.every((g) => g.moves.every((m) => m.full && m.sims === 32))).toBe(true);
    expect(all.stats.samples).toBe(all.stats.moves);
    const none = await play(ttt, settingsFor(ttt, { simulations: 32, cheapSimulations: 4, fullSearchFraction: 0 }), 10, 'p0');
    expect(none.trace.every((g) => g.moves.every((m) => !m.full && m.sims === 4))).toBe(true);
    expect(none.stats.samples).toBe(0);
    expect(none.chunk.count).toBe(0);
    expect(none.stats.moves).toBeGreaterThanOrEqual(10 * 5);
  });

  it('puts Dirichlet root noise on full searches only', async () => {
    const s = settingsFor(ttt, { simulations: 32, cheapSimulations: 32, dirichletEpsilon: 0.25 });
    const visitsOf = async (seed: string, full: boolean) => {
      const search = createSelfPlaySearch(ttt, new UniformEvaluator(ttt), s, seed);
      const r = await search.run(ttt.newInitialState(), 32, full);
      return Array.from(r.visits);
    };
    // Cheap searches do not depend on the noise stream; full ones do.
    expect(await visitsOf('n1', false)).toEqual(await visitsOf('n2', false));
    const noisy = await Promise.all(['n1', 'n2', 'n3'].map((seed) => visitsOf(seed, true)));
    expect(new Set(noisy.map((v) => v.join(','))).size).toBeGreaterThan(1);
  });

  it('forces playouts at noised (full) searches only and prunes them from the policy target', async () => {
    // The net calls every first move off the centre lost; its prior gives them 0.04 each.
    const s = settingsFor(c4, { simulations: 200, cheapSimulations: 200, dirichletEpsilon: 0.25, forcedPlayouts: 2, leafBatch: 1 });
    const searchOf = (forcedPlayouts: number, full: boolean) => {
      const search = createSelfPlaySearch(c4, new CentreEvaluator(0.6), { ...s, forcedPlayouts }, 'fp');
      search.reset();
      return search.run(c4.newInitialState(), 200, full);
    };
    const full = await searchOf(2, true);
    // Noised prior >= 0.75 * 0.04 = 0.03: sqrt(2 * 0.03 * 200) = 3.5, so >= 3 visits each.
    for (const a of [0, 1, 2, 4, 5, 6]) expect(full.visits[a]).toBeGreaterThanOrEqual(3);
    // Pruning gives back the forced visits PUCT would not have spent: the losing moves' share of
    // the target falls below their share of the visits (to 0 for those forcing alone visited).
    const total = full.visits.reduce((a, b) => a + b, 0);
    expect(full.policy[3]).toBeGreaterThan(full.visits[3] / total + 0.05);
    for (const a of [0, 1, 2, 4, 5, 6]) expect(full.policy[a]).toBeLessThan(full.visits[a] / total);
    expect([0, 1, 2, 4, 5, 6].filter((a) => full.policy[a] === 0).length).toBeGreaterThanOrEqual(2);
    // Cheap searches are neither noised nor forced: the same as with the switch off.
    expect(Array.from((await searchOf(2, false)).visits)).toEqual(Array.from((await searchOf(0, false)).visits));
    // Full searches without forcing: the target is the visit share.
    const unforced = await searchOf(0, true);
    const unforcedTotal = unforced.visits.reduce((a, b) => a + b, 0);
    for (let a = 0; a < 7; a++) expect(unforced.policy[a]).toBeCloseTo(unforced.visits[a] / unforcedTotal, 5);
  });
});

describe('root policy temperature (KataGo)', () => {
  it('flattens the root priors of full searches only, decaying over the game', async () => {
    // The net gives the centre 0.76 and 0.04 to every other column, and values everything 0.
    const searchOf = (rootPolicyTemperature: { initial: number; final: number; halfLifeMoves: number }, full: boolean, moves: number[] = []) => {
      const s = settingsFor(c4, { simulations: 200, cheapSimulations: 200, dirichletEpsilon: 0, leafBatch: 1, rootPolicyTemperature });
      const search = createSelfPlaySearch(c4, new CentreEvaluator(0), s, 'rt');
      const state = c4.newInitialState();
      for (const m of moves) state.apply(m);
      search.reset();
      return search.run(state, 200, full);
    };
    const flat = { initial: 2, final: 1, halfLifeMoves: 7 };
    const off = { initial: 1, final: 1, halfLifeMoves: 7 };
    const tempered = await searchOf(flat, true);
    const plain = await searchOf(off, true);
    // P^(1/2): the centre's share of the prior falls from 0.76 to 0.42, so the other columns get
    // more of the visits; the result's prior is still the network's.
    expect(tempered.visits[3]).toBeLessThan(plain.visits[3] - 20);
    expect(Array.from(tempered.prior).map((p) => +p.toFixed(6))).toEqual([0.04, 0.04, 0.04, 0.76, 0.04, 0.04, 0.04]);
    // Cheap searches are not tempered.
    expect(Array.from((await searchOf(flat, false)).visits)).toEqual(Array.from((await searchOf(off, false)).visits));
    // Move 7 with a half-life of 7 moves: T = 1 + (2 - 1) / 2 = 1.5, the same search as a plain
    // Search at T = 1.5 (priors rising with the column, so the temperature shows).
    const sloped: Evaluator = {
      name: 'sloped',
      async evaluate(states, count, policy, value) {
        for (let i = 0; i < count; i++) {
          for (let a = 0; a < 7; a++) policy[i * 7 + a] = (a + 1) / 28;
          value[i] = 0;
        }
      },
    };
    const moves = [0, 1, 0, 1, 2, 2, 4];
    const state = c4.newInitialState();
    for (const m of moves) state.apply(m);
    const s = settingsFor(c4, { simulations: 100, cheapSimulations: 100, dirichletEpsilon: 0, leafBatch: 1, rootPolicyTemperature: flat });
    const adapter = createSelfPlaySearch(c4, sloped, s, 'rt');
    adapter.reset();
    const viaAdapter = await adapter.run(state, 100, true);
    const direct = await new Search(c4, sloped, { cPuct: s.cPuct, rootPolicyTemperature: 1.5 }).run(state, { simulations: 100 });
    const untempered = await new Search(c4, sloped, { cPuct: s.cPuct }).run(state, { simulations: 100 });
    expect(Array.from(viaAdapter.visits)).toEqual(Array.from(direct.visits));
    expect(Array.from(viaAdapter.visits)).not.toEqual(Array.from(untempered.visits));
  });
});

describe('resignation (AlphaGo Zero) with playthrough games', () => {
  const resign = { enabled: true, threshold: 0.8, consecutiveMoves: 2, minMoves: 0, playthroughFraction: 0 };
  // Connect Four with a value that calls one side lost: no game can end before move 6, so up to
  // move 3 every root value of the doomed side is −0.98 (no real game end within the search's
  // reach) and the resignation point is known in advance.
  const doomed = (loser: number) => () => new DoomedEvaluator(c4, loser);

  it('ends the game when the mover stays below −threshold for consecutiveMoves own moves from minMoves on', async () => {
    const { stats, chunk, trace } = await play(c4, settingsFor(c4, { resign }), 12, 'resign', doomed(0));
    // First player: below −0.8 at moves 0 and 2 -> resigns at move 2, before playing it.
    expect(stats).toMatchObject({ games: 12, resigned: 12, secondWins: 12, firstWins: 0, draws: 0, moves: 12 * 2, playthroughGames: 0, falseResignations: 0 });
    for (const g of trace) {
      expect(g.moves.map((m) => m.moveNumber)).toEqual([0, 1, 2]);
      expect(g.moves[2]).toMatchObject({ mover: 0, action: -1 });
      expect(g.moves[2].value).toBeLessThan(-0.8);
      expect(wouldResign(g, resign).first).toBe(2);
    }
    // The resigning position is still a full search and a sample; the value targets are the
    // resignation's result: −1 for the resigner's positions, +1 for the winner's.
    expect(chunk.count).toBe(12 * 3);
    expect(Array.from(chunk.values)).toEqual(Array.from({ length: 12 }, () => [-1, 1, -1]).flat());

    // consecutiveMoves 1: at the first own move.
    const at0 = await play(c4, settingsFor(c4, { resign: { ...resign, consecutiveMoves: 1 } }), 4, 'resign', doomed(0));
    expect(at0.stats).toMatchObject({ resigned: 4, secondWins: 4, moves: 0, samples: 4 });
    // minMoves 1: move 0 is not counted, so the same rule resigns at move 2.
    const min1 = await play(c4, settingsFor(c4, { resign: { ...resign, consecutiveMoves: 1, minMoves: 1 } }), 4, 'resign', doomed(0));
    expect(min1.stats).toMatchObject({ resigned: 4, secondWins: 4, moves: 4 * 2 });
  });

  it('starts the streak again after an own move above the threshold', async () => {
    // Low at the first player's moves 0 and 4 but not 2: two low moves, never two in a row. (The
    // threshold is 0.5 because tree reuse carries some even values into the search at move 4.)
    const rule = { ...resign, threshold: 0.5 };
    const s = settingsFor(c4, { simulations: 8, cheapSimulations: 8, resign: rule });
    const { stats, trace } = await play(c4, s, 8, 'streak', () => new PhasedEvaluator(c4, new Set([0, 4])));
    for (const g of trace) {
      expect(g.moves[0].value).toBeLessThan(-0.5);
      expect(g.moves[2].value).toBeGreaterThan(-0.5);
      expect(g.moves[4].value).toBeLessThan(-0.5);
      expect(g.moves.length).toBeGreaterThan(5);
      // Later, only real lost positions can trigger it, exactly where the rule says.
      const expected = wouldResign(g, rule).first;
      if (expected >= 0) expect(g.moves.length - 1).toBe(expected);
      else expect(replay(c4, g)).not.toBeNull();
    }
    expect(stats.resigned).toBe(trace.filter((g) => wouldResign(g, rule).first >= 0).length);
    // Low at 0, 2 and 4: resigns at move 2.
    const s2 = await play(c4, s, 4, 'streak', () => new PhasedEvaluator(c4, new Set([0, 2, 4])));
    expect(s2.stats).toMatchObject({ resigned: 4, moves: 4 * 2 });
  });

  it('gives the win to the first player when the second resigns', async () => {
    const { stats, chunk, trace } = await play(c4, settingsFor(c4, { resign }), 6, 'resign2', doomed(1));
    // Second player: below −0.8 at moves 1 and 3 -> resigns at move 3.
    expect(stats).toMatchObject({ games: 6, resigned: 6, firstWins: 6, secondWins: 0, moves: 6 * 3 });
    expect(trace.every((g) => g.moves.length === 4 && g.moves[3].mover === 1 && g.moves[3].action === -1)).toBe(true);
    expect(Array.from(chunk.values.subarray(0, 4))).toEqual([1, -1, 1, -1]);
  });

  it('does not resign above the threshold, nor when resignation is off', async () => {
    // Values of −0.5 for the first player: never below −0.8 until real losses come into view.
    const half = () => new DoomedEvaluator(c4, 0, 0.5);
    const above = await play(c4, settingsFor(c4, { simulations: 8, cheapSimulations: 8, resign }), 6, 'nores', half);
    for (const g of above.trace) {
      const expected = wouldResign(g, resign).first;
      expect(expected === -1 || expected > 4).toBe(true);
      // Resigned exactly where the rule says, or played to the end.
      if (expected >= 0) expect(g.moves.length - 1).toBe(expected);
      else expect(replay(c4, g)).not.toBeNull();
    }
    expect(above.stats.resigned).toBe(above.trace.filter((g) => wouldResign(g, resign).first >= 0).length);
    const off = await play(c4, settingsFor(c4, { simulations: 8, cheapSimulations: 8, resign: { ...resign, enabled: false } }), 4, 'nores', doomed(0));
    expect(off.stats).toMatchObject({ resigned: 0, playthroughGames: 0, falseResignations: 0 });
    expect(off.trace.every((g) => replay(c4, g) !== null)).toBe(true);
  });

  it('plays out playthroughFraction of would-be resignations and counts the false ones', async () => {
    const games = 60;
    const rule = { ...resign, playthroughFraction: 0.3 };
    const s = settingsFor(c4, { simulations: 12, cheapSimulations: 12, resign: rule });
    const { stats, trace } = await play(c4, s, games, 'playthrough', doomed(0));
    // Every game reaches a would-be resignation (the first player at move 2): it is either
    // resigned there or played out to the end.
    expect(stats.resigned + stats.playthroughGames).toBe(games);
    // Binomial(60, 0.3): sd ≈ 0.06.
    expect(Math.abs(stats.playthroughGames / games - 0.3)).toBeLessThan(0.18);
    let expectedFalse = 0;
    let playedOut = 0;
    for (const g of trace) {
      const would = wouldResign(g, rule);
      expect(would.first).toBe(2);
      const result = replay(c4, g);
      if (result === null) {
        expect(g.moves).toHaveLength(3);
        continue;
      }
      playedOut++;
      // A false resignation: someone would have resigned, yet did not lose the played-out game.
      if ((would.players[0] && result[0] >= 0) || (would.players[1] && result[1] >= 0)) expectedFalse++;
    }
    expect(playedOut).toBe(stats.playthroughGames);
    expect(stats.falseResignations).toBe(expectedFalse);
    // The doomed side's values are fiction, so some played-out games are not lost by it.
    expect(stats.falseResignations).toBeGreaterThan(0);
    expect(stats.falseResignations).toBeLessThanOrEqual(stats.playthroughGames);

    // The same seed gives the same counts.
    const again = await play(c4, s, games, 'playthrough', doomed(0));
    expect(countsOf(again.stats)).toEqual(countsOf(stats));
  });

  it('playthroughFraction 1 never resigns; every game the doomed side did not lose is a false resignation', async () => {
    const s = settingsFor(c4, { simulations: 12, cheapSimulations: 12, resign: { ...resign, playthroughFraction: 1 } });
    const { stats } = await play(c4, s, 16, 'all-out', doomed(0));
    expect(stats.resigned).toBe(0);
    expect(stats.playthroughGames).toBe(16);
    expect(stats.falseResignations).toBeGreaterThanOrEqual(stats.firstWins + stats.draws);
    expect(stats.falseResignations).toBeGreaterThan(0);
  });
});

describe('value target: z, q or their mix (Oracle\'s Connect Four study)', () => {
  it('records (1 − w)·z + w·q for each recorded move, z the game result and q the root value for its mover', async () => {
    for (const w of [0, 0.5, 1]) {
      const settings = settingsFor(ttt, { fullSearchFraction: 1, valueTargetQWeight: w });
      const { chunk, trace } = await play(ttt, settings, 6, 'zq');
      const expected: number[] = [];
      for (const g of trace) {
        const z = replay(ttt, g)!;
        for (const m of g.moves) expected.push((1 - w) * z[m.mover] + w * m.value);
      }
      expect(chunk.count).toBe(expected.length);
      expect(Array.from(chunk.values).map((v) => Math.round(v * 1e5) / 1e5)).toEqual(expected.map((v) => Math.round(v * 1e5) / 1e5));
      // z alone is a game result; with q in it, targets take other values too.
      const results = new Set(Array.from(chunk.values));
      if (w === 0) expect([...results].every((v) => v === 1 || v === 0 || v === -1)).toBe(true);
      else expect([...results].some((v) => v !== 1 && v !== 0 && v !== -1)).toBe(true);
    }
  });
});

describe('value target: the TD(λ) return over the later moves\' root values', () => {
  /** The forward view, written independently of lambdaReturns' backward recursion. */
  function forwardReturn(moves: MoveRecord[], t: number, z: number[], lambda: number): number {
    const me = moves[t].mover;
    const last = moves.length - 1;
    let g = 0;
    for (let k = 1; k <= last - t; k++) {
      const v = moves[t + k].mover === me ? moves[t + k].value : -moves[t + k].value;
      g += (1 - lambda) * lambda ** (k - 1) * v;
    }
    return g + lambda ** (last - t) * z[me];
  }

  it('records (1 − w)·G_λ + w·q, G_λ mixing every later searched move (cheap ones too) with the result', async () => {
    for (const [lambda, w] of [[0.8, 0], [0.5, 0.5], [0, 0]]) {
      // Cheap moves are not recorded, but their root values are part of the return.
      const settings = settingsFor(c4, { simulations: 16, cheapSimulations: 4, fullSearchFraction: 0.5, valueTargetLambda: lambda, valueTargetQWeight: w });
      const { chunk, trace } = await play(c4, settings, 4, 'td', () => new CentreEvaluator(0.5));
      const expected: number[] = [];
      const withResult: number[] = [];
      for (const g of trace) {
        const z = replay(c4, g)!;
        g.moves.forEach((m, t) => {
          if (!m.full) return;
          expected.push((1 - w) * forwardReturn(g.moves, t, z, lambda) + w * m.value);
          withResult.push((1 - w) * z[m.mover] + w * m.value);
        });
      }
      expect(trace.some((g) => g.moves.some((m) => !m.full))).toBe(true);
      expect(chunk.count).toBe(expected.length);
      const got = Array.from(chunk.values);
      got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
      // λ < 1 moves targets off the game results.
      expect(got.some((v, i) => Math.abs(v - withResult[i]) > 1e-3)).toBe(true);
    }
  });

  it('λ = 1 is the game result itself, bit for bit', async () => {
    const settings = settingsFor(c4, { simulations: 16, cheapSimulations: 4, fullSearchFraction: 0.5, valueTargetLambda: 1 });
    const { chunk, trace } = await play(c4, settings, 4, 'td1', () => new CentreEvaluator(0.5));
    expect(Array.from(chunk.values)).toEqual(trace.flatMap((g) => g.moves.filter((m) => m.full).map((m) => replay(c4, g)![m.mover])));
  });

  it('a resigned game: the resigner\'s last search ends the return, at its loss', async () => {
    // DoomedEvaluator: the first player resigns at move 2, before playing it (see the resignation tests).
    const resign = { enabled: true, threshold: 0.8, consecutiveMoves: 2, minMoves: 0, playthroughFraction: 0 };
    const lambda = 0.5;
    const settings = settingsFor(c4, { resign, valueTargetLambda: lambda });
    const { chunk, trace } = await play(c4, settings, 3, 'td-resign', () => new DoomedEvaluator(c4, 0));
    const expected: number[] = [];
    for (const g of trace) {
      expect(g.moves.map((m) => m.action)[2]).toBe(-1);
      g.moves.forEach((m, t) => expected.push(forwardReturn(g.moves, t, [-1, 1], lambda)));
    }
    expect(chunk.count).toBe(expected.length);
    Array.from(chunk.values).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    // Move 2's target is the resigner's loss itself, not a value bootstrapped past it.
    expect(chunk.values[2]).toBe(-1);
  });

  it('the backward recursion by hand', () => {
    // Three searched moves, movers 0, 1, 0; player 0 resigned at the last one: z = [-1, 1].
    const out = lambdaReturns(Float32Array.of(0.1, 0.4, -0.9), Int8Array.of(0, 1, 0), 3, [-1, 1], 0.5);
    expect(out).toHaveLength(3);
    expect(out[2]).toBeCloseTo(-1, 6);
    expect(out[1]).toBeCloseTo(-(0.5 * -0.9 + 0.5 * -1), 6); // player 1's side: 0.95
    expect(out[0]).toBeCloseTo(-(0.5 * 0.4 + 0.5 * out[1]), 6); // player 0's side: -0.675
    expect(out[0]).toBeCloseTo(-0.675, 6);
  });

  it('an out-of-range λ is a config error naming the key', () => {
    expect(() => settingsFor(c4, { valueTargetLambda: 1.5 })).toThrow(/valueTargetLambda/);
  });
});

describe('temperature schedule', () => {
  it('decays from initial to final with the given half-life', () => {
    const t = { initial: 1, final: 0.1, halfLifeMoves: 4 };
    expect(moveTemperature(t, 0)).toBeCloseTo(1, 12);
    expect(moveTemperature(t, 4)).toBeCloseTo(0.55, 12);
    expect(moveTemperature(t, 8)).toBeCloseTo(0.325, 12);
    expect(moveTemperature(t, 400)).toBeCloseTo(0.1, 12);
  });

  it('samples early moves (they vary across games) and plays the most-visited move late', async () => {
    // halfLife 0.25 moves: T = 2^-12 from move 3 on, so visits^(1/T) leaves only the top count
    // (or the proven win, which selectMove plays at any temperature).
    const s = settingsFor(ttt, { simulations: 32, cheapSimulations: 32, dirichletEpsilon: 0, temperature: { initial: 1, final: 0, halfLifeMoves: 0.25 } });
    const { trace } = await play(ttt, s, 40, 'temp');
    let late = 0;
    for (const g of trace) {
      for (const m of g.moves) {
        if (m.moveNumber >= 3 && m.action >= 0) {
          late++;
          expect(isGreedyChoice(m)).toBe(true);
        }
      }
    }
    expect(late).toBeGreaterThan(40);
    const first = trace.map((g) => g.moves[0]);
    expect(new Set(first.map((m) => m.action)).size).toBeGreaterThanOrEqual(4);
    // At T = 1 a move other than the most visited one is often chosen.
    expect(first.filter((m) => m.visits[m.action] < argmaxCount(m.visits)).length).toBeGreaterThan(10);

    // Contrast: temperature 0 throughout (and no noise) plays the same first move every game.
    const greedy = await play(ttt, settingsFor(ttt, { simulations: 32, cheapSimulations: 32, dirichletEpsilon: 0, temperature: { initial: 0, final: 0, halfLifeMoves: 1 } }), 10, 'temp');
    expect(new Set(greedy.trace.map((g) => g.moves[0].action)).size).toBe(1);
    for (const g of greedy.trace) for (const m of g.moves) if (m.action >= 0) expect(isGreedyChoice(m)).toBe(true);
  });
});

describe('opening randomisation', () => {
  it('starts `fraction` of the games with `randomMoves` unsearched, unrecorded random moves', async () => {
    const all = await play(ttt, settingsFor(ttt, { openings: { fraction: 1, randomMoves: 2 } }), 30, 'open');
    for (const g of all.trace) {
      expect(g.opening).toHaveLength(2);
      expect(g.moves[0].moveNumber).toBe(2);
    }
    expect(new Set(all.trace.map((g) => g.opening.join(','))).size).toBeGreaterThan(10);
    // Only searched moves count and become samples.
    const searched = all.trace.reduce((n, g) => n + g.moves.length, 0);
    expect(all.stats.moves).toBe(searched);
    expect(all.stats.samples).toBe(searched);

    const half = await play(ttt, settingsFor(ttt, { openings: { fraction: 0.5, randomMoves: 1 } }), 60, 'open');
    const opened = half.trace.filter((g) => g.opening.length === 1).length;
    expect(half.trace.every((g) => g.opening.length === 0 ? g.moves[0].moveNumber === 0 : g.moves[0].moveNumber === 1)).toBe(true);
    expect(opened).toBeGreaterThan(18);
    expect(opened).toBeLessThan(42);

    const none = await play(ttt, settingsFor(ttt, { openings: { fraction: 1, randomMoves: 0 } }), 5, 'open');
    expect(none.trace.every((g) => g.opening.length === 0 && g.moves[0].moveNumber === 0)).toBe(true);
  });

  it('draws the number of random moves uniformly from randomMoves..randomMovesUpTo per game', async () => {
    const c4 = createGame('connect4');
    const all = await play(c4, settingsFor(c4, { simulations: 4, cheapSimulations: 4, openings: { fraction: 1, randomMoves: 2, randomMovesUpTo: 5 } }), 48, 'open-range');
    const lengths = all.trace.map((g) => g.opening.length);
    // Each of 2, 3, 4, 5 appears (48 games, 12 expected each), and nothing else.
    expect(new Set(lengths)).toEqual(new Set([2, 3, 4, 5]));
    for (const g of all.trace) expect(g.moves[0].moveNumber).toBe(g.opening.length);
    // randomMoves 0 with an upper bound: some games start from the empty board, some do not.
    const zero = await play(c4, settingsFor(c4, { simulations: 4, cheapSimulations: 4, openings: { fraction: 1, randomMoves: 0, randomMovesUpTo: 1 } }), 30, 'open-zero');
    const opened = zero.trace.filter((g) => g.opening.length === 1).length;
    expect(opened).toBeGreaterThan(5);
    expect(opened).toBeLessThan(25);
    expect(zero.trace.every((g) => g.opening.length <= 1)).toBe(true);
  });
});

describe('gating (AlphaGo Zero): the candidate must beat the self-play model', () => {
  const gatingConfig = (patch: Partial<TrainConfig['gating']> = {}) =>
    resolveConfig({ game: 'tictactoe', gameId: 'tictactoe', preset: 'quick', seed: 'gate', overrides: { gating: { enabled: true, games: 20, simulations: 8, ...patch } } });

  it('rejects a candidate that is no better (the same network) in a real match', async () => {
    const { root, folder } = await tinyCheckpoints(ttt, ['iter-000001', 'iter-000002'], 7);
    arenaStub.calls = [];
    const gate = await gateCandidate({ game: ttt, config: gatingConfig(), folder, candidate: 'iter-000002', incumbent: 'iter-000001', workers: 0 });
    expect(gate.accepted).toBe(false);
    expect(gate.decision).not.toBe('H1');
    const played = gate.wins + gate.draws + gate.losses;
    expect(played).toBeGreaterThan(0);
    expect(played).toBeLessThanOrEqual(20);
    expect((gate.wins + gate.draws / 2) / played).toBeLessThan(0.55);
    // The match the learner asks for: candidate as `a`, incumbent as `b`, the gating budget and SPRT.
    expect(arenaStub.calls[0]).toMatchObject({
      a: `mcts:model=${join(root, 'iter-000002')},simulations=8`,
      b: `mcts:model=${join(root, 'iter-000001')},simulations=8`,
      games: 20,
      sprt: { elo0: 0, elo1: 35, alpha: 0.05, beta: 0.05 },
    });
  });

  it('keeps the self-play model when the learner\'s gate rejects a candidate (no training: every candidate equals it)', async () => {
    const { train } = await import('../../src/selfplay/learner.js');
    const { readMetrics } = await import('../../src/selfplay/metrics.js');
    const root = mkdtempSync(join(tmpdir(), 'arbor-gate-train-'));
    const configFile = join(root, 'gated.json');
    // minPositions far above what 3 iterations produce: no gradient step, so every checkpoint has
    // the first one's weights and no candidate is better than the model the actors use.
    writeFileSync(configFile, JSON.stringify({
      model: { filters: 8, blocks: 1 },
      selfplay: { workers: 1, concurrentGames: 4, gamesPerIteration: 4, simulations: 4, cheapSimulations: 2, overlapTraining: false },
      replay: { minPositions: 1_000_000 },
      evaluation: { every: 0 },
      gating: { enabled: true, games: 10, simulations: 4 },
    }));
    const lines: string[] = [];
    const reporter = { info: (line: string) => lines.push(line), progress: () => undefined, stop: () => undefined };
    const runDir = join(root, 'run');
    const summary = await train({ runDir, game: 'tictactoe', preset: 'quick', seed: 'gated', configFile, iterations: 3, skipFinal: true, reporter });
    expect(summary.trainSteps).toBe(0);
    // Iteration 1's checkpoint becomes the first self-play model; 2 and 3 are each gated against it.
    const gates = lines.filter((l) => l.startsWith('gate '));
    expect(gates).toHaveLength(2);
    expect(gates[0]).toMatch(/^gate iter-000002 vs iter-000001: .* -> rejected$/);
    expect(gates[1]).toMatch(/^gate iter-000003 vs iter-000001: .* -> rejected$/);
    const state = JSON.parse(readFileSync(join(runDir, 'state.json'), 'utf8'));
    expect(state.acceptedCheckpoint).toBe('iter-000001');
    expect(state.checkpoint).toBe('iter-000003');
    const iterations = readMetrics(join(runDir, 'metrics.jsonl')).filter((r) => r.type === 'iteration');
    expect(iterations.map((r) => r.gateAccepted)).toEqual([undefined, false, false]);
  });

  it('accepts on SPRT H1 or, undecided, at acceptScore; rejects on H0 and on an all-draw match', async () => {
    const folder = { checkpointDir: (name: string) => `/nowhere/${name}` } as unknown as RunFolder;
    const decide = async (aWins: number, draws: number, bWins: number, decision: 'H0' | 'H1' | 'continue') => {
      arenaStub.next = { aWins, draws, bWins, sprt: { decision } };
      return gateCandidate({ game: ttt, config: gatingConfig(), folder, candidate: 'c', incumbent: 'i', workers: 0 });
    };
    expect((await decide(14, 0, 2, 'H1')).accepted).toBe(true);
    expect((await decide(2, 0, 10, 'H0')).accepted).toBe(false);
    expect((await decide(11, 0, 9, 'continue')).accepted).toBe(true); // 0.55
    expect((await decide(10, 1, 9, 'continue')).accepted).toBe(false); // 0.525
    expect((await decide(0, 20, 0, 'continue')).accepted).toBe(false); // all draws: 0.5
    expect(await decide(14, 0, 2, 'H1')).toEqual({ accepted: true, wins: 14, draws: 0, losses: 2, decision: 'H1' });
  });
});
