import type { Command } from 'commander';
import { writeReport } from '../selfplay/index.js';
import { withExamples } from './help.js';
import { action } from './run.js';

export function register(program: Command): void {
  const command = program
    .command('report')
    .summary('write the HTML report of a training run')
    .description('write RUN/report.html: charts of loss, Elo, optimal-move rate and throughput of a training run (arbor train writes it too; this rewrites it, e.g. during a run); prints its path')
    .argument('<run>', 'run folder created by arbor train')
    .action(action(async (run: string) => {
      const path = await writeReport(run);
      process.stdout.write(`${path}\n`);
    }));
  withExamples(command, [
    { command: 'arbor report runs/tictactoe-quick', note: 'rewrite runs/tictactoe-quick/report.html and print its path' },
  ]);
}
