import type { Command } from 'commander';
import { gameDefinitions } from '../envs/index.js';
import { withExamples } from './help.js';
import { action, printJson } from './run.js';

export function register(program: Command): void {
  const command = program
    .command('games')
    .summary('list the games and their parameters')
    .description('list the games with their parameters (default value, allowed range, meaning); a game is written NAME or NAME:key=value,... wherever a command takes --game')
    .option('--json', 'print one JSON object: {"games":[{"id","description","params"}]}')
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
  withExamples(command, [
    { command: 'arbor games', note: 'every game, its parameters and their defaults' },
    { command: 'arbor perft --game connect4:rows=5,cols=6 --depth 3', note: 'a game spec with parameters, as every --game takes it' },
  ]);
}
