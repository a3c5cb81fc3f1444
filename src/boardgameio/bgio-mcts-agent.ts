import type { State as BgioState } from 'boardgame.io';
import { bgioAi, bgioInternal } from './bgio.js';
import { activePlayerOf, bgioActionOf, isWrappedBgioGame, type WrappedBgioState } from './from-bgio.js';
import { PLAY_MOVE, toBoardgameIO } from './to-bgio.js';
import { defineAgent, type State } from '../core/index.js';

/**
 * boardgame.io's own `MCTSBot` (plain UCT, c = sqrt(2), uniformly random playouts of at most
 * `depth` moves; boardgame.io 0.50.2 src/ai/mcts-bot.ts) searching through boardgame.io's reducer
 * on `toBoardgameIO(game)`, or on the user's own game when the arbor game wraps one. It is the
 * reference opponent of arenas and benchmarks: what a boardgame.io user gets out of the box.
 */
export const bgioMctsAgent = defineAgent({
  name: 'bgio-mcts',
  description: "boardgame.io's own MCTSBot (UCT with random playouts) run through its reducer; a reference opponent",
  params: {
    iterations: { type: 'int', default: 1000, min: 1, max: 10_000_000, description: 'MCTS iterations per move (boardgame.io default 1000)' },
    depth: { type: 'int', default: 50, min: 1, max: 100_000, description: 'maximum playout length in moves (boardgame.io default 50)' },
  },
  create: (params, { game, seed }, spec) => {
    const { MCTSBot } = bgioAi();
    const { InitializeGame, CreateGameReducer } = bgioInternal();
    const wrapped = isWrappedBgioGame(game) ? game : null;
    const bgioGame = wrapped ? wrapped.bgioGame : toBoardgameIO(game);
    const bot = new MCTSBot({
      game: bgioGame,
      enumerate: bgioGame.ai!.enumerate,
      seed,
      iterations: params.iterations,
      playoutDepth: params.depth,
    });
    const reducer = wrapped ? null : CreateGameReducer({ game: bgioGame });
    const initial = wrapped ? null : (InitializeGame({ game: bgioGame, numPlayers: game.numPlayers }) as BgioState);

    /** The boardgame.io state of an arbor position: the wrapped state itself, or a replay of its moves. */
    const bgioStateOf = (state: State): BgioState => {
      if (wrapped) return (state as WrappedBgioState).bgioState;
      let s = initial!;
      for (let i = 0; i < state.moveNumber(); i++) {
        s = reducer!(s, bgioActionOf({ move: PLAY_MOVE, args: [state.actionAt(i)] }, activePlayerOf(s.ctx)) as never);
      }
      return s;
    };

    return {
      name: spec,
      selectAction: async (state) => {
        if (state.isTerminal()) throw new Error('bgio-mcts agent asked to move in a finished game');
        const bgioState = bgioStateOf(state);
        const { action } = await bot.play(bgioState, activePlayerOf(bgioState.ctx));
        if (!action) throw new Error(`bgio-mcts found no move at "${state.toMoveString()}"`);
        const payload = action.payload as { type: string; args?: unknown[] };
        if (!wrapped) return Number(payload.args?.[0]);
        const descriptor = action.type === 'GAME_EVENT' ? { event: payload.type, args: payload.args ?? [] } : { move: payload.type, args: payload.args ?? [] };
        return wrapped.actionOf(descriptor);
      },
    };
  },
});
