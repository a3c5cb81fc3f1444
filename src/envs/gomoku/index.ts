import { ArborError } from '../../core/index.js';
import { defineGame } from '../registry.js';
import { GomokuGame, MAX_SIDE, MIN_K, MIN_SIDE } from './gomoku.js';

export { GomokuGame, GomokuState } from './gomoku.js';

export const gomokuDefinition = defineGame({
  id: 'gomoku',
  description: 'Free-style m,n,k gomoku: k or more in a row (any direction) wins; a full board is a draw.',
  params: {
    rows: { type: 'int', default: 9, min: MIN_SIDE, max: MAX_SIDE, description: 'board rows' },
    cols: { type: 'int', default: 9, min: MIN_SIDE, max: MAX_SIDE, description: 'board columns' },
    k: { type: 'int', default: 5, min: MIN_K, max: MAX_SIDE, description: 'stones in a line needed to win (longer lines also win)' },
  },
  aliases: { size: ['rows', 'cols'] },
  validate(params) {
    const rows = params.rows;
    const cols = params.cols;
    const k = params.k;
    const longest = Math.max(rows, cols);
    if (k > longest) {
      throw new ArborError(`game gomoku: k=${k} cannot fit a ${rows}x${cols} board; allowed k=${MIN_K}..${longest} (at most the longer side)`);
    }
  },
  create: (params, spec) => new GomokuGame(params.rows, params.cols, params.k, spec),
  variants: ['gomoku:size=3,k=3', 'gomoku:rows=5,cols=8,k=4', 'gomoku:rows=7,cols=4,k=4', 'gomoku:size=15'],
});
