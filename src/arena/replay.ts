import { type Game, type State } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { playTask, type GameOutcome } from './game.js';
import type { GameRecord } from './records.js';

/** The positions of a recorded game, one per move, for printing it move by move. */
export interface ReplayStep {
  /** 1-based move number; 0 is the start position. */
  readonly ply: number;
  /** The move that led here in the game's notation ('' for the start). */
  readonly move: string;
  /** Who played it: 'opening', or the agent's spec. */
  readonly by: string;
  readonly board: string;
}

export function replaySteps(record: GameRecord, game: Game = createGame(record.game)): ReplayStep[] {
  const final = game.parseState(record.moves);
  const state: State = game.newInitialState();
  const steps: ReplayStep[] = [{ ply: 0, move: '', by: '', board: state.toString() }];
  for (let i = 0; i < final.moveNumber(); i++) {
    const mover = state.currentPlayer();
    const action = final.actionAt(i);
    state.apply(action);
    const by = i < record.openingPlies ? 'opening' : mover === 0 ? record.first : record.second;
    steps.push({ ply: i + 1, move: game.actionToString(action), by, board: state.toString() });
  }
  return steps;
}

/**
 * Plays a recorded game again in this thread, from the agents' specs and seeds and the opening;
 * a reproducible agent (no wall-clock budget) makes the same moves and result.
 */
export async function reproduceGame(record: GameRecord): Promise<{ outcome: GameOutcome; moves: string; same: boolean }> {
  const game = createGame(record.game);
  const opening = game.parseState(record.opening);
  const openingMoves = Array.from({ length: opening.moveNumber() }, (_, i) => opening.actionAt(i));
  const outcome = await playTask(
    {
      game: record.game,
      players: [
        { spec: record.first, seed: record.firstSeed, moveTimeMs: record.firstMoveTimeMs ?? undefined },
        { spec: record.second, seed: record.secondSeed, moveTimeMs: record.secondMoveTimeMs ?? undefined },
      ],
      opening: openingMoves,
    },
    game,
  );
  const moves = game.formatMoves(outcome.moves);
  return { outcome, moves, same: moves === record.moves && outcome.score === record.result && outcome.reason === record.reason };
}
