import { ArborError } from '../core/index.js';
import { scoreFromElo } from './ratings.js';

/**
 * Sequential probability ratio test for "is A stronger than B by elo1 rather than elo0?", on
 * trinomial results (win/draw/loss of A), as fishtest (the Stockfish testing framework) runs it.
 *
 * It is a generalised SPRT (GSPRT): the draw rate is a nuisance parameter, so each hypothesis
 * "expected score = s" is represented by the maximum-likelihood trinomial distribution whose mean
 * score is s (M. Van den Bergh, "A practical introduction to the GSPRT", the note behind
 * fishtest's stat_util). For empirical frequencies p̂_k of outcomes with scores a_k in {0, ½, 1},
 * that distribution is p_k = p̂_k / (1 + θ (a_k − s)) with θ the root of
 * Σ p̂_k (a_k − s) / (1 + θ (a_k − s)) = 0, and
 *   LLR = N Σ p̂_k log(p1_k / p0_k).
 * Wald's bounds: accept H1 when LLR ≥ log((1−β)/α), accept H0 when LLR ≤ log(β/(1−α)).
 * elo0/elo1 are logistic Elo (expected score 1 / (1 + 10^(−elo/400))). Zero counts are replaced
 * by a small positive count before the fit, as fishtest does, so that early all-win runs give a
 * finite LLR.
 */

export interface SprtParams {
  readonly elo0: number;
  readonly elo1: number;
  /** Probability of accepting H1 when H0 is true. */
  readonly alpha: number;
  /** Probability of accepting H0 when H1 is true. */
  readonly beta: number;
}

export type SprtDecision = 'H0' | 'H1' | 'continue';

export interface SprtStatus {
  readonly llr: number;
  readonly lower: number;
  readonly upper: number;
  readonly decision: SprtDecision;
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
}

export interface Trinomial {
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
}

const OUTCOME_SCORES = [0, 0.5, 1] as const;
/** Stand-in for an outcome not seen yet (fishtest regularises zero counts the same way). */
const ZERO_COUNT = 1e-3;

export function validateSprtParams(p: SprtParams): void {
  const bad = (what: string) => {
    throw new ArborError(`SPRT ${what}`);
  };
  if (!Number.isFinite(p.elo0) || !Number.isFinite(p.elo1)) bad(`elo0 and elo1 must be numbers (got ${p.elo0}, ${p.elo1})`);
  if (!(p.elo1 > p.elo0)) bad(`needs elo1 > elo0 (got elo0=${p.elo0}, elo1=${p.elo1}); e.g. elo0=0, elo1=10`);
  for (const [name, v] of [['alpha', p.alpha], ['beta', p.beta]] as const) {
    if (!(v > 0 && v < 0.5)) bad(`${name}=${v} must lie in (0, 0.5), e.g. 0.05`);
  }
}

/** Wald's stopping bounds on the LLR. */
export function sprtBounds(p: SprtParams): { lower: number; upper: number } {
  return { lower: Math.log(p.beta / (1 - p.alpha)), upper: Math.log((1 - p.beta) / p.alpha) };
}

/** The GSPRT log-likelihood ratio of H1 (elo1) against H0 (elo0) for the given results. */
export function sprtLlr(results: Trinomial, elo0: number, elo1: number): number {
  const counts = [results.losses, results.draws, results.wins].map((c) => (c > 0 ? c : ZERO_COUNT));
  const total = counts[0] + counts[1] + counts[2];
  if (results.wins + results.draws + results.losses === 0) return 0;
  const freq = counts.map((c) => c / total);
  const t0 = constrainedTheta(freq, scoreFromElo(elo0));
  const t1 = constrainedTheta(freq, scoreFromElo(elo1));
  const s0 = scoreFromElo(elo0);
  const s1 = scoreFromElo(elo1);
  let llr = 0;
  for (let k = 0; k < 3; k++) {
    // log(p1_k / p0_k) with p_k = p̂_k / (1 + θ (a_k − s))
    llr += freq[k] * (Math.log1p(t0 * (OUTCOME_SCORES[k] - s0)) - Math.log1p(t1 * (OUTCOME_SCORES[k] - s1)));
  }
  return total * llr;
}

/**
 * θ such that the tilted distribution p̂_k / (1 + θ (a_k − s)) has mean score s. The left side
 * Σ p̂_k d_k / (1 + θ d_k) (d_k = a_k − s) decreases in θ on the interval where every
 * 1 + θ d_k > 0, i.e. θ ∈ (−1/(1−s), 1/s); bisection finds the root to machine precision.
 */
function constrainedTheta(freq: readonly number[], s: number): number {
  const f = (theta: number) => {
    let sum = 0;
    for (let k = 0; k < 3; k++) {
      const d = OUTCOME_SCORES[k] - s;
      sum += (freq[k] * d) / (1 + theta * d);
    }
    return sum;
  };
  let lo = -1 / (1 - s);
  let hi = 1 / s;
  const margin = 1e-12;
  lo += margin * Math.abs(lo);
  hi -= margin * Math.abs(hi);
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > 0) lo = mid;
    else hi = mid;
    if (hi - lo <= 1e-15 * Math.max(1, Math.abs(mid))) break;
  }
  return (lo + hi) / 2;
}

/** One-shot SPRT evaluation of a set of results. */
export function sprt(params: SprtParams, results: Trinomial): SprtStatus {
  validateSprtParams(params);
  const { lower, upper } = sprtBounds(params);
  const llr = sprtLlr(results, params.elo0, params.elo1);
  const decision: SprtDecision = llr >= upper ? 'H1' : llr <= lower ? 'H0' : 'continue';
  return { llr, lower, upper, decision, wins: results.wins, draws: results.draws, losses: results.losses };
}

/** An SPRT fed one game at a time; `decision` sticks once a bound is crossed. */
export class SprtTest {
  readonly params: SprtParams;
  private wins = 0;
  private draws = 0;
  private losses = 0;
  private decided: SprtDecision = 'continue';

  constructor(params: SprtParams) {
    validateSprtParams(params);
    this.params = params;
  }

  /** Adds one game from A's side: score 1 (win), 0.5 (draw) or 0 (loss). Returns the status. */
  add(score: number): SprtStatus {
    if (score === 1) this.wins++;
    else if (score === 0) this.losses++;
    else if (score === 0.5) this.draws++;
    else throw new ArborError(`SPRT score ${score} must be 1, 0.5 or 0`);
    const status = this.status();
    if (this.decided === 'continue') this.decided = status.decision;
    return status;
  }

  /** The first decision reached ('continue' while none). */
  get decision(): SprtDecision {
    return this.decided;
  }

  status(): SprtStatus {
    const s = sprt(this.params, { wins: this.wins, draws: this.draws, losses: this.losses });
    return { ...s, decision: this.decided === 'continue' ? s.decision : this.decided };
  }
}
