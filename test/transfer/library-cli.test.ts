import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

/** `arbor library`: the commands a user runs, on the compiled CLI (npm test builds dist/ first). */

const fixture = new URL('../fixtures/networks/breakthrough-5x5', import.meta.url).pathname;

describe('arbor library', () => {
  it('adds a checkpoint, lists it as JSON, shows it, plays it as lib:NAME and removes it', () => {
    const root = mkdtempSync(join(tmpdir(), 'arbor-library-cli-'));
    const lib = join(root, 'lib');
    const checkpoint = join(root, 'bt');
    cpSync(fixture, checkpoint, { recursive: true });

    const add = runCli(['library', 'add', checkpoint, '--name', 'bt5', '--measured', '{"elo":12.5}', '--library', lib]);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/^added bt5 \(net: breakthrough:rows=5,cols=5, self-play games not recorded, Elo 13\) to .*lib\nand its 10 modules: bt5\/stem \(stem\), bt5\/trunk \(trunk\), bt5\/policy \(policy\), bt5\/policy:move:N \(policy-head:move:N\)/);

    const list = runCli(['library', 'list', '--json', '--library', lib]);
    expect(list.code).toBe(0);
    // The user library's entries; the starter library (data/library) is listed after them.
    const entries = (JSON.parse(list.stdout) as Record<string, unknown>[]).filter((e) => e.library === 'user');
    expect(entries.length).toBe(11);
    const net = entries.find((e) => e.name === 'bt5')!;
    expect(net).toMatchObject({
      kind: 'net', library: 'user', games: ['breakthrough:rows=5,cols=5'], sizes: ['5x5'], measured: { elo: 12.5 },
      reads: ['own:pawn', 'opp:pawn', 'cell:exists', 'side:first-player'], writes: ['move:N', 'move:NE', 'move:NW', 'move:S', 'move:SE', 'move:SW'],
      architecture: { filters: 8, blocks: 1 }, parents: [], selfPlayGames: null,
    });
    for (const e of entries) {
      for (const key of ['name', 'kind', 'games', 'measured', 'reads', 'writes', 'architecture', 'library', 'checksum']) expect(e, `${String(e.name)} ${key}`).toHaveProperty(key);
    }
    expect(entries.find((e) => e.name === 'bt5/policy:move:SE')).toMatchObject({ kind: 'policy-head:move:SE', writes: ['move:SE'], parents: ['bt5'] });

    const table = runCli(['library', 'list', '--library', lib]);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME +KIND +LIBRARY +GAMES +SIZES +SELF-PLAY +MEASURED$/);
    expect(table.stdout).toMatch(/\nbt5 +net +user +breakthrough:rows=5,cols=5 +5x5 +- +Elo 13\n/);

    const show = runCli(['library', 'show', 'bt5/trunk', '--library', lib]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^name +bt5\/trunk\nkind +trunk\n/);
    expect(show.stdout).toMatch(/\nchecksum +[0-9a-f]{64} \(files checked\)\n/);

    const saved = process.env.ARBOR_LIBRARY;
    process.env.ARBOR_LIBRARY = lib;
    try {
      const move = runCli(['move', '--game', 'breakthrough:rows=5,cols=5', '--agent', 'mcts:model=lib:bt5,simulations=16', '-']);
      expect(move.stderr).toBe('');
      expect(move.stdout).toMatch(/^- [a-e][1-5]-[a-e][1-5]\n$/);
      const trunk = runCli(['move', '--game', 'breakthrough:rows=5,cols=5', '--agent', 'mcts:model=lib:bt5/trunk,simulations=16', '-']);
      expect(trunk.code).toBe(2);
      expect(trunk.stderr).toBe('arbor: library entry bt5/trunk is a trunk; give a net entry (e.g. bt5, which it came from)\n');
    } finally {
      if (saved === undefined) delete process.env.ARBOR_LIBRARY;
      else process.env.ARBOR_LIBRARY = saved;
    }

    const again = runCli(['library', 'add', checkpoint, '--name', 'bt5', '--library', lib]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^arbor: library .* already has an entry bt5; remove it first \(arbor library remove bt5\) or choose another --name\n$/);

    const remove = runCli(['library', 'remove', 'bt5', '--json', '--library', lib]);
    expect(remove.code).toBe(0);
    expect((JSON.parse(remove.stdout) as { removed: string[] }).removed.length).toBe(11);
    expect((JSON.parse(runCli(['library', 'list', '--json', '--library', lib]).stdout) as { library: string }[]).filter((e) => e.library === 'user')).toEqual([]);
  }, 120_000);

  it('says what is wrong in one line: an unknown entry, a bad name, bad --measured', () => {
    const lib = join(mkdtempSync(join(tmpdir(), 'arbor-library-cli-')), 'lib');
    const show = runCli(['library', 'show', 'nothing', '--library', lib]);
    expect(show.code).toBe(2);
    expect(show.stderr).toMatch(/^arbor: no library entry nothing in .*lib or the starter library; see arbor library list/);
    expect(show.stderr.trim().split('\n').length).toBe(1);

    const name = runCli(['library', 'add', fixture, '--name', 'a/b', '--library', lib]);
    expect(name.code).toBe(2);
    expect(name.stderr).toMatch(/^arbor: entry name "a\/b" is not allowed; use up to 100 letters, digits, dots, dashes and underscores/);

    const measured = runCli(['library', 'add', fixture, '--name', 'x', '--measured', '[1,2]', '--library', lib]);
    expect(measured.code).toBe(2);
    expect(measured.stderr).toMatch(/^arbor: --measured must be a JSON object of figures/);

    const option = runCli(['library', 'list', '--bogus']);
    expect(option.code).toBe(2);
    expect(option.stderr).toBe('arbor: unknown option \'--bogus\' (see arbor library --help)\n');
  }, 60_000);

  it('a library net starts a new run: arbor train --init-from lib:NAME (the library from $ARBOR_LIBRARY)', () => {
    const root = mkdtempSync(join(tmpdir(), 'arbor-library-init-'));
    const lib = join(root, 'lib');
    const checkpoint = join(root, 'bt');
    cpSync(fixture, checkpoint, { recursive: true });
    expect(runCli(['library', 'add', checkpoint, '--name', 'bt5', '--library', lib]).code).toBe(0);
    const tiny = join(root, 'tiny.json');
    writeFileSync(tiny, JSON.stringify({
      model: { filters: 8, blocks: 1 },
      selfplay: { workers: 1, concurrentGames: 4, gamesPerIteration: 4, simulations: 4, cheapSimulations: 2 },
      replay: { minPositions: 10 },
      training: { batchSize: 8 },
      evaluation: { every: 0 },
      final: { games: 0 },
    }));
    const run = join(root, 'run');
    const args = ['train', '--game', 'breakthrough:rows=5,cols=5', '--seed', 'lib', '--config', tiny, '--iterations', '1', '--run-dir', run, '--init-from', 'lib:bt5', '--freeze', 'stem'];
    const r = runCli(args, undefined, 240_000, { ARBOR_LIBRARY: lib });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\nfrom library entry bt5 \(user library; breakthrough:rows=5,cols=5, step \d+\)\n/);
    expect(r.stderr).toContain('  module trunk: loaded');
    const init = JSON.parse(readFileSync(join(run, 'init.json'), 'utf8')) as { from: string };
    expect(init.from).toBe('lib:bt5');
    // Without the library, the same reference is one clear line.
    const missing = runCli([...args.slice(0, -4), '--run-dir', join(root, 'run2'), '--init-from', 'lib:bt5'], undefined, 60_000, { ARBOR_LIBRARY: join(root, 'empty') });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^arbor: no library entry bt5 in .*empty or the starter library/);
  }, 300_000);
});
