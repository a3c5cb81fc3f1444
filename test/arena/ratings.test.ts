import { describe, expect, it } from 'vitest';
import { eloFromScore, fitRatings, scoreFromElo, tallyPairs, type PairResult } from '../../src/arena/index.js';
import { createRng, type Rng } from '../../src/core/index.js';

/** Simulates a game with expected score E(d) and a draw rate, draws counting half (the model's own view). */
function simulatePair(rng: Rng, a: string, b: string, eloA: number, eloB: number, games: number, drawRate: number): PairResult {
  const e = scoreFromElo(eloA - eloB);
  const draw = Math.min(drawRate, 2 * Math.min(e, 1 - e));
  const win = e - draw / 2;
  let aWins = 0;
  let draws = 0;
  let bWins = 0;
  for (let g = 0; g < games; g++) {
    const u = rng.next();
    if (u < win) aWins++;
    else if (u < win + draw) draws++;
    else bWins++;
  }
  return { a, b, aWins, draws, bWins };
}

describe('Elo scale', () => {
  it('matches the published logistic Elo table: 75% is +190.85, 64% is about +100', () => {
    expect(eloFromScore(0.75)).toBeCloseTo(400 * Math.log10(3), 6);
    expect(eloFromScore(0.75)).toBeCloseTo(190.85, 2);
    expect(scoreFromElo(100)).toBeCloseTo(0.64, 2);
    expect(scoreFromElo(0)).toBe(0.5);
  });
});

describe('fitRatings', () => {
  it('two players, 75 wins of 100: +190.85 Elo with the analytic Fisher-information interval', () => {
    const fit = fitRatings([{ a: 'x', b: 'y', aWins: 75, draws: 0, bWins: 25 }], 'y', { priorDraws: 0 });
    const x = fit.ratings.find((r) => r.name === 'x')!;
    expect(x.elo).toBeCloseTo(190.85, 1);
    // Var(d) = 1 / (N p (1-p) (ln10/400)^2): se = (400/ln10) / sqrt(100 * 0.1875) = 40.12 Elo.
    expect(x.se).toBeCloseTo(400 / Math.LN10 / Math.sqrt(18.75), 3);
    expect(x.ci95[0]).toBeCloseTo(190.85 - 1.96 * 40.12, 0);
    const y = fit.ratings.find((r) => r.name === 'y')!;
    expect(y.elo).toBe(0);
    expect(y.ci95).toEqual([0, 0]);
    expect([x.wins, x.draws, x.losses, x.games]).toEqual([75, 0, 25, 100]);
  });

  it('draws count as half wins: 50 wins, 50 draws, 0 losses scores 75%', () => {
    const fit = fitRatings([{ a: 'x', b: 'y', aWins: 50, draws: 50, bWins: 0 }], 'y', { priorDraws: 0 });
    expect(fit.ratings[0].elo).toBeCloseTo(190.85, 1);
  });

  it('an anchor value shifts every rating, and a consistent triangle is fitted exactly', () => {
    // A 75% over B, B 75% over C, A 90% over C: not exactly transitive, but the fit is unique.
    const results = [
      { a: 'A', b: 'B', aWins: 750, draws: 0, bWins: 250 },
      { a: 'B', b: 'C', aWins: 750, draws: 0, bWins: 250 },
      { a: 'A', b: 'C', aWins: 900, draws: 0, bWins: 100 },
    ];
    const fit = fitRatings(results, 'C', { anchorElo: 1000, priorDraws: 0 });
    const elo = Object.fromEntries(fit.ratings.map((r) => [r.name, r.elo]));
    expect(elo.C).toBe(1000);
    // Symmetric data: B sits exactly halfway between A and C.
    expect(elo.B - elo.C).toBeCloseTo(elo.A - elo.B, 6);
    expect(elo.A - elo.C).toBeGreaterThan(381);
    expect(elo.A - elo.C).toBeLessThan(382 + 20);
  });

  it('recovers simulated players with known Elo differences within their 95% intervals (coverage over 40 trials)', () => {
    const truth: Record<string, number> = { p0: 0, p1: 80, p2: 200, p3: 400 };
    const names = Object.keys(truth);
    let inside = 0;
    let total = 0;
    let maxError = 0;
    for (let trial = 0; trial < 40; trial++) {
      const rng = createRng(`bt-${trial}`);
      const results: PairResult[] = [];
      for (let i = 0; i < names.length; i++) {
        for (let j = i + 1; j < names.length; j++) results.push(simulatePair(rng, names[i], names[j], truth[names[i]], truth[names[j]], 300, 0.2));
      }
      const fit = fitRatings(results, 'p0', { priorDraws: 0 });
      for (const r of fit.ratings) {
        if (r.name === 'p0') continue;
        total++;
        if (truth[r.name] >= r.ci95[0] && truth[r.name] <= r.ci95[1]) inside++;
        maxError = Math.max(maxError, Math.abs(r.elo - truth[r.name]));
      }
    }
    // Nominal 95%; the half-win likelihood overstates the variance when there are draws, so
    // coverage is at least nominal. 120 intervals: below 88% would be far outside sampling noise.
    expect(inside / total).toBeGreaterThan(0.88);
    expect(maxError).toBeLessThan(120);
  });

  it('refuses players with no games linking them to the anchor, naming them', () => {
    const results = [
      { a: 'A', b: 'B', aWins: 3, draws: 1, bWins: 2 },
      { a: 'C', b: 'D', aWins: 3, draws: 1, bWins: 2 },
    ];
    expect(() => fitRatings(results, 'A')).toThrow(/no games link C, D to the anchor A/);
    expect(() => fitRatings(results, 'Z')).toThrow(/anchor "Z" has no games; choose one of: A, B, C, D/);
  });

  it('without a prior refuses an all-win record (infinite MLE); with virtual draws it stays finite', () => {
    const results = [{ a: 'A', b: 'B', aWins: 10, draws: 0, bWins: 0 }];
    expect(() => fitRatings(results, 'B', { priorDraws: 0 })).toThrow(/infinite/);
    const fit = fitRatings(results, 'B');
    // One virtual draw: 10.5 of 11 points.
    expect(fit.ratings[0].elo).toBeCloseTo(eloFromScore(10.5 / 11), 6);
  });

  it('tallyPairs folds per-game scores into pair counts from the first listed side', () => {
    const pairs = tallyPairs([
      { a: 'x', b: 'y', score: 1 },
      { a: 'y', b: 'x', score: 1 },
      { a: 'x', b: 'y', score: 0.5 },
    ]);
    expect(pairs).toEqual([{ a: 'x', b: 'y', aWins: 1, draws: 1, bWins: 1 }]);
  });
});
