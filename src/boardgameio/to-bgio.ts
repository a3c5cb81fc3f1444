import type { Ctx, Game as BgioGame } from 'boardgame.io';
import { ArborError, type Game, type State } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { bgioCore } from './bgio.js';

/**
 * arbor game -> boardgame.io Game definition.
 *
 * G is the move sequence (`{ spec, moves: number[] }`): plain JSON, so boardgame.io can store it,
 * diff it and send it over sockets, and it is the arbor notation of the position (arbor's own
 * `parseState(formatMoves(moves))` rebuilds it). The rules stay arbor's: every hook replays the
 * sequence into an arbor State (cached per immutable G object, so one reducer step replays at most
 * once or twice).
 */
export interface ArborG {
  /** The arbor game spec, so a client can rebuild the game (`createGame(G.spec)`). */
  readonly spec: string;
  /** Actions played since the start (arbor action numbers). */
  readonly moves: number[];
}

/** The one move every converted game has: `play(action)` with an arbor action number. */
export const PLAY_MOVE = 'play';

/** A boardgame.io Game made by `toBoardgameIO`; `arborGame` lets arbor's bots skip any wrapping. */
export type ArborBgioGame = BgioGame<ArborG> & { readonly arborGame: Game; readonly arborSpec: string };

/** The boardgame.io name of an arbor game: its spec with every non-alphanumeric run turned into '-'
 * (boardgame.io puts names in URLs and socket namespaces; `connect4:rows=5,cols=6` -> `connect4-rows-5-cols-6`). */
export function bgioNameOf(spec: string): string {
  return spec.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '');
}

export function toBoardgameIO(specOrGame: string | Game): ArborBgioGame {
  const game = typeof specOrGame === 'string' ? createGame(specOrGame) : specOrGame;
  if (game.numPlayers < 1) throw new ArborError(`${game.spec}: a boardgame.io game needs at least one player`);
  const { INVALID_MOVE } = bgioCore();
  const replayer = createReplayer(game);
  const actions = new Int32Array(game.numActions);

  const bgio: ArborBgioGame = {
    name: bgioNameOf(game.spec),
    arborGame: game,
    arborSpec: game.spec,
    minPlayers: game.numPlayers,
    maxPlayers: game.numPlayers,
    setup: () => ({ spec: game.spec, moves: [] }),
    moves: {
      [PLAY_MOVE]: ({ G, playerID }, action: unknown) => {
        // G is an immer draft here: replay uncached, then record the move.
        const state = replayer.fresh(G.moves);
        if (typeof action !== 'number' || !state.isLegal(action) || String(state.currentPlayer()) !== String(playerID)) return INVALID_MOVE;
        G.moves.push(action);
      },
    },
    turn: {
      minMoves: 1,
      maxMoves: 1,
      // Turn order follows arbor's currentPlayer(), so games where a player moves twice in a row
      // (or passes) keep their own rules. playOrder is ['0','1',...], so the position is the index.
      order: {
        first: ({ G }: { G: ArborG }) => Math.max(0, replayer.of(G).currentPlayer()),
        next: ({ G }: { G: ArborG }) => Math.max(0, replayer.of(G).currentPlayer()),
      },
    },
    endIf: ({ G }) => {
      const state = replayer.of(G);
      return state.isTerminal() ? gameoverOf(state) : undefined;
    },
    ai: {
      enumerate: (G: ArborG, _ctx: Ctx, playerID: string) => {
        const state = replayer.of(G);
        if (state.isTerminal() || String(state.currentPlayer()) !== String(playerID)) return [];
        const n = state.legalActions(actions);
        const out = new Array<{ move: string; args: number[] }>(n);
        for (let i = 0; i < n; i++) out[i] = { move: PLAY_MOVE, args: [actions[i]] };
        return out;
      },
    },
  };
  return bgio;
}

/** `{winner: '0'}` for the player with the highest return when it is unique, else `{draw: true}`
 * (the two shapes boardgame.io's MCTSBot scores). */
export function gameoverOf(state: State): { winner: string } | { draw: true } {
  let best = -Infinity;
  let bestPlayer = -1;
  let tied = false;
  for (let p = 0; p < state.game.numPlayers; p++) {
    const r = state.returnOf(p);
    if (r > best) {
      best = r;
      bestPlayer = p;
      tied = false;
    } else if (r === best) tied = true;
  }
  return tied || bestPlayer < 0 ? { draw: true } : { winner: String(bestPlayer) };
}

/** The arbor State a converted game's G describes (a fresh copy the caller may play on). */
export function arborStateOf(game: Game, G: ArborG): State {
  return createReplayer(game).fresh(G.moves);
}

interface Replayer {
  /** Cached by G identity (boardgame.io's states are immutable, so one G is one position). */
  of(G: ArborG): State;
  /** Always replays (for immer drafts, which change under us). */
  fresh(moves: readonly number[]): State;
}

function createReplayer(game: Game): Replayer {
  const cache = new WeakMap<object, State>();
  const fresh = (moves: readonly number[]): State => {
    const state = game.newInitialState();
    for (let i = 0; i < moves.length; i++) {
      const a = moves[i];
      if (!state.isLegal(a)) throw new ArborError(`${game.spec}: G.moves[${i}] = ${String(a)} is not legal there; G must come from this game's own moves`);
      state.apply(a);
    }
    return state;
  };
  return {
    fresh,
    of(G) {
      let state = cache.get(G);
      if (!state) {
        state = fresh(G.moves);
        cache.set(G, state);
      }
      return state;
    },
  };
}
