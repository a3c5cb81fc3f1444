/**
 * Public face of distributed training: self-play actor processes and the learner of `arbor train`
 * meeting in Redis (Streams with a consumer group for positions, a stream and keys for models, a
 * run descriptor and heartbeats). Local training needs none of it.
 */
export { RemoteSelfPlaySource, recordedRunName, type RemoteSourceOptions } from './remote-source.js';
export { runActor, type ActorOptions, type ActorSummary } from './actor-process.js';
export { encodeGameRecord, decodeGameRecord, RECORD_MAGIC, RECORD_FORMAT, type GameRecord, type RecordHeader } from './position-record.js';
export { connectRedis, checkRedisUrl, safeRedisUrl, reconnectDelay } from './redis-connection.js';
export { runKeys, checkRunName, deleteRunKeys, LEARNER_GROUP, LEARNER_CONSUMER, type RunKeys } from './run-keys.js';
export { readDescriptor, claimRun, makeDescriptor, runIdOf, DESCRIPTOR_FORMAT, type RunDescriptor } from './run-descriptor.js';
export { publishModel, latestModel, fetchModel, type PublishedModel } from './model-channel.js';
export { beat, liveActors, HEARTBEAT_MS, HEARTBEAT_TTL_MS } from './heartbeats.js';
