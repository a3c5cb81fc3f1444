import { registerAgent } from '../core/index.js';
import { greedyAgent } from './greedy.js';
import { gumbelAgent, mctsAgent } from './mcts.js';
import { randomAgent } from './random.js';
import { uctAgent } from './uct.js';

let registered = false;

/** Registers this layer's agent kinds once (on import of the agents index). */
function registerAgents(): void {
  if (registered) return;
  registered = true;
  for (const def of [randomAgent, greedyAgent, uctAgent, mctsAgent, gumbelAgent]) registerAgent(def, import.meta.url);
}

registerAgents();
