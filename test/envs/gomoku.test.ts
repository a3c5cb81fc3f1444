import { describe, it, expect } from 'vitest';
import { legalActionList } from '../../src/core/index.js';
import { createGame, perft } from '../../src/envs/index.js';
import {
  emptyOutcomePerft, errorOf, expectMaskAgrees, expectMoveStringsRoundTrip, expectSymmetricReplays,
  outcomePerft, play, type OutcomePerft,
} from './helpers.js';

/** The rules again, written as plainly as possible: a number[][] board and a full-board line scan. */
function naiveWinner(board: number[][], k: number): number {
  const rows = board.length;
  const cols = board[0].length;
  const dirs = [[0, 1], [1, 0], [1, 1], [1, -1]];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const p = board[r][c];
      if (p < 0) continue;
      for (const [dr, dc] of dirs) {
        let len = 0;
        while (len < k) {
          const rr = r + dr * len;
          const cc = c + dc * len;
          if (rr < 0 || rr >= rows || cc < 0 || cc >= cols || board[rr][cc] !== p) break;
          len++;
        }
        if (len === k) return p;
      }
    }
  }
  return -1;
}

function perftNaive(rows: number, cols: number, k: number, depth: number): OutcomePerft {
  const result = emptyOutcomePerft(depth);
  const board: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(-1));
  const walk = (d: number): void => {
    if (d === depth) return;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (board[r][c] >= 0) continue;
        board[r][c] = d % 2;
        result.nodes[d + 1]++;
        const w = naiveWinner(board, k);
        if (w === 0) result.win0[d + 1]++;
        else if (w === 1) result.win1[d + 1]++;
        else if (d + 1 === rows * cols) result.draws[d + 1]++;
        else walk(d + 1);
        board[r][c] = -1;
      }
    }
  };
  walk(0);
  return result;
}

describe('gomoku: game and parameters', () => {
  it('defaults to free-style 9x9 with k=5', () => {
    const g = createGame('gomoku');
    expect(g.spec).toBe('gomoku');
    expect(g.params).toEqual({ rows: 9, cols: 9, k: 5 });
    expect(g.shape).toEqual({ rows: 9, cols: 9 });
    expect(g.numActions).toBe(81);
    expect(g.maxGameLength).toBe(81);
    expect(g.numPlayers).toBe(2);
    expect(g.hasTranspositions).toBe(true);
    expect(g.actionLayout).toEqual({ planes: [{ name: 'place', extent: 'cell' }], globals: [] });
    expect(g.encoding.planes).toEqual(['own:stone', 'opp:stone', 'cell:exists']);
  });

  it('reads the size alias and writes a canonical spec', () => {
    const g = createGame('gomoku:size=7,k=4');
    expect(g.shape).toEqual({ rows: 7, cols: 7 });
    expect(g.params).toEqual({ rows: 7, cols: 7, k: 4 });
    expect(g.spec).toBe('gomoku:rows=7,cols=7,k=4');
    expect(createGame(g.spec).spec).toBe(g.spec);
    expect(createGame('gomoku:size=9,k=5').spec).toBe('gomoku');
    const r = createGame('gomoku:rows=5,cols=9,k=9');
    expect(r.shape).toEqual({ rows: 5, cols: 9 });
    expect(r.numActions).toBe(45);
  });

  it('declares D4 on square boards and the three rectangle symmetries otherwise', () => {
    expect(createGame('gomoku').symmetries.map((s) => s.name).sort()).toEqual(
      ['anti-transpose', 'flip-horizontal', 'flip-vertical', 'rotate-180', 'rotate-270', 'rotate-90', 'transpose'],
    );
    expect(createGame('gomoku:rows=6,cols=8').symmetries.map((s) => s.name).sort()).toEqual(
      ['flip-horizontal', 'flip-vertical', 'rotate-180'],
    );
  });

  it('rejects bad parameters with one clear line', () => {
    const k = errorOf(() => createGame('gomoku:k=10'));
    expect(k.message).toMatch(/k=10/);
    expect(k.message).toMatch(/9x9/);
    expect(k.message).toMatch(/3\.\.9/);
    expect(k.message).not.toMatch(/\n/);
    expect(errorOf(() => createGame('gomoku:rows=0')).message).toMatch(/rows=0 is out of range; allowed 3\.\.19/);
    expect(errorOf(() => createGame('gomoku:size=20')).message).toMatch(/out of range; allowed 3\.\.19/);
    expect(errorOf(() => createGame('gomoku:k=2')).message).toMatch(/allowed 3\.\./);
    expect(errorOf(() => createGame('gomoku:k=five')).message).toMatch(/not an integer/);
    expect(errorOf(() => createGame('gomoku:width=9')).message).toMatch(/unknown game option "width".*rows, cols, k, size/);
    expect(errorOf(() => createGame('gomoku:size=4,k=5')).message).toMatch(/k=5/);
  });
});

describe('gomoku: rules', () => {
  it('a horizontal line of five wins (completed in the middle)', () => {
    const s = play('gomoku', 'a1 a3 b1 b3 c1 c3 e1 d3 d1');
    expect(s.isTerminal()).toBe(true);
    expect(s.currentPlayer()).toBe(-1);
    expect(s.returnOf(0)).toBe(1);
    expect(s.returnOf(1)).toBe(-1);
    expect(legalActionList(s)).toEqual([]);
  });

  it('a vertical line wins for the second player', () => {
    const s = play('gomoku', 'a1 i1 a2 i2 b4 i3 a4 i5 c7 i4');
    expect(s.isTerminal()).toBe(true);
    expect(s.returnOf(1)).toBe(1);
    expect(s.returnOf(0)).toBe(-1);
  });

  it('both diagonals win', () => {
    const main = play('gomoku', 'c3 a9 d4 b9 e5 c9 f6 d9 g7');
    expect(main.returnOf(0)).toBe(1);
    const anti = play('gomoku', 'i1 a9 h2 b9 g3 c9 f4 d9 e5');
    expect(anti.returnOf(0)).toBe(1);
    // Lines that touch the board's edges on both ends.
    const corner = play('gomoku:size=5', 'e1 a1 d2 a2 c3 a3 b4 b2 a5');
    expect(corner.returnOf(0)).toBe(1);
  });

  it('four in a row is not yet a win, and a broken line does not count', () => {
    const s = play('gomoku', 'a1 a3 b1 b3 c1 c3 d1 i9 f1 h9');
    expect(s.isTerminal()).toBe(false);
    expect(s.currentPlayer()).toBe(0);
    expect(s.returnOf(0)).toBe(0);
  });

  it('an overline of six wins (free-style)', () => {
    const s = play('gomoku', 'a1 a3 b1 b3 c1 c3 e1 i9 f1 h9');
    expect(s.isTerminal()).toBe(false);
    s.apply(s.game.parseAction('d1'));
    expect(s.isTerminal()).toBe(true);
    expect(s.returnOf(0)).toBe(1);
  });

  it('wraps nothing around the board edge', () => {
    // i1 and a2 are adjacent in row-major order but not on the board.
    const s = play('gomoku:size=5,k=3', 'd1 a5 e1 b5 a2');
    expect(s.isTerminal()).toBe(false);
  });

  it('a full board without a line is a draw', () => {
    const s = play('gomoku:size=3,k=3', 'a1 b1 c1 b2 a2 c2 b3 a3 c3');
    expect(s.isTerminal()).toBe(true);
    expect(s.currentPlayer()).toBe(-1);
    expect(s.returnOf(0)).toBe(0);
    expect(s.returnOf(1)).toBe(0);
    expect(s.moveNumber()).toBe(9);
  });

  it('rejects illegal moves with ArborError', () => {
    const g = createGame('gomoku');
    const s = g.parseState('e5');
    expect(s.isLegal(g.parseAction('e5'))).toBe(false);
    expect(errorOf(() => s.apply(g.parseAction('e5'))).message).toMatch(/illegal move e5.*occupied/);
    expect(errorOf(() => s.apply(81)).message).toMatch(/illegal move 81/);
    expect(errorOf(() => s.apply(-1)).message).toMatch(/illegal move -1/);
    expect(errorOf(() => s.apply(2.5)).message).toMatch(/illegal move 2.5/);
    expect(s.isLegal(81)).toBe(false);
    expect(s.moveNumber()).toBe(1);
    const won = play('gomoku', 'a1 a3 b1 b3 c1 c3 e1 d3 d1');
    expect(errorOf(() => won.apply(80)).message).toMatch(/game is over/);
    expect(errorOf(() => g.parseAction('j1')).message).toMatch(/a1\.\.i9/);
    expect(errorOf(() => g.parseAction('pass')).message).toMatch(/not a cell/);
    expect(errorOf(() => g.parseState('a1 b2 a1')).message).toMatch(/move 3 "a1" is illegal/);
    expect(errorOf(() => g.parseState('a1 a3 b1 b3 c1 c3 e1 d3 d1 i9')).message).toMatch(/move 10 "i9" comes after the game has ended/);
  });

  it('legalMask agrees with legalActions and isLegal', () => {
    expectMaskAgrees(createGame('gomoku:rows=6,cols=7,k=4'), 'gomoku-mask');
  });
});

describe('gomoku: state plumbing', () => {
  it('encodes from the point of view of the player to move', () => {
    const g = createGame('gomoku:size=3,k=3');
    const s = g.parseState('a1 b2');
    const out = new Float32Array(2 + 3 * 9 + 1).fill(7);
    s.encode(out, 2);
    expect(out[0]).toBe(7);
    expect(out[1]).toBe(7);
    expect(out[29]).toBe(7);
    const plane = (p: number) => Array.from(out.subarray(2 + p * 9, 2 + (p + 1) * 9));
    expect(plane(0)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(plane(1)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(plane(2)).toEqual(new Array(9).fill(1));
    s.apply(g.parseAction('c3'));
    s.encode(out, 2);
    expect(plane(0)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(plane(1)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 1]);
    g.newInitialState().encode(out, 2);
    expect(plane(0)).toEqual(new Array(9).fill(0));
    expect(plane(1)).toEqual(new Array(9).fill(0));
  });

  it('hashes positions, not move orders, and includes the side to move', () => {
    const g = createGame('gomoku');
    expect(g.parseState('a1 b1 c1').hash()).toBe(g.parseState('c1 b1 a1').hash());
    expect(g.parseState('a1 b1 c1').hash()).not.toBe(g.parseState('b1 a1 c1').hash());
    expect(g.parseState('').hash()).not.toBe(g.parseState('a1').hash());
    const h = g.parseState('a1').hash();
    expect(Number.isSafeInteger(h) && h >= 0).toBe(true);
  });

  it('clone and copyFrom give independent copies', () => {
    const g = createGame('gomoku');
    const s = g.parseState('e5 d4');
    const c = s.clone();
    c.apply(g.parseAction('a1'));
    expect(s.moveNumber()).toBe(2);
    expect(s.isLegal(0)).toBe(true);
    expect(c.hash()).not.toBe(s.hash());
    s.copyFrom(c);
    expect(s.hash()).toBe(c.hash());
    expect(s.toMoveString()).toBe('e5 d4 a1');
  });

  it('round-trips random games through toMoveString and parseState', () => {
    for (const spec of ['gomoku', 'gomoku:rows=5,cols=8,k=4', 'gomoku:size=3,k=3', 'gomoku:size=15']) expectMoveStringsRoundTrip(spec, 10, 7);
  });

  it('renders a board with column letters and row numbers', () => {
    const text = play('gomoku:size=3,k=3', 'a1 b2').toString();
    expect(text.split('\n')).toEqual(['   a b c', ' 1 X . .', ' 2 . O .', ' 3 . . .']);
  });

  it('maps games through every declared symmetry onto equally valid games', () => {
    for (const spec of ['gomoku:size=6,k=4', 'gomoku:rows=4,cols=7,k=4']) expectSymmetricReplays(spec, 8);
  });
});

describe('gomoku: perft against a naive implementation', () => {
  it('3x3 k=3 is tic-tac-toe: 255168 complete games', () => {
    const real = outcomePerft(createGame('gomoku:size=3,k=3'), 9);
    expect(real).toEqual(perftNaive(3, 3, 3, 9));
    const games = real.win0.reduce((x, y) => x + y) + real.win1.reduce((x, y) => x + y) + real.draws.reduce((x, y) => x + y);
    expect(games).toBe(255168);
    expect(real.draws[9]).toBe(46080);
  });

  it('4x4 k=3 to depth 6', () => {
    const real = outcomePerft(createGame('gomoku:size=4,k=3'), 6);
    expect(real).toEqual(perftNaive(4, 4, 3, 6));
    expect(real.nodes.slice(1, 5)).toEqual([16, 16 * 15, 16 * 15 * 14, 16 * 15 * 14 * 13]);
    expect(real.win0[5]).toBeGreaterThan(0);
    expect(real.win1[6]).toBeGreaterThan(0);
  });

  it('rectangles 3x4 and 4x3 with k=3 to depth 6', () => {
    expect(outcomePerft(createGame('gomoku:rows=3,cols=4,k=3'), 6)).toEqual(perftNaive(3, 4, 3, 6));
    expect(outcomePerft(createGame('gomoku:rows=4,cols=3,k=3'), 6)).toEqual(perftNaive(4, 3, 3, 6));
  });
  it('the shared perft helper agrees with the naive counter', () => {
    expect(perft(createGame('gomoku:size=4,k=3').newInitialState(), 5)).toEqual(perftNaive(4, 4, 3, 5).nodes.slice(1));
    expect(perft(createGame('gomoku:size=3,k=3').newInitialState(), 9, { applyLeaves: true })).toEqual(perftNaive(3, 3, 3, 9).nodes.slice(1));
  });
});
