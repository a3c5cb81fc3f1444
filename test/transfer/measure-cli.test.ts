import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstCrossing, gamesRatio, logArea } from '../../src/transfer/measure-curve.js';
import { runCli } from '../cli/run-cli.js';

/**
 * `arbor transfer` end to end on tiny runs (8 filters, 1 block, 8 games an iteration): the
 * reference network is a tiny run made here; transfer.json must be well formed, both arms
 * measured at the same game counts from 0, and its figures consistent with its own curves.
 */

const root = mkdtempSync(join(tmpdir(), 'arbor-transfer-'));
const tiny = join(root, 'tiny.json');
writeFileSync(tiny, JSON.stringify({
  model: { filters: 8, blocks: 1 },
  selfplay: { workers: 1, concurrentGames: 8, gamesPerIteration: 8, simulations: 8, cheapSimulations: 4 },
  replay: { minPositions: 20 },
  training: { batchSize: 16 },
  final: { games: 0 },
}));
const TIMEOUT = 240_000;

interface Point { games: number; iteration: number; strength: number }
interface Arm { runDir: string; iterations: number; curve: Point[]; reachedAt: number | null; area: number }
interface Result {
  format: string;
  target: string;
  init: { from: string; freeze: string[]; reinit: string[]; grow: Record<string, number> };
  seed: string;
  budget: { games: number | null; minutes: number | null; iterations: number };
  gamesPerIteration: number;
  strength: { kind: string; simulations: number; positions?: number; reference?: string; games?: number; measure: string };
  threshold: { value: number; rule: string };
  jumpstart: { scratch: number; transfer: number; gain: number };
  arms: { scratch: Arm; transfer: Arm };
  ratio: number | null;
  areaGain: number;
  reportPath: string;
}

/** The checks every transfer.json must pass, whatever the strengths came out as. */
function checkWellFormed(r: Result, out: string, iterations: number): void {
  expect(r.format).toBe('arbor-transfer/1');
  expect(r.budget.iterations).toBe(iterations);
  const expectedIterations = [0];
  for (let i = 1; i < iterations; i *= 2) expectedIterations.push(i);
  expectedIterations.push(iterations);
  const expectedGames = expectedIterations.map((i) => i * r.gamesPerIteration);
  for (const arm of ['scratch', 'transfer'] as const) {
    const a = r.arms[arm];
    expect(a.runDir).toBe(join(out, arm));
    expect(a.iterations).toBe(iterations);
    expect(a.curve.map((p) => p.games)).toEqual(expectedGames);
    for (const p of a.curve) {
      expect(p.strength).toBeGreaterThanOrEqual(0);
      expect(p.strength).toBeLessThanOrEqual(1);
      expect(existsSync(join(a.runDir, 'measured', `games-${p.games}.onnx`))).toBe(true);
    }
    expect(a.reachedAt).toBe(firstCrossing(a.curve, r.threshold.value));
    expect(a.area).toBeCloseTo(logArea(a.curve, r.gamesPerIteration), 12);
  }
  expect(r.jumpstart.scratch).toBe(r.arms.scratch.curve[0].strength);
  expect(r.jumpstart.transfer).toBe(r.arms.transfer.curve[0].strength);
  expect(r.jumpstart.gain).toBeCloseTo(r.jumpstart.transfer - r.jumpstart.scratch, 12);
  expect(r.ratio).toBe(gamesRatio(r.arms.scratch.reachedAt, r.arms.transfer.reachedAt));
  if (r.ratio !== null) expect(r.ratio).toBeCloseTo(r.arms.scratch.reachedAt! / r.arms.transfer.reachedAt!, 12);
  expect(r.areaGain).toBeCloseTo(r.arms.transfer.area - r.arms.scratch.area, 12);
  expect(r.reportPath).toBe(join(out, 'report.html'));
  const html = readFileSync(r.reportPath, 'utf8');
  expect(html).toContain('<svg');
  expect(html).toContain('games to threshold');
  expect(JSON.parse(readFileSync(join(out, 'transfer.json'), 'utf8'))).toEqual(r);
}

describe('arbor transfer', () => {
  const source = join(root, 'source');
  beforeAll(() => {
    const first = runCli(['train', '--game', 'tictactoe', '--seed', 'src', '--config', tiny, '--iterations', '2', '--run-dir', source, '--json'], undefined, TIMEOUT);
    expect(first.code, first.stderr).toBe(0);
  }, TIMEOUT);

  it('tic-tac-toe from a tiny run, oracle strength: transfer.json and report.html, the warm start copied into the transfer arm', () => {
    const out = join(root, 'ttt');
    const run = runCli(['transfer', '--target', 'tictactoe', '--from', source, '--games', '40', '--seed', 'm', '--config', tiny, '--out', out, '--positions', '60', '--json'], undefined, TIMEOUT);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as Result;
    checkWellFormed(r, out, 5);
    expect(r.target).toBe('tictactoe');
    expect(r.init).toEqual({ from: source, freeze: [], reinit: [], grow: {} });
    expect(r.strength).toMatchObject({ kind: 'oracle', simulations: 1, positions: 60 });
    // The default threshold: 90% of the way from the scratch arm's strength at 0 games to its best.
    const first = r.arms.scratch.curve[0].strength;
    const best = Math.max(...r.arms.scratch.curve.map((p) => p.strength));
    expect(r.threshold.value).toBeCloseTo(first + 0.9 * (best - first), 12);
    expect(r.arms.scratch.reachedAt).not.toBeNull();
    // Oracle strengths are shares of 60 positions.
    for (const p of r.arms.scratch.curve) expect(Math.abs(p.strength * 60 - Math.round(p.strength * 60))).toBeLessThan(1e-9);
    // Same seed, same config: the arms differ only by the warm start, which init.json records.
    expect(existsSync(join(out, 'transfer', 'init.json'))).toBe(true);
    expect(existsSync(join(out, 'scratch', 'init.json'))).toBe(false);
    expect(run.stderr).toContain('[scratch] strength after 0 games (iteration 0):');
    expect(run.stderr).toContain('[transfer] warm start for tictactoe:');
    // A second measurement into the same folder needs --overwrite.
    const again = runCli(['transfer', '--target', 'tictactoe', '--from', source, '--games', '8', '--out', out], undefined, TIMEOUT);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/already holds a run; pass --overwrite/);
  }, 2 * TIMEOUT);

  it('Connect Four 4x4 (no shipped positions) from the tic-tac-toe run, frozen trunk, paired games against a reference, fixed threshold', () => {
    const out = join(root, 'c4');
    const run = runCli(['transfer', '--target', 'connect4:rows=4,cols=4', '--from', source, '--freeze', 'trunk', '--games', '16', '--seed', 'g', '--config', tiny, '--out', out,
      '--reference', 'random', '--eval-games', '4', '--simulations', '2', '--threshold', '0.5', '--json'], undefined, TIMEOUT);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as Result;
    checkWellFormed(r, out, 2);
    expect(r.init.freeze).toEqual(['trunk']);
    expect(r.strength).toMatchObject({ kind: 'games', reference: 'random', games: 4, simulations: 2 });
    expect(r.threshold).toEqual({ value: 0.5, rule: 'fixed (--threshold)' });
    // Scores of 4 games count half-points: multiples of 1/8.
    for (const p of [...r.arms.scratch.curve, ...r.arms.transfer.curve]) expect(Number.isInteger(p.strength * 8)).toBe(true);
    expect(run.stderr).toContain('frozen (not trained): trunk');
  }, 2 * TIMEOUT);

  it('a time budget: the transfer arm plays as many iterations as the scratch arm reached, measured at the same points; search and raw network both measured', () => {
    const out = join(root, 'minutes');
    const run = runCli(['transfer', '--target', 'tictactoe', '--from', source, '--minutes', '0.05', '--seed', 't', '--config', tiny, '--out', out, '--positions', '20',
      '--simulations', '4', '--raw-threshold', '0.6', '--json'], undefined, TIMEOUT);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as Result & { raw: { threshold: { value: number }; reachedAt: { scratch: number | null; transfer: number | null }; jumpstart: { scratch: number } } };
    expect(r.budget.minutes).toBe(0.05);
    expect(r.budget.games).toBeNull();
    expect(r.budget.iterations).toBeGreaterThanOrEqual(1);
    checkWellFormed(r, out, r.budget.iterations);
    // With search measured (4 simulations), every point also holds the raw network's share of the 20 positions.
    expect(r.strength).toMatchObject({ kind: 'oracle', simulations: 4 });
    expect(r.raw.threshold.value).toBe(0.6);
    for (const arm of [r.arms.scratch, r.arms.transfer]) {
      for (const p of arm.curve as { raw?: number }[]) expect(Number.isInteger(Math.round((p.raw ?? NaN) * 20 * 1e6) / 1e6)).toBe(true);
    }
    const firstRaw = (r.arms.scratch.curve[0] as { raw?: number }).raw;
    expect(r.raw.jumpstart.scratch).toBe(firstRaw);
    const crossing = (r.arms.scratch.curve as { games: number; raw?: number }[]).find((p) => (p.raw ?? 0) >= 0.6);
    expect(r.raw.reachedAt.scratch).toBe(crossing ? crossing.games : null);
    expect(run.stderr).toMatch(/raw network \d\.\d{4}/);
  }, 2 * TIMEOUT);

  it('one-line errors for a wrong budget, threshold or strength', () => {
    const cases: [string[], RegExp][] = [
      [['--games', '8', '--minutes', '1'], /exactly one budget/],
      [[], /exactly one budget/],
      [['--games', '8', '--threshold', '1.5'], /--threshold 1.5 is not a number in 0..1/],
      [['--games', '8', '--strength', 'elo'], /--strength elo is unknown; use oracle or games/],
      [['--games', '8', '--eval-games', '3', '--strength', 'games'], /--eval-games 3 must be an even/],
      [['--games', '8', '--reinit', 'nonsense'], /nonsense/],
      [['--games', '8', '--preset', 'huge'], /preset/],
      [['--games', '8', '--raw-threshold', '0.8'], /--raw-threshold needs the oracle strength with search/],
    ];
    for (const [args, message] of cases) {
      const run = runCli(['transfer', '--target', 'tictactoe', '--from', source, '--out', join(root, 'err'), '--overwrite', ...args], undefined, TIMEOUT);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), run.stderr).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
  }, 2 * TIMEOUT);
});
