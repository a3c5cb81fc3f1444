import type { BatchNormSync } from './batch-norm.js';

/**
 * The shared-memory rendezvous of a ParallelTrainer's threads (the caller's thread is participant
 * 0, its workers 1..size-1): a reusable barrier and an all-reduce for synchronised batch norm,
 * both on SharedArrayBuffers with Atomics, so they work synchronously inside tfjs's gradient
 * functions (a message round trip would need the event loop, which a running step blocks).
 *
 * Control words: COUNT (arrivals at the current barrier), GENERATION (bumped by the last arrival;
 * waiters sleep on it), ABORT (set by a failing thread so the others stop waiting), WEIGHTS (the
 * version of the weights published in the shared weight buffer).
 */
export const CTL_COUNT = 0;
export const CTL_GENERATION = 1;
export const CTL_ABORT = 2;
export const CTL_WEIGHTS = 3;
export const CTL_WORDS = 4;

export interface GroupBuffers {
  /** Int32 control words (CTL_WORDS). */
  readonly control: SharedArrayBuffer;
  /** Float32 all-reduce slots: 2 rounds (double buffering) x size participants x slot floats. */
  readonly reduce: SharedArrayBuffer;
  readonly slot: number;
}

export function createGroupBuffers(size: number, slot: number): GroupBuffers {
  return {
    control: new SharedArrayBuffer(CTL_WORDS * 4),
    reduce: new SharedArrayBuffer(2 * size * slot * 4),
    slot,
  };
}

export class GroupAbortedError extends Error {}

export class SharedGroup implements BatchNormSync {
  readonly control: Int32Array;
  private readonly reduceBuf: Float32Array;
  private readonly slot: number;
  private round = 0;

  constructor(
    buffers: GroupBuffers,
    readonly index: number,
    readonly size: number,
    /** A wait longer than this means a thread died without saying so (it would otherwise hang forever). */
    private readonly timeoutMs = 120_000,
  ) {
    this.control = new Int32Array(buffers.control);
    this.reduceBuf = new Float32Array(buffers.reduce);
    this.slot = buffers.slot;
  }

  /** Every participant calls this at the start of a step, so their all-reduce rounds line up. */
  beginStep(): void {
    this.round = 0;
  }

  /** Blocks until all `size` participants have arrived (or one of them aborted). */
  barrier(): void {
    const ctl = this.control;
    if (Atomics.load(ctl, CTL_ABORT) !== 0) throw new GroupAbortedError('another training thread failed');
    const generation = Atomics.load(ctl, CTL_GENERATION);
    if (Atomics.add(ctl, CTL_COUNT, 1) === this.size - 1) {
      // The last arrival resets the count before releasing the others, so the next barrier starts at 0.
      Atomics.store(ctl, CTL_COUNT, 0);
      Atomics.add(ctl, CTL_GENERATION, 1);
      Atomics.notify(ctl, CTL_GENERATION);
      return;
    }
    const deadline = Date.now() + this.timeoutMs;
    while (Atomics.load(ctl, CTL_GENERATION) === generation) {
      if (Atomics.load(ctl, CTL_ABORT) !== 0) throw new GroupAbortedError('another training thread failed');
      if (Date.now() > deadline) {
        this.abort();
        throw new GroupAbortedError(`a training thread did not answer within ${this.timeoutMs / 1000} s`);
      }
      Atomics.wait(ctl, CTL_GENERATION, generation, 1000);
    }
  }

  /**
   * Element-wise sum of `local` over all participants, identical in every thread (each sums the
   * slots in participant order). Two alternating buffers: a thread can only write round k+2's
   * buffer after the barrier of round k+1, which every thread reaches after reading round k.
   */
  allReduce(local: Float32Array): Float32Array {
    if (local.length > this.slot) throw new Error(`all-reduce of ${local.length} values exceeds the slot of ${this.slot}`);
    const base = (this.round++ & 1) * this.size * this.slot;
    this.reduceBuf.set(local, base + this.index * this.slot);
    this.barrier();
    const out = new Float32Array(local.length);
    for (let p = 0; p < this.size; p++) {
      const from = base + p * this.slot;
      for (let i = 0; i < out.length; i++) out[i] += this.reduceBuf[from + i];
    }
    return out;
  }

  /** Wakes every waiting thread with an error; the group cannot be used afterwards. */
  abort(): void {
    Atomics.store(this.control, CTL_ABORT, 1);
    Atomics.add(this.control, CTL_GENERATION, 1);
    Atomics.notify(this.control, CTL_GENERATION);
  }
}
