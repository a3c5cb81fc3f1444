import { describe, expect, it } from 'vitest';
import { createGame, perft, type Connect4State } from '../../src/envs/index.js';

/** An independent counter: a naive 2D-array board with its own four-in-a-row check. */
function naivePerft(rows: number, cols: number, depth: number): number[] {
  const counts = new Array<number>(depth).fill(0);
  const board: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  const wins = (p: number): boolean => {
    const dirs = [[0, 1], [1, 0], [1, 1], [1, -1]];
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) for (const [dr, dc] of dirs) {
      let k = 0;
      while (k < 4 && board[r + dr * k]?.[c + dc * k] === p) k++;
      if (k === 4) return true;
    }
    return false;
  };
  const walk = (d: number, player: number) => {
    for (let c = 0; c < cols; c++) {
      if (board[0][c] !== 0) continue;
      counts[d]++;
      if (d + 1 >= depth) continue;
      let r = rows - 1;
      while (board[r][c] !== 0) r--;
      board[r][c] = player;
      if (!wins(player)) walk(d + 1, 3 - player);
      board[r][c] = 0;
    }
  };
  walk(0, 1);
  return counts;
}

describe('connect4', () => {
  it('perft on 6x7 matches the known counts', () => {
    // 7, 49, 343, 2401, 16807, 117649, 823536 (the first four-in-a-row is possible at ply 7).
    expect(perft(createGame('connect4').newInitialState(), 8)).toEqual([7, 49, 343, 2401, 16807, 117649, 823536, 5673234]);
  });

  it('perft agrees with a naive counter on small boards', () => {
    expect(perft(createGame('connect4:rows=4,cols=4').newInitialState(), 9)).toEqual(naivePerft(4, 4, 9));
    expect(perft(createGame('connect4:rows=5,cols=4').newInitialState(), 8)).toEqual(naivePerft(5, 4, 8));
  });

  it('detects wins in every direction and the draw', () => {
    const horizontal = createGame('connect4').parseState('1122334');
    expect(horizontal.isTerminal()).toBe(true);
    expect(horizontal.returnOf(0)).toBe(1);
    const vertical = createGame('connect4').parseState('1212121');
    expect(vertical.returnOf(0)).toBe(1);
    const diagonal = createGame('connect4').parseState('12233434464');
    expect(diagonal.isTerminal()).toBe(true);
    expect(diagonal.returnOf(0)).toBe(1);
    const anti = createGame('connect4').parseState('76655454424');
    expect(anti.returnOf(0)).toBe(1);
    const secondWins = createGame('connect4').parseState('71213141');
    expect(secondWins.returnOf(1)).toBe(1);
    // 4x4 filled column-pair by column-pair gives no four in a row: a draw.
    const draw = createGame('connect4:rows=4,cols=4').parseState('1234123421432143');
    expect(draw.isTerminal()).toBe(true);
    expect(draw.returnOf(0)).toBe(0);
  });

  it('refuses bad moves and parameters with one clear line', () => {
    const game = createGame('connect4');
    expect(() => game.parseState('48')).toThrow(/"8" is not a column; write a digit 1-7/);
    expect(() => game.parseState('1111111')).toThrow(/move 7 "1" is illegal/);
    expect(() => game.parseState('12121212')).toThrow(/after the game has ended/);
    expect(() => createGame('connect4:rows=0')).toThrow(/rows=0 is out of range; allowed 4\.\.12/);
    expect(() => createGame('connect4:depth=3')).toThrow(/unknown game option "depth" for connect4; allowed: rows, cols/);
    expect(() => createGame('connect5')).toThrow(/unknown game "connect5"/);
    expect(() => createGame('connect4:rows')).toThrow(/"rows" is not key=value/);
  });

  it('encodes from the mover\'s perspective: stones, mask, side to move, threats, row parity, playable cells', () => {
    const game = createGame('connect4');
    expect(game.encoding.planes).toEqual(['own:stone', 'opp:stone', 'cell:exists', 'side:first-player', 'own:threat', 'opp:threat', 'cell:odd-row', 'cell:playable']);
    const s = game.parseState('4');
    const out = new Float32Array(8 * 42);
    s.encode(out, 0);
    // Player 1 to move: the stone at the bottom of column 4 (row 5, col 3) is the opponent's.
    expect(out[42 + 5 * 7 + 3]).toBe(1);
    expect(out[5 * 7 + 3]).toBe(0);
    expect(out.subarray(84, 126).every((v) => v === 1)).toBe(true);
    expect(out.subarray(126, 168).every((v) => v === 0)).toBe(true); // the second player moves
    expect(out.subarray(168, 252).every((v) => v === 0)).toBe(true); // no threats after one stone
    game.newInitialState().encode(out, 0);
    expect(out.subarray(126, 168).every((v) => v === 1)).toBe(true);
  });

  it('marks the odd rows from the bottom and the next free cell of each column', () => {
    const game = createGame('connect4');
    const out = new Float32Array(8 * 42);
    const ones = (p: number) => [...out.subarray(p * 42, (p + 1) * 42).keys()].filter((c) => out[p * 42 + c] === 1);
    game.parseState('44441').encode(out, 0);
    // Row 5 is the bottom row (row 1 from the bottom, odd), then rows 3 and 1.
    expect(ones(6)).toEqual([...[5, 3, 1].flatMap((r) => [0, 1, 2, 3, 4, 5, 6].map((c) => r * 7 + c))].sort((a, b) => a - b));
    // Column 1 holds one stone, column 4 four, the others none.
    expect(ones(7)).toEqual([1 * 7 + 3, 4 * 7 + 0, 5 * 7 + 1, 5 * 7 + 2, 5 * 7 + 4, 5 * 7 + 5, 5 * 7 + 6].sort((a, b) => a - b));
    // A full column has no playable cell; the parity plane does not depend on the stones.
    game.parseState('444444').encode(out, 0);
    expect(ones(7)).toEqual([35, 36, 37, 39, 40, 41]);
    expect(ones(6).length).toBe(21);
    // On an odd number of rows the top row is odd too.
    const small = createGame('connect4:rows=5,cols=4');
    const o5 = new Float32Array(8 * 20);
    small.newInitialState().encode(o5, 0);
    expect(Array.from(o5.subarray(6 * 20, 7 * 20))).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('marks the empty cells where a stone would complete four, for each side', () => {
    const game = createGame('connect4');
    const out = new Float32Array(8 * 42);
    const plane = (p: number) => out.subarray(p * 42, (p + 1) * 42);
    const ones = (p: number) => [...plane(p).keys()].filter((c) => plane(p)[c] === 1);
    // X has columns 1-3 on the bottom row, O three stones in column 7; X to move.
    game.parseState('172737').encode(out, 0);
    expect(ones(4)).toEqual([5 * 7 + 3]); // X (the mover) completes the bottom row in column 4
    expect(ones(5)).toEqual([2 * 7 + 6]); // O completes column 7 on top of its stack
    // One move later O moves: the planes swap roles.
    game.parseState('1727375').encode(out, 0);
    expect(ones(4)).toEqual([2 * 7 + 6]);
    expect(ones(5)).toEqual([5 * 7 + 3]);
    // A diagonal threat in the air: X on (5,0), (4,1), (3,2) threatens (2,3), which is not playable yet.
    const s = game.parseState('1223533') as Connect4State;
    s.encode(out, 0);
    expect([s.cellAt(5, 0), s.cellAt(4, 1), s.cellAt(3, 2)]).toEqual([1, 1, 1]);
    expect(s.currentPlayer()).toBe(1);
    expect(ones(5)).toEqual([2 * 7 + 3]); // the opponent's (X's) diagonal threat
    expect(ones(4)).toEqual([]);
  });
});
