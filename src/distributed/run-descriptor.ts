import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ArborError } from '../core/index.js';
import type { RunManifest, SelfPlaySettings, TrainConfig } from '../selfplay/index.js';
import type { RunKeys } from './run-keys.js';

/**
 * What a learner tells actors about its run (the key `arbor:NAME:run`): which run it is (a run id
 * from its run folder, so a second run under the same name is told apart), the game, a hash of
 * the config, and everything an actor needs to play the run's self-play games exactly as local
 * actors would.
 */
export const DESCRIPTOR_FORMAT = 'arbor-distributed-run/1';

export interface RunDescriptor {
  format: typeof DESCRIPTOR_FORMAT;
  run: string;
  runId: string;
  game: string;
  configHash: string;
  settings: SelfPlaySettings;
  recordOwnership: boolean;
  streamMaxLen: number;
  /** The learner's run folder (informative). */
  runDir: string;
}

/** A run folder's identity: fixed when `arbor train` created it, the same after every resume. */
export function runIdOf(manifest: Pick<RunManifest, 'createdAt' | 'seed' | 'game'>): string {
  return createHash('sha256').update(`${manifest.createdAt}\n${manifest.seed}\n${manifest.game}`).digest('hex').slice(0, 16);
}

export function configHashOf(config: TrainConfig): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
}

export function makeDescriptor(run: string, manifest: Pick<RunManifest, 'createdAt' | 'seed' | 'game'>, config: TrainConfig, runDir: string): RunDescriptor {
  return {
    format: DESCRIPTOR_FORMAT,
    run,
    runId: runIdOf(manifest),
    game: config.game,
    configHash: configHashOf(config),
    settings: config.selfplay,
    recordOwnership: config.training.ownershipWeight > 0,
    streamMaxLen: config.distributed.streamMaxLen,
    runDir,
  };
}

/** Reads the descriptor of run `keys.run`; null when there is none, an ArborError when the key holds something else. */
export async function readDescriptor(redis: Redis, keys: RunKeys): Promise<RunDescriptor | null> {
  const text = await redis.get(keys.descriptor);
  if (text === null) return null;
  let parsed: Partial<RunDescriptor>;
  try {
    parsed = JSON.parse(text) as Partial<RunDescriptor>;
  } catch {
    throw new ArborError(`redis key ${keys.descriptor} is not an arbor run descriptor (not JSON); is another program using the arbor:${keys.run}: keys? Pick another run name`);
  }
  if (parsed.format !== DESCRIPTOR_FORMAT || typeof parsed.runId !== 'string' || typeof parsed.game !== 'string' || !parsed.settings) {
    throw new ArborError(`redis key ${keys.descriptor} is not an arbor run descriptor of this version (format ${JSON.stringify(parsed.format ?? null)}, expected "${DESCRIPTOR_FORMAT}"); run the same arbor version on the learner and the actors`);
  }
  return parsed as RunDescriptor;
}

/**
 * The learner's claim on run name `keys.run`: refused when the name is held by another run (another
 * run folder), else the descriptor is (re)written.
 */
export async function claimRun(redis: Redis, keys: RunKeys, descriptor: RunDescriptor): Promise<void> {
  const existing = await readDescriptor(redis, keys);
  if (existing && existing.runId !== descriptor.runId) {
    throw new ArborError(`redis run name "${keys.run}" belongs to another run (run id ${existing.runId}, ${existing.game}, run folder ${existing.runDir}); this run folder is run id ${descriptor.runId}. Give this run another --redis-run name, or remove the old run's keys: redis-cli --scan --pattern 'arbor:${keys.run}:*' | xargs redis-cli del`);
  }
  await redis.set(keys.descriptor, JSON.stringify(descriptor));
}
