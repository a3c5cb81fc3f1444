import { writeFileAtomic } from '../../core/index.js';
import type { RungResult } from './fitness.js';
import type { SynthResult } from './synthesize.js';

/** The JSON file `arbor synth --out` writes: the result with a format tag and version. */
export const SYNTH_RESULT_FORMAT = 'arbor-synth-result';
export const SYNTH_RESULT_VERSION = 1;

export function synthResultJson(result: SynthResult): Record<string, unknown> {
  return { format: SYNTH_RESULT_FORMAT, version: SYNTH_RESULT_VERSION, ...result };
}

/** Writes the result atomically (a reader never sees half a file). */
export async function writeSynthResult(path: string, result: SynthResult): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(synthResultJson(result), null, 2)}\n`);
}

function rungLine(r: RungResult): string {
  return `${r.opponent} ${(100 * r.score).toFixed(0)}% (${r.wins}-${r.draws}-${r.losses} in ${r.games})`;
}

/** The result as the terminal shows it: the best programs with their strength, then the search statistics. */
export function formatSynthResult(result: SynthResult): string {
  const s = result.stats;
  const lines: string[] = [];
  lines.push(`${result.game}: ${s.evaluated} programs evaluated (${s.evaluatedFromEnumeration} enumerated, ${s.evaluatedFromEvolution} evolved), ${s.gamesPlayed} games, ${(s.elapsedMs / 1000).toFixed(1)} s, seed ${result.seed}`);
  lines.push(`enumeration: ${s.enumerated} well-typed expressions formed, ${s.keptAfterEquivalence} kept after observational equivalence (sizes 1-${s.bySize.length}${s.enumerationComplete ? '' : ', stopped by its limit'}), ${s.seedPrograms} non-constant value programs`);
  lines.push(`by size: ${s.bySize.map((b) => `${b.size}: ${b.kept}/${b.enumerated}`).join(', ')}`);
  if (result.libraryFunctions.length > 0) lines.push(`library functions: ${result.libraryFunctions.join(', ')}`);
  result.best.forEach((p, i) => {
    lines.push('');
    lines.push(`#${i + 1} size ${p.size}, search fitness ${p.fitness.toFixed(2)} (${p.origin})`);
    lines.push(`   measured: ${p.measured.map(rungLine).join('; ')}`);
    for (const line of p.text.trimEnd().split('\n')) lines.push(`   ${line}`);
  });
  lines.push('');
  lines.push(`curve (evaluated, games, best fitness): ${result.curve.map((c) => `${c.evaluated}/${c.games}/${c.bestFitness.toFixed(2)}`).join(' ')}`);
  return lines.join('\n');
}
