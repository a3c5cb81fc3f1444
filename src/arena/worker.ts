import { createGame, type Game } from '../envs/index.js';
import { playTask, type GameOutcome, type GameTask } from './game.js';

/**
 * Piscina worker: plays one arena game per task. Agents are rebuilt in the worker from their
 * spec strings and seeds (objects holding searches or network sessions cannot cross threads);
 * the games layer and the built-in agents are registered by the imports above.
 */
const games = new Map<string, Game>();
const loaded = new Set<string>();

export default async function playInWorker(task: GameTask): Promise<GameOutcome> {
  for (const url of task.setupModules ?? []) {
    if (loaded.has(url)) continue;
    await import(url);
    loaded.add(url);
  }
  let game = games.get(task.game);
  if (!game) {
    game = createGame(task.game);
    games.set(task.game, game);
  }
  return playTask(task, game);
}
