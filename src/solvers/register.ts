import { registerAgent } from '../core/index.js';
import { solverAgent } from './solver-agent.js';

// The `solver` agent kind: perfect play where the game has an exact solver.
registerAgent(solverAgent, import.meta.url);
