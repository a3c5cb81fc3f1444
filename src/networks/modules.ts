import { ArborError, closestName } from '../core/index.js';
import { describeNetwork, type ModelConfig, type ModuleDescription, type ModuleKind, type NetworkDescription } from './architecture.js';
import { readCheckpointWeights, type NetworkWeights } from './checkpoint.js';
import type { PolicyValueModel } from './model.js';
import { mapPlanes, planeMappingOf, type PlaneMapping } from './planes.js';

/**
 * A network's weights by module (architecture.ts: `stem`, `trunk`, `policy`, `policy:KIND`,
 * `value`, `ownership`): read one module's weights out of a network, and write them into another
 * network — of the same game, or of another game whose input planes are mapped by name. This is
 * how a net for a new game starts from what another game's net learned (Soemers et al., TMLR
 * 2023: transfer between games through named input and action channels): its trunk carries over
 * whole, its stem plane by plane, its policy heads action kind by action kind.
 */

/** One tensor of a module: a whole parameter, or (policy heads) the head's index of a shared one. */
export interface ModuleTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A module's weights, with what it reads and writes and the config values that shape it. */
export interface ModuleWeights {
  readonly id: string;
  readonly kind: ModuleKind;
  /** Input planes (the stem), by name: the order of the stem kernel's plane axis. */
  readonly reads: readonly string[];
  /** Action kinds (a policy head). */
  readonly writes: ModuleDescription['writes'];
  /** The model config values this module's shapes depend on. */
  readonly config: Partial<ModelConfig>;
  readonly tensors: readonly ModuleTensor[];
}

/** Where modules are read from: a model, or plain weights (readCheckpointWeights); loadModules also takes a checkpoint or run folder. */
export type ModuleSource = PolicyValueModel | NetworkWeights;

export interface LoadModulesOptions {
  /**
   * For the stem: the source plane feeding each target plane (-1: none, its weights are zero), as
   * mapPlanes returns it or as plain indices. Default: mapPlanes(source planes, target planes),
   * planes matched by name.
   */
  readonly planeMap?: PlaneMapping | readonly number[];
}

export interface ModuleLoadReport {
  /** The modules written, in the order given. */
  readonly loaded: readonly string[];
  /** How the stem's planes were mapped (when the stem was loaded). */
  readonly planes?: PlaneMapping;
}

/** The config values that shape each kind of module: a module fits another network when they agree. */
const SHAPING: Record<ModuleKind, readonly (keyof ModelConfig)[]> = {
  stem: ['filters'],
  trunk: ['filters', 'blocks', 'poolEvery'],
  policy: ['filters', 'policyFilters'],
  'policy-head': ['policyFilters'],
  'value-head': ['filters', 'valueFilters', 'valueHidden', 'valueHead', 'valueInput', 'valueCells'],
  'ownership-head': ['valueFilters'],
};

function shapingConfig(kind: ModuleKind, config: ModelConfig): Partial<ModelConfig> {
  const out: Record<string, unknown> = {};
  for (const key of SHAPING[kind]) {
    // An absent valueInput is the pooled head (older configs leave it out).
    const value = key === 'valueInput' ? (config.valueInput ?? 'pool') : config[key];
    if (value !== undefined) out[key] = value;
  }
  return out as Partial<ModelConfig>;
}

function formatConfig(config: Partial<ModelConfig>): string {
  return Object.entries(config).map(([k, v]) => `${k}=${String(v)}`).join(', ');
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Index `index` along `axis` of a row-major tensor, as a tensor with 1 at that axis. */
function sliceAlong(data: Float32Array, shape: readonly number[], axis: number, index: number): Float32Array {
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) out.set(data.subarray((o * shape[axis] + index) * inner, (o * shape[axis] + index + 1) * inner), o * inner);
  return out;
}

/** Writes `part` (a tensor with 1 at `axis`) into index `index` along `axis` of `data`. */
function placeAlong(data: Float32Array, shape: readonly number[], axis: number, index: number, part: Float32Array): void {
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  for (let o = 0; o < outer; o++) data.set(part.subarray(o * inner, (o + 1) * inner), (o * shape[axis] + index) * inner);
}

/** Gathers indices along `axis`: output index t takes input index `from[t]`, or zeros for -1. */
export function gatherAlong(data: Float32Array, shape: readonly number[], axis: number, from: readonly number[]): { data: Float32Array; shape: number[] } {
  const outShape = shape.map((d, i) => (i === axis ? from.length : d));
  const out = new Float32Array(sizeOf(outShape));
  from.forEach((source, target) => {
    if (source >= 0) placeAlong(out, outShape, axis, target, sliceAlong(data, shape, axis, source));
  });
  return { data: out, shape: outShape };
}

function networkOf(source: ModuleSource): { description: NetworkDescription; weights: ReadonlyMap<string, Float32Array> } {
  if ('readWeightsSync' in source) return { description: source.description, weights: source.readWeightsSync() };
  return { description: describeNetwork(source.architecture), weights: source.weights };
}

function findModule(description: NetworkDescription, id: string, which: string): ModuleDescription {
  const found = description.modules.find((m) => m.id === id);
  if (found) return found;
  const ids = description.modules.map((m) => m.id);
  const guess = closestName(id, ids);
  throw new ArborError(`${which} network has no module "${id}";${guess ? ` did you mean ${guess}?` : ''} its modules: ${ids.join(', ')}`);
}

function moduleWeightsOf(network: { description: NetworkDescription; weights: ReadonlyMap<string, Float32Array> }, id: string): ModuleWeights {
  const { description, weights } = network;
  const module = findModule(description, id, 'the source');
  const specs = new Map(description.params.map((p) => [p.name, p]));
  const tensors = module.params.map((part) => {
    const whole = weights.get(part.name);
    if (!whole) throw new ArborError(`the source network's weights lack "${part.name}" (module ${id}); the checkpoint is corrupt`);
    const spec = specs.get(part.name)!;
    const data = part.slice ? sliceAlong(whole, spec.shape, part.slice.axis, part.slice.index) : whole.slice();
    return { name: part.name, shape: part.shape, data };
  });
  return { id, kind: module.kind, reads: module.reads, writes: module.writes, config: shapingConfig(module.kind, description.architecture.config), tensors };
}

/** One module's weights (copies) out of a model or plain network weights. */
export function moduleWeights(source: ModuleSource, id: string): ModuleWeights {
  return moduleWeightsOf(networkOf(source), id);
}

function checkPlaneMap(map: PlaneMapping | readonly number[], sourcePlanes: readonly string[], targetPlanes: readonly string[]): readonly number[] {
  const indices = 'sourceIndex' in map ? map.sourceIndex : map;
  if (indices.length !== targetPlanes.length) {
    throw new ArborError(`planeMap has ${indices.length} entries but the target network reads ${targetPlanes.length} planes (${targetPlanes.join(', ')}); give one source plane index (or -1) per target plane`);
  }
  indices.forEach((s, t) => {
    if (!Number.isInteger(s) || s < -1 || s >= sourcePlanes.length) {
      throw new ArborError(`planeMap entry ${t} (${targetPlanes[t]}) is ${String(s)}, not a source plane index in 0..${sourcePlanes.length - 1} or -1`);
    }
  });
  return indices;
}

/**
 * Writes a module's weights into `target` (a model of the same architecture family: the module's
 * shaping config values must agree). The stem is mapped plane by plane (LoadModulesOptions.planeMap,
 * by default by name): target planes with no source get zero weights, so on the planes both share
 * the target's stem computes exactly what the source's did. A policy head goes to the target's
 * head of the same action kind. Batch-norm statistics travel with their layer. Returns the plane
 * mapping used for a stem.
 */
export function writeModuleWeights(target: PolicyValueModel, module: ModuleWeights, options: LoadModulesOptions = {}): PlaneMapping | undefined {
  const updates = new Map<string, Float32Array>();
  const mapping = prepareModule(target, module, options, target.readWeightsSync(), updates);
  target.writeWeights(updates);
  return mapping;
}

/**
 * Checks `module` against `target` and adds the parameter values that load it to `updates`
 * (shared tensors of several policy heads accumulate there); writes nothing.
 */
function prepareModule(target: PolicyValueModel, module: ModuleWeights, options: LoadModulesOptions, current: ReadonlyMap<string, Float32Array>, updates: Map<string, Float32Array>): PlaneMapping | undefined {
  const description = target.description;
  const into = findModule(description, module.id, 'the target');
  const targetConfig = shapingConfig(into.kind, target.config);
  const differs = Object.keys({ ...targetConfig, ...module.config }).filter((k) => targetConfig[k as keyof ModelConfig] !== module.config[k as keyof ModelConfig]);
  if (differs.length > 0) {
    throw new ArborError(`module ${module.id} was built with ${formatConfig(module.config)}, the target network has ${formatConfig(targetConfig)}; build the target with the module's ${differs.join(', ')} to load it`);
  }
  if (into.writes.length > 0 && module.writes.length > 0 && into.writes[0].extent !== module.writes[0].extent) {
    throw new ArborError(`policy head ${module.id} writes ${module.writes[0].extent} actions, the target's ${into.writes[0].extent} actions; a head only carries over to actions of the same extent`);
  }

  let mapping: PlaneMapping | undefined;
  let planeIndex: readonly number[] | undefined;
  if (into.reads.length > 0 || module.reads.length > 0) {
    if (options.planeMap) {
      planeIndex = checkPlaneMap(options.planeMap, module.reads, into.reads);
      mapping = 'sourceIndex' in options.planeMap ? options.planeMap : planeMappingOf(planeIndex, module.reads, into.reads);
    } else {
      mapping = mapPlanes(module.reads, into.reads);
      planeIndex = mapping.sourceIndex;
    }
  }

  const given = new Map(module.tensors.map((t) => [t.name, t]));
  const wanted = new Set(into.params.map((p) => p.name));
  const missing = into.params.filter((p) => !given.has(p.name)).map((p) => p.name);
  const extra = module.tensors.filter((t) => !wanted.has(t.name)).map((t) => t.name);
  if (missing.length > 0 || extra.length > 0) {
    const parts = [missing.length ? `lacks ${missing.join(', ')}` : '', extra.length ? `has ${extra.join(', ')} that the target does not` : ''].filter(Boolean);
    throw new ArborError(`module ${module.id} ${parts.join(' and ')}; it is from another kind of network or corrupt`);
  }

  const specs = new Map(description.params.map((p) => [p.name, p]));
  for (const part of into.params) {
    const tensor = given.get(part.name)!;
    const spec = specs.get(part.name)!;
    let data = tensor.data;
    let shape: readonly number[] = tensor.shape;
    if (spec.inputPlaneAxis !== undefined && planeIndex) {
      if (shape.length !== spec.shape.length || shape[spec.inputPlaneAxis] !== module.reads.length) {
        throw new ArborError(`module ${module.id}: ${part.name} has shape ${shape.join('x')}, which does not read its ${module.reads.length} planes; the module is corrupt`);
      }
      ({ data, shape } = gatherAlong(data, shape, spec.inputPlaneAxis, planeIndex));
    }
    if (shape.join('x') !== part.shape.join('x') || data.length !== sizeOf(part.shape)) {
      throw new ArborError(`module ${module.id}: ${part.name} has shape ${shape.join('x')}, the target needs ${part.shape.join('x')}; build the target with the module's ${formatConfig(module.config)}`);
    }
    if (part.slice) {
      const whole = updates.get(part.name) ?? current.get(part.name)!.slice();
      placeAlong(whole, spec.shape, part.slice.axis, part.slice.index, data);
      updates.set(part.name, whole);
    } else {
      updates.set(part.name, data.slice());
    }
  }
  return mapping;
}

/**
 * Loads modules `ids` of `source` (a model, plain weights, or a checkpoint or run folder) into
 * `target`; every other parameter of `target` keeps its value. E.g. the stem and trunk of a
 * Connect Four checkpoint into a fresh Gomoku model, whose heads stay freshly initialised:
 *   await loadModules(model, 'runs/c4/checkpoints/latest', ['stem', 'trunk'])
 * Load before creating the model's Trainer: an optimiser's state is per weight and starts fresh.
 */
export async function loadModules(target: PolicyValueModel, source: string | ModuleSource, ids: readonly string[], options: LoadModulesOptions = {}): Promise<ModuleLoadReport> {
  const network = networkOf(typeof source === 'string' ? await readCheckpointWeights(source) : source);
  if (ids.length === 0) throw new ArborError(`no modules to load; name some of: ${network.description.modules.map((m) => m.id).join(', ')}`);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new ArborError(`module ${id} is named twice; name each module once`);
    seen.add(id);
  }
  // Every module is read and checked before any is written, so a bad request leaves the target as it was.
  const current = target.readWeightsSync();
  const updates = new Map<string, Float32Array>();
  let planes: PlaneMapping | undefined;
  for (const id of ids) planes = prepareModule(target, moduleWeightsOf(network, id), options, current, updates) ?? planes;
  target.writeWeights(updates);
  return { loaded: [...ids], ...(planes ? { planes } : {}) };
}
