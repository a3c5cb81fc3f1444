import { existsSync } from 'node:fs';
import type { Connect4Game, Connect4State } from '../../envs/connect4/index.js';
import { BitLayout } from './bitboard.js';
import { bookPath, readBookFile, type OpeningBook } from './book.js';
import { positionKey } from './book-maker.js';
import { Connect4Solver, type Connect4SolverOptions } from './solver.js';

export { BitLayout } from './bitboard.js';
export { BOOK_MISS, OpeningBook, bookPath, canonicalBookKey, readBookFile, type BookEntry } from './book.js';
export { bookFromTable, canonicalKeyOf, positionKey } from './book-maker.js';
export { Connect4Solver, SearchAborted, type Connect4SolverOptions } from './solver.js';

/** Whether the bitboard solver handles this board size. */
export function connect4SolverFits(rows: number, cols: number): boolean {
  return BitLayout.fits(rows, cols);
}

/** Key halves (position + mask) of a move string. */
export function bookKeyOf(game: Connect4Game, solver: Connect4Solver, moves: string): { kLo: number; kHi: number } {
  return positionKey(solver, game.parseState(moves) as Connect4State);
}

/** Loads the shipped opening book of this size if there is one (null otherwise). */
export function loadShippedBook(game: Connect4Game): OpeningBook | null {
  const path = bookPath(game.rows, game.cols);
  if (!existsSync(path)) return null;
  return readBookFile(path);
}

/** A solver for `game`, with the shipped opening book unless `book: false`. */
export function createConnect4Solver(game: Connect4Game, options: Omit<Connect4SolverOptions, 'book'> & { book?: boolean } = {}): Connect4Solver {
  const solver = new Connect4Solver(game.rows, game.cols, { tableBits: options.tableBits });
  if (options.book !== false) solver.setBook(loadShippedBook(game));
  return solver;
}
