import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { examplesOf, formatExamples } from '../../src/cli/help.js';
import { buildProgram } from '../../src/cli/program.js';
import { parseExample, runCli } from './run-cli.js';

const program = buildProgram();
const commands = program.commands.filter((c) => c.name() !== 'help');
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('arbor --version', () => {
  it('prints the version in package.json', () => {
    for (const flag of ['--version', '-v']) {
      const r = runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${manifest.version}\n`);
    }
  });
});

describe('help texts', () => {
  it('registers every sub-command a newcomer needs', () => {
    expect(commands.map((c) => c.name()).sort()).toEqual(
      ['actor', 'agents', 'arena', 'bench', 'bot', 'demo', 'eval', 'export', 'games', 'library', 'move', 'perft', 'play', 'replay', 'report', 'serve', 'solve', 'synth', 'train', 'transfer'],
    );
  });

  it('end every sub-command\'s --help with its examples, mark required options and show defaults one way', () => {
    for (const command of [program, ...commands]) {
      const name = command === program ? [] : [command.name()];
      const r = runCli([...name, '--help']);
      expect(r.code, name.join(' ')).toBe(0);
      const examples = examplesOf(command);
      expect(examples.length, `${command.name()} has examples`).toBeGreaterThanOrEqual(1);
      // The help closes with exactly the examples block.
      expect(r.stdout.trimEnd().endsWith(formatExamples(examples)), command.name()).toBe(true);
      for (const e of examples) expect(e.command, e.command).toMatch(/^(printf "[^"]*" \| )?arbor [a-z]+/);
      // Each sub-command's examples run that sub-command (the program's run several).
      if (command !== program) expect(examples.some((e) => parseExample(e.command).args[0] === command.name()), command.name()).toBe(true);
      for (const option of command.options) {
        const term = r.stdout.split('\n').findIndex((l) => l.trimStart().startsWith(option.flags));
        expect(term, `${command.name()} ${option.flags} listed`).toBeGreaterThanOrEqual(0);
        // The description may wrap: read up to the next option.
        const rest = r.stdout.split('\n').slice(term);
        const end = rest.findIndex((l, i) => i > 0 && /^ {2}-/.test(l));
        const text = rest.slice(0, end < 0 ? undefined : end).join(' ').replace(/\s+/g, ' ');
        if (option.mandatory) expect(text, option.flags).toContain('(required');
        if (option.defaultValue !== undefined && typeof option.defaultValue !== 'boolean') expect(text, option.flags).toContain(`default: ${String(option.defaultValue)}`);
      }
      // One format for defaults: never commander's JSON-quoted `(default: "connect4")`.
      expect(r.stdout).not.toMatch(/default: "/);
    }
  });

  it('runs the quick examples exactly as the help writes them', () => {
    const quick = new Set(['games', 'agents', 'perft', 'solve', 'move', 'demo']);
    let ran = 0;
    for (const command of commands.filter((c) => quick.has(c.name()))) {
      for (const example of examplesOf(command)) {
        const { args, input } = parseExample(example.command);
        const r = runCli(args, input, 120_000);
        expect(r.code, `${example.command}\n${r.stderr}`).toBe(0);
        expect(r.stdout.trim().length, example.command).toBeGreaterThan(0);
        ran++;
      }
    }
    expect(ran).toBeGreaterThanOrEqual(15);
  }, 300_000);
});
