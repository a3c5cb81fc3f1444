import { join } from 'node:path';
import type { Command } from 'commander';
import { ArenaRecords, formatGameList, formatReplay, RECORDS_FILE, replaySteps, reproduceGame } from '../arena/index.js';
import { ArborError } from '../core/index.js';
import { withExamples } from './help.js';
import { action, intOption } from './run.js';

export function register(program: Command): void {
  const command = program
    .command('replay')
    .summary('list or replay the games an arena recorded')
    .description('list the games an arena recorded (newest first), or print one move by move with boards; give the records as --dir or --db')
    .option('--db <file>', 'records database (an arena.sqlite)')
    .option('--dir <dir>', 'arena records folder (reads DIR/arena.sqlite)')
    .option('--game-id <n>', 'the game to replay (without it, list the games)', intOption('--game-id', 1))
    .option('--last <n>', 'how many games to list', intOption('--last', 1), 20)
    .option('--verify', 'play the game again from its seeds and check the same moves come out')
    .action(action(async (o: { db?: string; dir?: string; gameId?: number; last: number; verify?: boolean }) => {
      if (!o.db && !o.dir) throw new ArborError('give --db FILE (an arena.sqlite) or --dir DIR (an arena records folder)');
      const records = ArenaRecords.openFile(o.db ?? join(o.dir!, RECORDS_FILE));
      try {
        if (o.gameId === undefined) {
          process.stdout.write(`${formatGameList(records.listGames({ limit: o.last }))}\n`);
          return;
        }
        const record = records.getGame(o.gameId);
        process.stdout.write(`${formatReplay(record, replaySteps(record))}\n`);
        if (o.verify) {
          const again = await reproduceGame(record);
          process.stdout.write(again.same ? 'verify: replayed from the seeds, the same moves and result\n' : `verify: DIFFERENT when replayed: ${again.moves} (${again.outcome.reason})\n`);
          if (!again.same) process.exitCode = 1;
        }
      } finally {
        records.close();
      }
    }));
  withExamples(command, [
    { command: 'arbor replay --dir arena-runs/tictactoe', note: 'the last 20 games recorded by arbor arena ... --dir arena-runs/tictactoe' },
    { command: 'arbor replay --dir arena-runs/tictactoe --game-id 1 --verify', note: 'game 1 move by move, then played again from its seeds to check it repeats' },
  ]);
}
