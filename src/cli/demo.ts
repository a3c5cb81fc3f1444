import type { Command } from 'commander';
import { createAgent, deriveSeed } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { action, intOption } from './run.js';

export function register(program: Command): void {
  program
    .command('demo')
    .description('a short demonstration: two agents play a few games with the boards printed')
    .option('--game <spec>', 'game spec', 'connect4')
    .option('--agents <a;b>', 'two agent specs separated by ";"', 'greedy;random')
    .option('--games <N>', 'games to play (colours alternate)', intOption('--games', 1, 1000), 2)
    .option('--seed <seed>', 'seed', 'demo')
    .action(action(async (opts: { game: string; agents: string; games: number; seed: string }) => {
      const game = createGame(opts.game);
      const specs = opts.agents.split(';').map((s) => s.trim());
      const tally = new Map<string, number>();
      for (let g = 0; g < opts.games; g++) {
        const order = g % 2 === 0 ? specs : [specs[1], specs[0]];
        const agents = await Promise.all(order.map((s, i) => createAgent(s, { game, seed: deriveSeed(opts.seed, g, i) })));
        const state = game.newInitialState();
        while (!state.isTerminal()) {
          const mover = state.currentPlayer();
          const move = await agents[mover].selectAction(state);
          state.apply(move);
          for (const a of agents) a.observe?.(state, move);
        }
        const winner = state.returnOf(0) > 0 ? order[0] : state.returnOf(1) > 0 ? order[1] : 'draw';
        tally.set(winner, (tally.get(winner) ?? 0) + 1);
        process.stdout.write(`game ${g + 1}: ${order[0]} (X) vs ${order[1]} (O), moves ${state.toMoveString()}\n${state.toString()}\nresult: ${winner === 'draw' ? 'draw' : `${winner} wins`}\n\n`);
        await Promise.all(agents.map((a) => a.close?.()));
      }
      process.stdout.write(`${game.spec}: ${[...tally].map(([k, v]) => `${k} ${v}`).join(', ')} (seed ${opts.seed})\n`);
    }));
}
