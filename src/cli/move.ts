import type { Command } from 'commander';
import { createAgent, ArborError, freshSeed, type Game } from '../core/index.js';
import { createGame } from '../envs/index.js';
import type { SearchAgent } from '../agents/index.js';
import { optionWithRuntimeDefault, withExamples } from './help.js';
import { action, intOption, readStdinIfPiped, writeLegend } from './run.js';
import { ANALYSIS_LEGEND, formatAnalysis, lastSearchResult } from './search-report.js';

/** What `POSITION MOVE` means, for the legend. */
export function moveLegend(game: Game): string {
  return `POSITION MOVE: the position as given ("-" = the start), then the move the agent picks, in ${game.id}'s notation (as arbor play and arbor solve read it).`;
}

/**
 * `arbor move`: the move an agent picks in each given position, one `POSITION MOVE` line each,
 * so any script can query an agent. A position is the game's move sequence from the start
 * (`-` or an empty string for the start position). `--analyze` shows a search agent's reasons.
 */
export function register(program: Command): void {
  const command = program
    .command('move')
    .summary('the move an agent picks in given positions')
    .description('print the move an agent chooses in each position (move sequences from the start; or one per line on stdin): one "POSITION MOVE" line each, explained on stderr when stdout is a terminal; --analyze prints a search agent\'s table of root moves (visits, policy, prior, value) and its principal variation instead')
    .argument('[positions...]', 'positions as move sequences in the game\'s notation, e.g. 4453 for connect4; "-" = the start')
    .requiredOption('--game <spec>', 'game spec, e.g. connect4')
    .requiredOption('--agent <spec>', 'agent spec, e.g. greedy or uct:simulations=2000; see arbor agents')
    .option('--analyze', 'for search agents (uct, mcts, gumbel): a labelled table of the root moves and the principal variation')
    .addOption(optionWithRuntimeDefault('--seed <seed>', 'seed for the agent', 'fresh'))
    .addOption(optionWithRuntimeDefault('--move-time-ms <ms>', 'per-move time budget for agents that honour one', 'none', intOption('--move-time-ms', 1)))
    .action(action(async (positions: string[], o: { game: string; agent: string; analyze?: boolean; seed?: string; moveTimeMs?: number }) => {
      const game = createGame(o.game);
      let inputs = positions;
      if (inputs.length === 0) {
        const text = await readStdinIfPiped();
        inputs = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
      }
      if (inputs.length === 0) throw new ArborError('no positions given; pass move sequences as arguments (e.g. 4453, or - for the start) or one per line on stdin');
      const states = inputs.map((p) => {
        const state = game.parseState(p.trim() === '-' ? '' : p);
        if (state.isTerminal()) throw new ArborError(`position "${p}" is already over; give a position where someone is to move`);
        return state;
      });
      const agent = await createAgent(o.agent, { game, seed: o.seed ?? freshSeed() });
      const clock = o.moveTimeMs ? { moveTimeMs: o.moveTimeMs } : undefined;
      try {
        if (o.analyze && !('lastResult' in agent)) {
          throw new ArborError(`--analyze shows a search agent's statistics (uct, mcts, gumbel); ${o.agent} does not search (for the exact score of every move: arbor solve --analyze)`);
        }
        for (let k = 0; k < states.length; k++) {
          agent.reset?.();
          const move = await agent.selectAction(states[k].clone(), clock);
          if (!states[k].isLegal(move)) throw new Error(`agent ${o.agent} returned an illegal move (${move}) in position "${inputs[k]}"`);
          const shown = inputs[k].trim() === '' ? '-' : inputs[k].trim();
          const result = o.analyze ? lastSearchResult(agent) : null;
          if (result) process.stdout.write(`${k > 0 ? '\n' : ''}${formatAnalysis(game, shown, states[k].currentPlayer(), agent as SearchAgent, result)}\n`);
          else process.stdout.write(`${shown} ${game.actionToString(move)}\n`);
        }
        writeLegend(o.analyze ? ANALYSIS_LEGEND : moveLegend(game));
      } finally {
        await agent.close?.();
      }
    }));
  withExamples(command, [
    { command: 'arbor move --game connect4 --agent uct:simulations=2000 4453', note: 'the move tree search picks after 4 4 5 3 (one "POSITION MOVE" line)' },
    { command: 'arbor move --game connect4 --agent uct:simulations=2000 --seed 1 --analyze 441644233554277', note: 'why: visits, values and the principal variation of every root move' },
    { command: 'arbor move --game tictactoe --agent greedy "a1 b1 a2 b2" -', note: 'tic-tac-toe cells are separated by spaces; "-" is the start' },
    { command: 'printf "4453\\n112233\\n" | arbor move --game connect4 --agent greedy', note: 'positions from stdin, one per line' },
  ]);
}
