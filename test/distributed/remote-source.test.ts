import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimRun, makeDescriptor, RemoteSelfPlaySource, runActor, runKeys } from '../../src/distributed/index.js';
import { RunFolder, silentReporter, type SelfPlayBatch } from '../../src/selfplay/index.js';
import { deleteTestRun, fakeGameRecord, newRunFolder, plainClient, REDIS_URL, uniqueRun } from './redis-helpers.js';

/**
 * The learner's side against the machine's Redis, with records a test writes itself (as an actor
 * would): what is read, what is acknowledged when, and what a restarted learner sees again.
 */
const runs: string[] = [];
const redis = plainClient();
afterAll(async () => {
  for (const run of runs) await deleteTestRun(run);
  redis.disconnect();
});

async function setUp(tag: string, overrides: Record<string, unknown> = {}) {
  const run = uniqueRun(tag);
  runs.push(run);
  const { dir, config, game } = await newRunFolder('tictactoe', overrides);
  const { manifest } = RunFolder.open(dir);
  const runId = makeDescriptor(run, manifest, config, dir).runId;
  const onnxPath = join(dir, 'fake-model.onnx');
  writeFileSync(onnxPath, 'not really onnx: the channel carries bytes');
  const keys = runKeys(run);
  const lines: string[] = [];
  const reporter = { ...silentReporter, info: (line: string) => lines.push(line) };
  const open = (iteration: number) => RemoteSelfPlaySource.open({ url: REDIS_URL, run, blockMs: 100 }, { game, config, runDir: dir, iteration, reporter });
  const add = async (marker: number, options: { modelVersion?: number; runId?: string; samples?: number } = {}) =>
    (await redis.xadd(keys.positions, '*', 'r', fakeGameRecord(game, { run, runId: options.runId ?? runId, modelVersion: options.modelVersion }, options.samples ?? 3, marker)))!;
  const request = (iteration: number, games: number, modelVersion = 0) => ({ iteration, onnxPath, modelVersion, settings: config.selfplay, seed: 's', firstGame: 0, games });
  const pending = async () => Number(((await redis.xpending(keys.positions, 'learner')) as [number])[0]);
  return { run, dir, config, game, runId, keys, open, add, request, pending, lines };
}

const markers = (batch: SelfPlayBatch) => [...new Set(Array.from(batch.chunk.values))].sort((a, b) => a - b);

describe('the learner reading the positions stream', () => {
  it('takes whole games through the consumer group and acknowledges them only once their iteration is committed', async () => {
    const t = await setUp('roundtrip');
    const source = await t.open(0);
    try {
      for (const m of [1, 2, 3]) await t.add(m);
      const batch = await source.play(t.request(1, 3));
      expect(batch.stats.games).toBe(3);
      expect(batch.chunk.count).toBe(9);
      expect(markers(batch)).toEqual([1, 2, 3]);
      expect(await t.pending()).toBe(3);
      await source.committed(1);
      expect(await t.pending()).toBe(0);
      // The model of the request was published for actors, tagged with the run id.
      expect((await redis.hget(t.keys.model(0), 'runId'))).toBe(t.runId);
      expect(readdirSync(join(t.dir, 'distributed'))).toContain('ids-000001.json');
    } finally {
      await source.close();
    }
  });

  it('a restarted learner sees the positions still pending exactly once: none lost, none taken twice', async () => {
    const t = await setUp('restart');
    let source = await t.open(0);
    for (const m of [1, 2, 3, 4]) await t.add(m);
    expect(markers(await source.play(t.request(1, 2)))).toEqual([1, 2]);
    await source.committed(1);
    expect(markers(await source.play(t.request(2, 2)))).toEqual([3, 4]);
    // Killed before iteration 2 was committed: its games are pending, and read again first.
    await source.close();
    source = await t.open(1);
    expect(t.lines.some((l) => /2 position record\(s\) pending from an earlier learner session/.test(l))).toBe(true);
    await t.add(5);
    expect(markers(await source.play(t.request(2, 2)))).toEqual([3, 4]);
    // Killed after committing iteration 2 but before acknowledging it: the run folder holds
    // those games, so they are acknowledged and skipped, and only new games are taken.
    await source.close();
    source = await t.open(2);
    try {
      const batch = await source.play(t.request(3, 1));
      expect(markers(batch)).toEqual([5]);
      expect((await source.metrics()).distributed).toMatchObject({ accepted: 1, duplicates: 2 });
      await source.committed(3);
      expect(await t.pending()).toBe(0);
    } finally {
      await source.close();
    }
  });

  it('refuses garbage, entries without a record and other runs\' records, and drops stale games; all acknowledged and counted', async () => {
    const t = await setUp('refuse', { distributed: { maxModelLag: 2 } });
    const source = await t.open(0);
    try {
      await redis.xadd(t.keys.positions, '*', 'r', Buffer.from('garbage, not a record'));
      await redis.xadd(t.keys.positions, '*', 'something', 'else');
      await t.add(7, { runId: 'another-run-id' });
      await t.add(8, { modelVersion: 1 });
      await t.add(9, { modelVersion: 3 });
      const batch = await source.play(t.request(1, 1, 4));
      expect(markers(batch)).toEqual([9]);
      expect((await source.metrics()).distributed).toEqual({ accepted: 1, stale: 1, rejected: 3, duplicates: 0 });
      expect(t.lines.filter((l) => /refused and acknowledged: not a valid arbor positions record: magic/.test(l))).toHaveLength(1);
      expect(t.lines.some((l) => /belongs to run .* not to this run/.test(l))).toBe(true);
      expect(await t.pending()).toBe(1);
    } finally {
      await source.close();
    }
  });

  it('refuses a run name held by another run, and an actor given a run name that does not exist', async () => {
    const t = await setUp('names');
    const source = await t.open(0);
    await source.close();
    const other = await newRunFolder('tictactoe');
    const otherDescriptor = makeDescriptor(t.run, RunFolder.open(other.dir).manifest, other.config, other.dir);
    await expect(claimRun(redis, t.keys, otherDescriptor)).rejects.toThrow(/redis run name "test-names-.*" belongs to another run/);
    await expect(runActor({ url: REDIS_URL, run: `${t.run}-missing`, workers: 1, log: () => undefined })).rejects.toThrow(/has no arbor run named "test-names-.*-missing"/);
    await expect(RemoteSelfPlaySource.open({ url: REDIS_URL, run: 'renamed' }, { game: t.game, config: t.config, runDir: t.dir, iteration: 0, reporter: silentReporter })).rejects.toThrow(/was trained as redis run "test-names-.*", not "renamed"/);
  });
});
