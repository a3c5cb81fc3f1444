import type { Command } from 'commander';
import { ArborError, createAgent, deriveSeed } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { withExamples } from './help.js';
import { action, intOption } from './run.js';
import { formatSearchSummary, lastSearchResult, playerSymbol } from './search-report.js';

/** "a;b" -> the two agent specs, or an error naming the form. */
export function twoAgents(text: string): [string, string] {
  const specs = text.split(';').map((s) => s.trim());
  if (specs.length !== 2 || specs.some((s) => s === '')) {
    throw new ArborError(`--agents "${text}": give two agent specs separated by ";", e.g. --agents "uct:simulations=200;greedy"`);
  }
  return [specs[0], specs[1]];
}

export function register(program: Command): void {
  const command = program
    .command('demo')
    .summary('watch two agents play a few games')
    .description('watch two agents play a few games (colours alternate): for each game its moves, final board and result, then the tally; --moves prints every move with the board after it, and for search agents their value and principal variation')
    .option('--game <spec>', 'game spec; see arbor games', 'connect4')
    .option('--agents <a;b>', 'two agent specs separated by ";"; see arbor agents', 'greedy;random')
    .option('--games <N>', 'games to play (colours alternate)', intOption('--games', 1, 1000), 2)
    .option('--moves', 'print every move and the board after it (search agents add their value and principal variation)')
    .option('--seed <seed>', 'seed of the agents', 'demo')
    .action(action(async (opts: { game: string; agents: string; games: number; moves?: boolean; seed: string }) => {
      const game = createGame(opts.game);
      const specs = twoAgents(opts.agents);
      const out = process.stdout;
      const tally = new Map<string, number>();
      for (let g = 0; g < opts.games; g++) {
        const order = g % 2 === 0 ? specs : [specs[1], specs[0]];
        const agents = await Promise.all(order.map((s, i) => createAgent(s, { game, seed: deriveSeed(opts.seed, g, i) })));
        try {
          const state = game.newInitialState();
          if (opts.moves) out.write(`game ${g + 1}: ${order[0]} (X) vs ${order[1]} (O)\n`);
          while (!state.isTerminal()) {
            const mover = state.currentPlayer();
            const move = await agents[mover].selectAction(state);
            if (opts.moves) {
              const result = lastSearchResult(agents[mover]);
              out.write(`${state.moveNumber() + 1}. ${playerSymbol(mover)} ${order[mover]} plays ${game.actionToString(move)}${result ? ` (${formatSearchSummary(game, result)})` : ''}\n`);
            }
            state.apply(move);
            for (const a of agents) a.observe?.(state, move);
            if (opts.moves && !state.isTerminal()) out.write(`${state.toString()}\n\n`);
          }
          const winner = state.returnOf(0) > 0 ? order[0] : state.returnOf(1) > 0 ? order[1] : 'draw';
          tally.set(winner, (tally.get(winner) ?? 0) + 1);
          out.write(`game ${g + 1}: ${order[0]} (X) vs ${order[1]} (O), moves ${state.toMoveString()}\n${state.toString()}\nresult: ${winner === 'draw' ? 'draw' : `${winner} wins`}\n\n`);
        } finally {
          await Promise.all(agents.map((a) => a.close?.()));
        }
      }
      out.write(`${game.spec}: ${[...tally].map(([k, v]) => `${k} ${v}`).join(', ')} (seed ${opts.seed})\n`);
    }));
  withExamples(command, [
    { command: 'arbor demo', note: 'greedy against random at Connect Four, two games' },
    { command: 'arbor demo --game tictactoe --agents "uct:simulations=500;random" --games 4', note: 'tree search against random at tic-tac-toe' },
    { command: 'arbor demo --game connect4 --agents "uct:simulations=1000;greedy" --games 1 --moves', note: 'every move with its board, the search\'s value and the line it expects' },
  ]);
}
