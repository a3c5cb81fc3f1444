import { bgioMctsAgent } from './bgio-mcts.js';
import { greedyAgent } from './greedy.js';
import { gumbelAgent, mctsAgent } from './mcts.js';
import { randomAgent } from './random.js';
import { registerAgent } from './registry.js';
import { solverAgent } from './solver.js';
import { uctAgent } from './uct.js';

let registered = false;

/** Registers the built-in agents once (on import of the agents index). */
export function registerBuiltinAgents(): void {
  if (registered) return;
  registered = true;
  registerAgent(randomAgent);
  registerAgent(greedyAgent);
  registerAgent(bgioMctsAgent);
  registerAgent(uctAgent);
  registerAgent(mctsAgent);
  registerAgent(gumbelAgent);
  registerAgent(solverAgent);
}

registerBuiltinAgents();
