import { Redis } from 'ioredis';
import { ArborError } from '../core/index.js';

/**
 * A Redis connection that waits out an unreachable or restarted server instead of failing: every
 * command is queued until the connection is back (ioredis reconnects with the backoff below), and
 * the person at the terminal is told once that Redis went away and once that it is back, not on
 * every retry.
 */
export interface ConnectionOptions {
  /** Who is connecting, for the lines printed ("learner", "actor host-123"). */
  role: string;
  log: (line: string) => void;
  /** Called after a reconnect (the server may have restarted empty). */
  onReconnect?: () => void;
}

/** Backoff between reconnection attempts: 100 ms doubling to 5 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt - 1, 6), 5000);
}

/** The URL with its password hidden, for messages. */
export function safeRedisUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}

/** Checks a --redis URL before connecting: one clear line instead of a client error. */
export function checkRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ArborError(`--redis ${safeRedisUrl(url)} is not a URL; give redis://HOST:PORT/DB, e.g. redis://127.0.0.1:6379/0 or redis://:PASSWORD@127.0.0.1:6379/0`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ArborError(`--redis ${safeRedisUrl(url)}: the scheme must be redis:// or rediss://, e.g. redis://127.0.0.1:6379/0`);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new ArborError(`--redis ${safeRedisUrl(url)}: the database "${db}" is not a number; give e.g. redis://127.0.0.1:6379/0`);
}

export function connectRedis(url: string, o: ConnectionOptions): Redis {
  checkRedisUrl(url);
  const shown = safeRedisUrl(url);
  let down = false;
  let everReady = false;
  const redis = new Redis(url, {
    protocol: 2,
    // null: a command waits for the connection however long Redis is away (the run pauses, not fails).
    maxRetriesPerRequest: null,
    retryStrategy: reconnectDelay,
    connectTimeout: 5000,
    lazyConnect: false,
  });
  redis.on('error', (e: Error & { code?: string }) => {
    if (down) return;
    down = true;
    o.log(`${o.role}: redis ${shown} unreachable (${e.code ?? e.message}); waiting and reconnecting with backoff (up to 5 s between tries)`);
  });
  redis.on('ready', () => {
    if (down) o.log(`${o.role}: redis ${shown} reachable again; going on`);
    down = false;
    if (everReady) o.onReconnect?.();
    everReady = true;
  });
  return redis;
}

/** Whether an error is a Redis reply saying the consumer group (or the stream) is gone: the server restarted empty. */
export function isNoGroupError(e: unknown): boolean {
  return e instanceof Error && /NOGROUP/.test(e.message);
}
