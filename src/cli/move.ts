import type { Command } from 'commander';
import { createAgent, ArborError, freshSeed } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { action, intOption, readStdinIfPiped } from './run.js';

/**
 * `arbor move`: the move an agent picks in each given position, one `POSITION MOVE` line each,
 * so any script can query an agent. A position is the game's move sequence from the start
 * (`-` or an empty string for the start position).
 */
export function register(program: Command): void {
  program
    .command('move')
    .description('print the move an agent chooses in each position (move sequences from the start; or one per line on stdin)')
    .argument('[positions...]', 'positions as move sequences in the game\'s notation, e.g. 4453 for connect4; "-" = start')
    .requiredOption('--game <spec>', 'game spec, e.g. connect4')
    .requiredOption('--agent <spec>', 'agent spec, e.g. greedy or uct:simulations=2000')
    .option('--seed <seed>', 'seed for the agent (default: fresh)')
    .option('--move-time-ms <ms>', 'per-move time budget for agents that honour one', intOption('--move-time-ms', 1))
    .action(action(async (positions: string[], o: { game: string; agent: string; seed?: string; moveTimeMs?: number }) => {
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
        for (let k = 0; k < states.length; k++) {
          agent.reset?.();
          const move = await agent.selectAction(states[k].clone(), clock);
          if (!states[k].isLegal(move)) throw new Error(`agent ${o.agent} returned an illegal move (${move}) in position "${inputs[k]}"`);
          const shown = inputs[k].trim() === '' ? '-' : inputs[k].trim();
          process.stdout.write(`${shown} ${game.actionToString(move)}\n`);
        }
      } finally {
        await agent.close?.();
      }
    }));
}
