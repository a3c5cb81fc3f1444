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

  it('a bounded solve gives up (null) past its node budget and resumes from its table', () => {
    const game = createGame('tictactoe');
    const solver = new GenericSolver(game, { tableBits: 16 });
    const start = game.newInitialState();
    expect(solver.solveBounded(start, 20)).toBeNull();
    expect(solver.nodes).toBe(21); // the node that found the limit is counted, not searched
    const exact = new GenericSolver(game, { tableBits: 16 }).solve(start);
    let score: number | null = null;
    for (let i = 0; i < 1000 && score === null; i++) score = solver.solveBounded(start, 500);
    expect(score).toBe(exact);
    // Connect Four one move from a win: the win is tried before any other move.
    const c4 = createGame('connect4');
    expect(new GenericSolver(c4, { tableBits: 16 }).solveBounded(c4.parseState('112233'), 100)).toBe(c4.maxGameLength + 1 - 7);
  });

  it('names the solvable games when there is no solver', () => {
    const game = createGame('othello:size=6');
    expect(hasSolver(game)).toBe(false);
    expect(() => createSolver(game)).toThrow(/no solver for othello.*tictactoe, connect4/);
    expect(hasSolver(createGame('connect4'))).toBe(true);
  });
});
