import { describe, expect, it } from 'vitest';
import { createRng, isArborError, type State } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import type { Connect4Game, Connect4State } from '../../src/envs/connect4/index.js';
import { existsSync } from 'node:fs';
import { GenericSolver, loadPositions } from '../../src/solvers/index.js';
import { bookFromTable, bookKeyOf, bookPath, BOOK_MISS, Connect4Solver, createConnect4Solver, OpeningBook, readBookFile, type BookEntry } from '../../src/solvers/connect4/index.js';

// The first lines of Pascal Pons' public benchmark set Test_L3_R1 (end-game positions, "MOVES SCORE").
const PONS_L3_R1 = `2252576253462244111563365343671351441 -1
7422341735647741166133573473242566 1
23163416124767223154467471272416755633 0
71255763773133525731261364622167124446454 0
65214673556155731566316327373221417 -1
52677675164321472411331752454 0
3135151421347443544172316522225776773566 0
562154564361751726662253737734213275114 0
233377345754465174223731671122611552 1
6763525635134453444361412671365712 -1
211376455663355325112113664364524722 0
3146762114467714356347741621375222 -1
67152117737262713366376314254 6
2762751722231276466633475674533 5
3642756176227637211322113551637574556 2
22647455554314246733661634615122372377511 0
427566236745127177115664464254 2
7172212567451542223676134464437761515 0
641154574541323641152467137655232232366 0
5775265212657176476365522624313714333 2
3575316255751336464276636772271112 -3`.split('\n').map((l) => l.split(' '));

/** A plain full-depth negamax through the State interface, in Pons' score convention. */
function plainNegamax(s: State): number {
  const cells = s.game.shape.rows * s.game.shape.cols;
  const K = ((cells + 1) >> 1) + 1;
  const actions = new Int32Array(s.game.numActions);
  const n = s.legalActions(actions);
  let best = -Infinity;
  for (let i = 0; i < n; i++) {
    const c = s.clone();
    c.apply(actions[i]);
    let v: number;
    if (c.isTerminal()) v = c.returnOf(s.currentPlayer()) > 0 ? K - Math.ceil(c.moveNumber() / 2) : 0;
    else v = 0 - plainNegamax(c);
    if (v > best) best = v;
  }
  return best;
}

describe('connect4 bitboard solver', () => {
  const game = createGame('connect4') as Connect4Game;
  const solver = new Connect4Solver(6, 7, { tableBits: 20 });

  it('scores Pons\' published end-game benchmark positions exactly', () => {
    for (const [moves, score] of PONS_L3_R1) expect([moves, solver.solve(game.parseState(moves))]).toEqual([moves, Number(score)]);
  });

  it('agrees with a plain full-depth negamax on positions near the end, move by move', () => {
    for (const [moves] of PONS_L3_R1.filter(([m]) => m.length >= 36)) {
      const state = game.parseState(moves);
      const scores = solver.analyze(state);
      for (let c = 0; c < 7; c++) {
        if (!state.isLegal(c)) {
          expect(scores[c]).toBeNaN();
          continue;
        }
        const child = state.clone();
        child.apply(c);
        const expected = child.isTerminal() ? (child.returnOf(state.currentPlayer()) > 0 ? 22 - Math.ceil(child.moveNumber() / 2) : 0) : 0 - plainNegamax(child);
        expect([moves, c, scores[c]]).toEqual([moves, c, expected]);
      }
    }
  });

  it('scores hand-made tactics: a win now, a double threat, a forced loss', () => {
    // X to move with three in the bottom row: wins with its 4th stone -> 22 - 4 = 18.
    expect(solver.solve(game.parseState('112233'))).toBe(18);
    // X to move makes an open three on the bottom row, so wins with its 4th stone.
    expect(solver.solve(game.parseState('3141'))).toBe(22 - 4);
    // O to move faces the open three 3-4-5 (2 and 6 empty): every move loses to X's 4th stone.
    expect(solver.solve(game.parseState('31415'))).toBe(-(22 - 4));
    const s = game.parseState('31415') as Connect4State;
    expect(solver.analyze(s).every((v) => Number.isNaN(v) || v === -18)).toBe(true);
  });

  it('agrees with the generic solver on every position of a 4x5 board reachable in 8 plies', () => {
    const small = createGame('connect4:rows=4,cols=5') as Connect4Game;
    const bit = new Connect4Solver(4, 5, { tableBits: 22 });
    const generic = new GenericSolver(small, { tableBits: 22 });
    const cells = 20;
    const K = ((cells + 1) >> 1) + 1;
    // Generic scores count plies (maxGameLength + 1 - m); Pons' count the winner's stones.
    const toPons = (g: number) => (g === 0 ? 0 : 0 + Math.sign(g) * (K - Math.ceil((cells + 1 - Math.abs(g)) / 2)));
    // Every distinct position (deduplicated by hash) within 8 plies, not yet over.
    const seen = new Set<number>();
    const positions: State[] = [];
    let frontier: State[] = [small.newInitialState()];
    const actions = new Int32Array(5);
    for (let ply = 0; ply <= 8; ply++) {
      const next: State[] = [];
      for (const s of frontier) {
        positions.push(s);
        const n = s.legalActions(actions);
        for (let i = 0; i < n; i++) {
          const c = s.clone();
          c.apply(actions[i]);
          if (c.isTerminal() || seen.has(c.hash())) continue;
          seen.add(c.hash());
          next.push(c);
        }
      }
      frontier = next;
    }
    // Deepest first: their exact scores, kept in the tables, make the shallow ones cheap.
    positions.reverse();
    let checked = 0;
    for (const s of positions) {
      const a = bit.solve(s as Connect4State);
      const b = toPons(generic.solve(s));
      if (a !== b) expect([s.toMoveString(), a]).toEqual([s.toMoveString(), b]);
      checked++;
    }
    expect(checked).toBe(positions.length);
    expect(checked).toBeGreaterThan(30000);
  });

  it('refuses finished positions and other board sizes with one clear error', () => {
    const over = game.parseState('1212121');
    expect(() => solver.solve(over as Connect4State)).toThrow(/already over/);
    try {
      solver.solve(createGame('connect4:rows=5,cols=6').newInitialState() as Connect4State);
    } catch (e) {
      expect(isArborError(e)).toBe(true);
      expect((e as Error).message).toMatch(/built for 6x7/);
    }
    expect(() => new Connect4Solver(8, 7)).toThrow(/\(rows\+1\)\*cols <= 56/);
    expect(() => new Connect4Solver(10, 4)).toThrow(/rows <= 8/);
    expect(() => new Connect4Solver(6, 7, { tableBits: 12 })).toThrow(/tableBits must be an integer 18\.\.27/);
  });

  it('scores 7x7 and 6x8 positions too (keys wider than the table index plus 31 bits)', () => {
    // 7x7 and 6x8 keys have 56 bits: with an 18-bit table the top key bits go to the extra byte.
    for (const [spec, rows, cols] of [['connect4:rows=7,cols=7', 7, 7], ['connect4:rows=6,cols=8', 6, 8]] as const) {
      const g = createGame(spec) as Connect4Game;
      const bit = new Connect4Solver(rows, cols, { tableBits: 18 });
      // Random games stopped 10 stones before a full board, checked against the plain negamax.
      const rng = createRng(`wide-${spec}`);
      const actions = new Int32Array(cols);
      let checked = 0;
      while (checked < 3) {
        const s = g.newInitialState();
        while (!s.isTerminal() && s.moveNumber() < rows * cols - 10) s.apply(actions[rng.int(s.legalActions(actions))]);
        if (s.isTerminal()) continue;
        checked++;
        const want = plainNegamax(s);
        expect([spec, s.toMoveString(), bit.solve(s as Connect4State)]).toEqual([spec, s.toMoveString(), want]);
      }
    }
  });

  it('grows its transposition table during a long solve and keeps the exact score', () => {
    // An opening position of the shipped set (best move scores 3) that needs ~2.4M nodes: more
    // than 8 per entry of the initial 2^18-entry table, so the table grows (entries rehashed).
    const s = new Connect4Solver(6, 7, { tableBits: 20 });
    expect(s.tableEntries()).toBe(2 ** 18);
    expect(s.solve(game.parseState('1715715142') as Connect4State)).toBe(3);
    expect(s.tableEntries()).toBe(2 ** 20);
    // Solving again from the grown table gives the same score, with far fewer nodes.
    const n0 = s.nodes;
    expect(s.solve(game.parseState('1715715142') as Connect4State)).toBe(3);
    expect(s.nodes - n0).toBeLessThan(n0 / 10);
  });

  it('writes and reads the binary opening book format (exact scores and bounds), and rejects other files clearly', () => {
    const keys = new Map<number, BookEntry>([[5, 1], [2 ** 40 + 3, -2], [7, [1, 20]], [2 ** 20 + 9, [-128, 0]]]);
    const book = OpeningBook.fromMap(6, 7, 3, keys);
    const back = OpeningBook.fromBuffer(book.toBuffer(), 'mem');
    expect([back.rows, back.cols, back.depth, back.size]).toEqual([6, 7, 3, 4]);
    expect(back.bounds(5, 0)).toEqual([1, 1]);
    expect(back.bounds(3, 256)).toEqual([-2, -2]);
    expect(back.bounds(7, 0)).toEqual([1, 20]);
    expect(back.bounds(2 ** 20 + 9, 0)).toEqual([-128, 0]);
    // lookup packs the bounds as the solver's table does: lower in byte 0, upper in byte 1.
    expect(back.lookup(7, 0)).toBe(1 | (20 << 8));
    expect(back.lookup(9, 0)).toBe(BOOK_MISS);
    expect(back.bounds(9, 0)).toBeNull();
    expect(() => OpeningBook.fromMap(6, 7, 3, new Map([[1, [2, 1]]]))).toThrow(/lower bound 2 above its upper bound 1/);
    expect(() => OpeningBook.fromBuffer(Buffer.from('MOVES SCORE\n'), 'x.bin')).toThrow(/x\.bin: not a connect4 opening book.*make-book/);
    expect(() => OpeningBook.fromBuffer(book.toBuffer().subarray(0, 20), 'y.bin')).toThrow(/y\.bin: truncated opening book/);
  });

  it('weak solving gives the class of the exact score, and a book made from its table replays the proof', () => {
    // 4x5 (rows x cols): the generic solver settles every position in the test. Its empty board
    // is mirror-symmetric, so analyzeWeak proves half its columns and mirrors the rest.
    const g5 = createGame('connect4:rows=4,cols=5') as Connect4Game;
    const generic = new GenericSolver(g5);
    const sign = (v: number) => (Number.isNaN(v) ? v : Math.sign(v) | 0);
    const proof = new Connect4Solver(4, 5, { tableBits: 20 });
    proof.reserveTable();
    proof.keepEarlierSolves = true;
    const root = g5.newInitialState() as Connect4State;
    const classes = proof.analyzeWeak(root);
    expect(classes).toEqual(generic.analyze(root).map(sign));
    expect(classes).toEqual([-1, 0, 0, 0, -1]);
    for (const moves of ['1', '31', '12', '3322']) {
      const s = g5.parseState(moves) as Connect4State;
      expect([moves, proof.solveWeak(s)]).toEqual([moves, sign(generic.solve(s))]);
      expect([moves, proof.analyzeWeak(s)]).toEqual([moves, generic.analyze(s).map(sign)]);
    }
    const book = bookFromTable(g5, proof, root, 6);
    expect(book.size).toBeGreaterThan(10);
    // Every entry's bounds hold the exact score of a solver without a book (all positions up to 6 stones).
    const exact = new Connect4Solver(4, 5, { tableBits: 20 });
    let checked = 0;
    const walk = (s: Connect4State) => {
      if (s.isTerminal()) return;
      const b = proof.bitsOf(s);
      const kLo = (b.cLo + b.mLo) | 0;
      const bounds = book.bounds(kLo, (b.cHi + b.mHi + ((kLo >>> 0) < (b.cLo >>> 0) ? 1 : 0)) | 0);
      if (bounds) {
        const v = exact.solve(s);
        expect([s.toMoveString(), v >= bounds[0] && v <= bounds[1]]).toEqual([s.toMoveString(), true]);
        checked++;
      }
      if (s.moveNumber() >= 6) return;
      for (let c = 0; c < 5; c++) {
        if (!s.isLegal(c)) continue;
        const child = s.clone() as Connect4State;
        child.apply(c);
        walk(child);
      }
    };
    walk(g5.newInitialState() as Connect4State);
    expect(checked).toBeGreaterThanOrEqual(book.size);
    // A fresh solver with only the book reaches the same classes in a fraction of the nodes.
    const replay = new Connect4Solver(4, 5, { tableBits: 18, book });
    expect(replay.analyzeWeak(g5.newInitialState() as Connect4State)).toEqual(classes);
    expect(replay.nodes).toBeLessThan(proof.nodes / 20);
    // Exact solves stay exact with a bounds book.
    for (const moves of ['3', '33', '3322']) {
      expect([moves, replay.solve(g5.parseState(moves) as Connect4State)]).toEqual([moves, exact.solve(g5.parseState(moves) as Connect4State)]);
    }
  });

  // The shipped opening book (data/connect4-book-6x7.bin, made by `scripts/make-book.ts weak`)
  // holds the bounds a win/draw/loss proof of the empty board found for its first plies.
  const shipped = bookPath(6, 7);
  it.runIf(existsSync(shipped))('the shipped book agrees with the solver on positions it holds', () => {
    const book = readBookFile(shipped);
    const fresh = new Connect4Solver(6, 7, { tableBits: 20 });
    expect(book.depth).toBe(12);
    // Published: Pons, "Solving Connect 4", part 2: "4455" scores 18 (X wins with its 4th stone).
    expect(fresh.solve(game.parseState('4455') as Connect4State)).toBe(18);
    // The labelled positions (scores of every move from exact solves without a book): the exact
    // score of each one the book holds lies within its bounds.
    let held = 0;
    for (const p of loadPositions(game)) {
      if (p.stones > book.depth) continue;
      const k = bookKeyOf(game, fresh, p.moves);
      const bounds = book.bounds(k.kLo, k.kHi);
      if (!bounds) continue;
      const exact = Math.max(...p.scores.filter((v): v is number => v !== null));
      expect([p.moves, exact >= bounds[0] && exact <= bounds[1]]).toEqual([p.moves, true]);
      held++;
    }
    expect(held).toBeGreaterThan(0);
    // The proof's first plies are there, and mirror images share one entry.
    for (const moves of ['4', '44', '41']) {
      const k = bookKeyOf(game, fresh, moves);
      expect([moves, book.bounds(k.kLo, k.kHi)]).not.toEqual([moves, null]);
    }
    const c = bookKeyOf(game, fresh, '41');
    const d = bookKeyOf(game, fresh, '47');
    expect(book.lookup(c.kLo, c.kHi)).toBe(book.lookup(d.kLo, d.kHi));
    // After the centre opening the side to move loses (Allis 1988): its upper bound is below 0.
    const centre = bookKeyOf(game, fresh, '4');
    expect(book.bounds(centre.kLo, centre.kHi)![1]).toBeLessThanOrEqual(-1);
  });

  // The empty 6x7 board, against the published solution (Allis 1988; Pons' scores
  // [-2,-1,0,1,0,-1,-2]): win/draw/loss of every first move, a replay of the book's proof; the
  // exact scores take far longer and run only with ARBOR_SLOW=1 (with the book switched off).
  it.runIf(existsSync(shipped))('solves the start with the book: a first-player win by the centre column only', () => {
    const solver = createConnect4Solver(game, { tableBits: 20 });
    expect(solver.analyzeWeak(game.newInitialState() as Connect4State)).toEqual([-1, -1, 0, 1, 0, -1, -1]);
    expect(solver.solveWeak(game.newInitialState() as Connect4State)).toBe(1);
  });
  it.runIf(process.env.ARBOR_SLOW === '1')('solves the start exactly without the book', () => {
    const big = createConnect4Solver(game, { book: false, tableBits: 26 });
    const scores = big.analyze(game.newInitialState() as Connect4State);
    expect(scores).toEqual([-2, -1, 0, 1, 0, -1, -2]);
    expect(big.solve(game.newInitialState() as Connect4State)).toBe(1);
  }, 36_000_000);
});
