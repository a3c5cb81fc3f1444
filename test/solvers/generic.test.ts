import { describe, expect, it } from 'vitest';
import { createGame } from '../../src/envs/index.js';
import { createSolver, GenericSolver, hasSolver } from '../../src/solvers/index.js';

describe('generic solver', () => {
  it('tic-tac-toe is a draw, and every first move draws', () => {
    const game = createGame('tictactoe');
    const solver = new GenericSolver(game);
    expect(solver.solve(game.newInitialState())).toBe(0);
    expect(solver.analyze(game.newInitialState())).toEqual(new Array(9).fill(0));
  });

  it('after a corner opening only the centre reply draws', () => {
    const game = createGame('tictactoe');
    const scores = new GenericSolver(game).analyze(game.parseState('a1'));
    expect(scores[0]).toBeNaN();
    expect(scores[4]).toBe(0);
    for (const a of [1, 2, 3, 5, 6, 7, 8]) expect(scores[a]).toBeLessThan(0);
  });

  it('prefers the fastest win: a win now scores more than a slower one', () => {
    const game = createGame('tictactoe');
    // X: a1 a2, O: b1 b2; X to move wins at once with a3 (move 5: score 10 - 5 = 5).
    const scores = new GenericSolver(game).analyze(game.parseState('a1 b1 a2 b2'));
    expect(Math.max(...scores.filter((v) => !Number.isNaN(v)))).toBe(5);
  });

  it('hex is a first-player win (strategy stealing) on 3x3', () => {
    const game = createGame('hex:size=3');
    expect(new GenericSolver(game).solve(game.newInitialState())).toBeGreaterThan(0);
  });

  it('solves small gomoku: k=3 on 4x4 is a first-player win', () => {
    const game = createGame('gomoku:size=4,k=3');
    expect(new GenericSolver(game).solve(game.newInitialState())).toBeGreaterThan(0);
  });

  it('names the solvable games when there is no solver', () => {
    const game = createGame('othello:size=6');
    expect(hasSolver(game)).toBe(false);
    expect(() => createSolver(game)).toThrow(/no solver for othello.*tictactoe, connect4/);
    expect(hasSolver(createGame('connect4'))).toBe(true);
  });
});
