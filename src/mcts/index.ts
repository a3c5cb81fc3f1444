/**
 * Public face of the search layer: tree search over the Game/State interface, the evaluators it
 * runs without a network, and the wrappers that cache and batch evaluations. The parts the search
 * is assembled from (selection rules, root policies, Q transforms, noise) stay in their own files.
 */
export { Search, ACTION_UNPROVEN, type SearchResult, type SearchStats } from './search.js';
export { DEFAULT_SEARCH_OPTIONS, type SearchOptions, type SearchOptionsInput } from './options.js';
export type { RunOverrides } from './run-overrides.js';
export type { Budget } from './budget.js';
export type { Evaluator } from '../core/index.js';
export { UniformEvaluator, RolloutEvaluator, writeUniformPolicy } from './evaluator.js';
export { CachedEvaluator } from './cache.js';
export { BatchingEvaluator, type BatchingClient } from './batching.js';
export { selectMove } from './move-selection.js';
export { Tree, BYTES_PER_NODE } from './tree.js';
export { PROVEN_NONE, PROVEN_LOSS, PROVEN_DRAW, PROVEN_WIN, provenCode, provenValue } from './proven.js';
