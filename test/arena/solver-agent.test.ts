import { describe, expect, it } from 'vitest';
import { createAgent } from '../../src/core/index.js';
import { connect4BestColumns } from '../../src/solvers/solver-agent.js';
import { randomOpenings } from '../../src/arena/index.js';
import type { Connect4Game, Connect4State } from '../../src/envs/connect4/index.js';
import { createGame } from '../../src/envs/index.js';
import { createConnect4Solver } from '../../src/solvers/index.js';

/**
 * The arena's strongest agent: its shortcut (root solve + one null-window test per column, one
 * solver shared across moves and games) must pick from exactly the moves a full analysis rates best.
 */
describe('solver agent in arenas', () => {
  const game = createGame('connect4');

  it('best columns = the maxima of a full analysis, on random positions of 12 to 16 stones', () => {
    const shared = createConnect4Solver(game as Connect4Game, { book: false });
    const out = new Int32Array(7);
    let positions = 0;
    for (const plies of [12, 14, 16]) {
      for (const moves of randomOpenings(game, 6, plies, `best-${plies}`)) {
        const state = game.newInitialState() as Connect4State;
        for (const a of moves) state.apply(a);
        const scores = createConnect4Solver(game as Connect4Game, { book: false }).analyze(state);
        const top = Math.max(...scores.filter((v) => !Number.isNaN(v)));
        const expected = scores.flatMap((v, c) => (v === top ? [c] : []));
        const count = connect4BestColumns(shared, state, out);
        expect([...out.subarray(0, count)]).toEqual(expected);
        positions++;
      }
    }
    expect(positions).toBe(18);
  });

  it('the same on a 5x6 board (the solver kernel for other heights)', () => {
    const small = createGame('connect4:rows=5,cols=6') as Connect4Game;
    const shared = createConnect4Solver(small, { book: false });
    const out = new Int32Array(6);
    for (const moves of randomOpenings(small, 8, 6, 'best-5x6')) {
      const state = small.newInitialState() as Connect4State;
      for (const a of moves) state.apply(a);
      const scores = createConnect4Solver(small, { book: false }).analyze(state);
      const top = Math.max(...scores.filter((v) => !Number.isNaN(v)));
      const count = connect4BestColumns(shared, state, out);
      expect([...out.subarray(0, count)]).toEqual(scores.flatMap((v, c) => (v === top ? [c] : [])));
    }
  });

  it('wins at once when it can, and a reseeded agent repeats a fresh one move for move', async () => {
    // X has 1, 2, 3 on the bottom row (columns 0..2): the only best move is column 3.
    const agent = await createAgent('solver', { game, seed: 'a' });
    expect(await agent.selectAction(game.parseState('112233'))).toBe(3);
    const state = game.newInitialState();
    for (const a of randomOpenings(game, 1, 14, 'reseed')[0]) state.apply(a);
    agent.reseed!('b');
    const fresh = await createAgent('solver', { game, seed: 'b' });
    const view = game.newInitialState();
    while (!state.isTerminal()) {
      view.copyFrom(state);
      const a = await agent.selectAction(view);
      expect(await fresh.selectAction(view)).toBe(a);
      state.apply(a);
    }
  });
});
