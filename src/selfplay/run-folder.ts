import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { appendFile, mkdir, readFile, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArborError, type Game, writeFileAtomic } from '../core/index.js';
import { upgradeConfig, validateConfig, type TrainConfig } from './config.js';
import { basePreset, deepMerge } from './presets.js';
import { readMetrics, type MetricsRow } from './metrics.js';
import { decodeChunk, encodeChunk, type ReplayCounters, type SampleChunk } from './replay-buffer.js';

/**
 * A run folder holds everything about one training run:
 *
 *   config.json          the full resolved config, seed, package versions (written once)
 *   state.json           counters, RNG states, replay bookkeeping, latest checkpoint (the commit point)
 *   checkpoints/iter-N/  weights + optimizer (networks' saveCheckpoint) and model.onnx for the actors
 *   checkpoints/latest   symlink to the newest committed checkpoint (`mcts:model=RUN` resolves here)
 *   replay/chunk-N.bin   positions produced in iteration N, never rewritten (chunk-N-sK.bin: the
 *                        positions of board size K of a multi-size run)
 *   metrics.jsonl        one JSON line per iteration / evaluation / closing test (metrics.ts)
 *   report.html          charts, rewritten by `arbor report RUN` and at the end of a run
 *
 * Every file is written atomically (temp file + fsync + rename). An iteration is committed when
 * state.json is replaced; anything written after the last commit (a checkpoint or replay chunk
 * of an iteration in flight) is ignored and overwritten on resume, so kill -9 at any moment
 * loses at most the games in flight.
 */
export const RUN_FORMAT = 'arbor-run/1';
export const STATE_FORMAT = 'arbor-run-state/1';

export interface RunManifest {
  format: typeof RUN_FORMAT;
  createdAt: string;
  game: string;
  seed: string;
  versions: Record<string, string>;
  config: TrainConfig;
}

export interface RunState {
  format: typeof STATE_FORMAT;
  iteration: number;
  games: number;
  positions: number;
  trainSteps: number;
  /** Wall-clock training time over all sessions of this run, in ms. */
  elapsedMs: number;
  /** Committed checkpoint folder name under checkpoints/, or null before the first. */
  checkpoint: string | null;
  replay: ReplayCounters & { chunks: number[] };
  /**
   * A multi-size run (config `games`): each size's replay window, in the order of `games` (size k's
   * chunks are replay/chunk-N-sK.bin). `replay` then holds the sums of the counters and no chunks.
   */
  sizes?: { game: string; replay: ReplayCounters & { chunks: number[] } }[];
  /** Saved states of the run's random streams, by name. */
  rng: Record<string, object>;
  /** Checkpoints that took part in evaluations (kept when old checkpoints are deleted). */
  evaluatedCheckpoints: string[];
  /** With gating: the checkpoint the actors play with (the last accepted one). */
  acceptedCheckpoint?: string | null;
  /** Results of the reference ladder (each reference against the one before it), played once per run. */
  referencePairs?: { a: string; b: string; aWins: number; draws: number; bWins: number }[];
  /** A run over several sizes or games: the reference ladders of the games other than its main one, by spec. */
  gameReferencePairs?: Record<string, { a: string; b: string; aWins: number; draws: number; bWins: number }[]>;
  /** Latest Elo estimate against the references, if any. */
  elo: number | null;
  /** Resignation statistics: games where resignation was disabled, and of those how many the would-be resigner won or drew. */
  resign: { playthroughGames: number; falseResignations: number };
}

export function checkpointName(iteration: number): string {
  return `iter-${String(iteration).padStart(6, '0')}`;
}

/** learningRateDecay that keeps the rate constant: how runs made before annealing existed trained. */
const CONSTANT_LEARNING_RATE = { start: 1, finalFactor: 1 };

export class RunFolder {
  constructor(readonly dir: string) {}

  get configPath(): string { return join(this.dir, 'config.json'); }
  get statePath(): string { return join(this.dir, 'state.json'); }
  get metricsPath(): string { return join(this.dir, 'metrics.jsonl'); }
  get reportPath(): string { return join(this.dir, 'report.html'); }
  get checkpointsDir(): string { return join(this.dir, 'checkpoints'); }
  get latestPath(): string { return join(this.checkpointsDir, 'latest'); }
  checkpointDir(name: string): string { return join(this.checkpointsDir, name); }
  /** Replay chunk `id` (an iteration) of board size `size` (0 for a run on one size). */
  chunkPath(id: number, size = 0): string { return join(this.dir, 'replay', `chunk-${String(id).padStart(6, '0')}${size > 0 ? `-s${size}` : ''}.bin`); }

  /** Starts a new run here; refuses a folder that already holds a run or other files. */
  static async create(dir: string, manifest: Omit<RunManifest, 'format' | 'createdAt' | 'versions'>): Promise<RunFolder> {
    const folder = new RunFolder(resolve(dir));
    if (existsSync(folder.dir)) {
      if (!statSync(folder.dir).isDirectory()) throw new ArborError(`--run-dir ${dir} is a file; give a folder path (it is created if missing)`);
      const entries = readdirSync(folder.dir);
      if (entries.includes('config.json')) {
        throw new ArborError(`run folder ${dir} already holds a run; pass --resume to continue it, --overwrite to replace it, or choose another --run-dir`);
      }
      if (entries.length > 0) {
        throw new ArborError(`${dir} is not empty and is not an arbor run folder (no config.json); choose a new or empty --run-dir`);
      }
    }
    await mkdir(folder.checkpointsDir, { recursive: true });
    await mkdir(join(folder.dir, 'replay'), { recursive: true });
    const full: RunManifest = { format: RUN_FORMAT, createdAt: new Date().toISOString(), versions: packageVersions(), ...manifest };
    await writeFileAtomic(folder.configPath, `${JSON.stringify(full, null, 2)}\n`);
    return folder;
  }

  /**
   * Opens an existing run; every problem is one ArborError naming the folder, the file and the fix.
   * `notice`: one line saying which setting names of an earlier version config.json was read with
   * (null when it uses the current ones); the file itself is left as it was written.
   */
  static open(dir: string): { folder: RunFolder; manifest: RunManifest; state: RunState | null; notice: string | null } {
    const folder = new RunFolder(resolve(dir));
    if (!existsSync(folder.dir)) throw new ArborError(`no run folder at ${dir}; start one with arbor train --game SPEC --run-dir ${dir} (without --resume)`);
    if (!statSync(folder.dir).isDirectory()) throw new ArborError(`${dir} is a file, not a run folder; give the folder that arbor train created`);
    if (!existsSync(folder.configPath)) {
      throw new ArborError(`${dir} is not an arbor run folder (no config.json); give a folder created by arbor train, or drop --resume to start a new run in an empty folder`);
    }
    const manifest = readJson(folder.configPath, dir) as Partial<RunManifest>;
    if (manifest.format !== RUN_FORMAT) {
      throw new ArborError(`${dir}/config.json is not an arbor run config (format ${JSON.stringify(manifest.format ?? null)}, expected "${RUN_FORMAT}"); give a folder created by arbor train`);
    }
    // Keys added to arbor after the run was created take their base default; the stored values win.
    // Exception: runs from before learning-rate annealing trained at a constant rate, and a resumed
    // run must go on as it started.
    const upgraded = upgradeConfig(manifest.config);
    const notice = upgraded.changes.length ? `run folder ${dir}: config.json uses setting names of an earlier version, read as ${upgraded.changes.join(', ')}` : null;
    const stored = upgraded.config as { training?: Record<string, unknown> } | undefined;
    const legacy = stored?.training && !('learningRateDecay' in stored.training) ? { training: { learningRateDecay: CONSTANT_LEARNING_RATE } } : {};
    const config = validateConfig(deepMerge(deepMerge(basePreset, legacy), stored), `run folder ${dir}: config.json`);
    let state: RunState | null = null;
    if (existsSync(folder.statePath)) {
      const raw = readJson(folder.statePath, dir) as Partial<RunState>;
      if (raw.format !== STATE_FORMAT || typeof raw.iteration !== 'number' || !raw.replay || !Array.isArray(raw.replay.chunks) || !raw.rng) {
        throw new ArborError(`run folder ${dir} is corrupt: state.json is not an arbor run state; start a new run in another --run-dir`);
      }
      state = raw as RunState;
      if (state.checkpoint && !existsSync(folder.checkpointDir(state.checkpoint))) {
        throw new ArborError(`run folder ${dir} is corrupt: state.json names checkpoint ${state.checkpoint}, which is missing; start a new run in another --run-dir`);
      }
    }
    return { folder, manifest: { ...(manifest as RunManifest), config }, state, notice };
  }

  /** Whether `dir` holds an arbor run (its config.json carries the run format), however old or damaged the rest. */
  static holdsRun(dir: string): boolean {
    try {
      return (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { format?: string }).format === RUN_FORMAT;
    } catch {
      return false;
    }
  }

  /** Reads the replay chunks a state lists; a missing or damaged one is a clear error. */
  async loadChunks(game: Game, ids: readonly number[], size = 0): Promise<SampleChunk[]> {
    const chunks: SampleChunk[] = [];
    for (const id of ids) {
      const path = this.chunkPath(id, size);
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch {
        throw new ArborError(`run folder ${this.dir} is corrupt: replay file ${path} is missing; start a new run in another --run-dir`);
      }
      const chunk = decodeChunk(game, bytes);
      if (typeof chunk === 'string') throw new ArborError(`run folder ${this.dir} is corrupt: replay file ${path}: ${chunk}; start a new run in another --run-dir`);
      chunks.push(chunk);
    }
    return chunks;
  }

  async writeChunk(game: Game, id: number, chunk: SampleChunk, size = 0): Promise<void> {
    await writeFileAtomic(this.chunkPath(id, size), encodeChunk(game, chunk));
  }

  /** The commit point of an iteration: state.json, then the `latest` link. */
  async commit(state: RunState): Promise<void> {
    await writeFileAtomic(this.statePath, `${JSON.stringify(state)}\n`);
    if (state.checkpoint) await this.pointLatestAt(state.checkpoint);
  }

  /** Replaces checkpoints/latest atomically (a new symlink renamed over the old one). */
  async pointLatestAt(name: string): Promise<void> {
    let current: string | null = null;
    try {
      current = await readlink(this.latestPath);
    } catch {
      current = null;
    }
    if (current === name) return;
    const tmp = `${this.latestPath}.tmp-${process.pid}`;
    await rm(tmp, { force: true });
    await symlink(name, tmp, 'dir');
    await rename(tmp, this.latestPath);
  }

  /** Deletes files that no committed state refers to: old chunks and old checkpoints. */
  async prune(state: RunState, keepCheckpoints: number): Promise<void> {
    const liveChunks = new Set(state.replay.chunks.map((id) => this.chunkPath(id)));
    state.sizes?.forEach((s, k) => s.replay.chunks.forEach((id) => liveChunks.add(this.chunkPath(id, k))));
    const replayDir = join(this.dir, 'replay');
    for (const name of await readdir(replayDir)) {
      const path = join(replayDir, name);
      const m = /^chunk-(\d+)(?:-s\d+)?\.bin$/.exec(name);
      if (m && !liveChunks.has(path) && Number(m[1]) <= state.iteration) await rm(path, { force: true });
      else if (name.includes('.tmp-')) await rm(path, { force: true });
    }
    const names = (await readdir(this.checkpointsDir)).filter((n) => /^iter-\d+$/.test(n)).sort();
    const keep = new Set([...names.filter((n) => n <= (state.checkpoint ?? '')).slice(-keepCheckpoints), ...state.evaluatedCheckpoints]);
    if (state.checkpoint) keep.add(state.checkpoint);
    if (state.acceptedCheckpoint) keep.add(state.acceptedCheckpoint);
    for (const n of names) {
      // Checkpoints newer than the committed one belong to an iteration in flight or were abandoned by a crash.
      if (!keep.has(n) && n < (state.checkpoint ?? '')) await rm(this.checkpointDir(n), { recursive: true, force: true });
    }
  }

  /** Removes what an interrupted iteration left behind (uncommitted checkpoints and chunks). */
  async discardUncommitted(state: RunState | null): Promise<void> {
    const iteration = state?.iteration ?? 0;
    if (existsSync(this.checkpointsDir)) {
      for (const n of await readdir(this.checkpointsDir)) {
        const m = /^iter-(\d+)$/.exec(n);
        if ((m && Number(m[1]) > iteration) || n.includes('.tmp-')) await rm(join(this.checkpointsDir, n), { recursive: true, force: true });
      }
    }
    const replayDir = join(this.dir, 'replay');
    if (existsSync(replayDir)) {
      for (const n of await readdir(replayDir)) {
        const m = /^chunk-(\d+)(?:-s\d+)?\.bin$/.exec(n);
        if ((m && Number(m[1]) > iteration) || n.includes('.tmp-')) await rm(join(replayDir, n), { force: true });
      }
    }
    await this.trimMetrics(iteration);
  }

  /** Appends one metrics line (a torn last line after kill -9 is skipped by readers and trimmed on resume). */
  async appendMetrics(record: MetricsRow): Promise<void> {
    await appendFile(this.metricsPath, `${JSON.stringify(record)}\n`);
  }

  /** Keeps only metric lines of committed iterations, so a resumed run does not repeat lines. */
  private async trimMetrics(iteration: number): Promise<void> {
    if (!existsSync(this.metricsPath)) return;
    const kept = readMetrics(this.metricsPath).filter((r) => typeof r.iteration !== 'number' || r.iteration <= iteration);
    await writeFileAtomic(this.metricsPath, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}

function readJson(path: string, dir: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ArborError(`run folder ${dir} is corrupt: cannot read ${path}; start a new run in another --run-dir`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ArborError(`run folder ${dir} is corrupt: ${path} is not valid JSON; start a new run in another --run-dir`);
  }
}

/** arbor's own version and those of the packages that shape results, for config.json. */
export function packageVersions(): Record<string, string> {
  const root = packageRoot();
  const versions: Record<string, string> = { node: process.versions.node };
  const read = (path: string) => {
    try {
      return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };
  if (root) {
    versions.arbor = read(join(root, 'package.json'));
    for (const name of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node', 'onnxruntime-node', 'onnx-proto', 'piscina']) {
      const path = join(root, 'node_modules', name, 'package.json');
      if (existsSync(path)) versions[name] = read(path);
    }
  }
  return versions;
}

function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'arbor') return dir;
      } catch {
        // keep looking upward
      }
    }
    dir = dirname(dir);
  }
  return null;
}
