/** Scaffolding shared by the game tests: error capture, random playouts, perft counters and rule checks. */
import { expect } from 'vitest';
import { ArborError, createRng, type Game, type State } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';

export function play(spec: string, moves: string): State {
  return createGame(spec).parseState(moves);
}

/** Runs `fn`, expects it to throw an ArborError, and returns it. */
export function errorOf(fn: () => unknown): ArborError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ArborError);
    return e as ArborError;
  }
  throw new Error('expected an ArborError');
}

/** Plays uniformly random legal moves (seeded) until the end or `maxMoves`; returns `state`. */
export function randomPlayout(state: State, seed: string, maxMoves = Infinity): State {
  const rng = createRng(seed);
  const buf = new Int32Array(state.game.numActions);
  while (!state.isTerminal() && state.moveNumber() < maxMoves) {
    const n = state.legalActions(buf);
    state.apply(buf[rng.int(n)]);
  }
  return state;
}

/** Per depth: sequences reaching it, and how many of them end there in a win for 0, for 1, or a draw. */
export interface OutcomePerft {
  nodes: number[];
  win0: number[];
  win1: number[];
  draws: number[];
}

export function emptyOutcomePerft(depth: number): OutcomePerft {
  const z = () => new Array<number>(depth + 1).fill(0);
  return { nodes: z(), win0: z(), win1: z(), draws: z() };
}

/** Counts each outcome of a finished game at `depth` (d+1 indexes, as the naive counters do). */
export function countOutcome(result: OutcomePerft, depth: number, state: State): void {
  if (state.returnOf(0) === 1) result.win0[depth]++;
  else if (state.returnOf(1) === 1) result.win1[depth]++;
  else result.draws[depth]++;
}

/** OutcomePerft through the real State: per-depth states reused with copyFrom. */
export function outcomePerft(game: Game, depth: number): OutcomePerft {
  const result = emptyOutcomePerft(depth);
  const states = Array.from({ length: depth + 1 }, () => game.newInitialState());
  const buffers = Array.from({ length: depth + 1 }, () => new Int32Array(game.numActions));
  const walk = (d: number): void => {
    const s = states[d];
    if (d === depth || s.isTerminal()) return;
    const n = s.legalActions(buffers[d]);
    for (let i = 0; i < n; i++) {
      const child = states[d + 1];
      child.copyFrom(s);
      child.apply(buffers[d][i]);
      result.nodes[d + 1]++;
      if (child.isTerminal()) countOutcome(result, d + 1, child);
      walk(d + 1);
    }
  };
  walk(0);
  return result;
}

/** A naive, independently written rules model: its moves in the position, and the position after one. */
export interface NaivePosition<M> {
  moves(): M[];
  play(move: M): NaivePosition<M>;
}

/** Sequences of exactly length 1..depth over a naive model, finished games not extended (as `perft` counts). */
export function naivePerft<M>(root: NaivePosition<M>, depth: number): number[] {
  const counts = new Array<number>(depth).fill(0);
  const walk = (pos: NaivePosition<M>, d: number) => {
    const moves = pos.moves();
    counts[d] += moves.length;
    if (d + 1 < depth) for (const m of moves) walk(pos.play(m), d + 1);
  };
  walk(root, 0);
  return counts;
}

/** Along one random game to the end: legalMask, legalActions and isLegal agree on every action. */
export function expectMaskAgrees(game: Game, seed: string): void {
  const s = game.newInitialState();
  const rng = createRng(seed);
  const mask = new Uint8Array(game.numActions);
  const buf = new Int32Array(game.numActions);
  for (;;) {
    s.legalMask(mask);
    const n = s.legalActions(buf);
    const fromMask: number[] = [];
    for (let a = 0; a < game.numActions; a++) {
      if (mask[a]) fromMask.push(a);
      expect(s.isLegal(a)).toBe(mask[a] === 1);
    }
    expect(Array.from(buf.subarray(0, n))).toEqual(fromMask);
    if (s.isTerminal()) break;
    s.apply(buf[rng.int(n)]);
  }
  expect(mask.every((v) => v === 0)).toBe(true);
}

/**
 * Random games (every other one cut at `cutAt` moves) written with toMoveString and read back
 * with parseState give the same position, board text, outcome and action notation.
 */
export function expectMoveStringsRoundTrip(spec: string, games: number, cutAt: number): void {
  const g = createGame(spec);
  for (let i = 0; i < games; i++) {
    const s = randomPlayout(g.newInitialState(), `${spec}/rt/${i}`, i % 2 ? Infinity : cutAt);
    const back = g.parseState(s.toMoveString());
    expect(back.hash()).toBe(s.hash());
    expect(back.toString()).toBe(s.toString());
    expect(back.toMoveString()).toBe(s.toMoveString());
    expect(back.isTerminal()).toBe(s.isTerminal());
    expect([back.returnOf(0), back.returnOf(1)]).toEqual([s.returnOf(0), s.returnOf(1)]);
    for (let m = 0; m < s.moveNumber(); m++) expect(g.parseAction(g.actionToString(s.actionAt(m)))).toBe(s.actionAt(m));
  }
}

/**
 * Random games mapped move by move through every declared symmetry are equally valid games
 * with the same outcome, and their final encodings map onto each other by `cellMap`.
 */
export function expectSymmetricReplays(spec: string, games: number): void {
  const g = createGame(spec);
  const cells = g.shape.rows * g.shape.cols;
  const planes = g.encoding.planes.length;
  for (let i = 0; i < games; i++) {
    const s = randomPlayout(g.newInitialState(), `${spec}/sym/${i}`);
    for (const sym of g.symmetries) {
      const t = g.newInitialState();
      for (let m = 0; m < s.moveNumber(); m++) t.apply(sym.actionMap[s.actionAt(m)]);
      expect(t.isTerminal()).toBe(true);
      expect([t.returnOf(0), t.returnOf(1)]).toEqual([s.returnOf(0), s.returnOf(1)]);
      const a = new Float32Array(planes * cells);
      const b = new Float32Array(planes * cells);
      s.encode(a, 0);
      t.encode(b, 0);
      for (let p = 0; p < planes; p++) {
        for (let c = 0; c < cells; c++) expect(b[p * cells + sym.cellMap[c]]).toBe(a[p * cells + c]);
      }
    }
  }
}
