/**
 * Public face of the games layer: the registry, the built-in games, the conformance kit, and the
 * building blocks for writing a new game. Importing it registers the built-in games.
 */
export type { ActionLayout, ActionPlane, BoardShape, Game, State, Symmetry } from '../core/index.js';
export { legalActionList, encodedSize } from '../core/index.js';
export { registerGame, defineGame, gameDefinitions, createGame, gameKinds, type GameDefinition } from './registry.js';
export { Connect4Game, Connect4State } from './connect4/index.js';
export { GomokuGame, GomokuState } from './gomoku/index.js';
export { HexGame, HexState } from './hex/index.js';
export { TicTacToeGame, TicTacToeState } from './tictactoe/index.js';
export { OthelloGame, OthelloState } from './othello/index.js';
export { BreakthroughGame, BreakthroughState } from './breakthrough/index.js';
export { checkConformance, conformanceSpecs, type ConformanceOptions, type ConformanceReport } from './conformance.js';
export {
  recordPlaythrough,
  playthroughSpecs,
  playthroughFileName,
  firstPlaythroughDifference,
  encodingChecksum,
  defaultPlaythroughSeed,
  DEFAULT_PLAYTHROUGH_GAMES,
  type PlaythroughOptions,
  type PlaythroughDifference,
} from './playthrough.js';
export { perft } from './perft.js';
export { BoardGameBase } from './board-game.js';
export { BoardStateBase } from './board-state.js';
export { WinnerStateBase } from './winner-state.js';
export { boardSymmetries, cellGameSymmetries, transformCellMap, type BoardTransform } from './symmetry.js';
export { cellToString, parseCell, renderBoard, splitMoveTokens, replayTokens } from './notation.js';
export { makeZobristKeys, combineHash } from './zobrist.js';
export { encodeStonePlanes, encodeFirstPlayerPlane } from './stone-planes.js';
export { encodeThreatPlanes, completesLine, runLength } from './threat-planes.js';
import './builtins.js';
