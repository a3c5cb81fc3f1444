import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { ArborError, freshSeed, type Game } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { Actors, type SelfPlayBatch } from '../selfplay/index.js';
import { beat, HEARTBEAT_MS } from './heartbeats.js';
import { fetchModel, latestModel } from './model-channel.js';
import { encodeGameRecord } from './position-record.js';
import { connectRedis, safeRedisUrl } from './redis-connection.js';
import { readDescriptor, type RunDescriptor } from './run-descriptor.js';
import { runKeys, type RunKeys } from './run-keys.js';

/**
 * `arbor actor`: a process that plays a distributed run's self-play games. Its worker threads and
 * ONNX Runtime sessions are local training's own actor pool (selfplay/actors.ts), each worker
 * playing `selfplay.concurrentGames` games at a time with the run's settings from the run
 * descriptor. Each game goes to the positions stream as one record the moment it ends (the worker
 * hands it over through a MessagePort); between rounds of games the actor looks for a newer model
 * and switches to it. Killed at any moment, it loses only the games in flight: a record is one
 * XADD, whole or absent.
 */
export interface ActorOptions {
  url: string;
  run: string;
  workers: number;
  /** The actor's name in heartbeats and records (default HOST-PID). */
  id?: string;
  /** Stop after this many games (0 or absent: until stopped). */
  games?: number;
  /** Seed of the actor's games (default fresh): game k of two actors given one seed is the same game. */
  seed?: string;
  log: (line: string) => void;
  /** Aborting stops the actor once its games in flight are finished and sent. */
  signal?: AbortSignal;
}

export interface ActorSummary {
  id: string;
  run: string;
  runId: string;
  game: string;
  games: number;
  positions: number;
  seconds: number;
  /** Model versions the actor played with, in order. */
  modelVersions: number[];
  /** CPU time the process used (all its threads) from joining the run to the end, in seconds (its start-up excluded). */
  cpuSeconds: number;
}

interface LoadedModel {
  version: number;
  path: string;
}

/** How often (at most) an actor asks for a newer model, between rounds. */
const MODEL_POLL_MS = 300;
/** The span a heartbeat's positions/s is measured over. */
const THROUGHPUT_WINDOW_MS = 20_000;
/** Games of one worker task, in units of `concurrentGames`. */
const ROUND_TASKS = 2;
/** How many downloaded model files an actor keeps (an older one may still be opening in a worker). */
const KEEP_MODEL_FILES = 3;

export async function runActor(o: ActorOptions): Promise<ActorSummary> {
  const id = o.id ?? `${hostname()}-${process.pid}`;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new ArborError(`--id "${id}" is not a usable actor id: use 1-64 letters, digits, '.', '_' or '-'`);
  const keys = runKeys(o.run);
  const redis = connectRedis(o.url, { role: `actor ${id}`, log: o.log });
  const dir = await mkdtemp(join(tmpdir(), 'arbor-actor-'));
  try {
    const descriptor = await readDescriptor(redis, keys);
    if (!descriptor) throw new ArborError(`redis ${safeRedisUrl(o.url)} has no arbor run named "${o.run}" (key ${keys.descriptor} is missing); check --run, or start the learner first: arbor train ... --redis URL --redis-run ${o.run}`);
    const actor = new ActorProcess(redis, keys, descriptor, createGame(descriptor.game), id, o, dir);
    return await actor.run();
  } finally {
    await Promise.race([redis.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000))]);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
}

/** CPU time of this process so far (main and worker threads), in seconds. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

class ActorProcess {
  private model: LoadedModel | null = null;
  private readonly modelFiles: string[] = [];
  private readonly versions: number[] = [];
  private readonly seed: string;
  private games = 0;
  /** Games handed to the workers so far (the next round's first game number; the seed makes them this session's own). */
  private reserved = 0;
  private moves = 0;
  private stopping = false;
  private refreshing: Promise<void> | null = null;
  private lastModelCheck = 0;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RunKeys,
    private readonly descriptor: RunDescriptor,
    private readonly game: Game,
    private readonly id: string,
    private readonly o: ActorOptions,
    private readonly dir: string,
  ) {
    this.seed = o.seed ?? freshSeed();
  }

  async run(): Promise<ActorSummary> {
    const { o, descriptor } = this;
    const t0 = performance.now();
    const cpu0 = cpuSeconds();
    o.log(`actor ${this.id}: joined run "${this.keys.run}" (id ${descriptor.runId}, ${descriptor.game}, config ${descriptor.configHash}) with ${o.workers} worker thread(s) x ${descriptor.settings.concurrentGames} games`);
    const actors = new Actors(this.game, o.workers);
    // Stopping lets the games in flight finish and be sent (worker threads are not torn down in
    // the middle of an ONNX Runtime call); a process that must stop at once is killed instead, which
    // loses only those games.
    const onAbort = () => {
      this.stopping = true;
    };
    o.signal?.addEventListener('abort', onAbort);
    let heartbeat: NodeJS.Timeout | null = null;
    try {
      await this.waitForFirstModel();
      // Throughput over the last THROUGHPUT_WINDOW_MS: games end in bursts, so one beat's interval would swing.
      const beats = [{ at: performance.now(), moves: 0 }];
      const sendBeat = async () => {
        const now = performance.now();
        beats.push({ at: now, moves: this.moves });
        while (beats.length > 2 && now - beats[1].at >= THROUGHPUT_WINDOW_MS) beats.shift();
        const pps = (this.moves - beats[0].moves) / Math.max(1e-3, (now - beats[0].at) / 1000);
        await beat(this.redis, this.keys, { id: this.id, workers: o.workers, games: this.games, positionsPerSecond: pps, modelVersion: this.model?.version ?? -1 });
      };
      await sendBeat();
      heartbeat = setInterval(() => { sendBeat().catch(() => undefined); }, HEARTBEAT_MS);
      const loops = Array.from({ length: o.workers }, () => this.playLoop(actors));
      const results = await Promise.allSettled(loops);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed && !this.o.signal?.aborted) throw failed.reason;
    } finally {
      if (heartbeat) clearInterval(heartbeat);
      o.signal?.removeEventListener('abort', onAbort);
      await actors.close().catch(() => undefined);
      await this.redis.del(this.keys.actor(this.id)).catch(() => undefined);
    }
    return { id: this.id, run: this.keys.run, runId: descriptor.runId, game: descriptor.game, games: this.games, positions: this.moves, seconds: (performance.now() - t0) / 1000, modelVersions: this.versions, cpuSeconds: cpuSeconds() - cpu0 };
  }

  private wanted(): number {
    return this.o.games && this.o.games > 0 ? this.o.games : Infinity;
  }

  /**
   * One worker's rounds: play a task of ROUND_TASKS × `concurrentGames` games with the current model
   * (each game goes to the stream the moment it ends, while the others play on), then look for a
   * newer model. A longer task keeps the worker's batch full for longer (fewer ends of rounds where
   * few games are left in flight); a shorter one switches models sooner.
   */
  private async playLoop(actors: Actors): Promise<void> {
    const { settings } = this.descriptor;
    while (!this.stopping && this.reserved < this.wanted()) {
      // With a game limit each worker takes at most its share (game numbers as local actors split them), not all of it.
      const share = Number.isFinite(this.wanted()) ? Math.ceil(this.wanted() / this.o.workers) : Infinity;
      const games = Math.min(ROUND_TASKS * settings.concurrentGames, share, this.wanted() - this.reserved);
      const firstGame = this.reserved;
      this.reserved += games;
      const model = this.model!;
      const sends: Promise<void>[] = [];
      try {
        await actors.play({ onnxPath: model.path, modelVersion: model.version, settings, seed: this.seed, firstGame, games, recordOwnership: this.descriptor.recordOwnership, onGame: (played) => { sends.push(this.send(played, model.version)); } });
        await Promise.all(sends);
        await this.refreshModel();
      } catch (e) {
        await Promise.allSettled(sends);
        if (this.stopping) return;
        this.stopping = true;
        throw e;
      }
    }
  }

  /** One finished game, one XADD: each record is whole or absent. */
  private async send(played: SelfPlayBatch, modelVersion: number): Promise<void> {
    const header = { run: this.keys.run, runId: this.descriptor.runId, actor: this.id, game: this.game.spec, modelVersion };
    const record = encodeGameRecord(this.game, header, played.chunk, 0, played.chunk.count, played.stats);
    await this.redis.xadd(this.keys.positions, 'MAXLEN', '~', this.descriptor.streamMaxLen, '*', 'r', record);
    this.games += played.stats.games;
    this.moves += played.stats.moves;
  }

  private async waitForFirstModel(): Promise<void> {
    let told = false;
    while (!this.model) {
      if (this.stopping) throw new ArborError('the actor was stopped before the learner published a model');
      await this.refreshModel(true);
      if (this.model) break;
      if (!told) this.o.log(`actor ${this.id}: waiting for the learner to publish the run's first model`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** Switches to the newest published model when there is a newer one (at most every MODEL_POLL_MS; concurrent callers share one look). */
  private async refreshModel(force = false): Promise<void> {
    if (!force && performance.now() - this.lastModelCheck < MODEL_POLL_MS) return;
    this.refreshing ??= this.lookForModel().finally(() => {
      this.refreshing = null;
      this.lastModelCheck = performance.now();
    });
    await this.refreshing;
  }

  private async lookForModel(): Promise<void> {
    const { runId } = this.descriptor;
    const current = await readDescriptor(this.redis, this.keys);
    // A missing descriptor is a Redis that restarted empty: the learner writes it again; the actor goes on.
    if (current && current.runId !== runId) {
      throw new ArborError(`run "${this.keys.run}" on redis is now another run (id ${current.runId}, ${current.game}); this actor joined run id ${runId} and stops: start it again to join the new run`);
    }
    const latest = await latestModel(this.redis, this.keys);
    if (!latest || latest.version === this.model?.version) return;
    const onnx = await fetchModel(this.redis, this.keys, latest, runId);
    if (!onnx) return;
    const path = join(this.dir, `model-${latest.version}.onnx`);
    await writeFile(path, onnx);
    this.model = { version: latest.version, path };
    this.versions.push(latest.version);
    this.modelFiles.push(path);
    while (this.modelFiles.length > KEEP_MODEL_FILES) await rm(this.modelFiles.shift()!, { force: true });
  }
}
