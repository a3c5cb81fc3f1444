import type { Command } from 'commander';
import { ArborError, isArborError, type State } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { createSolver } from '../solvers/index.js';
import { action, readStdinIfPiped } from './run.js';

export function register(program: Command): void {
  program
    .command('solve')
    .description('exact score (or with --weak win/draw/loss) of positions given as move strings (Connect Four: 1-based column digits, as in Pons\' benchmarks); reads one per line from stdin when none are given')
    .requiredOption('--game <spec>', 'game spec with a solver, e.g. connect4, tictactoe, connect4:rows=5,cols=5')
    .option('--analyze', 'also print the score of every legal move')
    .option('--json', 'print one JSON object per position: {"moves","score","scores"?}')
    .option('--weak', 'only win/draw/loss (1, 0, -1 for the side to move): much faster early in the game')
    .option('--table-bits <n>', 'log2 of the transposition table entries, 18..27 (8 bytes each; default 23 = 64 MB, 26 suits the empty board)')
    .option('--no-book', 'do not use the shipped Connect Four opening book')
    .argument('[moves...]', 'positions as move strings')
    .action(action(async (moves: string[], opts: { game: string; analyze?: boolean; json?: boolean; weak?: boolean; tableBits?: string; book: boolean }) => {
      const game = createGame(opts.game);
      const tableBits = opts.tableBits === undefined ? undefined : Number(opts.tableBits);
      if (tableBits !== undefined && !(Number.isInteger(tableBits) && tableBits >= 18 && tableBits <= 27)) {
        throw new ArborError(`--table-bits ${opts.tableBits}: give an integer 18..27 (26 = 512 MB)`);
      }
      const solver = createSolver(game, { book: opts.book, tableBits });
      const solveOne = opts.weak ? (s: State) => solver.solveWeak(s) : (s: State) => solver.solve(s);
      const analyzeOne = opts.weak ? (s: State) => solver.analyzeWeak(s) : (s: State) => solver.analyze(s);
      const lines = moves.length > 0 ? moves : (await readStdinIfPiped()).split('\n').map((l) => l.trim()).filter((l) => l !== '');
      let failed = 0;
      for (const line of lines) {
        // Pons' benchmark lines are `MOVES SCORE`: only the first field is a position.
        const text = /^\S+\s+-?\d+$/.test(line) && game.id === 'connect4' ? line.split(/\s+/)[0] : line;
        try {
          const state = game.parseState(text);
          if (opts.analyze) {
            const scores = analyzeOne(state);
            const legal = scores.filter((v) => !Number.isNaN(v));
            const score = Math.max(...legal);
            if (opts.json) process.stdout.write(`${JSON.stringify({ moves: text, score, scores: scores.map((v) => (Number.isNaN(v) ? null : v)) })}\n`);
            else process.stdout.write(`${text} ${score} ${scores.map((v) => (Number.isNaN(v) ? '.' : String(v))).join(' ')}\n`);
          } else {
            const score = solveOne(state);
            if (opts.json) process.stdout.write(`${JSON.stringify({ moves: text, score })}\n`);
            else process.stdout.write(`${text} ${score}\n`);
          }
        } catch (e) {
          if (!isArborError(e)) throw e;
          failed++;
          process.stderr.write(`arbor: "${text}": ${e.message}\n`);
        }
      }
      if (failed > 0) {
        process.stderr.write(`arbor: ${failed} of ${lines.length} positions could not be solved (see the lines above)\n`);
        process.exitCode = 2;
      }
    }));
}
