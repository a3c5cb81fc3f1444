import { agentDefinitions } from '../src/agents/index.js';
import { playMatch } from '../src/arena/index.js';

/**
 * Arena throughput with 1 and 2 worker threads (the peer is the 1-worker run of the same
 * workload, measured in the same process). Two workloads: cheap agents, where the cost is the
 * per-game overhead (task messages, agent creation), and a search agent, where games are
 * CPU-bound and should scale with cores.
 */
export interface ArenaBenchRow {
  workload: string;
  games: number;
  gamesPerSecond: { workers1: number; workers2: number };
  ratio: number;
}

interface Workload {
  workload: string;
  game: string;
  a: string;
  b: string;
  games: number;
}

/** The search workload uses arbor's uct when it is registered, else boardgame.io's MCTSBot. */
function workloads(): Workload[] {
  const hasUct = agentDefinitions().some((d) => d.name === 'uct');
  const search = hasUct ? { b: 'uct:sims=200', games: 40 } : { b: 'bgio-mcts:iterations=30', games: 16 };
  return [
    { workload: 'connect4 greedy vs random', game: 'connect4', a: 'greedy', b: 'random', games: 400 },
    { workload: `connect4 greedy vs ${search.b}`, game: 'connect4', a: 'greedy', ...search },
  ];
}

async function rate(w: Workload, workers: number): Promise<number> {
  const t0 = performance.now();
  await playMatch({ game: w.game, a: w.a, b: w.b, games: w.games, openingPlies: 2, seed: 'bench-arena', workers });
  return w.games / ((performance.now() - t0) / 1000);
}

export async function benchArena(options: { json?: boolean }): Promise<ArenaBenchRow[]> {
  const rows: ArenaBenchRow[] = [];
  for (const w of workloads()) {
    const workers1 = await rate(w, 1);
    const workers2 = await rate(w, 2);
    const row = { workload: w.workload, games: w.games, gamesPerSecond: { workers1, workers2 }, ratio: workers2 / workers1 };
    rows.push(row);
    if (!options.json) {
      process.stdout.write(`${w.workload}: ${workers1.toFixed(1)} games/s with 1 worker, ${workers2.toFixed(1)} with 2 (x${row.ratio.toFixed(2)})\n`);
    }
  }
  return rows;
}
