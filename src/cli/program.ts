// The layers register their parts (agent kinds, solvers, model loaders) when imported.
import '../agents/index.js';
import '../solvers/index.js';
import '../boardgameio/register.js';
import '../networks/register.js';
import '../transfer/register.js';
import '../programs/register.js';
import { Command, CommanderError } from 'commander';
import { ArborError, unknownNameMessage } from '../core/index.js';
import { registerCommands } from './commands.js';
import { configureHelpStyle, withExamples } from './help.js';
import { arborVersion } from './version.js';

/** Builds the `arbor` command with every sub-command registered. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('arbor')
    .description('Train, compare and ship game-playing agents (tree search + policy/value networks).')
    .version(arborVersion(), '-v, --version', 'print the arbor version')
    .helpOption('-h, --help', 'show this help')
    .showSuggestionAfterError(true)
    .exitOverride();
  // Set before the sub-commands are created: they inherit the help style.
  configureHelpStyle(program);
  registerCommands(program);
  program.commandsGroup('Help:').helpCommand('help [command]', 'show the help of a command');
  withExamples(program, [
    { command: 'arbor demo', note: 'watch greedy play random at Connect Four' },
    { command: 'arbor play --game connect4 --agent uct:simulations=2000 --human-first', note: 'play Connect Four against tree search in the terminal (you move first)' },
    { command: 'arbor agents', note: 'every agent kind with its options and defaults' },
    { command: 'arbor solve --game connect4 --weak --analyze ""', note: 'who wins from the empty Connect Four board, move by move' },
    { command: 'arbor train --game tictactoe --preset quick', note: 'a few minutes of self-play training' },
  ]);
  for (const command of [program, ...program.commands]) oneLineErrors(command);
  return program;
}

/**
 * Commander reports a malformed command line over several lines ("error: ...", "(Did you mean
 * ...?)"); arbor's errors are one line each: `arbor: PROBLEM; did you mean X? (see arbor CMD --help)`.
 */
function oneLineErrors(command: Command): void {
  const path = command.parent ? `arbor ${command.name()}` : 'arbor';
  command.configureOutput({
    outputError: (text, write) => write(`${commanderErrorLine(text)} (see ${path} --help)\n`),
  });
}

/** Commander's error text as one arbor line (without the trailing help pointer). */
function commanderErrorLine(text: string): string {
  const [first, ...rest] = text.trim().split('\n');
  let line = `arbor: ${first.replace(/^error: /, '')}`;
  const suggestion = /\(Did you mean (.+?)\?\)/.exec(rest.join(' '));
  if (suggestion) line += `; did you mean ${suggestion[1]}?`;
  return line;
}

/**
 * The first word names a sub-command (or `help` one): an unknown one is refused the way an unknown
 * game or agent is, `unknown command "sovle"; did you mean solve? available: ...`.
 */
function checkCommandName(program: Command, args: readonly string[]): void {
  const names = program.commands.map((c) => c.name());
  const word = args[0] === 'help' ? args[1] : args[0];
  if (word === undefined || word.startsWith('-') || names.includes(word)) return;
  throw new ArborError(unknownNameMessage('command', word, names));
}

export async function runCli(argv: string[]): Promise<void> {
  const program = buildProgram();
  checkCommandName(program, argv.slice(2));
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
