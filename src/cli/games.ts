import type { Command } from 'commander';
import { gameDefinitions } from '../envs/index.js';
import { action, printJson } from './run.js';

export function register(program: Command): void {
  program
    .command('games')
    .description('list the games and their parameters')
    .option('--json', 'print one JSON object')
    .action(action(async (opts: { json?: boolean }) => {
      const defs = gameDefinitions();
      if (opts.json) {
        printJson({ games: defs.map((d) => ({ id: d.id, description: d.description, params: d.params })) });
        return;
      }
      for (const d of defs) {
        process.stdout.write(`${d.id}  ${d.description}\n`);
        for (const [key, p] of Object.entries(d.params)) {
          const range = p.type === 'int' || p.type === 'float' ? ` (${p.min}..${p.max})` : p.type === 'bool' ? ' (true|false)' : '';
          process.stdout.write(`    ${key}=${String(p.default)}${range}  ${p.description}\n`);
        }
        for (const [alias, targets] of Object.entries(d.aliases ?? {})) {
          process.stdout.write(`    ${alias}=N  sets ${targets.join(' and ')}\n`);
        }
      }
    }));
}
