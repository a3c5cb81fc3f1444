import { describe, expect, it } from 'vitest';
import type { EvaluationMetrics, IterationMetrics, MetricsRow, PerfectPlayResult } from '../../src/selfplay/metrics.js';
import { chartSpecs } from '../../src/selfplay/report.js';

describe('report charts', () => {
  const iteration = (i: number): IterationMetrics => ({
    type: 'iteration', iteration: i, elapsedS: 60 * i, games: 100 * i, positions: 700 * i, samples: 350 * i, window: 350 * i, trainSteps: 10 * i,
    policyLoss: 2 - i / 10, valueLoss: 1 - i / 10, positionsPerSecond: 50, selfplayS: 14, trainS: 40, learningRate: 0.002,
    firstWins: 50, secondWins: 30, draws: 20, resigned: 0, playthroughGames: 0, falseResignations: 0,
  });
  const perfectPlay = (games: number, wins: number, draws: number, losses: number, keptResult: number | null): PerfectPlayResult =>
    ({ agent: 'mcts:model=run,sims=32', opponent: 'solver', games, wins, draws, losses, neverLost: losses === 0, keptResult, minStones: keptResult === null ? 0 : 15 });
  const evaluation = (i: number, elo: number, played: PerfectPlayResult | null): EvaluationMetrics =>
    ({ type: 'evaluation', iteration: i, elapsedS: 60 * i, games: 100 * i, checkpoint: `iter-${i}`, elo, eloCi95: null, results: [], oracle: null, perfectPlay: played, summary: '' });

  it('charts the games against perfect play: kept results from labelled starts, games not lost otherwise', () => {
    const records = [
      iteration(1),
      evaluation(1, 300, perfectPlay(100, 40, 10, 50, 90)),
      iteration(2),
      evaluation(2, 400, perfectPlay(20, 0, 18, 2, null)),
    ];
    const chart = chartSpecs(records).find((c) => c.title === 'Against perfect play during training')!;
    expect(chart.rows.map((r) => [r.minutes, r.share, r.series])).toEqual([[1, 0.9, 'result kept'], [2, 0.9, 'not lost']]);
    const loss = chartSpecs(records).find((c) => c.title === 'Training loss against time')!;
    expect(loss.rows).toHaveLength(4);
    const elo = chartSpecs(records).find((c) => c.title === 'Elo against games')!;
    expect(elo.rows.map((r) => [r.games, r.elo])).toEqual([[100, 300], [200, 400]]);
  });
  it('draws the ownership loss as a third series when the run trains an ownership head', () => {
    const records = [{ ...iteration(1), ownershipLoss: 0.7 }, { ...iteration(2), ownershipLoss: 0.6 }];
    const loss = chartSpecs(records).find((c) => c.title === 'Training loss against games')!;
    expect(loss.rows.filter((r) => r.series === 'ownership').map((r) => [r.games, r.loss])).toEqual([[100, 0.7], [200, 0.6]]);
    expect(chartSpecs([iteration(1)]).find((c) => c.title === 'Training loss against games')!.rows.some((r) => r.series === 'ownership')).toBe(false);
  });
  it('leaves the chart out for runs without those games (older metrics files)', () => {
    // An evaluation row as versions before in-run games against the solver wrote it: no perfectPlay field.
    const { perfectPlay: _absent, ...older } = evaluation(1, 300, null);
    const records = [iteration(1), older as MetricsRow];
    expect(chartSpecs(records).map((c) => c.title)).not.toContain('Against perfect play during training');
    expect(chartSpecs(records).map((c) => c.title)).toContain('Elo against time (random = 0)');
  });
});
