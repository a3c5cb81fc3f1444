import { bgioMctsAgent } from './bgio-mcts.js';
import { greedyAgent } from './greedy.js';
import { randomAgent } from './random.js';
import { registerAgent } from './registry.js';

let registered = false;

/** Registers the built-in agents once (on import of the agents index). */
export function registerBuiltinAgents(): void {
  if (registered) return;
  registered = true;
  registerAgent(randomAgent);
  registerAgent(greedyAgent);
  registerAgent(bgioMctsAgent);
}

registerBuiltinAgents();
