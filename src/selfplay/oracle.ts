import type { Agent } from '../agents/index.js';
import type { Game, State } from '../envs/index.js';

/**
 * The perfect-play oracle as training uses it (the solvers module, issue 5): whether a game has
 * one, its labelled positions and the optimal-move rate of an agent on them.
 * TEMPORARY: the solvers module has not landed yet; until it does, no game has an oracle.
 */
export interface LabelledPosition {
  readonly state: State;
}

export function hasOracle(_game: Game): boolean {
  return false;
}

export async function loadPositions(_game: Game): Promise<LabelledPosition[]> {
  return [];
}

export async function evaluateAgentOnPositions(_agent: Agent, _game: Game, _positions: readonly LabelledPosition[]): Promise<{ optimalMoveRate: number }> {
  return { optimalMoveRate: 0 };
}
