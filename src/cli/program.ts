// The layers register their parts (agent kinds, solvers, model loaders) when imported.
import '../agents/index.js';
import '../solvers/index.js';
import '../boardgameio/register.js';
import '../networks/register.js';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands.js';

/** Builds the `arbor` command with every sub-command registered. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('arbor')
    .description('Train, compare and ship game-playing agents (tree search + policy/value networks).')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; a malformed command line is a user error: exit 2.
      process.exit(e.exitCode === 0 ? 0 : 2);
    }
    throw e;
  }
}
