import { ArborError, type Game, type State, type Evaluator } from '../core/index.js';

/**
 * Remembers evaluations by `state.hash()` (a 53-bit Zobrist hash of position and player to move),
 * so transpositions and re-searched positions cost nothing. Holds at most `capacity` positions in
 * preallocated slabs; when full, the oldest entry is overwritten (a ring), which keeps memory fixed.
 */
export class CachedEvaluator implements Evaluator {
  readonly name: string;
  readonly inner: Evaluator;
  readonly capacity: number;
  hits = 0;
  misses = 0;
  readonly evaluateNow?: (states: readonly State[], count: number, policy: Float32Array, value: Float32Array) => void;
  private readonly numActions: number;
  private readonly slotOf = new Map<number, number>();
  private readonly keyOf: Float64Array;
  private readonly policies: Float32Array;
  private readonly values: Float32Array;
  private next = 0;
  private used = 0;
  // Scratch for the misses of one call (grown on demand, reused).
  private missStates: State[] = [];
  private missIndex = new Int32Array(64);
  private missPolicy = new Float32Array(0);
  private missValue = new Float32Array(0);

  constructor(inner: Evaluator, game: Game, capacity = 1 << 16) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new ArborError(`cache capacity ${capacity} must be a positive integer`);
    this.inner = inner;
    this.name = `cached(${inner.name})`;
    this.capacity = capacity;
    this.numActions = game.numActions;
    this.keyOf = new Float64Array(capacity);
    this.policies = new Float32Array(capacity * game.numActions);
    this.values = new Float32Array(capacity);
    const innerNow = inner.evaluateNow?.bind(inner);
    if (innerNow) {
      this.evaluateNow = (states, count, policy, value) => {
        const misses = this.lookup(states, count, policy, value);
        if (misses > 0) innerNow(this.missStates, misses, this.missPolicy, this.missValue);
        this.store(misses, policy, value);
      };
    }
  }

  get cacheHits(): number {
    return this.hits;
  }

  async evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void> {
    const misses = this.lookup(states, count, policy, value);
    if (misses > 0) await this.inner.evaluate(this.missStates, misses, this.missPolicy, this.missValue);
    this.store(misses, policy, value);
  }

  /** Copies cached answers into the output; gathers the misses (and their output rows) into scratch. */
  private lookup(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): number {
    const A = this.numActions;
    if (this.missIndex.length < count) this.missIndex = new Int32Array(count);
    if (this.missValue.length < count) {
      this.missValue = new Float32Array(count);
      this.missPolicy = new Float32Array(count * A);
    }
    let misses = 0;
    for (let i = 0; i < count; i++) {
      const slot = this.slotOf.get(states[i].hash());
      if (slot !== undefined) {
        this.hits++;
        policy.set(this.policies.subarray(slot * A, slot * A + A), i * A);
        value[i] = this.values[slot];
      } else {
        this.misses++;
        this.missStates[misses] = states[i];
        this.missIndex[misses++] = i;
      }
    }
    return misses;
  }

  private store(misses: number, policy: Float32Array, value: Float32Array): void {
    const A = this.numActions;
    for (let m = 0; m < misses; m++) {
      const i = this.missIndex[m];
      const row = this.missPolicy.subarray(m * A, m * A + A);
      policy.set(row, i * A);
      value[i] = this.missValue[m];
      const key = this.missStates[m].hash();
      if (this.slotOf.has(key)) continue;
      const slot = this.next;
      if (this.used === this.capacity) this.slotOf.delete(this.keyOf[slot]);
      else this.used++;
      this.next = (slot + 1) % this.capacity;
      this.keyOf[slot] = key;
      this.policies.set(row, slot * A);
      this.values[slot] = this.missValue[m];
      this.slotOf.set(key, slot);
    }
    // Drop references to the caller's states so the cache does not keep them alive.
    for (let m = 0; m < misses; m++) this.missStates[m] = undefined as unknown as State;
  }

  clear(): void {
    this.slotOf.clear();
    this.next = 0;
    this.used = 0;
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
