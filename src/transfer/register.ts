import { registerModelLoader } from '../core/index.js';
import { registerNetworkSource } from './network-source.js';

/**
 * Model references `lib:NAME`: a `net` entry of the library (the user library — $ARBOR_LIBRARY,
 * default ~/.arbor/library — first, then the starter library), run by ONNX Runtime from the
 * entry's stored checkpoint after its files are checked against their checksums. The library
 * and networks modules are imported only when such a model is asked for.
 */
registerModelLoader(
  {
    scheme: 'lib',
    description: 'lib:NAME, a net entry of the library ($ARBOR_LIBRARY or ~/.arbor/library, then the starter library)',
    load: async (ref, game, options) => {
      const { loadLibraryNet } = await import('./library-model.js');
      return loadLibraryNet(ref, game, options);
    },
  },
  import.meta.url,
);

// `arbor train --init-from lib:NAME` (and assembleNetwork): a net entry's architecture and weights.
registerNetworkSource({
  scheme: 'lib',
  description: 'lib:NAME, a net entry of the library ($ARBOR_LIBRARY or ~/.arbor/library, then the starter library)',
  read: async (ref) => {
    const { readLibraryNet } = await import('./library-model.js');
    return readLibraryNet(ref);
  },
});
