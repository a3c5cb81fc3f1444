import { ArborError, type Game } from '../core/index.js';
import { addNetwork, checkEntryName, Library, userLibraryDir } from '../transfer/index.js';
import type { EvaluationRecord } from './metrics.js';

/**
 * `arbor train --publish NAME`: the run's final network goes into the user library as entry NAME
 * (kind net, plus its modules NAME/stem, NAME/trunk, ...), with the run's last evaluation as its
 * measured strength, so later runs can start from it (`--init-from lib:NAME`).
 */
export interface PublishOptions {
  name: string;
  /** The user library folder; default $ARBOR_LIBRARY, else ~/.arbor/library. */
  library?: string;
}

export interface Published {
  name: string;
  library: string;
  /** Every entry added: the net, then its modules. */
  entries: string[];
}

/** Refuses a bad or taken name before any training is done (a clash found at the end would waste the run). */
export function checkPublishName(o: PublishOptions): void {
  checkEntryName(o.name, '--publish name');
  const library = Library.open(userLibraryDir(o.library), 'user');
  try {
    if (library.find(o.name)) {
      throw new ArborError(`--publish ${o.name}: library ${library.dir} already has an entry ${o.name}; choose another name or remove it first (arbor library remove ${o.name})`);
    }
  } finally {
    library.close();
  }
}

/**
 * Adds the run's latest checkpoint to the library; `lastEvaluation` (this session's) is recorded
 * as measured, and every board size of a multi-size run (`games`) as the entry's games and sizes.
 */
export async function publishRun(runDir: string, o: PublishOptions, lastEvaluation: EvaluationRecord | null, games: readonly Game[] = []): Promise<Published> {
  const library = Library.open(userLibraryDir(o.library), 'user');
  try {
    const measured = lastEvaluation ? { evaluation: lastEvaluation } : {};
    const trainedOn = games.length > 1 ? games.map((g) => ({ spec: g.spec, rows: g.shape.rows, cols: g.shape.cols })) : undefined;
    const added = await addNetwork(library, runDir, o.name, { measured, ...(trainedOn ? { trainedOn } : {}) });
    return { name: o.name, library: library.dir, entries: added.map((e) => e.name) };
  } finally {
    library.close();
  }
}
