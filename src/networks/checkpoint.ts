import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile, rename, rm, mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ArborError, type Game, writeFileAtomic } from '../core/index.js';
import { activeBackend, selectBackend } from './backend.js';
import { describeNetwork, type Architecture } from './architecture.js';
import { PolicyValueModel } from './model.js';
import { onnxModelBytes } from './onnx.js';
import { planeFix, requireSamePlanes, unionPlanes } from './planes.js';
import type { OptimizerState, Trainer, TrainerOptions } from './train.js';

/**
 * A checkpoint is one folder:
 *   model.json      architecture + weight index + sha256 of weights.bin
 *   weights.bin     float32 little-endian, parameters in architecture order (incl. batch-norm statistics)
 *   optimizer.json  (if a trainer was given) optimiser kind, step, options, slot index + sha256
 *   optimizer.bin   float32 optimiser slots (Adam m and v, or SGD velocity)
 *   model.onnx      the same network for ONNX Runtime (batch norm folded)
 *   meta.json       game spec, encoding plane names, action layout, training step, seed, versions
 * It is written to a temporary sibling folder and renamed into place, so readers never see half of one.
 */

export const CHECKPOINT_FORMAT = 'arbor-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointMeta {
  /** Training step (optimiser steps) when saved. */
  readonly step?: number;
  /** Seed of the run that produced it. */
  readonly seed?: number | string;
  /** Anything else the caller wants recorded (run id, iteration, Elo...). */
  readonly [key: string]: unknown;
}

export interface CheckpointFile {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: number;
  readonly game: { readonly id: string; readonly spec: string; readonly rows: number; readonly cols: number; readonly numActions: number };
  readonly encodingPlanes: readonly string[];
  readonly actionLayout: Game['actionLayout'];
  readonly step: number;
  readonly seed: number | string | null;
  readonly savedAt: string;
  readonly versions: Record<string, string>;
  readonly meta: CheckpointMeta;
  /**
   * A multi-game network (game-view.ts): the games it was trained on. Its planes (`encodingPlanes`)
   * and action kinds are their union and `game` is the first; each game plays its own view of it.
   * Absent for a network of one game.
   */
  readonly games?: readonly CheckpointGame[];
}

/** A game a checkpoint was saved for. */
export interface CheckpointGame {
  readonly id: string;
  readonly spec: string;
  readonly rows: number;
  readonly cols: number;
  readonly numActions: number;
}

function checkpointGame(game: Game): CheckpointGame {
  return { id: game.id, spec: game.spec, rows: game.shape.rows, cols: game.shape.cols, numActions: game.numActions };
}

export interface LoadedCheckpoint {
  readonly dir: string;
  readonly model: PolicyValueModel;
  readonly meta: CheckpointFile;
  readonly onnxPath: string;
  /** Present when the checkpoint was saved with a trainer. */
  readonly optimizer?: OptimizerState & { readonly options: TrainerOptions };
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function concatFloats(arrays: readonly Float32Array[]): Uint8Array {
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const out = new Float32Array(total);
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return new Uint8Array(out.buffer);
}

async function versions(): Promise<Record<string, string>> {
  const tf = await import('@tensorflow/tfjs');
  const ort = await import('onnxruntime-node');
  return { arbor: '0.1.0', node: process.version, tfjs: tf.version_core, onnxruntime: ort.env.versions?.common ?? 'unknown' };
}

/**
 * Saves a checkpoint of `model` for `game`; with `games` (two or more), of the multi-game network
 * of those games (its planes their union, `game` the first of them).
 */
export async function saveCheckpoint(dir: string, options: { model: PolicyValueModel; trainer?: Trainer; game: Game; games?: readonly Game[]; meta?: CheckpointMeta }): Promise<void> {
  const { model, trainer, game } = options;
  const meta = options.meta ?? {};
  const games = options.games && options.games.length > 1 ? options.games : undefined;
  if (games) {
    requireSamePlanes(model.architecture.inputPlanes, unionPlanes(games.map((g) => g.encoding.planes)), 'the model', `the union of ${games.map((g) => g.spec).join(', ')}`, 'save it with the games it was built for');
  } else {
    requireSamePlanes(model.architecture.inputPlanes, game.encoding.planes, 'the model', game.spec, `save it with the game it was built for`);
  }
  const target = resolve(dir);
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now()}`);
  await mkdir(tmp, { recursive: true });
  try {
    const weights = await model.readWeights();
    const index: { name: string; shape: readonly number[]; offset: number; length: number }[] = [];
    let offset = 0;
    for (const spec of model.specs) {
      const length = weights.get(spec.name)!.length;
      index.push({ name: spec.name, shape: spec.shape, offset, length });
      offset += length;
    }
    const weightBytes = concatFloats(model.specs.map((s) => weights.get(s.name)!));
    await writeFileAtomic(join(tmp, 'weights.bin'), weightBytes);
    await writeFileAtomic(join(tmp, 'model.json'), `${JSON.stringify({ architecture: model.architecture, weights: index, sha256: sha256(weightBytes) }, null, 2)}\n`);
    if (trainer) {
      const state = await trainer.readState();
      const slotIndex: { name: string; lengths: number[]; offset: number }[] = [];
      const arrays: Float32Array[] = [];
      let at = 0;
      for (const [name, slots] of state.slots) {
        slotIndex.push({ name, lengths: slots.map((s) => s.length), offset: at });
        for (const s of slots) {
          arrays.push(s);
          at += s.length;
        }
      }
      const bytes = concatFloats(arrays);
      await writeFileAtomic(join(tmp, 'optimizer.bin'), bytes);
      const { shape: _shape, ...trainerOptions } = trainer.options;
      await writeFileAtomic(join(tmp, 'optimizer.json'), `${JSON.stringify({ optimizer: state.optimizer, step: state.step, options: trainerOptions, slots: slotIndex, sha256: sha256(bytes) }, null, 2)}\n`);
    }
    await writeFileAtomic(join(tmp, 'model.onnx'), await onnxModelBytes(model, weights));
    const file: CheckpointFile = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      game: checkpointGame(game),
      encodingPlanes: [...model.architecture.inputPlanes],
      actionLayout: games ? { planes: model.architecture.actionPlanes, globals: model.architecture.globalActions } : game.actionLayout,
      step: typeof meta.step === 'number' ? meta.step : (trainer?.step ?? 0),
      seed: (meta.seed as number | string | undefined) ?? null,
      savedAt: new Date().toISOString(),
      versions: await versions(),
      meta,
      ...(games ? { games: games.map(checkpointGame) } : {}),
    };
    await writeFileAtomic(join(tmp, 'meta.json'), `${JSON.stringify(file, null, 2)}\n`);
    // Swap the finished folder into place; an older checkpoint of the same name is replaced whole.
    let old: string | undefined;
    if (existsSync(target)) {
      old = join(dirname(target), `.${basename(target)}.old-${process.pid}-${Date.now()}`);
      await rename(target, old);
    }
    await rename(tmp, target);
    if (old) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

function isCheckpointDir(path: string): boolean {
  return existsSync(join(path, 'meta.json')) && existsSync(join(path, 'model.json'));
}

/** A checkpoint folder as given, or a training run folder -> its `checkpoints/latest`. */
export function resolveCheckpointDir(path: string): string {
  const p = resolve(path);
  if (!existsSync(p)) throw new ArborError(`checkpoint ${path} does not exist; give a checkpoint folder or a run folder (with checkpoints/latest)`);
  if (!statSync(p).isDirectory()) throw new ArborError(`checkpoint ${path} is a file; give a checkpoint folder (holding meta.json, model.json, weights.bin) or a run folder`);
  if (isCheckpointDir(p)) return p;
  const latest = join(p, 'checkpoints', 'latest');
  if (existsSync(latest)) {
    if (statSync(latest).isDirectory() && isCheckpointDir(latest)) return latest;
    throw new ArborError(`run folder ${path} has checkpoints/latest but it is not a complete checkpoint (meta.json, model.json missing); the run may not have saved one yet`);
  }
  throw new ArborError(`${path} is neither a checkpoint folder (no meta.json/model.json) nor a run folder (no checkpoints/latest)`);
}

async function readJson<T>(path: string, what: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ArborError(`checkpoint file ${path} is missing; the checkpoint is incomplete — save it again or pick another`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ArborError(`checkpoint ${what} ${path} is corrupt (not valid JSON); save the checkpoint again or pick another`);
  }
}

async function readFloats(path: string, expectedSha: string, what: string): Promise<Float32Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new ArborError(`checkpoint file ${path} is missing; the checkpoint is incomplete — save it again or pick another`);
  }
  if (sha256(bytes) !== expectedSha) throw new ArborError(`checkpoint ${what} ${path} is corrupt (checksum mismatch); save the checkpoint again or pick another`);
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer, 0, copy.length >> 2);
}

/** Reads and checks meta.json against `game` (same game family and input planes). */
export async function readCheckpointMeta(dir: string, game?: Game): Promise<CheckpointFile> {
  const meta = await readJson<CheckpointFile>(join(dir, 'meta.json'), 'metadata');
  if (meta.format !== CHECKPOINT_FORMAT || typeof meta.game?.id !== 'string' || !Array.isArray(meta.encodingPlanes)) {
    throw new ArborError(`${join(dir, 'meta.json')} is not an arbor checkpoint (format ${String(meta.format)}); save it again with arbor`);
  }
  if (game && meta.games) {
    // A multi-game network plays each game it was trained on (any board size of them) through that game's view.
    if (!meta.games.some((g) => g.id === game.id)) {
      throw new ArborError(`checkpoint ${dir} is a network for ${meta.games.map((g) => g.spec).join(', ')}, not ${game.spec}; play it on one of those games`);
    }
    const missing = game.encoding.planes.filter((p) => !meta.encodingPlanes.includes(p));
    if (missing.length > 0) throw new ArborError(`checkpoint ${dir} does not read ${missing.join(', ')}, which ${game.spec} encodes; ${planeFix(game.spec)}`);
  } else if (game) {
    if (meta.game.id !== game.id) {
      throw new ArborError(`checkpoint ${dir} is for ${meta.game.spec}, not ${game.spec}; use --game ${meta.game.spec} or a ${game.id} checkpoint`);
    }
    requireSamePlanes(meta.encodingPlanes, game.encoding.planes, `checkpoint ${dir}`, game.spec, planeFix(game.spec));
  }
  return meta;
}

/** A network's architecture and weights as plain arrays: what module loading reads (modules.ts). */
export interface NetworkWeights {
  readonly architecture: Architecture;
  readonly weights: ReadonlyMap<string, Float32Array>;
}

/**
 * Reads a checkpoint's architecture and weights without building a model (folder, or run folder
 * -> latest), checked as loadCheckpoint checks them. With `game`, as readCheckpointMeta.
 */
export async function readCheckpointWeights(path: string, game?: Game): Promise<NetworkWeights & { readonly dir: string; readonly meta: CheckpointFile }> {
  const dir = resolveCheckpointDir(path);
  const meta = await readCheckpointMeta(dir, game);
  const modelFile = await readJson<{ architecture: Architecture; weights: { name: string; offset: number; length: number }[]; sha256: string }>(join(dir, 'model.json'), 'model description');
  const arch = modelFile.architecture;
  if (arch?.format !== 'arbor-net' || !Array.isArray(modelFile.weights)) {
    throw new ArborError(`${join(dir, 'model.json')} does not describe an arbor network; save the checkpoint again`);
  }
  const flat = await readFloats(join(dir, 'weights.bin'), modelFile.sha256, 'weights');
  const weights = new Map<string, Float32Array>();
  for (const w of modelFile.weights) {
    if (w.offset + w.length > flat.length) throw new ArborError(`checkpoint weights ${join(dir, 'weights.bin')} are truncated; save the checkpoint again`);
    weights.set(w.name, flat.slice(w.offset, w.offset + w.length));
  }
  const needed = describeNetwork(arch).params.length;
  if (needed !== modelFile.weights.length) {
    throw new ArborError(`checkpoint ${dir}: model.json lists ${modelFile.weights.length} tensors, its architecture needs ${needed}; the checkpoint is corrupt`);
  }
  return { dir, meta, architecture: arch, weights };
}

/**
 * Loads a checkpoint (folder, or run folder -> latest). With `game`, a checkpoint of another game
 * family or encoding is an ArborError; another board size of the same family is allowed (the
 * network is size-independent).
 */
export async function loadCheckpoint(path: string, game?: Game): Promise<LoadedCheckpoint> {
  const { dir, meta, architecture, weights } = await readCheckpointWeights(path, game);
  if (activeBackend() === undefined) await selectBackend();
  const model = new PolicyValueModel(architecture, weights);
  let optimizer: LoadedCheckpoint['optimizer'];
  if (existsSync(join(dir, 'optimizer.json'))) {
    const opt = await readJson<{ optimizer: 'adam' | 'sgd'; step: number; options: TrainerOptions; slots: { name: string; lengths: number[]; offset: number }[]; sha256: string }>(join(dir, 'optimizer.json'), 'optimizer state');
    const data = await readFloats(join(dir, 'optimizer.bin'), opt.sha256, 'optimizer state');
    const slots = new Map<string, Float32Array[]>();
    for (const s of opt.slots) {
      let at = s.offset;
      slots.set(s.name, s.lengths.map((len) => {
        const a = data.slice(at, at + len);
        at += len;
        return a;
      }));
    }
    optimizer = { optimizer: opt.optimizer, step: opt.step, slots, options: opt.options };
  }
  return { dir, model, meta, onnxPath: join(dir, 'model.onnx'), optimizer };
}
