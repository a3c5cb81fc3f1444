import { describe, expect, it } from 'vitest';
import type { State, Evaluator } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { BatchingEvaluator, CachedEvaluator, RolloutEvaluator, Search, UniformEvaluator } from '../../src/mcts/index.js';

const c4 = createGame('connect4');

/** Counts inner calls; answers like UniformEvaluator but only asynchronously (like a network). */
class CountingEvaluator implements Evaluator {
  readonly name = 'counting';
  calls = 0;
  states = 0;
  private readonly inner = new UniformEvaluator(c4);
  async evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void> {
    this.calls++;
    this.states += count;
    this.inner.evaluateNow(states, count, policy, value);
    for (let i = 0; i < count; i++) value[i] = (states[i].hash() % 1000) / 1000 - 0.5;
  }
}

describe('evaluators', () => {
  it('UniformEvaluator: uniform over legal actions, exactly 0 elsewhere, value 0', async () => {
    const state = c4.parseState('111111');
    const policy = new Float32Array(7);
    const value = new Float32Array(1);
    await new UniformEvaluator(c4).evaluate([state], 1, policy, value);
    expect(policy[0]).toBe(0);
    for (let a = 1; a < 7; a++) expect(policy[a]).toBeCloseTo(1 / 6, 6);
    expect(value[0]).toBe(0);
  });

  it('RolloutEvaluator: seeded, results in {-1, 0, 1}, and a won position scores well', async () => {
    const policy = new Float32Array(7);
    const value = new Float32Array(1);
    const results: number[] = [];
    const ev = new RolloutEvaluator(c4, 7);
    for (let i = 0; i < 200; i++) {
      await ev.evaluate([c4.parseState('121213')], 1, policy, value);
      results.push(value[0]);
    }
    for (const v of results) expect([-1, 0, 1]).toContain(v);
    const again = new RolloutEvaluator(c4, 7);
    await again.evaluate([c4.parseState('121213')], 1, policy, value);
    expect(value[0]).toBe(results[0]);
    // The side to move has three in column 1: random play wins well over half of the playouts.
    expect(results.reduce((a, b) => a + b, 0) / results.length).toBeGreaterThan(0.2);
  });

  it('CachedEvaluator answers transpositions from its cache with the same result', async () => {
    const plain = new Search(c4, new CountingEvaluator(), { reuseTree: false });
    const inner = new CountingEvaluator();
    const cached = new CachedEvaluator(inner, c4);
    const viaCache = new Search(c4, cached, { reuseTree: false });
    const a = await plain.run(c4.newInitialState(), { simulations: 3000 });
    const b = await viaCache.run(c4.newInitialState(), { simulations: 3000 });
    expect(Array.from(b.visits)).toEqual(Array.from(a.visits));
    expect(b.stats.cacheHits).toBeGreaterThan(100);
    expect(cached.hits + cached.misses).toBe(b.stats.evaluatedStates);
    expect(inner.states).toBe(cached.misses);
    const again = await viaCache.run(c4.newInitialState(), { simulations: 3000 });
    expect(again.stats.cacheHits).toBe(again.stats.evaluatedStates);
  });

  it('BatchingEvaluator coalesces leaves of concurrent searches into fewer inner calls, with unchanged results', async () => {
    const games = 6;
    const alone = await Promise.all(
      Array.from({ length: games }, (_, g) => new Search(c4, new CountingEvaluator(), { reuseTree: false, leafBatch: 4 }).run(c4.parseState(String(g + 1)), { simulations: 400 })),
    );
    const inner = new CountingEvaluator();
    const batching = new BatchingEvaluator(inner, c4, { maxBatch: 64 });
    const clients = Array.from({ length: games }, () => batching.client());
    const together = await Promise.all(
      clients.map((client, g) => new Search(c4, client, { reuseTree: false, leafBatch: 4 }).run(c4.parseState(String(g + 1)), { simulations: 400 })),
    );
    for (const c of clients) await c.close();
    for (let g = 0; g < games; g++) expect(Array.from(together[g].visits)).toEqual(Array.from(alone[g].visits));
    const requests = together.reduce((s, r) => s + r.stats.evaluatorCalls, 0);
    expect(inner.states).toBe(together.reduce((s, r) => s + r.stats.evaluatedStates, 0));
    expect(inner.calls).toBeLessThan(requests / 3);
    expect(batching.innerStates / batching.innerCalls).toBeGreaterThan(12);
  });

  it('BatchingEvaluator also serves anonymous callers and splits batches above maxBatch', async () => {
    const inner = new CountingEvaluator();
    const batching = new BatchingEvaluator(inner, c4, { maxBatch: 3 });
    const states = Array.from({ length: 5 }, (_, i) => c4.parseState(String(i + 1)));
    const policy = new Float32Array(5 * 7);
    const value = new Float32Array(5);
    await batching.evaluate(states, 5, policy, value);
    expect(inner.calls).toBe(2);
    for (let i = 0; i < 5; i++) expect(value[i]).toBeCloseTo((states[i].hash() % 1000) / 1000 - 0.5, 6);
  });
});
