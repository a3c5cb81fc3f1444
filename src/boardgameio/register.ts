import { registerAgent } from '../core/index.js';
import { bgioMctsAgent } from './bgio-mcts-agent.js';

// The `bgio-mcts` agent kind: boardgame.io's own MCTSBot, as a reference opponent.
registerAgent(bgioMctsAgent, import.meta.url);
