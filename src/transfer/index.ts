/**
 * Public face of the transfer layer: the library of reusable learned pieces (whole networks and
 * their modules; programs later), stored as content-addressed blobs with an SQLite index, found
 * by name in the user library and then the read-only starter library, and played as `lib:NAME`.
 */

export {
  Library, verifiedEntryDir, checkEntryName, sha256,
  LIBRARY_FORMAT, LIBRARY_SCHEMA_VERSION, ENTRY_FORMAT, ENTRY_VERSION, INDEX_FILE, BLOBS_DIR,
  type LibraryEntry, type EntryInput, type EntryFiles, type LibraryOrigin,
} from './library.js';
export { Libraries, userLibraryDir, starterLibraryDir, type LibraryLocations } from './library-paths.js';
export { addNetwork, getModuleWeights, netCheckpointDir, moduleEntryKind, NET_FILES, type AddNetworkOptions } from './library-networks.js';
export { readRunFigures, type RunFigures } from './library-run-figures.js';
export { loadLibraryNet } from './library-model.js';
import './register.js';
