import { benchArena } from './arena.js';
import { benchDistributed } from './distributed.js';
import { benchGames } from './games.js';
import { benchMcts } from './mcts.js';
import { benchNet } from './net.js';
import { benchPrograms } from './programs.js';
import { benchSelfPlay } from './selfplay.js';
import { benchSolve } from './solve.js';

/** Every benchmark `arbor bench NAME` can run; each prints a ratio against a peer measured in the same run. */
export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(options: { json?: boolean }): Promise<unknown>;
}

export const benchmarks: Benchmark[] = [
  { name: 'games', description: 'perft speed per game, against boardgame.io\'s reducer', run: benchGames },
  { name: 'arena', description: 'arena games/s with 1 and 2 worker threads (ratio 2 vs 1)', run: benchArena },
  { name: 'mcts', description: 'UCT iterations/s against boardgame.io\'s MCTSBot; PUCT simulations/s with a uniform evaluator', run: benchMcts },
  { name: 'programs', description: 'compiled agent-language programs against the same logic written by hand (cost ratio, issue 27: <= 3x)', run: benchPrograms },
  { name: 'net', description: 'network inference (ONNX Runtime vs tfjs) and training speed', run: benchNet },
  { name: 'selfplay', description: 'Connect Four self-play positions/s at 100 simulations/move, default net, 2 workers vs 1 worker', run: benchSelfPlay },
  { name: 'solve', description: 'Connect Four 6x7 exact solving time by Pons\' categories, against the generic solver', run: benchSolve },
  { name: 'distributed', description: 'Connect Four self-play positions/s of an actor process over Redis vs the same worker threads in-process (ratio redis / in-process)', run: benchDistributed },
];
