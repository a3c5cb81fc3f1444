import type { Command } from 'commander';
import { createGame, perft } from '../envs/index.js';
import { withExamples } from './help.js';
import { action, intOption, printJson } from './run.js';

export function register(program: Command): void {
  const command = program
    .command('perft')
    .summary('count move sequences from the start (a check of the rules)')
    .description('count move sequences of length 1..D from the start, one "DEPTH COUNT" line each (checks a game\'s rules against published tables)')
    .requiredOption('--game <spec>', 'game spec, e.g. connect4 or othello:size=8')
    .requiredOption('--depth <D>', 'deepest sequence length', intOption('--depth', 1, 64))
    .option('--json', 'print {"game":...,"counts":[...]}')
    .action(action(async (opts: { game: string; depth: number; json?: boolean }) => {
      const game = createGame(opts.game);
      const counts = perft(game.newInitialState(), opts.depth);
      if (opts.json) printJson({ game: game.spec, counts });
      else counts.forEach((c, i) => process.stdout.write(`${i + 1} ${c}\n`));
    }));
  withExamples(command, [
    { command: 'arbor perft --game connect4 --depth 6', note: 'Connect Four: 7, 49, 343, 2401, 16807, 117649' },
    { command: 'arbor perft --game othello --depth 5 --json', note: 'Othello: 4, 12, 56, 244, 1396, as JSON' },
  ]);
}
