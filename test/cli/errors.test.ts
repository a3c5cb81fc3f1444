import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** A user's mistake: exit code 2 and exactly one line on stderr, without a stack trace. */
function expectOneLineError(args: string[], pattern: RegExp, input?: string): void {
  const r = runCli(args, input);
  expect(r.code, args.join(' ')).toBe(2);
  expect(r.stderr.trimEnd(), args.join(' ')).toMatch(pattern);
  expect(r.stderr.trim().split('\n'), `${args.join(' ')}: ${r.stderr}`).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('did you mean', () => {
  it('names the closest game, agent, sub-command, option and preset', () => {
    expectOneLineError(['play', '--game', 'conect4', '--agent', 'greedy'], /^arbor: unknown game "conect4"; did you mean connect4\? available: /);
    expectOneLineError(['move', '--game', 'connect4', '--agent', 'gredy', '-'], /^arbor: unknown agent "gredy"; did you mean greedy\? available: /);
    expectOneLineError(['arena', '--game', 'tictactoe', '--agents', 'random;mtcs', '--games', '2'], /^arbor: unknown agent "mtcs"; did you mean mcts\?/);
    expectOneLineError(['sovle', '--game', 'connect4', '44'], /^arbor: unknown command "sovle"; did you mean solve\? available: demo, play, games, agents, /);
    expectOneLineError(['help', 'agnets'], /^arbor: unknown command "agnets"; did you mean agents\?/);
    expectOneLineError(['xyzzy'], /^arbor: unknown command "xyzzy"; available: /);
    expectOneLineError(['games', '--jsn'], /^arbor: unknown option '--jsn'; did you mean --json\? \(see arbor games --help\)$/);
    expectOneLineError(['train', '--game', 'tictactoe', '--preset', 'quik'], /^arbor: unknown preset "quik"; did you mean quick\?/);
    expectOneLineError(['bench', 'gams'], /^arbor: unknown benchmark "gams"; did you mean games\?/);
  });
});

describe('bad input', () => {
  it('answers with one line naming the problem, and exit code 2', () => {
    expectOneLineError(['perft', '--game', 'connect4'], /^arbor: required option '--depth <D>' not specified \(see arbor perft --help\)$/);
    expectOneLineError(['demo', '--agents', 'greedy'], /--agents "greedy": give two agent specs separated by ";"/);
    expectOneLineError(['move', '--game', 'connect4', '--agent', 'greedy', '--analyze', '44'], /--analyze shows a search agent's statistics .* greedy does not search/);
    expectOneLineError(['solve', '--game', 'connect4'], /no positions given/, '');
    expectOneLineError(['solve', '--game', 'tictactoe', '15'], /^arbor: tictactoe: "15" is not a cell/);
    expectOneLineError(['move', '--game', 'connect4', '--agent', 'uct:simulations=0', '-'], /simulations=0 is out of range/);
    // One name for the per-move time everywhere: the old bot flag points to it.
    expectOneLineError(['bot', '--server', 'http://127.0.0.1:9', '--game', 'connect4', '--create', '--player', '0', '--agent', 'greedy', '--move-time', '100'], /unknown option '--move-time'; did you mean --move-time-ms\?/);
  });
});

describe('a closed pipe', () => {
  it('ends quietly when the reader stops early (... | head -1)', () => {
    const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
    // 30,000 answers (about 150 KB) overflow the pipe, so arbor is still writing when head exits.
    const r = spawnSync('sh', ['-c', `yes - | head -30000 | "${process.execPath}" "${cli}" move --game tictactoe --agent random --seed 1 | head -1`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toMatch(/^- [a-c][1-3]\n$/);
    expect(r.stderr).toBe('');
  });
});
