import { describe, expect, it } from 'vitest';
import { createAgent, upgradeAgentSpec, validateAgentSpec, isArborError, type State } from '../../src/core/index.js';
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
    for (const spec of ['uct:simulations=300', 'mcts:simulations=300,eval=uniform', 'mcts:simulations=200,leafBatch=8', 'gumbel:simulations=16', 'gumbel:simulations=32,consideredActions=4,eval=uniform']) {
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
    const agent = await createAgent('uct:simulations=200', { game: c4, seed: 'b' });
    const state = c4.newInitialState();
    const a = await agent.selectAction(state);
    state.apply(a);
    agent.observe?.(state, a);
    expect((agent as unknown as { search: { rootHash(): number | null } }).search.rootHash()).toBe(state.hash());
  });

  it('refuses option names of earlier versions, naming the current one', async () => {
    expect(await arborError(() => validateAgentSpec('mcts:batch=8'))).toBe('unknown agent option "batch" for mcts; it is now leafBatch');
    expect(await arborError(() => validateAgentSpec('gumbel:k=4'))).toBe('unknown agent option "k" for gumbel; it is now consideredActions');
    expect(await arborError(() => validateAgentSpec('uct:sims=10'))).toBe('unknown agent option "sims" for uct; it is now simulations');
    expect(await arborError(() => validateAgentSpec('uct:c=1'))).toBe('unknown agent option "c" for uct; it is now cUct');
    expect(await arborError(() => validateAgentSpec('mcts:c=1'))).toBe('unknown agent option "c" for mcts; it is now cPuct');
    expect(await arborError(() => validateAgentSpec('mcts:ms=100'))).toBe('unknown agent option "ms" for mcts; it is now timeMs');
    expect(await arborError(() => validateAgentSpec('mcts:ptemp=2'))).toBe('unknown agent option "ptemp" for mcts; it is now policyTemperature');
    expect(await arborError(() => validateAgentSpec('gumbel:cvisit=1'))).toBe('unknown agent option "cvisit" for gumbel; it is now cVisit');
    expect(upgradeAgentSpec('gumbel:sims=8,k=4,eval=uniform')).toBe('gumbel:simulations=8,consideredActions=4,eval=uniform');
    expect(upgradeAgentSpec('uct:simulations=8')).toBe('uct:simulations=8');
  });

  it('rejects unknown options, zero or negative budgets, and finished games with clear errors', async () => {
    expect(await arborError(() => validateAgentSpec('uct:simulations=100,depth=3'))).toMatch(/unknown agent option "depth" for uct; allowed: simulations, cUct, leafBatch, timeMs, solver/);
    expect(await arborError(() => validateAgentSpec('uct:simulations=0'))).toMatch(/simulations=0 is out of range/);
    expect(await arborError(() => validateAgentSpec('mcts:simulations=-3'))).toMatch(/simulations=-3 is out of range/);
    expect(await arborError(() => validateAgentSpec('mcts:eval=network'))).toMatch(/choose one of uniform, rollout/);
    expect(await arborError(() => validateAgentSpec('gumbel:consideredActions=0'))).toMatch(/consideredActions=0 is out of range/);
    expect(await arborError(createAgent('mcts:simulations=10,sym=true', { game: c4, seed: 'c' }))).toMatch(/sym=true averages a network over the board symmetries; give the network with model=PATH, or drop sym/);
    const agent = await createAgent('uct:simulations=50', { game: c4, seed: 'c' });
    expect(await arborError(agent.selectAction(c4.parseState('1212121')))).toMatch(/finished game/);
  });

  it('model=PATH naming a missing folder is one clear error naming it', async () => {
    let message = '';
    try {
      const agent = await createAgent('mcts:model=/nonexistent/run,simulations=10', { game: c4, seed: 'd' });
      await agent.close?.();
    } catch (e) {
      expect(isArborError(e), String(e)).toBe(true);
      message = (e as Error).message;
    }
    expect(message).toMatch(/nonexistent/);
  });
});

describe('matches (40 games, both colours, fixed seed)', () => {
  it('uct:simulations=1000 beats random in Connect Four in more than 95% of games', async () => {
    const r = await playMatch('connect4', 'uct:simulations=1000', 'random', 40, 'match-1');
    expect(r.a).toBeGreaterThan(0.95 * 40);
  });

  it('uct:simulations=2000 clearly beats uct:simulations=100 in Connect Four', async () => {
    const r = await playMatch('connect4', 'uct:simulations=2000', 'uct:simulations=100', 40, 'match-2');
    // "Clearly": at least 75% of the points (a draw counts half).
    expect(r.a + r.draws / 2).toBeGreaterThanOrEqual(30);
  });
});

describe('search agents expose their evaluator\'s value', () => {
  it('gives 0 with the uniform evaluator and the exact result with rollouts of a decided position', async () => {
    const game = createGame('tictactoe');
    const uniform = (await createAgent('mcts:simulations=8,eval=uniform', { game, seed: 'v' })) as unknown as { value(s: State): Promise<number> };
    expect(await uniform.value(game.parseState('a1 b1'))).toBe(0);
    // One empty cell left (a3): X must play it and completes a1-a2-a3, so every rollout ends +1 for X.
    const rollout = (await createAgent('mcts:simulations=8,eval=rollout', { game, seed: 'v' })) as unknown as { value(s: State): Promise<number> };
    const lastMove = game.parseState('a1 b1 a2 b2 c1 c3 b3 c2');
    expect(await rollout.value(lastMove)).toBe(1);
  });
});
