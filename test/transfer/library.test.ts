import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../src/agents/index.js';
import { ArborError, createAgent, createRng, legalActionList, loadModel, type Game } from '../../src/core/index.js';
import { createGame } from '../../src/envs/index.js';
import { createModel, moduleWeights, readCheckpointWeights, saveCheckpoint, selectBackend, writeModuleWeights, type ModelConfig } from '../../src/networks/index.js';
import {
  BLOBS_DIR, INDEX_FILE, Libraries, Library, addNetwork, getModuleWeights, loadLibraryNet, netCheckpointDir, userLibraryDir,
} from '../../src/transfer/index.js';

/**
 * The library: entries stored as checksummed blobs with an SQLite index; networks stored whole and
 * split by module; names found in the user library, then the read-only starter library; `lib:NAME`
 * plays.
 */

const SMALL: Partial<ModelConfig> = { filters: 8, blocks: 1, poolEvery: 1, policyFilters: 4, valueFilters: 4, valueHidden: 8 };

let root: string;
let tttCheckpoint: string;
let ttt: Game;

function tempDir(name: string): string {
  const dir = join(root, `${name}-${Math.floor(createRng(name).next() * 1e9)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A model whose every parameter is a distinct random value, so a misplaced tensor shows. */
async function randomCheckpoint(dir: string, game: Game, seed: number, meta: Record<string, unknown> = {}): Promise<void> {
  const model = createModel(game, SMALL);
  const rng = createRng(seed);
  const weights = model.readWeightsSync();
  for (const spec of model.specs) {
    const w = weights.get(spec.name)!;
    for (let i = 0; i < w.length; i++) w[i] = spec.kind === 'var' ? 0.5 + rng.next() : 0.3 * rng.normal();
  }
  model.writeWeights(weights);
  await saveCheckpoint(dir, { model, game, meta });
  model.dispose();
}

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
  root = mkdtempSync(join(tmpdir(), 'arbor-library-'));
  ttt = createGame('tictactoe');
  tttCheckpoint = join(root, 'ttt-checkpoint');
  await randomCheckpoint(tttCheckpoint, ttt, 7);
}, 60_000);

describe('adding a network', () => {
  it('stores it whole as a net and split into its modules, each matching moduleWeights of the source', async () => {
    const library = Library.open(tempDir('split'));
    const added = await addNetwork(library, tttCheckpoint, 'ttt-a', { measured: { elo: 42 } });
    expect(added.map((e) => [e.name, e.kind])).toEqual([
      ['ttt-a', 'net'], ['ttt-a/stem', 'stem'], ['ttt-a/trunk', 'trunk'], ['ttt-a/policy', 'policy'],
      ['ttt-a/policy:place', 'policy-head:place'], ['ttt-a/value', 'value-head'],
    ]);
    const net = library.find('ttt-a')!;
    expect(net.reads).toEqual([...ttt.encoding.planes]);
    expect(net.writes).toEqual(['place']);
    expect(net.games).toEqual(['tictactoe']);
    expect(net.sizes).toEqual(['3x3']);
    expect(net.measured).toEqual({ elo: 42 });
    expect(net.architecture).toMatchObject({ filters: 8, blocks: 1, policyFilters: 4 });
    expect(net.run).toBeNull();
    expect(net.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(library.find('ttt-a/stem')!.reads).toEqual([...ttt.encoding.planes]);
    expect(library.find('ttt-a/policy:place')!.writes).toEqual(['place']);
    expect(library.find('ttt-a/trunk')!.parents).toEqual(['ttt-a']);
    expect(library.find('ttt-a/trunk')!.architecture).toEqual({ filters: 8, blocks: 1, poolEvery: 1 });

    const source = await readCheckpointWeights(tttCheckpoint);
    for (const id of ['stem', 'trunk', 'policy', 'policy:place', 'value']) {
      const stored = getModuleWeights(library.find(`ttt-a/${id}`)!);
      const expected = moduleWeights(source, id);
      expect(stored.id).toBe(id);
      expect(stored.kind).toBe(expected.kind);
      expect(stored.config).toEqual(expected.config);
      expect(stored.tensors.map((t) => [t.name, t.shape])).toEqual(expected.tensors.map((t) => [t.name, [...t.shape]]));
      stored.tensors.forEach((t, i) => expect(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).equals(Buffer.from(expected.tensors[i].data.buffer)), `${id} ${t.name}`).toBe(true));
    }

    // The stored trunk loads into a fresh model exactly: the library is what writeModuleWeights reads.
    const fresh = createModel(ttt, { ...SMALL, seed: 99 });
    writeModuleWeights(fresh, getModuleWeights(library.find('ttt-a/trunk')!));
    const trunk = moduleWeights(fresh, 'trunk');
    trunk.tensors.forEach((t, i) => expect(Array.from(t.data)).toEqual(Array.from(moduleWeights(source, 'trunk').tensors[i].data)));

    // The net entry's folder is a complete checkpoint, the same weights as the source.
    const dir = netCheckpointDir(net);
    expect(readdirSync(dir).sort()).toEqual(['entry.json', 'meta.json', 'model.json', 'model.onnx', 'weights.bin']);
    expect(readFileSync(join(dir, 'weights.bin')).equals(readFileSync(join(tttCheckpoint, 'weights.bin')))).toBe(true);
    expect(() => getModuleWeights(net)).toThrow(/ttt-a is a net, not a network module; its modules are ttt-a\/stem/);
    library.close();
  });

  it('records the self-play games and positions and the evaluation of a run folder\'s latest checkpoint', async () => {
    const run = tempDir('run');
    const game = createGame('connect4:rows=4,cols=5');
    await randomCheckpoint(join(run, 'checkpoints', 'iter-000002'), game, 3, { iteration: 2, games: 40 });
    symlinkSync('iter-000002', join(run, 'checkpoints', 'latest'));
    const rows = [
      { type: 'iteration', iteration: 1, games: 20, positions: 310 },
      { type: 'evaluation', iteration: 1, checkpoint: 'iter-000001', elo: 10, oracle: null },
      { type: 'iteration', iteration: 2, games: 40, positions: 655 },
      { type: 'evaluation', iteration: 2, checkpoint: 'iter-000002', elo: 85, oracle: { optimalMoveRate: 0.5 } },
      { type: 'iteration', iteration: 3, games: 60, positions: 990 },
      { type: 'evaluation', iteration: 3, checkpoint: 'iter-000003', elo: 140, oracle: null },
    ];
    // The last line torn, as a killed run leaves it.
    writeFileSync(join(run, 'metrics.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n{"type":"iter`);
    const library = Library.open(tempDir('runlib'));
    const [net, ...modules] = await addNetwork(library, run, 'c4-run', { measured: { note: 'by hand' } });
    expect(net.games).toEqual(['connect4:rows=4,cols=5']);
    expect(net.sizes).toEqual(['4x5']);
    expect(net.selfPlayGames).toBe(40);
    expect(net.selfPlayPositions).toBe(655);
    expect(net.measured).toEqual({ evaluation: { iteration: 2, checkpoint: 'iter-000002', elo: 85, oracle: { optimalMoveRate: 0.5 } }, note: 'by hand' });
    expect(net.run).toBe(run);
    expect(net.writes).toEqual(['drop']);
    for (const m of modules) {
      expect(m.selfPlayGames).toBe(40);
      expect(m.run).toBe(run);
    }
    library.close();
  });

  it('refuses a name that is taken, and adds nothing when it does', async () => {
    const library = Library.open(tempDir('dup'));
    await addNetwork(library, tttCheckpoint, 'same');
    const before = library.names();
    await expect(addNetwork(library, tttCheckpoint, 'same')).rejects.toThrow(/already has an entry same; remove it first/);
    expect(library.names()).toEqual(before);
    library.close();
  });
});

describe('checksums and formats', () => {
  async function libraryWithNet(name: string): Promise<Library> {
    const library = Library.open(tempDir(name));
    await addNetwork(library, tttCheckpoint, 'n');
    return library;
  }

  it('refuses a blob with a changed byte, naming the entry and the fix', async () => {
    const library = await libraryWithNet('corrupt-blob');
    const trunk = library.find('n/trunk')!;
    const file = join(library.dir, BLOBS_DIR, trunk.checksum, 'weights.bin');
    const bytes = readFileSync(file);
    bytes[17] ^= 0x40;
    writeFileSync(file, bytes);
    expect(() => getModuleWeights(trunk)).toThrow(ArborError);
    expect(() => getModuleWeights(trunk)).toThrow(/^library entry n\/trunk is corrupt: .*weights\.bin does not match its checksum; remove it \(arbor library remove n\/trunk --library .*\) and add it again from its source$/);
    // Other entries are untouched.
    expect(getModuleWeights(library.find('n/stem')!).tensors.length).toBeGreaterThan(0);
    library.close();
  });

  it('refuses an index row that was changed behind its back', async () => {
    const library = await libraryWithNet('corrupt-row');
    library.close();
    const db = new Database(join(library.dir, INDEX_FILE));
    db.prepare("UPDATE entries SET kind = 'trunk' WHERE name = 'n/stem'").run();
    db.close();
    const reopened = Library.open(library.dir);
    expect(() => reopened.list()).toThrow(/^library entry n\/stem is corrupt: its index row in .* does not match its row checksum; remove it/);
    // The damaged row can still be removed.
    expect(reopened.remove('n/stem')).toEqual(['n/stem']);
    expect(reopened.list().map((e) => e.name)).not.toContain('n/stem');
    reopened.close();
  });

  it('refuses an index that is not an arbor library index, or of another schema version', async () => {
    const garbage = tempDir('garbage');
    writeFileSync(join(garbage, INDEX_FILE), Buffer.from('this is not a database, just some text that is long enough'.repeat(20)));
    expect(() => Library.open(garbage)).toThrow(/^library index .*index\.sqlite is corrupt or not an arbor library \(.*\); move .* aside/);

    const library = await libraryWithNet('future');
    library.close();
    const db = new Database(join(library.dir, INDEX_FILE));
    db.prepare("UPDATE library SET value = '9' WHERE key = 'schema_version'").run();
    db.close();
    expect(() => Library.open(library.dir)).toThrow(/has index schema version 9; this arbor reads version 1/);

    const other = tempDir('other-format');
    const odb = new Database(join(other, INDEX_FILE));
    odb.exec("CREATE TABLE library (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO library VALUES ('format', 'someone-else')");
    odb.close();
    expect(() => Library.open(other)).toThrow(/is not an arbor library index \(format someone-else\)/);
  });

  it('refuses an entry stored in a format version it does not know', async () => {
    const library = await libraryWithNet('foreign');
    const stem = library.find('n/stem')!;
    const manifest = join(library.dir, BLOBS_DIR, stem.checksum, 'entry.json');
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as { version: number };
    json.version = 2;
    writeFileSync(manifest, JSON.stringify(json));
    expect(() => getModuleWeights(stem)).toThrow(/^library entry n\/stem is stored as arbor-library-entry version 2, which this arbor does not read \(it reads arbor-library-entry version 1\)/);
    library.close();
  });
});

describe('two libraries', () => {
  it('finds a name in the user library first, then the starter library, which is read-only', async () => {
    const starterDir = tempDir('starter');
    const builder = Library.open(starterDir);
    await addNetwork(builder, tttCheckpoint, 'shared', { measured: { from: 'starter' } });
    await addNetwork(builder, tttCheckpoint, 'only-starter');
    builder.close();
    const userDir = tempDir('user');
    const user = Library.open(userDir);
    await addNetwork(user, tttCheckpoint, 'shared', { measured: { from: 'user' } });
    user.close();

    const libraries = new Libraries({ user: userDir, starter: starterDir });
    expect(libraries.get('shared').library).toBe('user');
    expect(libraries.get('shared').measured).toEqual({ from: 'user' });
    expect(libraries.get('only-starter').library).toBe('starter');
    expect(libraries.get('only-starter/trunk').libraryDir).toBe(starterDir);
    // Starter entries the user library shadows are listed once.
    const names = libraries.list().map((e) => `${e.library}:${e.name}`);
    expect(names.filter((n) => n.endsWith(':shared'))).toEqual(['user:shared']);
    expect(names).toContain('starter:only-starter');
    expect(() => libraries.get('only-startr')).toThrow(/no library entry only-startr .*did you mean only-starter\?/);

    await expect(addNetwork(libraries.starter, tttCheckpoint, 'new')).rejects.toThrow(/^the starter library .* is read-only; add to and remove from your own library/);
    expect(() => libraries.starter.remove('only-starter')).toThrow(/is read-only/);
    expect(libraries.starter.find('only-starter')).toBeDefined();
    libraries.close();
  });

  it('puts the user library at --library, else $ARBOR_LIBRARY, else ~/.arbor/library', () => {
    expect(userLibraryDir('/x/lib', { ARBOR_LIBRARY: '/env/lib' })).toBe('/x/lib');
    expect(userLibraryDir(undefined, { ARBOR_LIBRARY: '/env/lib' })).toBe('/env/lib');
    expect(userLibraryDir(undefined, {})).toMatch(/\.arbor[/\\]library$/);
  });
});

describe('removing', () => {
  it('removes a net with its modules and deletes the blobs no entry uses; refuses to orphan a child', async () => {
    const library = Library.open(tempDir('remove'));
    await addNetwork(library, tttCheckpoint, 'a');
    await addNetwork(library, tttCheckpoint, 'b');
    // Identical content is stored once.
    const blobs = () => readdirSync(join(library.dir, BLOBS_DIR)).filter((n) => !n.startsWith('.'));
    expect(blobs().length).toBe(6);
    expect(library.remove('a')).toEqual(['a', 'a/policy', 'a/policy:place', 'a/stem', 'a/trunk', 'a/value']);
    expect(blobs().length).toBe(6);
    expect(getModuleWeights(library.find('b/trunk')!).tensors.length).toBeGreaterThan(0);

    // A net made from b's trunk: b cannot go while it names b/trunk as a parent.
    await addNetwork(library, tttCheckpoint, 'child', { parents: ['b/trunk'] });
    expect(() => library.remove('b')).toThrow(/^entry b is a parent of child; remove that entry first$/);
    expect(library.remove('child').length).toBe(6);
    library.remove('b');
    expect(library.names()).toEqual([]);
    expect(blobs()).toEqual([]);
    expect(() => library.remove('b')).toThrow(/no entry b in library/);
    library.close();
  });
});

describe('lib:NAME', () => {
  it('plays as mcts:model=lib:NAME; a module entry or another game is one clear error', async () => {
    const dir = tempDir('play');
    const library = Library.open(dir);
    await addNetwork(library, tttCheckpoint, 'ttt-net');
    library.close();
    const saved = process.env.ARBOR_LIBRARY;
    process.env.ARBOR_LIBRARY = dir;
    try {
      const agent = await createAgent('mcts:model=lib:ttt-net,simulations=8', { game: ttt, seed: 'lib' });
      const state = ttt.newInitialState();
      state.apply(4);
      const action = await agent.selectAction(state);
      expect(legalActionList(state)).toContain(action);
      expect(action).not.toBe(4);
      await agent.close?.();
      await expect(loadModel('lib:ttt-net/trunk', ttt)).rejects.toThrow(/^library entry ttt-net\/trunk is a trunk; give a net entry \(e\.g\. ttt-net, which it came from\)$/);
      await expect(loadModel('lib:ttt-nte', ttt)).rejects.toThrow(/no library entry ttt-nte .*did you mean ttt-net\?/);
      await expect(loadModel('lib:ttt-net', createGame('connect4'))).rejects.toThrow(/^lib:ttt-net is a net for tictactoe, not connect4; play it on a tictactoe game/);
    } finally {
      if (saved === undefined) delete process.env.ARBOR_LIBRARY;
      else process.env.ARBOR_LIBRARY = saved;
    }
    // The same through an explicit library location.
    const evaluator = await loadLibraryNet('lib:ttt-net', ttt, {}, { user: dir });
    const policy = new Float32Array(ttt.numActions);
    const value = new Float32Array(1);
    await evaluator.evaluate([ttt.newInitialState()], 1, policy, value);
    expect(policy.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    await evaluator.close?.();
  }, 60_000);
});
