/**
 * Public face of the core layer: what every other layer shares and nothing else. The core
 * imports from no other folder of arbor.
 */
export { ArborError, isArborError } from './errors.js';
export { createRng, deriveSeed, freshSeed, type Rng } from './rng.js';
export {
  parseSpec,
  defineParams,
  resolveParams,
  formatSpec,
  describeParams,
  type ParsedSpec,
  type ParamDef,
  type ParamDefs,
  type ParamDescription,
  type ParamValues,
  type ResolveParamsOptions,
} from './spec.js';
export { Registry, closestName, editDistance, unknownNameMessage } from './registry.js';
export { legalActionList, encodedSize, type ActionLayout, type ActionPlane, type BoardShape, type Game, type State, type Symmetry } from './game.js';
export {
  agentKinds,
  registerAgent,
  defineAgent,
  agentDefinitions,
  validateAgentSpec,
  upgradeAgentSpec,
  expandPositionalOption,
  createAgent,
  type Agent,
  type AgentContext,
  type AgentDefinition,
  type MoveClock,
} from './agent.js';
export { modelLoaders, registerModelLoader, loadModel, modelScheme, type Evaluator, type ModelLoader, type ModelLoadOptions } from './evaluator.js';
export { writeFileAtomic, writeFileAtomicSync } from './files.js';
export { compiledWorkerUrl } from './worker-url.js';
export { defaultWorkers } from './workers.js';
