import { describe, expect, it } from 'vitest';
import { chartSpecs } from '../../src/selfplay/report.js';

describe('report charts', () => {
  const iteration = (i: number) => ({ type: 'iteration', iteration: i, elapsedS: 60 * i, games: 100 * i, policyLoss: 2 - i / 10, valueLoss: 1 - i / 10, positionsPerSecond: 50 });
  it('charts the games against perfect play: kept results from labelled starts, games not lost otherwise', () => {
    const records = [
      iteration(1),
      { type: 'evaluation', iteration: 1, elapsedS: 60, games: 100, elo: 300, perfectPlay: { games: 100, wins: 40, draws: 10, losses: 50, keptResult: 90 } },
      iteration(2),
      { type: 'evaluation', iteration: 2, elapsedS: 120, games: 200, elo: 400, perfectPlay: { games: 20, wins: 0, draws: 18, losses: 2, keptResult: null } },
    ];
    const chart = chartSpecs(records).find((c) => c.title === 'Against perfect play during training')!;
    expect(chart.rows.map((r) => [r.minutes, r.share, r.series])).toEqual([[1, 0.9, 'result kept'], [2, 0.9, 'not lost']]);
    const loss = chartSpecs(records).find((c) => c.title === 'Training loss against time')!;
    expect(loss.rows).toHaveLength(4);
  });
  it('draws the ownership loss as a third series when the run trains an ownership head', () => {
    const records = [{ ...iteration(1), ownershipLoss: 0.7 }, { ...iteration(2), ownershipLoss: 0.6 }];
    const loss = chartSpecs(records).find((c) => c.title === 'Training loss against games')!;
    expect(loss.rows.filter((r) => r.series === 'ownership').map((r) => [r.games, r.loss])).toEqual([[100, 0.7], [200, 0.6]]);
    expect(chartSpecs([iteration(1)]).find((c) => c.title === 'Training loss against games')!.rows.some((r) => r.series === 'ownership')).toBe(false);
  });
  it('leaves the chart out for runs without those games (older metrics files)', () => {
    const records = [iteration(1), { type: 'evaluation', iteration: 1, elapsedS: 60, games: 100, elo: 300 }];
    expect(chartSpecs(records).map((c) => c.title)).not.toContain('Against perfect play during training');
  });
});
