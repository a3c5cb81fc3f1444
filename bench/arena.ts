import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { agentDefinitions } from '../src/core/index.js';
import { createGameRunner, playMatch } from '../src/arena/index.js';

/**
 * Arena throughput with 1 and 2 worker threads (the peer is the 1-worker run of the same
 * workload, measured in the same process, and the 2-vs-1-thread gain of a pure arithmetic loop,
 * the most any workload can gain on the machine as loaded now). Each measurement starts a pool,
 * warms it (threads spawned, modules imported, games built, a short untimed match played) and
 * only then starts the clock, so it times games, not start-up. Three workloads: cheap agents (about a millisecond per game), where the cost is the
 * per-game overhead the batching cuts (task messages, agent construction) and the main thread's
 * bookkeeping, which does not scale; a light search (greedy vs uct:simulations=200, ~10 ms per game);
 * and a CPU-bound one (uct:simulations=1000 on both sides), which should scale with idle cores.
 */
export interface ArenaBenchRow {
  workload: string;
  games: number;
  gamesPerSecond: { workers1: number; workers2: number };
  ratio: number;
  /** 2-thread vs 1-thread gain of a pure arithmetic loop just before and just after this workload (2 on two idle cores). */
  cpuCeiling: [number, number];
  /** 1 worker, one game per task (no batching), where measured. */
  unbatchedWorkers1?: number;
}

/**
 * The most 2 threads can gain over 1 on this machine right now: a pure arithmetic loop run in 1
 * and then 2 worker threads (x2.00 on two idle cores, x1.00 when another job holds a core).
 */
async function cpuCeiling(): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads');
let x = 0;
for (let i = 0; i < 2e8; i++) x = (x + i * 7) % 1000003;
parentPort.postMessage(x);`;
  const run = async (threads: number): Promise<number> => {
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: threads }, () => new Promise<void>((resolve, reject) => {
        const w = new Worker(code, { eval: true });
        w.once('message', () => void w.terminate().then(() => resolve()));
        w.once('error', reject);
      })),
    );
    return performance.now() - t0;
  };
  const one = await run(1);
  const two = await run(2);
  return (2 * one) / two;
}

interface Workload {
  workload: string;
  game: string;
  a: string;
  b: string;
  games: number;
}

/** The search workloads use arbor's uct when it is registered, else boardgame.io's MCTSBot. */
function workloads(): Workload[] {
  const hasUct = agentDefinitions().some((d) => d.name === 'uct');
  const cheap: Workload = { workload: 'connect4 greedy vs random (cheap)', game: 'connect4', a: 'greedy', b: 'random', games: 4000 };
  if (!hasUct) return [cheap, { workload: 'connect4 greedy vs bgio-mcts:iterations=30', game: 'connect4', a: 'greedy', b: 'bgio-mcts:iterations=30', games: 32 }];
  return [
    cheap,
    { workload: 'connect4 greedy vs uct:simulations=200 (light)', game: 'connect4', a: 'greedy', b: 'uct:simulations=200', games: 400 },
    { workload: 'connect4 uct:simulations=1000 vs uct:simulations=1000,cUct=1 (CPU-bound)', game: 'connect4', a: 'uct:simulations=1000', b: 'uct:simulations=1000,cUct=1', games: 60 },
  ];
}

async function rate(w: Workload, workers: number, gamesPerTask?: number): Promise<number> {
  const runner = createGameRunner(workers);
  try {
    await runner.warm([w.game]);
    // An untimed warm-up match too: the first games of a worker run before V8 has optimised the
    // game and search code (about 30% slower on a 40-game run of the light workload).
    const warmup = Math.max(4 * workers, Math.ceil(w.games / 10));
    await playMatch({ game: w.game, a: w.a, b: w.b, games: warmup, openingPlies: 2, seed: 'bench-arena-warmup', workers: runner, gamesPerTask });
    const t0 = performance.now();
    await playMatch({ game: w.game, a: w.a, b: w.b, games: w.games, openingPlies: 2, seed: 'bench-arena', workers: runner, gamesPerTask });
    return w.games / ((performance.now() - t0) / 1000);
  } finally {
    await runner.close();
  }
}

export async function benchArena(options: { json?: boolean }): Promise<ArenaBenchRow[]> {
  const rows: ArenaBenchRow[] = [];
  const out = (line: string) => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  // Scaling needs idle cores: say how busy the machine was, since the ratio depends on it.
  out(`${availableParallelism()} cores, load average ${loadavg()[0].toFixed(2)} before the run; ceiling = what a pure arithmetic loop gains from 2 threads over 1, measured just before and after each workload`);
  for (const [k, w] of workloads().entries()) {
    const ceiling = await cpuCeiling();
    // The cheap workload also runs without batching, to show what one task per game costs.
    const unbatchedWorkers1 = k === 0 ? await rate(w, 1, 1) : undefined;
    const workers1 = await rate(w, 1);
    const workers2 = await rate(w, 2);
    const after = await cpuCeiling();
    const row = { workload: w.workload, games: w.games, gamesPerSecond: { workers1, workers2 }, ratio: workers2 / workers1, cpuCeiling: [ceiling, after] as [number, number], unbatchedWorkers1 };
    rows.push(row);
    const unbatched = unbatchedWorkers1 === undefined ? '' : `; one game per task: ${unbatchedWorkers1.toFixed(1)} with 1 worker`;
    out(`${w.workload}: ${workers1.toFixed(1)} games/s with 1 worker, ${workers2.toFixed(1)} with 2 (x${row.ratio.toFixed(2)}; ceiling x${ceiling.toFixed(2)} before, x${after.toFixed(2)} after${unbatched})`);
  }
  return rows;
}
