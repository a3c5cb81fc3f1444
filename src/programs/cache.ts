/**
 * A bounded cache of pure primitives' scalar results, keyed by (call site's primitive, position
 * hash, up to two scalar arguments): a direct-mapped table in typed arrays, so a lookup or a store
 * allocates nothing, and a new entry simply overwrites the one in its slot (the bound). Keys are
 * compared in full, so a slot collision is a miss, never a wrong answer; the position is
 * identified by its Zobrist hash (state.hash(), < 2^53), as transposition tables do.
 */
export class ResultCache {
  private readonly mask: number;
  private readonly hashes: Float64Array;
  private readonly ops: Int32Array;
  private readonly argA: Float64Array;
  private readonly argB: Float64Array;
  private readonly values: Float64Array;
  hits = 0;
  misses = 0;

  /** `capacity` is rounded up to a power of two. */
  constructor(capacity = 1 << 16) {
    let size = 1;
    while (size < capacity) size <<= 1;
    this.mask = size - 1;
    this.hashes = new Float64Array(size);
    this.ops = new Int32Array(size).fill(-1);
    this.argA = new Float64Array(size);
    this.argB = new Float64Array(size);
    this.values = new Float64Array(size);
  }

  get capacity(): number {
    return this.mask + 1;
  }

  private slot(op: number, hash: number, a: number, b: number): number {
    // Mix the hash's two 32-bit halves with the operation and arguments (Murmur-style multipliers).
    let h = Math.imul((hash >>> 0) ^ Math.imul(op + 1, 0x9e3779b1), 0x85ebca6b);
    h ^= Math.imul(Math.floor(hash / 4294967296) | 0, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 15) ^ Math.imul(a | 0, 0x27d4eb2f) ^ Math.imul(b | 0, 0x165667b1), 0x2c1b3c6d);
    return (h ^ (h >>> 13)) & this.mask;
  }

  /** The slot holding this key, or -1 on a miss (counted). */
  find(op: number, hash: number, a: number, b: number): number {
    const i = this.slot(op, hash, a, b);
    if (this.ops[i] === op && this.hashes[i] === hash && this.argA[i] === a && this.argB[i] === b) {
      this.hits++;
      return i;
    }
    this.misses++;
    return -1;
  }

  value(slot: number): number {
    return this.values[slot];
  }

  store(op: number, hash: number, a: number, b: number, value: number): void {
    const i = this.slot(op, hash, a, b);
    this.ops[i] = op;
    this.hashes[i] = hash;
    this.argA[i] = a;
    this.argB[i] = b;
    this.values[i] = value;
  }

  clear(): void {
    this.ops.fill(-1);
    this.hits = 0;
    this.misses = 0;
  }
}
