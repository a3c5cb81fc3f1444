import type { Game as BgioGame } from 'boardgame.io';
import { bgioCore } from '../src/boardgameio/bgio.js';

/**
 * Tic-tac-toe and Connect Four written the way a boardgame.io user writes them (the tutorial's
 * style: G holds the cells, moves mutate G, endIf checks lines). These are the peers the
 * benchmarks measure arbor against, driven through boardgame.io's own reducer.
 */
function lineWinner(cells: (string | null)[], rows: number, cols: number, k: number): string | null {
  const dirs = [[0, 1], [1, 0], [1, 1], [1, -1]];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const p = cells[r * cols + c];
      if (p === null) continue;
      for (const [dr, dc] of dirs) {
        let n = 1;
        while (n < k) {
          const rr = r + dr * n;
          const cc = c + dc * n;
          if (rr < 0 || rr >= rows || cc < 0 || cc >= cols || cells[rr * cols + cc] !== p) break;
          n++;
        }
        if (n === k) return p;
      }
    }
  }
  return null;
}

export function bgioTicTacToe(): BgioGame<{ cells: (string | null)[] }> {
  const { INVALID_MOVE } = bgioCore();
  return {
    name: 'bench-tictactoe',
    setup: () => ({ cells: Array(9).fill(null) }),
    turn: { minMoves: 1, maxMoves: 1 },
    moves: {
      clickCell: ({ G, playerID }, id: number) => {
        if (G.cells[id] !== null) return INVALID_MOVE;
        G.cells[id] = playerID;
      },
    },
    endIf: ({ G, ctx }) => {
      const w = lineWinner(G.cells, 3, 3, 3);
      if (w !== null) return { winner: w };
      if (G.cells.every((c) => c !== null)) return { draw: true };
      void ctx;
    },
    ai: {
      enumerate: (G: { cells: (string | null)[] }) => {
        const moves = [];
        for (let i = 0; i < 9; i++) if (G.cells[i] === null) moves.push({ move: 'clickCell', args: [i] });
        return moves;
      },
    },
  };
}

export function bgioConnect4(rows = 6, cols = 7): BgioGame<{ cells: (string | null)[] }> {
  const { INVALID_MOVE } = bgioCore();
  return {
    name: 'bench-connect4',
    setup: () => ({ cells: Array(rows * cols).fill(null) }),
    turn: { minMoves: 1, maxMoves: 1 },
    moves: {
      drop: ({ G, playerID }, col: number) => {
        for (let r = rows - 1; r >= 0; r--) {
          if (G.cells[r * cols + col] === null) {
            G.cells[r * cols + col] = playerID;
            return;
          }
        }
        return INVALID_MOVE;
      },
    },
    endIf: ({ G }) => {
      const w = lineWinner(G.cells, rows, cols, 4);
      if (w !== null) return { winner: w };
      if (G.cells.every((c) => c !== null)) return { draw: true };
    },
    ai: {
      enumerate: (G: { cells: (string | null)[] }) => {
        const moves = [];
        for (let c = 0; c < cols; c++) if (G.cells[c] === null) moves.push({ move: 'drop', args: [c] });
        return moves;
      },
    },
  };
}
