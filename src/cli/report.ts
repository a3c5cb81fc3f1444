import type { Command } from 'commander';
import { writeReport } from '../selfplay/index.js';
import { action } from './run.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('write RUN/report.html: charts of loss, Elo, optimal-move rate and throughput of a training run')
    .argument('<run>', 'run folder created by arbor train')
    .action(action(async (run: string) => {
      const path = await writeReport(run);
      process.stdout.write(`${path}\n`);
    }));
}
