import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ArborError } from '../core/index.js';
import {
  describeNetwork, moduleWeights, readCheckpointWeights, resolveCheckpointDir,
  type CheckpointFile, type ModuleDescription, type ModuleKind, type ModuleWeights,
} from '../networks/index.js';
import { verifiedEntryDir, type EntryFiles, type EntryInput, type Library, type LibraryEntry } from './library.js';
import { readRunFigures } from './library-run-figures.js';

/**
 * Networks in the library: a checkpoint is stored whole (kind `net`, playable at once as
 * `lib:NAME`) and split into its modules (`NAME/stem`, `NAME/trunk`, `NAME/policy`,
 * `NAME/policy:KIND` per action kind, `NAME/value`, `NAME/ownership`), each its own entry, so a
 * later net can take a trunk from one game and a policy head from another.
 */

/** The checkpoint files a `net` entry keeps: enough to play (model.onnx) and to load into tfjs. The optimiser state is left out: a warm start begins a fresh optimiser. */
export const NET_FILES = ['meta.json', 'model.json', 'weights.bin', 'model.onnx'] as const;

const MODULE_FORMAT = 'arbor-module';
const MODULE_VERSION = 1;

interface ModuleFile {
  format: string;
  version: number;
  id: string;
  kind: ModuleKind;
  reads: string[];
  writes: ModuleDescription['writes'];
  config: ModuleWeights['config'];
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
}

/** Entry kind of a module: its module kind, a policy head by the action kind it writes. */
export function moduleEntryKind(module: Pick<ModuleWeights, 'kind' | 'writes'>): string {
  return module.kind === 'policy-head' ? `policy-head:${module.writes[0]?.name ?? 'unknown'}` : module.kind;
}

function moduleFiles(module: ModuleWeights): EntryFiles {
  const total = module.tensors.reduce((n, t) => n + t.data.length, 0);
  const flat = new Float32Array(total);
  const tensors: ModuleFile['tensors'] = [];
  let offset = 0;
  for (const t of module.tensors) {
    flat.set(t.data, offset);
    tensors.push({ name: t.name, shape: [...t.shape], offset, length: t.data.length });
    offset += t.data.length;
  }
  const file: ModuleFile = {
    format: MODULE_FORMAT, version: MODULE_VERSION, id: module.id, kind: module.kind, reads: [...module.reads], writes: [...module.writes], config: module.config, tensors,
  };
  return new Map([
    ['module.json', Buffer.from(`${JSON.stringify(file, null, 2)}\n`)],
    ['weights.bin', new Uint8Array(flat.buffer)],
  ]);
}

export interface AddNetworkOptions {
  /** Strength figures to record (merged over those read from the run's metrics.jsonl). */
  readonly measured?: Readonly<Record<string, unknown>>;
  /** Library entries the network was made from (e.g. the net it was warm-started from). */
  readonly parents?: readonly string[];
  /**
   * The games the network was trained on, when more than the checkpoint's own (a multi-size run):
   * each `{spec, rows, cols}`; recorded as the entry's games and sizes.
   */
  readonly trainedOn?: readonly { readonly spec: string; readonly rows: number; readonly cols: number }[];
  /** Details to keep with the net entry besides its game and action layout (the starter library keeps the recipe that built it). */
  readonly meta?: Readonly<Record<string, unknown>>;
  /** The run folder as recorded (default: its absolute path); a shipped library records it relative to the package. */
  readonly run?: string;
  /** Replace entries of the same names (Library.add's `replace`): a rebuild, in one transaction. */
  readonly replace?: boolean;
}

/** The run folder a checkpoint belongs to: the folder given, or RUN when the checkpoint is RUN/checkpoints/NAME. */
function runFolderOf(given: string, checkpointDir: string): string | null {
  const abs = resolve(given);
  if (abs !== checkpointDir) return abs;
  const parent = dirname(checkpointDir);
  if (basename(parent) === 'checkpoints') {
    const run = dirname(parent);
    if (existsSync(join(run, 'metrics.jsonl')) || existsSync(join(run, 'state.json'))) return run;
  }
  return null;
}

/**
 * Adds a network to `library`: `source` is a checkpoint folder or a run folder (its latest
 * checkpoint). Stores entry `name` (kind `net`) and one entry per module, `name/MODULE`. From a
 * run folder it records the self-play games and positions that went into the checkpoint and the
 * latest evaluation at or before it; lineage is the run folder. All entries are added or none.
 */
export async function addNetwork(library: Library, source: string, name: string, options: AddNetworkOptions = {}): Promise<LibraryEntry[]> {
  const checkpointDir = resolveCheckpointDir(source);
  const network = await readCheckpointWeights(checkpointDir);
  const meta: CheckpointFile = network.meta;
  for (const file of NET_FILES) {
    if (!existsSync(join(checkpointDir, file))) {
      throw new ArborError(`checkpoint ${checkpointDir} has no ${file}${file === 'model.onnx' ? `; create it with \`arbor export --checkpoint ${checkpointDir} --onnx ${join(checkpointDir, 'model.onnx')}\`` : '; save the checkpoint again'}`);
    }
  }
  const run = runFolderOf(source, checkpointDir);
  const figures = run ? readRunFigures(run, realpathSync(checkpointDir), meta) : null;
  const metaGames = typeof meta.meta.games === 'number' ? meta.meta.games : null;
  const measured = { ...(figures?.measured ?? {}), ...(options.measured ?? {}) };
  // A multi-game checkpoint lists its games itself (meta.games).
  const trainedOn = options.trainedOn ?? meta.games ?? [meta.game];
  const provenance = {
    games: trainedOn.map((g) => g.spec),
    sizes: trainedOn.map((g) => `${g.rows}x${g.cols}`),
    selfPlayGames: figures?.games ?? metaGames,
    selfPlayPositions: figures?.positions ?? null,
    run: options.run ?? run,
  };
  const description = describeNetwork(network.architecture);
  const netFiles = new Map<string, Uint8Array>(NET_FILES.map((f) => [f, readFileSync(join(checkpointDir, f))]));
  const net: EntryInput = {
    name,
    kind: 'net',
    reads: [...network.architecture.inputPlanes],
    writes: [...network.architecture.actionPlanes.map((p) => p.name), ...network.architecture.globalActions],
    architecture: { ...network.architecture.config },
    ...provenance,
    measured,
    parents: [...(options.parents ?? [])],
    meta: {
      ...(options.meta ?? {}),
      game: meta.game,
      actionLayout: meta.actionLayout,
      step: meta.step,
      modules: description.modules.map((m) => `${name}/${m.id}`),
    },
  };
  const entries: { input: EntryInput; files: EntryFiles }[] = [{ input: net, files: netFiles }];
  for (const m of description.modules) {
    const weights = moduleWeights(network, m.id);
    entries.push({
      input: {
        name: `${name}/${m.id}`,
        kind: moduleEntryKind(weights),
        reads: [...weights.reads],
        writes: weights.writes.map((w) => w.name),
        architecture: { ...weights.config },
        ...provenance,
        measured: {},
        parents: [name],
        meta: { module: m.id, writes: weights.writes, game: meta.game.spec },
      },
      files: moduleFiles(weights),
    });
  }
  return library.add(entries, { replace: options.replace });
}

const MODULE_KINDS = /^(stem|trunk|policy|policy-head:.+|value-head|ownership-head)$/;

/**
 * A module entry's weights, checked against their checksums, in the form writeModuleWeights and
 * loadModules take (ModuleWeights).
 */
export function getModuleWeights(entry: LibraryEntry): ModuleWeights {
  if (!MODULE_KINDS.test(entry.kind)) {
    const hint = entry.kind === 'net' ? `; its modules are ${String((entry.meta.modules as string[] | undefined)?.join(', ') ?? 'listed by arbor library list')}` : '';
    throw new ArborError(`library entry ${entry.name} is a ${entry.kind}, not a network module${hint}`);
  }
  const dir = verifiedEntryDir(entry);
  let file: ModuleFile;
  try {
    file = JSON.parse(readFileSync(join(dir, 'module.json'), 'utf8')) as ModuleFile;
  } catch {
    throw new ArborError(`library entry ${entry.name} has no readable module.json in ${dir}; remove it and add it again`);
  }
  if (file.format !== MODULE_FORMAT || file.version !== MODULE_VERSION) {
    throw new ArborError(`library entry ${entry.name} holds a module in format ${String(file.format)} version ${String(file.version)}, which this arbor does not read (it reads ${MODULE_FORMAT} version ${MODULE_VERSION}); remove it and add it again with this arbor`);
  }
  const bytes = readFileSync(join(dir, 'weights.bin'));
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const flat = new Float32Array(copy.buffer, 0, copy.length >> 2);
  const tensors = file.tensors.map((t) => {
    if (t.offset + t.length > flat.length) throw new ArborError(`library entry ${entry.name}: weights.bin is shorter than module.json says; remove it and add it again`);
    return { name: t.name, shape: t.shape, data: flat.slice(t.offset, t.offset + t.length) };
  });
  return { id: file.id, kind: file.kind, reads: file.reads, writes: file.writes, config: file.config, tensors };
}

/** A `net` entry's checkpoint folder (meta.json, model.json, weights.bin, model.onnx), checked against its checksums. */
export function netCheckpointDir(entry: LibraryEntry): string {
  if (entry.kind !== 'net') {
    throw new ArborError(`library entry ${entry.name} is a ${entry.kind}; give a net entry${entry.parents.length > 0 ? ` (e.g. ${entry.parents[0]}, which it came from)` : ''}`);
  }
  return verifiedEntryDir(entry);
}
