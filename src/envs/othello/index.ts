import { ArborError } from '../../core/index.js';
import { defineGame } from '../registry.js';
import { OthelloGame } from './othello.js';

export { OthelloGame, OthelloState } from './othello.js';

export const othelloDefinition = defineGame({
  id: 'othello',
  description: 'Othello (Reversi) on 8x8 or 6x6; flip discs by bracketing, most discs wins.',
  params: {
    size: { type: 'int', default: 8, min: 6, max: 8, description: 'board side: 6 or 8' },
  },
  validate(params) {
    const size = params.size;
    // Only even sizes have a centred start; 6 and 8 are the ones with published results.
    if (size !== 6 && size !== 8) throw new ArborError(`game othello: size=${size} is not allowed; allowed sizes are 6 and 8`);
  },
  create: (params, spec) => new OthelloGame(params.size, spec),
  variants: ['othello:size=6'],
});
