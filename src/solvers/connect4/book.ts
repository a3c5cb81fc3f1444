import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArborError } from '../../core/index.js';

/**
 * An opening book: score bounds of shallow Connect Four positions, made by this project's own
 * solver (`scripts/make-book.ts`), so the solver can stop searching at the book's depth
 * (Pons, "Solving Connect 4", part 12: opening book). An entry is a pair of bounds on the score,
 * lower <= score <= upper: an exact score has equal bounds, and a win/draw/loss entry (from a
 * weak solve) the range of its class, e.g. [1, 21] for a win on 6x7. The solver applies them
 * like its transposition table's bounds, so a class-only entry settles win/draw/loss questions
 * at once and narrows exact searches.
 *
 * A position is stored once per mirror pair under its canonical key: the smaller of its key
 * (position + mask, as in the solver's transposition table) and its mirror image's key.
 *
 * Binary file format (little-endian): the 8-byte magic `C4BOOK2\n`, then rows, cols, depth and a
 * zero byte (u8 each), the entry count (u32), then one 9-byte entry per position sorted by key:
 * the canonical key in 7 bytes, the lower bound and the upper bound (int8 each).
 */
export const BOOK_MAGIC = 'C4BOOK2\n';
/** `lookup` result for a position the book does not hold (packed bounds are 0..65535). */
export const BOOK_MISS = -1;
const HEADER_BYTES = 16;
const ENTRY_BYTES = 9;

/** A book entry: the score lies in [lower, upper]; a plain number is an exact score. */
export type BookEntry = number | readonly [number, number];

export class OpeningBook {
  readonly rows: number;
  readonly cols: number;
  /** Positions with at most this many stones may be in the book. */
  readonly depth: number;
  private readonly stride: number;
  /** Sorted canonical keys (exact integers below 2^53) and their bounds. */
  private readonly keys: Float64Array;
  private readonly lower: Int8Array;
  private readonly upper: Int8Array;

  /**
   * The solver's view: an open-addressing hash table over the key halves as the search has them
   * (both mirror images of every entry), three int32 per slot (kLo, kHi, packed bounds; packed -1
   * = empty), so a probe in the search's inner loop is integer arithmetic only (the solver's
   * kernels probe it inline with the same hash as `slotOf`).
   */
  readonly slots: Int32Array;
  readonly slotBits: number;

  constructor(rows: number, cols: number, depth: number, keys: Float64Array, lower: Int8Array, upper: Int8Array) {
    if ((rows + 1) * cols > 53) throw new ArborError(`connect4 book: ${rows}x${cols} keys do not fit 53 bits; books are for boards with (rows+1)*cols <= 53`);
    this.rows = rows;
    this.cols = cols;
    this.depth = depth;
    this.stride = rows + 1;
    this.keys = keys;
    this.lower = lower;
    this.upper = upper;
    // At most half full with both mirror keys of every entry.
    let bits = 4;
    while (1 << bits < 4 * keys.length) bits++;
    this.slotBits = bits;
    this.slots = new Int32Array(3 << bits);
    for (let i = 2; i < this.slots.length; i += 3) this.slots[i] = -1;
    for (let i = 0; i < keys.length; i++) {
      const packed = (lower[i] & 0xff) | ((upper[i] & 0xff) << 8);
      const k = keys[i];
      const m = mirrorKey(this.stride, cols, k);
      this.insert(k, packed);
      if (m !== k) this.insert(m, packed);
    }
  }

  private insert(key: number, packed: number): void {
    const kLo = (key % 4294967296) | 0;
    const kHi = Math.floor(key / 4294967296) | 0;
    const mask = (1 << this.slotBits) - 1;
    let i = slotOf(kLo, kHi, this.slotBits);
    while (this.slots[3 * i + 2] !== -1 && !(this.slots[3 * i] === kLo && this.slots[3 * i + 1] === kHi)) i = (i + 1) & mask;
    this.slots[3 * i] = kLo;
    this.slots[3 * i + 1] = kHi;
    this.slots[3 * i + 2] = packed;
  }

  /** A book from a map canonical key -> exact score or [lower, upper] (keys as built by `canonicalKey`). */
  static fromMap(rows: number, cols: number, depth: number, entries: ReadonlyMap<number, BookEntry>): OpeningBook {
    const keys = Float64Array.from(entries.keys()).sort();
    const lower = new Int8Array(keys.length);
    const upper = new Int8Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const e = entries.get(keys[i])!;
      lower[i] = typeof e === 'number' ? e : e[0];
      upper[i] = typeof e === 'number' ? e : e[1];
      if (lower[i] > upper[i]) throw new ArborError(`connect4 book: entry ${keys[i]} has lower bound ${lower[i]} above its upper bound ${upper[i]}`);
    }
    return new OpeningBook(rows, cols, depth, keys, lower, upper);
  }

  get size(): number {
    return this.keys.length;
  }

  /**
   * The bounds stored for a position key (int32 halves of position + mask), packed as the
   * solver's table packs them: lower in byte 0, upper in byte 1 (two's complement); or BOOK_MISS.
   */
  lookup(kLo: number, kHi: number): number {
    const slots = this.slots;
    const mask = (1 << this.slotBits) - 1;
    let i = slotOf(kLo, kHi, this.slotBits);
    for (;;) {
      const packed = slots[3 * i + 2];
      if (packed === -1) return BOOK_MISS;
      if (slots[3 * i] === kLo && slots[3 * i + 1] === kHi) return packed;
      i = (i + 1) & mask;
    }
  }

  /** The bounds [lower, upper] of a position key, or null if the book does not hold it. */
  bounds(kLo: number, kHi: number): [number, number] | null {
    const v = this.lookup(kLo, kHi);
    return v === BOOK_MISS ? null : [(v << 24) >> 24, (v << 16) >> 24];
  }

  /** The binary file contents (see the class comment). */
  toBuffer(): Buffer {
    const buf = Buffer.alloc(HEADER_BYTES + ENTRY_BYTES * this.keys.length);
    buf.write(BOOK_MAGIC, 0, 'latin1');
    buf[8] = this.rows;
    buf[9] = this.cols;
    buf[10] = this.depth;
    buf.writeUInt32LE(this.keys.length, 12);
    for (let i = 0; i < this.keys.length; i++) {
      const o = HEADER_BYTES + ENTRY_BYTES * i;
      buf.writeUIntLE(this.keys[i] % 2 ** 48, o, 6);
      buf[o + 6] = Math.floor(this.keys[i] / 2 ** 48);
      buf.writeInt8(this.lower[i], o + 7);
      buf.writeInt8(this.upper[i], o + 8);
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
    if (buf.length !== HEADER_BYTES + ENTRY_BYTES * n) throw new ArborError(`${source}: truncated opening book (${n} entries need ${HEADER_BYTES + ENTRY_BYTES * n} bytes, the file has ${buf.length}); ${rebuild}`);
    const keys = new Float64Array(n);
    const lower = new Int8Array(n);
    const upper = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      const o = HEADER_BYTES + ENTRY_BYTES * i;
      keys[i] = buf.readUIntLE(o, 6) + buf[o + 6] * 2 ** 48;
      lower[i] = buf.readInt8(o + 7);
      upper[i] = buf.readInt8(o + 8);
      if (i > 0 && keys[i] <= keys[i - 1]) throw new ArborError(`${source}: opening book entries are not sorted (entry ${i}); ${rebuild}`);
      if (lower[i] > upper[i]) throw new ArborError(`${source}: opening book entry ${i} has its lower bound above its upper bound; ${rebuild}`);
    }
    return new OpeningBook(rows, cols, depth, keys, lower, upper);
  }
}

/** Slot of a key (int32 halves) in a table of 2^bits slots: a multiplicative hash of both halves. */
function slotOf(kLo: number, kHi: number, bits: number): number {
  return Math.imul(kLo ^ Math.imul(kHi, 0x85ebca6b), 0x9e3779b1) >>> (32 - bits);
}

/** The key of the mirror image of a position key (an exact float integer; columns of `stride` bits). */
function mirrorKey(stride: number, cols: number, key: number): number {
  const unit = 2 ** stride;
  let rest = key;
  let mirror = 0;
  let place = 2 ** ((cols - 1) * stride);
  for (let c = 0; c < cols; c++) {
    const column = rest % unit;
    rest = (rest - column) / unit;
    mirror += column * place;
    place /= unit;
  }
  return mirror;
}

/**
 * The book key of a position: min(key, mirror(key)) as an exact float integer, where key =
 * position + mask is given as int32 halves and columns hold `stride` bits each.
 */
export function canonicalBookKey(stride: number, cols: number, kLo: number, kHi: number): number {
  const key = (kHi >>> 0) * 4294967296 + (kLo >>> 0);
  // Key bits of a column never carry into the next one (the sentinel bit absorbs them), so the
  // mirror is the columns' bit groups in reverse order.
  const mirror = mirrorKey(stride, cols, key);
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
