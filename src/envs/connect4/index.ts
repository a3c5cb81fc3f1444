import { defineGame } from '../registry.js';
import { Connect4Game } from './connect4.js';

export { Connect4Game, Connect4State } from './connect4.js';

export const connect4Definition = defineGame({
  id: 'connect4',
  description: 'Connect Four: drop stones into columns; four in a row wins.',
  params: {
    rows: { type: 'int', default: 6, min: 4, max: 12, description: 'board rows' },
    cols: { type: 'int', default: 7, min: 4, max: 9, description: 'board columns (at most 9 so a column is one digit)' },
  },
  create: (p, spec) => new Connect4Game(p.rows, p.cols, spec),
  variants: ['connect4:rows=5,cols=6', 'connect4:rows=4,cols=4', 'connect4:rows=8,cols=9'],
});
