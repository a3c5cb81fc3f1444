import type { Command } from 'commander';
import { createAgent } from '../core/index.js';
import { createGame } from '../envs/index.js';
import { evaluateAgentOnPositions, loadPositions, readPositionsFile } from '../solvers/index.js';
import { optionWithRuntimeDefault, withExamples } from './help.js';
import { action, printJson } from './run.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function register(program: Command): void {
  const command = program
    .command('eval')
    .summary('grade an agent\'s moves against solved positions')
    .description('grade an agent\'s moves against exact scores of labelled positions: the share of moves that keep the win/draw/loss class (class-optimal) or the exact score (score-optimal), on decisive positions (where some move changes the class) and by stage')
    .requiredOption('--game <spec>', 'game spec with a shipped position set, e.g. connect4 or tictactoe')
    .requiredOption('--agent <spec>', 'agent spec, e.g. greedy, uct:simulations=1000, solver; see arbor agents')
    .addOption(optionWithRuntimeDefault('--positions <file>', 'a labelled JSONL set', 'the set shipped for the game'))
    .option('--seed <seed>', 'seed of the agent', 'eval')
    .option('--json', 'print one JSON object for scripts')
    .action(action(async (opts: { game: string; agent: string; positions?: string; seed: string; json?: boolean }) => {
      const game = createGame(opts.game);
      const positions = opts.positions ? readPositionsFile(opts.positions, game) : loadPositions(game);
      const agent = await createAgent(opts.agent, { game, seed: opts.seed });
      try {
        const m = await evaluateAgentOnPositions(agent, game, positions);
        if (opts.json) {
          printJson(m);
          return;
        }
        const out = process.stdout;
        out.write(`agent ${agent.name} on ${m.positions} ${game.spec} positions\n`);
        out.write(`  class-optimal ${pct(m.classOptimalRate)}   score-optimal ${pct(m.scoreOptimalRate)}\n`);
        out.write(`  decisive positions ${m.decisivePositions}: class-optimal ${pct(m.decisiveClassOptimalRate)}   score-optimal ${pct(m.decisiveScoreOptimalRate)}\n`);
        for (const s of m.byStage) {
          out.write(`  ${s.stage.padEnd(8)} ${String(s.positions).padStart(5)} positions: class-optimal ${pct(s.classOptimalRate)}, score-optimal ${pct(s.scoreOptimalRate)}; decisive ${s.decisivePositions}: class-optimal ${pct(s.decisiveClassOptimalRate)}\n`);
        }
        out.write(m.valueAccuracy === null ? '  value accuracy: n/a (the agent exposes no value)\n' : `  value accuracy (win/draw/loss class): ${pct(m.valueAccuracy)}\n`);
      } finally {
        await agent.close?.();
      }
    }));
  withExamples(command, [
    { command: 'arbor eval --game tictactoe --agent greedy', note: 'how often greedy keeps the best result on the shipped tic-tac-toe positions' },
    { command: 'arbor eval --game connect4 --agent uct:simulations=200 --json', note: 'tree search on the shipped Connect Four positions, as JSON' },
  ]);
}
