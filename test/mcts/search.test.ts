import { describe, expect, it } from 'vitest';
import { ArborError, createRng, isArborError, type State, type Evaluator } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { PROVEN_DRAW, PROVEN_LOSS, PROVEN_NONE, PROVEN_WIN, provenCode, provenValue, RolloutEvaluator, Search, UniformEvaluator, selectMove } from '../../src/mcts/index.js';
import { CentreEvaluator } from './centre-evaluator.js';
import { actionValues, negamax } from './negamax.js';

const ttt = createGame('tictactoe');
const c4 = createGame('connect4');
const cell = (t: string) => ttt.parseAction(t);

function uct(game = ttt, seed = 1, extra = {}) {
  return new Search(game, new RolloutEvaluator(game, seed), { rule: 'uct', reuseTree: false, seed, ...extra });
}

function sum(a: Float32Array): number {
  return a.reduce((x, y) => x + y, 0);
}

async function expectArborError(p: Promise<unknown>, pattern: RegExp) {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(isArborError(err), String(err)).toBe(true);
  expect((err as Error).message).toMatch(pattern);
}

describe('UCT with random rollouts', () => {
  it('takes the win in tic-tac-toe (X: a1 b1, O: a2 b2 -> c1)', async () => {
    const state = ttt.parseState('a1 a2 b1 b2');
    const search = uct();
    const r = await search.run(state, { simulations: 500 });
    expect(r.bestAction).toBe(cell('c1'));
    expect(r.proven).toBe(1);
    // In the tree: the root (values for the player to move) is a proven win, c1 too (for X, who plays it).
    const t = search.treeView;
    expect(t.proven[t.root]).toBe(PROVEN_WIN);
    expect(t.proven[t.childFor(t.root, cell('c1'))]).toBe(PROVEN_WIN);
    expect([provenCode(-1), provenCode(0), provenCode(1)]).toEqual([PROVEN_LOSS, PROVEN_DRAW, PROVEN_WIN]);
    expect([PROVEN_LOSS, PROVEN_DRAW, PROVEN_WIN].map(provenValue)).toEqual([-1, 0, 1]);
    expect(PROVEN_NONE).not.toBeOneOf([PROVEN_LOSS, PROVEN_DRAW, PROVEN_WIN]);
  });

  it('finds the only non-losing move in tic-tac-toe (O threatens a2; X must block)', async () => {
    const state = ttt.parseState('b2 a1 c1 a3');
    const values = actionValues(state);
    expect([...values].filter(([, v]) => v >= 0).map(([a]) => a)).toEqual([cell('a2')]);
    for (const seed of [1, 2, 3]) {
      const r = await uct(ttt, seed).run(state, { simulations: 2000 });
      expect(r.bestAction).toBe(cell('a2'));
    }
  });

  it('takes the win in Connect Four (three stacked in column 1)', async () => {
    const state = c4.parseState('121213');
    const r = await uct(c4).run(state, { simulations: 1000 });
    expect(r.bestAction).toBe(0);
    expect(r.proven).toBe(1);
    expect(r.value).toBe(1);
  });

  it('finds the only non-losing move in Connect Four (block column 1)', async () => {
    const state = c4.parseState('12131');
    for (const seed of [1, 2, 3]) {
      const r = await uct(c4, seed).run(state, { simulations: 3000 });
      expect(r.bestAction).toBe(0);
      // Every other column loses at once: the solver proves them lost.
      for (let a = 1; a < 7; a++) expect(r.actionProven[a]).toBe(-1);
    }
  });

  it('prefers the centre column from the Connect Four start', async () => {
    const r = await uct(c4).run(c4.newInitialState(), { simulations: 20000 });
    expect(r.bestAction).toBe(3);
  });
});

describe('MCTS-solver', () => {
  it('proves won tic-tac-toe positions (checked against negamax) and plays a winning move', async () => {
    const positions = ['a1 b1 c1 a2 a3', 'a1 b1 c1 a2 c2 b2', 'b2 a1 c3', 'a1 b2 c3 a3'];
    let checked = 0;
    for (const moves of positions) {
      const state = ttt.parseState(moves);
      if (negamax(state) !== 1) continue;
      checked++;
      const r = await uct().run(state, { simulations: 20000 });
      expect(r.proven, moves).toBe(1);
      expect(r.value).toBe(1);
      expect(actionValues(state).get(r.bestAction), moves).toBe(1);
      expect(r.stats.simulations).toBeLessThan(20000);
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  it('reports proven losses for the player to move and still answers a move', async () => {
    // X (a1 c1 c3) threatens b1 and c2; O (a2 b3) can block only one.
    const state = ttt.parseState('a1 a2 c1 b3 c3');
    expect(negamax(state)).toBe(-1);
    const r = await uct().run(state, { simulations: 5000 });
    expect(r.proven).toBe(-1);
    expect(state.isLegal(r.bestAction)).toBe(true);
  });
});

describe('batched leaf evaluation', () => {
  const tactical = [
    { game: ttt, moves: 'b2 a1 c1 a3', best: cell('a2') },
    { game: ttt, moves: 'a1 a2 b1 b2', best: cell('c1') },
    { game: c4, moves: '12131', best: 0 },
    { game: c4, moves: '121213', best: 0 },
  ];
  it('B = 8 and B = 1 agree on the best move; visits sum to the budget; no virtual loss is left', async () => {
    for (const { game, moves, best } of tactical) {
      for (const leafBatch of [1, 8]) {
        const search = new Search(game, new RolloutEvaluator(game, 5), { rule: 'uct', leafBatch, reuseTree: false, solver: false });
        const r = await search.run(game.parseState(moves), { simulations: 3000 });
        expect(r.bestAction, `${moves} B=${leafBatch}`).toBe(best);
        expect(sum(r.visits)).toBe(3000);
        expect(r.stats.simulations).toBe(3000);
        expect(search.pendingVirtualLoss()).toBe(0);
        if (leafBatch === 8) expect(r.stats.evaluatorCalls).toBeLessThan(3000 / 2);
      }
    }
  });

  it('PUCT with B = 8 fills batches and leaves no virtual loss', async () => {
    const search = new Search(c4, new UniformEvaluator(c4), { leafBatch: 8, reuseTree: false, solver: false });
    const r = await search.run(c4.newInitialState(), { simulations: 4000 });
    expect(sum(r.visits)).toBe(4000);
    expect(r.stats.evaluatedStates / r.stats.evaluatorCalls).toBeGreaterThan(6);
    expect(search.pendingVirtualLoss()).toBe(0);
  });

  it('B = 1 replays exactly with the same seed', async () => {
    const a = await uct(c4, 9).run(c4.parseState('4453'), { simulations: 2000 });
    const b = await uct(c4, 9).run(c4.parseState('4453'), { simulations: 2000 });
    expect(Array.from(a.visits)).toEqual(Array.from(b.visits));
    expect(a.principalVariation).toEqual(b.principalVariation);
  });
});

describe('tree reuse', () => {
  it('advance() keeps the chosen subtree with its visit counts', async () => {
    const search = new Search(c4, new RolloutEvaluator(c4, 3), { rule: 'uct', seed: 3 });
    const state = c4.newInitialState();
    const first = await search.run(state, { simulations: 5000 });
    const tree = search.treeView;
    const child = tree.childFor(tree.root, 3);
    const kept = new Float32Array(7);
    for (let c = tree.firstChild[child]; c < tree.firstChild[child] + tree.numChildren[child]; c++) kept[tree.action[c]] = tree.visits[c];
    expect(sum(kept)).toBe(first.visits[3] - 1);
    search.advance(3);
    state.apply(3);
    expect(search.rootHash()).toBe(state.hash());
    const second = await search.run(state, { simulations: 100 });
    expect(sum(second.visits)).toBe(sum(kept) + 100);
    for (let a = 0; a < 7; a++) expect(second.visits[a]).toBeGreaterThanOrEqual(kept[a]);
    expect(second.stats.simulations).toBe(100);
  });

  it('a run on another position starts a fresh tree', async () => {
    const search = new Search(c4, new RolloutEvaluator(c4, 3), { rule: 'uct' });
    await search.run(c4.newInitialState(), { simulations: 1000 });
    const r = await search.run(c4.parseState('11'), { simulations: 200 });
    expect(sum(r.visits)).toBe(200);
  });
});

describe('Dirichlet noise', () => {
  function priorsByDepth(search: Search): { root: number[]; deeper: number[] } {
    const t = search.treeView;
    const root: number[] = [];
    const deeper: number[] = [];
    for (let c = t.firstChild[t.root]; c < t.firstChild[t.root] + t.numChildren[t.root]; c++) root.push(t.prior[c]);
    for (let i = 1; i < t.size; i++) {
      if (t.status[i] !== 2) continue;
      for (let c = t.firstChild[i]; c < t.firstChild[i] + t.numChildren[i]; c++) deeper.push(t.prior[c]);
    }
    return { root, deeper };
  }

  it('changes priors at the root only, and only when enabled', async () => {
    const noisy = new Search(c4, new UniformEvaluator(c4), { dirichlet: { alpha: 0.3, epsilon: 0.25 }, seed: 4 });
    await noisy.run(c4.newInitialState(), { simulations: 300 });
    const n = priorsByDepth(noisy);
    expect(n.root.some((p) => Math.abs(p - 1 / 7) > 1e-3)).toBe(true);
    expect(n.root.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(n.deeper.length).toBeGreaterThan(100);
    for (const p of n.deeper) expect(p).toBeCloseTo(1 / 7, 6);

    const plain = new Search(c4, new UniformEvaluator(c4), { seed: 4 });
    await plain.run(c4.newInitialState(), { simulations: 300 });
    for (const p of priorsByDepth(plain).root) expect(p).toBeCloseTo(1 / 7, 6);
  });

  it('is re-applied to a reused root from its clean priors', async () => {
    const search = new Search(c4, new UniformEvaluator(c4), { dirichlet: { alpha: 0.3, epsilon: 0.25 }, seed: 4 });
    const state = c4.newInitialState();
    await search.run(state, { simulations: 300 });
    const before = priorsByDepth(search).root;
    await search.run(state, { simulations: 300 });
    const after = priorsByDepth(search).root;
    expect(after).not.toEqual(before);
    // Each is (1 - eps) / 7 + eps * noise: never below the clean share.
    for (const p of after) expect(p).toBeGreaterThanOrEqual(0.75 / 7 - 1e-6);
    search.advance(3);
    state.apply(3);
    await search.run(state, { simulations: 50 });
    for (const p of priorsByDepth(search).root) expect(p).toBeGreaterThanOrEqual(0.75 / 7 - 1e-6);
  });
  it('leaves the result\'s root prior and raw value as the evaluator gave them', async () => {
    const search = new Search(c4, new CentreEvaluator(0.6), { dirichlet: { alpha: 0.3, epsilon: 0.25 }, seed: 4 });
    const state = c4.newInitialState();
    const first = await search.run(state, { simulations: 100 });
    // The tree's root priors carry the noise; the result's are the clean ones, over every action.
    expect(priorsByDepth(search).root.some((p, i) => Math.abs(p - (i === 3 ? 0.76 : 0.04)) > 1e-3)).toBe(true);
    expect(Array.from(first.prior).map((p) => +p.toFixed(6))).toEqual([0.04, 0.04, 0.04, 0.76, 0.04, 0.04, 0.04]);
    expect(first.rawValue).toBe(0);
    // After an off-centre first move the evaluator gives the second player, now to move, +0.6.
    search.advance(0);
    state.apply(0);
    const second = await search.run(state, { simulations: 100 });
    expect(second.rawValue).toBeCloseTo(0.6, 6);
    for (const p of second.prior) expect(p).toBeCloseTo(1 / 7, 6);
  });
});

describe('root policy temperature (KataGo)', () => {
  it('raises the clean root priors to 1/T and renormalises them, run by run', async () => {
    const search = new Search(c4, new CentreEvaluator(0), { rootPolicyTemperature: 2, seed: 1 });
    const state = c4.newInitialState();
    const r = await search.run(state, { simulations: 50 });
    const t = search.treeView;
    const root: number[] = [];
    for (let c = t.firstChild[t.root]; c < t.firstChild[t.root] + t.numChildren[t.root]; c++) root.push(t.prior[c]);
    const z = Math.sqrt(0.76) + 6 * Math.sqrt(0.04);
    root.forEach((p, i) => expect(p).toBeCloseTo(Math.sqrt(i === 3 ? 0.76 : 0.04) / z, 5));
    expect(r.prior[3]).toBeCloseTo(0.76, 6);
    // The same root searched again at T = 1 gets its clean priors back.
    await search.run(state, { simulations: 10 }, { rootPolicyTemperature: 1 });
    for (let c = t.firstChild[t.root]; c < t.firstChild[t.root] + t.numChildren[t.root]; c++) expect(t.prior[c]).toBeCloseTo(t.action[c] === 3 ? 0.76 : 0.04, 6);
    expect(() => new Search(c4, new CentreEvaluator(0), { rootPolicyTemperature: 0 })).toThrow(/rootPolicyTemperature=0 must be a number > 0/);
  });
});

describe('policy softmax temperature (lc0)', () => {
  // A net that puts 0.76 on the centre column and 0.04 on every other column, at every node
  // (0 on a full column, as the Evaluator contract asks).
  const centreEverywhere: Evaluator = {
    name: 'centre-everywhere',
    async evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array) {
      for (let i = 0; i < count; i++) {
        for (let a = 0; a < 7; a++) policy[i * 7 + a] = states[i].isLegal(a) ? (a === 3 ? 0.76 : 0.04) : 0;
        value[i] = 0;
      }
    },
  };

  it('tempers the priors of every expanded node, not only the root', async () => {
    const search = new Search(c4, centreEverywhere, { policyTemperature: 2, seed: 1 });
    await search.run(c4.newInitialState(), { simulations: 50 });
    const t = search.treeView;
    const z = Math.sqrt(0.76) + 6 * Math.sqrt(0.04);
    let nodes = 0;
    for (let node = 0; node < t.size; node++) {
      if (t.numChildren[node] !== 7) continue;
      nodes++;
      for (let c = t.firstChild[node]; c < t.firstChild[node] + 7; c++) expect(t.prior[c]).toBeCloseTo(Math.sqrt(t.action[c] === 3 ? 0.76 : 0.04) / z, 5);
    }
    expect(nodes).toBeGreaterThan(5);
    // T = 1 leaves the network's priors as they are.
    const plain = new Search(c4, centreEverywhere, { seed: 1 });
    await plain.run(c4.newInitialState(), { simulations: 50 });
    const p = plain.treeView;
    for (let node = 0; node < p.size; node++) {
      if (p.numChildren[node] !== 7) continue;
      for (let c = p.firstChild[node]; c < p.firstChild[node] + 7; c++) expect(p.prior[c]).toBeCloseTo(p.action[c] === 3 ? 0.76 : 0.04, 6);
    }
    expect(() => new Search(c4, centreEverywhere, { policyTemperature: 0 })).toThrow(/policyTemperature=0 must be a number > 0/);
  });
});

describe('forced playouts and policy target pruning (KataGo)', () => {
  const run = (offCentre: number, forcedPlayouts: number) =>
    new Search(c4, new CentreEvaluator(offCentre), { forcedPlayouts, reuseTree: false }).run(c4.newInitialState(), { simulations: 400 });
  const others = [0, 1, 2, 4, 5, 6];

  it('gives every root child at least about sqrt(k P N) visits', async () => {
    const plain = await run(0.6, 0);
    const forced = await run(0.6, 2);
    // sqrt(2 * 0.04 * 400) = 5.7 at the end; the count grows with N, so at least 5 each.
    for (const a of others) expect(plain.visits[a]).toBeLessThanOrEqual(3);
    for (const a of others) expect(forced.visits[a]).toBeGreaterThanOrEqual(5);
    expect(forced.bestAction).toBe(3);
  });

  it('takes the forced visits of bad moves out of the policy target', async () => {
    const forced = await run(0.6, 2);
    expect(sum(forced.policy)).toBeCloseTo(1, 5);
    expect(forced.policy[3]).toBe(1);
    // Without pruning the target would be the visit share, >= 5/400 each.
    const plain = await run(0.6, 0);
    for (const a of others) expect(plain.policy[a]).toBeCloseTo(plain.visits[a] / 400, 5);
  });

  it('keeps the visits PUCT wants anyway (every move even)', async () => {
    const forced = await run(0, 2);
    // All values 0: PUCT itself spreads visits by prior, so nothing is pruned.
    let total = 0;
    for (let a = 0; a < 7; a++) total += forced.visits[a];
    for (let a = 0; a < 7; a++) expect(forced.policy[a]).toBeCloseTo(forced.visits[a] / total, 5);
    for (const a of others) expect(forced.policy[a]).toBeGreaterThan(0);
  });

  it('rejects a negative k and forced playouts without the PUCT visits root', () => {
    expect(() => new Search(c4, new UniformEvaluator(c4), { forcedPlayouts: -1 })).toThrow(/forcedPlayouts=-1 must be a number >= 0/);
    expect(() => new Search(c4, new UniformEvaluator(c4), { forcedPlayouts: 2, root: 'gumbel' })).toThrow(/needs root=visits with rule=puct/);
    expect(() => new Search(c4, new UniformEvaluator(c4), { forcedPlayouts: 2, rule: 'uct' })).toThrow(/needs root=visits with rule=puct/);
  });
});

describe('per-run overrides', () => {
  function rootPriors(search: Search): number[] {
    const t = search.treeView;
    const out: number[] = [];
    for (let c = t.firstChild[t.root]; c < t.firstChild[t.root] + t.numChildren[t.root]; c++) out.push(t.prior[c]);
    return out;
  }

  it('switch root noise for one run only; the options stay as built', async () => {
    const noise = { alpha: 0.3, epsilon: 0.25 };
    const search = new Search(c4, new UniformEvaluator(c4), { dirichlet: noise, seed: 4 });
    const state = c4.newInitialState();
    await search.run(state, { simulations: 50 }, { dirichlet: null });
    for (const p of rootPriors(search)) expect(p).toBeCloseTo(1 / 7, 6);
    await search.run(state, { simulations: 50 });
    expect(rootPriors(search).some((p) => Math.abs(p - 1 / 7) > 1e-3)).toBe(true);
    expect(search.options.dirichlet).toEqual(noise);
    // A search built without noise takes it for one run, then drops it again.
    const plain = new Search(c4, new UniformEvaluator(c4), { seed: 4 });
    const noisy = await plain.run(state, { simulations: 50 }, { dirichlet: noise });
    expect(rootPriors(plain).some((p) => Math.abs(p - 1 / 7) > 1e-3)).toBe(true);
    for (const p of noisy.prior) expect(p).toBeCloseTo(1 / 7, 6);
    await plain.run(state, { simulations: 50 });
    for (const p of rootPriors(plain)) expect(p).toBeCloseTo(1 / 7, 6);
    expect(plain.options.dirichlet).toBeNull();
  });

  it('forced playouts and the root policy temperature give the same search as the options do', async () => {
    const state = c4.newInitialState();
    const viaOptions = await new Search(c4, new CentreEvaluator(0.6), { forcedPlayouts: 2, reuseTree: false }).run(state, { simulations: 300 });
    const search = new Search(c4, new CentreEvaluator(0.6), { reuseTree: false });
    const viaRun = await search.run(state, { simulations: 300 }, { forcedPlayouts: 2 });
    expect(Array.from(viaRun.visits)).toEqual(Array.from(viaOptions.visits));
    expect(Array.from(viaRun.policy)).toEqual(Array.from(viaOptions.policy));
    // The next run without the override neither forces nor prunes.
    const unforced = await search.run(state, { simulations: 300 });
    const plain = await new Search(c4, new CentreEvaluator(0.6), { reuseTree: false }).run(state, { simulations: 300 });
    expect(Array.from(unforced.visits)).toEqual(Array.from(plain.visits));
    expect(Array.from(unforced.visits)).not.toEqual(Array.from(viaRun.visits));

    const tempered = await new Search(c4, new CentreEvaluator(0), { rootPolicyTemperature: 2, reuseTree: false }).run(state, { simulations: 100 });
    const temperedRun = await new Search(c4, new CentreEvaluator(0), { reuseTree: false }).run(state, { simulations: 100 }, { rootPolicyTemperature: 2 });
    expect(Array.from(temperedRun.visits)).toEqual(Array.from(tempered.visits));
  });

  it('set the sampling temperature the result carries to selectMove', async () => {
    const search = new Search(c4, new UniformEvaluator(c4), { reuseTree: false });
    const greedy = await search.run(c4.newInitialState(), { simulations: 700 });
    expect(greedy.sampling).toEqual({ temperature: 0, temperatureMoves: 0, sampled: false });
    const r = await search.run(c4.newInitialState(), { simulations: 700 }, { temperature: 1, temperatureMoves: Infinity });
    expect(r.sampling).toEqual({ temperature: 1, temperatureMoves: Infinity, sampled: false });
    const rng = createRng(2);
    const picks = new Set<number>();
    for (let i = 0; i < 200; i++) picks.add(selectMove(r, 30, rng));
    expect(picks.size).toBeGreaterThan(3);
    for (let i = 0; i < 20; i++) expect(selectMove(greedy, 0, rng)).toBe(greedy.bestAction);
  });

  it('reject bad values with a clear error', async () => {
    const start = c4.newInitialState();
    await expectArborError(new Search(c4, new UniformEvaluator(c4), { root: 'gumbel' }).run(start, { simulations: 16 }, { forcedPlayouts: 2 }), /forcedPlayouts=2 needs a search built with root=visits and rule=puct/);
    const search = new Search(c4, new UniformEvaluator(c4));
    await expectArborError(search.run(start, { simulations: 8 }, { forcedPlayouts: -1 }), /forcedPlayouts=-1 must be a number >= 0/);
    await expectArborError(search.run(start, { simulations: 8 }, { dirichlet: { alpha: 0.3, epsilon: 1.5 } }), /dirichlet.epsilon=1.5 must be in 0..1/);
    await expectArborError(search.run(start, { simulations: 8 }, { rootPolicyTemperature: 0 }), /rootPolicyTemperature=0 must be a number > 0/);
    await expectArborError(search.run(start, { simulations: 8 }, { temperature: -1 }), /temperature=-1 must be a number >= 0/);
    await expectArborError(search.run(start, { simulations: 8 }, { temperatureMoves: 1.5 }), /temperatureMoves=1.5 must be an integer >= 0 or Infinity/);
  });
});

describe('results and move selection', () => {
  it('returns a policy distribution, a principal variation and stats', async () => {
    const search = new Search(c4, new UniformEvaluator(c4), { reuseTree: false });
    const r = await search.run(c4.newInitialState(), { simulations: 1000 });
    expect(sum(r.policy)).toBeCloseTo(1, 5);
    expect(r.principalVariation[0]).toBe(r.bestAction);
    expect(r.principalVariation.length).toBeGreaterThan(1);
    expect(r.stats.nodes).toBeGreaterThan(1000);
    expect(r.stats.evaluatorCalls).toBe(1001);
    expect(r.stats.maxDepth).toBeGreaterThan(1);
  });

  it('selectMove samples by visits before the cutoff and plays the best move after it', async () => {
    const search = new Search(c4, new UniformEvaluator(c4), { reuseTree: false, temperature: 1, temperatureMoves: 10 });
    const r = await search.run(c4.newInitialState(), { simulations: 700 });
    const rng = createRng(1);
    const picks = new Set<number>();
    for (let i = 0; i < 200; i++) picks.add(selectMove(r, 0, rng));
    expect(picks.size).toBeGreaterThan(3);
    for (let i = 0; i < 20; i++) expect(selectMove(r, 10, rng)).toBe(r.bestAction);
  });

  it('a time budget ends the search', async () => {
    const r = await uct(c4).run(c4.newInitialState(), { timeMs: 30 });
    expect(r.stats.simulations).toBeGreaterThan(10);
    expect(r.stats.timeMs).toBeLessThan(1000);
  });
});

describe('bad input', () => {
  it('rejects terminal states, empty, zero and negative budgets with a clear error', async () => {
    const search = uct();
    const over: State = ttt.parseState('a1 a2 b1 b2 c1');
    await expectArborError(search.run(over, { simulations: 10 }), /already over/);
    const start = ttt.newInitialState();
    await expectArborError(search.run(start, { simulations: 0 }), /simulations=0 must be a positive integer/);
    await expectArborError(search.run(start, { simulations: -5 }), /positive integer/);
    await expectArborError(search.run(start, { timeMs: 0 }), /timeMs=0/);
    await expectArborError(search.run(start, {}), /budget is empty/);
    await expectArborError(search.run(c4.newInitialState(), { simulations: 5 }), /connect4 position/);
  });

  it('rejects bad options', () => {
    const u = new UniformEvaluator(ttt);
    expect(() => new Search(ttt, u, { leafBatch: 0 })).toThrow(new ArborError('search option leafBatch=0 must be an integer in 1..4096'));
    expect(() => new Search(ttt, u, { leafBatch: 2.5 })).toThrow(new ArborError('search option leafBatch=2.5 must be an integer in 1..4096'));
    expect(() => new Search(ttt, u, { rule: 'minimax' as never })).toThrow(new ArborError('search option rule=minimax is unknown; use puct, uct or gumbel'));
    expect(() => new Search(ttt, u, { cPuct: Number.NaN })).toThrow(new ArborError('search option cPuct=NaN must be a number >= 0'));
    expect(() => new Search(ttt, u, { gumbel: { consideredActions: 0 } })).toThrow(new ArborError('search option gumbel.consideredActions=0 must be an integer >= 1'));
    expect(() => new Search(ttt, u, { dirichlet: { alpha: 0.3, epsilon: 2 } })).toThrow(new ArborError('search option dirichlet.epsilon=2 must be in 0..1'));
    expect(() => new Search(ttt, u, { maxNodes: 10 })).toThrow(new ArborError('search option maxNodes=10 must be an integer >= 1024'));
    // Callers still using a name of an earlier version are told the new one.
    expect(() => new Search(ttt, u, { batchSize: 8 } as never)).toThrow(new ArborError('search option batchSize is unknown; it is now leafBatch'));
    expect(() => new Search(ttt, u, { gumbel: { maxConsideredActions: 8 } } as never)).toThrow(new ArborError('search option gumbel.maxConsideredActions is unknown; it is now gumbel.consideredActions'));
  });
});

describe('runNow (the synchronous search)', () => {
  it('gives the same result as run, with leaf batches and the Gumbel root too', async () => {
    const game = createGame('connect4');
    const pos = game.parseState('4453');
    for (const extra of [{ rule: 'uct' as const }, { leafBatch: 4 }, { root: 'gumbel' as const }]) {
      const a = await new Search(game, new RolloutEvaluator(game, 9), { reuseTree: false, seed: 9, ...extra }).run(pos, { simulations: 200 });
      const b = new Search(game, new RolloutEvaluator(game, 9), { reuseTree: false, seed: 9, ...extra }).runNow(pos, { simulations: 200 });
      expect(Array.from(b.visits)).toEqual(Array.from(a.visits));
      expect([b.bestAction, b.value, b.stats.simulations]).toEqual([a.bestAction, a.value, a.stats.simulations]);
    }
  });

  it('refuses an evaluator that only answers asynchronously', () => {
    const game = createGame('tictactoe');
    const inner = new UniformEvaluator(game);
    const asyncOnly: Evaluator = { name: 'async-only', evaluate: (s, n, p, v) => inner.evaluate(s, n, p, v) };
    expect(() => new Search(game, asyncOnly).runNow(game.newInitialState(), { simulations: 10 })).toThrow(/evaluateNow/);
  });
});
