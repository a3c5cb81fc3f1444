import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng, type Game, type State } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { extraPrimitiveFactories, extraPrimitives } from '../../src/programs/primitives/index.js';
import type { MoveSet, Primitive, ProgramContext, ProgramType } from '../../src/programs/types.js';

/**
 * The algorithmic primitives on positions whose answers are counted by hand (comments give the
 * count), plus budgets (each search primitive stops when its budget is spent) and purity (no
 * primitive changes the position it is given).
 */

function ctxFor(game: Game, budget: Partial<ProgramContext['budget']> = {}): ProgramContext {
  return { game, rng: createRng('primitives-test'), budget: { nodes: 1e7, simulations: 1e6, deadline: Number.POSITIVE_INFINITY, ...budget } };
}

const byName = new Map(extraPrimitives.map((p) => [p.name, p]));
function prim(name: string): Primitive {
  const p = byName.get(name);
  if (!p) throw new Error(`no primitive ${name}`);
  return p;
}
/** Calls a primitive as the interpreter does: context first, then the arguments. */
function call<T>(name: string, ctx: ProgramContext, ...args: unknown[]): T {
  return (prim(name).fn as (c: ProgramContext, ...a: unknown[]) => T)(ctx, ...args);
}
const moves = (m: MoveSet) => Array.from(m.actions.subarray(0, m.count));

const OWN = 0;
const OPP = 1;

describe('the list', () => {
  it('has unique kebab-case names, a one-line doc, and signatures over the language types', () => {
    const names = extraPrimitives.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of extraPrimitives) {
      expect(p.name).toMatch(/^[a-z][a-z0-9-]*\??$/);
      expect(p.doc.length).toBeGreaterThan(10);
      expect(p.doc).not.toContain('\n');
    }
    expect(call<number>('own', ctxFor(createGame('tictactoe')))).toBe(OWN);
  });

  it('docs/programs-primitives.md lists every primitive with its signature', () => {
    const doc = readFileSync(new URL('../../docs/programs-primitives.md', import.meta.url), 'utf8');
    const type = (t: ProgramType): string => (typeof t === 'string' ? t : `(${t.args.map(type).join(', ')} → ${type(t.result)})`);
    for (const p of extraPrimitives) expect(doc).toContain(`| \`${p.name}\` | ${p.args.map(type).join(', ') || '—'} → ${type(p.result)} |`);
    for (const f of extraPrimitiveFactories) expect(doc).toContain(`| \`${f.name}\` | REF; ${f.args.map(type).join(', ')} → ${type(f.result)} |`);
    expect(call<number>('opp', ctxFor(createGame('tictactoe')))).toBe(OPP);
  });
});

describe('open lines and threats', () => {
  it('tic-tac-toe with X in the centre, O to move: 4 lines through it, 4 free of it', () => {
    const game = createGame('tictactoe');
    const pos = game.parseState('b2');
    const ctx = ctxFor(game);
    expect(call('open-lines', ctx, pos, OPP, 1)).toBe(4); // row 2, column b, both diagonals
    expect(call('open-lines', ctx, pos, OWN, 0)).toBe(4); // rows 1 and 3, columns a and c
    expect(call('open-lines', ctx, pos, OWN, 1)).toBe(0);
    expect(call('open-lines', ctx, pos, OPP, 4)).toBe(0); // more stones than the line is long
  });

  it('gomoku 5x5, k=4: 28 windows on the empty board, 8 through the centre', () => {
    const game = createGame('gomoku:rows=5,cols=5,k=4');
    const ctx = ctxFor(game);
    expect(call('open-lines', ctx, game.newInitialState(), OWN, 0)).toBe(28); // 10 rows + 10 columns + 4 + 4 diagonals
    const pos = game.parseState('c3');
    expect(call('open-lines', ctx, pos, OPP, 1)).toBe(8); // 2 in each of the 4 directions
    expect(call('open-lines', ctx, pos, OWN, 0)).toBe(20);
  });

  it('Connect Four 4453: X has one open two (d1 e1 f1 g1); c1 blocks the others', () => {
    const game = createGame('connect4');
    const pos = game.parseState('4453'); // X d1 e1, O d2 c1; X to move
    const ctx = ctxFor(game);
    expect(call('open-lines', ctx, pos, OWN, 2)).toBe(1);
    expect(call('threats', ctx, pos, OWN)).toBe(0);
  });

  it('Connect Four 112233: each side threatens the fourth cell of its row', () => {
    const game = createGame('connect4');
    const pos = game.parseState('112233'); // X a1 b1 c1, O a2 b2 c2; X to move
    const ctx = ctxFor(game);
    expect(call('threats', ctx, pos, OWN)).toBe(1); // d1
    expect(call('threats', ctx, pos, OPP)).toBe(1); // d2
    expect(call('threat-at?', ctx, pos, 3, OWN)).toBe(true); // column 4 lands on d1
    expect(call('threat-at?', ctx, pos, 4, OWN)).toBe(false);
    expect(call('open-lines', ctx, pos, OWN, 3)).toBe(1);
  });

  it('games not won by lines count none', () => {
    for (const spec of ['othello:size=6', 'breakthrough']) {
      const game = createGame(spec);
      const ctx = ctxFor(game);
      expect(call('open-lines', ctx, game.newInitialState(), OWN, 0)).toBe(0);
      expect(call('threats', ctx, game.newInitialState(), OPP)).toBe(0);
    }
  });
});

describe('win and lose at once', () => {
  it('Connect Four 112233: X wins in column 4; 11223: every O move but column 4 loses', () => {
    const game = createGame('connect4');
    const ctx = ctxFor(game);
    const won = game.parseState('112233');
    expect(moves(call('winning-moves', ctx, won))).toEqual([3]);
    expect(moves(call('losing-moves', ctx, won))).toEqual([]);
    const defend = game.parseState('11223'); // X a1 b1 c1, O a2 b2; O to move
    expect(moves(call('winning-moves', ctx, defend))).toEqual([]);
    expect(moves(call('losing-moves', ctx, defend))).toEqual([0, 1, 2, 4, 5, 6]);
    expect(moves(call('safe-moves', ctx, defend))).toEqual([3]);
  });

  it('compiled call sites reuse one buffer; plain calls get a fresh set', () => {
    const game = createGame('connect4');
    const ctx = ctxFor(game);
    const site = prim('safe-moves').instantiate!(game) as (c: ProgramContext, p: State) => MoveSet;
    const a = site(ctx, game.parseState('11223'));
    expect(moves(a)).toEqual([3]);
    const b = site(ctx, game.newInitialState());
    expect(b).toBe(a);
    expect(moves(b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const c = call<MoveSet>('safe-moves', ctx, game.newInitialState());
    expect(c).not.toBe(call<MoveSet>('safe-moves', ctx, game.newInitialState()));
  });

  it('safe-moves falls back to every legal move when all lose (a tic-tac-toe fork)', () => {
    const game = createGame('tictactoe');
    // X a1 c3 a3 (cells 0 8 6), O b2 c1 (4 2); O to move: X threatens a2 (3) and b3 (7), O has no win.
    const pos = game.parseState(game.formatMoves([0, 4, 8, 2, 6]));
    const ctx = ctxFor(game);
    expect(moves(call('losing-moves', ctx, pos))).toEqual([1, 3, 5, 7]);
    expect(moves(call('safe-moves', ctx, pos))).toEqual([1, 3, 5, 7]);
  });
});

describe('board features', () => {
  it('material counts pieces from the mover\'s side (othello after c2: O 1, X 4)', () => {
    const game = createGame('othello:size=6');
    const ctx = ctxFor(game);
    expect(call('material', ctx, game.newInitialState())).toBe(0);
    expect(call('material', ctx, game.parseState('c2'))).toBe(-3);
    expect(call('material', ctx, createGame('breakthrough').newInitialState())).toBe(0);
  });

  it('mobility: 9 and 8 on the empty tic-tac-toe board, 4 for othello\'s first move', () => {
    const ttt = createGame('tictactoe');
    expect(call('mobility', ctxFor(ttt), ttt.newInitialState(), OWN)).toBe(9);
    expect(call('mobility', ctxFor(ttt), ttt.newInitialState(), OPP)).toBe(8);
    const oth = createGame('othello:size=6');
    expect(call('mobility', ctxFor(oth), oth.newInitialState(), OWN)).toBe(4);
  });

  it('centrality: 1 at the centre, 0 in a corner, 1 - 1/sqrt(2) on an edge; a drop counts where it lands', () => {
    const ttt = createGame('tictactoe');
    const ctx = ctxFor(ttt);
    const empty = ttt.newInitialState();
    expect(call('centrality', ctx, empty, 4)).toBeCloseTo(1, 6);
    expect(call('centrality', ctx, empty, 0)).toBeCloseTo(0, 6);
    expect(call('centrality', ctx, empty, 1)).toBeCloseTo(1 - Math.SQRT1_2, 6);
    const c4 = createGame('connect4');
    // Column 4 on the empty 6x7 board lands on row index 5: 2.5 rows from the centre (2.5, 3).
    expect(call('centrality', ctxFor(c4), c4.newInitialState(), 3)).toBeCloseTo(1 - 2.5 / Math.hypot(2.5, 3), 6);
    // After 444 the fourth stone lands on row index 2, half a row from the centre.
    expect(call('centrality', ctxFor(c4), c4.parseState('444'), 3)).toBeCloseTo(1 - 0.5 / Math.hypot(2.5, 3), 6);
  });

  it('goal distance: 4 rows for both sides at the start of breakthrough, 3 for X after a5-a4', () => {
    const game = createGame('breakthrough');
    const ctx = ctxFor(game);
    expect(call('goal-distance', ctx, game.newInitialState(), OWN)).toBe(4);
    expect(call('goal-distance', ctx, game.newInitialState(), OPP)).toBe(4);
    const pos = game.parseState('a5-a4'); // O to move
    expect(call('goal-distance', ctx, pos, OPP)).toBe(3);
    expect(call('goal-distance', ctx, pos, OWN)).toBe(4);
    expect(call('goal-distance', ctxFor(createGame('connect4')), createGame('connect4').newInitialState(), OWN)).toBe(0);
  });
});

describe('bounded solve', () => {
  it('tic-tac-toe is a draw; Connect Four 112233 is a win for X; a lost position is -1', () => {
    const ttt = createGame('tictactoe');
    const ctx = ctxFor(ttt);
    expect(call('solved?', ctx, ttt.newInitialState())).toBe(true);
    expect(call('solve', ctx, ttt.newInitialState())).toBe(0);
    const c4 = createGame('connect4');
    const c4ctx = ctxFor(c4, { nodes: 100_000 });
    expect(call('solve', c4ctx, c4.parseState('112233'))).toBe(1);
    // X0 O4 X8 O2: X must block at 6, which forks; so O to move after X6 has lost.
    const lost = ttt.parseState(ttt.formatMoves([0, 4, 8, 2, 6]));
    expect(call('solve', ctxFor(ttt), lost)).toBe(-1);
  });

  it('answers unknown (solved? false, solve 0) under a tiny budget, and spends exactly that budget', () => {
    const game = createGame('connect4');
    const ctx = ctxFor(game, { nodes: 50 });
    const pos = game.newInitialState();
    expect(call('solved?', ctx, pos)).toBe(false);
    expect(ctx.budget.nodes).toBe(0);
    expect(call('solve', ctx, pos)).toBe(0); // asked again with nothing left: still unknown, no work
    const past = ctxFor(createGame('tictactoe'), { deadline: performance.now() - 1 });
    expect(call('solved?', past, createGame('tictactoe').newInitialState())).toBe(false);
  });
});

describe('alpha-beta over a value function', () => {
  const ttt = createGame('tictactoe');
  // X0 O4 X8 O2: X to move; only a6 (cell 6) wins by force (it blocks 2-4-6 and forks 0-3-6 / 6-7-8).
  const fork = ttt.parseState(ttt.formatMoves([0, 4, 8, 2]));

  it('with material as the value finds the forced win at depth 3', () => {
    const ctx = ctxFor(ttt);
    const material = (p: State) => call<number>('material', ctx, p) / 9;
    expect(call('alphabeta-move', ctx, fork, 3, material)).toBe(6);
    expect(call('alphabeta', ctx, fork, 3, material)).toBe(1);
    expect(call('alphabeta', ctx, fork, 0, material)).toBe(0); // depth 0: the value function itself
  });

  it('equals plain negamax (no pruning) with an arbitrary value function', () => {
    const ctx = ctxFor(ttt);
    const f = (p: State) => ((p.hash() % 997) / 997) * 2 - 1;
    const negamax = (p: State, depth: number): number => {
      if (p.isTerminal()) return -1 * Math.abs(p.returnOf(0)); // the last mover won (or a draw: 0)
      if (depth === 0) return f(p);
      let best = -Infinity;
      const legal = new Int32Array(9);
      const n = p.legalActions(legal);
      for (let i = 0; i < n; i++) {
        const c = p.clone();
        c.apply(legal[i]);
        best = Math.max(best, -negamax(c, depth - 1));
      }
      return best;
    };
    for (const moves of ['', 'b2', 'a1 b2', 'a1 b2 c3', 'b1 a1 c2']) {
      const pos = ttt.parseState(moves);
      for (const depth of [1, 2, 3, 4]) expect([moves, depth, call<number>('alphabeta', ctx, pos, depth, f)]).toEqual([moves, depth, negamax(pos, depth)]);
    }
  });

  it('returns its best so far when the nodes run out, and stops there', () => {
    let leaves = 0;
    const ctx = ctxFor(ttt, { nodes: 12 });
    const move = call<number>('alphabeta-move', ctx, fork, 5, () => {
      leaves++;
      return 0;
    });
    expect(fork.isLegal(move)).toBe(true);
    expect(ctx.budget.nodes).toBe(0);
    expect(leaves).toBeLessThanOrEqual(12);
    const none = ctxFor(ttt, { nodes: 0 });
    expect(call('alphabeta-move', none, fork, 3, () => 0)).toBe(1); // no node at all: the first legal move
  });

  it('nests: a value function that searches again', () => {
    const ctx = ctxFor(ttt);
    const inner = (p: State) => call<number>('alphabeta', ctx, p, 1, () => 0);
    expect(call('alphabeta-move', ctx, fork, 3, inner)).toBe(6);
  });
});

describe('rollouts', () => {
  const ttt = createGame('tictactoe');
  // X O X / O X O / O X _ with X to move: the last cell wins on the diagonal, so every playout wins.
  const won = ttt.parseState(ttt.formatMoves([0, 1, 2, 3, 4, 5, 7, 6]));

  it('from a won position every playout wins', () => {
    const ctx = ctxFor(ttt);
    expect(call('rollouts', ctx, won, 20)).toBe(1);
    expect(ctx.budget.simulations).toBe(1e6 - 20);
  });

  it('stop at the simulation budget and average what they played', () => {
    const ctx = ctxFor(ttt, { simulations: 3 });
    const v = call<number>('rollouts', ctx, ttt.newInitialState(), 1000);
    expect(ctx.budget.simulations).toBe(0);
    expect([-1, -1 / 3, 1 / 3, 1, 0].some((x) => Math.abs(x - v) < 1e-9)).toBe(true);
    const none = ctxFor(ttt, { simulations: 0 });
    expect(call('rollouts', none, won, 10)).toBe(0);
  });

  it('are seeded by the context\'s random stream', () => {
    const c4 = createGame('connect4');
    const a = call<number>('rollouts', ctxFor(c4), c4.newInitialState(), 50);
    const b = call<number>('rollouts', ctxFor(c4), c4.newInitialState(), 50);
    expect(a).toBe(b);
  });
});

describe('MCTS with a value function', () => {
  it('picks the winning move, and the forced block', () => {
    const c4 = createGame('connect4');
    const ctx = ctxFor(c4);
    expect(call('mcts-move', ctx, c4.parseState('112233'), 50, () => 0)).toBe(3);
    expect(ctx.budget.simulations).toBeLessThanOrEqual(1e6); // decisive moves prove the win at the root: no simulation needed
    expect(call('mcts-move', ctxFor(c4), c4.parseState('11223'), 200, () => 0)).toBe(3);
    const policy = call<Float32Array>('mcts-policy', ctxFor(c4), c4.parseState('11223'), 200, () => 0);
    expect(policy.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
    expect(policy[3]).toBeGreaterThan(0.5);
    expect(call('mcts-value', ctxFor(c4), c4.parseState('112233'), 50, () => 0)).toBe(1);
  });

  it('spends at most its simulations and answers the first legal move with none', () => {
    const ttt = createGame('tictactoe');
    const ctx = ctxFor(ttt, { simulations: 30 });
    call('mcts-move', ctx, ttt.newInitialState(), 1000, () => 0);
    expect(ctx.budget.simulations).toBe(0);
    expect(call('mcts-move', ctxFor(ttt, { simulations: 0 }), ttt.newInitialState(), 10, () => 0)).toBe(0);
    const uniform = call<Float32Array>('mcts-policy', ctxFor(ttt, { deadline: performance.now() - 1 }), ttt.newInitialState(), 10, () => 0);
    expect(Array.from(uniform)).toEqual(new Array(9).fill(1 / 9).map((x) => Math.fround(x)));
  });
});

describe('deadlines', () => {
  it('a passed deadline stops every search primitive at once', () => {
    const game = createGame('connect4');
    const pos = game.newInitialState();
    const past = () => ctxFor(game, { deadline: performance.now() - 1 });
    const r = past();
    expect(call('rollouts', r, pos, 100)).toBe(0);
    expect(r.budget.simulations).toBe(1e6);
    const ab = past();
    expect(pos.isLegal(call<number>('alphabeta-move', ab, pos, 12, () => 0))).toBe(true);
    expect(1e7 - ab.budget.nodes).toBeLessThanOrEqual(64); // the deadline is read every 64 nodes
    const s = past();
    expect(call('solved?', s, pos)).toBe(false);
    expect(s.budget.nodes).toBe(1e7);
    expect(call('mcts-move', past(), pos, 100, () => 0)).toBe(0);
  });
});

describe('purity', () => {
  it('no primitive changes the position it is given', () => {
    const cases: [string, string][] = [['connect4', '4453'], ['tictactoe', 'b2'], ['breakthrough', 'a5-a4'], ['othello:size=6', 'c2'], ['gomoku:rows=5,cols=5,k=4', 'c3'], ['hex:size=4', 'b2']];
    for (const [spec, text] of cases) {
      const game = createGame(spec);
      const pos = game.parseState(text);
      const hash = pos.hash();
      const moveText = pos.toMoveString();
      const ctx = ctxFor(game, { nodes: 2000, simulations: 20 });
      const legal = new Int32Array(game.numActions);
      pos.legalActions(legal);
      const f = () => 0;
      for (const p of extraPrimitives) {
        const args = p.args.map((t) => (t === 'position' ? pos : t === 'move' ? legal[0] : t === 'number' ? 2 : typeof t === 'object' ? f : undefined));
        (p.fn as (c: ProgramContext, ...a: unknown[]) => unknown)(ctx, ...args);
        expect([p.name, pos.hash(), pos.toMoveString()]).toEqual([p.name, hash, moveText]);
      }
    }
  });
});

describe('one program text, every game', () => {
  it('a line-and-material evaluator searched by alpha-beta and MCTS plays a legal move in each built-in game', () => {
    for (const spec of ['tictactoe', 'connect4', 'gomoku:rows=7,cols=7,k=5', 'othello:size=6', 'breakthrough', 'hex:size=5']) {
      const game = createGame(spec);
      const ctx = ctxFor(game, { nodes: 3000, simulations: 100 });
      const value = (p: State) =>
        0.1 * (call<number>('open-lines', ctx, p, OWN, 2) - call<number>('open-lines', ctx, p, OPP, 2)) + 0.05 * call<number>('material', ctx, p) - 0.05 * call<number>('goal-distance', ctx, p, OWN);
      const pos = game.newInitialState();
      expect([spec, pos.isLegal(call<number>('alphabeta-move', ctx, pos, 3, value))]).toEqual([spec, true]);
      expect([spec, pos.isLegal(call<number>('mcts-move', ctx, pos, 50, value))]).toEqual([spec, true]);
    }
  });
});
