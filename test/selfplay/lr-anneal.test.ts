import { describe, expect, it } from 'vitest';
import { budgetProgress, learningRateFactor } from '../../src/selfplay/lr-anneal.js';

describe('learning-rate annealing over the budget', () => {
  const decay = { start: 0.6, finalFactor: 0.1 };
  it('is 1 until start, then falls along a half-cosine to finalFactor at the end', () => {
    expect(learningRateFactor(decay, 0)).toBe(1);
    expect(learningRateFactor(decay, 0.6)).toBe(1);
    expect(learningRateFactor(decay, 0.8)).toBeCloseTo(0.55, 12); // halfway: (1 + 0.1) / 2
    expect(learningRateFactor(decay, 0.7)).toBeCloseTo(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)), 12);
    expect(learningRateFactor(decay, 1)).toBeCloseTo(0.1, 12);
    expect(learningRateFactor(decay, 1.5)).toBeCloseTo(0.1, 12);
  });
  it('start 1 turns it off', () => {
    expect(learningRateFactor({ start: 1, finalFactor: 0.1 }, 1)).toBe(1);
  });
  it('measures the budget by iterations or minutes, whichever is further along', () => {
    expect(budgetProgress({ iterations: 10, minutes: 0 }, 4, 1e9)).toBeCloseTo(0.4, 12);
    expect(budgetProgress({ iterations: 0, minutes: 10 }, 99, 3 * 60_000)).toBeCloseTo(0.3, 12);
    expect(budgetProgress({ iterations: 10, minutes: 10 }, 2, 5 * 60_000)).toBeCloseTo(0.5, 12);
    expect(budgetProgress({ iterations: 10, minutes: 0 }, 12, 0)).toBe(1);
    expect(budgetProgress({ iterations: 0, minutes: 0 }, 5, 5)).toBe(0);
  });
});
