import { ArborError } from '../core/index.js';

/**
 * The figures of a transfer measurement, computed from two strength-vs-games curves measured at
 * the same self-play game counts. The measures follow the transfer-learning literature's usual
 * three (Taylor & Stone, JMLR 2009, "Transfer Learning for Reinforcement Learning Domains: A
 * Survey", section 3): the jumpstart (strength before any target training), the time to
 * threshold (target games until a strength is first reached; the ratio of the two arms is the
 * speed-up) and the area under the learning curve (here over log games, so the early games,
 * where a warm start matters most, weigh as much as the late ones).
 */

/** Strength of a network after `games` self-play games of the target game (strength in [0, 1]). */
export interface CurvePoint {
  games: number;
  strength: number;
}

/**
 * The iterations at which a run is measured: 0 (the initial network), then 1, 2, 4, 8...
 * iterations, and the last one (`iterations`) even when it is no power of two.
 */
export function measureIterations(iterations: number): number[] {
  if (!(Number.isInteger(iterations) && iterations >= 0)) throw new ArborError(`iterations ${iterations} must be a whole number >= 0`);
  const points = [0];
  for (let i = 1; i <= iterations; i *= 2) points.push(i);
  if (points[points.length - 1] !== iterations) points.push(iterations);
  return points;
}

/** Whether an iteration is one `measureIterations` measures, for a run whose length is not known yet (a time budget). */
export function isPowerOfTwo(iteration: number): boolean {
  return iteration >= 1 && (iteration & (iteration - 1)) === 0;
}

/** The game count of the first point whose strength reaches `threshold` (>=), or null if none does. */
export function firstCrossing(curve: readonly CurvePoint[], threshold: number): number | null {
  for (const p of curve) if (p.strength >= threshold) return p.games;
  return null;
}

/**
 * How many times fewer target games the transfer arm needed to reach the threshold:
 * scratch / transfer. Null when either arm never reached it, or when the transfer arm reached
 * it with 0 games (the warm start alone; the ratio is unbounded then).
 */
export function gamesRatio(scratchGames: number | null, transferGames: number | null): number | null {
  if (scratchGames === null || transferGames === null || transferGames === 0) return null;
  return scratchGames / transferGames;
}

/**
 * The x coordinate of a game count on the log axis: log2(1 + games / unit), with `unit` the
 * games of one iteration, so 0 games sit at 0 and 1, 3, 7... iterations at 1, 2, 3...
 */
export function logGames(games: number, unit: number): number {
  return Math.log2(1 + games / unit);
}

/**
 * The area under a strength curve over the log axis (trapezoids), divided by the axis span: the
 * mean strength over log games, in [0, 1]. A single point gives its strength. The points must be
 * in increasing order of games.
 */
export function logArea(curve: readonly CurvePoint[], unit: number): number {
  if (curve.length === 0) throw new ArborError('a strength curve needs at least one point');
  if (!(unit > 0)) throw new ArborError(`the games unit ${unit} must be positive`);
  if (curve.length === 1) return curve[0].strength;
  let area = 0;
  for (let i = 1; i < curve.length; i++) {
    const x0 = logGames(curve[i - 1].games, unit);
    const x1 = logGames(curve[i].games, unit);
    if (!(x1 > x0)) throw new ArborError(`strength curve points must have increasing game counts (${curve[i - 1].games} then ${curve[i].games})`);
    area += ((curve[i - 1].strength + curve[i].strength) / 2) * (x1 - x0);
  }
  return area / (logGames(curve[curve.length - 1].games, unit) - logGames(curve[0].games, unit));
}
