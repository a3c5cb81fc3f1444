import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArborError } from '../../envs/index.js';

/**
 * An opening book: exact scores of shallow Connect Four positions, made by this project's own
 * solver (`scripts/make-book.ts`), so the solver can stop searching at the book's depth
 * (Pons, "Solving Connect 4", part 12: opening book).
 *
 * A position is stored once per mirror pair under its canonical key: the smaller of its key
 * (position + mask, as in the solver's transposition table) and its mirror image's key.
 *
 * Binary file format (little-endian): the 8-byte magic `C4BOOK1\n`, then rows, cols, depth and a
 * zero byte (u8 each), the entry count (u32), then one 8-byte entry per position sorted by key:
 * the canonical key in 7 bytes and the score as an int8.
 */
export const BOOK_MAGIC = 'C4BOOK1\n';
/** `lookup` result for a position the book does not hold (no score reaches it). */
export const BOOK_MISS = 127;
const HEADER_BYTES = 16;

export class OpeningBook {
  readonly rows: number;
  readonly cols: number;
  /** Positions with at most this many stones may be in the book. */
  readonly depth: number;
  private readonly stride: number;
  /** Sorted canonical keys (exact integers below 2^53) and their scores. */
  private readonly keys: Float64Array;
  private readonly scores: Int8Array;

  constructor(rows: number, cols: number, depth: number, keys: Float64Array, scores: Int8Array) {
    if ((rows + 1) * cols > 53) throw new ArborError(`connect4 book: ${rows}x${cols} keys do not fit 53 bits; books are for boards with (rows+1)*cols <= 53`);
    this.rows = rows;
    this.cols = cols;
    this.depth = depth;
    this.stride = rows + 1;
    this.keys = keys;
    this.scores = scores;
  }

  /** A book from a map canonical key -> score (as built by `canonicalKey`). */
  static fromMap(rows: number, cols: number, depth: number, entries: ReadonlyMap<number, number>): OpeningBook {
    const keys = Float64Array.from(entries.keys()).sort();
    const scores = new Int8Array(keys.length);
    for (let i = 0; i < keys.length; i++) scores[i] = entries.get(keys[i])!;
    return new OpeningBook(rows, cols, depth, keys, scores);
  }

  get size(): number {
    return this.keys.length;
  }

  /** min(key, mirror(key)) as an exact float integer; the key is given as int32 halves. */
  canonicalKey(kLo: number, kHi: number): number {
    return canonicalBookKey(this.stride, this.cols, kLo, kHi);
  }

  /** The score stored for a position key (int32 halves of position + mask), or BOOK_MISS. */
  lookup(kLo: number, kHi: number): number {
    const k = this.canonicalKey(kLo, kHi);
    const keys = this.keys;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = keys[mid];
      if (v === k) return this.scores[mid];
      if (v < k) lo = mid + 1;
      else hi = mid - 1;
    }
    return BOOK_MISS;
  }

  /** The binary file contents (see the class comment). */
  toBuffer(): Buffer {
    const buf = Buffer.alloc(HEADER_BYTES + 8 * this.keys.length);
    buf.write(BOOK_MAGIC, 0, 'latin1');
    buf[8] = this.rows;
    buf[9] = this.cols;
    buf[10] = this.depth;
    buf.writeUInt32LE(this.keys.length, 12);
    for (let i = 0; i < this.keys.length; i++) {
      const o = HEADER_BYTES + 8 * i;
      buf.writeUIntLE(this.keys[i], o, 6);
      buf[o + 6] = Math.floor(this.keys[i] / 2 ** 48);
      buf.writeInt8(this.scores[i], o + 7);
    }
    return buf;
  }

  /** Parses a book file's bytes (ArborError naming `source` if they are not a book). */
  static fromBuffer(buf: Buffer, source: string): OpeningBook {
    const rebuild = 'rebuild it with `node dist/scripts/make-book.js` (see scripts/make-book.ts)';
    if (buf.length < HEADER_BYTES || buf.toString('latin1', 0, 8) !== BOOK_MAGIC) throw new ArborError(`${source}: not a connect4 opening book (no ${JSON.stringify(BOOK_MAGIC.trim())} header); ${rebuild}`);
    const rows = buf[8];
    const cols = buf[9];
    const depth = buf[10];
    const n = buf.readUInt32LE(12);
    if (buf.length !== HEADER_BYTES + 8 * n) throw new ArborError(`${source}: truncated opening book (${n} entries need ${HEADER_BYTES + 8 * n} bytes, the file has ${buf.length}); ${rebuild}`);
    const keys = new Float64Array(n);
    const scores = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      const o = HEADER_BYTES + 8 * i;
      keys[i] = buf.readUIntLE(o, 6) + buf[o + 6] * 2 ** 48;
      scores[i] = buf.readInt8(o + 7);
      if (i > 0 && keys[i] <= keys[i - 1]) throw new ArborError(`${source}: opening book entries are not sorted (entry ${i}); ${rebuild}`);
    }
    return new OpeningBook(rows, cols, depth, keys, scores);
  }
}

/**
 * The book key of a position: min(key, mirror(key)) as an exact float integer, where key =
 * position + mask is given as int32 halves and columns hold `stride` bits each.
 */
export function canonicalBookKey(stride: number, cols: number, kLo: number, kHi: number): number {
  const key = (kHi >>> 0) * 4294967296 + (kLo >>> 0);
  const unit = 2 ** stride;
  let rest = key;
  let mirror = 0;
  let place = 2 ** ((cols - 1) * stride);
  // Key bits of a column never carry into the next one (the sentinel bit absorbs them), so the
  // mirror is the columns' bit groups in reverse order.
  for (let c = 0; c < cols; c++) {
    const column = rest % unit;
    rest = (rest - column) / unit;
    mirror += column * place;
    place /= unit;
  }
  return mirror < key ? mirror : key;
}

/** Where the shipped book of a board size lives (`data/connect4-book-6x7.bin`). */
export function bookPath(rows: number, cols: number): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/solvers/connect4 (tests) or dist/src/solvers/connect4 (compiled): find the repo's data/.
  for (const up of ['../../..', '../../../..']) {
    const dir = join(here, up, 'data');
    if (existsSync(join(dir, 'positions'))) return join(dir, `connect4-book-${rows}x${cols}.bin`);
  }
  return join(here, '../../..', 'data', `connect4-book-${rows}x${cols}.bin`);
}

const loaded = new Map<string, OpeningBook>();

/** Reads a book file once per process (ArborError naming the file if it is missing or malformed). */
export function readBookFile(path: string): OpeningBook {
  const cached = loaded.get(path);
  if (cached) return cached;
  if (!existsSync(path)) throw new ArborError(`connect4 book ${path} does not exist; build it with scripts/make-book.ts`);
  const book = OpeningBook.fromBuffer(readFileSync(path), path);
  loaded.set(path, book);
  return book;
}
