import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGame } from '../src/envs/index.js';
import { createModel, exportOnnx, selectBackend } from '../src/networks/index.js';
import { Actors } from '../src/selfplay/actors.js';
import { resolveConfig } from '../src/selfplay/config.js';

export interface SelfPlayBenchRow {
  workers: number;
  games: number;
  positions: number;
  seconds: number;
  positionsPerSecond: number;
  simulationsPerSecond: number;
}

/**
 * Self-play throughput of the actors: Connect Four, the default network (untrained weights cost
 * the same as trained ones), 100 simulations on every move (playout cap randomization off, so
 * the number is per full-budget move), many games per worker with batched ONNX Runtime
 * inference. Peer: the same self-play on one worker thread, measured in the same run, so the
 * ratio shows how the actors scale across cores.
 */
export async function benchSelfPlay(options: { json?: boolean; games?: number }): Promise<{ rows: SelfPlayBenchRow[]; ratio: number }> {
  const game = createGame('connect4');
  const base = resolveConfig({ game: game.spec, gameId: game.id, preset: 'standard', seed: 'bench' });
  const settings = { ...base.selfplay, simulations: 100, cheapSimulations: 100, fullSearchFraction: 1, resign: { ...base.selfplay.resign, enabled: false } };
  const dir = mkdtempSync(join(tmpdir(), 'arbor-bench-selfplay-'));
  const onnxPath = join(dir, 'model.onnx');
  await selectBackend('auto', { quiet: true });
  const model = createModel(game);
  await exportOnnx(model, game, onnxPath);
  model.dispose();
  const rows: SelfPlayBenchRow[] = [];
  try {
    for (const workers of [1, 2]) {
      const games = options.games ?? 32 * workers;
      const actors = new Actors(game, workers);
      try {
        // Warm-up: starts the threads and ONNX Runtime sessions outside the timed part.
        await actors.play({ onnxPath, modelVersion: 1, settings: { ...settings, concurrentGames: 2 }, seed: 'warm', firstGame: 0, games: 2 * workers });
        const t0 = performance.now();
        const batch = await actors.play({ onnxPath, modelVersion: 1, settings, seed: 'bench', firstGame: 0, games });
        const seconds = (performance.now() - t0) / 1000;
        const row = {
          workers,
          games: batch.stats.games,
          positions: batch.stats.moves,
          seconds,
          positionsPerSecond: batch.stats.moves / seconds,
          simulationsPerSecond: batch.stats.simulations / seconds,
        };
        rows.push(row);
        if (!options.json) {
          process.stdout.write(`connect4 self-play, 100 simulations/move, ${workers} worker(s) x ${settings.concurrentGames} games: ${row.positions} positions in ${seconds.toFixed(1)} s = ${row.positionsPerSecond.toFixed(1)} positions/s (${row.simulationsPerSecond.toFixed(0)} simulations/s)\n`);
        }
      } finally {
        await actors.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratio = rows[1].positionsPerSecond / rows[0].positionsPerSecond;
  if (!options.json) process.stdout.write(`ratio 2 workers / 1 worker (peer): ${ratio.toFixed(2)}x; target >= 40 positions/s on 2 cores\n`);
  return { rows, ratio };
}
