import type { Redis } from 'ioredis';
import { ArborError } from '../core/index.js';
import type { RunKeys } from './run-keys.js';

/**
 * Model publication: the learner stores each new model's ONNX bytes under `arbor:NAME:model:V`
 * (a hash with the run id, so a model of another run is recognised) and appends V to the stream
 * `arbor:NAME:model`; actors read the newest entry between games and fetch the bytes when V is new.
 * Only the newest `keep` versions' bytes are kept (older ones are of no use to an actor).
 */
export interface PublishedModel {
  version: number;
  runId: string;
}

export async function publishModel(redis: Redis, keys: RunKeys, model: PublishedModel & { onnx: Buffer }, keep: number): Promise<void> {
  await redis.hset(keys.model(model.version), { runId: model.runId, version: String(model.version), onnx: model.onnx });
  await redis.zadd(keys.modelVersions, model.version, String(model.version));
  await redis.xadd(keys.models, 'MAXLEN', '~', 100, '*', 'version', String(model.version), 'runId', model.runId);
  const old = await redis.zrange(keys.modelVersions, 0, -(keep + 1));
  if (old.length > 0) {
    await redis.del(...old.map((v) => keys.model(Number(v))));
    await redis.zrem(keys.modelVersions, ...old);
  }
}

/** The newest model the learner announced, or null before the first. */
export async function latestModel(redis: Redis, keys: RunKeys): Promise<PublishedModel | null> {
  const entries = await redis.xrevrange(keys.models, '+', '-', 'COUNT', 1);
  if (entries.length === 0) return null;
  const fields = entries[0][1];
  const get = (name: string) => fields[fields.indexOf(name) + 1];
  const version = Number(get('version'));
  const runId = get('runId');
  if (!Number.isInteger(version) || typeof runId !== 'string') throw new ArborError(`redis stream ${keys.models} holds an entry that is not an arbor model announcement; pick another run name`);
  return { version, runId };
}

/**
 * The ONNX bytes of `model`, checked to belong to run `runId`; null when the learner has already
 * dropped that version (a newer one is announced).
 */
export async function fetchModel(redis: Redis, keys: RunKeys, model: PublishedModel, runId: string): Promise<Buffer | null> {
  if (model.runId !== runId) throw new ArborError(`model version ${model.version} announced on ${keys.models} belongs to run ${model.runId}, not to run ${runId} that this actor joined; refused (restart the actor to join the new run)`);
  const hash = await redis.hgetallBuffer(keys.model(model.version));
  if (!hash.onnx) return null;
  const storedRun = hash.runId?.toString('utf8');
  if (storedRun !== runId) throw new ArborError(`model ${keys.model(model.version)} belongs to run ${storedRun ?? '(none)'}, not to run ${runId} that this actor joined; refused`);
  return hash.onnx;
}
