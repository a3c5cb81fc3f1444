import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../core/index.js';
import { renderSvg } from './report.js';
import type { TransferResult } from './transfer-result.js';

/**
 * DIR/report.html of `arbor transfer`: the two strength curves on one chart (Vega-Lite rendered
 * to inline SVG, like a run's report.html: no scripts, opens offline), the threshold as a rule,
 * and the figures of transfer.json as a table.
 */

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] as string);
}

/** The chart: strength against target games, a symmetric-log x axis (0 games included), one line per arm. */
export function curveChart(r: TransferResult): TopLevelSpec {
  // With the raw network measured beside search, its curves are two more lines (`scratch, raw`).
  const rows = (['scratch', 'transfer'] as const).flatMap((arm) => r.arms[arm].curve.flatMap((p) => [
    { arm, games: p.games, strength: p.strength },
    ...(p.raw === undefined ? [] : [{ arm: `${arm}, raw network`, games: p.games, strength: p.raw }]),
  ]));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${r.target}: strength against target self-play games`,
    width: 520,
    height: 280,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'games', type: 'quantitative', title: 'self-play games of the target game (symlog axis)', scale: { type: 'symlog', constant: r.gamesPerIteration } },
          y: { field: 'strength', type: 'quantitative', title: 'strength', scale: { zero: false } },
          color: { field: 'arm', type: 'nominal', title: null },
        },
      },
      {
        data: { values: [{ threshold: r.threshold.value }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
        encoding: { y: { field: 'threshold', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

export async function writeTransferReport(r: TransferResult): Promise<string> {
  const svg = await renderSvg(curveChart(r));
  const fmt = (v: number | null, digits = 4) => (v === null ? 'never' : v.toFixed(digits));
  const rows: [string, string][] = [
    ['target game', r.target],
    ['warm start', `${r.init.from}${r.init.freeze.length ? `, frozen ${r.init.freeze.join(',')}` : ''}${r.init.reinit.length ? `, fresh ${r.init.reinit.join(',')}` : ''}${Object.keys(r.init.grow).length ? `, grown ${JSON.stringify(r.init.grow)}` : ''}`],
    ['seed', r.seed],
    ['budget', `${r.budget.iterations} iterations of ${r.gamesPerIteration} games${r.budget.minutes !== null ? ` (the scratch arm's ${r.budget.minutes} minutes)` : ''}`],
    ['strength', r.strength.measure],
    ['threshold', `${r.threshold.value.toFixed(4)}: ${r.threshold.rule}`],
    ['jumpstart (0 games)', `scratch ${fmt(r.jumpstart.scratch)}, transfer ${fmt(r.jumpstart.transfer)}, gain ${fmt(r.jumpstart.gain)}`],
    ['games to threshold', `scratch ${r.arms.scratch.reachedAt ?? 'never'}, transfer ${r.arms.transfer.reachedAt ?? 'never'}`],
    ['ratio (scratch / transfer)', r.ratio === null ? 'undefined (an arm never reached the threshold, or transfer reached it at 0 games)' : r.ratio.toFixed(2)],
    ['area under the log-games curve', `scratch ${fmt(r.arms.scratch.area)}, transfer ${fmt(r.arms.transfer.area)}, gain ${fmt(r.areaGain)}`],
    ...(r.raw === null ? [] : [
      ['raw network: threshold', `${r.raw.threshold.value.toFixed(4)}: ${r.raw.threshold.rule}`],
      ['raw network: jumpstart', `scratch ${fmt(r.raw.jumpstart.scratch)}, transfer ${fmt(r.raw.jumpstart.transfer)}`],
      ['raw network: games to threshold', `scratch ${r.raw.reachedAt.scratch ?? 'never'}, transfer ${r.raw.reachedAt.transfer ?? 'never'}; ratio ${r.raw.ratio === null ? 'undefined' : r.raw.ratio.toFixed(2)}`],
      ['raw network: area', `scratch ${fmt(r.raw.area.scratch)}, transfer ${fmt(r.raw.area.transfer)}`],
    ] as [string, string][]),
  ];
  const table = rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>arbor transfer ${escapeHtml(r.target)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px}
table{border-collapse:collapse}th,td{text-align:left;padding:.2em .8em;border-bottom:1px solid #ddd}pre{background:#f6f6f6;padding:1em;overflow:auto}</style>
</head><body>
<h1>arbor transfer: ${escapeHtml(r.target)} from ${escapeHtml(r.init.from)}</h1>
<table>${table}</table>
<figure>${svg}</figure>
<h2>transfer.json</h2><pre>${escapeHtml(JSON.stringify(r, null, 2))}</pre>
</body></html>
`;
  await writeFileAtomic(r.reportPath, html);
  return r.reportPath;
}
