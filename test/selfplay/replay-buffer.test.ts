import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { decodeChunk, emptyChunk, encodeChunk, ReplayBuffer, windowSize } from '../../src/selfplay/replay-buffer.js';

const game = createGame('tictactoe');

/** A chunk whose every value is `tag`, so samples show which chunk they came from. */
function taggedChunk(count: number, tag: number) {
  const c = emptyChunk(game, count);
  c.values.fill(tag);
  for (let i = 0; i < count; i++) c.policies[i * game.numActions] = 1;
  return c;
}

describe('KataGo replay window', () => {
  const kata = { windowMin: 250_000, windowMax: 10_000_000, windowExponent: 0.75, windowGrowth: 0.4 };
  it('keeps everything up to c positions', () => {
    expect(windowSize(1000, kata)).toBe(1000);
    expect(windowSize(250_000, kata)).toBe(250_000);
  });
  it('grows as c(1 + beta((N/c)^alpha - 1)/alpha) beyond c (Wu 2019, appendix)', () => {
    // N = 4c: 4^0.75 = 2.8284; (2.8284 - 1) / 0.75 * 0.4 = 0.97515 -> 1.97515 c
    expect(windowSize(1_000_000, kata)).toBe(Math.floor(250_000 * (1 + (0.4 * (Math.pow(4, 0.75) - 1)) / 0.75)));
    expect(windowSize(1_000_000, kata)).toBeGreaterThan(493_000);
    expect(windowSize(1_000_000, kata)).toBeLessThan(494_000);
    // sublinear: the share of the data in the window keeps shrinking
    expect(windowSize(10_000_000, kata) / 10_000_000).toBeLessThan(windowSize(1_000_000, kata) / 1_000_000);
  });
  it('is capped by windowMax', () => {
    expect(windowSize(1e9, { ...kata, windowMax: 600_000 })).toBe(600_000);
  });
});

describe('ReplayBuffer', () => {
  const options = { windowMin: 100, windowMax: 1000, windowExponent: 0.75, windowGrowth: 0.4, sampleReuse: 4, minPositions: 50 };

  it('samples only from the newest window positions', () => {
    const buffer = new ReplayBuffer(game, options);
    for (let k = 1; k <= 10; k++) buffer.add(taggedChunk(50, k), k);
    // 500 positions generated: window = 100 (1 + 0.4 (5^0.75 - 1) / 0.75) = 224.997 -> 224
    expect(buffer.window).toBe(Math.floor(100 * (1 + (0.4 * (Math.pow(5, 0.75) - 1)) / 0.75)));
    const window = buffer.window;
    const out = emptyChunk(game, 4000);
    buffer.sample(out, 4000, createRng('w'));
    expect(window).toBe(224);
    // positions are tagged by chunk: the newest 224 are the last 24 of chunk 6, then chunks 7-10
    const tags = new Set(Array.from(out.values));
    expect([...tags].sort((x, y) => x - y)).toEqual([6, 7, 8, 9, 10]);
    const fromSix = Array.from(out.values).filter((v) => v === 6).length / 4000;
    expect(fromSix).toBeGreaterThan((24 / 224) * 0.75);
    expect(fromSix).toBeLessThan((24 / 224) * 1.25);
    // whole chunks older than the window were dropped
    expect(buffer.chunkIds()).toEqual([6, 7, 8, 9, 10]);
  });

  it('holds the sample-reuse ratio: trained samples per new position', () => {
    const buffer = new ReplayBuffer(game, options);
    buffer.add(taggedChunk(40, 1), 1);
    expect(buffer.stepsDue(32)).toBe(0); // below minPositions
    buffer.add(taggedChunk(40, 2), 2);
    // 80 positions x 4 = 320 samples owed = 10 batches of 32
    expect(buffer.stepsDue(32)).toBe(10);
    buffer.consumed(10 * 32);
    expect(buffer.stepsDue(32)).toBe(0);
    buffer.add(taggedChunk(10, 3), 3);
    // 40 more samples owed: one batch, 8 samples carried over
    expect(buffer.stepsDue(32)).toBe(1);
    buffer.consumed(32);
    expect(buffer.trainCredit).toBe(8);
    expect(buffer.trainedSamples / buffer.totalPositions).toBeCloseTo(352 / 90, 6);
  });

  it('restores counters and chunks as a resumed run needs them', () => {
    const a = new ReplayBuffer(game, options);
    for (let k = 1; k <= 4; k++) a.add(taggedChunk(60, k), k);
    a.consumed(200);
    const b = new ReplayBuffer(game, options);
    for (const id of a.chunkIds()) b.restoreChunk(taggedChunk(60, id), id);
    b.restoreCounters(a.counters());
    expect(b.window).toBe(a.window);
    expect(b.stepsDue(32)).toBe(a.stepsDue(32));
    expect(b.counters()).toEqual(a.counters());
  });

  it('round-trips a chunk through its file format and rejects a truncated or foreign one', () => {
    const c = taggedChunk(7, 0.5);
    c.inputs[3] = 1;
    c.masks[5] = 1;
    const bytes = encodeChunk(game, c);
    const back = decodeChunk(game, bytes);
    expect(typeof back).toBe('object');
    if (typeof back === 'string') return;
    expect(back.count).toBe(7);
    expect(Array.from(back.values)).toEqual(Array.from(c.values));
    expect(back.inputs[3]).toBe(1);
    expect(back.masks[5]).toBe(1);
    expect(decodeChunk(game, bytes.subarray(0, bytes.length - 3))).toMatch(/truncated/);
    expect(decodeChunk(createGame('connect4'), bytes)).toMatch(/not connect4/);
  });
});
