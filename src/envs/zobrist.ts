import { createRng } from '../core/index.js';

/**
 * Zobrist keys as pairs of 32-bit integers (no BigInt in hot paths). Key i is
 * (keys[2i], keys[2i+1]); a position's hash is the XOR of its features' keys, kept as two
 * int32 halves and combined into one safe integer by `combineHash`.
 */
export function makeZobristKeys(count: number, seed: string): Int32Array {
  const rng = createRng(`zobrist/${seed}`);
  const keys = new Int32Array(count * 2);
  for (let i = 0; i < keys.length; i++) keys[i] = (rng.next() * 4294967296) | 0;
  return keys;
}

/** Combines two 32-bit halves into an integer in [0, 2^53). */
export function combineHash(lo: number, hi: number): number {
  return (hi & 0x1fffff) * 4294967296 + (lo >>> 0);
}
