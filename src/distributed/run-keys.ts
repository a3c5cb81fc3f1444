import type { Redis } from 'ioredis';
import { ArborError } from '../core/index.js';

/**
 * The Redis keys of one distributed run NAME, all under `arbor:NAME:` (so runs share a server
 * without touching each other, and `redis-cli --scan --pattern 'arbor:NAME:*'` lists a run).
 */
export interface RunKeys {
  run: string;
  /** The run descriptor (JSON): run id, game, config hash, self-play settings. */
  descriptor: string;
  /** Stream of position records, one entry per finished game, read by the learner's consumer group. */
  positions: string;
  /** Stream of model versions the learner published (newest last). */
  models: string;
  /** Sorted set of the model versions whose ONNX bytes are kept. */
  modelVersions: string;
  /** Hash holding one model version's ONNX bytes and run id. */
  model(version: number): string;
  /** A live actor's heartbeat (expires when it stops beating). */
  actor(id: string): string;
  actorPattern: string;
}

/** The consumer group and consumer the learner reads the positions stream as (one learner per run; restarts reuse the name). */
export const LEARNER_GROUP = 'learner';
export const LEARNER_CONSUMER = 'learner';

const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkRunName(run: string, flag = '--run'): void {
  if (!RUN_NAME.test(run)) throw new ArborError(`${flag} "${run}" is not a usable run name: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
}

export function runKeys(run: string): RunKeys {
  checkRunName(run);
  const base = `arbor:${run}:`;
  return {
    run,
    descriptor: `${base}run`,
    positions: `${base}positions`,
    models: `${base}model`,
    modelVersions: `${base}model-versions`,
    model: (version) => `${base}model:${version}`,
    actor: (id) => `${base}actor:${id}`,
    actorPattern: `${base}actor:*`,
  };
}

/** Deletes every key of run `run` (what `redis-cli --scan --pattern 'arbor:RUN:*' | xargs redis-cli del` does); returns how many. */
export async function deleteRunKeys(redis: Redis, run: string): Promise<number> {
  checkRunName(run);
  const names: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `arbor:${run}:*`, 'COUNT', 500);
    cursor = next;
    names.push(...batch);
  } while (cursor !== '0');
  return names.length > 0 ? redis.del(...names) : 0;
}
