import { defineGame } from '../registry.js';
import { BreakthroughGame } from './breakthrough.js';

export { BreakthroughGame, BreakthroughState } from './breakthrough.js';

export const breakthroughDefinition = defineGame({
  id: 'breakthrough',
  description: 'Breakthrough: two rows of pawns each; reach the far row or capture every enemy pawn to win.',
  params: {
    rows: { type: 'int', default: 6, min: 4, max: 16, description: 'board rows (4..16)' },
    cols: { type: 'int', default: 6, min: 2, max: 16, description: 'board columns (2..16)' },
  },
  create: (params, spec) => new BreakthroughGame(params.rows, params.cols, spec),
  variants: ['breakthrough:rows=5,cols=4', 'breakthrough:rows=4,cols=2', 'breakthrough:rows=8,cols=8'],
});
