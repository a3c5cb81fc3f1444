import { benchGames } from './games.js';

/** Every benchmark `arbor bench NAME` can run; each prints a ratio against a peer measured in the same run. */
export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(options: { json?: boolean }): Promise<unknown>;
}

export const benchmarks: Benchmark[] = [
  { name: 'games', description: 'perft speed per game, against boardgame.io\'s reducer', run: benchGames },
];
