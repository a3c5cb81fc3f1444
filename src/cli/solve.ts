import type { Command } from 'commander';
import { ArborError, isArborError, legalActionList, type Game, type State } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { createSolver } from '../solvers/index.js';
import { optionWithRuntimeDefault, withExamples } from './help.js';
import { action, readStdinIfPiped, writeLegend } from './run.js';
import { playerSymbol } from './search-report.js';

/** What a score means, for the legend: Pons' convention on Connect Four, moves to the end elsewhere. */
export function scoreLegend(game: Game, weak: boolean): string {
  if (weak) return 'POSITION SCORE: SCORE is the result for the side to move with perfect play: 1 it wins, 0 draw, -1 it loses.';
  const win = game.id === 'connect4'
    ? `${Math.ceil((game.shape.rows * game.shape.cols) / 2) + 1} minus the winner's stones at the end (Pascal Pons' convention)`
    : `${game.maxGameLength + 1} minus the moves played in the game`;
  return `POSITION SCORE: SCORE is the result for the side to move with perfect play: > 0 it wins, 0 draw, < 0 it loses; the size says how soon: a win scores ${win}.`;
}

/** Describes a score for the side to move in words: `X wins`, `draw`, `O loses`. */
function outcomeWords(score: number, mover: number): string {
  return score > 0 ? `${playerSymbol(mover)} wins` : score < 0 ? `${playerSymbol(mover)} loses` : 'draw';
}

/**
 * The labelled table of `solve --analyze`: the position's score, then one column per legal move
 * with the score after it (for the side to move now), and the best moves.
 */
export function formatSolveAnalysis(game: Game, text: string, state: State, scores: readonly number[]): string {
  const legal = legalActionList(state);
  const score = Math.max(...legal.map((a) => scores[a]));
  const best = legal.filter((a) => scores[a] === score).map((a) => game.actionToString(a));
  const moves = legal.map((a) => game.actionToString(a));
  const values = legal.map((a) => String(scores[a]));
  const widths = moves.map((m, i) => Math.max(m.length, values[i].length));
  const row = (label: string, cells: string[]) => `  ${label.padEnd(5)}  ${cells.map((c, i) => c.padStart(widths[i])).join('  ')}`;
  const mover = state.currentPlayer();
  return [
    `${text === '' ? '-' : text}: ${playerSymbol(mover)} to move; score ${score} (${outcomeWords(score, mover)}); best: ${best.join(' ')}`,
    row('move', moves),
    row('score', values),
  ].join('\n');
}

export function register(program: Command): void {
  const command = program
    .command('solve')
    .summary('exact scores of positions (Connect Four, tic-tac-toe, small gomoku and hex)')
    .description('exact score (or with --weak win/draw/loss) of positions given as move sequences from the start (Connect Four: 1-based column digits, as in Pascal Pons\' benchmarks); reads one position per line from stdin when none are given. Prints one "POSITION SCORE" line each; --analyze prints a labelled table of every move\'s score instead; the score is explained on stderr when stdout is a terminal.')
    .argument('[positions...]', 'positions as move sequences, e.g. 4453 for connect4, "a1 b2" for tictactoe, "" for the start')
    .requiredOption('--game <spec>', 'game spec with a solver, e.g. connect4, tictactoe, connect4:rows=5,cols=5')
    .option('--analyze', 'print a table of the score of every legal move instead of one line')
    .option('--json', 'print one JSON object per position: {"moves","score","scores"?}')
    .option('--weak', 'only win/draw/loss (1, 0, -1 for the side to move): much faster early in the game')
    .addOption(optionWithRuntimeDefault('--table-bits <n>', 'log2 of the transposition table entries, 18..27 (8 bytes each; 26 = 512 MB suits the empty board)', '23 for Connect Four, 20 for the others'))
    .option('--no-book', 'do not use the shipped Connect Four opening book')
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
      if (lines.length === 0) throw new ArborError('no positions given; pass move sequences as arguments (e.g. 4453, or "" for the start) or one per line on stdin');
      let failed = 0;
      for (const line of lines) {
        // Pons' benchmark lines are `MOVES SCORE`: only the first field is a position.
        const text = /^\S+\s+-?\d+$/.test(line) && game.id === 'connect4' ? line.split(/\s+/)[0] : line;
        try {
          const state = game.parseState(text);
          if (opts.analyze) {
            const scores = analyzeOne(state);
            if (opts.json) {
              const score = Math.max(...scores.filter((v) => !Number.isNaN(v)));
              process.stdout.write(`${JSON.stringify({ moves: text, score, scores: scores.map((v) => (Number.isNaN(v) ? null : v)) })}\n`);
            } else {
              process.stdout.write(`${formatSolveAnalysis(game, text, state, scores)}\n`);
            }
          } else {
            const score = solveOne(state);
            if (opts.json) process.stdout.write(`${JSON.stringify({ moves: text, score })}\n`);
            else process.stdout.write(`${text} ${score}\n`);
          }
        } catch (e) {
          if (!isArborError(e)) throw e;
          failed++;
          process.stderr.write(lines.length === 1 ? `arbor: ${e.message}\n` : `arbor: "${text}": ${e.message}\n`);
        }
      }
      if (!opts.json) writeLegend(scoreLegend(game, opts.weak === true));
      if (failed > 0) {
        if (lines.length > 1) process.stderr.write(`arbor: ${failed} of ${lines.length} positions could not be solved (see the lines above)\n`);
        process.exitCode = 2;
      }
    }));
  withExamples(command, [
    { command: 'arbor solve --game connect4 441644233554277', note: 'exact score of a middle-game position (15 moves: 4, 4, 1, 6, ...; one "POSITION SCORE" line)' },
    { command: 'arbor solve --game connect4 --analyze 441644233554277', note: 'the score of every move there, as a table' },
    { command: 'arbor solve --game connect4 --weak --analyze ""', note: 'who wins from the empty board, move by move (win/draw/loss; the opening book answers at once)' },
    { command: 'arbor solve --game tictactoe --analyze "b2 a1"', note: 'tic-tac-toe moves are cells, separated by spaces' },
    { command: 'printf "4453\\n44\\n" | arbor solve --game connect4 --weak --json', note: 'positions from stdin, JSON out (exact scores of early positions take seconds to minutes; --weak is fast)' },
  ]);
}
