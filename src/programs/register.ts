import { registerAgent, registerModelLoader } from '../core/index.js';
import { programAgent } from './agent.js';
import { programModelLoader } from './evaluator.js';
import { basicPrimitives } from './primitives/basic.js';
import { extraPrimitives } from './primitives/index.js';
import { registerPrimitives } from './registry.js';

// Importing src/programs registers: the primitives (in this thread's registry), the `program`
// agent kind and the `program:` evaluator scheme (`mcts:eval=program:FILE`). The origin URL lets
// arena worker threads import this module and see the same kinds.
registerPrimitives([...basicPrimitives, ...extraPrimitives]);
registerAgent(programAgent, import.meta.url);
registerModelLoader(programModelLoader, import.meta.url);
