import { defineGame } from '../registry.js';
import { TicTacToeGame } from './tictactoe.js';

export { TicTacToeGame, TicTacToeState } from './tictactoe.js';

export const tictactoeDefinition = defineGame({
  id: 'tictactoe',
  description: 'Tic-tac-toe on 3x3; three in a row wins.',
  params: {},
  create: () => new TicTacToeGame(),
});
