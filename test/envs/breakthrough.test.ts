import { describe, expect, it } from 'vitest';
import { ArborError, createRng, legalActionList, type State } from '../../src/core/index.js';
import { createGame, perft } from '../../src/envs/index.js';
import { errorOf, naivePerft } from './helpers.js';

/**
 * An independent Breakthrough over a 2D array ('0' / '1' pawns, '.' empty), moves as
 * [fromRow, fromCol, toRow, toCol]; the game is over once a pawn stands on its goal row or a
 * side has no pawns.
 */
class NaiveBreakthrough {
  board: string[][];
  toMove = 0;
  constructor(readonly rows: number, readonly cols: number) {
    this.board = Array.from({ length: rows }, (_, r) => new Array<string>(cols).fill(r < 2 ? '1' : r >= rows - 2 ? '0' : '.'));
  }
  winner(): number {
    if (this.board[0].includes('0')) return 0;
    if (this.board[this.rows - 1].includes('1')) return 1;
    const flat = this.board.flat();
    if (!flat.includes('1')) return 0;
    if (!flat.includes('0')) return 1;
    return -1;
  }
  moves(): [number, number, number, number][] {
    if (this.winner() >= 0) return [];
    const me = String(this.toMove);
    const them = String(1 - this.toMove);
    const fwd = this.toMove === 0 ? -1 : 1;
    const out: [number, number, number, number][] = [];
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        if (this.board[r][c] !== me) continue;
        const tr = r + fwd;
        if (tr < 0 || tr >= this.rows) continue;
        if (this.board[tr][c] === '.') out.push([r, c, tr, c]);
        for (const tc of [c - 1, c + 1]) {
          if (tc >= 0 && tc < this.cols && (this.board[tr][tc] === '.' || this.board[tr][tc] === them)) out.push([r, c, tr, tc]);
        }
      }
    }
    return out;
  }
  play([r, c, tr, tc]: [number, number, number, number]): NaiveBreakthrough {
    const next = new NaiveBreakthrough(this.rows, this.cols);
    next.board = this.board.map((row) => row.slice());
    next.board[tr][tc] = next.board[r][c];
    next.board[r][c] = '.';
    next.toMove = 1 - this.toMove;
    return next;
  }
}

/** A naive move in the game's own notation (row 1 on top). */
function moveText([r, c, tr, tc]: [number, number, number, number]): string {
  return `${String.fromCharCode(97 + c)}${r + 1}-${String.fromCharCode(97 + tc)}${tr + 1}`;
}

describe('breakthrough', () => {
  it('agrees with a naive 2D-array counter (6x6 to depth 5, 5x4 to depth 6, 4x3 to depth 8)', () => {
    const six = perft(createGame('breakthrough').newInitialState(), 5);
    expect(six).toEqual(naivePerft(new NaiveBreakthrough(6, 6), 5));
    expect(six[0]).toBe(16);
    expect(perft(createGame('breakthrough:rows=5,cols=4').newInitialState(), 6)).toEqual(naivePerft(new NaiveBreakthrough(5, 4), 6));
    expect(perft(createGame('breakthrough:rows=4,cols=3').newInitialState(), 8)).toEqual(naivePerft(new NaiveBreakthrough(4, 3), 8));
  });

  it('agrees with the naive rules along random games to the end', () => {
    for (const [rows, cols] of [[6, 6], [5, 4], [4, 2], [8, 3], [7, 9]]) {
      const game = createGame(`breakthrough:rows=${rows},cols=${cols}`);
      const buf = new Int32Array(game.numActions);
      for (let g = 0; g < 40; g++) {
        const rng = createRng(`breakthrough-test/${rows}x${cols}/${g}`);
        const s = game.newInitialState();
        let naive = new NaiveBreakthrough(rows, cols);
        for (;;) {
          const n = s.legalActions(buf);
          const mine = Array.from(buf.subarray(0, n), (a) => game.actionToString(a)).sort();
          const theirs = naive.moves();
          expect(mine).toEqual(theirs.map(moveText).sort());
          if (n === 0) break;
          expect(s.currentPlayer()).toBe(naive.toMove);
          const pick = theirs[rng.int(theirs.length)];
          s.apply(game.parseAction(moveText(pick)));
          naive = naive.play(pick);
        }
        const w = naive.winner();
        expect(w).toBeGreaterThanOrEqual(0);
        expect(s.isTerminal()).toBe(true);
        expect(s.currentPlayer()).toBe(-1);
        expect([s.returnOf(0), s.returnOf(1)]).toEqual(w === 0 ? [1, -1] : [-1, 1]);
        expect(s.moveNumber()).toBeLessThanOrEqual(game.maxGameLength);
      }
    }
  });

  it('captures diagonally but never straight ahead', () => {
    const game = createGame('breakthrough');
    type Counted = State & { pawnCount(p: number): number };
    // a4 (player 0) and a3 (player 1) meet head-on; b4 attacks a3 diagonally.
    const s = game.parseState('a5-a4 a2-a3 b5-b4 f2-f3') as Counted;
    const moves = legalActionList(s).map((a) => game.actionToString(a));
    expect(moves).not.toContain('a4-a3');
    expect(moves).toContain('b4-a3');
    expect(moves).toContain('b4-c3');
    expect(errorOf(() => s.apply(game.parseAction('a4-a3'))).message).toMatch(/illegal move a4-a3/);
    expect(s.pawnCount(1)).toBe(12);
    s.apply(game.parseAction('b4xa3'));
    expect(s.pawnCount(1)).toBe(11);
    expect(s.pawnCount(0)).toBe(12);
    expect(s.toMoveString()).toBe('a5-a4 a2-a3 b5-b4 f2-f3 b4-a3');
    const planes = new Float32Array(4 * 36);
    s.encode(planes, 0);
    // Player 1 to move: a3 now holds an enemy (player 0) pawn, b4 is empty.
    const a3 = 2 * 6 + 0;
    const b4 = 3 * 6 + 1;
    expect([planes[a3], planes[36 + a3], planes[b4], planes[36 + b4]]).toEqual([0, 1, 0, 0]);
    expect(planes.subarray(2 * 36, 3 * 36).every((v) => v === 1)).toBe(true);
    expect(planes.subarray(3 * 36).every((v) => v === 0)).toBe(true);
  });

  it('is won by reaching the far row', () => {
    const game = createGame('breakthrough:rows=4,cols=3');
    // 4x3: player 1 on rows 1-2, player 0 on rows 3-4; a capture onto row 2 then a step to row 1 wins.
    const s = game.parseState('a3xb2 c2xb3 b2-a1');
    let naive = new NaiveBreakthrough(4, 3);
    for (const m of [[2, 0, 1, 1], [1, 2, 2, 1], [1, 1, 0, 0]] as [number, number, number, number][]) naive = naive.play(m);
    expect(naive.winner()).toBe(0);
    expect(s.isTerminal()).toBe(true);
    expect(s.returnOf(0)).toBe(1);
    expect(s.returnOf(1)).toBe(-1);
    expect(legalActionList(s)).toEqual([]);
    expect(errorOf(() => game.parseState('a3xb2 c2xb3 b2-a1 b3-b4')).message).toMatch(/move 4 "b3-b4" comes after the game has ended/);
    // Player 1 wins the same way, moving down onto row 4.
    const before = game.parseState('a3xb2 c2xb3 b4-a3');
    expect(before.isTerminal()).toBe(false);
    const t = game.parseState('a3xb2 c2xb3 b4-a3 b3xa4');
    naive = new NaiveBreakthrough(4, 3);
    for (const m of [[2, 0, 1, 1], [1, 2, 2, 1], [3, 1, 2, 0], [2, 1, 3, 0]] as [number, number, number, number][]) naive = naive.play(m);
    expect(naive.winner()).toBe(1);
    expect(t.isTerminal()).toBe(true);
    expect([t.returnOf(0), t.returnOf(1)]).toEqual([-1, 1]);
  });

  it('is won by capturing every enemy pawn', () => {
    const game = createGame('breakthrough:rows=4,cols=2');
    const moves = 'b3-a2 b2-b3 a4-b3 b1-a2 b3-a2 a1-b2 a3-b2';
    let naive = new NaiveBreakthrough(4, 2);
    const s = game.newInitialState();
    for (const t of moves.split(' ')) {
      const m = naive.moves().find((x) => moveText(x) === t.replace('x', '-'));
      expect(m).toBeDefined();
      naive = naive.play(m!);
      s.apply(game.parseAction(t));
    }
    // The last capture lands on row 2, not the goal row: the win is by elimination.
    expect(naive.board[0]).not.toContain('0');
    expect(naive.board.flat()).not.toContain('1');
    expect(s.isTerminal()).toBe(true);
    expect([s.returnOf(0), s.returnOf(1)]).toEqual([1, -1]);
    expect(game.parseState(moves).hash()).toBe(s.hash());
  });

  it('lays actions out by absolute direction and mirrors them left-right', () => {
    const game = createGame('breakthrough');
    expect(game.numActions).toBe(6 * 36);
    expect(game.actionLayout.planes.map((p) => p.name)).toEqual(['move:N', 'move:NE', 'move:NW', 'move:S', 'move:SE', 'move:SW']);
    expect(game.actionLayout.globals).toEqual([]);
    expect(game.encoding.planes).toEqual(['own:pawn', 'opp:pawn', 'cell:exists', 'side:first-player']);
    expect(game.parseAction('b5-b4')).toBe(0 * 36 + 25);
    expect(game.parseAction('b5-c4')).toBe(1 * 36 + 25);
    expect(game.parseAction('b5-a4')).toBe(2 * 36 + 25);
    expect(game.parseAction('b2-b3')).toBe(3 * 36 + 7);
    expect(game.parseAction('b2xc3')).toBe(4 * 36 + 7);
    expect(game.parseAction('b2-a3')).toBe(5 * 36 + 7);
    expect(game.symmetries.map((x) => x.name)).toEqual(['flip-horizontal']);
    const m = game.symmetries[0];
    expect(game.actionToString(m.actionMap[game.parseAction('b5-c4')])).toBe('e5-d4');
    expect(game.actionToString(m.actionMap[game.parseAction('a2-b3')])).toBe('f2-e3');
    expect(game.actionToString(m.actionMap[game.parseAction('c5-c4')])).toBe('d5-d4');
    // Player 1's first-move list is the mirror image of itself.
    const s = game.parseState('a5-a4');
    const list = legalActionList(s);
    expect(list.map((a) => m.actionMap[a]).sort((x, y) => x - y)).toEqual(list);
    const t = game.newInitialState();
    const enc = new Float32Array(4 * 36);
    s.encode(enc, 0);
    expect(enc.subarray(3 * 36).every((v) => v === 0)).toBe(true);
    t.encode(enc, 0);
    expect(enc.subarray(3 * 36).every((v) => v === 1)).toBe(true);
  });

  it('round-trips notation, including moves off the board', () => {
    const game = createGame('breakthrough:rows=5,cols=4');
    expect(game.spec).toBe('breakthrough:rows=5,cols=4');
    expect(createGame('breakthrough:rows=6').spec).toBe('breakthrough');
    for (let a = 0; a < game.numActions; a++) expect(game.parseAction(game.actionToString(a))).toBe(a);
    expect(game.actionToString(game.parseAction('a1:N'))).toBe('a1:N');
    const moves = 'a4-a3 b2-b3 a3xb2';
    const s = game.parseState(moves);
    expect(s.toMoveString()).toBe('a4-a3 b2-b3 a3-b2');
    expect(game.parseState(s.toMoveString()).hash()).toBe(s.hash());
    expect(s.toString()).toContain('to move');
  });

  it('rejects illegal moves and bad specs with one clear line', () => {
    const game = createGame('breakthrough');
    const s = game.newInitialState();
    expect(errorOf(() => s.apply(game.parseAction('a2-a3'))).message).toMatch(/illegal move a2-a3 \(player 0 moves N, NE or NW/);
    expect(errorOf(() => s.apply(game.parseAction('a6-a5'))).message).toMatch(/illegal move a6-a5/);
    expect(errorOf(() => s.apply(game.parseAction('a1:N'))).message).toMatch(/illegal move a1:N/);
    expect(errorOf(() => s.apply(-3))).toBeInstanceOf(ArborError);
    expect(s.moveNumber()).toBe(0);
    expect(errorOf(() => game.parseAction('a5-a3')).message).toMatch(/not a move; write from-cell and to-cell one step apart/);
    expect(errorOf(() => game.parseAction('a5')).message).toMatch(/not a move/);
    expect(errorOf(() => game.parseAction('z5-z4')).message).toMatch(/not a move/);
    expect(errorOf(() => game.parseState('a5-a4 a5-a4')).message).toMatch(/move 2 "a5-a4" is illegal/);
    expect(errorOf(() => createGame('breakthrough:rows=3')).message).toMatch(/rows=3 is out of range; allowed 4\.\.16/);
    expect(errorOf(() => createGame('breakthrough:cols=1')).message).toMatch(/cols=1 is out of range; allowed 2\.\.16/);
    expect(errorOf(() => createGame('breakthrough:size=6')).message).toMatch(/unknown game option "size"/);
  });
});
