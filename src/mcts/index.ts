/** Public face of the search layer: tree search over the Game/State interface. */
export { Search, ACTION_UNPROVEN, type SearchResult, type SearchStats } from './search.js';
export { resolveSearchOptions, DEFAULT_SEARCH_OPTIONS, type SearchOptions, type SearchOptionsInput } from './options.js';
export { resolveBudget, type Budget } from './budget.js';
export type { Evaluator } from '../core/index.js';
export { UniformEvaluator, RolloutEvaluator, writeUniformPolicy } from './evaluator.js';
export { CachedEvaluator } from './cache.js';
export { BatchingEvaluator, type BatchingClient } from './batching.js';
export { selectMove } from './move-selection.js';
export { Tree, BYTES_PER_NODE } from './tree.js';
export { PROVEN_NONE, PROVEN_LOSS, PROVEN_DRAW, PROVEN_WIN, provenCode, provenValue } from './proven.js';
export { PuctRule } from './puct.js';
export { UctRule } from './uct.js';
export { GumbelRoot, GumbelInteriorRule, consideredVisitSequence } from './gumbel.js';
export { completedScaledQ } from './qtransforms.js';
export { sampleDirichlet, sampleGumbel } from './noise.js';
export type { SelectionRule } from './rules.js';
export type { RootPolicy } from './root.js';
