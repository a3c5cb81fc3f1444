/**
 * Public face of the transfer layer: the library of reusable learned pieces (whole networks and
 * their modules; programs, kind `program`), stored as content-addressed blobs with an SQLite index, found
 * by name in the user library and then the read-only starter library, and played as `lib:NAME`;
 * assembling a network for a new game from another's modules by role, and growing it (Net2Net).
 */

export {
  Library, verifiedEntryDir, checkEntryName, sha256,
  LIBRARY_FORMAT, LIBRARY_SCHEMA_VERSION, ENTRY_FORMAT, ENTRY_VERSION, INDEX_FILE, BLOBS_DIR,
  type LibraryEntry, type EntryInput, type EntryFiles, type LibraryOrigin, type AddOptions,
} from './library.js';
export { Libraries, userLibraryDir, starterLibraryDir, type LibraryLocations } from './library-paths.js';
export { addNetwork, getModuleWeights, netCheckpointDir, moduleEntryKind, NET_FILES, type AddNetworkOptions } from './library-networks.js';
export {
  addProgram, readProgram, readLibraryProgram, programEntry, PROGRAM_TEXT_FILE, PROGRAM_INFO_FILE, MAX_PROGRAM_CHARS,
  type ProgramInput, type LibraryProgram,
} from './library-programs.js';
export { copyEntries, entryInput, entryFiles } from './library-copy.js';
export { readRunFigures, type RunFigures } from './library-run-figures.js';
export { loadLibraryNet, readLibraryNet } from './library-model.js';
export {
  mapInputPlanes,
  mapActionKinds,
  roleMap,
  gameSignature,
  type MapRule,
  type PlaneDecision,
  type ActionDecision,
  type ActionKind,
  type ActionExtent,
  type RoleSignature,
  type RoleMapOptions,
  type RoleMap,
} from './role-map.js';
export { assembleNetwork, describeAssembly, sourceEncoding, resolveModuleNames, type NetworkInput, type ModuleDecision, type AssembleOptions, type AssembledNetwork } from './assemble.js';
export { growNetwork, type GrowOptions, type GrownNetwork } from './grow.js';
export { readNetwork, registerNetworkSource, networkSources, canonicalNetworkRef, type ResolvedNetwork, type NetworkSourceResolver } from './network-source.js';
export { warmStartNetwork, parseGrowSpec, type WarmStartSpec, type WarmStartRecord } from './warm-start.js';
import './register.js';
