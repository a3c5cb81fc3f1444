import { createRng, type State, defineAgent } from '../core/index.js';

/**
 * One-ply tactics: play a move that wins at once; else block a move with which the opponent
 * would win at once (by trying it for them on a copy where we "pass" our turn); else random.
 * The blocking test needs the opponent to move next, which holds for alternating games; where a
 * blocking move cannot be found this way (e.g. the opponent's win needs a different square),
 * it falls back to avoiding moves after which the opponent can win immediately.
 */
export const greedyAgent = defineAgent({
  name: 'greedy',
  description: 'win now if possible, else block an immediate loss, else random',
  params: {},
  create: (_params, { game, seed }, spec) => {
    let rng = createRng(seed);
    const actions = new Int32Array(game.numActions);
    const replies = new Int32Array(game.numActions);
    const safe = new Int32Array(game.numActions);
    const child = game.newInitialState();
    const grandchild = game.newInitialState();
    /** Whether the player to move in `s` has a move that wins at once. */
    const hasImmediateWin = (s: State, mover: number): boolean => {
      const n = s.legalActions(replies);
      for (let i = 0; i < n; i++) {
        grandchild.copyFrom(s);
        grandchild.apply(replies[i]);
        if (grandchild.isTerminal() && grandchild.returnOf(mover) > 0) return true;
      }
      return false;
    };
    return {
      name: spec,
      selectAction: async (state) => {
        const me = state.currentPlayer();
        const n = state.legalActions(actions);
        if (n === 0) throw new Error('greedy agent asked to move in a finished game');
        let safeCount = 0;
        for (let i = 0; i < n; i++) {
          child.copyFrom(state);
          child.apply(actions[i]);
          if (child.isTerminal()) {
            if (child.returnOf(me) > 0) return actions[i];
            if (child.returnOf(me) === 0) safe[safeCount++] = actions[i];
            continue;
          }
          const opponent = child.currentPlayer();
          if (opponent !== me && !hasImmediateWin(child, opponent)) safe[safeCount++] = actions[i];
          else if (opponent === me) safe[safeCount++] = actions[i];
        }
        if (safeCount > 0) return safe[rng.int(safeCount)];
        return actions[rng.int(n)];
      },
      reseed: (next) => {
        rng = createRng(next);
      },
    };
  },
});
