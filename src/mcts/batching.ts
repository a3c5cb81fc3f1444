import type { Game, State, Evaluator } from '../core/index.js';

interface Request {
  states: readonly State[];
  count: number;
  policy: Float32Array;
  value: Float32Array;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** One search's handle on a BatchingEvaluator; `close()` unregisters it. */
export interface BatchingClient extends Evaluator {
  close(): Promise<void>;
}

/**
 * Coalesces evaluate() calls from several searches running concurrently in one thread (e.g. many
 * self-play games in one worker) into one call of the inner evaluator, so a network sees batches
 * of leaves across games. Each search gets its own `client()`; a batch is sent as soon as every
 * registered client is waiting, or otherwise on the next `setImmediate` (so a client that is busy
 * elsewhere never stalls the others). Calls straight on this object count as anonymous clients.
 * Inner calls are serialised; at most `maxBatch` states go into one inner call.
 */
export class BatchingEvaluator implements Evaluator {
  readonly name: string;
  readonly inner: Evaluator;
  readonly maxBatch: number;
  /** Inner calls made and states sent: states / calls is the achieved batch size. */
  innerCalls = 0;
  innerStates = 0;
  private readonly numActions: number;
  private clients = 0;
  private waiting = 0;
  private queue: Request[] = [];
  private flushing = false;
  private scheduled = false;
  private batchStates: State[] = [];
  private policyBuf: Float32Array;
  private valueBuf: Float32Array;

  constructor(inner: Evaluator, game: Game, options: { maxBatch?: number } = {}) {
    this.inner = inner;
    this.name = `batched(${inner.name})`;
    this.numActions = game.numActions;
    this.maxBatch = Math.max(1, options.maxBatch ?? 256);
    this.policyBuf = new Float32Array(this.maxBatch * this.numActions);
    this.valueBuf = new Float32Array(this.maxBatch);
  }

  /** A handle for one concurrently running search. */
  client(): BatchingClient {
    this.clients++;
    let open = true;
    return {
      name: this.name,
      evaluate: (states, count, policy, value) => this.enqueue(states, count, policy, value, true),
      close: async () => {
        if (!open) return;
        open = false;
        this.clients--;
        this.maybeFlush();
      },
    };
  }

  evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void> {
    return this.enqueue(states, count, policy, value, false);
  }

  private enqueue(states: readonly State[], count: number, policy: Float32Array, value: Float32Array, registered: boolean): Promise<void> {
    if (count === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      if (registered) this.waiting++;
      const done = registered ? () => { this.waiting--; resolve(); } : resolve;
      const fail = registered ? (e: unknown) => { this.waiting--; reject(e); } : reject;
      this.queue.push({ states, count, policy, value, resolve: done, reject: fail });
      this.maybeFlush();
    });
  }

  private maybeFlush(): void {
    if (this.flushing || this.queue.length === 0) return;
    if (this.clients > 0 && this.waiting >= this.clients) {
      void this.flush();
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        if (!this.flushing && this.queue.length > 0) void this.flush();
      });
    }
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    const A = this.numActions;
    const requests = this.queue;
    this.queue = [];
    try {
      // Requests are cut into inner calls of at most maxBatch states, a request may span calls.
      let r = 0;
      let offset = 0;
      while (r < requests.length) {
        let n = 0;
        const parts: { req: Request; from: number; to: number; at: number }[] = [];
        while (r < requests.length && n < this.maxBatch) {
          const req = requests[r];
          const take = Math.min(req.count - offset, this.maxBatch - n);
          for (let i = 0; i < take; i++) this.batchStates[n + i] = req.states[offset + i];
          parts.push({ req, from: offset, to: offset + take, at: n });
          n += take;
          offset += take;
          if (offset === req.count) {
            r++;
            offset = 0;
          }
        }
        this.innerCalls++;
        this.innerStates += n;
        await this.inner.evaluate(this.batchStates, n, this.policyBuf, this.valueBuf);
        for (const { req, from, to, at } of parts) {
          req.policy.set(this.policyBuf.subarray(at * A, (at + to - from) * A), from * A);
          req.value.set(this.valueBuf.subarray(at, at + to - from), from);
        }
      }
      this.batchStates.fill(undefined as unknown as State);
      for (const req of requests) req.resolve();
    } catch (e) {
      for (const req of requests) req.reject(e);
    } finally {
      this.flushing = false;
      this.maybeFlush();
    }
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
