/** Public face of the agents layer: spec strings -> agents. */
export * from './types.js';
export * from './registry.js';
export { registerBuiltinAgents } from './builtins.js';
