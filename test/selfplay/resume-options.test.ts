import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArborError, defaultWorkers } from '../../src/core/index.js';
import { resolveConfig } from '../../src/selfplay/config.js';
import { checkResumeOptions } from '../../src/selfplay/resume-options.js';

const root = mkdtempSync(join(tmpdir(), 'arbor-resume-'));
const file = (name: string, value: unknown) => {
  const path = join(root, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};
const started = file('started.json', { selfplay: { simulations: 40, cheapSimulations: 10, workers: 2 }, evaluation: { opponents: ['random'] } });
const config = resolveConfig({ game: 'connect4', gameId: 'connect4', preset: 'standard', seed: 'run-7', configFile: started });

describe('arbor train --resume with the options the run was started with', () => {
  it('accepts every option equal to the run config (the game spec in any spelling)', () => {
    expect(checkResumeOptions(config, {})).toEqual({});
    expect(checkResumeOptions(config, { game: 'connect4', preset: 'standard', seed: 'run-7', configFile: started })).toEqual({ workers: 2 });
    expect(checkResumeOptions(config, { game: 'connect4:rows=6,cols=7' })).toEqual({});
    // selfplay.workers is the machine's, as --workers: 0 is the default worker count of this machine.
    expect(checkResumeOptions(config, { configFile: file('workers.json', { selfplay: { workers: 0 } }) })).toEqual({ workers: defaultWorkers() });
  });

  it('refuses an option that differs, naming it and both values, in one line', () => {
    expect(() => checkResumeOptions(config, { preset: 'quick' })).toThrow(new ArborError("--resume: --preset quick differs from the run's config (preset=standard); drop it or start a new run"));
    expect(() => checkResumeOptions(config, { seed: 'other' })).toThrow(new ArborError("--resume: --seed other differs from the run's config (seed=run-7); drop it or start a new run"));
    expect(() => checkResumeOptions(config, { game: 'connect4:rows=5' })).toThrow(new ArborError("--resume: --game connect4:rows=5 differs from the run's config (game=connect4); drop it or start a new run"));
    const changed = file('changed.json', { selfplay: { simulations: 80 } });
    expect(() => checkResumeOptions(config, { configFile: changed })).toThrow(
      new ArborError(`--resume: --config ${changed} sets selfplay.simulations=80, which differs from the run's config (selfplay.simulations=40); drop it or start a new run`),
    );
    const opponents = file('opponents.json', { evaluation: { opponents: ['random', 'greedy'] } });
    expect(() => checkResumeOptions(config, { configFile: opponents })).toThrow(/sets evaluation\.opponents=\["random","greedy"\], which differs from the run's config \(evaluation\.opponents=\["random"\]\)/);
    // A bad key is the error it is when a run starts.
    expect(() => checkResumeOptions(config, { configFile: file('typo.json', { selfplay: { simulation: 80 } }) })).toThrow(/invalid training config — selfplay: Unrecognized key: "simulation"/);
  });
});
