import { describe, expect, it } from 'vitest';
import { scoreFromElo, sprt, SprtTest, type SprtParams } from '../../src/arena/index.js';
import { sprtBounds, sprtLlr } from '../../src/arena/sprt.js';
import { createRng } from '../../src/core/index.js';

/** Runs one SPRT on simulated games of true strength `elo` (draws at `drawRate`) until it decides. */
function runOnce(params: SprtParams, elo: number, drawRate: number, seed: string): { decision: string; games: number } {
  const rng = createRng(seed);
  const e = scoreFromElo(elo);
  const win = e - drawRate / 2;
  const test = new SprtTest(params);
  for (let games = 1; games <= 100_000; games++) {
    const u = rng.next();
    const status = test.add(u < win ? 1 : u < win + drawRate ? 0.5 : 0);
    if (status.decision !== 'continue') return { decision: status.decision, games };
  }
  return { decision: 'continue', games: 100_000 };
}

describe('SPRT', () => {
  it("uses Wald's bounds: alpha = beta = 0.05 gives ±log(19) = ±2.944 (fishtest's -2.94/2.94)", () => {
    const b = sprtBounds({ elo0: 0, elo1: 5, alpha: 0.05, beta: 0.05 });
    expect(b.upper).toBeCloseTo(Math.log(19), 10);
    expect(b.upper).toBeCloseTo(2.944, 3);
    expect(b.lower).toBeCloseTo(-2.944, 3);
  });

  it('the GSPRT LLR agrees with the normal approximation N (s1-s0)(2s-s0-s1) / (2 var) for small Elo', () => {
    const w = 1100;
    const d = 2000;
    const l = 900;
    const n = w + d + l;
    const s = (w + d / 2) / n;
    const variance = (w * (1 - s) ** 2 + d * (0.5 - s) ** 2 + l * s ** 2) / n;
    const s0 = scoreFromElo(0);
    const s1 = scoreFromElo(5);
    const approx = (n * (s1 - s0) * (2 * s - s0 - s1)) / (2 * variance);
    const exact = sprtLlr({ wins: w, draws: d, losses: l }, 0, 5);
    expect(exact).toBeGreaterThan(0);
    expect(Math.abs(exact - approx) / Math.abs(approx)).toBeLessThan(0.01);
  });

  it('is zero with no games, and antisymmetric in the sense that swapping sides and hypotheses flips the sign', () => {
    expect(sprtLlr({ wins: 0, draws: 0, losses: 0 }, 0, 10)).toBe(0);
    const r = sprtLlr({ wins: 30, draws: 40, losses: 20 }, 0, 20);
    const swapped = sprtLlr({ wins: 20, draws: 40, losses: 30 }, -20, 0);
    expect(swapped).toBeCloseTo(-r, 6);
  });

  it('decides H1 on an all-win start without blowing up (zero counts are regularised)', () => {
    const s = sprt({ elo0: 0, elo1: 50, alpha: 0.05, beta: 0.05 }, { wins: 40, draws: 0, losses: 0 });
    expect(Number.isFinite(s.llr)).toBe(true);
    expect(s.decision).toBe('H1');
  });

  it('rejects bad parameters with a message naming the fix', () => {
    expect(() => new SprtTest({ elo0: 10, elo1: 0, alpha: 0.05, beta: 0.05 })).toThrow(/elo1 > elo0/);
    expect(() => new SprtTest({ elo0: 0, elo1: 10, alpha: 0.7, beta: 0.05 })).toThrow(/alpha=0.7 must lie in \(0, 0.5\)/);
  });

  it('has the error rates it promises, by simulation (elo0=0, elo1=40, alpha=beta=0.05, 30% draws)', () => {
    const params = { elo0: 0, elo1: 40, alpha: 0.05, beta: 0.05 };
    const runs = 500;
    const rate = (elo: number, want: string) => {
      let hits = 0;
      let games = 0;
      for (let k = 0; k < runs; k++) {
        const r = runOnce(params, elo, 0.3, `sprt-${elo}-${k}`);
        if (r.decision === want) hits++;
        games += r.games;
      }
      return { rate: hits / runs, meanGames: games / runs };
    };
    const h0 = rate(0, 'H0');
    const h1 = rate(40, 'H1');
    // 1 - alpha = 0.95; sd of the estimate over 500 runs is 0.01, and SPRT overshoot makes it conservative.
    expect(h0.rate).toBeGreaterThan(0.95 - 0.03);
    expect(h1.rate).toBeGreaterThan(0.95 - 0.03);
    // The test is not trivially "always accept": at the midpoint it splits about evenly.
    const mid = rate(20, 'H1');
    expect(mid.rate).toBeGreaterThan(0.3);
    expect(mid.rate).toBeLessThan(0.7);
    // And it stops early: far fewer games than a fixed-length test of the same power (~800).
    expect(h1.meanGames).toBeLessThan(600);
  });
});
