import { ArborError, type ActionPlane, type Game } from '../core/index.js';

/**
 * What a network is, described once. A fully-convolutional residual policy/value network
 * (AlphaZero: Silver et al., Science 2018) with KataGo's global-pooling bias (Wu 2019,
 * "Accelerating Self-Play Learning in Go", §3.2): some residual blocks and the policy head add a
 * per-channel bias computed from the mean and max of their features over the board. By default no
 * weight depends on the board size — convolutions are per-cell, the only dense layers read globally
 * pooled channels — so one set of weights runs on every board size of a game family; config
 * `valueInput: 'cells'` trades that for AlphaGo Zero's flattened value head on one board size.
 *
 * `describeNetwork` turns an Architecture into a NetworkDescription: its layers in execution order,
 * its parameters (names, shapes, initialisation, on-disk order) and its modules (stem, trunk,
 * policy, one policy head per action kind, value, ownership). The parameter list, the tfjs forward
 * pass (model.ts) and the ONNX exporter (onnx.ts) all read this description, so a new head is
 * written once, here, as layers.
 */

export interface ModelConfig {
  /** Channels of the residual trunk. */
  readonly filters: number;
  /** Residual blocks (two 3x3 convolutions each). */
  readonly blocks: number;
  /** Every `poolEvery`-th block (1-based: blocks poolEvery, 2*poolEvery, ...) gets a global-pooling bias; 0 = none. */
  readonly poolEvery: number;
  /** Channels of the 1x1 convolution that starts the policy head. */
  readonly policyFilters: number;
  /** Channels of the 1x1 convolution that starts the value head. */
  readonly valueFilters: number;
  /** Width of the value head's hidden dense layer. */
  readonly valueHidden: number;
  /**
   * What the value head's hidden layer reads. `pool` (default; absent in older checkpoints): the
   * mean and max of each value channel over the board, size-independent (KataGo). `cells`: every
   * cell's value channels, flattened (AlphaGo Zero's value head, Silver et al. 2017, "Methods"),
   * so the head can weigh where on the board a feature stands (in Connect Four the row of a
   * threat decides it); the weights then fit one board size, `valueCells`.
   */
  readonly valueInput?: 'pool' | 'cells';
  /** rows x cols of the board a `cells` value head was built for; set by architectureFor from the game. */
  readonly valueCells?: number;
  /** `tanh`: one value in [-1,1]; `wdl`: win/draw/loss logits, value = P(win) - P(loss). */
  readonly valueHead: 'tanh' | 'wdl';
  /**
   * KataGo's ownership head (Wu 2019, §4.1): a 1x1 convolution of the value head's features that
   * predicts, per cell, whose stone stands there at the end of the game (+1 the mover's, -1 the
   * opponent's, 0 empty). Only a training target: it gives the trunk a dense signal about how the
   * game goes on, and is left out of the ONNX export. Absent in older checkpoints (= false).
   */
  readonly ownership?: boolean;
  /** Seed of the weight initialisation. */
  readonly seed: number;
}

/** Everything needed to rebuild a model: its config and the game-facing shape of its inputs/outputs. */
export interface Architecture {
  readonly format: 'arbor-net';
  readonly version: 1;
  readonly config: ModelConfig;
  readonly inputPlanes: readonly string[];
  readonly actionPlanes: readonly ActionPlane[];
  readonly globalActions: readonly string[];
}

export const BN_EPSILON = 1e-3;

/** Defaults sized for this project's 2-core CPU target; tic-tac-toe needs far less. */
export function defaultModelConfig(game: Game): ModelConfig {
  const cells = game.shape.rows * game.shape.cols;
  if (cells <= 16) {
    return { filters: 32, blocks: 2, poolEvery: 2, policyFilters: 16, valueFilters: 16, valueHidden: 32, valueHead: 'tanh', seed: 1 };
  }
  return { filters: 64, blocks: 4, poolEvery: 2, policyFilters: 32, valueFilters: 32, valueHidden: 64, valueHead: 'tanh', seed: 1 };
}

export function validateConfig(c: ModelConfig): void {
  const ints: [keyof ModelConfig, number, number][] = [
    ['filters', 1, 1024], ['blocks', 0, 64], ['poolEvery', 0, 64], ['policyFilters', 1, 1024], ['valueFilters', 1, 1024], ['valueHidden', 1, 4096],
  ];
  for (const [key, lo, hi] of ints) {
    const v = c[key] as number;
    if (!Number.isInteger(v) || v < lo || v > hi) throw new ArborError(`model config ${key}=${String(v)} is not an integer in ${lo}..${hi}`);
  }
  if (c.valueHead !== 'tanh' && c.valueHead !== 'wdl') throw new ArborError(`model config valueHead="${String(c.valueHead)}"; use tanh or wdl`);
  if (c.valueInput !== undefined && c.valueInput !== 'pool' && c.valueInput !== 'cells') throw new ArborError(`model config valueInput="${String(c.valueInput)}"; use pool or cells`);
  if (c.valueInput === 'cells' && !(Number.isInteger(c.valueCells) && (c.valueCells as number) > 0)) {
    throw new ArborError(`model config valueInput="cells" needs valueCells (the board's rows x cols) as a positive integer, got ${String(c.valueCells)}`);
  }
  if (c.ownership !== undefined && typeof c.ownership !== 'boolean') throw new ArborError(`model config ownership=${String(c.ownership)}; use true or false`);
}

export function architectureFor(game: Game, config: ModelConfig): Architecture {
  const cells = game.shape.rows * game.shape.cols;
  if (config.valueInput === 'cells' && config.valueCells !== undefined && config.valueCells !== cells) {
    throw new ArborError(`model config valueCells=${String(config.valueCells)} does not match the ${game.shape.rows}x${game.shape.cols} board; leave valueCells out, it is set from the game`);
  }
  return {
    format: 'arbor-net',
    version: 1,
    config: config.valueInput === 'cells' ? { ...config, valueCells: cells } : { ...config },
    inputPlanes: [...game.encoding.planes],
    actionPlanes: game.actionLayout.planes.map((p) => ({ name: p.name, extent: p.extent })),
    globalActions: [...game.actionLayout.globals],
  };
}

/** The kinds of module a network is made of; a transfer library stores and reuses them one by one. */
export type ModuleKind = 'stem' | 'trunk' | 'policy' | 'policy-head' | 'value-head' | 'ownership-head';

/** Where a parameter lives: one module for the whole tensor, or one module per index along an axis. */
export type ParamOwner =
  | { readonly module: string }
  /** The policy output layers: index i along `axis` is the head of action kind i (module `policy:KIND`). */
  | { readonly axis: number; readonly modules: readonly string[] };

/** A named parameter: trainable weights, or batch-norm moving statistics (`.../mean`, `.../var`). */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly kind: 'weight' | 'bias' | 'gamma' | 'beta' | 'mean' | 'var';
  /** He-normal fan-in for weights. */
  readonly fanIn?: number;
  /**
   * Initial values: He-normal (He et al. 2015) for layers followed by ReLU; `he-small` (x0.1) for
   * output layers, so the first policies are near uniform and the first values near 0.
   */
  readonly init: 'he' | 'he-small' | 'zeros' | 'ones';
  readonly owner: ParamOwner;
  /** The axis indexed by input planes (the stem's convolution), mapped by plane name when loaded across games. */
  readonly inputPlaneAxis?: number;
}

/**
 * One layer. Tensors are named; `input` is the encoded position (NCHW as State.encode writes it).
 * A "map" has a value per cell and channel; a "vector" one per channel ([N, C]).
 */
export type Layer =
  /** Convolution ('same' padding, no bias), batch norm, optional ReLU: map -> map. */
  | { readonly op: 'convBn'; readonly in: string; readonly out: string; readonly conv: string; readonly bn: string; readonly kernel: number; readonly inChannels: number; readonly outChannels: number; readonly relu: boolean }
  /** Convolution with a bias ('same' padding): map -> map. */
  | { readonly op: 'conv'; readonly in: string; readonly out: string; readonly weight: string; readonly bias: string; readonly kernel: number; readonly inChannels: number; readonly outChannels: number }
  /** Mean and max of every channel over the board: map [C] -> vector [2C]. */
  | { readonly op: 'pool'; readonly in: string; readonly out: string }
  /** Dense layer (`name`/w [in, out], `name`/b [out]), optional ReLU: vector -> vector. */
  | { readonly op: 'dense'; readonly in: string; readonly out: string; readonly name: string; readonly inDim: number; readonly outDim: number; readonly relu: boolean }
  /** A map plus a vector as a per-channel bias (KataGo's global pooling bias). */
  | { readonly op: 'channelBias'; readonly in: string; readonly bias: string; readonly out: string }
  /** Residual sum of two maps, optional ReLU. */
  | { readonly op: 'add'; readonly in: readonly [string, string]; readonly out: string; readonly relu: boolean }
  /** A map flattened cell by cell (every cell's channels together) -> vector; `cells` fixes the board size. A vector passes through. */
  | { readonly op: 'flatten'; readonly in: string; readonly out: string; readonly cells?: number }
  /**
   * Policy logits in action-layout order: one map channel per action plane (`cell` planes: every
   * cell; `column` planes: the mean of each column, so Connect Four's drops fit any size), then
   * the global actions' logits (a vector), if any.
   */
  | { readonly op: 'actionLogits'; readonly in: string; readonly globals?: string; readonly planes: readonly ActionPlane[]; readonly out: string }
  /** One-unit vector -> tanh -> [N]. */
  | { readonly op: 'tanhValue'; readonly in: string; readonly out: string }
  /** Win/draw/loss logits -> softmax (`probs`) -> P(win) - P(loss) as [N]. */
  | { readonly op: 'wdlValue'; readonly in: string; readonly probs: string; readonly out: string }
  /** A one-channel map -> [N, rows*cols], cells in row-major order. */
  | { readonly op: 'cellLogits'; readonly in: string; readonly out: string };

export interface ModuleDescription {
  /** `stem`, `trunk`, `policy`, `policy:KIND` (one per action plane or global action), `value`, `ownership`. */
  readonly id: string;
  readonly kind: ModuleKind;
  /** Input planes it reads (the stem), by name. */
  readonly reads: readonly string[];
  /** Actions it writes logits for (a policy head: its kind; `column`/`cell` plane or `global` action). */
  readonly writes: readonly { readonly name: string; readonly extent: ActionPlane['extent'] | 'global' }[];
  /** Its parameters: whole tensors, or one index along an axis of a tensor shared with sibling heads. */
  readonly params: readonly ModuleParam[];
}

export interface ModuleParam {
  readonly name: string;
  /** The shape of this module's part (the parameter's shape with 1 at `slice.axis`). */
  readonly shape: readonly number[];
  readonly slice?: { readonly axis: number; readonly index: number };
}

/** The tensors a forward pass yields, by role. */
export interface NetworkOutputs {
  /** [N, numActions] raw logits in action-layout order. */
  readonly policy: string;
  /** [N] value in [-1,1] for the player to move. */
  readonly value: string;
  /** [N, 3] win/draw/loss logits and probabilities (valueHead `wdl`). */
  readonly wdlLogits?: string;
  readonly wdl?: string;
  /** [N, rows*cols] ownership logits (config `ownership`). */
  readonly ownership?: string;
  /** The trunk's output map, which every head reads. */
  readonly trunk: string;
}

export interface NetworkDescription {
  readonly architecture: Architecture;
  readonly inputPlanes: readonly string[];
  readonly actionPlanes: readonly ActionPlane[];
  readonly globalActions: readonly string[];
  /** Execution order. */
  readonly layers: readonly Layer[];
  /** The parameters in on-disk order (checkpoints store them so). */
  readonly params: readonly ParamSpec[];
  readonly modules: readonly ModuleDescription[];
  readonly outputs: NetworkOutputs;
  /** The outputs an inference graph (ONNX) carries, as [output name, tensor]. */
  readonly inferenceOutputs: readonly (readonly [string, string])[];
}

/** The input tensor's name in every description. */
export const INPUT = 'input';

function isPoolBlock(config: ModelConfig, block: number): boolean {
  return config.poolEvery > 0 && (block + 1) % config.poolEvery === 0;
}

/** Width of the value head's first dense layer: pooled mean+max per channel, or every cell's channels. */
function valueHeadInputs(config: ModelConfig): number {
  return config.valueInput === 'cells' ? (config.valueCells as number) * config.valueFilters : 2 * config.valueFilters;
}

/** Module id of the policy head for action kind `name`. */
export function policyHeadId(name: string): string {
  return `policy:${name}`;
}

/** Collects layers and their parameters in order, each parameter tagged with the module it belongs to. */
class DescriptionBuilder {
  readonly layers: Layer[] = [];
  readonly params: ParamSpec[] = [];
  module = '';

  private param(spec: Omit<ParamSpec, 'owner'>, owner?: ParamOwner): void {
    this.params.push({ ...spec, owner: owner ?? { module: this.module } });
  }

  private batchNormParams(name: string, c: number): void {
    this.param({ name: `${name}/gamma`, shape: [c], kind: 'gamma', init: 'ones' });
    this.param({ name: `${name}/beta`, shape: [c], kind: 'beta', init: 'zeros' });
    this.param({ name: `${name}/mean`, shape: [c], kind: 'mean', init: 'zeros' });
    this.param({ name: `${name}/var`, shape: [c], kind: 'var', init: 'ones' });
  }

  /** Convolution `name`/conv, batch norm `name`/bn (or the names given), optional ReLU. */
  convBn(input: string, out: string, names: string | { conv: string; bn: string }, kernel: number, inChannels: number, outChannels: number, relu: boolean, inputPlaneAxis?: number): string {
    const { conv, bn } = typeof names === 'string' ? { conv: `${names}/conv`, bn: `${names}/bn` } : names;
    this.param({ name: conv, shape: [kernel, kernel, inChannels, outChannels], kind: 'weight', fanIn: kernel * kernel * inChannels, init: 'he', ...(inputPlaneAxis === undefined ? {} : { inputPlaneAxis }) });
    this.batchNormParams(bn, outChannels);
    this.layers.push({ op: 'convBn', in: input, out, conv, bn, kernel, inChannels, outChannels, relu });
    return out;
  }

  /** A convolution with a bias; with `channelModules`, output channel i (its weights and bias) belongs to module channelModules[i]. */
  conv(input: string, out: string, weight: string, bias: string, kernel: number, inChannels: number, outChannels: number, init: 'he' | 'he-small', channelModules?: readonly string[]): string {
    this.param({ name: weight, shape: [kernel, kernel, inChannels, outChannels], kind: 'weight', fanIn: kernel * kernel * inChannels, init }, channelModules ? { axis: 3, modules: channelModules } : undefined);
    this.param({ name: bias, shape: [outChannels], kind: 'bias', init: 'zeros' }, channelModules ? { axis: 0, modules: channelModules } : undefined);
    this.layers.push({ op: 'conv', in: input, out, weight, bias, kernel, inChannels, outChannels });
    return out;
  }

  /** A dense layer; with `unitModules`, output unit i (its weights and bias) belongs to module unitModules[i]. */
  dense(input: string, out: string, name: string, inDim: number, outDim: number, relu: boolean, init: 'he' | 'he-small', unitModules?: readonly string[]): string {
    this.param({ name: `${name}/w`, shape: [inDim, outDim], kind: 'weight', fanIn: inDim, init }, unitModules ? { axis: 1, modules: unitModules } : undefined);
    this.param({ name: `${name}/b`, shape: [outDim], kind: 'bias', init: 'zeros' }, unitModules ? { axis: 0, modules: unitModules } : undefined);
    this.layers.push({ op: 'dense', in: input, out, name, inDim, outDim, relu });
    return out;
  }

  /** A map plus a dense map of its pooled features as a per-channel bias (KataGo's global pooling bias). */
  poolBias(input: string, out: string, name: string, channels: number): string {
    const pooled = this.push({ op: 'pool', in: input, out: `${name}/pooled` });
    const bias = this.dense(pooled, `${name}/bias`, name, 2 * channels, channels, false, 'he');
    return this.push({ op: 'channelBias', in: input, bias, out });
  }

  push(layer: Layer): string {
    this.layers.push(layer);
    return layer.out;
  }
}

/** Module ids of the policy heads, in action-layout order (action planes, then global actions). */
function policyHeadModules(arch: Architecture): { planes: string[]; globals: string[] } {
  const names = [...arch.actionPlanes.map((p) => p.name), ...arch.globalActions];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new ArborError(`action kind "${name}" is named twice in the action layout (${names.join(', ')}); each action plane and global action needs its own name`);
    seen.add(name);
  }
  return { planes: arch.actionPlanes.map((p) => policyHeadId(p.name)), globals: arch.globalActions.map(policyHeadId) };
}

/** The network an architecture stands for: layers, parameters and modules. */
export function describeNetwork(arch: Architecture): NetworkDescription {
  const cfg = arch.config;
  validateConfig(cfg);
  const { filters: F, policyFilters: CP, valueFilters: CV, valueHidden: VH } = cfg;
  const heads = policyHeadModules(arch);
  const b = new DescriptionBuilder();

  // Stem: the only layer that reads the game's planes (axis 2 of its kernel is indexed by them).
  b.module = 'stem';
  let x = b.convBn(INPUT, 'stem', 'stem', 3, arch.inputPlanes.length, F, true, 2);

  // Trunk: residual blocks of two 3x3 convolutions, some with a global-pooling bias in between.
  b.module = 'trunk';
  for (let i = 0; i < cfg.blocks; i++) {
    const block = `block${i}`;
    let h = b.convBn(x, `${block}/h1`, { conv: `${block}/conv1`, bn: `${block}/bn1` }, 3, F, F, true);
    if (isPoolBlock(cfg, i)) h = b.poolBias(h, `${block}/h1p`, `${block}/pool`, F);
    h = b.convBn(h, `${block}/h2`, { conv: `${block}/conv2`, bn: `${block}/bn2` }, 3, F, F, false);
    x = b.push({ op: 'add', in: [x, h], out: block, relu: true });
  }
  const trunk = x;

  // Policy: shared 1x1-conv features with a global-pooling bias; then one output channel per
  // action plane (module policy:KIND each) and, for global actions, a dense unit each on the pooled features.
  b.module = 'policy';
  const p = b.convBn(trunk, 'policy/features', 'policy', 1, F, CP, true);
  const pooledP = b.push({ op: 'pool', in: p, out: 'policy/pooled' });
  const pb = b.dense(pooledP, 'policy/bias', 'policy/pool', 2 * CP, CP, false, 'he');
  const p2 = b.push({ op: 'channelBias', in: p, bias: pb, out: 'policy/features+bias' });
  const planes = b.conv(p2, 'policy/planes', 'policy/out', 'policy/out/b', 1, CP, arch.actionPlanes.length, 'he-small', heads.planes);
  const globals = arch.globalActions.length > 0
    ? b.dense(pooledP, 'policy/globals', 'policy/global', 2 * CP, arch.globalActions.length, false, 'he-small', heads.globals)
    : undefined;
  const policy = b.push({ op: 'actionLogits', in: planes, ...(globals ? { globals } : {}), planes: arch.actionPlanes, out: 'policy' });

  // Value: pooled (or flattened) 1x1-conv features -> hidden -> tanh (or win/draw/loss).
  b.module = 'value';
  const vFeat = b.convBn(trunk, 'value/features', 'value', 1, F, CV, true);
  const valueIn = cfg.valueInput === 'cells'
    ? b.push({ op: 'flatten', in: vFeat, out: 'value/flat', cells: cfg.valueCells })
    : b.push({ op: 'flatten', in: b.push({ op: 'pool', in: vFeat, out: 'value/pooled' }), out: 'value/flat' });
  const hidden = b.dense(valueIn, 'value/hidden', 'value/fc1', valueHeadInputs(cfg), VH, true, 'he');
  const wdl = cfg.valueHead === 'wdl';
  const valueOut = b.dense(hidden, wdl ? 'value/wdl-logits' : 'value/logit', 'value/fc2', VH, wdl ? 3 : 1, false, 'he-small');
  const value = wdl
    ? b.push({ op: 'wdlValue', in: valueOut, probs: 'wdl', out: 'value' })
    : b.push({ op: 'tanhValue', in: valueOut, out: 'value' });

  // Ownership reads the value features (KataGo's ownership head hangs off its value head).
  let ownership: string | undefined;
  if (cfg.ownership === true) {
    b.module = 'ownership';
    const map = b.conv(vFeat, 'ownership/map', 'ownership/conv', 'ownership/b', 1, CV, 1, 'he-small');
    ownership = b.push({ op: 'cellLogits', in: map, out: 'ownership' });
  }

  const inferenceOutputs: [string, string][] = [['policy', policy], ['value', value]];
  if (wdl) inferenceOutputs.push(['wdl', 'wdl']);
  return {
    architecture: arch,
    inputPlanes: arch.inputPlanes,
    actionPlanes: arch.actionPlanes,
    globalActions: arch.globalActions,
    layers: b.layers,
    params: b.params,
    modules: groupModules(arch, b.params),
    outputs: { policy, value, trunk, ...(wdl ? { wdlLogits: valueOut, wdl: 'wdl' } : {}), ...(ownership ? { ownership } : {}) },
    inferenceOutputs,
  };
}

const MODULE_KINDS: Record<string, ModuleKind> = { stem: 'stem', trunk: 'trunk', policy: 'policy', value: 'value-head', ownership: 'ownership-head' };

/** Groups parameters (and per-head slices of shared ones) by module, in the order modules first appear. */
function groupModules(arch: Architecture, params: readonly ParamSpec[]): ModuleDescription[] {
  const byId = new Map<string, ModuleParam[]>();
  const add = (id: string, part: ModuleParam) => {
    let list = byId.get(id);
    if (!list) byId.set(id, (list = []));
    list.push(part);
  };
  for (const spec of params) {
    if ('module' in spec.owner) {
      add(spec.owner.module, { name: spec.name, shape: spec.shape });
    } else {
      const { axis, modules } = spec.owner;
      const shape = spec.shape.map((d, i) => (i === axis ? 1 : d));
      modules.forEach((id, index) => add(id, { name: spec.name, shape, slice: { axis, index } }));
    }
  }
  const writes = new Map<string, ModuleDescription['writes'][number]>();
  for (const p of arch.actionPlanes) writes.set(policyHeadId(p.name), { name: p.name, extent: p.extent });
  for (const g of arch.globalActions) writes.set(policyHeadId(g), { name: g, extent: 'global' });
  return [...byId].map(([id, parts]) => ({
    id,
    kind: MODULE_KINDS[id] ?? 'policy-head',
    reads: id === 'stem' ? arch.inputPlanes : [],
    writes: writes.has(id) ? [writes.get(id)!] : [],
    params: parts,
  }));
}
