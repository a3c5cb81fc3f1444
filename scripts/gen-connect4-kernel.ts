/**
 * Writes the search kernels of the Connect Four solver: the whole file
 * src/solvers/connect4/kernels.generated.ts, a base class whose methods Connect4Solver (in
 * solver.ts) inherits.
 *
 *   npx tsc -p scripts/tsconfig.json && node dist/scripts/gen-connect4-kernel.js
 *
 * test/solvers/connect4-kernels.test.ts checks that the file is exactly what `kernelsFile()`
 * returns, so the file and its generator cannot drift apart.
 *
 * Why generated: the node of the search is written out inline (threat masks of the opponent
 * and of every candidate move, the table probe, the move ordering) so V8 keeps it in int32
 * registers with no calls; and the 6x7 board gets its own copy whose shift amounts are literal
 * constants (x64 shifts by a variable must go through the CL register; with literals the
 * middle-game search measured ~20% faster here). The other board sizes share a copy that reads
 * the shift amounts from the solver. Both copies come from the one template below.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomicSync } from '../src/core/index.js';

const DIRS = ['A', 'B', 'C'];

/** Shift amount `k * d` of direction D (A: rows, B: rows + 1, C: rows + 2): a literal or a local. */
function shift(rows: number | null, D: string, k: number, complement: boolean): string {
  if (rows === null) return `${complement ? 'n' : 's'}${D}${k}`;
  const d = rows + DIRS.indexOf(D);
  return String(complement ? 32 - k * d : k * d);
}

/**
 * Narrows (alpha, beta) by the bounds packed in `v` (lower in byte 0, upper in byte 1, as the
 * table and the book store them), returning at once when the window closes.
 */
function applyBounds(v: string, ind: string): string {
  return [
    `${ind}const lower = (${v} << 24) >> 24;`,
    `${ind}const upper = (${v} << 16) >> 24;`,
    `${ind}if (alpha < lower) {`,
    `${ind}  alpha = lower;`,
    `${ind}  if (alpha >= beta) return alpha;`,
    `${ind}}`,
    `${ind}if (beta > upper) {`,
    `${ind}  beta = upper;`,
    `${ind}  if (alpha >= beta) return beta;`,
    `${ind}}`,
  ].join('\n');
}

/**
 * Cells where the stones `p` (int32 halves pLo, pHi) would complete four, into `out`Lo/Hi (not
 * yet masked by the empty cells): Pons' `compute_winning_position` on a pair of halves.
 */
function threats(rows: number | null, p: string, out: string, ind: string): string {
  const s = (D: string, k: number) => shift(rows, D, k, false);
  const n = (D: string, k: number) => shift(rows, D, k, true);
  const L = [
    `${ind}let ${out}Lo = (${p}Lo << 1) & (${p}Lo << 2) & (${p}Lo << 3);`,
    `${ind}let ${out}Hi = ((${p}Hi << 1) | (${p}Lo >>> 31)) & ((${p}Hi << 2) | (${p}Lo >>> 30)) & ((${p}Hi << 3) | (${p}Lo >>> 29));`,
  ];
  for (const D of DIRS) {
    L.push(
      `${ind}{`,
      `${ind}  const l1Lo = ${p}Lo << ${s(D, 1)}, l1Hi = (${p}Hi << ${s(D, 1)}) | (${p}Lo >>> ${n(D, 1)});`,
      `${ind}  const l2Lo = ${p}Lo << ${s(D, 2)}, l2Hi = (${p}Hi << ${s(D, 2)}) | (${p}Lo >>> ${n(D, 2)});`,
      `${ind}  const r1Lo = (${p}Lo >>> ${s(D, 1)}) | (${p}Hi << ${n(D, 1)}), r1Hi = ${p}Hi >>> ${s(D, 1)};`,
      `${ind}  const r2Lo = (${p}Lo >>> ${s(D, 2)}) | (${p}Hi << ${n(D, 2)}), r2Hi = ${p}Hi >>> ${s(D, 2)};`,
      `${ind}  ${out}Lo |= (l1Lo & l2Lo & ((${p}Lo << ${s(D, 3)}) | r1Lo)) | (r1Lo & r2Lo & (l1Lo | (${p}Lo >>> ${s(D, 3)}) | (${p}Hi << ${n(D, 3)})));`,
      `${ind}  ${out}Hi |= (l1Hi & l2Hi & ((${p}Hi << ${s(D, 3)}) | (${p}Lo >>> ${n(D, 3)}) | r1Hi)) | (r1Hi & r2Hi & (l1Hi | (${p}Hi >>> ${s(D, 3)})));`,
      `${ind}}`,
    );
  }
  return L.join('\n');
}

function kernel(name: string, rows: number | null, plain: string | null = null): string {
  // The book variant (plain = the name of the book-free kernel) probes the opening book and
  // recurses into itself while the child is within the book's depth, else into the plain kernel;
  // the plain kernel has no book code at all, so the deep search never pays for it.
  const call = (args: string) => (plain === null ? `this.${name}(${args})` : `(moves + 1 <= this.bookDepth ? this.${name}(${args}) : this.${plain}(${args}))`);
  const locals = rows !== null ? '' : `
    const sh = this.shifts;
    const sA1 = sh[0], sA2 = sh[1], sA3 = sh[2], sB1 = sh[3], sB2 = sh[4], sB3 = sh[5], sC1 = sh[6], sC2 = sh[7], sC3 = sh[8];
    const nA1 = 32 - sA1, nA2 = 32 - sA2, nA3 = 32 - sA3, nB1 = 32 - sB1, nB2 = 32 - sB2, nB3 = 32 - sB3, nC1 = 32 - sC1, nC2 = 32 - sC2, nC3 = 32 - sC3;`;
  return `
  /**
   * Negamax with alpha-beta on a position where the side to move cannot win at once (checked by
   * the caller)${rows !== null ? `, for ${rows}-row boards` : ''}. Returns the exact score if it lies in (alpha, beta), else a bound
   * on the side that failed (fail-hard, as in Pons' solver). Side to move: stones (cLo, cHi);
   * all stones (mLo, mHi); \`moves\` stones played; (tLo, tHi): the opponent's winning cells
   * if the caller has them (it computed them to order its moves: they are the threats of its
   * own stones after the move), else tHi = -1.
   */
  protected ${name}(cLo: number, cHi: number, mLo: number, mHi: number, moves: number, alpha: number, beta: number, tLo: number, tHi: number): number {
    if (++this.nodes > this.nodeLimit) throw new SearchAborted(this.nodeLimit);${locals}
    const boardLo = this.boardLo;
    const boardHi = this.boardHi;
    const emptyLo = boardLo ^ mLo;
    const emptyHi = boardHi ^ mHi;
    // Playable cells (Pons' \`possible\`): adding the bottom row carries each column's stones up
    // to its first empty cell; the carry between the halves is computed by hand.
    const sumLo = (mLo + this.bottomLo) | 0;
    const playLo = sumLo & boardLo;
    const playHi = (mHi + this.bottomHi + ((sumLo >>> 0) < (mLo >>> 0) ? 1 : 0)) & boardHi;
    let possLo = playLo;
    let possHi = playHi;
    // The opponent's winning cells.
    const oppLo = cLo ^ mLo;
    const oppHi = cHi ^ mHi;
    let oLo = tLo;
    let oHi = tHi;
    if (tHi === -1) {
${threats(rows, 'opp', 'q', '      ')}
      oLo = qLo & emptyLo;
      oHi = qHi & emptyHi;
    }
    const K1 = this.scoreBase - 1;
    // Early detection of forced losses (Pons, part 9: \`possibleNonLosingMoves\`).
    const forcedLo = possLo & oLo;
    const forcedHi = possHi & oHi;
    if ((forcedLo | forcedHi) !== 0) {
      // Two cells to block at once: the opponent wins with his next stone.
      if ((forcedLo & (forcedLo - 1)) !== 0 || (forcedHi & (forcedHi - 1)) !== 0 || (forcedLo !== 0 && forcedHi !== 0)) return -(K1 - ((moves + 1) >> 1));
      possLo = forcedLo;
      possHi = forcedHi;
    }
    // Never play directly under a cell where the opponent would win.
    const nextLo = possLo & ~((oLo >>> 1) | (oHi << 31));
    const nextHi = possHi & ~(oHi >>> 1);
    if ((nextLo | nextHi) === 0) return -(K1 - ((moves + 1) >> 1));
    if (moves >= this.cells - 2) return 0;

    // Neither side can win at its next stone, so the score lies within these bounds.
    const min = -(K1 - 1 - ((moves + 1) >> 1));
    if (alpha < min) {
      alpha = min;
      if (alpha >= beta) return alpha;
    }
    const max = K1 - 1 - (moves >> 1);
    if (beta > max) {
      beta = max;
      if (alpha >= beta) return beta;
    }

    // Transposition table probe (see the field comment): key = position + mask; the bucket's two
    // entries (one cache line) are both checked.
    const kLo = (cLo + mLo) | 0;
    const kHi = (cHi + mHi + ((kLo >>> 0) < (cLo >>> 0) ? 1 : 0)) | 0;
    const tb1 = this.tableBits - 1;
    const up = ((kLo >>> tb1) | (kHi << (32 - tb1))) & 0x7fffffff;
    const topKey = kHi >>> (tb1 - 1);
    const b4 = ((kLo ^ (Math.imul(up, 0x9e3779b1) >>> (32 - tb1))) & ((1 << tb1) - 1)) << 2;
    const table = this.table;
    const top = this.tableTop;
    let e = -1;
    if (table[b4] === up && (top === null || top[b4 >> 1] === topKey)) e = b4;
    else if (table[b4 + 2] === up && (top === null || top[(b4 >> 1) + 1] === topKey)) e = b4 + 2;
    let hashCol = -1;
    if (e >= 0) {
      const v = table[e + 1];
      hashCol = ((v >>> 16) & 15) - 1;
${applyBounds('v', '      ')}
    }
${plain === null ? '' : `    if (moves <= this.bookDepth) {
      // Book entries are bounds too (exact scores have equal bounds; a win/draw/loss book
      // stores the class's range), applied like the table's. The book's hash table is probed
      // here inline (see OpeningBook.slots): a method call at this point measured a 3x slower
      // search in some runs (V8 deoptimising the kernel).
      const bs = this.bookSlots;
      let bi = Math.imul(kLo ^ Math.imul(kHi, 0x85ebca6b), 0x9e3779b1) >>> this.bookShift;
      for (;;) {
        const v = bs[3 * bi + 2];
        if (v === -1) break;
        if (bs[3 * bi] === kLo && bs[3 * bi + 1] === kHi) {
${applyBounds('v', '          ')}
          break;
        }
        bi = (bi + 1) & this.bookMask;
      }
    }
`}
    const alpha0 = alpha;
    let bestCol = -1;
    const colLo = this.colLo;
    const colHi = this.colHi;
    // The stored best move first, before paying for the ordering of the others: when it
    // refutes again (the usual case in the repeated null-window searches), that is all.
    let skipLo = 0;
    let skipHi = 0;
    if (hashCol >= 0 && ((nextLo & colLo[hashCol]) | (nextHi & colHi[hashCol])) !== 0) {
      skipLo = nextLo & colLo[hashCol];
      skipHi = nextHi & colHi[hashCol];
      const score = -${call('oppLo, oppHi, mLo | skipLo, mHi | skipHi, moves + 1, -beta, -alpha, 0, -1')};
      if (score >= beta) {
        this.store(b4, up, topKey, moves, score, 127, hashCol);
        return score;
      }
      if (score > alpha) {
        alpha = score;
        bestCol = hashCol;
      }
    }

    // Move ordering: centre first, then by the number of winning cells the move creates
    // (Pons, part 10; stable insertion sort, the list is read from its end).
    const cols = this.cols;
    const base = moves * cols;
    const order = this.order;
    const moveLo = this.moveLo;
    const moveHi = this.moveHi;
    const moveScore = this.moveScore;
    const moveCol = this.moveCol;
    const moveWLo = this.moveWLo;
    const moveWHi = this.moveWHi;
    const restLo = nextLo ^ skipLo;
    const restHi = nextHi ^ skipHi;
    let n = 0;
    if (((restLo & (restLo - 1)) | (restHi & (restHi - 1))) === 0 && (restLo === 0 || restHi === 0)) {
      // At most one move left: nothing to order.
      if ((restLo | restHi) !== 0) {
        moveLo[base] = restLo;
        moveHi[base] = restHi;
        moveCol[base] = -1;
        moveWLo[base] = 0;
        moveWHi[base] = -1;
        n = 1;
      }
    } else {
      for (let i = cols - 1; i >= 0; i--) {
        const c = order[i];
        const bLo = restLo & colLo[c];
        const bHi = restHi & colHi[c];
        if ((bLo | bHi) === 0) continue;
        const ownLo = cLo | bLo;
        const ownHi = cHi | bHi;
        // Threat mask of the side to move after the move.
${threats(rows, 'own', 'w', '        ')}
        wLo &= emptyLo;
        wHi &= emptyHi;
        // A move that leaves two winning cells the opponent cannot both stop (two playable ones,
        // or a playable one right under another) wins with the mover's stone after next, the
        // best score still possible here (neither side wins at its next stone), so the node is
        // solved. The opponent cannot win first: \`next\` leaves him no playable winning cell.
        const aLo = wLo & ((playLo & ~bLo) | (bLo << 1));
        const aHi = wHi & ((playHi & ~bHi) | (bHi << 1) | (bLo >>> 31));
        if ((aLo | aHi) !== 0 && (((aLo & (aLo - 1)) | (aHi & (aHi - 1))) !== 0 || (aLo !== 0 && aHi !== 0) || ((aLo & ((wLo >>> 1) | (wHi << 31))) | (aHi & (wHi >>> 1))) !== 0)) {
          this.store(b4, up, topKey, moves, max, max, c);
          return max;
        }
        // popcount of both halves (SWAR, Hacker's Delight 5-1).
        let x = wLo - ((wLo >>> 1) & 0x55555555);
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        x = (x + (x >>> 4)) & 0x0f0f0f0f;
        let y = wHi - ((wHi >>> 1) & 0x55555555);
        y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
        y = (y + (y >>> 4)) & 0x0f0f0f0f;
        const score = (Math.imul(x, 0x01010101) >>> 24) + (Math.imul(y, 0x01010101) >>> 24);
        let pos = base + n++;
        while (pos > base && moveScore[pos - 1] > score) {
          moveScore[pos] = moveScore[pos - 1];
          moveLo[pos] = moveLo[pos - 1];
          moveHi[pos] = moveHi[pos - 1];
          moveCol[pos] = moveCol[pos - 1];
          moveWLo[pos] = moveWLo[pos - 1];
          moveWHi[pos] = moveWHi[pos - 1];
          pos--;
        }
        moveScore[pos] = score;
        moveLo[pos] = bLo;
        moveHi[pos] = bHi;
        moveCol[pos] = c;
        moveWLo[pos] = wLo;
        moveWHi[pos] = wHi;
      }
    }

    for (let i = base + n - 1; i >= base; i--) {
      const score = -${call('oppLo, oppHi, mLo | moveLo[i], mHi | moveHi[i], moves + 1, -beta, -alpha, moveWLo[i], moveWHi[i]')};
      if (score >= beta) {
        this.store(b4, up, topKey, moves, score, 127, moveCol[i]);
        return score;
      }
      if (score > alpha) {
        alpha = score;
        bestCol = moveCol[i];
      }
    }
    // alpha is exact if it rose above alpha0, else an upper bound.
    this.store(b4, up, topKey, moves, alpha > alpha0 ? alpha : -128, alpha, bestCol);
    return alpha;
  }
`;
}

/**
 * The members of Connect4Solver the kernels read, declared abstract in the generated base class
 * (the solver declares, documents and initialises them).
 */
const SOLVER_MEMBERS = `  /** Nodes searched since construction. */
  abstract nodes: number;
  /** A search that passes this node count throws SearchAborted. */
  abstract nodeLimit: number;
  abstract readonly cells: number;
  abstract readonly cols: number;
  abstract readonly scoreBase: number;
  protected abstract readonly order: Int32Array;
  protected abstract readonly boardLo: number;
  protected abstract readonly boardHi: number;
  protected abstract readonly bottomLo: number;
  protected abstract readonly bottomHi: number;
  protected abstract readonly colLo: Int32Array;
  protected abstract readonly colHi: Int32Array;
  protected abstract readonly shifts: Int32Array;
  protected abstract tableBits: number;
  protected abstract table: Int32Array;
  protected abstract tableTop: Uint8Array | null;
  protected abstract bookDepth: number;
  protected abstract bookSlots: Int32Array;
  protected abstract bookMask: number;
  protected abstract bookShift: number;
  protected abstract readonly moveLo: Int32Array;
  protected abstract readonly moveHi: Int32Array;
  protected abstract readonly moveScore: Int32Array;
  protected abstract readonly moveCol: Int32Array;
  protected abstract readonly moveWLo: Int32Array;
  protected abstract readonly moveWHi: Int32Array;
  protected abstract store(b4: number, up: number, topKey: number, moves: number, lo: number, hi: number, col: number): void;
`;

/** The whole text of src/solvers/connect4/kernels.generated.ts. */
export function kernelsFile(): string {
  return `// Generated by scripts/gen-connect4-kernel.ts: edit the generator, then run it
//   npx tsc -p scripts/tsconfig.json && node dist/scripts/gen-connect4-kernel.js
// (test/solvers/connect4-kernels.test.ts checks this file is exactly what it writes).
import { SearchAborted } from './search-aborted.js';

/**
 * The negamax kernels of the Connect Four solver (Connect4Solver in solver.ts extends this class):
 * \`negamax\` for any board that fits the bitboard, \`negamax6\` for 6-row boards with literal
 * shift amounts, and their \`Book\` variants that also probe the opening book near the root.
 */
export abstract class Connect4Kernels {
${SOLVER_MEMBERS}${kernel('negamax', null)}${kernel('negamax6', 6)}${kernel('negamaxBook', null, 'negamax')}${kernel('negamax6Book', 6, 'negamax6')}}
`;
}

/** Where the generated file lives, from the script's place in the source tree or in dist/. */
function kernelsPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = [join(here, '..'), join(here, '../..')].find((d) => existsSync(join(d, 'src/solvers/connect4/solver.ts')));
  if (!root) throw new Error(`cannot find src/solvers/connect4 above ${here}`);
  return join(root, 'src/solvers/connect4/kernels.generated.ts');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = kernelsPath();
  writeFileAtomicSync(path, kernelsFile());
  process.stderr.write(`wrote ${path}\n`);
}
