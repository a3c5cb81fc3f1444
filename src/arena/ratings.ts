import { ArborError } from '../core/index.js';

/**
 * Bradley-Terry ratings on the Elo scale, fitted by maximum likelihood.
 *
 * Model: P(i beats j) = 1 / (1 + 10^(-(r_i - r_j) / 400)) (Bradley & Terry 1952 with Elo's
 * logistic base-10 scale). Draws count as half a win for each side (the "draw = half win"
 * convention of Elo's expected score; it keeps the expected score of the model equal to the
 * observed score, and is what BayesElo's and Ordo's simple modes do). The likelihood is then
 *   log L = sum over ordered pairs (i, j) of W_ij * log P(i beats j),  W_ij = wins_ij + draws_ij / 2.
 *
 * The maximum is found by Newton-Raphson with the anchor's rating held fixed; the 95% intervals
 * come from the observed Fisher information (the negated Hessian of log L at the maximum,
 * anchor row/column removed): se_i = sqrt([I^-1]_ii). They are intervals relative to the anchor,
 * which is exact (interval [anchorElo, anchorElo]).
 *
 * A player who won (or lost) every game has no finite maximum-likelihood rating (Zermelo 1929;
 * Ford 1957: the MLE exists iff the "beat" graph is strongly connected). As in Coulom's BayesElo,
 * `priorDraws` virtual draws are added to every pair that played (default 1), which keeps every
 * rating finite and shrinks ratings from few games slightly towards each other; with
 * `priorDraws: 0` the fit is pure maximum likelihood and refuses data where the MLE does not exist.
 */

/** Results between two players, as counted from `a`'s side. */
export interface PairResult {
  readonly a: string;
  readonly b: string;
  readonly aWins: number;
  readonly draws: number;
  readonly bWins: number;
}

export interface Rating {
  readonly name: string;
  readonly elo: number;
  /** 95% confidence interval, relative to the anchor. */
  readonly ci95: readonly [number, number];
  /** Standard error in Elo (0 for the anchor). */
  readonly se: number;
  readonly games: number;
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
}

export interface FitOptions {
  /** Rating given to the anchor (default 0). */
  readonly anchorElo?: number;
  /** Virtual draws added to every pair that played (default 1; 0 = pure maximum likelihood). */
  readonly priorDraws?: number;
  /** Order of the output (default: order of first appearance). Every name must have played. */
  readonly players?: readonly string[];
}

export interface RatingFit {
  readonly anchor: string;
  readonly ratings: readonly Rating[];
  /** Covariance of the ratings in Elo^2 (relative to the anchor), indexed like `ratings`. */
  readonly covariance: readonly (readonly number[])[];
  /** Newton iterations used. */
  readonly iterations: number;
}

/** Natural-log logistic scale <-> Elo points: x = r * ln(10) / 400. */
const ELO_PER_NAT = 400 / Math.LN10;
/** Two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

export function eloFromScore(score: number): number {
  return -400 * Math.log10(1 / score - 1);
}

export function scoreFromElo(elo: number): number {
  return 1 / (1 + Math.pow(10, -elo / 400));
}

export function fitRatings(results: readonly PairResult[], anchor: string, options: FitOptions = {}): RatingFit {
  const anchorElo = options.anchorElo ?? 0;
  const priorDraws = options.priorDraws ?? 1;
  if (!(priorDraws >= 0)) throw new ArborError(`priorDraws ${priorDraws} must be >= 0`);

  const names: string[] = [];
  const index = new Map<string, number>();
  const add = (name: string) => {
    if (!index.has(name)) {
      index.set(name, names.length);
      names.push(name);
    }
  };
  for (const name of options.players ?? []) add(name);
  for (const r of results) {
    if (r.a === r.b) throw new ArborError(`a result pairs "${r.a}" with itself; ratings need two different players`);
    for (const v of [r.aWins, r.draws, r.bWins]) {
      if (!(v >= 0)) throw new ArborError(`result ${r.a} vs ${r.b} has a negative or missing count (${v})`);
    }
    add(r.a);
    add(r.b);
  }
  const anchorIndex = index.get(anchor);
  if (anchorIndex === undefined) {
    throw new ArborError(`anchor "${anchor}" has no games; choose one of: ${names.join(', ') || '(no players)'}`);
  }
  const n = names.length;
  // wins[i][j]: effective wins of i over j (draws as halves); tally: real W/D/L per player.
  const wins = Array.from({ length: n }, () => new Float64Array(n));
  const played = Array.from({ length: n }, () => new Uint8Array(n));
  const tally = names.map(() => ({ wins: 0, draws: 0, losses: 0 }));
  for (const r of results) {
    const i = index.get(r.a)!;
    const j = index.get(r.b)!;
    wins[i][j] += r.aWins + r.draws / 2;
    wins[j][i] += r.bWins + r.draws / 2;
    if (r.aWins + r.draws + r.bWins > 0) played[i][j] = played[j][i] = 1;
    tally[i].wins += r.aWins;
    tally[i].draws += r.draws;
    tally[i].losses += r.bWins;
    tally[j].wins += r.bWins;
    tally[j].draws += r.draws;
    tally[j].losses += r.aWins;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (played[i][j]) wins[i][j] += priorDraws / 2;
  }
  checkIdentifiable(names, wins, played, anchorIndex, priorDraws);

  // Free parameters: every player but the anchor. x in nats; the anchor sits at 0.
  const free = names.map((_, i) => i).filter((i) => i !== anchorIndex);
  const m = free.length;
  const x = new Float64Array(n);
  const logLik = (xs: Float64Array): number => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (wins[i][j] > 0) total -= wins[i][j] * Math.log1p(Math.exp(xs[j] - xs[i]));
      }
    }
    return total;
  };
  /** Negated Hessian (observed information) and gradient over the free parameters. */
  const derivatives = (xs: Float64Array) => {
    const grad = new Float64Array(m);
    const info = Array.from({ length: m }, () => new Float64Array(m));
    const pos = new Int32Array(n).fill(-1);
    free.forEach((p, k) => (pos[p] = k));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const games = wins[i][j] + wins[j][i];
        if (games === 0) continue;
        const p = 1 / (1 + Math.exp(xs[j] - xs[i]));
        const g = wins[i][j] - games * p;
        const h = games * p * (1 - p);
        const a = pos[i];
        const b = pos[j];
        if (a >= 0) {
          grad[a] += g;
          info[a][a] += h;
        }
        if (b >= 0) {
          grad[b] -= g;
          info[b][b] += h;
        }
        if (a >= 0 && b >= 0) {
          info[a][b] -= h;
          info[b][a] -= h;
        }
      }
    }
    return { grad, info };
  };

  let iterations = 0;
  let current = logLik(x);
  for (; iterations < 100; iterations++) {
    const { grad, info } = derivatives(x);
    const step = solve(info, grad);
    let scale = 1;
    let next = new Float64Array(x);
    let value = current;
    // Damped Newton: the log-likelihood is concave, so halving the step always finds an ascent.
    for (let tries = 0; tries < 40; tries++) {
      next = new Float64Array(x);
      for (let k = 0; k < m; k++) next[free[k]] += scale * step[k];
      value = logLik(next);
      if (value >= current - 1e-12) break;
      scale /= 2;
    }
    let maxStep = 0;
    for (let k = 0; k < m; k++) maxStep = Math.max(maxStep, Math.abs(scale * step[k]));
    x.set(next);
    current = value;
    if (maxStep < 1e-10) break;
  }
  const { info } = derivatives(x);
  const cov = invert(info);
  const covariance = names.map(() => new Array<number>(n).fill(0));
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) covariance[free[a]][free[b]] = cov[a][b] * ELO_PER_NAT * ELO_PER_NAT;
  }
  const ratings: Rating[] = names.map((name, i) => {
    const elo = anchorElo + x[i] * ELO_PER_NAT;
    const se = Math.sqrt(Math.max(0, covariance[i][i]));
    const t = tally[i];
    return {
      name,
      elo,
      ci95: [elo - Z95 * se, elo + Z95 * se] as const,
      se,
      games: t.wins + t.draws + t.losses,
      wins: t.wins,
      draws: t.draws,
      losses: t.losses,
    };
  });
  return { anchor, ratings, covariance, iterations };
}

/**
 * Every player must be linked to the anchor by games (else its rating is undefined), and with
 * no prior the "beat" graph must be strongly connected (else some rating is infinite).
 */
function checkIdentifiable(names: string[], wins: Float64Array[], played: Uint8Array[], anchor: number, priorDraws: number): void {
  const n = names.length;
  const reach = (edge: (i: number, j: number) => boolean): boolean[] => {
    const seen = new Array<boolean>(n).fill(false);
    const stack = [anchor];
    seen[anchor] = true;
    while (stack.length) {
      const i = stack.pop()!;
      for (let j = 0; j < n; j++) {
        if (!seen[j] && edge(i, j)) {
          seen[j] = true;
          stack.push(j);
        }
      }
    }
    return seen;
  };
  const linked = reach((i, j) => played[i][j] === 1);
  const loose = names.filter((_, i) => !linked[i]);
  if (loose.length) {
    throw new ArborError(`no games link ${loose.join(', ')} to the anchor ${names[anchor]}; play them against rated agents first`);
  }
  if (priorDraws > 0) return;
  const down = reach((i, j) => wins[i][j] > 0);
  const up = reach((i, j) => wins[j][i] > 0);
  const unbounded = names.filter((_, i) => !down[i] || !up[i]);
  if (unbounded.length) {
    throw new ArborError(
      `ratings of ${unbounded.join(', ')} are infinite (they won or lost every game against the rest); use priorDraws > 0 or play more games`,
    );
  }
}

/** Solves A x = b for a small symmetric positive-definite A (Gaussian elimination, partial pivoting). */
function solve(a: readonly Float64Array[], b: Float64Array): Float64Array {
  const m = b.length;
  const rows = a.map((row, i) => {
    const r = new Float64Array(m + 1);
    r.set(row);
    r[m] = b[i];
    return r;
  });
  eliminate(rows, m);
  return Float64Array.from(rows, (r) => r[m]);
}

function invert(a: readonly Float64Array[]): number[][] {
  const m = a.length;
  const rows = a.map((row, i) => {
    const r = new Float64Array(2 * m);
    r.set(row);
    r[m + i] = 1;
    return r;
  });
  eliminate(rows, m);
  return rows.map((r) => Array.from(r.subarray(m)));
}

/** Gauss-Jordan on an augmented matrix whose first m columns are square. */
function eliminate(rows: Float64Array[], m: number): void {
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(rows[r][col]) > Math.abs(rows[pivot][col])) pivot = r;
    [rows[col], rows[pivot]] = [rows[pivot], rows[col]];
    const p = rows[col][col];
    if (Math.abs(p) < 1e-300) throw new Error('singular information matrix in the rating fit');
    for (let k = 0; k < rows[col].length; k++) rows[col][k] /= p;
    for (let r = 0; r < m; r++) {
      if (r === col) continue;
      const f = rows[r][col];
      if (f === 0) continue;
      for (let k = 0; k < rows[r].length; k++) rows[r][k] -= f * rows[col][k];
    }
  }
}

/** Sums per-game scores (1 win, 0.5 draw, 0 loss for `a`) into pair results, keyed by (a, b). */
export function tallyPairs(games: readonly { readonly a: string; readonly b: string; readonly score: number }[]): PairResult[] {
  const byPair = new Map<string, { a: string; b: string; aWins: number; draws: number; bWins: number }>();
  for (const g of games) {
    const flip = byPair.has(`${g.b}\u0000${g.a}`);
    const key = flip ? `${g.b}\u0000${g.a}` : `${g.a}\u0000${g.b}`;
    let entry = byPair.get(key);
    if (!entry) {
      entry = { a: g.a, b: g.b, aWins: 0, draws: 0, bWins: 0 };
      byPair.set(key, entry);
    }
    const score = flip ? 1 - g.score : g.score;
    if (score === 1) entry.aWins++;
    else if (score === 0) entry.bWins++;
    else entry.draws++;
  }
  return [...byPair.values()];
}
