import { describe, expect, it } from 'vitest';
import { createGame, perft } from '../../src/envs/index.js';

describe('tictactoe', () => {
  it('perft matches the published table (255,168 games in all)', () => {
    const counts = perft(createGame('tictactoe').newInitialState(), 9);
    expect(counts).toEqual([9, 72, 504, 3024, 15120, 54720, 148176, 200448, 127872]);
  });

  it('counts the well-known 255,168 finished games and 5,478 distinct positions', () => {
    const game = createGame('tictactoe');
    let finished = 0;
    const positions = new Set<number>();
    const buf = new Int32Array(9);
    const walk = (s: ReturnType<typeof game.newInitialState>) => {
      positions.add(s.hash());
      if (s.isTerminal()) {
        finished++;
        return;
      }
      const n = s.legalActions(buf);
      const moves = Array.from(buf.subarray(0, n));
      for (const a of moves) {
        const c = s.clone();
        c.apply(a);
        walk(c);
      }
    };
    walk(game.newInitialState());
    expect(finished).toBe(255168);
    expect(positions.size).toBe(5478);
  });

  it('scores wins, losses and draws', () => {
    const game = createGame('tictactoe');
    const xWins = game.parseState('a1 b1 a2 b2 a3');
    expect(xWins.isTerminal()).toBe(true);
    expect([xWins.returnOf(0), xWins.returnOf(1)]).toEqual([1, -1]);
    const oWins = game.parseState('a1 b1 a2 b2 c3 b3');
    expect(oWins.returnOf(1)).toBe(1);
    const draw = game.parseState('b2 a1 c1 a3 a2 c2 b1 b3 c3');
    expect(draw.isTerminal()).toBe(true);
    expect(draw.returnOf(0)).toBe(0);
    expect(draw.currentPlayer()).toBe(-1);
  });

  it('refuses occupied cells and malformed moves', () => {
    const game = createGame('tictactoe');
    expect(() => game.parseState('b2 b2')).toThrow(/move 2 "b2" is illegal/);
    expect(() => game.parseState('z9')).toThrow(/"z9" is not a cell/);
    expect(() => createGame('tictactoe:size=4')).toThrow(/unknown game option "size" for tictactoe; allowed: \(none\)/);
    const s = game.parseState('a1');
    expect(() => s.apply(0)).toThrow(/illegal move a1/);
  });
});
