/**
 * Public face of the agents layer: spec strings -> agents. Importing it registers the agent kinds
 * random, greedy, uct, mcts and gumbel (solvers register `solver`, boardgameio `bgio-mcts`).
 */
export { createAgent, validateAgentSpec, agentDefinitions, registerAgent, type Agent, type AgentContext, type AgentDefinition, type MoveClock } from '../core/index.js';
export { searchAgent, evaluatorFor, type SearchAgent } from './mcts.js';
import './builtins.js';
