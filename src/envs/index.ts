/** Public face of the games layer: the interface, the registry and the built-in games. */
export * from './types.js';
export * from './errors.js';
export * from './rng.js';
export * from './spec.js';
export * from './registry.js';
export * from './symmetry.js';
export * from './notation.js';
export * from './zobrist.js';
export { registerBuiltinGames } from './builtins.js';
export * from './conformance.js';
export * from './perft.js';
