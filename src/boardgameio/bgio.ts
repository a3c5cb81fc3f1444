import { createRequire } from 'node:module';
import type * as BgioAi from 'boardgame.io/ai';
import type * as BgioCore from 'boardgame.io/core';
import type * as BgioInternal from 'boardgame.io/internal';

/**
 * The one place boardgame.io is loaded. 0.50.2 has no `exports` map, so its subpath imports
 * fail under native ESM (ERR_UNSUPPORTED_DIR_IMPORT), and mixing its ESM and CJS builds breaks
 * `instanceof Bot` checks (the dual-package hazard). So everything goes through CommonJS via
 * `createRequire`, from here only. Types come from the subpaths with `import type`.
 */
const require = createRequire(import.meta.url);

let ai: typeof BgioAi | undefined;
let core: typeof BgioCore | undefined;
let internal: typeof BgioInternal | undefined;

export function bgioAi(): typeof BgioAi {
  return (ai ??= require('boardgame.io/ai') as typeof BgioAi);
}
export function bgioCore(): typeof BgioCore {
  return (core ??= require('boardgame.io/core') as typeof BgioCore);
}
export function bgioInternal(): typeof BgioInternal {
  return (internal ??= require('boardgame.io/internal') as typeof BgioInternal);
}
/** Loads any other subpath (`client`, `multiplayer`, `server`) through the same CommonJS build. */
export function bgioModule<T>(subpath: 'client' | 'multiplayer' | 'server'): T {
  return require(`boardgame.io/${subpath}`) as T;
}

type BgioClientModule = typeof import('boardgame.io/client');
type BgioMultiplayerModule = typeof import('boardgame.io/multiplayer');
type BgioServerModule = typeof import('boardgame.io/server');

/** `Client`, `LobbyClient`, `LobbyClientError` (CommonJS build, like everything else here). */
export function bgioClient(): BgioClientModule {
  return bgioModule<BgioClientModule>('client');
}
/** `Local`, `SocketIO` transports. */
export function bgioMultiplayer(): BgioMultiplayerModule {
  return bgioModule<BgioMultiplayerModule>('multiplayer');
}
/** `Server`, `Origins` (the server is CommonJS-only in 0.50.2). */
export function bgioServer(): BgioServerModule {
  return bgioModule<BgioServerModule>('server');
}
