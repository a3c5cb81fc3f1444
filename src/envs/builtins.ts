import { registerGame } from './registry.js';
import { connect4Definition } from './connect4/index.js';
import { gomokuDefinition } from './gomoku/index.js';
import { hexDefinition } from './hex/index.js';
import { tictactoeDefinition } from './tictactoe/index.js';
import { othelloDefinition } from './othello/index.js';
import { breakthroughDefinition } from './breakthrough/index.js';

let registered = false;

/** Registers the built-in games once (called on import of the envs index). */
export function registerBuiltinGames(): void {
  if (registered) return;
  registered = true;
  registerGame(tictactoeDefinition, import.meta.url);
  registerGame(gomokuDefinition, import.meta.url);
  registerGame(hexDefinition, import.meta.url);
  registerGame(connect4Definition, import.meta.url);
  registerGame(othelloDefinition, import.meta.url);
  registerGame(breakthroughDefinition, import.meta.url);
}

registerBuiltinGames();
