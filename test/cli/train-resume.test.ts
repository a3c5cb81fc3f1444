import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** `arbor train --resume` with the command line a run was started with: one tiny tic-tac-toe iteration. */
const root = mkdtempSync(join(tmpdir(), 'arbor-cli-resume-'));
const tiny = join(root, 'tiny.json');
writeFileSync(tiny, JSON.stringify({
  model: { filters: 8, blocks: 1 },
  selfplay: { workers: 1, concurrentGames: 8, gamesPerIteration: 16, simulations: 8, cheapSimulations: 4 },
  replay: { minPositions: 50 },
  training: { batchSize: 32 },
  evaluation: { every: 0 },
  final: { games: 0 },
}));
const runDir = join(root, 'run');
const start = ['train', '--game', 'tictactoe', '--preset', 'quick', '--seed', 's1', '--config', tiny, '--iterations', '1', '--run-dir', runDir, '--json'];

describe('arbor train --resume', () => {
  it('accepts the command line the run was started with, and refuses an option that differs', () => {
    const first = runCli(start, undefined, 180_000);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).iterations).toBe(1);

    // The same command with --resume: accepted; the budget is already met.
    const again = runCli([...start, '--resume'], undefined, 180_000);
    expect(again.code, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.stoppedBy).toBe('already-done');
    expect(summary.iterations).toBe(1);

    const preset = runCli([...start.map((a) => (a === 'quick' ? 'standard' : a)), '--resume']);
    expect(preset.code).toBe(2);
    expect(preset.stderr.trim()).toBe("arbor: --resume: --preset standard differs from the run's config (preset=quick); drop it or start a new run");

    const changed = join(root, 'changed.json');
    writeFileSync(changed, readFileSync(tiny, 'utf8').replace('"simulations":8', '"simulations":12'));
    const config = runCli([...start.map((a) => (a === tiny ? changed : a)), '--resume']);
    expect(config.code).toBe(2);
    expect(config.stderr.trim().split('\n')).toHaveLength(1);
    expect(config.stderr).toContain(`--resume: --config ${changed} sets selfplay.simulations=12, which differs from the run's config (selfplay.simulations=8); drop it or start a new run`);

    // A run folder written with a setting's earlier name resumes, saying so in one line.
    const configPath = join(runDir, 'config.json');
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('"consideredActions"', '"gumbelSampledActions"'));
    const renamed = runCli([...start, '--resume'], undefined, 180_000);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stderr.split('\n').filter((l) => l.includes('earlier version'))).toEqual([
      `run folder ${runDir}: config.json uses setting names of an earlier version, read as selfplay.gumbelSampledActions -> selfplay.consideredActions`,
    ]);
  }, 400_000);
});
