import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGame } from '../../src/envs/index.js';
import { compileProgram, parseProgram } from '../../src/programs/index.js';
import { runCli } from '../cli/run-cli.js';

/**
 * `arbor library abstract` end to end on the compiled CLI (npm test builds dist/ first): three
 * hand-written programs for Connect Four, Gomoku and Tic-tac-toe that share the open-line
 * balance; the learned function lands in the library with its games and figures, and the
 * rewritten programs play through `program:FILE`, resolving it at load time.
 */

const FIXTURES = new URL('../../programs/abstraction/', import.meta.url).pathname;
const PROGRAMS = ['connect4.arb', 'gomoku.arb', 'tictactoe.arb'].map((f) => join(FIXTURES, f));

describe('arbor library abstract', () => {
  it('adds the shared function to the library and writes programs that play with it', () => {
    const root = mkdtempSync(join(tmpdir(), 'arbor-abstract-cli-'));
    const lib = join(root, 'lib');
    const out = join(root, 'out');

    // A synthesis result (what arbor synth --out writes) is read like the files, each program with its game.
    const synth = join(root, 'synth.json');
    writeFileSync(synth, JSON.stringify({ programs: PROGRAMS.map((p, i) => ({ text: readFileSync(p, 'utf8'), game: ['connect4', 'gomoku', 'tictactoe'][i], score: 0.5 })) }));
    const dry = runCli(['library', 'abstract', '--programs', synth, '--library', lib, '--dry-run', '--json']);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    const dryResult = JSON.parse(dry.stdout) as { abstractions: { name: string }[]; added: string[]; library: string | null };
    expect(dryResult.added).toEqual([]);
    expect(dryResult.library).toBeNull();

    const run = runCli(['library', 'abstract', '--programs', ...PROGRAMS, '--library', lib, '--out-dir', out, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      abstractions: { name: string; type: string; text: string; uses: number; programs: string[]; games: string[]; compression: number }[];
      corpus: { programs: number; before: number; after: number; ratio: number };
      rewritten: { source: string; text: string; file: string }[];
      added: string[];
    };
    expect(result.abstractions).toHaveLength(1);
    const [fn] = result.abstractions;
    expect(dryResult.abstractions.map((a) => a.name)).toEqual([fn.name]);
    expect(fn).toMatchObject({ type: '(-> number position number number)', uses: 4, games: ['connect4', 'gomoku', 'tictactoe'], compression: 17 });
    expect(fn.text).toBe('(lambda ((x number) (p position) (x2 number))\n  (* x (- (open-lines p (own) x2) (open-lines p (opp) x2))))\n');
    expect(result.corpus).toMatchObject({ programs: 3, before: 72, after: 55 });
    expect(result.added).toEqual([fn.name]);

    // Only the real run added to the library.
    // The user library's entries (the starter library shipped in data/library is listed after them).
    const entries = (JSON.parse(runCli(['library', 'list', '--json', '--library', lib]).stdout) as Record<string, unknown>[]).filter((e) => e.library === 'user');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      name: fn.name, kind: 'program', library: 'user', games: ['connect4', 'gomoku', 'tictactoe'],
      measured: { uses: 4, programs: 3, compression: 17, corpusBefore: 72, corpusAfter: 55 },
      meta: { type: '(-> number position number number)' },
    });

    // The rewritten program calls the function and, through program:FILE, chooses the original's move.
    const ttt = result.rewritten.find((r) => r.source.endsWith('tictactoe.arb'))!;
    expect(readFileSync(ttt.file, 'utf8')).toBe(ttt.text);
    expect(ttt.text).toContain(`(${fn.name} 0.5 next 2)`);
    const game = createGame('tictactoe');
    const state = game.parseState('a1 b2');
    const original = compileProgram(parseProgram(readFileSync(PROGRAMS[2], 'utf8')), game).run(state, { nodes: Infinity, simulations: Infinity, deadline: Infinity }) as number;
    const move = runCli(['move', '--game', 'tictactoe', '--agent', `program:${ttt.file}`, 'a1 b2'], undefined, 60_000, { ARBOR_LIBRARY: lib });
    expect(move.stderr).toBe('');
    expect(move.stdout).toBe(`a1 b2 ${game.actionToString(original)}\n`);
  });

  it('refuses a program without a game with one line', () => {
    const root = mkdtempSync(join(tmpdir(), 'arbor-abstract-cli-'));
    const nogame = join(root, 'nogame.arb');
    writeFileSync(nogame, '(program value (clip 0))\n');
    const r = runCli(['library', 'abstract', '--programs', nogame, '--library', join(root, 'lib')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`arbor: ${nogame} names no game; add a line "; game: SPEC" to it or write ${nogame}@SPEC (e.g. ${nogame}@connect4)\n`);
  });
});
