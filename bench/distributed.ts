import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { ArborError, type Game } from '../src/core/index.js';
import { deleteRunKeys, RemoteSelfPlaySource, runKeys, safeRedisUrl, type ActorSummary } from '../src/distributed/index.js';
import { createGame } from '../src/envs/index.js';
import { createModel, exportOnnx, selectBackend } from '../src/networks/index.js';
import { Actors } from '../src/selfplay/actors.js';
import { resolveConfig, RunFolder, silentReporter, type TrainConfig } from '../src/selfplay/index.js';

export interface DistributedBenchRow {
  mode: 'in-process' | 'redis';
  workers: number;
  games: number;
  positions: number;
  seconds: number;
  positionsPerSecond: number;
  /** CPU seconds of every process involved (the learner's, and the actor's over redis). */
  cpuSeconds: number;
  positionsPerCpuSecond: number;
}

/**
 * What spreading self-play over processes costs: Connect Four self-play (the `selfplay` bench's
 * workload: default net, 100 simulations on every move, 8 games in flight per worker) played by
 * the learner's own worker threads, against the same number of worker threads in one
 * `arbor actor` process whose games reach the learner through Redis (one record per game, XADD,
 * consumer group, XACK). Both clocks start as the worker threads are created (in-process: before
 * the pool exists; redis: at the actor's first heartbeat, sent once it joined the run, created its
 * pool and fetched the model — Node's start-up of the process is a one-off cost an actor pays
 * once per session, not per game) and stop when the learner holds the last game. Both sides play
 * the same games (seed "bench", games numbered alike on each worker), so only the engine differs. Measured in the same run in the order in-process,
 * redis, redis, in-process (ABBA: a steady drift of the machine's load cancels), the peer being
 * the in-process runs. On a machine shared with other jobs wall-clock rates swing with their load,
 * so the CPU time of every process involved is measured too: positions per CPU second compare the
 * work each way costs, whatever else runs. Redis: $ARBOR_REDIS_URL, else redis://127.0.0.1:6379/0.
 */
export async function benchDistributed(options: { json?: boolean; gamesPerWorker?: number; workers?: number }): Promise<{ rows: DistributedBenchRow[]; ratio: number; cpuRatio: number; loadAverage: [number, number] }> {
  const url = process.env.ARBOR_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  await checkReachable(url);
  const workers = options.workers ?? 2;
  const game = createGame('connect4');
  const dir = mkdtempSync(join(tmpdir(), 'arbor-bench-distributed-'));
  const base = resolveConfig({ game: game.spec, gameId: game.id, preset: 'standard', seed: 'bench' });
  const settings = { ...base.selfplay, concurrentGames: 8, simulations: 100, cheapSimulations: 100, fullSearchFraction: 1, resign: { ...base.selfplay.resign, enabled: false } };
  const config = { ...base, selfplay: { ...settings, workers } };
  // 40 games per worker: about 17 s per measurement, long enough that the actor's own start (its
  // worker threads loading ONNX Runtime and the model) no longer weighs; with 12 games (about 6 s)
  // the same machine read 0.82x, with 40 0.96x.
  const games = (options.gamesPerWorker ?? 40) * workers;
  await selectBackend('auto', { quiet: true });
  const model = createModel(game);
  const onnxPath = join(dir, 'model.onnx');
  await exportOnnx(model, game, onnxPath);
  model.dispose();
  const loadBefore = loadavg()[0];
  const rows: DistributedBenchRow[] = [];
  const report = (row: DistributedBenchRow) => {
    rows.push(row);
    if (!options.json) process.stdout.write(`connect4 self-play, 100 simulations/move, ${row.workers} worker thread(s), ${row.mode === 'redis' ? 'one actor process over redis' : 'in the learner\'s process  '}: ${row.positions} positions in ${row.seconds.toFixed(1)} s = ${row.positionsPerSecond.toFixed(1)} positions/s, ${row.positionsPerCpuSecond.toFixed(1)} per CPU second\n`);
  };
  try {
    const inProcess = async (): Promise<DistributedBenchRow> => {
      const cpu0 = processCpu();
      const t0 = performance.now();
      const actors = new Actors(game, workers);
      try {
        const batch = await actors.play({ onnxPath, modelVersion: 1, settings, seed: 'bench', firstGame: 0, games });
        const seconds = (performance.now() - t0) / 1000;
        const cpuSeconds = processCpu() - cpu0;
        return row('in-process', workers, batch.stats.games, batch.stats.moves, seconds, cpuSeconds);
      } finally {
        await actors.close();
      }
    };
    report(await inProcess());
    for (let k = 0; k < 2; k++) report(await overRedis({ url, dir, game, config, onnxPath, workers, games, run: k }));
    report(await inProcess());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rate = (mode: DistributedBenchRow['mode'], per: 'seconds' | 'cpuSeconds') => {
    const chosen = rows.filter((r) => r.mode === mode);
    return chosen.reduce((n, r) => n + r.positions, 0) / chosen.reduce((n, r) => n + r[per], 0);
  };
  const ratio = rate('redis', 'seconds') / rate('in-process', 'seconds');
  const cpuRatio = rate('redis', 'cpuSeconds') / rate('in-process', 'cpuSeconds');
  const loadAverage: [number, number] = [loadBefore, loadavg()[0]];
  if (!options.json) {
    process.stdout.write(`ratio redis / in-process (peer): ${ratio.toFixed(2)}x positions/s, ${cpuRatio.toFixed(2)}x positions per CPU second; target >= 0.90 (load average ${loadAverage[0].toFixed(1)} before, ${loadAverage[1].toFixed(1)} after, on ${workers} worker threads)\n`);
  }
  return { rows, ratio, cpuRatio, loadAverage };
}

function row(mode: DistributedBenchRow['mode'], workers: number, games: number, positions: number, seconds: number, cpuSeconds: number): DistributedBenchRow {
  return { mode, workers, games, positions, seconds, positionsPerSecond: positions / seconds, cpuSeconds, positionsPerCpuSecond: positions / cpuSeconds };
}

/** CPU time of this process (main and worker threads), in seconds. */
function processCpu(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

async function overRedis(o: { url: string; dir: string; game: Game; config: TrainConfig; onnxPath: string; workers: number; games: number; run: number }): Promise<DistributedBenchRow> {
  const run = `bench-${process.pid}-${Date.now().toString(36)}`;
  const runDir = join(o.dir, `run-${o.run}`);
  await RunFolder.create(runDir, { game: o.game.spec, seed: 'bench', config: o.config });
  const source = await RemoteSelfPlaySource.open({ url: o.url, run }, { game: o.game, config: o.config, runDir, iteration: 0, reporter: silentReporter });
  const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  let child: ReturnType<typeof spawn> | null = null;
  try {
    // The learner publishes the model on its first read; the actor process joins, fetches it, plays its games and exits.
    const played = source.play({ iteration: 1, onnxPath: o.onnxPath, modelVersion: 1, settings: o.config.selfplay, seed: 'bench', firstGame: 0, games: o.games });
    child = spawn(process.execPath, [cli, 'actor', '--redis', o.url, '--run', run, '--workers', String(o.workers), '--id', 'bench', '--games', String(o.games), '--seed', 'bench', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    const failed = exited.then((code) => (code === 0 ? new Promise<never>(() => undefined) : Promise.reject(new ArborError(`bench distributed: the actor process exited with ${code}: ${stderr.trim()}`))));
    failed.catch(() => undefined);
    await Promise.race([firstHeartbeat(o.url, runKeys(run).actor('bench')), failed]);
    const cpu0 = processCpu();
    const t0 = performance.now();
    const batch = await Promise.race([played, failed]);
    const seconds = (performance.now() - t0) / 1000;
    const learnerCpu = processCpu() - cpu0;
    await source.committed(1);
    if ((await exited) !== 0) throw new ArborError(`bench distributed: the actor process failed: ${stderr.trim()}`);
    const actor = JSON.parse(stdout) as ActorSummary;
    return row('redis', o.workers, batch.stats.games, batch.stats.moves, seconds, learnerCpu + actor.cpuSeconds);
  } finally {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    await source.close();
    await deleteRun(o.url, run);
  }
}

/** Resolves when the actor's heartbeat key exists (polled every 5 ms). */
async function firstHeartbeat(url: string, key: string): Promise<void> {
  const redis = new Redis(url, { protocol: 2 });
  try {
    while (!(await redis.exists(key))) await new Promise((resolve) => setTimeout(resolve, 5));
  } finally {
    redis.disconnect();
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
    await deleteRunKeys(redis, run);
  } finally {
    redis.disconnect();
  }
}
