import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Game as BgioGame } from 'boardgame.io';
import { ArborError } from '../core/index.js';
import { toBoardgameIO } from './to-bgio.js';

/**
 * Where a bot or server gets its boardgame.io game: an arbor spec (`connect4:rows=5,cols=6`,
 * converted by `toBoardgameIO`) or a user's module `FILE[#EXPORT]` (CommonJS or ESM; the export
 * defaults to `default`, i.e. `module.exports` for CommonJS).
 */
export async function loadGameModule(reference: string): Promise<BgioGame> {
  const hash = reference.lastIndexOf('#');
  const file = hash >= 0 ? reference.slice(0, hash) : reference;
  const exportName = hash >= 0 ? reference.slice(hash + 1) || 'default' : 'default';
  const path = resolve(file);
  if (!existsSync(path)) throw new ArborError(`--game-module: file ${path} does not exist; give a .js/.cjs/.mjs file exporting a boardgame.io Game`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new ArborError(`--game-module: loading ${path} failed: ${(e as Error).message.split('\n')[0]}`);
  }
  // CommonJS named exports may only be reachable through `default` (module.exports).
  const fromDefault = mod.default && typeof mod.default === 'object' ? (mod.default as Record<string, unknown>)[exportName] : undefined;
  const game = (mod[exportName] ?? fromDefault) as BgioGame | undefined;
  if (!game || typeof game !== 'object' || (typeof game.moves !== 'object' && typeof game.setup !== 'function')) {
    const names = Object.keys(mod).concat(mod.default && typeof mod.default === 'object' ? Object.keys(mod.default as object) : []);
    throw new ArborError(`--game-module: ${path} has no boardgame.io Game as export "${exportName}"; exports: ${[...new Set(names)].join(', ') || '(none)'}; write FILE#NAME to pick one`);
  }
  if (typeof game.ai?.enumerate !== 'function') {
    throw new ArborError(`--game-module: game "${game.name ?? exportName}" has no ai.enumerate; arbor bots need it to list the legal moves`);
  }
  return game;
}

/** The game named by exactly one of `--game SPEC` / `--game-module FILE[#EXPORT]`. */
export async function resolveBgioGame(opts: { game?: string; gameModule?: string }): Promise<BgioGame> {
  if (opts.game && opts.gameModule) throw new ArborError('give either --game SPEC or --game-module FILE[#EXPORT], not both');
  if (opts.game) return toBoardgameIO(opts.game);
  if (opts.gameModule) return loadGameModule(opts.gameModule);
  throw new ArborError('no game: give --game SPEC (an arbor game, e.g. connect4) or --game-module FILE[#EXPORT] (a boardgame.io Game)');
}
