import type { Command } from 'commander';
import { createGame, perft } from '../envs/index.js';
import { action, intOption, printJson } from './run.js';

export function register(program: Command): void {
  program
    .command('perft')
    .description('count move sequences of length 1..D from the start (checks a game\'s rules against published tables)')
    .requiredOption('--game <spec>', 'game spec, e.g. connect4 or othello:size=8')
    .requiredOption('--depth <D>', 'deepest sequence length', intOption('--depth', 1, 64))
    .option('--json', 'print {"game":...,"counts":[...]}')
    .action(action(async (opts: { game: string; depth: number; json?: boolean }) => {
      const game = createGame(opts.game);
      const counts = perft(game.newInitialState(), opts.depth);
      if (opts.json) printJson({ game: game.spec, counts });
      else counts.forEach((c, i) => process.stdout.write(`${i + 1} ${c}\n`));
    }));
}
