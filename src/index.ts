/**
 * arbor's main entry: games, agents and search. The heavier layers have their own subpaths so
 * importing arbor does not load tfjs or ONNX Runtime: `arbor/networks`, `arbor/arena`,
 * `arbor/solvers`, `arbor/selfplay`, `arbor/boardgameio`.
 */
export * from './envs/index.js';
export * from './agents/index.js';
export * from './mcts/index.js';
