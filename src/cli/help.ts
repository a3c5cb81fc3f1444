import { Option, type Command, type Help } from 'commander';

/**
 * One help style for every sub-command: defaults as `(default: X)` (never JSON-quoted), required
 * options marked `(required)`, choices as `(one of: a, b)`, and a closing `Examples:` block of
 * command lines that work as written.
 */

/** A command line a newcomer can paste, with one line saying what it shows. */
export interface Example {
  readonly command: string;
  readonly note: string;
}

/** Help-text settings for the program; sub-commands created afterwards inherit them. */
export function configureHelpStyle(program: Command): void {
  program.configureHelp({
    optionDescription(option: Option): string {
      const extras: string[] = [];
      if (option.mandatory) extras.push('required');
      if (option.argChoices) extras.push(`one of: ${option.argChoices.join(', ')}`);
      const shown = defaultText(option);
      if (shown !== undefined) extras.push(`default: ${shown}`);
      return extras.length === 0 ? option.description : `${option.description} (${extras.join('; ')})`;
    },
  } satisfies Partial<Help>);
}

/** What the help shows as an option's default, if anything. */
function defaultText(option: Option): string | undefined {
  if (option.defaultValueDescription !== undefined) return option.defaultValueDescription;
  // Flags (`--json`) default to off; saying so adds nothing.
  if (option.defaultValue === undefined || option.isBoolean()) return undefined;
  return Array.isArray(option.defaultValue) ? option.defaultValue.join(' ') : String(option.defaultValue);
}

/**
 * An option whose default is decided when the command runs (a fresh seed, one worker per core):
 * the help says what it will be, and the option stays undefined so the command can tell.
 */
export function optionWithRuntimeDefault(flags: string, description: string, shownDefault: string, parse?: (value: string) => unknown): Option {
  const option = new Option(flags, description).default(undefined, shownDefault);
  return parse ? option.argParser(parse) : option;
}

/** Adds the closing `Examples:` block; `examplesOf` reads it back (tests run them). */
export function withExamples(command: Command, examples: readonly Example[]): Command {
  examplesByCommand.set(command, examples);
  return command.addHelpText('after', `\n${formatExamples(examples)}`);
}

export function examplesOf(command: Command): readonly Example[] {
  return examplesByCommand.get(command) ?? [];
}

const examplesByCommand = new WeakMap<Command, readonly Example[]>();

export function formatExamples(examples: readonly Example[]): string {
  return `Examples:\n${examples.map((e) => `  # ${e.note}\n  ${e.command}`).join('\n')}`;
}
