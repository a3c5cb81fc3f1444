import { ArborError, closestName, type Game } from '../core/index.js';
import {
  PolicyValueModel, architectureFor, describeNetwork, loadModules, moduleWeights, policyHeadId, writeModuleWeights,
  type ModelConfig, type NetworkDescription, type NetworkWeights,
} from '../networks/index.js';
import { readNetwork } from './network-source.js';
import { gameSignature, roleMap, type ActionDecision, type PlaneDecision, type RoleMapOptions } from './role-map.js';

/**
 * A network for one game assembled from a network trained on another (or on another board size
 * of the same game): the source's architecture (its trunk width, depth and heads), the stem with
 * input planes mapped by role (role-map.ts; planes without a source get zero weights), the trunk
 * and the shared policy and value layers as they are, and one policy head per target action kind
 * taken from the source's head of the mapped kind (fresh where none maps). This is Soemers et
 * al.'s transfer between Ludii games (TMLR 2023) on arbor's size-independent networks: every
 * convolution is per-cell and the dense layers read pooled features, so the weights fit any board.
 *
 * What it preserves, exactly: on a target position, the trunk computes what the source's trunk
 * computes on the corresponding source position (`sourceEncoding`: each mapped target plane put in
 * its source plane's place), whatever the unmapped planes hold, since their stem weights are zero.
 * A head mapped by kind then gives the same per-cell logits, and the value head the same value.
 */

/** Where assembling starts: a reference (checkpoint folder, run folder, `lib:NAME`), plain weights, or a model. */
export type NetworkInput = string | NetworkWeights | PolicyValueModel;

export interface ModuleDecision {
  /** A module of the assembled network (`stem`, `trunk`, `policy`, `policy:KIND`, `value`, `ownership`). */
  readonly module: string;
  /** The source module it was loaded from, or null (freshly initialised). */
  readonly source: string | null;
  readonly text: string;
}

export interface AssembleOptions extends RoleMapOptions {
  /** Fields of the assembled model's config that differ from the source's (e.g. `seed`, `ownership`). */
  readonly config?: Partial<ModelConfig>;
}

export interface AssembledNetwork {
  readonly model: PolicyValueModel;
  readonly planes: readonly PlaneDecision[];
  readonly actions: readonly ActionDecision[];
  readonly modules: readonly ModuleDecision[];
  /** Where the source came from, in words. */
  readonly origin: string;
}

interface SourceNetwork extends NetworkWeights {
  readonly origin: string;
}

async function sourceOf(input: NetworkInput): Promise<SourceNetwork> {
  if (typeof input === 'string') return readNetwork(input);
  if (input instanceof PolicyValueModel) return { architecture: input.architecture, weights: input.readWeightsSync(), origin: 'a model in memory' };
  return { ...input, origin: 'network weights in memory' };
}

/** The assembled model's config: the source's, with `overrides`; a cells-value head is re-sized by architectureFor. */
function assembledConfig(source: ModelConfig, overrides: Partial<ModelConfig> | undefined): ModelConfig {
  const { valueCells: _cells, ...rest } = source;
  return { ...rest, ...overrides };
}

/**
 * Builds a model for `game` from `source` (see the file comment). Resolves with the model and the
 * decisions that made it: input planes, action kinds, and per module where its weights came from.
 */
export async function assembleNetwork(game: Game, input: NetworkInput, options: AssembleOptions = {}): Promise<AssembledNetwork> {
  const source = await sourceOf(input);
  const map = roleMap(source.architecture, gameSignature(game), options);
  const model = new PolicyValueModel(architectureFor(game, assembledConfig(source.architecture.config, options.config)));
  try {
    const modules: ModuleDecision[] = [];
    const sourceModules = new Set(describeNetwork(source.architecture).modules.map((m) => m.id));
    const load = async (id: string, detail: string): Promise<void> => {
      if (!sourceModules.has(id)) {
        modules.push({ module: id, source: null, text: `${id}: fresh (the source has no ${id} module)` });
        return;
      }
      try {
        await loadModules(model, source, [id], id === 'stem' ? { planeMap: map.sourceIndex } : {});
        modules.push({ module: id, source: id, text: `${id}: loaded${detail}` });
      } catch (e) {
        if (!(e instanceof ArborError)) throw e;
        modules.push({ module: id, source: null, text: `${id}: fresh (${e.message})` });
      }
    };
    const mapped = map.planes.filter((d) => d.sourceIndex >= 0).length;
    for (const module of model.description.modules) {
      if (module.kind === 'policy-head') continue;
      await load(module.id, module.id === 'stem' ? ` (${mapped} of ${map.planes.length} planes mapped by role, the others zero)` : '');
    }
    for (const action of map.actions) modules.push(loadHead(model, source, action));
    return { model, planes: map.planes, actions: map.actions, modules, origin: source.origin };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Loads the policy head of `action`'s source kind into the head of its target kind, or leaves it fresh. */
function loadHead(model: PolicyValueModel, source: SourceNetwork, action: ActionDecision): ModuleDecision {
  const id = policyHeadId(action.target);
  if (action.source === null) return { module: id, source: null, text: `${id}: fresh (${action.text})` };
  const from = policyHeadId(action.source);
  const head = moduleWeights(source, from);
  const into = model.description.modules.find((m) => m.id === id)!;
  // The head's weights are one output channel of the policy convolution (or one dense unit for a
  // global action) whatever its extent, so a place head serves a drop head as it is.
  writeModuleWeights(model, { ...head, id, writes: into.writes });
  return { module: id, source: from, text: `${id}: loaded from ${from} (${action.rule === 'exact' ? 'same kind' : action.text})` };
}

/** Every decision of an assembly as lines a person reads (planes, actions, modules). */
export function describeAssembly(assembled: Pick<AssembledNetwork, 'planes' | 'actions' | 'modules' | 'origin'>): string[] {
  return [
    `from ${assembled.origin}`,
    ...assembled.planes.map((d) => `  plane ${d.text}`),
    ...assembled.actions.map((d) => `  action ${d.text}`),
    ...assembled.modules.map((d) => `  module ${d.text}`),
  ];
}

/**
 * The source network's input for target positions: each mapped target plane copied to its source
 * plane's place, the source's other planes zero. `targetInputs` holds `count` positions of
 * `sourceIndex.length` planes x `cells`; the result `count` positions of `sourcePlanes` planes.
 */
export function sourceEncoding(sourceIndex: readonly number[], sourcePlanes: number, targetInputs: Float32Array, count: number, cells: number): Float32Array {
  const targetPlanes = sourceIndex.length;
  if (targetInputs.length < count * targetPlanes * cells) throw new ArborError(`target inputs hold ${targetInputs.length} values, fewer than ${count} positions of ${targetPlanes} planes x ${cells} cells`);
  const out = new Float32Array(count * sourcePlanes * cells);
  for (let n = 0; n < count; n++) {
    sourceIndex.forEach((s, t) => {
      if (s >= 0) out.set(targetInputs.subarray((n * targetPlanes + t) * cells, (n * targetPlanes + t + 1) * cells), (n * sourcePlanes + s) * cells);
    });
  }
  return out;
}

/** Module ids of `description` named by `names`: a module id (`trunk`, `policy:drop`) or a module kind (`value-head`, `policy-head`: every head). */
export function resolveModuleNames(description: NetworkDescription, names: readonly string[], what: string): string[] {
  const out: string[] = [];
  const known = [...new Set([...description.modules.map((m) => m.id), ...description.modules.map((m) => m.kind)])];
  for (const name of names) {
    const hits = description.modules.filter((m) => m.id === name || m.kind === name).map((m) => m.id);
    if (hits.length === 0) {
      const guess = closestName(name, known);
      throw new ArborError(`${what}: this network has no module "${name}";${guess ? ` did you mean ${guess}?` : ''} name modules or kinds among ${known.join(', ')}`);
    }
    for (const id of hits) if (!out.includes(id)) out.push(id);
  }
  return out;
}
