import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { ArborError } from '../src/core/index.js';
import { RemoteSelfPlaySource, safeRedisUrl } from '../src/distributed/index.js';
import { createGame } from '../src/envs/index.js';
import { createModel, exportOnnx, selectBackend } from '../src/networks/index.js';
import { Actors } from '../src/selfplay/actors.js';
import { resolveConfig, RunFolder, silentReporter } from '../src/selfplay/index.js';

export interface DistributedBenchRow {
  mode: 'in-process' | 'redis';
  workers: number;
  games: number;
  positions: number;
  seconds: number;
  positionsPerSecond: number;
}

/**
 * What spreading self-play over processes costs: Connect Four self-play (the `selfplay` bench's
 * workload: default net, 100 simulations on every move, 8 games in flight per worker) played by
 * the learner's own worker threads, against the same number of worker threads in one
 * `arbor actor` process whose games reach the learner through Redis (one record per game, XADD,
 * consumer group, XACK). Both clocks start cold, before the threads and ONNX Runtime sessions
 * exist (the actor side also pays for starting a process and fetching the model from Redis), and
 * stop when the learner holds the last game. Measured in the same run, in-process / redis /
 * in-process, so a change of machine load shows; the peer is the mean of the two in-process runs.
 * Redis: $ARBOR_REDIS_URL, else redis://127.0.0.1:6379/0.
 */
export async function benchDistributed(options: { json?: boolean; gamesPerWorker?: number; workers?: number }): Promise<{ rows: DistributedBenchRow[]; ratio: number }> {
  const url = process.env.ARBOR_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  await checkReachable(url);
  const workers = options.workers ?? 2;
  const game = createGame('connect4');
  const dir = mkdtempSync(join(tmpdir(), 'arbor-bench-distributed-'));
  const base = resolveConfig({ game: game.spec, gameId: game.id, preset: 'standard', seed: 'bench' });
  const settings = { ...base.selfplay, concurrentGames: 8, simulations: 100, cheapSimulations: 100, fullSearchFraction: 1, resign: { ...base.selfplay.resign, enabled: false } };
  const config = { ...base, selfplay: { ...settings, workers } };
  const games = (options.gamesPerWorker ?? 16) * workers;
  await selectBackend('auto', { quiet: true });
  const model = createModel(game);
  const onnxPath = join(dir, 'model.onnx');
  await exportOnnx(model, game, onnxPath);
  model.dispose();
  const rows: DistributedBenchRow[] = [];
  const report = (row: DistributedBenchRow) => {
    rows.push(row);
    if (!options.json) process.stdout.write(`connect4 self-play, 100 simulations/move, ${row.workers} worker thread(s), ${row.mode === 'redis' ? 'one actor process over redis' : 'in the learner\'s process'}: ${row.positions} positions in ${row.seconds.toFixed(1)} s = ${row.positionsPerSecond.toFixed(1)} positions/s\n`);
  };
  try {
    const inProcess = async () => {
      const t0 = performance.now();
      const actors = new Actors(game, workers);
      try {
        const batch = await actors.play({ onnxPath, modelVersion: 1, settings, seed: 'bench', firstGame: 0, games });
        const seconds = (performance.now() - t0) / 1000;
        report({ mode: 'in-process', workers, games: batch.stats.games, positions: batch.stats.moves, seconds, positionsPerSecond: batch.stats.moves / seconds });
      } finally {
        await actors.close();
      }
    };
    await inProcess();
    report(await overRedis({ url, dir, game, config, onnxPath, workers, games }));
    await inProcess();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const peer = (rows[0].positionsPerSecond + rows[2].positionsPerSecond) / 2;
  const ratio = rows[1].positionsPerSecond / peer;
  if (!options.json) process.stdout.write(`ratio redis / in-process (peer, mean of the two in-process runs): ${ratio.toFixed(2)}x; target >= 0.90\n`);
  return { rows, ratio };
}

async function overRedis(o: { url: string; dir: string; game: ReturnType<typeof createGame>; config: ReturnType<typeof resolveConfig>; onnxPath: string; workers: number; games: number }): Promise<DistributedBenchRow> {
  const run = `bench-${process.pid}-${Date.now().toString(36)}`;
  const runDir = join(o.dir, 'run');
  await RunFolder.create(runDir, { game: o.game.spec, seed: 'bench', config: o.config });
  const source = await RemoteSelfPlaySource.open({ url: o.url, run }, { game: o.game, config: o.config, runDir, iteration: 0, reporter: silentReporter });
  const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  let child: ReturnType<typeof spawn> | null = null;
  try {
    const request = { onnxPath: o.onnxPath, modelVersion: 1, settings: o.config.selfplay, seed: 'bench', firstGame: 0 };
    const t0 = performance.now();
    // The learner publishes the model on its first read; the actor process joins, fetches it and plays.
    const played = source.play({ ...request, iteration: 1, games: o.games });
    child = spawn(process.execPath, [cli, 'actor', '--redis', o.url, '--run', run, '--workers', String(o.workers), '--id', 'bench', '--games', String(o.games)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const failed = new Promise<never>((_, reject) => child!.once('exit', (code) => { if (code !== 0) reject(new ArborError(`bench distributed: the actor process exited with ${code}: ${stderr.trim()}`)); }));
    failed.catch(() => undefined);
    const batch = await Promise.race([played, failed]);
    const seconds = (performance.now() - t0) / 1000;
    await source.committed(1);
    return { mode: 'redis', workers: o.workers, games: batch.stats.games, positions: batch.stats.moves, seconds, positionsPerSecond: batch.stats.moves / seconds };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await source.close();
    await deleteRun(o.url, run);
  }
}

async function checkReachable(url: string): Promise<void> {
  const redis = new Redis(url, { protocol: 2, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw new ArborError(`bench distributed needs a Redis server at ${safeRedisUrl(url)} (${(e as Error).message}); start one (redis-server --bind 127.0.0.1 --port 6379) or set ARBOR_REDIS_URL`);
  } finally {
    redis.disconnect();
  }
}

async function deleteRun(url: string, run: string): Promise<void> {
  const redis = new Redis(url, { protocol: 2 });
  try {
    const names: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `arbor:${run}:*`, 'COUNT', 500);
      cursor = next;
      names.push(...batch);
    } while (cursor !== '0');
    if (names.length > 0) await redis.del(...names);
  } finally {
    redis.disconnect();
  }
}
