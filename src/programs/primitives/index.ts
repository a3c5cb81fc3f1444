/**
 * The primitives of the agent language beyond the basic ones (basic.ts): board features, lines
 * and threats, one-move tactics, bounded solve, alpha-beta, rollouts and MCTS over a value
 * function; and the geometric ones, which name a network or stem in the program text and are
 * therefore factories prepared before the program runs (types.ts PrimitiveFactory). Each group
 * lives in its own file; the registry adds them all from here.
 * docs/programs-primitives.md lists them with their signatures.
 */
import type { Primitive, PrimitiveFactory } from '../types.js';
import { featurePrimitives } from './features.js';
import { linePrimitives } from './lines.js';
import { lookaheadPrimitives } from './lookahead.js';
import { mctsPrimitives } from './mcts.js';
import { networkPrimitiveFactories } from './network.js';
import { patternPrimitiveFactories } from './patterns.js';
import { rolloutPrimitives } from './rollouts.js';
import { solvePrimitives } from './solve.js';
import { tacticPrimitives } from './tactics.js';

export { featurePrimitives, linePrimitives, lookaheadPrimitives, mctsPrimitives, rolloutPrimitives, solvePrimitives, tacticPrimitives };
export { networkPrimitiveFactories, patternPrimitiveFactories };
export { ValueFunctionEvaluator } from './mcts.js';
export { SyncNetwork, loadSyncNetwork } from './network.js';
export { PatternDetector, loadPatternDetector, stemFilters, type StemFilters } from './patterns.js';
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

/** The primitives that name a network or stem: prepared once per reference and game, then called like the rest. */
export const extraPrimitiveFactories: readonly PrimitiveFactory[] = [...networkPrimitiveFactories, ...patternPrimitiveFactories];
