import { createAgent, type Agent, deriveSeed } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';

/**
 * A tiny local match loop (the arena module is separate): `games` games, colours alternating,
 * every agent observes every move. Returns wins of A, wins of B and draws.
 */
export async function playMatch(gameSpec: string, specA: string, specB: string, games: number, seed: string): Promise<{ a: number; b: number; draws: number }> {
  const game = createGame(gameSpec);
  const a = await createAgent(specA, { game, seed: deriveSeed(seed, 'A') });
  const b = await createAgent(specB, { game, seed: deriveSeed(seed, 'B') });
  const score = { a: 0, b: 0, draws: 0 };
  for (let g = 0; g < games; g++) {
    const players: Agent[] = g % 2 === 0 ? [a, b] : [b, a];
    for (const p of players) p.reset?.();
    const state = game.newInitialState();
    while (!state.isTerminal()) {
      const action = await players[state.currentPlayer()].selectAction(state);
      const before = state.clone();
      state.apply(action);
      for (const p of players) p.observe?.(before, action);
    }
    const aIndex = g % 2 === 0 ? 0 : 1;
    const r = state.returnOf(aIndex);
    if (r > 0) score.a++;
    else if (r < 0) score.b++;
    else score.draws++;
  }
  return score;
}
