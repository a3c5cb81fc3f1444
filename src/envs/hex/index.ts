import { defineGame } from '../registry.js';
import { HexGame, MAX_SIZE, MIN_SIZE } from './hex.js';

export { HexGame, HexState } from './hex.js';

export const hexDefinition = defineGame({
  id: 'hex',
  description: 'Hex on a size x size rhombus: X joins top and bottom, O joins left and right; no draws. swap=true adds the pie rule.',
  params: {
    size: { type: 'int', default: 7, min: MIN_SIZE, max: MAX_SIZE, description: 'cells per side of the rhombus' },
    swap: { type: 'bool', default: false, description: 'pie rule: the second player may take over the first stone with the `swap` move' },
  },
  create: (params, spec) => new HexGame(params.size, params.swap, spec),
  variants: ['hex:size=2', 'hex:size=3,swap=true', 'hex:size=5,swap=true', 'hex:size=11'],
});
