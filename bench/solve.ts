import { createRng } from '../src/core/index.js';
import { createGame } from '../src/envs/index.js';
import type { Connect4Game, Connect4State } from '../src/envs/connect4/index.js';
import { createConnect4Solver, GenericSolver, loadPositions } from '../src/solvers/index.js';

/**
 * Connect Four 6x7 solving speed on the project's labelled positions (data/positions), in the
 * categories of Pascal Pons' benchmark sets: stones played x moves left to the end under perfect
 * play. The solver is warmed up (JIT) on positions that are not in the set, its transposition
 * table is then cleared once and kept across the timed positions (each position comes from a
 * different game, so they share little; ARBOR_BENCH_CLEAR=1 clears it before each position as in
 * Pons' own benchmark). Peer: the generic solver (Game interface, no bitboards) on the end-game
 * positions, in the same run. With the opening book present, the empty board is solved too
 * (win/draw/loss of every first move).
 */
interface Category {
  readonly name: string;
  readonly targetMs: number;
  readonly test: (stones: number, left: number) => boolean;
}

const CATEGORIES: Category[] = [
  { name: 'end (>28 stones)', targetMs: 0.1, test: (s) => s > 28 },
  { name: 'middle, <14 left', targetMs: 0.5, test: (s, l) => s >= 15 && s <= 28 && l < 14 },
  { name: 'middle, 14-27 left', targetMs: 10, test: (s, l) => s >= 15 && s <= 28 && l >= 14 && l < 28 },
  { name: 'opening, <14 left', targetMs: 2, test: (s, l) => s <= 14 && l < 14 },
  { name: 'opening, 14-27 left', targetMs: 400, test: (s, l) => s <= 14 && l >= 14 && l < 28 },
];

/** Moves left to the end under perfect play, from the mover's score (Pons' convention). */
function movesLeft(score: number, stones: number, cells: number): number {
  const K = ((cells + 1) >> 1) + 1;
  if (score > 0) return 2 * (K - score - (stones >> 1)) - 1;
  if (score < 0) return 2 * (K + score - ((stones + 1) >> 1));
  return cells - stones;
}

export async function benchSolve(options: { json?: boolean }): Promise<unknown> {
  const game = createGame('connect4') as Connect4Game;
  const positions = loadPositions(game);
  const solver = createConnect4Solver(game, { tableBits: process.env.ARBOR_BENCH_TABLE_BITS ? Number(process.env.ARBOR_BENCH_TABLE_BITS) : undefined });
  const clearEach = process.env.ARBOR_BENCH_CLEAR === '1';
  const rows: Record<string, unknown>[] = [];
  const log = (line: string) => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  // JIT warm-up on random 24-stone positions (not in the set), then a clean table.
  const rng = createRng('bench-solve-warmup');
  const legal = new Int32Array(7);
  for (let i = 0; i < 200; i++) {
    const s = game.newInitialState() as Connect4State;
    while (!s.isTerminal() && s.moveNumber() < 24) s.apply(legal[rng.int(s.legalActions(legal))]);
    if (!s.isTerminal()) solver.solve(s);
  }
  solver.clearTable();
  log(`${clearEach ? 'table cleared before each position (ARBOR_BENCH_CLEAR=1)' : 'table kept across positions'}; opening book: ${solver.bookSize() > 0 ? `${solver.bookSize()} positions` : 'none'}`);
  let endMs = 0;
  const endStates: Connect4State[] = [];
  for (const cat of CATEGORIES) {
    const chosen = positions.filter((p) => {
      const best = Math.max(...p.scores.filter((v): v is number => v !== null));
      return cat.test(p.stones, movesLeft(best, p.stones, 42));
    });
    if (chosen.length === 0) {
      log(`${cat.name.padEnd(22)} no positions in the set`);
      continue;
    }
    let total = 0;
    let nodes = 0;
    for (const p of chosen) {
      const state = game.parseState(p.moves) as Connect4State;
      if (clearEach) solver.clearTable();
      const n0 = solver.nodes;
      const t0 = performance.now();
      solver.solve(state);
      total += performance.now() - t0;
      nodes += solver.nodes - n0;
      if (cat.targetMs === 0.1) endStates.push(state);
    }
    if (cat.targetMs === 0.1) endMs = total;
    const mean = total / chosen.length;
    rows.push({ category: cat.name, positions: chosen.length, meanMs: mean, targetMs: cat.targetMs, meanNodes: nodes / chosen.length, nodesPerSecond: nodes / (total / 1000), meets: mean <= cat.targetMs });
    log(`${cat.name.padEnd(22)} ${String(chosen.length).padStart(4)} positions  mean ${mean.toFixed(3)} ms (target <= ${cat.targetMs} ms) ${mean <= cat.targetMs ? 'ok' : 'MISSED'}  ${(nodes / chosen.length).toFixed(0)} nodes, ${(nodes / total / 1000).toFixed(2)} M nodes/s`);
  }
  // Peer in the same run: the generic Game-interface solver on the end-game positions.
  const generic = new GenericSolver(game, { tableBits: 20 });
  const t0 = performance.now();
  for (const s of endStates) generic.solve(s);
  const genericMs = performance.now() - t0;
  const ratio = endMs > 0 ? genericMs / endMs : 0;
  log(`peer: generic solver on the ${endStates.length} end positions: ${(genericMs / Math.max(1, endStates.length)).toFixed(3)} ms each; bitboard solver ${ratio.toFixed(1)}x faster`);
  // The empty board, win/draw/loss of every first move (Connect Four's known result:
  // the first player wins by playing the centre column; Allis 1988), with the shipped book; ARBOR_BENCH_EMPTY=nobook proves it from scratch
  // with a 512 MB table instead (minutes).
  let empty: Record<string, unknown> | null = null;
  const noBook = process.env.ARBOR_BENCH_EMPTY === 'nobook';
  if (solver.bookSize() > 0 || noBook) {
    const emptySolver = createConnect4Solver(game, { book: !noBook, tableBits: noBook ? 26 : 23 });
    const t1 = performance.now();
    const classes = emptySolver.analyzeWeak(game.newInitialState() as Connect4State);
    const ms = performance.now() - t1;
    empty = { classes, ms, nodes: emptySolver.nodes, book: noBook ? 0 : emptySolver.bookSize() };
    log(`empty board: win/draw/loss of every first move [${classes.join(',')}] in ${(ms / 1000).toFixed(2)} s (target < 600 s, book allowed), ${emptySolver.nodes} nodes, ${noBook ? 'no book' : `book of ${emptySolver.bookSize()} positions`}`);
  } else {
    log('empty board: not run (no opening book in data/; build it with `node dist/scripts/make-book.js weak`, or run with ARBOR_BENCH_EMPTY=nobook)');
  }
  return { categories: rows, peer: { name: 'generic solver', endPositions: endStates.length, speedup: ratio }, tableKept: !clearEach, emptyBoard: empty };
}
