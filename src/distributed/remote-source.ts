import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Redis } from 'ioredis';
import { ArborError, isArborError, writeFileAtomic, type Game } from '../core/index.js';
import {
  addStats,
  concatChunks,
  emptyStats,
  RunFolder,
  type DistributedMetrics,
  type SampleChunk,
  type SelfPlayBatch,
  type SelfPlayRequest,
  type SelfPlaySource,
  type SelfPlaySourceFactory,
  type TrainConfig,
  type TrainReporter,
} from '../selfplay/index.js';
import { liveActors } from './heartbeats.js';
import { publishModel } from './model-channel.js';
import { decodeGameRecord, type GameRecord } from './position-record.js';
import { connectRedis, isNoGroupError, safeRedisUrl } from './redis-connection.js';
import { claimRun, makeDescriptor, type RunDescriptor } from './run-descriptor.js';
import { LEARNER_CONSUMER, LEARNER_GROUP, runKeys, type RunKeys } from './run-keys.js';

/**
 * The learner's side of a distributed run: self-play games come from actor processes through the
 * run's positions stream (a Redis Stream read by the consumer group "learner") instead of local
 * worker threads.
 *
 * Nothing is lost and nothing counted twice, whichever process dies:
 * - an entry is acknowledged (XACK) only after the run folder has committed the iteration whose
 *   replay data hold its positions, so a learner killed before that finds it again as pending
 *   (XAUTOCLAIM) when it resumes;
 * - the stream ids of the games each iteration took are written to RUN/distributed/ids-N.json
 *   before its samples are trained on; after a resume the ids of committed iterations are
 *   acknowledged and skipped (a learner killed between its commit and its XACK), the files of
 *   iterations that never committed are deleted with the rest of those iterations.
 * Records of another run or game, damaged or foreign entries are acknowledged and counted as
 * rejected; games played with a model more than `distributed.maxModelLag` versions old are
 * acknowledged and counted as stale (Espeholt et al.'s IMPALA and KataGo bound policy lag the same way).
 */
export interface RemoteSourceOptions {
  url: string;
  /** The run name actors join with (`arbor actor --run NAME`). */
  run: string;
  /** How long a read blocks before the loop looks around again, in ms. */
  blockMs?: number;
}

interface DeliveredGame {
  id: string;
  record: GameRecord;
}

const STATE_DIR = 'distributed';
/** How long the learner waits for games before it says so (once per iteration). */
const WAITING_NOTICE_MS = 15_000;

export class RemoteSelfPlaySource implements SelfPlaySource {
  private readonly counters: DistributedMetrics = { accepted: 0, stale: 0, rejected: 0, duplicates: 0 };
  /** Entries of an earlier session still pending in the group: read before new ones. */
  private backlog: [string, Buffer[]][] = [];
  /** Stream ids the committed iterations of an earlier session took (acknowledged and skipped if seen again). */
  private readonly committedIds: Set<string>;
  /** Iterations played but not yet committed, with the stream ids they took. */
  private readonly uncommitted = new Map<number, string[]>();
  private publishedVersion: number | null = null;
  private lastModel: { version: number; onnx: Buffer } | null = null;
  private needsRepublish = false;
  private closed = false;
  private rejectLines = 0;

  private constructor(
    private readonly redis: Redis,
    private readonly keys: RunKeys,
    private readonly game: Game,
    private readonly config: TrainConfig,
    private readonly descriptor: RunDescriptor,
    private readonly stateDir: string,
    committedIds: Set<string>,
    private readonly reporter: TrainReporter,
    private readonly blockMs: number,
    readonly description: string,
  ) {
    this.committedIds = committedIds;
  }

  /** The factory `train` takes as its `selfPlaySource`. */
  static factory(o: RemoteSourceOptions): SelfPlaySourceFactory {
    return (run) => RemoteSelfPlaySource.open(o, run);
  }

  static async open(o: RemoteSourceOptions, run: { game: Game; config: TrainConfig; runDir: string; iteration: number; reporter: TrainReporter }): Promise<RemoteSelfPlaySource> {
    const { game, config, runDir, iteration, reporter } = run;
    if (config.games) throw new ArborError('--redis trains one game at one board size: a multi-size or multi-game run (--sizes, --game given twice, config games) plays in local worker threads; drop --redis, or --sizes and the extra --game');
    const keys = runKeys(o.run);
    const stateDir = join(runDir, STATE_DIR);
    await mkdir(stateDir, { recursive: true });
    const recorded = await readRecordedRun(stateDir);
    if (recorded !== null && recorded !== o.run) throw new ArborError(`run folder ${runDir} was trained as redis run "${recorded}", not "${o.run}"; resume it with --redis-run ${recorded} (its pending positions are there)`);
    const { manifest } = RunFolder.open(runDir);
    const descriptor = makeDescriptor(o.run, manifest, config, runDir);
    const committedIds = await committedStreamIds(stateDir, iteration);
    let source: RemoteSelfPlaySource | null = null;
    const redis = connectRedis(o.url, { role: 'learner', log: (line) => reporter.info(line), onReconnect: () => source?.markRepublish() });
    try {
      await claimRun(redis, keys, descriptor);
      await writeFileAtomic(join(stateDir, 'run.json'), `${JSON.stringify({ run: o.run })}\n`);
      await ensureGroup(redis, keys);
      const description = `actor processes through redis ${safeRedisUrl(o.url)}, run "${o.run}" (id ${descriptor.runId}); start actors with: arbor actor --redis URL --run ${o.run} --workers N`;
      source = new RemoteSelfPlaySource(redis, keys, game, config, descriptor, stateDir, committedIds, reporter, o.blockMs ?? 1000, description);
      await source.claimPending();
      return source;
    } catch (e) {
      redis.disconnect();
      throw e;
    }
  }

  /** After a reconnect the server may have restarted empty: descriptor, group and model are written again before the next read. */
  private markRepublish(): void {
    this.needsRepublish = true;
  }

  private async republish(): Promise<void> {
    this.needsRepublish = false;
    await claimRun(this.redis, this.keys, this.descriptor);
    await ensureGroup(this.redis, this.keys);
    if (this.lastModel && !(await this.redis.exists(this.keys.model(this.lastModel.version)))) await this.publish(this.lastModel.version, this.lastModel.onnx);
  }

  /** Moves every entry still pending in the group (delivered to a learner that did not live to acknowledge it) to this learner's backlog. */
  private async claimPending(): Promise<void> {
    let start = '0-0';
    let lost = 0;
    do {
      const reply = await this.redis.callBuffer('XAUTOCLAIM', this.keys.positions, LEARNER_GROUP, LEARNER_CONSUMER, 0, start, 'COUNT', 200) as [Buffer, [Buffer, Buffer[]][], Buffer[]?];
      start = reply[0].toString();
      for (const [id, fields] of reply[1]) this.backlog.push([id.toString(), fields]);
      lost += reply[2]?.length ?? 0;
    } while (start !== '0-0');
    if (this.backlog.length > 0) this.reporter.info(`redis: ${this.backlog.length} position record(s) pending from an earlier learner session; reading them first (${this.committedIds.size > 0 ? 'those the run folder already holds are skipped' : 'none is in the run folder yet'})`);
    if (lost > 0) this.reporter.info(`redis: ${lost} pending record(s) were trimmed from the stream before they were read (distributed.streamMaxLen); those games are lost`);
  }

  private async publish(version: number, onnx: Buffer): Promise<void> {
    await publishModel(this.redis, this.keys, { version, runId: this.descriptor.runId, onnx }, this.config.distributed.maxModelLag + 1);
    this.publishedVersion = version;
    this.lastModel = { version, onnx };
  }

  async play(request: SelfPlayRequest): Promise<SelfPlayBatch> {
    if (request.game && request.game.spec !== this.game.spec) throw new ArborError(`--redis trains ${this.game.spec} only; a game of ${request.game.spec} was asked for`);
    if (request.modelVersion !== this.publishedVersion) await this.publish(request.modelVersion, await readFile(request.onnxPath));
    const minVersion = request.modelVersion - this.config.distributed.maxModelLag;
    const taken: DeliveredGame[] = [];
    let waitingSince = performance.now();
    let toldWaiting = false;
    while (taken.length < request.games) {
      if (this.closed) throw new ArborError('the distributed self-play source was closed while waiting for games');
      if (this.needsRepublish) await this.republish();
      const entries = this.backlog.length > 0 ? this.backlog.splice(0, request.games - taken.length) : await this.readNew(request.games - taken.length);
      const acks: string[] = [];
      for (const [id, fields] of entries) {
        const verdict = this.judge(id, fields, minVersion);
        if (verdict.kind === 'take') taken.push({ id, record: verdict.record });
        else acks.push(id);
      }
      if (acks.length > 0) await this.redis.xack(this.keys.positions, LEARNER_GROUP, ...acks);
      if (entries.length > 0) {
        waitingSince = performance.now();
      } else if (!toldWaiting && performance.now() - waitingSince > WAITING_NOTICE_MS) {
        toldWaiting = true;
        this.reporter.info(`waiting for self-play games: no actor has sent one for ${WAITING_NOTICE_MS / 1000} s (start one with: arbor actor --redis URL --run ${this.keys.run})`);
      }
    }
    const iteration = request.iteration ?? -1;
    const ids = taken.map((g) => g.id);
    // Written before the samples reach the replay data: a resumed learner can tell which pending entries its committed iterations already hold.
    if (iteration >= 0) {
      await writeFileAtomic(idsPath(this.stateDir, iteration), `${JSON.stringify(ids)}\n`);
      this.uncommitted.set(iteration, [...(this.uncommitted.get(iteration) ?? []), ...ids]);
    }
    this.counters.accepted += taken.length;
    const stats = emptyStats();
    for (const g of taken) addStats(stats, g.record.stats);
    const chunk: SampleChunk = concatChunks(this.game, taken.map((g) => g.record.chunk));
    if (request.recordOwnership && taken.length > 0 && !chunk.ownership) throw new ArborError('actors sent positions without ownership targets, but this run trains an ownership head; restart the actors with the same arbor version as the learner');
    return { chunk, stats };
  }

  /** Up to `count` new entries (blocking up to blockMs); recreates the group when Redis lost it. */
  private async readNew(count: number): Promise<[string, Buffer[]][]> {
    let reply: unknown;
    try {
      reply = await this.redis.callBuffer('XREADGROUP', 'GROUP', LEARNER_GROUP, LEARNER_CONSUMER, 'COUNT', count, 'BLOCK', this.blockMs, 'STREAMS', this.keys.positions, '>');
    } catch (e) {
      if (this.closed) return [];
      if (!isNoGroupError(e)) throw e;
      // The server restarted without its data: the stream and group are made anew, the run goes on.
      await this.republish();
      return [];
    }
    if (!reply) return [];
    const streams = reply as [Buffer, [Buffer, Buffer[] | null][]][];
    const out: [string, Buffer[]][] = [];
    for (const [, items] of streams) for (const [id, fields] of items) out.push([id.toString(), fields ?? []]);
    return out;
  }

  /** What to do with one stream entry: take it, or acknowledge and count it (duplicate, rejected, stale). */
  private judge(id: string, fields: Buffer[], minVersion: number): { kind: 'take'; record: GameRecord } | { kind: 'drop' } {
    if (this.committedIds.has(id)) {
      this.counters.duplicates++;
      return { kind: 'drop' };
    }
    const at = fields.findIndex((f, i) => i % 2 === 0 && f.toString() === 'r');
    let record: GameRecord;
    try {
      if (at < 0 || !fields[at + 1]) throw new ArborError('not a valid arbor positions record: the entry has no "r" field');
      record = decodeGameRecord(this.game, fields[at + 1]);
      if (record.run !== this.keys.run || record.runId !== this.descriptor.runId) throw new ArborError(`the record belongs to run "${record.run}" (id ${record.runId}), not to this run "${this.keys.run}" (id ${this.descriptor.runId})`);
    } catch (e) {
      if (!isArborError(e)) throw e;
      this.counters.rejected++;
      if (this.rejectLines++ < 5) this.reporter.info(`redis: stream entry ${id} refused and acknowledged: ${e.message}`);
      return { kind: 'drop' };
    }
    if (record.modelVersion < minVersion) {
      this.counters.stale++;
      return { kind: 'drop' };
    }
    return { kind: 'take', record };
  }

  async committed(iteration: number): Promise<void> {
    const done = [...this.uncommitted.keys()].filter((k) => k <= iteration);
    const ids = done.flatMap((k) => this.uncommitted.get(k)!);
    for (let i = 0; i < ids.length; i += 500) await this.redis.xack(this.keys.positions, LEARNER_GROUP, ...ids.slice(i, i + 500));
    for (const k of done) this.uncommitted.delete(k);
    // Every id up to `iteration` is acknowledged now: the files of earlier iterations are no longer needed.
    for (const name of await readdir(this.stateDir)) {
      const n = idsIteration(name);
      if (n !== null && n < iteration) await rm(join(this.stateDir, name), { force: true });
    }
  }

  async metrics(): Promise<{ actors: Awaited<ReturnType<typeof liveActors>>; distributed: DistributedMetrics }> {
    return { actors: await liveActors(this.redis, this.keys), distributed: { ...this.counters } };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await Promise.race([this.redis.quit(), new Promise((resolve) => setTimeout(resolve, 1000))]);
    } catch {
      // already gone
    }
    this.redis.disconnect();
  }
}

async function ensureGroup(redis: Redis, keys: RunKeys): Promise<void> {
  try {
    await redis.xgroup('CREATE', keys.positions, LEARNER_GROUP, '0', 'MKSTREAM');
  } catch (e) {
    if (!(e instanceof Error && /BUSYGROUP/.test(e.message))) throw e;
  }
}

function idsPath(stateDir: string, iteration: number): string {
  return join(stateDir, `ids-${String(iteration).padStart(6, '0')}.json`);
}

function idsIteration(name: string): number | null {
  const m = /^ids-(\d+)\.json$/.exec(name);
  return m ? Number(m[1]) : null;
}

async function readRecordedRun(stateDir: string): Promise<string | null> {
  return recordedRunName(dirname(stateDir));
}

/** The redis run name a run folder was trained under (null before its first distributed session): a resumed run keeps it. */
export function recordedRunName(runDir: string): string | null {
  const path = join(runDir, STATE_DIR, 'run.json');
  if (!existsSync(path)) return null;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { run?: string }).run ?? null;
  } catch {
    return null;
  }
}

/**
 * The stream ids held by committed iterations (up to `iteration`); files of iterations after it
 * (played, never committed) are deleted, as the run folder deletes their replay chunks.
 */
async function committedStreamIds(stateDir: string, iteration: number): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const name of await readdir(stateDir)) {
    const n = idsIteration(name);
    if (n === null) {
      if (name.includes('.tmp-')) await rm(join(stateDir, name), { force: true });
      continue;
    }
    if (n > iteration) {
      await rm(join(stateDir, name), { force: true });
      continue;
    }
    const list = JSON.parse(await readFile(join(stateDir, name), 'utf8')) as string[];
    for (const id of list) ids.add(id);
  }
  return ids;
}
