import { ArborError, createRng, type Rng } from '../core/index.js';
import { describeNetwork, initialValues, type Architecture, type Layer, type NetworkDescription, type NetworkWeights } from '../networks/index.js';

/**
 * Growing a trained network without changing what it computes (Net2Net: Chen, Goodfellow and
 * Shlens, ICLR 2016), so a small network trained on a small game becomes the starting point of a
 * larger one for a larger game.
 *
 * Wider (Net2WiderNet, §2.2): the trunk's F channels become F' by a mapping g from new to old
 * channels, g(j) = j for the first F and a seeded random old channel for the others. A layer that
 * writes trunk channels copies old channel g(j) into new channel j (its convolution's output
 * filters, its batch norm's gamma, beta and moving statistics); a layer that reads them gives
 * every copy of old channel i a share of i's outgoing weights, the shares summing to 1. The sum a
 * reader computes is then unchanged. The paper's shares are equal, 1/(number of copies), and it
 * adds noise to break the symmetry between copies (trading exactness for it): with equal shares,
 * copies receive equal gradients and stay copies forever. The default here, `split: 'random'`,
 * draws unequal shares instead: still exactly function-preserving, yet the copies' incoming
 * gradients differ from the first step, so they can learn different features.
 * Channels live in spaces: the residual stream (the stem's output, every block's second
 * convolution and sum) shares one mapping; each block's inner channels get their own.
 *
 * Deeper (Net2DeeperNet, §2.3): new residual blocks are appended after the last one. A block
 * computes relu(x + bn2(conv2(h))) with x already a ReLU output; with bn2's gamma and beta zero its
 * branch is exactly 0 in inference and in training (batch norm scales by gamma, then adds beta),
 * so the block is the identity, also through the global-pooling bias a pool block adds inside the
 * branch. It still trains: gamma and beta get gradients at once, and conv1, conv2 and the pool
 * layer are He-initialised, so what bn2 normalises is informative (the zero-gamma initialisation
 * of residual branches: Goyal et al. 2017, "Accurate, Large Minibatch SGD", §5.1). Zeroing conv2
 * instead would leave bn2 normalising a constant (zero variance), whose gradient is ill-defined.
 */

export interface GrowOptions {
  /** Trunk channels after growing (at least the current number). */
  readonly filters?: number;
  /** Residual blocks after growing (at least the current number). */
  readonly blocks?: number;
  /** Seed of the channel mapping, the shares and the new blocks' weights (default: the network's config seed). */
  readonly seed?: number | string;
  /** How copies of a channel share its outgoing weights: `random` (default) or Net2Net's `equal`. */
  readonly split?: 'random' | 'equal';
}

export interface GrownNetwork extends NetworkWeights {
  /** What was done, as lines a person reads. */
  readonly changes: readonly string[];
}

/** A channel space of the trunk: new channel j is a copy of old channel `from[j]`. */
interface Space {
  readonly from: readonly number[];
  /** Copies per old channel. */
  readonly copies: readonly number[];
}

type TensorSpace = { readonly map: Space } | { readonly pooled: Space } | null;

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function newSpace(oldWidth: number, newWidth: number, rng: Rng): Space {
  const from = Array.from({ length: newWidth }, (_, j) => (j < oldWidth ? j : rng.int(oldWidth)));
  const copies = new Array<number>(oldWidth).fill(0);
  for (const i of from) copies[i]++;
  return { from, copies };
}

/** Each new channel's share of its old channel's outgoing weights; the shares of one old channel sum to 1. */
function shares(space: Space, split: 'random' | 'equal', rng: Rng): Float32Array {
  const out = new Float32Array(space.from.length);
  if (split === 'equal') {
    space.from.forEach((i, j) => (out[j] = 1 / space.copies[i]));
    return out;
  }
  const raw = space.from.map((i) => (space.copies[i] === 1 ? 1 : 0.5 + rng.next()));
  const totals = new Array<number>(space.copies.length).fill(0);
  space.from.forEach((i, j) => (totals[i] += raw[j]));
  space.from.forEach((i, j) => (out[j] = raw[j] / totals[i]));
  return out;
}

/**
 * Reads `data` (a row-major tensor of `shape`) with axis `inAxis` gathered through `input` (scaled
 * by `inShares`) and axis `outAxis` through `output`; either may be absent (axis kept).
 */
function remap(data: Float32Array, shape: readonly number[], input?: { axis: number; from: readonly number[]; shares: Float32Array }, output?: { axis: number; from: readonly number[] }): { data: Float32Array; shape: number[] } {
  const newShape = shape.map((d, a) => (a === input?.axis ? input.from.length : a === output?.axis ? output.from.length : d));
  const strides = shape.map((_, a) => sizeOf(shape.slice(a + 1)));
  const out = new Float32Array(sizeOf(newShape));
  const index = new Array<number>(newShape.length).fill(0);
  for (let k = 0; k < out.length; k++) {
    let at = 0;
    let scale = 1;
    for (let a = 0; a < newShape.length; a++) {
      let i = index[a];
      if (a === input?.axis) {
        scale = input.shares[i];
        i = input.from[i];
      } else if (a === output?.axis) {
        i = output.from[i];
      }
      at += i * strides[a];
    }
    out[k] = data[at] * scale;
    for (let a = newShape.length - 1; a >= 0; a--) {
      if (++index[a] < newShape[a]) break;
      index[a] = 0;
    }
  }
  return { data: out, shape: newShape };
}

/** The pooled features of a space (mean of every channel, then max): 2F entries read through the space twice. */
function pooledSpace(space: Space, oldWidth: number): Space {
  const from = [...space.from, ...space.from.map((i) => i + oldWidth)];
  return { from, copies: [...space.copies, ...space.copies] };
}

function moduleOf(description: NetworkDescription, param: string): string {
  const spec = description.params.find((p) => p.name === param)!;
  return 'module' in spec.owner ? spec.owner.module : '';
}

/** Net2WiderNet on the trunk: `filters` channels, the network's function unchanged. */
function widen(network: NetworkWeights, filters: number, split: 'random' | 'equal', rng: Rng): { network: NetworkWeights; change: string } {
  const old = describeNetwork(network.architecture);
  const F = network.architecture.config.filters;
  const architecture: Architecture = { ...network.architecture, config: { ...network.architecture.config, filters } };
  const spaces = new Map<string, TensorSpace>();
  const spaceOf = (tensor: string): TensorSpace => spaces.get(tensor) ?? null;
  const residualFed = new Set(old.layers.filter((l): l is Extract<Layer, { op: 'add' }> => l.op === 'add').map((l) => l.in[1]));
  const biasOf = new Map(old.layers.filter((l): l is Extract<Layer, { op: 'channelBias' }> => l.op === 'channelBias').map((l) => [l.bias, l.in]));
  const residual = newSpace(F, filters, rng);
  const weights = new Map(network.weights);
  const mapVector = (name: string, space: Space) => weights.set(name, remap(network.weights.get(name)!, [F], undefined, { axis: 0, from: space.from }).data);

  for (const layer of old.layers) {
    switch (layer.op) {
      case 'convBn': {
        const input = spaceOf(layer.in);
        if (input && !('map' in input)) throw new ArborError(`cannot widen ${layer.conv}: it reads pooled features`);
        const module = moduleOf(old, layer.conv);
        const writesTrunk = module === 'stem' || module === 'trunk';
        const output = writesTrunk ? (module === 'stem' || residualFed.has(layer.out) ? residual : newSpace(F, filters, rng)) : undefined;
        const shape = old.params.find((p) => p.name === layer.conv)!.shape;
        weights.set(layer.conv, remap(network.weights.get(layer.conv)!, shape,
          input ? { axis: 2, from: input.map.from, shares: shares(input.map, split, rng) } : undefined,
          output ? { axis: 3, from: output.from } : undefined).data);
        if (output) {
          for (const part of ['gamma', 'beta', 'mean', 'var']) mapVector(`${layer.bn}/${part}`, output);
          spaces.set(layer.out, { map: output });
        }
        break;
      }
      case 'pool': {
        const input = spaceOf(layer.in);
        if (input && 'map' in input) spaces.set(layer.out, { pooled: pooledSpace(input.map, F) });
        break;
      }
      case 'dense': {
        const input = spaceOf(layer.in);
        const target = biasOf.get(layer.out);
        const outSpace = target === undefined ? null : spaceOf(target);
        const output = outSpace && 'map' in outSpace ? outSpace.map : undefined;
        if (!input && !output) break;
        if (input && !('pooled' in input)) throw new ArborError(`cannot widen ${layer.name}: it reads a map, not pooled features`);
        weights.set(`${layer.name}/w`, remap(network.weights.get(`${layer.name}/w`)!, [layer.inDim, layer.outDim],
          input ? { axis: 0, from: input.pooled.from, shares: shares(input.pooled, split, rng) } : undefined,
          output ? { axis: 1, from: output.from } : undefined).data);
        if (output) mapVector(`${layer.name}/b`, output);
        break;
      }
      case 'channelBias':
      case 'add':
        if (spaceOf(layer.op === 'add' ? layer.in[0] : layer.in)) spaces.set(layer.out, spaceOf(layer.op === 'add' ? layer.in[0] : layer.in));
        break;
      case 'conv': {
        const input = spaceOf(layer.in);
        if (!input) break;
        if (!('map' in input)) throw new ArborError(`cannot widen ${layer.weight}: it reads pooled features`);
        const shape = old.params.find((p) => p.name === layer.weight)!.shape;
        weights.set(layer.weight, remap(network.weights.get(layer.weight)!, shape, { axis: 2, from: input.map.from, shares: shares(input.map, split, rng) }).data);
        break;
      }
      default:
        if (spaceOf(layer.in)) throw new ArborError(`cannot widen the network: layer ${layer.out} (${layer.op}) reads trunk channels directly`);
    }
  }
  const added = residual.from.slice(F);
  return {
    network: { architecture, weights },
    change: `filters ${F} -> ${filters}: new residual channels ${F}..${filters - 1} copy channels ${added.join(', ')}; each block's inner channels copied likewise; copies share the outgoing weights (${split === 'equal' ? 'equally, as in Net2Net' : 'in random proportions, exact and symmetry-breaking'})`,
  };
}

/** Net2DeeperNet: identity residual blocks appended up to `blocks`. */
function deepen(network: NetworkWeights, blocks: number, rng: Rng): { network: NetworkWeights; change: string } {
  const B = network.architecture.config.blocks;
  const architecture: Architecture = { ...network.architecture, config: { ...network.architecture.config, blocks } };
  const grown = describeNetwork(architecture);
  const zeroed = new Set<string>();
  for (const layer of grown.layers) {
    // The convolution whose batch norm ends a residual branch (the add's second input).
    if (layer.op === 'add') {
      const branch = grown.layers.find((l) => l.out === layer.in[1]);
      if (branch?.op === 'convBn') zeroed.add(branch.bn);
    }
  }
  const weights = new Map<string, Float32Array>();
  for (const spec of grown.params) {
    const existing = network.weights.get(spec.name);
    if (existing) {
      weights.set(spec.name, existing);
      continue;
    }
    const values = initialValues(spec, sizeOf(spec.shape), rng);
    const bn = spec.name.slice(0, spec.name.lastIndexOf('/'));
    if (zeroed.has(bn) && (spec.kind === 'gamma' || spec.kind === 'beta')) values.fill(0);
    weights.set(spec.name, values);
  }
  const names = Array.from({ length: blocks - B }, (_, i) => `block${B + i}`);
  return { network: { architecture, weights }, change: `blocks ${B} -> ${blocks}: ${names.join(', ')} appended as the identity (the last batch norm of each residual branch starts with gamma = beta = 0)` };
}

/**
 * Grows `network` (see the file comment): wider to `filters` channels, then deeper to `blocks`
 * residual blocks. The result computes what `network` computes, up to float rounding of the shares.
 */
export function growNetwork(network: NetworkWeights, options: GrowOptions): GrownNetwork {
  const config = network.architecture.config;
  const filters = options.filters ?? config.filters;
  const blocks = options.blocks ?? config.blocks;
  const split = options.split ?? 'random';
  if (split !== 'random' && split !== 'equal') throw new ArborError(`grow split="${String(split)}"; use random or equal`);
  if (!Number.isInteger(filters) || filters < config.filters) throw new ArborError(`grow filters=${String(filters)}: growing keeps every channel, so give at least the network's ${config.filters}`);
  if (!Number.isInteger(blocks) || blocks < config.blocks) throw new ArborError(`grow blocks=${String(blocks)}: growing keeps every block, so give at least the network's ${config.blocks}`);
  const rng = createRng(`grow:${String(options.seed ?? config.seed)}`);
  let current: NetworkWeights = { architecture: network.architecture, weights: network.weights };
  const changes: string[] = [];
  if (filters > config.filters) {
    const wider = widen(current, filters, split, rng);
    current = wider.network;
    changes.push(wider.change);
  }
  if (blocks > config.blocks) {
    const deeper = deepen(current, blocks, rng);
    current = deeper.network;
    changes.push(deeper.change);
  }
  // Validates the grown config (e.g. filters above the largest allowed) with the usual error.
  describeNetwork(current.architecture);
  return { ...current, changes };
}
