import { registerAgent, registerModelLoader } from '../core/index.js';
import { programAgent } from './agent.js';
import { programModelLoader } from './evaluator.js';
import { basicPrimitives } from './primitives/basic.js';
import { extraPrimitiveFactories, extraPrimitives } from './primitives/index.js';
import { registerPrimitiveFactories, registerPrimitives } from './registry.js';

// Importing src/programs registers: the primitives and the factories of the network-bound ones
// (`net-value`, `pattern-at`, ...; in this thread's registries), the `program`
// agent kind and the `program:` evaluator scheme (`mcts:eval=program:FILE`). The origin URL lets
// arena worker threads import this module and see the same kinds.
registerPrimitives([...basicPrimitives, ...extraPrimitives]);
registerPrimitiveFactories(extraPrimitiveFactories);
registerAgent(programAgent, import.meta.url);
registerModelLoader(programModelLoader, import.meta.url);
