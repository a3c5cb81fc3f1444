import type { Game as BgioGame, State as BgioState } from 'boardgame.io';
import type { Game, State } from '../core/index.js';
import { bgioActionOf, fromBoardgameIO, isWrappedBgioGame, type BgioMoveDescriptor, type FromBoardgameIOOptions, type WrappedBgioGame } from './from-bgio.js';
import { arborStateOf, PLAY_MOVE, type ArborG } from './to-bgio.js';

/**
 * The bridge every arbor bot uses: which arbor Game plays a boardgame.io game, how a
 * boardgame.io state becomes an arbor State, and how an arbor action becomes a boardgame.io move.
 * Games made by `toBoardgameIO` map straight back to their native arbor game (fast); any other
 * game is wrapped with `fromBoardgameIO` (driven by its reducer).
 */
export interface BgioAdapter {
  readonly game: Game;
  stateOf(state: BgioState): State;
  moveOf(action: number): BgioMoveDescriptor;
}

const adapters = new WeakMap<object, BgioAdapter>();

export function adapterFor(bgioGame: BgioGame, wrap?: FromBoardgameIOOptions): BgioAdapter {
  let adapter = adapters.get(bgioGame);
  if (adapter) return adapter;
  const native = (bgioGame as { arborGame?: Game }).arborGame;
  if (native) {
    adapter = {
      game: native,
      stateOf: (state) => arborStateOf(native, state.G as ArborG),
      moveOf: (action) => ({ move: PLAY_MOVE, args: [action] }),
    };
  } else {
    const wrapped: WrappedBgioGame = fromBoardgameIO(bgioGame, wrap);
    adapter = { game: wrapped, stateOf: (state) => wrapped.stateFromBgio(state), moveOf: (action) => wrapped.moveOf(action) };
  }
  adapters.set(bgioGame, adapter);
  return adapter;
}

export { bgioActionOf, isWrappedBgioGame };
