import { describe, expect, it } from 'vitest';
import { createAgent, validateAgentSpec, isArborError, type State } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { playMatch } from './match.js';

const c4 = createGame('connect4');

async function arborError(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(isArborError(e), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an ArborError');
}

describe('search agents', () => {
  it('uct, mcts and gumbel play legal moves and keep their tree between moves', async () => {
    for (const spec of ['uct:sims=300', 'mcts:sims=300,eval=uniform', 'mcts:sims=200,batch=8', 'gumbel:sims=16', 'gumbel:sims=32,k=4,eval=uniform']) {
      const agent = await createAgent(spec, { game: c4, seed: 'a' });
      const state = c4.newInitialState();
      for (let ply = 0; ply < 6; ply++) {
        const a = await agent.selectAction(state);
        expect(state.isLegal(a), spec).toBe(true);
        const before = state.clone();
        state.apply(a);
        agent.observe?.(before, a);
      }
      const search = (agent as unknown as { search: { rootHash(): number | null } }).search;
      expect(search.rootHash(), spec).toBe(state.hash());
    }
  });

  it('observe() accepts the state after the move as well', async () => {
    const agent = await createAgent('uct:sims=200', { game: c4, seed: 'b' });
    const state = c4.newInitialState();
    const a = await agent.selectAction(state);
    state.apply(a);
    agent.observe?.(state, a);
    expect((agent as unknown as { search: { rootHash(): number | null } }).search.rootHash()).toBe(state.hash());
  });

  it('rejects unknown options, zero or negative budgets, and finished games with clear errors', async () => {
    expect(await arborError(() => validateAgentSpec('uct:sims=100,depth=3'))).toMatch(/unknown agent option "depth" for uct; allowed: sims, c, batch, ms, solver/);
    expect(await arborError(() => validateAgentSpec('uct:sims=0'))).toMatch(/sims=0 is out of range/);
    expect(await arborError(() => validateAgentSpec('mcts:sims=-3'))).toMatch(/sims=-3 is out of range/);
    expect(await arborError(() => validateAgentSpec('mcts:eval=network'))).toMatch(/choose one of uniform, rollout/);
    expect(await arborError(() => validateAgentSpec('gumbel:k=0'))).toMatch(/k=0 is out of range/);
    expect(await arborError(createAgent('mcts:sims=10,sym=true', { game: c4, seed: 'c' }))).toMatch(/sym=true averages a network over the board symmetries; give the network with model=PATH, or drop sym/);
    const agent = await createAgent('uct:sims=50', { game: c4, seed: 'c' });
    expect(await arborError(agent.selectAction(c4.parseState('1212121')))).toMatch(/finished game/);
  });

  it('model=PATH naming a missing folder is one clear error naming it', async () => {
    let message = '';
    try {
      const agent = await createAgent('mcts:model=/nonexistent/run,sims=10', { game: c4, seed: 'd' });
      await agent.close?.();
    } catch (e) {
      expect(isArborError(e), String(e)).toBe(true);
      message = (e as Error).message;
    }
    expect(message).toMatch(/nonexistent/);
  });
});

describe('matches (40 games, both colours, fixed seed)', () => {
  it('uct:sims=1000 beats random in Connect Four in more than 95% of games', async () => {
    const r = await playMatch('connect4', 'uct:sims=1000', 'random', 40, 'match-1');
    expect(r.a).toBeGreaterThan(0.95 * 40);
  });

  it('uct:sims=2000 clearly beats uct:sims=100 in Connect Four', async () => {
    const r = await playMatch('connect4', 'uct:sims=2000', 'uct:sims=100', 40, 'match-2');
    // "Clearly": at least 75% of the points (a draw counts half).
    expect(r.a + r.draws / 2).toBeGreaterThanOrEqual(30);
  });
});

describe('search agents expose their evaluator\'s value', () => {
  it('gives 0 with the uniform evaluator and the exact result with rollouts of a decided position', async () => {
    const game = createGame('tictactoe');
    const uniform = (await createAgent('mcts:sims=8,eval=uniform', { game, seed: 'v' })) as unknown as { value(s: State): Promise<number> };
    expect(await uniform.value(game.parseState('a1 b1'))).toBe(0);
    // One empty cell left (a3): X must play it and completes a1-a2-a3, so every rollout ends +1 for X.
    const rollout = (await createAgent('mcts:sims=8,eval=rollout', { game, seed: 'v' })) as unknown as { value(s: State): Promise<number> };
    const lastMove = game.parseState('a1 b1 a2 b2 c1 c3 b3 c2');
    expect(await rollout.value(lastMove)).toBe(1);
  });
});
