import { ArborError, type Evaluator, type Game, type ModelLoadOptions } from '../core/index.js';
import { loadModelEvaluator, readCheckpointMeta } from '../networks/index.js';
import { Libraries, type LibraryLocations } from './library-paths.js';
import { netCheckpointDir } from './library-networks.js';

/** The evaluator of `lib:NAME`: the net entry NAME, played by ONNX Runtime from its stored checkpoint. */
export async function loadLibraryNet(ref: string, game: Game, options: ModelLoadOptions = {}, locations: LibraryLocations = {}): Promise<Evaluator> {
  const name = ref.replace(/^lib:/, '');
  if (name === '') throw new ArborError(`model=${ref} names no entry; write lib:NAME with a net entry from arbor library list`);
  const libraries = new Libraries(locations);
  let dir: string;
  try {
    dir = netCheckpointDir(libraries.get(name));
  } finally {
    libraries.close();
  }
  const meta = await readCheckpointMeta(dir);
  if (meta.game.id !== game.id) {
    throw new ArborError(`lib:${name} is a net for ${meta.game.spec}, not ${game.spec}; play it on a ${meta.game.id} game, or build a ${game.id} net from its modules`);
  }
  return loadModelEvaluator(dir, game, { threads: options.threads ?? 1, symmetric: options.symmetric });
}
