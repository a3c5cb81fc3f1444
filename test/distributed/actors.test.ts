import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeGameRecord, RemoteSelfPlaySource, runActor, runKeys, type ActorSummary } from '../../src/distributed/index.js';
import { createGame } from '../../src/envs/index.js';
import { createModel, exportOnnx, selectBackend } from '../../src/networks/index.js';
import { readMetrics, silentReporter, train, type IterationMetrics } from '../../src/selfplay/index.js';
import { deleteTestRun, freePort, newRunFolder, plainClient, REDIS_URL, startOwnRedis, stopOwnRedis, uniqueRun } from './redis-helpers.js';

/**
 * Actor processes against a real Redis: a tiny run trained from an actor's games, a killed actor
 * (its process, mid-game), and Redis going away and coming back under a learner and an actor.
 */
const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const runs: string[] = [];
afterAll(async () => {
  for (const run of runs) await deleteTestRun(run);
});

const tiny = {
  model: { filters: 8, blocks: 1 },
  selfplay: { workers: 1, concurrentGames: 8, gamesPerIteration: 16, simulations: 8, cheapSimulations: 4, fullSearchFraction: 0.5, overlapTraining: false },
  replay: { minPositions: 20, sampleReuse: 2 },
  training: { batchSize: 32 },
  evaluation: { every: 0 },
  final: { games: 0 },
};

async function tinyOnnx(): Promise<string> {
  await selectBackend('auto', { quiet: true });
  const game = createGame('tictactoe');
  const model = createModel(game, { filters: 8, blocks: 1, seed: 3 });
  const path = join(mkdtempSync(join(tmpdir(), 'arbor-dist-model-')), 'model.onnx');
  await exportOnnx(model, game, path);
  model.dispose();
  return path;
}

describe('arbor actor with the learner', () => {
  it('trains a tiny tic-tac-toe run for 2 iterations from an actor\'s games; the new model reaches the actor', async () => {
    const run = uniqueRun('e2e');
    runs.push(run);
    const root = mkdtempSync(join(tmpdir(), 'arbor-dist-e2e-'));
    const configFile = join(root, 'tiny.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(configFile, JSON.stringify(tiny)));
    const runDir = join(root, 'run');
    const controller = new AbortController();
    const lines: string[] = [];
    // The actor waits for the learner's descriptor: start it once the learner has claimed the run.
    const learner = train({ runDir, game: 'tictactoe', preset: 'quick', seed: 'e2e', configFile, iterations: 2, skipFinal: true, reporter: { ...silentReporter, info: (l) => lines.push(l) }, selfPlaySource: RemoteSelfPlaySource.factory({ url: REDIS_URL, run }) });
    const redis = plainClient();
    while (!(await redis.exists(runKeys(run).descriptor))) await new Promise((r) => setTimeout(r, 50));
    redis.disconnect();
    const actor = runActor({ url: REDIS_URL, run, workers: 1, id: 'e2e-actor', log: (l) => lines.push(l), signal: controller.signal });
    const summary = await learner;
    // Heartbeats are read at commit time; keep the actor alive until the learner is done.
    controller.abort();
    const played: ActorSummary = await actor;
    expect(summary.iterations).toBe(2);
    expect(summary.games).toBe(32);
    expect(summary.trainSteps).toBeGreaterThan(0);
    expect(played.modelVersions.slice(0, 2)).toEqual([0, 1]);
    expect(played.games).toBeGreaterThanOrEqual(32);
    const rows = readMetrics(join(runDir, 'metrics.jsonl')).filter((r): r is IterationMetrics => r.type === 'iteration');
    expect(rows.map((r) => r.distributed?.accepted)).toEqual([16, 32]);
    expect(rows.some((r) => r.actors?.some((a) => a.id === 'e2e-actor' && a.workers === 1))).toBe(true);
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('positions/s per actor');
    expect(lines.some((l) => l.includes(`actor e2e-actor: joined run "${run}"`))).toBe(true);
  });

  it('an actor process killed mid-game leaves only whole games on the stream', async () => {
    const run = uniqueRun('kill');
    runs.push(run);
    const { dir, config, game } = await newRunFolder('tictactoe', { ...tiny, selfplay: { ...tiny.selfplay, concurrentGames: 2, simulations: 24 } });
    const source = await RemoteSelfPlaySource.open({ url: REDIS_URL, run, blockMs: 100 }, { game, config, runDir: dir, iteration: 0, reporter: silentReporter });
    const redis = plainClient();
    const keys = runKeys(run);
    try {
      const onnxPath = await tinyOnnx();
      // Publishes the model; asks for more games than will come, so it waits (the test closes it).
      const waiting = source.play({ iteration: 1, onnxPath, modelVersion: 0, settings: config.selfplay, seed: 's', firstGame: 0, games: 1_000_000 });
      waiting.catch(() => undefined);
      const child = spawn(process.execPath, [cli, 'actor', '--redis', REDIS_URL, '--run', run, '--workers', '1', '--id', 'doomed'], { stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Kill it once it has sent a few rounds: whatever moment that falls on, games are in flight.
      const t0 = Date.now();
      while ((await redis.xlen(keys.positions)) < 6 && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGKILL');
      await exited;
      const entries = await redis.xrangeBuffer(keys.positions, '-', '+');
      expect(entries.length).toBeGreaterThanOrEqual(6);
      for (const [, fields] of entries) {
        const record = decodeGameRecord(game, fields[1]);
        expect(record.actor).toBe('doomed');
        expect(record.stats.games).toBe(1);
        expect(record.chunk.count).toBe(record.stats.samples);
        expect(record.stats.firstWins + record.stats.secondWins + record.stats.draws).toBe(1);
      }
    } finally {
      await source.close();
      redis.disconnect();
    }
  });

  it('survives Redis going away and coming back (a password-protected server of its own): learner and actor reconnect and go on', async () => {
    const port = await freePort();
    const url = `redis://:s3cret@127.0.0.1:${port}/0`;
    let server = await startOwnRedis(port, 's3cret');
    const run = uniqueRun('restart');
    const { dir, config, game } = await newRunFolder('tictactoe', { ...tiny, selfplay: { ...tiny.selfplay, concurrentGames: 4 } });
    const learnerLines: string[] = [];
    const actorLines: string[] = [];
    const source = await RemoteSelfPlaySource.open({ url, run, blockMs: 100 }, { game, config, runDir: dir, iteration: 0, reporter: { ...silentReporter, info: (l) => learnerLines.push(l) } });
    const controller = new AbortController();
    let actor: Promise<ActorSummary> | null = null;
    try {
      const onnxPath = await tinyOnnx();
      const first = await Promise.all([
        source.play({ iteration: 1, onnxPath, modelVersion: 0, settings: config.selfplay, seed: 's', firstGame: 0, games: 8 }),
        (async () => { actor = runActor({ url, run, workers: 1, id: 'survivor', log: (l) => actorLines.push(l), signal: controller.signal }); })(),
      ]);
      expect(first[0].stats.games).toBe(8);
      await source.committed(1);
      // Redis goes away (killed, its data gone) and comes back empty on the same port.
      await stopOwnRedis(server);
      await new Promise((r) => setTimeout(r, 700));
      server = await startOwnRedis(port, 's3cret');
      const second = await source.play({ iteration: 2, onnxPath, modelVersion: 0, settings: config.selfplay, seed: 's', firstGame: 8, games: 8 });
      expect(second.stats.games).toBe(8);
      controller.abort();
      const summary = await actor!;
      expect(summary.games).toBeGreaterThanOrEqual(16);
      for (const lines of [learnerLines, actorLines]) {
        expect(lines.filter((l) => /redis redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0 unreachable .*reconnecting with backoff/.test(l))).toHaveLength(1);
        expect(lines.some((l) => /reachable again/.test(l))).toBe(true);
        expect(lines.join('\n')).not.toContain('s3cret');
      }
    } finally {
      controller.abort();
      await source.close();
      await stopOwnRedis(server);
    }
  });
});

describe('arbor actor and arbor train --redis on the command line', () => {
  it('refuses a run name that does not exist, a bad URL and --redis-run without --redis, each in one line with exit code 2', async () => {
    const { runCli } = await import('../cli/run-cli.js');
    const missing = runCli(['actor', '--redis', REDIS_URL, '--run', uniqueRun('missing'), '--workers', '1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^arbor: redis redis:\/\/127\.0\.0\.1:6379\/0 has no arbor run named "test-missing-[^"]*" \(key arbor:test-missing-[^:]*:run is missing\); check --run, or start the learner first/);
    const badUrl = runCli(['actor', '--redis', 'http://127.0.0.1:6379', '--run', 'x']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/^arbor: --redis http:\/\/127\.0\.0\.1:6379: the scheme must be redis:\/\/ or rediss:\/\//);
    const orphan = runCli(['train', '--game', 'tictactoe', '--redis-run', 'x', '--iterations', '1']);
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toMatch(/^arbor: --redis-run needs --redis URL/);
  });
});
