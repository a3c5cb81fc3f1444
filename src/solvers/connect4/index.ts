import { existsSync } from 'node:fs';
import type { Connect4Game } from '../../envs/connect4/index.js';
import { BitLayout } from './bitboard.js';
import { bookPath, readBookFile, type OpeningBook } from './book.js';
import { Connect4Solver, type Connect4SolverOptions } from './solver.js';

export { BitLayout } from './bitboard.js';
export { BOOK_MISS, OpeningBook, bookPath, canonicalBookKey, readBookFile, type BookEntry } from './book.js';
export { bookFromTable } from './book-maker.js';
export { Connect4Solver, SearchAborted, type Connect4SolverOptions } from './solver.js';

/** Whether the bitboard solver handles this board size. */
export function connect4SolverFits(rows: number, cols: number): boolean {
  return BitLayout.fits(rows, cols);
}

/** Key halves (position + mask) of a move string. */
export function bookKeyOf(game: Connect4Game, solver: Connect4Solver, moves: string): { kLo: number; kHi: number } {
  const b = solver.bitsOf(game.parseState(moves));
  const kLo = (b.cLo + b.mLo) | 0;
  return { kLo, kHi: (b.cHi + b.mHi + ((kLo >>> 0) < (b.cLo >>> 0) ? 1 : 0)) | 0 };
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
