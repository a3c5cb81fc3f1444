import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { ArborError, writeFileAtomic } from '../core/index.js';
import { readMetrics, type ActorMetrics, type EvaluationMetrics, type FinalMetrics, type IterationMetrics, type MetricsRow, type PerfectPlayResult } from './metrics.js';
import { RunFolder } from './run-folder.js';

/**
 * report.html: a self-contained page (inline SVG, no scripts, no network) with the run's charts.
 * Charts are Vega-Lite specs compiled to Vega and rendered to SVG in Node by Vega's headless
 * view, so the page opens anywhere, including offline.
 */

/** One data point of a chart (Vega-Lite's inline values). */
type ChartRow = Record<string, unknown>;

interface ChartSpec {
  title: string;
  /** Rows for the chart (already in long format for multi-series charts). */
  rows: ChartRow[];
  x: { field: string; title: string };
  y: { field: string; title: string; zero?: boolean; domain?: [number, number] };
  series?: string;
}

function lineChart(c: ChartSpec): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: c.title,
    width: 420,
    height: 220,
    data: { values: c.rows },
    mark: { type: 'line', point: c.rows.length < 60, interpolate: 'monotone' },
    encoding: {
      x: { field: c.x.field, type: 'quantitative', title: c.x.title },
      y: { field: c.y.field, type: 'quantitative', title: c.y.title, scale: { zero: c.y.zero ?? false, ...(c.y.domain ? { domain: c.y.domain } : {}) } },
      ...(c.series ? { color: { field: c.series, type: 'nominal', title: null } } : {}),
    },
  } as TopLevelSpec;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A finite number, else null (metrics files of older versions lack some fields). */
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const minutesOf = (r: { elapsedS: number }) => (num(r.elapsedS) ?? 0) / 60;

/** Builds the charts from a run's metrics rows (iterations and evaluations). */
export function chartSpecs(records: readonly MetricsRow[]): ChartSpec[] {
  const iterations = records.filter((r): r is IterationMetrics => r.type === 'iteration');
  const evaluations = records.filter((r): r is EvaluationMetrics => r.type === 'evaluation');
  const charts: ChartSpec[] = [];
  const lossRows = iterations.flatMap((r) => {
    const at = { minutes: minutesOf(r), games: r.games };
    const series: [string, number | null][] = [['policy', num(r.policyLoss)], ['value', num(r.valueLoss)], ['ownership', num(r.ownershipLoss)]];
    return series.filter(([, loss]) => loss !== null).map(([name, loss]) => ({ ...at, loss, series: name }));
  });
  charts.push({ title: 'Training loss against time', rows: lossRows, x: { field: 'minutes', title: 'minutes' }, y: { field: 'loss', title: 'loss' }, series: 'series' });
  charts.push({ title: 'Training loss against games', rows: lossRows, x: { field: 'games', title: 'self-play games' }, y: { field: 'loss', title: 'loss' }, series: 'series' });
  // A run over several sizes or games has an Elo line per game (each against its own references).
  const perGame = evaluations.some((r) => Array.isArray(r.byGame));
  const eloRows = perGame
    ? evaluations.flatMap((r) => (r.byGame ?? []).filter((e) => num(e.elo) !== null).map((e) => ({ minutes: minutesOf(r), games: r.games, elo: e.elo, series: e.game })))
    : evaluations.filter((r) => num(r.elo) !== null).map((r) => ({ minutes: minutesOf(r), games: r.games, elo: r.elo }));
  const eloSeries = perGame ? { series: 'series' } : {};
  charts.push({ title: 'Elo against time (random = 0)', rows: eloRows, x: { field: 'minutes', title: 'minutes' }, y: { field: 'elo', title: 'Elo' }, ...eloSeries });
  charts.push({ title: 'Elo against games', rows: eloRows, x: { field: 'games', title: 'self-play games' }, y: { field: 'elo', title: 'Elo' }, ...eloSeries });
  const oracleRows = evaluations.flatMap((r) => (perGame ? (r.byGame ?? []).map((e) => ({ ...r, oracle: e.oracle, prefix: `${e.game}: ` })) : [{ ...r, prefix: '' }])).flatMap((r) => {
    const o = r.oracle;
    if (!o) return [];
    const rates: [string, number | null][] = [
      ['decisive positions, search', num(o.decisiveKeepRate)],
      ['decisive positions, raw network', num(o.rawDecisiveKeepRate)],
      ['all positions, search', num(o.optimalMoveRate)],
      ['all positions, raw network', num(o.rawOptimalMoveRate)],
    ];
    return rates.filter(([, rate]) => rate !== null).map(([series, rate]) => ({ minutes: minutesOf(r), games: r.games, rate, series: `${r.prefix}${series}` }));
  });
  if (oracleRows.length) {
    charts.push({ title: 'Optimal-move rate against time', rows: oracleRows, x: { field: 'minutes', title: 'minutes' }, y: { field: 'rate', title: 'share of labelled positions', domain: [0, 1] }, series: 'series' });
    charts.push({ title: 'Optimal-move rate against games', rows: oracleRows, x: { field: 'games', title: 'self-play games' }, y: { field: 'rate', title: 'share of labelled positions', domain: [0, 1] }, series: 'series' });
  }
  // Games against the solver at each evaluation: the share that kept the start's game-theoretic
  // result (labelled starts), or the share not lost (random first moves, tic-tac-toe).
  const perfectRows = evaluations.flatMap((r) => {
    const p = r.perfectPlay;
    const games = num(p?.games);
    if (!p || !games) return [];
    const kept = num(p.keptResult);
    const share = kept !== null ? kept / games : (games - (num(p.losses) ?? 0)) / games;
    return [{ minutes: minutesOf(r), games: r.games, share, series: kept !== null ? 'result kept' : 'not lost' }];
  });
  charts.push({ title: 'Against perfect play during training', rows: perfectRows, x: { field: 'minutes', title: 'minutes' }, y: { field: 'share', title: 'share of games', domain: [0, 1] }, series: 'series' });
  const speedRows = iterations.filter((r) => num(r.positionsPerSecond) !== null).map((r) => ({ minutes: minutesOf(r), positionsPerSecond: r.positionsPerSecond }));
  charts.push({ title: 'Self-play throughput', rows: speedRows, x: { field: 'minutes', title: 'minutes' }, y: { field: 'positionsPerSecond', title: 'positions / s', zero: true } });
  // A distributed run: each actor process's throughput as its heartbeats reported it.
  const actorRows = iterations.flatMap((r) => (Array.isArray(r.actors) ? r.actors : []).map((a) => ({ minutes: minutesOf(r), positionsPerSecond: a.positionsPerSecond, series: a.id })));
  charts.push({ title: 'Self-play throughput per actor', rows: actorRows, x: { field: 'minutes', title: 'minutes' }, y: { field: 'positionsPerSecond', title: 'positions / s', zero: true }, series: 'series' });
  return charts.filter((c) => c.rows.length > 0);
}

/** Each actor process of a distributed run: its mean reported positions/s over the iterations it was alive at, and its last report. */
export function actorThroughput(records: readonly MetricsRow[]): (ActorMetrics & { heartbeats: number })[] {
  const byId = new Map<string, ActorMetrics & { heartbeats: number; sum: number }>();
  for (const r of records) {
    if (r.type !== 'iteration' || !Array.isArray(r.actors)) continue;
    for (const a of r.actors) {
      const seen = byId.get(a.id);
      byId.set(a.id, { ...a, heartbeats: (seen?.heartbeats ?? 0) + 1, sum: (seen?.sum ?? 0) + (num(a.positionsPerSecond) ?? 0) });
    }
  }
  return [...byId.values()].map(({ sum, ...a }) => ({ ...a, positionsPerSecond: sum / a.heartbeats }));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] as string);
}

/** Renders report.html for a run folder and returns its path. */
export async function writeReport(runDir: string): Promise<string> {
  const { folder, manifest, state } = RunFolder.open(runDir);
  if (!existsSync(folder.metricsPath)) throw new ArborError(`run folder ${runDir} has no metrics.jsonl yet; let arbor train finish at least one iteration`);
  const records = readMetrics(folder.metricsPath);
  const svgs: string[] = [];
  for (const c of chartSpecs(records)) svgs.push(`<figure>${await renderSvg(lineChart(c))}</figure>`);
  const lastEval = records.findLast((r): r is EvaluationMetrics => r.type === 'evaluation');
  const final = records.findLast((r): r is FinalMetrics => r.type === 'final');
  const summary: [string, string][] = [
    ['game', manifest.game],
    ['preset', manifest.config.preset],
    ['seed', manifest.seed],
    ['iterations', String(state?.iteration ?? 0)],
    ['self-play games', String(state?.games ?? 0)],
    ['positions', String(state?.positions ?? 0)],
    ['training steps', String(state?.trainSteps ?? 0)],
    ['training time', `${((state?.elapsedMs ?? 0) / 60000).toFixed(1)} min`],
    ['latest checkpoint', state?.checkpoint ?? '(none)'],
    ['versions', Object.entries(manifest.versions).map(([k, v]) => `${k} ${v}`).join(', ')],
  ];
  const table = (rows: [string, string][]) => `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
  const evalOf = (e: Pick<EvaluationMetrics, 'elo' | 'results' | 'oracle'>) => ({ elo: e.elo, results: e.results, oracle: e.oracle });
  const evalShown = lastEval?.byGame ? Object.fromEntries(lastEval.byGame.map((e) => [e.game, evalOf(e)])) : lastEval ? evalOf(lastEval) : null;
  const evalBlock = lastEval ? `<h2>Latest evaluation (iteration ${String(lastEval.iteration)})</h2><pre>${escapeHtml(JSON.stringify(evalShown, null, 2))}</pre>` : '';
  const actors = actorThroughput(records);
  const actorBlock = actors.length
    ? `<h2>Actors (positions/s per actor)</h2>${table(actors.map((a) => [a.id, `${a.positionsPerSecond.toFixed(1)} positions/s on average over ${a.heartbeats} iterations (last: ${a.workers} workers, ${a.games} games sent, model version ${a.modelVersion})`] as [string, string]))}`
    : '';
  const finalRows = Array.isArray(final?.results) ? final.results : [];
  // Runs from before labelled starts have neither keptResult nor minStones.
  const kept = (f: PerfectPlayResult) => (typeof f.keptResult === 'number' ? ` from labelled positions with at least ${f.minStones} stones — kept the result in ${f.keptResult} of ${f.games} games against perfect play` : '');
  const finalBlock = finalRows.length
    ? `<h2>Against perfect play</h2>${table(finalRows.map((f) => [f.agent, `${f.games} games: ${f.wins} wins, ${f.draws} draws, ${f.losses} losses${kept(f)}`] as [string, string]))}`
    : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>arbor run ${escapeHtml(basename(folder.dir))}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px}figure{display:inline-block;margin:.5em}
table{border-collapse:collapse}th,td{text-align:left;padding:.2em .8em;border-bottom:1px solid #ddd}pre{background:#f6f6f6;padding:1em;overflow:auto}</style>
</head><body>
<h1>arbor training run: ${escapeHtml(basename(folder.dir))}</h1>
${table(summary)}
${finalBlock}
${actorBlock}
${svgs.join('\n') || '<p>No metrics yet.</p>'}
${evalBlock}
<h2>Config</h2><pre>${escapeHtml(JSON.stringify(manifest.config, null, 2))}</pre>
</body></html>
`;
  await writeFileAtomic(folder.reportPath, html);
  return folder.reportPath;
}
