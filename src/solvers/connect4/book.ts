import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArborError } from '../../envs/index.js';
import type { BitLayout } from './bitboard.js';

/**
 * An opening book: exact scores of shallow Connect Four positions, made by this project's own
 * solver (`scripts/make-book.ts`), so the solver can stop searching at the book's depth.
 *
 * File format (text, one position a line, Pons' benchmark style): `MOVES SCORE`, moves as
 * 1-based column digits, lines starting with `#` are comments; the header line
 * `# connect4 ROWSxCOLS depth D` says what the book covers. Positions are stored once per
 * mirror pair: the lookup key is the smaller of the position's key and its mirror image's.
 */
export class OpeningBook {
  readonly rows: number;
  readonly cols: number;
  /** Positions with at most this many stones may be in the book. */
  readonly depth: number;
  private readonly scores = new Map<number, number>();

  constructor(rows: number, cols: number, depth: number) {
    if ((rows + 1) * cols + 1 > 53) throw new ArborError(`connect4 book: ${rows}x${cols} keys do not fit 53 bits; books are for boards with (rows+1)*cols <= 52`);
    this.rows = rows;
    this.cols = cols;
    this.depth = depth;
  }

  get size(): number {
    return this.scores.size;
  }

  /** The score stored for a position key (position + mask halves), or undefined. */
  lookup(layout: BitLayout, kLo: number, kHi: number): number | undefined {
    return this.scores.get(canonicalKey(layout, kLo, kHi));
  }

  set(layout: BitLayout, kLo: number, kHi: number, score: number): void {
    this.scores.set(canonicalKey(layout, kLo, kHi), score);
  }

  has(layout: BitLayout, kLo: number, kHi: number): boolean {
    return this.scores.has(canonicalKey(layout, kLo, kHi));
  }
}

/** min(key, mirror(key)) as a float integer (exact below 2^53). */
function canonicalKey(layout: BitLayout, kLo: number, kHi: number): number {
  const key = (kHi >>> 0) * 4294967296 + (kLo >>> 0);
  let mirror = 0;
  const cols = layout.cols;
  for (let c = 0; c < cols; c++) {
    // Key bits of a column never carry into the next one (the sentinel bit absorbs them).
    mirror += layout.columnBits(kLo, kHi, c) * 2 ** ((cols - 1 - c) * layout.stride);
  }
  return mirror < key ? mirror : key;
}

/** Parses a book file's text; `replay` turns a move string into the position key halves. */
export function parseBook(text: string, source: string, replay: (moves: string) => { kLo: number; kHi: number; layout: BitLayout }): OpeningBook {
  const lines = text.split('\n');
  const header = /^#\s*connect4\s+(\d+)x(\d+)\s+depth\s+(\d+)/.exec(lines[0] ?? '');
  if (!header) throw new ArborError(`${source}: not a connect4 opening book (first line must be "# connect4 ROWSxCOLS depth D"); rebuild it with scripts/make-book.ts`);
  const book = new OpeningBook(Number(header[1]), Number(header[2]), Number(header[3]));
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\d*)\s+(-?\d+)$/.exec(line);
    if (!m) throw new ArborError(`${source}:${i + 1}: "${line}" is not "MOVES SCORE"; rebuild the book with scripts/make-book.ts`);
    const k = replay(m[1]);
    book.set(k.layout, k.kLo, k.kHi, Number(m[2]));
  }
  return book;
}

/** Where the shipped book of a board size lives (`data/connect4-6x7-book.txt`). */
export function bookPath(rows: number, cols: number): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/solvers/connect4 (tests) or dist/src/solvers/connect4 (compiled): find the repo's data/.
  for (const up of ['../../..', '../../../..']) {
    const dir = join(here, up, 'data');
    if (existsSync(dir)) return join(dir, `connect4-${rows}x${cols}-book.txt`);
  }
  return join(here, '../../..', 'data', `connect4-${rows}x${cols}-book.txt`);
}

/** Reads a book file (throws ArborError naming the file if it is missing or malformed). */
export function readBookFile(path: string, replay: (moves: string) => { kLo: number; kHi: number; layout: BitLayout }): OpeningBook {
  if (!existsSync(path)) throw new ArborError(`connect4 book ${path} does not exist; build it with scripts/make-book.ts`);
  return parseBook(readFileSync(path, 'utf8'), path, replay);
}
