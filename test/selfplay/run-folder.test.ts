import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, validateConfig } from '../../src/selfplay/config.js';
import { RunFolder } from '../../src/selfplay/run-folder.js';

const root = mkdtempSync(join(tmpdir(), 'arbor-runs-'));
const config = resolveConfig({ game: 'tictactoe', gameId: 'tictactoe', preset: 'quick', seed: 's' });

describe('run folders', () => {
  it('records config, seed and package versions', async () => {
    const folder = await RunFolder.create(join(root, 'fresh'), { game: 'tictactoe', seed: 's', config });
    const { manifest, state } = RunFolder.open(folder.dir);
    expect(manifest.seed).toBe('s');
    expect(manifest.config.selfplay.simulations).toBe(config.selfplay.simulations);
    expect(manifest.versions['onnxruntime-node']).toMatch(/^\d+\.\d+/);
    expect(manifest.versions['@tensorflow/tfjs']).toMatch(/^\d+\.\d+/);
    expect(state).toBeNull();
  });
  it('resumes a run made before learning-rate annealing at a constant rate and before random-length openings with its fixed count; new runs anneal', async () => {
    const folder = await RunFolder.create(join(root, 'old'), { game: 'tictactoe', seed: 's', config });
    expect(RunFolder.open(folder.dir).manifest.config.training.learningRateDecay).toEqual({ start: 0.7, finalFactor: 0.1 });
    const { learningRateDecay: _dropped, ...olderTraining } = config.training;
    const { randomMovesUpTo: _none, ...olderOpenings } = config.selfplay.openings;
    const older = { ...config, training: olderTraining, selfplay: { ...config.selfplay, openings: { ...olderOpenings, randomMoves: 3 } } };
    writeFileSync(folder.configPath, JSON.stringify({ format: 'arbor-run/1', createdAt: '2026-11-20T00:00:00Z', versions: {}, game: 'tictactoe', seed: 's', config: older }));
    const resumed = RunFolder.open(folder.dir).manifest.config;
    expect(resumed.training.learningRateDecay).toEqual({ start: 1, finalFactor: 1 });
    // A run from before random-length openings keeps its fixed count (randomMovesUpTo 0 = exactly randomMoves).
    expect(resumed.selfplay.openings).toEqual({ ...olderOpenings, randomMoves: 3, randomMovesUpTo: 0 });
  });

  it('reads a config.json written with setting names of an earlier version, with one notice line', async () => {
    const folder = await RunFolder.create(join(root, 'renamed'), { game: 'tictactoe', seed: 's', config });
    expect(RunFolder.open(folder.dir).notice).toBeNull();
    const { consideredActions: _renamed, ...selfplay } = config.selfplay;
    const older = { ...config, selfplay: { ...selfplay, gumbelSampledActions: 7 }, evaluation: { ...config.evaluation, opponents: ['random', 'uct:sims=200,c=1'] } };
    const written = JSON.stringify({ format: 'arbor-run/1', createdAt: '2026-11-20T00:00:00Z', versions: {}, game: 'tictactoe', seed: 's', config: older });
    writeFileSync(folder.configPath, written);
    const { manifest, notice } = RunFolder.open(folder.dir);
    expect(manifest.config.selfplay.consideredActions).toBe(7);
    expect(manifest.config.evaluation.opponents).toEqual(['random', 'uct:simulations=200,cUct=1']);
    expect(notice).toBe(`run folder ${folder.dir}: config.json uses setting names of an earlier version, read as selfplay.gumbelSampledActions -> selfplay.consideredActions, evaluation.opponents "uct:sims=200,c=1" -> "uct:simulations=200,cUct=1"`);
    expect(notice!.split('\n')).toHaveLength(1);
    // The file keeps what the run wrote.
    expect(readFileSync(folder.configPath, 'utf8')).toBe(written);
  });
  it('refuses an old setting name in a config file, naming the new one', () => {
    expect(() => validateConfig({ ...config, selfplay: { ...config.selfplay, gumbelSampledActions: 4 } }, 'config x.json')).toThrow(/selfplay: Unrecognized key: "gumbelSampledActions"; renamed: gumbelSampledActions is now consideredActions/);
  });

  it('refuses to start a new run over an existing one', async () => {
    const dir = join(root, 'twice');
    await RunFolder.create(dir, { game: 'tictactoe', seed: 's', config });
    await expect(RunFolder.create(dir, { game: 'tictactoe', seed: 's', config })).rejects.toThrow(/already holds a run; pass --resume/);
  });
  it('refuses a foreign folder', async () => {
    const dir = join(root, 'foreign');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    await expect(RunFolder.create(dir, { game: 'tictactoe', seed: 's', config })).rejects.toThrow(/not an arbor run folder/);
    expect(() => RunFolder.open(dir)).toThrow(/not an arbor run folder \(no config\.json\)/);
    const other = join(root, 'other-config');
    mkdirSync(other);
    writeFileSync(join(other, 'config.json'), JSON.stringify({ name: 'some other tool' }));
    expect(() => RunFolder.open(other)).toThrow(/is not an arbor run config/);
  });
  it('names a corrupt file and the fix', async () => {
    const dir = join(root, 'corrupt');
    const folder = await RunFolder.create(dir, { game: 'tictactoe', seed: 's', config });
    writeFileSync(folder.statePath, '{"format":"arbor-run-state/1","iter');
    expect(() => RunFolder.open(dir)).toThrow(/corrupt: .*state\.json is not valid JSON; start a new run/);
    writeFileSync(folder.configPath, '{"format":"arbor-run/1","config":{"game":"tictactoe"}}');
    expect(() => RunFolder.open(dir)).toThrow(/config\.json: invalid training config/);
  });
  it('names a missing folder', () => {
    expect(() => RunFolder.open(join(root, 'nowhere'))).toThrow(/no run folder at .*without --resume/);
  });
});
