import { ArborError, type Game } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { defaultModelConfig, unionArchitecture, type ModelConfig } from '../networks/index.js';
import { familyGames, largestIndex } from './board-sizes.js';

/**
 * The games of a run over several games (config `games`, `--game` given more than once). Sizes of
 * one game (board-sizes.ts) share every plane and action kind; games of different ids share a
 * stem, trunk and value head through the union of their role-named planes, with a policy head per
 * action kind (networks/game-view.ts), and each game trains only its own planes and heads.
 */
export interface RunGames {
  readonly games: Game[];
  /** Games of more than one id: the network is the union network of the games. */
  readonly multiGame: boolean;
  /** The run's main game (its `game`: the closing test, checkpoints' first game): the largest size of a family, the first game listed otherwise. */
  readonly main: number;
}

/**
 * Checks the games a run lists and builds them. Refused, each in one line: fewer than two, one
 * listed twice, a game sharing no input plane with the others, an action kind with two extents,
 * and (with `model`) a model config that cannot serve several games. `where` names the setting.
 */
export function runGames(specs: readonly string[], where: string, model: Partial<ModelConfig> = {}): RunGames {
  const games = specs.map((s) => createGame(s));
  if (games.every((g) => g.id === games[0].id)) {
    const family = familyGames(specs, where);
    return { games: family, multiGame: false, main: largestIndex(family) };
  }
  const seen = new Set<string>();
  for (const g of games) {
    if (seen.has(g.spec)) throw new ArborError(`${where} lists ${g.spec} twice; list each game once (weights set how often each is played)`);
    seen.add(g.spec);
  }
  checkSharedPlanes(games, where);
  // The union network must exist for these games: one extent per action kind, a pooled value head.
  unionArchitecture(games, { ...defaultModelConfig(games[largestIndex(games)]), ...model });
  return { games, multiGame: true, main: 0 };
}

/** Refuses a game that shares no input plane with the games of other ids: nothing of the shared stem would mean the same to it. */
export function checkSharedPlanes(games: readonly Game[], where: string): void {
  for (const g of games) {
    const others = new Set(games.filter((o) => o.id !== g.id).flatMap((o) => o.encoding.planes));
    if (!g.encoding.planes.some((p) => others.has(p))) {
      throw new ArborError(`${where}: ${g.spec} shares no input plane with the other games (it encodes ${g.encoding.planes.join(', ')}); one network over several games needs planes in common, so train it apart`);
    }
  }
}
