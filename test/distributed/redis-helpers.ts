import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createGame } from '../../src/envs/index.js';
import { emptyChunk, emptyStats, resolveConfig, RunFolder, type SelfPlaySettings, type TrainConfig } from '../../src/selfplay/index.js';
import { deleteRunKeys, encodeGameRecord } from '../../src/distributed/index.js';
import type { Game } from '../../src/core/index.js';

/** The machine's Redis (.ci/run starts it); tests use a run name of their own and delete its keys. */
export const REDIS_URL = 'redis://127.0.0.1:6379/0';

let counter = 0;
export function uniqueRun(tag: string): string {
  return `test-${tag}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}

export async function deleteTestRun(run: string, url = REDIS_URL): Promise<void> {
  const redis = new Redis(url, { protocol: 2, maxRetriesPerRequest: 1 });
  try {
    await deleteRunKeys(redis, run);
  } finally {
    redis.disconnect();
  }
}

export function plainClient(url = REDIS_URL): Redis {
  return new Redis(url, { protocol: 2, maxRetriesPerRequest: null });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of this test's own on 127.0.0.1:`port` (nothing kept on disk); resolves once it accepts connections. */
export async function startOwnRedis(port: number, password?: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(password ? ['--requirepass', password] : [])];
  const proc = spawn('/usr/bin/redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  return proc;
}

export async function stopOwnRedis(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
}

/** A new run folder of `spec` (quick preset with `overrides`), as `arbor train` makes it before its first iteration. */
export async function newRunFolder(spec: string, overrides: Record<string, unknown> = {}): Promise<{ dir: string; config: TrainConfig; game: Game }> {
  const game = createGame(spec);
  const dir = join(mkdtempSync(join(tmpdir(), 'arbor-dist-')), 'run');
  const config = resolveConfig({ game: game.spec, gameId: game.id, preset: 'quick', seed: 'dist', overrides });
  await RunFolder.create(dir, { game: game.spec, seed: 'dist', config });
  return { dir, config, game };
}

/**
 * A record of one made-up game of `samples` positions whose values all equal `marker`, so a test
 * can tell games apart after they went through the stream.
 */
export function fakeGameRecord(game: Game, header: { run: string; runId: string; actor?: string; modelVersion?: number }, samples: number, marker: number): Buffer {
  const chunk = emptyChunk(game, samples);
  chunk.values.fill(marker);
  chunk.inputs.fill(marker);
  for (let i = 0; i < samples; i++) chunk.policies[i * game.numActions] = 1;
  chunk.masks.fill(1);
  const stats = { ...emptyStats(), games: 1, moves: samples, samples, firstWins: 1 };
  return encodeGameRecord(game, { run: header.run, runId: header.runId, actor: header.actor ?? 'fake', game: game.spec, modelVersion: header.modelVersion ?? 0 }, chunk, 0, samples, stats);
}

export function settingsOf(config: TrainConfig): SelfPlaySettings {
  return config.selfplay;
}
