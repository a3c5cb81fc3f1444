import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { createAgent, freshSeed, isArborError, legalActionList } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { action } from './run.js';

export function register(program: Command): void {
  program
    .command('play')
    .description('play against an agent in the terminal')
    .requiredOption('--game <spec>', 'game spec, e.g. connect4')
    .requiredOption('--agent <spec>', 'agent spec, e.g. greedy or uct:simulations=2000')
    .option('--human-first', 'you move first (default: the agent does)')
    .option('--seed <seed>', 'seed for the agent')
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
            out.write(`${agent.name} plays ${game.actionToString(move)}\n`);
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
}
