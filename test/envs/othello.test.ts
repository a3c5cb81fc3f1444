import { describe, expect, it } from 'vitest';
import { ArborError, createRng, legalActionList, type State } from '../../src/core/index.js';
import { createGame, perft } from '../../src/envs/index.js';
import { errorOf, naivePerft } from './helpers.js';

/**
 * An independent Othello: a 2D array of 0 empty / 1 black / 2 white, bounds-checked ray walks,
 * and a new board per move. `moves` lists placements as row*size+col, `size*size` for pass,
 * and nothing once neither side can place.
 */
class NaiveOthello {
  board: number[][];
  toMove = 0;
  constructor(readonly size: number) {
    this.board = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    const h = size / 2;
    this.board[h - 1][h - 1] = 2;
    this.board[h][h] = 2;
    this.board[h - 1][h] = 1;
    this.board[h][h - 1] = 1;
  }
  private flipsFrom(r: number, c: number, player: number): [number, number][] {
    const own = player + 1;
    const opp = 2 - player;
    const out: [number, number][] = [];
    if (this.board[r][c] !== 0) return out;
    for (let dr = -1; dr <= 1; dr++) {
      for (let dc = -1; dc <= 1; dc++) {
        if (dr === 0 && dc === 0) continue;
        const line: [number, number][] = [];
        let rr = r + dr;
        let cc = c + dc;
        while (rr >= 0 && rr < this.size && cc >= 0 && cc < this.size && this.board[rr][cc] === opp) {
          line.push([rr, cc]);
          rr += dr;
          cc += dc;
        }
        if (line.length > 0 && rr >= 0 && rr < this.size && cc >= 0 && cc < this.size && this.board[rr][cc] === own) out.push(...line);
      }
    }
    return out;
  }
  placements(player: number): number[] {
    const out: number[] = [];
    for (let r = 0; r < this.size; r++) for (let c = 0; c < this.size; c++) if (this.flipsFrom(r, c, player).length > 0) out.push(r * this.size + c);
    return out;
  }
  moves(): number[] {
    const mine = this.placements(this.toMove);
    if (mine.length > 0) return mine;
    return this.placements(1 - this.toMove).length > 0 ? [this.size * this.size] : [];
  }
  play(action: number): NaiveOthello {
    const next = new NaiveOthello(this.size);
    next.board = this.board.map((row) => row.slice());
    next.toMove = 1 - this.toMove;
    if (action === this.size * this.size) return next;
    const r = Math.floor(action / this.size);
    const c = action % this.size;
    for (const [fr, fc] of this.flipsFrom(r, c, this.toMove)) next.board[fr][fc] = this.toMove + 1;
    next.board[r][c] = this.toMove + 1;
    return next;
  }
  count(player: number): number {
    let n = 0;
    for (const row of this.board) for (const v of row) if (v === player + 1) n++;
    return n;
  }
}

/**
 * The published Othello perft counts a finished game as a leaf at every later depth. Up to
 * depth 9 that equals `perft` (no game ends before ply 9); from depth 10 on it adds the games
 * that already ended (228 of them at ply 9: 24571284 = 24571056 + 228, checked offline).
 */
function leafPerft(start: State, depth: number): { leaves: number; finished: number } {
  const states = Array.from({ length: depth + 1 }, () => start.clone());
  const buffers = Array.from({ length: depth + 1 }, () => new Int32Array(start.game.numActions));
  let finished = 0;
  const walk = (d: number): number => {
    const s = states[d];
    if (s.isTerminal()) {
      finished++;
      return 1;
    }
    if (d === depth) return 1;
    const n = s.legalActions(buffers[d]);
    let total = 0;
    for (let i = 0; i < n; i++) {
      states[d + 1].copyFrom(s);
      states[d + 1].apply(buffers[d][i]);
      total += walk(d + 1);
    }
    return total;
  };
  const leaves = walk(0);
  return { leaves, finished };
}

describe('othello', () => {
  it('matches the published 8x8 perft table to depth 9', () => {
    const game = createGame('othello');
    expect(perft(game.newInitialState(), 9)).toEqual([4, 12, 56, 244, 1396, 8200, 55092, 390216, 3005288]);
  });

  it('has 228 games that end at ply 9 (the published depth-10 count includes them)', () => {
    const game = createGame('othello');
    expect(leafPerft(game.newInitialState(), 9)).toEqual({ leaves: 3005288, finished: 228 });
  });

  it('agrees with a naive 2D-array counter on 6x6 and 8x8', () => {
    const game6 = createGame('othello:size=6');
    expect(perft(game6.newInitialState(), 7)).toEqual(naivePerft(new NaiveOthello(6), 7));
    expect(naivePerft(new NaiveOthello(8), 5)).toEqual([4, 12, 56, 244, 1396]);
  });

  it('agrees with the naive rules along random games to the end, passes and scores included', () => {
    for (const size of [6, 8]) {
      const game = createGame(`othello:size=${size}`);
      const buf = new Int32Array(game.numActions);
      let passes = 0;
      let draws = 0;
      for (let g = 0; g < (size === 6 ? 150 : 30); g++) {
        const rng = createRng(`othello-test/${size}/${g}`);
        const s = game.newInitialState();
        let naive = new NaiveOthello(size);
        for (;;) {
          const n = s.legalActions(buf);
          expect(Array.from(buf.subarray(0, n))).toEqual(naive.moves());
          expect(s.isTerminal()).toBe(n === 0);
          if (n === 0) break;
          expect(s.currentPlayer()).toBe(naive.toMove);
          const a = buf[rng.int(n)];
          if (a === size * size) passes++;
          s.apply(a);
          naive = naive.play(a);
        }
        const diff = naive.count(0) - naive.count(1);
        if (diff === 0) draws++;
        const expected = diff > 0 ? 1 : diff < 0 ? -1 : 0;
        expect(s.returnOf(0)).toBe(expected);
        expect(s.returnOf(1)).toBe(-expected || 0);
        expect(s.currentPlayer()).toBe(-1);
        expect(s.moveNumber()).toBeLessThanOrEqual(game.maxGameLength);
      }
      expect(passes).toBeGreaterThan(0);
      if (size === 6) expect(draws).toBeGreaterThan(0);
    }
  });

  it('starts with d4/e5 white and e4/d5 black, black to move with d3 c4 f5 e6', () => {
    const game = createGame('othello');
    const s = game.newInitialState();
    expect(s.currentPlayer()).toBe(0);
    expect(legalActionList(s).map((a) => game.actionToString(a)).sort()).toEqual(['c4', 'd3', 'e6', 'f5']);
    const planes = new Float32Array(3 * 64);
    s.encode(planes, 0);
    const at = (plane: number, cell: string) => planes[plane * 64 + game.parseAction(cell)];
    expect([at(0, 'e4'), at(0, 'd5'), at(1, 'd4'), at(1, 'e5')]).toEqual([1, 1, 1, 1]);
    expect(planes.subarray(0, 128).reduce((x, y) => x + y, 0)).toBe(4);
    expect(planes.subarray(128).every((v) => v === 1)).toBe(true);
    const six = createGame('othello:size=6');
    expect(legalActionList(six.newInitialState()).map((a) => six.actionToString(a)).sort()).toEqual(['b3', 'c2', 'd5', 'e4']);
  });

  it('flips discs in every bracketed direction', () => {
    const game = createGame('othello');
    // f5 flips e5 to black (leftward ray to d5); f6 flips it back (up-left ray to d4).
    const s = game.parseState('f5 f6');
    const planes = new Float32Array(3 * 64);
    s.encode(planes, 0);
    const own = (cell: string) => planes[game.parseAction(cell)];
    const opp = (cell: string) => planes[64 + game.parseAction(cell)];
    expect(['e4', 'd5', 'f5'].map(own)).toEqual([1, 1, 1]);
    expect(['d4', 'e5', 'f6'].map(opp)).toEqual([1, 1, 1]);
    // e6 brackets e5 upward against e4; f6 to its right has no black disc beyond it, so stays.
    s.apply(game.parseAction('e6'));
    s.encode(planes, 0);
    expect(['e4', 'd5', 'f5', 'e6', 'e5'].map(opp)).toEqual([1, 1, 1, 1, 1]);
    expect(['d4', 'f6'].map(own)).toEqual([1, 1]);
  });

  it('ends a 9-move game with 13-0 for black', () => {
    const game = createGame('othello');
    const moves = 'f5 f4 c3 e6 f7 c5 b5 f6 f3';
    const s = game.parseState(moves);
    let naive = new NaiveOthello(8);
    for (const t of moves.split(' ')) naive = naive.play(game.parseAction(t));
    expect(naive.moves()).toEqual([]);
    expect([naive.count(0), naive.count(1)]).toEqual([13, 0]);
    expect(s.isTerminal()).toBe(true);
    expect(s.currentPlayer()).toBe(-1);
    expect(s.returnOf(0)).toBe(1);
    expect(s.returnOf(1)).toBe(-1);
    expect(legalActionList(s)).toEqual([]);
    expect(errorOf(() => game.parseState(`${moves} a1`)).message).toMatch(/after the game has ended/);
    expect(errorOf(() => s.apply(game.parseAction('pass'))).message).toMatch(/game is over/);
  });

  it('makes the mover pass when only the opponent can place', () => {
    for (const [spec, size, moves] of [
      ['othello', 8, 'e6 f6 c4 e7 e8 d8 g6 f8'],
      ['othello:size=6', 6, 'b3 b4 b5 a4 d5 b6 a5 a6'],
    ] as const) {
      const game = createGame(spec);
      let naive = new NaiveOthello(size);
      for (const t of moves.split(' ')) naive = naive.play(game.parseAction(t));
      expect(naive.placements(naive.toMove)).toEqual([]);
      expect(naive.placements(1 - naive.toMove).length).toBeGreaterThan(0);

      const s = game.parseState(moves);
      expect(s.isTerminal()).toBe(false);
      expect(legalActionList(s)).toEqual([size * size]);
      const mask = new Uint8Array(game.numActions);
      s.legalMask(mask);
      expect(mask.reduce((x, y) => x + y, 0)).toBe(1);
      expect(mask[size * size]).toBe(1);
      const mover = s.currentPlayer();
      const before = s.hash();
      s.apply(game.parseAction('pass'));
      expect(s.currentPlayer()).toBe(1 - mover);
      expect(s.hash()).not.toBe(before);
      expect(s.toMoveString()).toBe(`${moves} pass`);
      expect(game.parseState(s.toMoveString()).hash()).toBe(s.hash());
    }
    // Passing while a placement exists is refused.
    const game = createGame('othello');
    expect(errorOf(() => game.newInitialState().apply(game.parseAction('pass'))).message).toMatch(/pass is only allowed/);
    expect(errorOf(() => game.parseState('f5 pass')).message).toMatch(/move 2 "pass" is illegal/);
  });

  it('rejects illegal moves and bad specs with one clear line', () => {
    const game = createGame('othello');
    const s = game.newInitialState();
    expect(s.isLegal(game.parseAction('a1'))).toBe(false);
    expect(errorOf(() => s.apply(game.parseAction('a1'))).message).toMatch(/illegal move a1 .*flip/);
    expect(errorOf(() => s.apply(game.parseAction('d4'))).message).toMatch(/illegal move d4/);
    expect(errorOf(() => s.apply(65))).toBeInstanceOf(ArborError);
    expect(s.moveNumber()).toBe(0);
    expect(errorOf(() => game.parseAction('i1')).message).toMatch(/not a move.*a1\.\.h8.*pass/);
    expect(errorOf(() => game.parseState('f5 f5')).message).toMatch(/move 2 "f5" is illegal/);
    expect(errorOf(() => createGame('othello:size=7')).message).toMatch(/size=7 is not allowed; allowed sizes are 6 and 8/);
    expect(errorOf(() => createGame('othello:size=10')).message).toMatch(/size=10 is out of range/);
    expect(errorOf(() => createGame('othello:rows=6')).message).toMatch(/unknown game option "rows"/);
  });

  it('reads specs and round-trips notation', () => {
    const game = createGame('othello:size=6');
    expect(game.spec).toBe('othello:size=6');
    expect(createGame('othello:size=8').spec).toBe('othello');
    expect(game.numActions).toBe(37);
    expect(game.actionLayout).toEqual({ planes: [{ name: 'place', extent: 'cell' }], globals: ['pass'] });
    expect(game.encoding.planes).toEqual(['own:stone', 'opp:stone', 'cell:exists']);
    expect(game.actionToString(36)).toBe('pass');
    expect(game.parseAction('PASS')).toBe(36);
    expect(game.parseAction('F6')).toBe(35);
    const moves = 'b3 b4 b5 a4 d5 b6 a5 a6 pass';
    const s = game.parseState(moves);
    expect(s.toMoveString()).toBe(moves);
    expect(game.formatMoves([s.actionAt(0), s.actionAt(8)])).toBe('b3 pass');
    expect(s.toString()).toContain('to move');
  });

  it('declares the symmetries that fix the start position', () => {
    const game = createGame('othello');
    expect(game.symmetries.map((x) => x.name)).toEqual(['rotate-180', 'transpose', 'anti-transpose']);
    const start = new Float32Array(3 * 64);
    game.newInitialState().encode(start, 0);
    for (const sym of game.symmetries) {
      expect(sym.actionMap[64]).toBe(64);
      for (let p = 0; p < 3; p++) for (let c = 0; c < 64; c++) expect(start[p * 64 + sym.cellMap[c]]).toBe(start[p * 64 + c]);
    }
  });

  it('copyFrom and clone reproduce a position, cached moves included', () => {
    const game = createGame('othello');
    const s = game.parseState('f5 f6 e6 f4');
    const n = legalActionList(s).length;
    const t = game.newInitialState();
    t.copyFrom(s);
    expect(legalActionList(t).length).toBe(n);
    expect(t.hash()).toBe(s.hash());
    const u = s.clone();
    u.apply(legalActionList(u)[0]);
    expect(legalActionList(s).length).toBe(n);
    expect(t.toMoveString()).toBe('f5 f6 e6 f4');
  });
});
