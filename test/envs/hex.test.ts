import { describe, it, expect } from 'vitest';
import { createRng, legalActionList, type State } from '../../src/core/index.js';
import { createGame, perft } from '../../src/envs/index.js';
import {
  emptyOutcomePerft, errorOf, expectMaskAgrees, expectMoveStringsRoundTrip, expectSymmetricReplays,
  outcomePerft, play, randomPlayout, type OutcomePerft,
} from './helpers.js';

function winnerOf(s: State): number {
  if (!s.isTerminal()) return -1;
  return s.returnOf(0) === 1 ? 0 : s.returnOf(1) === 1 ? 1 : 2;
}

/**
 * The rules again, as plainly as possible: a number[][] board and a flood fill from player 0's
 * top row (or player 1's left column) over the six hex neighbours.
 */
const NEIGHBOURS = [[-1, 0], [-1, 1], [0, -1], [0, 1], [1, -1], [1, 0]];

function naiveConnects(board: number[][], player: number): boolean {
  const n = board.length;
  const seen = board.map((row) => row.map(() => false));
  const stack: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const [r, c] = player === 0 ? [0, i] : [i, 0];
    if (board[r][c] === player) {
      seen[r][c] = true;
      stack.push([r, c]);
    }
  }
  while (stack.length) {
    const [r, c] = stack.pop()!;
    if ((player === 0 ? r : c) === n - 1) return true;
    for (const [dr, dc] of NEIGHBOURS) {
      const rr = r + dr;
      const cc = c + dc;
      if (rr >= 0 && rr < n && cc >= 0 && cc < n && !seen[rr][cc] && board[rr][cc] === player) {
        seen[rr][cc] = true;
        stack.push([rr, cc]);
      }
    }
  }
  return false;
}

function perftNaive(size: number, swap: boolean, depth: number): OutcomePerft {
  const result = emptyOutcomePerft(depth);
  const board: number[][] = Array.from({ length: size }, () => new Array<number>(size).fill(-1));
  let first: [number, number] = [-1, -1];
  const visit = (d: number, mover: number): void => {
    result.nodes[d + 1]++;
    if (naiveConnects(board, mover)) {
      if (mover === 0) result.win0[d + 1]++;
      else result.win1[d + 1]++;
    } else {
      walk(d + 1);
    }
  };
  const walk = (d: number): void => {
    if (d === depth) return;
    const mover = d % 2;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        if (board[r][c] >= 0) continue;
        board[r][c] = mover;
        if (d === 0) first = [r, c];
        visit(d, mover);
        board[r][c] = -1;
      }
    }
    if (swap && d === 1) {
      const [r, c] = first;
      board[r][c] = -1;
      board[c][r] = 1;
      visit(d, 1);
      board[c][r] = -1;
      board[r][c] = 0;
    }
  };
  walk(0);
  return result;
}

describe('hex: game and parameters', () => {
  it('defaults to a 7x7 board without the pie rule', () => {
    const g = createGame('hex');
    expect(g.spec).toBe('hex');
    expect(g.params).toEqual({ size: 7, swap: false });
    expect(g.shape).toEqual({ rows: 7, cols: 7 });
    expect(g.numActions).toBe(49);
    expect(g.maxGameLength).toBe(49);
    expect(g.hasTranspositions).toBe(true);
    expect(g.actionLayout).toEqual({ planes: [{ name: 'place', extent: 'cell' }], globals: [] });
    expect(g.encoding.planes).toEqual(['own:stone', 'opp:stone', 'cell:exists', 'side:first-player']);
    expect(g.symmetries.map((s) => s.name)).toEqual(['rotate-180']);
    expect(g.symmetries[0].actionMap.length).toBe(49);
  });

  it('adds the swap action with the pie rule', () => {
    const g = createGame('hex:size=5,swap=true');
    expect(g.spec).toBe('hex:size=5,swap=true');
    expect(g.numActions).toBe(26);
    expect(g.maxGameLength).toBe(26);
    expect(g.actionLayout.globals).toEqual(['swap']);
    expect(g.actionToString(25)).toBe('swap');
    expect(g.parseAction('swap')).toBe(25);
    const rot = g.symmetries[0];
    expect(rot.actionMap[25]).toBe(25);
    expect(rot.actionMap[0]).toBe(24);
    expect(createGame('hex:size=7,swap=false').spec).toBe('hex');
  });

  it('rejects bad parameters with one clear line', () => {
    const big = errorOf(() => createGame('hex:size=40'));
    expect(big.message).toMatch(/size=40 is out of range; allowed 2\.\.19/);
    expect(big.message).not.toMatch(/\n/);
    expect(errorOf(() => createGame('hex:size=1')).message).toMatch(/allowed 2\.\.19/);
    expect(errorOf(() => createGame('hex:swap=maybe')).message).toMatch(/swap=maybe is not a boolean/);
    expect(errorOf(() => createGame('hex:rows=5')).message).toMatch(/unknown game option "rows".*size, swap/);
  });
});

describe('hex: rules', () => {
  it('a column joins top and bottom: a win for player 0, not for player 1', () => {
    const x = play('hex:size=3', 'a1 c1 a2 c2 a3');
    expect(winnerOf(x)).toBe(0);
    expect(x.returnOf(1)).toBe(-1);
    expect(x.currentPlayer()).toBe(-1);
    expect(legalActionList(x)).toEqual([]);
    // The same chain for player 1 touches the left edge only.
    const o = play('hex:size=3', 'c1 a1 c3 a2 b3 a3');
    expect(o.isTerminal()).toBe(false);
  });

  it('a row joins left and right: a win for player 1, not for player 0', () => {
    const o = play('hex:size=3', 'a1 a2 b1 b2 a3 c2');
    expect(winnerOf(o)).toBe(1);
    expect(o.returnOf(0)).toBe(-1);
    const x = play('hex:size=3', 'a1 a3 b1 b3 c1');
    expect(x.isTerminal()).toBe(false);
  });

  it('joins cells along the short diagonal only', () => {
    // c1-b2-a3 runs along (r+1, c-1) steps: connected, and it touches all four edges.
    expect(winnerOf(play('hex:size=3', 'c1 a1 b2 b1 a3'))).toBe(0);
    // a1-b2-c3 steps by (r+1, c+1): those cells do not touch.
    const s = play('hex:size=3', 'a1 b1 b2 c1 c3');
    expect(s.isTerminal()).toBe(false);
    expect(s.currentPlayer()).toBe(1);
  });

  it('follows a winding chain on a bigger board', () => {
    // X: d1 d2 c3 c4 d4 e4 e5 -> stays a chain from row 1 to row 5 through bends.
    const s = play('hex:size=5', 'd1 a1 d2 a2 c3 a3 c4 b1 d4 b2 e4 b3');
    expect(s.isTerminal()).toBe(false);
    s.apply(s.game.parseAction('e5'));
    expect(winnerOf(s)).toBe(0);
  });

  it('a full board always has exactly one winner, and play stops at the first connection', () => {
    const rng = createRng('hex-full-boards');
    for (let trial = 0; trial < 300; trial++) {
      const size = 2 + (trial % 9);
      const cells = size * size;
      // A random filling with the move counts of a real game.
      const order = Array.from({ length: cells }, (_, i) => i);
      for (let i = cells - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const board: number[][] = Array.from({ length: size }, () => new Array<number>(size).fill(-1));
      order.forEach((cell, i) => (board[Math.floor(cell / size)][cell % size] = i % 2));
      const zero = naiveConnects(board, 0);
      const one = naiveConnects(board, 1);
      expect(zero !== one).toBe(true);
      // Stones are never removed, so whoever connects first still connects on the full board.
      const s = createGame(`hex:size=${size}`).newInitialState();
      for (const cell of order) {
        if (s.isTerminal()) break;
        s.apply(cell);
      }
      expect(s.isTerminal()).toBe(true);
      expect(winnerOf(s)).toBe(zero ? 0 : 1);
    }
  });

  it('random games always end in a win, never a draw', () => {
    for (const spec of ['hex:size=2', 'hex', 'hex:size=11', 'hex:size=4,swap=true']) {
      const g = createGame(spec);
      for (let i = 0; i < 20; i++) {
        const s = randomPlayout(g.newInitialState(), `${spec}/${i}`);
        expect([0, 1]).toContain(winnerOf(s));
        expect(s.returnOf(0) + s.returnOf(1)).toBe(0);
        expect(s.moveNumber()).toBeLessThanOrEqual(g.maxGameLength);
      }
    }
  });

  it('rejects illegal moves with ArborError', () => {
    const g = createGame('hex:size=5');
    const s = g.parseState('c3');
    expect(errorOf(() => s.apply(g.parseAction('c3'))).message).toMatch(/illegal move c3.*occupied/);
    expect(errorOf(() => s.apply(25)).message).toMatch(/illegal move 25/);
    expect(errorOf(() => s.apply(-3)).message).toMatch(/illegal move -3/);
    expect(s.moveNumber()).toBe(1);
    expect(errorOf(() => g.parseAction('swap')).message).toMatch(/swap=true/);
    expect(errorOf(() => g.parseAction('f1')).message).toMatch(/a1\.\.e5/);
    expect(errorOf(() => g.parseState('a1 b1 a1')).message).toMatch(/move 3 "a1" is illegal/);
    const won = play('hex:size=3', 'a1 c1 a2 c2 a3');
    expect(errorOf(() => won.apply(4)).message).toMatch(/game is over/);
    expect(errorOf(() => g.parseState('a1 b1 a2 b2 a3 b3 a4 b4 a5 c5')).message).toMatch(/move 10 "c5" comes after the game has ended/);
  });

  it('legalMask agrees with legalActions and isLegal', () => {
    for (const spec of ['hex:size=5', 'hex:size=5,swap=true']) expectMaskAgrees(createGame(spec), `hex-mask/${spec}`);
  });
});

describe('hex: the pie rule', () => {
  it('swap is legal only as the second move, and only with swap=true', () => {
    const g = createGame('hex:size=5,swap=true');
    const s = g.newInitialState();
    expect(s.isLegal(25)).toBe(false);
    expect(errorOf(() => s.apply(25)).message).toMatch(/illegal move swap.*second move/);
    s.apply(g.parseAction('b1'));
    expect(s.isLegal(25)).toBe(true);
    expect(legalActionList(s)).toContain(25);
    const other = s.clone();
    other.apply(g.parseAction('c3'));
    expect(other.isLegal(25)).toBe(false);
    expect(legalActionList(other)).not.toContain(25);
    expect(errorOf(() => g.parseState('b1 c3 swap')).message).toMatch(/move 3 "swap" is illegal/);
    expect(legalActionList(createGame('hex:size=5').parseState('b1'))).not.toContain(25);
  });

  it('swap turns the first stone into a player-1 stone on the transposed cell, and player 0 moves next', () => {
    const g = createGame('hex:size=5,swap=true');
    const s = g.parseState('b1 swap');
    expect(s.currentPlayer()).toBe(0);
    expect(s.moveNumber()).toBe(2);
    expect(s.actionAt(1)).toBe(25);
    expect(s.toMoveString()).toBe('b1 swap');
    expect(s.isLegal(g.parseAction('b1'))).toBe(true);
    expect(s.isLegal(g.parseAction('a2'))).toBe(false);
    expect(s.toString().split('\n').slice(1, 3)).toEqual([' 1 . . . . .', ' 2  O . . . .']);
    // Player 0 to move sees the swapped stone as the opponent's.
    const out = new Float32Array(4 * 25);
    s.encode(out, 0);
    expect(out[5]).toBe(0);
    expect(out[25 + 5]).toBe(1);
    expect(out[25 + 1]).toBe(0);
    expect(out[3 * 25]).toBe(1);
    expect(s.hash()).not.toBe(g.parseState('b1').hash());
    expect(s.hash()).not.toBe(g.newInitialState().hash());
  });

  it('a stone on the long diagonal just changes colour', () => {
    const s = play('hex:size=4,swap=true', 'b2 swap');
    const out = new Float32Array(4 * 16);
    s.encode(out, 0);
    expect(out[16 + 5]).toBe(1);
    expect(Array.from(out.subarray(0, 16)).every((v) => v === 0)).toBe(true);
  });

  it('the swapped stone joins player 1 chains and edges; the old stone is gone for player 0', () => {
    // O's a2 (from the swap) + b2 + c2 joins left and right.
    expect(winnerOf(play('hex:size=3,swap=true', 'b1 swap a1 b2 a3 c2'))).toBe(1);
    // a1 swapped to a1: O holds the left edge and wins with b1.
    expect(winnerOf(play('hex:size=2,swap=true', 'a1 swap a2 b1'))).toBe(1);
    // X's b1 was taken back, so b2-b3 does not reach the top until X plays b1 again.
    const s = play('hex:size=3,swap=true', 'b1 swap b2 a3 b3 a1');
    expect(s.isTerminal()).toBe(false);
    s.apply(s.game.parseAction('b1'));
    expect(winnerOf(s)).toBe(0);
  });

  it('swap without the pie rule is not an action', () => {
    const g = createGame('hex:size=5');
    const s = g.parseState('b1');
    expect(s.isLegal(25)).toBe(false);
    expect(errorOf(() => g.parseState('b1 swap')).message).toMatch(/swap=true/);
  });
});

describe('hex: state plumbing', () => {
  it('encodes from the mover\'s point of view and says who moves first', () => {
    const g = createGame('hex:size=2');
    const s = g.parseState('a1');
    const out = new Float32Array(1 + 16).fill(9);
    s.encode(out, 1);
    expect(out[0]).toBe(9);
    expect(Array.from(out.subarray(1))).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
    s.apply(g.parseAction('b2'));
    s.encode(out, 1);
    expect(Array.from(out.subarray(1))).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('hashes positions, not move orders', () => {
    const g = createGame('hex');
    expect(g.parseState('a1 b1 c1').hash()).toBe(g.parseState('c1 b1 a1').hash());
    expect(g.parseState('a1 b1 c1').hash()).not.toBe(g.parseState('b1 a1 c1').hash());
    expect(g.parseState('').hash()).not.toBe(g.parseState('a1').hash());
  });

  it('clone and copyFrom carry the connectivity', () => {
    const g = createGame('hex:size=3');
    const s = g.parseState('a1 c1 a2 c2');
    const c = s.clone();
    c.apply(g.parseAction('a3'));
    expect(winnerOf(c)).toBe(0);
    expect(s.isTerminal()).toBe(false);
    const t = g.newInitialState();
    t.copyFrom(s);
    t.apply(g.parseAction('a3'));
    expect(winnerOf(t)).toBe(0);
    expect(t.hash()).toBe(c.hash());
  });

  it('round-trips random games through toMoveString and parseState', () => {
    for (const spec of ['hex', 'hex:size=4,swap=true', 'hex:size=19', 'hex:size=3,swap=true']) expectMoveStringsRoundTrip(spec, 10, 6);
  });

  it('draws the rhombus with shifted rows', () => {
    const text = play('hex:size=3', 'a1 b2').toString();
    expect(text.split('\n')).toEqual(['   a b c', ' 1 X . .', ' 2  . O .', ' 3   . . .', 'X connects top-bottom, O left-right; X to move']);
  });

  it('rotating a game by 180 degrees gives an equally valid game', () => {
    for (const spec of ['hex:size=5', 'hex:size=6,swap=true']) expectSymmetricReplays(spec, 10);
  });
});

describe('hex: perft against a naive implementation', () => {
  it('size 2 to the end', () => {
    expect(outcomePerft(createGame('hex:size=2'), 4)).toEqual(perftNaive(2, false, 4));
  });

  it('size 3 to the end (every game is decided by move 9)', () => {
    const real = outcomePerft(createGame('hex:size=3'), 9);
    expect(real).toEqual(perftNaive(3, false, 9));
    expect(real.nodes.slice(1, 5)).toEqual([9, 72, 504, 3024]);
  });

  it('size 3 with the pie rule to the end', () => {
    const real = outcomePerft(createGame('hex:size=3,swap=true'), 10);
    expect(real).toEqual(perftNaive(3, true, 10));
    expect(real.nodes.slice(1, 3)).toEqual([9, 9 * 9]);
  });

  it('size 4 with the pie rule to depth 5', () => {
    expect(outcomePerft(createGame('hex:size=4,swap=true'), 5)).toEqual(perftNaive(4, true, 5));
  });
  it('the shared perft helper agrees with the naive counter', () => {
    expect(perft(createGame('hex:size=3').newInitialState(), 9)).toEqual(perftNaive(3, false, 9).nodes.slice(1));
    expect(perft(createGame('hex:size=3,swap=true').newInitialState(), 10, { applyLeaves: true })).toEqual(perftNaive(3, true, 10).nodes.slice(1));
  });
});
