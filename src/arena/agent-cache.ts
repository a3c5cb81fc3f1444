import { createAgent, type Agent, type Game } from '../core/index.js';

/**
 * Agents kept alive between the games a worker plays. Only agents that implement `reseed` are
 * kept: after `reseed(seed)` and `reset()` such an agent promises to play exactly as a fresh one
 * built from the same spec and seed, so a cached agent changes no move of any game (the arena's
 * reproducibility from records holds) while saving the agent's construction per game: its
 * buffers, and for the solver its transposition table, whose bounds stay true across positions.
 */
export class AgentCache {
  /** Idle agents by game spec + agent spec (a list: both seats may hold the same spec). */
  private readonly idle = new Map<string, Agent[]>();
  private size = 0;

  /** At most this many idle agents are kept; beyond it an agent is closed when returned. */
  constructor(private readonly capacity = 32) {}

  private static key(game: Game, spec: string): string {
    return `${game.spec}\u0000${spec}`;
  }

  /** A ready agent for this spec and seed: a cached one reseeded, or a new one. */
  async acquire(game: Game, spec: string, seed: string): Promise<Agent> {
    const list = this.idle.get(AgentCache.key(game, spec));
    const cached = list?.pop();
    if (cached) {
      this.size--;
      cached.reseed!(seed);
      cached.reset?.();
      return cached;
    }
    return createAgent(spec, { game, seed });
  }

  /**
   * Gives an agent back after a game. `healthy` is false when the agent threw: it is closed rather
   * than trusted with another game.
   */
  async release(game: Game, spec: string, agent: Agent, healthy: boolean): Promise<void> {
    if (!healthy || !agent.reseed || this.size >= this.capacity) {
      await agent.close?.().catch(() => undefined);
      return;
    }
    const key = AgentCache.key(game, spec);
    const list = this.idle.get(key);
    if (list) list.push(agent);
    else this.idle.set(key, [agent]);
    this.size++;
  }

  /** Closes every idle agent. */
  async clear(): Promise<void> {
    const agents = [...this.idle.values()].flat();
    this.idle.clear();
    this.size = 0;
    for (const a of agents) await a.close?.().catch(() => undefined);
  }
}
