import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { createAgent, freshSeed, isArborError, legalActionList } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { optionWithRuntimeDefault, withExamples } from './help.js';
import { action } from './run.js';
import { formatSearchSummary, lastSearchResult } from './search-report.js';

export function register(program: Command): void {
  const command = program
    .command('play')
    .summary('play against an agent in the terminal')
    .description('play against an agent in the terminal: type moves in the game\'s notation; after each of its moves a search agent shows its value and the line it expects (principal variation)')
    .requiredOption('--game <spec>', 'game spec, e.g. connect4; see arbor games')
    .requiredOption('--agent <spec>', 'agent spec, e.g. greedy or uct:simulations=2000; see arbor agents')
    .option('--human-first', 'you move first (without it the agent does)')
    .addOption(optionWithRuntimeDefault('--seed <seed>', 'seed for the agent', 'fresh, printed at the start'))
    .action(action(async (opts: { game: string; agent: string; humanFirst?: boolean; seed?: string }) => {
      const game = createGame(opts.game);
      const seed = opts.seed ?? freshSeed();
      const agent = await createAgent(opts.agent, { game, seed });
      const human = opts.humanFirst ? 0 : 1;
      const out = process.stdout;
      out.write(`${game.spec}: you are player ${human + 1} (${human === 0 ? 'X, first' : 'O, second'}) against ${agent.name} (seed ${seed}). Type a move, "moves" for the legal ones, or "quit".\n`);
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
      const lines = rl[Symbol.asyncIterator]();
      const state = game.newInitialState();
      try {
        while (!state.isTerminal()) {
          out.write(`\n${state.toString()}\n`);
          let move: number;
          if (state.currentPlayer() === human) {
            out.write('your move> ');
            const next = await lines.next();
            if (next.done) {
              out.write('\ninput closed; game abandoned\n');
              return;
            }
            const text = String(next.value).trim();
            if (text === 'quit') return;
            if (text === 'moves' || text === '') {
              out.write(`legal: ${legalActionList(state).map((a) => game.actionToString(a)).join(' ')}\n`);
              continue;
            }
            try {
              move = game.parseAction(text);
            } catch (e) {
              if (!isArborError(e)) throw e;
              out.write(`${e.message}\n`);
              continue;
            }
            if (!state.isLegal(move)) {
              out.write(`"${text}" is not legal here; legal: ${legalActionList(state).map((a) => game.actionToString(a)).join(' ')}\n`);
              continue;
            }
          } else {
            move = await agent.selectAction(state);
            const result = lastSearchResult(agent);
            out.write(`${agent.name} plays ${game.actionToString(move)}${result ? ` (${formatSearchSummary(game, result)})` : ''}\n`);
          }
          state.apply(move);
          agent.observe?.(state, move);
        }
        out.write(`\n${state.toString()}\n`);
        const r = state.returnOf(human);
        out.write(r > 0 ? 'You win.\n' : r < 0 ? `${agent.name} wins.\n` : 'Draw.\n');
        out.write(`moves: ${state.toMoveString()}\n`);
      } finally {
        rl.close();
        await agent.close?.();
      }
    }));
  withExamples(command, [
    { command: 'arbor play --game connect4 --agent uct:simulations=2000 --human-first', note: 'Connect Four against tree search; you move first (type a column 1-7)' },
    { command: 'arbor play --game tictactoe --agent solver', note: 'tic-tac-toe against perfect play (type a cell such as b2)' },
  ]);
}
