/**
 * Builds the Connect Four opening book data/connect4-book-6x7.bin with this project's own solver
 * (Pons, "Solving Connect 4", part 12: an opening book for the first plies).
 *
 *   npx tsc -p scripts/tsconfig.json
 *   node dist/scripts/make-book.js weak --depth 12 --table-bits 26      (the shipped book)
 *
 * `weak` proves the win/draw/loss of every first move of the empty board with one solver and a
 * 512 MB table, then keeps the table's bounds on the positions with at most `depth` stones that
 * the proof visited (src/solvers/connect4/book-maker.ts), and checks the book by replaying the
 * proof with a fresh solver that has only the book. See README for the time it took.
 *
 * An exact book (every position at `depth` stones solved exactly, the shallower ones derived by
 * one ply of negamax) is built in parts that resume:
 *
 *   node dist/scripts/make-book.js solve --depth 4 --part 0 --parts 2 --out /tmp/book-0.txt   (one per core)
 *   node dist/scripts/make-book.js solve --depth 4 --part 1 --parts 2 --out /tmp/book-1.txt
 *   node dist/scripts/make-book.js merge --depth 4 [--partial] /tmp/book-0.txt /tmp/book-1.txt
 *
 * `solve` solves exactly every position with `depth` stones that is not over (one per mirror
 * pair), its share of them: positions are grouped by their first depth-1 moves (siblings share
 * most of their search, so a group stays in one process and one transposition table) and the
 * groups dealt round-robin to the parts. It writes `MOVES SCORE` lines atomically every few
 * positions; rerunning with the same --out resumes.
 * `merge` joins the parts, derives every shallower position by one ply of negamax (a move that
 * wins at once, else the best of minus the children's scores), checks that every needed child is
 * there, and writes the binary book (see src/solvers/connect4/book.ts) atomically.
 *
 * Cost (measured on the 2-core machine, shared with other jobs): exact scores of early positions
 * are expensive for a plain alpha-beta solver: 4-stone positions took 30-175 s each, and there
 * are 568 of them (one per mirror pair), ~27,000 with 7 stones and ~92,000 with 8. So an exact
 * book of even depth 4 is several CPU-hours, which is why the shipped book is the weak one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createGame } from '../src/envs/index.js';
import type { Connect4Game, Connect4State } from '../src/envs/connect4/index.js';
import { bookFromTable, bookPath, canonicalKeyOf, Connect4Solver, OpeningBook } from '../src/solvers/connect4/index.js';
import { writeFileAtomicSync } from '../src/core/index.js';


function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const rows = Number(option('--rows', '6'));
const cols = Number(option('--cols', '7'));
const game = createGame(`connect4:rows=${rows},cols=${cols}`) as Connect4Game;

/** Every position with `depth` stones that is not over, one per mirror pair, in first-seen DFS order (move strings). */
function positionsAt(solver: Connect4Solver, depth: number): string[] {
  const seen = new Set<number>();
  const out: string[] = [];
  const walk = (s: Connect4State) => {
    if (s.isTerminal()) return;
    if (s.moveNumber() === depth) {
      const k = canonicalKeyOf(solver, s);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(s.toMoveString());
      }
      return;
    }
    for (let c = 0; c < cols; c++) {
      if (!s.isLegal(c)) continue;
      const child = s.clone() as Connect4State;
      child.apply(c);
      walk(child);
    }
  };
  walk(game.newInitialState() as Connect4State);
  return out;
}

function readPart(path: string): Map<string, number> {
  const out = new Map<string, number>();
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^(\d*)\s+(-?\d+)$/.exec(line.trim());
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}

function solve(): void {
  const depth = Number(option('--depth', '4'));
  const part = Number(option('--part', '0'));
  const parts = Number(option('--parts', '1'));
  const out = option('--out', `/tmp/connect4-book-${rows}x${cols}-d${depth}-part${part}.txt`);
  const solver = new Connect4Solver(rows, cols, { tableBits: Number(option('--table-bits', '24')) });
  const all = positionsAt(solver, depth);
  // Groups of siblings (same first depth-1 moves), dealt round-robin.
  const groups = new Map<string, string[]>();
  for (const m of all) {
    const g = m.slice(0, Math.max(0, depth - 1));
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(m);
  }
  const mine = [...groups.values()].filter((_, i) => i % parts === part).flat();
  const done = readPart(out);
  const started = Date.now();
  process.stderr.write(`book depth ${depth}: ${all.length} positions (mirror pairs once), part ${part}/${parts}: ${mine.length}, ${done.size} already solved\n`);
  const save = () => writeFileAtomicSync(out, [`# connect4 ${rows}x${cols} book positions with ${depth} stones, part ${part}/${parts}`, ...[...done].map(([m, v]) => `${m} ${v}`)].join('\n') + '\n');
  let solvedNow = 0;
  for (const m of mine) {
    if (done.has(m)) continue;
    const t0 = Date.now();
    const v = solver.solve(game.parseState(m) as Connect4State);
    done.set(m, v);
    solvedNow++;
    save();
    process.stderr.write(`${m} ${v} ${((Date.now() - t0) / 1000).toFixed(1)} s; ${done.size}/${mine.length} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  save();
  process.stderr.write(`part ${part}/${parts} done: ${done.size} positions (${solvedNow} solved now) in ${((Date.now() - started) / 1000).toFixed(0)} s -> ${out}\n`);
}

function merge(files: string[]): void {
  const depth = Number(option('--depth', '4'));
  const solver = new Connect4Solver(rows, cols, { tableBits: 18 });
  const K1 = ((rows * cols + 1) >> 1);
  const scores = new Map<number, number>();
  for (const f of files) {
    for (const [m, v] of readPart(f)) {
      const s = game.parseState(m) as Connect4State;
      if (s.moveNumber() !== depth) throw new Error(`${f}: ${m} has ${s.moveNumber()} stones, not ${depth}`);
      scores.set(canonicalKeyOf(solver, s), v);
    }
  }
  const need = positionsAt(solver, depth);
  const missing = need.filter((m) => !scores.has(canonicalKeyOf(solver, game.parseState(m) as Connect4State)));
  const partial = process.argv.includes('--partial');
  if (missing.length > 0 && !partial) throw new Error(`${missing.length} of ${need.length} positions with ${depth} stones are not solved yet (e.g. ${missing.slice(0, 5).join(', ')}); finish the solve parts first`);
  for (let d = depth - 1; d >= 0; d--) {
    for (const m of positionsAt(solver, d)) {
      const s = game.parseState(m) as Connect4State;
      let best = -Infinity;
      for (let c = 0; c < cols; c++) {
        if (!s.isLegal(c)) continue;
        const child = s.clone() as Connect4State;
        child.apply(c);
        // A move that wins at once scores K - stones of the winner (Pons' convention).
        let v: number;
        if (child.isTerminal()) v = child.returnOf(s.currentPlayer()) > 0 ? K1 - (d >> 1) : 0;
        else {
          const cv = scores.get(canonicalKeyOf(solver, child));
          if (cv === undefined) {
            if (!partial) throw new Error(`child ${child.toMoveString()} of ${m} is missing from the book`);
            best = Number.NaN; // unknown: a partial book leaves this position out
            break;
          }
          v = -cv;
        }
        if (v > best) best = v;
      }
      if (!Number.isNaN(best)) scores.set(canonicalKeyOf(solver, s), best);
    }
  }
  if (missing.length > 0) process.stderr.write(`partial book: ${missing.length} of ${need.length} positions with ${depth} stones not solved yet\n`);
  const book = OpeningBook.fromMap(rows, cols, depth, scores);
  const path = option('--out', bookPath(rows, cols));
  writeFileAtomicSync(path, book.toBuffer());
  const root = scores.get(canonicalKeyOf(solver, game.newInitialState() as Connect4State));
  process.stderr.write(`book: ${book.size} positions up to ${depth} stones; start position scores ${root} -> ${path}\n`);
}

/**
 * `weak`: solves the given position (default: the empty board) win/draw/loss for every move,
 * with one solver and a large transposition table, then keeps the table's bounds on every
 * position with at most `depth` stones that the proof visited (found by walking the game tree
 * to that depth and probing the table) as a bounds book; checks the book by analysing the
 * position again with a fresh solver that has only the book.
 */
function weak(): void {
  const depth = Number(option('--depth', '8'));
  const moves = option('--moves', '');
  const bits = Number(option('--table-bits', '26'));
  const path = option('--out', bookPath(rows, cols));
  const label = moves === '' ? 'the empty board' : moves;
  const solver = new Connect4Solver(rows, cols, { tableBits: bits });
  solver.reserveTable();
  solver.keepEarlierSolves = true;
  const root = game.parseState(moves) as Connect4State;
  const t0 = Date.now();
  const classes = solver.analyzeWeak(root);
  const seconds = (Date.now() - t0) / 1000;
  process.stderr.write(`${label}: win/draw/loss of each move [${classes.map((v) => (Number.isNaN(v) ? '.' : v)).join(',')}] in ${seconds.toFixed(1)} s, ${solver.nodes} nodes, no book\n`);
  const book = bookFromTable(game, solver, root, depth);
  writeFileAtomicSync(path, book.toBuffer());
  process.stderr.write(`book: ${book.size} positions with at most ${depth} stones (bounds from the table) -> ${path}\n`);
  const check = new Connect4Solver(rows, cols, { tableBits: 20, book });
  const t1 = Date.now();
  const again = check.analyzeWeak(game.parseState(moves) as Connect4State);
  const same = again.every((v, i) => (Number.isNaN(v) ? Number.isNaN(classes[i]) : v === classes[i]));
  process.stderr.write(`with the book: [${again.map((v) => (Number.isNaN(v) ? '.' : v)).join(',')}] in ${((Date.now() - t1) / 1000).toFixed(2)} s, ${check.nodes} nodes${same ? '' : ' -- DIFFERENT, the book is wrong'}\n`);
  if (!same) process.exitCode = 1;
}

const cmd = process.argv[2];
// (flags without a value are not file names)
if (cmd === 'solve') solve();
else if (cmd === 'weak') weak();
else if (cmd === 'merge') merge(process.argv.slice(3).filter((a, i, all) => !a.startsWith('--') && !(i > 0 && all[i - 1].startsWith('--') && all[i - 1] !== '--partial')));
else process.stderr.write('usage: make-book.js weak [--depth D] [--moves M] [--table-bits B] [--out FILE] | solve --depth D --part I --parts N [--out FILE] | merge --depth D PART_FILES...\n');
