import type { Redis } from 'ioredis';
import type { ActorMetrics } from '../selfplay/index.js';
import type { RunKeys } from './run-keys.js';

/**
 * Heartbeats: every live actor rewrites `arbor:NAME:actor:ID` every HEARTBEAT_MS with an expiry of
 * HEARTBEAT_TTL_MS, so an actor that dies (or loses its network) drops out of the list by itself.
 */
export const HEARTBEAT_MS = 2000;
export const HEARTBEAT_TTL_MS = 10_000;

export async function beat(redis: Redis, keys: RunKeys, actor: ActorMetrics): Promise<void> {
  await redis.set(keys.actor(actor.id), JSON.stringify(actor), 'PX', HEARTBEAT_TTL_MS);
}

/** The actors whose heartbeat has not expired, by id. */
export async function liveActors(redis: Redis, keys: RunKeys): Promise<ActorMetrics[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', keys.actorPattern, 'COUNT', 100);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  if (found.length === 0) return [];
  const values = await redis.mget(...found);
  const actors: ActorMetrics[] = [];
  for (const v of values) {
    if (v === null) continue;
    try {
      const a = JSON.parse(v) as ActorMetrics;
      if (typeof a.id === 'string' && typeof a.positionsPerSecond === 'number') actors.push(a);
    } catch {
      // an expired-and-rewritten or foreign value: not a live arbor actor
    }
  }
  return actors.sort((x, y) => x.id.localeCompare(y.id));
}
