import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CheckpointFile } from '../networks/index.js';

/**
 * What a training run folder says about one of its checkpoints: the self-play games and positions
 * that went into it and the latest evaluation at or before it. Read from the run's metrics.jsonl
 * (one JSON object per line, written by the self-play layer, which sits above this one and so is
 * not imported: only the few fields read here are relied on).
 */
export interface RunFigures {
  readonly games: number | null;
  readonly positions: number | null;
  /** `{evaluation: {...}}` (and `final` when the run's closing test was of this checkpoint), or {}. */
  readonly measured: Record<string, unknown>;
}

type Row = Record<string, unknown>;

function readRows(path: string): Row[] {
  if (!existsSync(path)) return [];
  const rows: Row[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const row: unknown = JSON.parse(line);
      if (typeof row === 'object' && row !== null && !Array.isArray(row)) rows.push(row as Row);
    } catch {
      // A line torn by a killed run: the rows before it still count.
    }
  }
  return rows;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Figures for checkpoint `checkpointDir` (its real path: `latest` resolved) of run folder `run`. */
export function readRunFigures(run: string, checkpointDir: string, meta: CheckpointFile): RunFigures {
  const rows = readRows(join(run, 'metrics.jsonl'));
  const iteration = num(meta.meta.iteration);
  const name = basename(checkpointDir);
  const atOrBefore = (r: Row) => iteration === null || (num(r.iteration) ?? Infinity) <= iteration;
  const iterationRow = rows.filter((r) => r.type === 'iteration' && (iteration === null || r.iteration === iteration)).at(-1);
  const evaluations = rows.filter((r) => r.type === 'evaluation');
  const evaluation = evaluations.filter((r) => r.checkpoint === name).at(-1) ?? evaluations.filter(atOrBefore).at(-1);
  const final = rows.filter((r) => r.type === 'final' && iteration !== null && r.iteration === iteration).at(-1);
  const measured: Record<string, unknown> = {};
  if (evaluation) {
    const { type: _type, ...figures } = evaluation;
    measured.evaluation = figures;
  }
  if (final) measured.final = { iteration: final.iteration, games: final.games, results: final.results };
  return {
    games: num(iterationRow?.games) ?? num(meta.meta.games),
    positions: num(iterationRow?.positions),
    measured,
  };
}
