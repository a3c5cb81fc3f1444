/**
 * The primitives of the agent language beyond the basic ones (basic.ts): board features, lines
 * and threats, one-move tactics, bounded solve, alpha-beta, rollouts and MCTS over a value
 * function. Each group lives in its own file; the registry adds them all from here.
 * docs/programs-primitives.md lists them with their signatures.
 */
import type { Primitive } from '../types.js';
import { featurePrimitives } from './features.js';
import { linePrimitives } from './lines.js';
import { lookaheadPrimitives } from './lookahead.js';
import { mctsPrimitives } from './mcts.js';
import { rolloutPrimitives } from './rollouts.js';
import { solvePrimitives } from './solve.js';
import { tacticPrimitives } from './tactics.js';

export { featurePrimitives, linePrimitives, lookaheadPrimitives, mctsPrimitives, rolloutPrimitives, solvePrimitives, tacticPrimitives };
export { ValueFunctionEvaluator } from './mcts.js';
export { boardView, winLength, BoardView } from './board-view.js';

export const extraPrimitives: readonly Primitive[] = [
  ...linePrimitives,
  ...tacticPrimitives,
  ...featurePrimitives,
  ...solvePrimitives,
  ...lookaheadPrimitives,
  ...rolloutPrimitives,
  ...mctsPrimitives,
];
