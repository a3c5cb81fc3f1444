import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGame } from '../../src/envs/index.js';
import { createModel, readCheckpointWeights, saveCheckpoint, selectBackend } from '../../src/networks/index.js';
import { runCli } from '../cli/run-cli.js';

/**
 * `arbor train --init-from` end to end on tiny runs: from a run folder (tic-tac-toe -> tic-tac-toe,
 * stem and trunk frozen) and from a checkpoint (Connect Four 4x5 -> 5x6, grown and with a fresh
 * value head); the decisions are printed and stored in init.json, the warm start in config.json,
 * and --resume accepts only the warm start the run recorded.
 */

const root = mkdtempSync(join(tmpdir(), 'arbor-init-from-'));
const tiny = join(root, 'tiny.json');
writeFileSync(tiny, JSON.stringify({
  model: { filters: 8, blocks: 1 },
  selfplay: { workers: 1, concurrentGames: 8, gamesPerIteration: 8, simulations: 8, cheapSimulations: 4 },
  replay: { minPositions: 20 },
  training: { batchSize: 16 },
  evaluation: { every: 0 },
  final: { games: 0 },
}));
const TIMEOUT = 240_000;

function json(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
});

describe('arbor train --init-from', () => {
  it('from a run folder, stem and trunk frozen: decisions printed and stored, frozen weights as the source left them', async () => {
    const source = join(root, 'source');
    const first = runCli(['train', '--game', 'tictactoe', '--seed', 'a', '--config', tiny, '--iterations', '1', '--run-dir', source, '--json'], undefined, TIMEOUT);
    expect(first.code, first.stderr).toBe(0);

    const target = join(root, 'target');
    const args = ['train', '--game', 'tictactoe', '--seed', 'b', '--config', tiny, '--iterations', '1', '--run-dir', target, '--init-from', source, '--freeze', 'stem,trunk'];
    const run = runCli(args, undefined, TIMEOUT);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.split('\n');
    expect(lines).toContain('warm start for tictactoe:');
    expect(lines.some((l) => /^from checkpoint .*source\/checkpoints\/iter-0*1 \(tictactoe, step \d+\)$/.test(l))).toBe(true);
    expect(lines).toContain('  plane own:stone <- own:stone (same name)');
    expect(lines).toContain('  module trunk: loaded');
    expect(lines).toContain('  module policy:place: loaded from policy:place (same kind)');
    expect(lines).toContain('frozen (not trained): stem, trunk');

    const init = json(join(target, 'init.json'));
    expect(init.from).toBe(source);
    expect((init.planes as { rule: string }[]).map((d) => d.rule)).toEqual(['exact', 'exact', 'exact']);
    expect((init.lines as string[])).toContain('  module value: loaded');
    expect(json(join(target, 'config.json')).config).toMatchObject({ init: { from: source, freeze: ['stem', 'trunk'], reinit: [], grow: {} } });

    const before = await readCheckpointWeights(source);
    const after = await readCheckpointWeights(target);
    expect(after.meta.step).toBeGreaterThan(0);
    for (const [name, values] of before.weights) {
      const same = Buffer.from(values.buffer, values.byteOffset, values.byteLength).equals(Buffer.from(after.weights.get(name)!.buffer, after.weights.get(name)!.byteOffset, after.weights.get(name)!.byteLength));
      if (name.startsWith('stem/') || name.startsWith('block')) expect(same, name).toBe(true);
      if (name === 'value/fc1/w' || name === 'policy/conv') expect(same, name).toBe(false);
    }

    // --resume: the recorded warm start is accepted (the budget is met); another one is refused.
    const again = runCli([...args, '--resume'], undefined, TIMEOUT);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('already reached its budget');
    const other = runCli([...args.map((a) => (a === 'stem,trunk' ? 'stem' : a)), '--resume']);
    expect(other.code).toBe(2);
    expect(other.stderr.trim()).toBe(`arbor: --resume: --init-from ${source} with --freeze stem, --reinit (none), --grow (none) differs from the run's warm start (${source} with --freeze stem,trunk, --reinit (none), --grow (none)); drop the options or repeat them as recorded`);
    const fresh = runCli(['train', '--run-dir', source, '--resume', '--init-from', target]);
    expect(fresh.code).toBe(2);
    expect(fresh.stderr.trim()).toBe(`arbor: --resume: --init-from ${target} only starts a new run, and this run started from fresh weights; drop --init-from (and --freeze, --reinit, --grow) or start a new run`);
  }, 3 * TIMEOUT);

  it('from a checkpoint of another board size (a relative path), grown, with a fresh value head', async () => {
    const small = createGame('connect4:rows=4,cols=5');
    const model = createModel(small, { filters: 8, blocks: 1, policyFilters: 4, valueFilters: 4, valueHidden: 8, seed: 3 });
    const checkpoint = join(root, 'c4-4x5');
    await saveCheckpoint(checkpoint, { model, game: small });
    model.dispose();

    const target = join(root, 'c4-5x6');
    const run = runCli(['train', '--game', 'connect4:rows=5,cols=6', '--seed', 'c', '--config', tiny, '--iterations', '1', '--run-dir', target, '--init-from', relative(process.cwd(), checkpoint), '--grow', 'filters=12,blocks=2', '--reinit', 'value-head'], undefined, TIMEOUT);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.split('\n');
    expect(lines).toContain('warm start for connect4:rows=5,cols=6:');
    expect(lines).toContain('  action drop <- drop (same action kind)');
    expect(lines.some((l) => l.startsWith('  grow filters 8 -> 12: '))).toBe(true);
    expect(lines).toContain('  grow blocks 1 -> 2: block1 appended as the identity (the last batch norm of each residual branch starts with gamma = beta = 0)');
    expect(lines).toContain('  reinit value: fresh weights');
    const init = json(join(target, 'init.json'));
    // A path is recorded absolute, so the run resumes from any folder.
    expect(init.from).toBe(checkpoint);
    expect(init.model).toMatchObject({ filters: 12, blocks: 2 });
    expect(init.reinit).toEqual(['value']);
    const trained = await readCheckpointWeights(target);
    expect(trained.architecture.config).toMatchObject({ filters: 12, blocks: 2, policyFilters: 4 });
  }, 2 * TIMEOUT);

  it('bad warm-start options are one clear line each, and no run folder is made', () => {
    const target = join(root, 'bad');
    const noFrom = runCli(['train', '--game', 'tictactoe', '--run-dir', target, '--freeze', 'trunk', '--iterations', '1']);
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr.trim()).toBe('arbor: --freeze needs --init-from REF (a run folder, a checkpoint folder or lib:NAME): it applies to a network carried over from another run');
    const grow = runCli(['train', '--game', 'tictactoe', '--run-dir', target, '--init-from', join(root, 'c4-4x5'), '--grow', 'width=3', '--iterations', '1']);
    expect(grow.stderr.trim()).toBe('arbor: --grow width=3: "width=3" is not filters=N or blocks=N with N a positive integer (e.g. --grow filters=64,blocks=6)');
    const name = runCli(['train', '--game', 'tictactoe', '--run-dir', target, '--init-from', join(root, 'c4-4x5'), '--freeze', 'trunc', '--iterations', '1']);
    expect(name.code).toBe(2);
    expect(name.stderr.trim()).toMatch(/^arbor: --freeze: this network has no module "trunc"; did you mean trunk\? name modules or kinds among stem, trunk/);
    const missing = runCli(['train', '--game', 'tictactoe', '--run-dir', target, '--init-from', join(root, 'nowhere'), '--iterations', '1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`arbor: checkpoint ${join(root, 'nowhere')} does not exist; give a checkpoint folder or a run folder (with checkpoints/latest)`);
    expect(existsSync(target)).toBe(false);
  }, TIMEOUT);
});
