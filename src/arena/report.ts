import type { ArenaReport } from './arena.js';
import type { GameRecord } from './records.js';
import type { ReplayStep } from './replay.js';

/** Text renderings of arena results for people (the CLI prints these; scripts use --json). */

function signed(x: number): string {
  const r = Math.round(x);
  return r > 0 ? `+${r}` : String(r);
}

function rateText(x: number): string {
  return x >= 10 ? x.toFixed(1) : x.toPrecision(2);
}

function table(rows: string[][], alignRight: (col: number) => boolean): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (alignRight(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n');
}

/** The JSON object of `arbor arena --json` (specs exactly as given). */
export function reportJson(report: ArenaReport): object {
  const round1 = (x: number) => Math.round(x * 10) / 10;
  return {
    agents: report.agents.map((a) => ({
      spec: a.spec,
      elo: round1(a.elo),
      ci95: [round1(a.ci95[0]), round1(a.ci95[1])],
      wins: a.wins,
      draws: a.draws,
      losses: a.losses,
    })),
    pairs: report.pairs.map((p) => ({ a: p.a, b: p.b, aWins: p.aWins, draws: p.draws, bWins: p.bWins })),
  };
}

export function formatReport(report: ArenaReport, workers: number): string {
  const lines: string[] = [];
  const secs = report.elapsedMs / 1000;
  lines.push(
    `${report.game}: ${report.gamesPlayed} games this run (${report.gamesRated} rated), seed ${report.seed}, ` +
      `${workers === 0 ? 'main thread' : `${workers} worker${workers === 1 ? '' : 's'}`}, ${secs.toFixed(1)} s (${rateText(report.gamesPlayed / Math.max(secs, 1e-9))} games/s)`,
  );
  if (report.recordsPath) lines.push(`records: ${report.recordsPath} (run ${report.runId})`);
  lines.push('');
  const order = report.agents.map((a, k) => ({ a, k })).sort((x, y) => y.a.elo - x.a.elo);
  const rows: string[][] = [['rank', 'agent', 'Elo', '95% CI', 'W', 'D', 'L', 'games']];
  order.forEach(({ a }, rank) => {
    const anchor = a.spec === report.anchor;
    rows.push([
      String(rank + 1),
      a.name === a.spec ? a.spec : `${a.name} (${a.spec})`,
      anchor ? '0' : signed(a.elo),
      anchor ? 'anchor' : `[${signed(a.ci95[0])}, ${signed(a.ci95[1])}]`,
      String(a.wins),
      String(a.draws),
      String(a.losses),
      String(a.games),
    ]);
  });
  lines.push(table(rows, (c) => c !== 1 && c !== 3));
  lines.push(`Elo relative to ${report.anchor} (= 0); a draw counts half a win; 95% intervals from the observed Fisher information.`);
  lines.push('');
  lines.push('pairwise: wins-draws-losses of the row agent against the column agent');
  const n = report.agents.length;
  const cell = (i: number, j: number): string => {
    if (i === j) return '-';
    const [a, b] = i < j ? [i, j] : [j, i];
    const p = report.pairs.find((x) => x.a === report.agents[a].spec && x.b === report.agents[b].spec);
    if (!p) return '0-0-0';
    return i < j ? `${p.aWins}-${p.draws}-${p.bWins}` : `${p.bWins}-${p.draws}-${p.aWins}`;
  };
  const pairRows: string[][] = [['', '', ...report.agents.map((_, k) => String(k + 1))]];
  for (let i = 0; i < n; i++) pairRows.push([String(i + 1), report.agents[i].name, ...Array.from({ length: n }, (_, j) => cell(i, j))]);
  lines.push(table(pairRows, (c) => c !== 1));
  if (report.forfeits.length) {
    lines.push('');
    lines.push(`${report.forfeits.length} game(s) lost by forfeit:`);
    for (const f of report.forfeits.slice(0, 10)) lines.push(`  ${f.recordId === undefined ? '' : `game ${f.recordId}: `}${f.reason}`);
    if (report.forfeits.length > 10) lines.push(`  ... and ${report.forfeits.length - 10} more`);
  }
  return lines.join('\n');
}

function resultText(r: GameRecord): string {
  return r.result === 1 ? '1-0' : r.result === 0 ? '0-1' : '½-½';
}

export function formatGameList(records: readonly GameRecord[]): string {
  const rows: string[][] = [['id', 'first', 'second', 'result', 'reason', 'moves']];
  for (const r of records) rows.push([String(r.id), r.first, r.second, resultText(r), r.reason, r.moves]);
  return table(rows, (c) => c === 0);
}

export function formatReplay(record: GameRecord, steps: readonly ReplayStep[]): string {
  const lines: string[] = [];
  lines.push(`game ${record.id} (${record.game}, run ${record.runId}, ${record.createdAt})`);
  lines.push(`first:  ${record.first} (seed ${record.firstSeed}${record.firstMoveTimeMs ? `, ${record.firstMoveTimeMs} ms/move` : ''})`);
  lines.push(`second: ${record.second} (seed ${record.secondSeed}${record.secondMoveTimeMs ? `, ${record.secondMoveTimeMs} ms/move` : ''})`);
  lines.push(`opening: ${record.opening || '(none)'}; moves: ${record.moves}`);
  for (const s of steps) {
    lines.push('');
    lines.push(s.ply === 0 ? 'start' : `${s.ply}. ${s.move} (${s.by})`);
    lines.push(s.board);
  }
  lines.push('');
  lines.push(`result: ${resultText(record)}${record.reason === 'normal' ? '' : ` (${record.reason})`}; ${Math.round(record.durationMs)} ms`);
  return lines.join('\n');
}
