import { ArborError, type Game } from '../../core/index.js';
import type { Trajectory } from '../trajectory.js';

/**
 * KataGo's ownership target (Wu, "Accelerating Self-Play Learning in Go", 2019, §4.1): an
 * auxiliary head predicts the final owner of every cell, a dense signal about how the game goes
 * on that trained Go nets faster. Here it is read off the final position's own/opp piece planes:
 * +1 where the sample's mover has a piece at the end, −1 where the opponent has one, 0 elsewhere.
 */

/**
 * Indices of the input planes holding the mover's and the opponent's pieces (`own:stone` and
 * `opp:stone`, or `own:pawn` and `opp:pawn`). Throws for games without them or with more than two players.
 */
export function ownershipPlanes(game: Game): [number, number] {
  const planes = game.encoding.planes;
  if (game.numPlayers !== 2) throw new ArborError(`ownership targets need a two-player game, and ${game.spec} has ${game.numPlayers} players; set training.ownershipWeight to 0`);
  for (const piece of ['stone', 'pawn']) {
    const own = planes.indexOf(`own:${piece}`);
    const opp = planes.indexOf(`opp:${piece}`);
    if (own >= 0 && opp >= 0) return [own, opp];
  }
  throw new ArborError(`ownership targets need own:stone/opp:stone (or own:pawn/opp:pawn) input planes, and ${game.spec} has ${planes.join(', ')}; set training.ownershipWeight to 0`);
}

/**
 * Ownership targets of a game's samples: `cells` floats per entry of `plies`, each the final
 * owner of the cell from that ply's mover's side.
 *
 * @param pieces the own/opp piece planes (ownershipPlanes)
 * @param cells rows × cols of the board
 */
export function ownershipTargets(t: Trajectory, plies: Int32Array, pieces: readonly [number, number], cells: number): Float32Array {
  const out = new Float32Array(plies.length * cells);
  const f = t.final.inputs;
  const own = pieces[0] * cells;
  const opp = pieces[1] * cells;
  for (let i = 0; i < plies.length; i++) {
    // The final encoding is from t.final.perspective's side; the other player sees it negated.
    const sign = t.players[plies[i]] === t.final.perspective ? 1 : -1;
    const base = i * cells;
    for (let cell = 0; cell < cells; cell++) out[base + cell] = sign * (f[own + cell] - f[opp + cell]);
  }
  return out;
}
