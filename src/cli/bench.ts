import type { Command } from 'commander';
import { benchmarks } from '../../bench/index.js';
import { ArborError } from '../core/index.js';
import { action, printJson } from './run.js';

export function register(program: Command): void {
  program
    .command('bench')
    .description(`run a benchmark: ${benchmarks.map((b) => b.name).join(', ')}, or all`)
    .argument('<name>', 'which benchmark')
    .option('--json', 'print one JSON object for scripts')
    .action(action(async (name: string, opts: { json?: boolean }) => {
      const chosen = name === 'all' ? benchmarks : benchmarks.filter((b) => b.name === name);
      if (chosen.length === 0) throw new ArborError(`unknown benchmark "${name}"; available: ${benchmarks.map((b) => b.name).join(', ')}, all`);
      const results: Record<string, unknown> = {};
      for (const b of chosen) {
        if (!opts.json) process.stdout.write(`== bench ${b.name}: ${b.description}\n`);
        results[b.name] = await b.run({ json: opts.json });
      }
      if (opts.json) printJson(chosen.length === 1 ? results[chosen[0].name] : results);
    }));
}
