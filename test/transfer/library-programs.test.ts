import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArborError } from '../../src/core/index.js';
import {
  BLOBS_DIR, Libraries, Library, PROGRAM_TEXT_FILE, addProgram, copyEntries, readLibraryProgram, readProgram, type ProgramInput,
} from '../../src/transfer/index.js';
import { runCli } from '../cli/run-cli.js';

/** Program entries (kind `program`): stored as text and a type, checksummed, found user library first, then starter. */

const WIN_OR_BLOCK = '(policy\n  (if (win-now) (win-move)\n    (if (loses-now) (block-move) (argmax (legal-moves) centrality))))\n';

function program(overrides: Partial<ProgramInput> = {}): ProgramInput {
  return {
    name: 'win-or-block',
    text: WIN_OR_BLOCK,
    type: 'policy',
    games: ['connect4', 'gomoku:rows=7,cols=7,k=4'],
    measured: { vsGreedy: 0.93, vsUct: 0.57 },
    parents: [],
    meta: { programsEvaluated: 1234 },
    ...overrides,
  };
}

const temp = (name: string) => mkdtempSync(join(tmpdir(), `arbor-programs-${name}-`));

describe('program entries', () => {
  it('round trip: text, type, games, measured and lineage come back as stored', async () => {
    const library = Library.open(temp('round'));
    const added = await addProgram(library, program());
    expect(added).toMatchObject({
      name: 'win-or-block', kind: 'program', architecture: null, games: ['connect4', 'gomoku:rows=7,cols=7,k=4'], writes: ['policy'],
      measured: { vsGreedy: 0.93, vsUct: 0.57 }, meta: { type: 'policy', programsEvaluated: 1234 }, selfPlayGames: null,
    });
    const abstraction = await addProgram(library, program({ name: 'abstractions/threat-count', text: '(lambda (k) (open-lines own k))', type: '(number) -> value', parents: ['win-or-block'] }));
    expect(abstraction.parents).toEqual(['win-or-block']);
    const read = readProgram(library.find('win-or-block')!);
    expect(read.text).toBe(WIN_OR_BLOCK);
    expect(read.type).toBe('policy');
    expect(readProgram(library.find('abstractions/threat-count')!).type).toBe('(number) -> value');
    expect(library.list().map((e) => [e.name, e.kind])).toEqual([['abstractions/threat-count', 'program'], ['win-or-block', 'program']]);
    // A parent cannot go while a program names it.
    expect(() => library.remove('win-or-block')).toThrow(/parent of abstractions\/threat-count/);
    library.close();
  });

  it('refuses a program without text, with a bad type or without games, and a taken name unless replacing', async () => {
    const library = Library.open(temp('bad'));
    await expect(addProgram(library, program({ text: '  \n' }))).rejects.toThrow(/has no text/);
    await expect(addProgram(library, program({ type: 'policy\nvalue' }))).rejects.toThrow(/is not a type/);
    await expect(addProgram(library, program({ type: '' }))).rejects.toThrow(/is not a type/);
    await expect(addProgram(library, program({ games: [] }))).rejects.toThrow(/names no games/);
    await addProgram(library, program());
    await expect(addProgram(library, program({ text: '(policy (random-move))' }))).rejects.toThrow(/already has an entry win-or-block/);
    const replaced = await addProgram(library, program({ text: '(policy (random-move))' }), { replace: true });
    expect(readProgram(replaced).text).toBe('(policy (random-move))');
    // The old text's blob went with the entry it belonged to.
    expect((await import('node:fs')).readdirSync(join(library.dir, BLOBS_DIR))).toEqual([replaced.checksum]);
    library.close();
  });

  it('replacing an entry refuses to drop a module another entry names as its parent', async () => {
    const library = Library.open(temp('orphan'));
    await addProgram(library, program({ name: 'family' }));
    await addProgram(library, program({ name: 'family/part', parents: ['family'] }));
    await addProgram(library, program({ name: 'user-of-part', parents: ['family/part'] }));
    await expect(addProgram(library, program({ name: 'family', text: '(policy (random-move))' }), { replace: true }))
      .rejects.toThrow('replacing family would drop family/part, a parent of user-of-part; remove that entry first');
    expect(readProgram(library.find('family')!).text).toBe(WIN_OR_BLOCK);
    library.close();
  });

  it('a changed byte in the program text is one clear error', async () => {
    const library = Library.open(temp('corrupt'));
    const entry = await addProgram(library, program());
    const file = join(library.dir, BLOBS_DIR, entry.checksum, PROGRAM_TEXT_FILE);
    const bytes = readFileSync(file);
    bytes[3] ^= 1;
    writeFileSync(file, bytes);
    let error: unknown;
    try {
      readProgram(library.find('win-or-block')!);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArborError);
    expect((error as Error).message).toMatch(/^library entry win-or-block is corrupt: .*program\.txt does not match its checksum; remove it \(arbor library remove win-or-block/);
    library.close();
  });

  it('resolves your library first, then the starter library', async () => {
    const starterDir = temp('starter');
    const userDir = temp('user');
    // The starter library is written by its build (as a user library would be), then only read.
    const build = Library.open(starterDir);
    await addProgram(build, program({ text: '(policy (starter-move))' }));
    await addProgram(build, program({ name: 'only-starter', text: '(value 0)', type: 'value' }));
    build.close();

    const locations = { user: userDir, starter: starterDir };
    expect(readLibraryProgram('lib:win-or-block', locations)).toMatchObject({ text: '(policy (starter-move))', entry: { library: 'starter' } });

    const user = Library.open(userDir);
    await addProgram(user, program());
    user.close();
    expect(readLibraryProgram('lib:win-or-block', locations)).toMatchObject({ text: WIN_OR_BLOCK, type: 'policy', entry: { library: 'user' } });
    expect(readLibraryProgram('only-starter', locations)).toMatchObject({ type: 'value', entry: { library: 'starter' } });
    expect(() => readLibraryProgram('lib:win-or-blok', locations)).toThrow(/no library entry win-or-blok .* did you mean win-or-block\?/);

    const libraries = new Libraries(locations);
    expect(libraries.list().map((e) => `${e.name}:${e.library}`)).toEqual(['win-or-block:user', 'only-starter:starter']);
    expect(() => libraries.starter.remove('only-starter')).toThrow(/read-only/);
    libraries.close();
  });

  it('copies between libraries with its files checked, and arbor library list/show print it', async () => {
    const from = Library.open(temp('from'));
    await addProgram(from, program());
    const dir = temp('to');
    const to = Library.open(dir);
    const [copied] = await copyEntries(from, ['win-or-block'], to);
    expect(readProgram(copied).text).toBe(WIN_OR_BLOCK);
    from.close();
    to.close();

    const list = runCli(['library', 'list', '--json', '--library', dir], undefined, 60_000, { ARBOR_LIBRARY: dir });
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { library: string }[]).filter((e) => e.library === 'user')).toEqual([expect.objectContaining({ name: 'win-or-block', kind: 'program', games: ['connect4', 'gomoku:rows=7,cols=7,k=4'], measured: { vsGreedy: 0.93, vsUct: 0.57 } })]);
    const show = runCli(['library', 'show', 'win-or-block', '--library', dir]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('kind          program\n');
    expect(show.stdout).toContain('measured      vsGreedy 0.93, vsUct 0.57\n');
    expect(show.stdout).toContain('type          policy\nprogram\n  (policy\n    (if (win-now) (win-move)\n');
  });
});
