import { ArborError, type Evaluator, type Game, type ModelLoadOptions } from '../core/index.js';
import { loadModelEvaluator, readCheckpointMeta, readCheckpointWeights } from '../networks/index.js';
import { Libraries, type LibraryLocations } from './library-paths.js';
import { netCheckpointDir } from './library-networks.js';
import type { ResolvedNetwork } from './network-source.js';

/** The checked checkpoint folder of the net entry `lib:NAME`, and which library it was found in. */
function libraryNetDir(ref: string, locations: LibraryLocations): { name: string; dir: string; library: string } {
  const name = ref.replace(/^lib:/, '');
  if (name === '') throw new ArborError(`${ref} names no entry; write lib:NAME with a net entry from arbor library list`);
  const libraries = new Libraries(locations);
  try {
    const entry = libraries.get(name);
    return { name, dir: netCheckpointDir(entry), library: entry.library };
  } finally {
    libraries.close();
  }
}

/** The architecture and weights of the net entry `lib:NAME` (for `arbor train --init-from lib:NAME`). */
export async function readLibraryNet(ref: string, locations: LibraryLocations = {}): Promise<ResolvedNetwork> {
  const { name, dir, library } = libraryNetDir(ref, locations);
  const { meta, architecture, weights } = await readCheckpointWeights(dir);
  return { ref, architecture, weights, game: meta.game.spec, origin: `library entry ${name} (${library} library; ${meta.game.spec}, step ${meta.step})` };
}

/** The evaluator of `lib:NAME`: the net entry NAME, played by ONNX Runtime from its stored checkpoint. */
export async function loadLibraryNet(ref: string, game: Game, options: ModelLoadOptions = {}, locations: LibraryLocations = {}): Promise<Evaluator> {
  const { name, dir } = libraryNetDir(ref, locations);
  const meta = await readCheckpointMeta(dir);
  // A multi-game net (meta.games) plays each of its games, through that game's view of it.
  if (meta.games && !meta.games.some((g) => g.id === game.id)) {
    throw new ArborError(`lib:${name} is a net for ${meta.games.map((g) => g.spec).join(', ')}, not ${game.spec}; play it on one of those games, or build a ${game.id} net from its modules`);
  }
  if (!meta.games && meta.game.id !== game.id) {
    throw new ArborError(`lib:${name} is a net for ${meta.game.spec}, not ${game.spec}; play it on a ${meta.game.id} game, or build a ${game.id} net from its modules`);
  }
  return loadModelEvaluator(dir, game, { threads: options.threads ?? 1, symmetric: options.symmetric });
}
