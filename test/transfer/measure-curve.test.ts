import { describe, expect, it } from 'vitest';
import { firstCrossing, gamesRatio, isPowerOfTwo, logArea, logGames, measureIterations } from '../../src/transfer/measure-curve.js';

/** The curve maths of `arbor transfer`, on hand-made curves whose figures are worked out by hand. */

const curve = (pairs: [number, number][]) => pairs.map(([games, strength]) => ({ games, strength }));

describe('measureIterations', () => {
  it('0, then powers of two, then the last iteration', () => {
    expect(measureIterations(0)).toEqual([0]);
    expect(measureIterations(1)).toEqual([0, 1]);
    expect(measureIterations(4)).toEqual([0, 1, 2, 4]);
    expect(measureIterations(10)).toEqual([0, 1, 2, 4, 8, 10]);
    expect(() => measureIterations(-1)).toThrow(/whole number/);
  });
  it('isPowerOfTwo marks the same iterations for a time budget', () => {
    expect([1, 2, 3, 4, 5, 8, 12, 16].filter(isPowerOfTwo)).toEqual([1, 2, 4, 8, 16]);
    expect(isPowerOfTwo(0)).toBe(false);
  });
});

describe('firstCrossing and gamesRatio', () => {
  const scratch = curve([[0, 0.1], [10, 0.3], [20, 0.5], [40, 0.8], [80, 0.9]]);
  const transfer = curve([[0, 0.4], [10, 0.85], [20, 0.7], [40, 0.9], [80, 0.95]]);
  it('the first point at or above the threshold, even when a later one dips below', () => {
    expect(firstCrossing(scratch, 0.8)).toBe(40);
    expect(firstCrossing(transfer, 0.8)).toBe(10);
    expect(firstCrossing(scratch, 0.1)).toBe(0);
    expect(firstCrossing(scratch, 0.95)).toBeNull();
  });
  it('ratio scratch / transfer, null when it is not defined', () => {
    expect(gamesRatio(40, 10)).toBe(4);
    expect(gamesRatio(20, 40)).toBe(0.5);
    expect(gamesRatio(null, 10)).toBeNull();
    expect(gamesRatio(40, null)).toBeNull();
    expect(gamesRatio(40, 0)).toBeNull();
    expect(gamesRatio(0, 0)).toBeNull();
  });
});

describe('logArea', () => {
  it('log axis: 0 games at 0, 1, 3, 7 iterations at 1, 2, 3', () => {
    expect(logGames(0, 8)).toBe(0);
    expect(logGames(8, 8)).toBe(1);
    expect(logGames(24, 8)).toBe(2);
    expect(logGames(56, 8)).toBe(3);
  });
  it('a flat curve has its strength as area; a single point too', () => {
    expect(logArea(curve([[0, 0.6], [8, 0.6], [56, 0.6]]), 8)).toBeCloseTo(0.6, 12);
    expect(logArea(curve([[0, 0.3]]), 8)).toBe(0.3);
  });
  it('trapezoids over log2(1 + games/unit), divided by the span', () => {
    // x = 0, 1, 2, 3; strengths 0, 1, 1, 0 -> trapezoids 0.5 + 1 + 0.5 = 2 over a span of 3.
    expect(logArea(curve([[0, 0], [8, 1], [24, 1], [56, 0]]), 8)).toBeCloseTo(2 / 3, 12);
    // x = 0, 1, log2(5): strengths 0, 1, 1 -> 0.5 + (log2(5) - 1), over log2(5).
    expect(logArea(curve([[0, 0], [8, 1], [32, 1]]), 8)).toBeCloseTo((0.5 + Math.log2(5) - 1) / Math.log2(5), 12);
  });
  it('early gains weigh as much as late ones: the same rise sooner gives a larger area', () => {
    const early = curve([[0, 0], [8, 1], [16, 1], [32, 1], [64, 1]]);
    const late = curve([[0, 0], [8, 0], [16, 0], [32, 0], [64, 1]]);
    expect(logArea(early, 8)).toBeGreaterThan(logArea(late, 8));
  });
  it('refuses curves it cannot integrate', () => {
    expect(() => logArea([], 8)).toThrow(/at least one point/);
    expect(() => logArea(curve([[0, 0], [8, 1], [8, 1]]), 8)).toThrow(/increasing game counts/);
    expect(() => logArea(curve([[0, 0]]), 0)).toThrow(/positive/);
  });
});
