import onnxProto from 'onnx-proto';
import { writeFileAtomic } from '../core/index.js';
import { BN_EPSILON, INPUT, describeNetwork, type Architecture, type Layer } from './architecture.js';
import type { PolicyValueModel } from './model.js';
import { planeFix, requireSamePlanes } from './planes.js';

const { onnx } = onnxProto;

/**
 * Writes a model as an ONNX graph (opset 13) that ONNX Runtime runs in Node, browsers, Python or
 * C++: an interpreter of the model's description (architecture.ts), like the tfjs forward pass, so
 * a head described there is exported without code here. Batch norm is folded into the preceding convolution (W' = W*gamma/sigma,
 * b' = beta - mean*gamma/sigma), so inference is convolutions, ReLUs, adds and global pools only.
 * The input `input` is NCHW [batch, planes, rows, cols] with the batch AND the board size symbolic:
 * the network has no size-dependent weight (unless its value head reads `cells`), so one file
 * serves every board size of the family.
 * Outputs: `policy` [batch, numActions] raw logits in action-layout order; `value` [batch] in
 * [-1,1] for the player to move; for win/draw/loss heads also `wdl` [batch, 3] probabilities.
 */

export const ONNX_OPSET = 13;

type Weights = ReadonlyMap<string, Float32Array>;

class GraphBuilder {
  readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly constants = new Set<string>();
  private counter = 0;

  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  floats(name: string, dims: number[], data: Float32Array): string {
    const bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    this.initializers.push(onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes }));
    return name;
  }

  /** An int64 constant; the same name twice is the same constant. */
  ints(name: string, values: number[]): string {
    if (this.constants.has(name)) return name;
    this.constants.add(name);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push(onnx.TensorProto.create({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(data.buffer) }));
    return name;
  }

  node(op: string, inputs: string[], attrs: Record<string, number | number[]> = {}, output?: string): string {
    const out = output ?? this.fresh(op.toLowerCase());
    const attribute = Object.entries(attrs).map(([name, v]) =>
      Array.isArray(v)
        ? onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v })
        : onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: v }),
    );
    this.nodes.push(onnx.NodeProto.create({ opType: op, input: inputs, output: [out], name: this.fresh(`n_${op}`), attribute }));
    return out;
  }
}

/** tfjs [kh,kw,ci,co] -> ONNX [co,ci,kh,kw], each output channel multiplied by scale[co]. */
function convWeightToOnnx(w: Float32Array, kh: number, kw: number, ci: number, co: number, scale?: Float32Array): Float32Array {
  const out = new Float32Array(w.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) {
          out[((o * ci + i) * kh + y) * kw + x] = w[((y * kw + x) * ci + i) * co + o] * (scale ? scale[o] : 1);
        }
      }
    }
  }
  return out;
}

/** Dense [in, out] -> 1x1 conv weight [out, in, 1, 1]. */
function denseToConv(w: Float32Array, inDim: number, outDim: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let i = 0; i < inDim; i++) for (let o = 0; o < outDim; o++) out[o * inDim + i] = w[i * outDim + o];
  return out;
}

/** Dense [cells*channels, out] rows from cell-major (NHWC flatten) to channel-major (NCHW flatten) order. */
function cellMajorToChannelMajor(w: Float32Array, cells: number, channels: number, outDim: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let cell = 0; cell < cells; cell++) {
    for (let ch = 0; ch < channels; ch++) out.set(w.subarray((cell * channels + ch) * outDim, (cell * channels + ch + 1) * outDim), (ch * cells + cell) * outDim);
  }
  return out;
}

function get(weights: Weights, name: string): Float32Array {
  const w = weights.get(name);
  if (!w) throw new Error(`missing weight ${name}`);
  return w;
}

/** How a tensor of the description is laid out in the ONNX graph (NCHW where tfjs has NHWC). */
type Form =
  /** [N, C, H, W]. */
  | { readonly kind: 'map'; readonly channels: number }
  /** A vector kept as [N, C, 1, 1], so dense layers run as 1x1 convolutions and add to maps by broadcasting. */
  | { readonly kind: 'pooled' }
  /** A vector as [N, C]. */
  | { readonly kind: 'flat' }
  /** A map flattened NCHW (channel-major), where tfjs flattens NHWC (cell-major). */
  | { readonly kind: 'cells'; readonly cells: number; readonly channels: number };

/** The tensors `layer` reads. */
function layerInputs(layer: Layer): string[] {
  switch (layer.op) {
    case 'channelBias':
      return [layer.in, layer.bias];
    case 'add':
      return [...layer.in];
    case 'actionLogits':
      return layer.globals === undefined ? [layer.in] : [layer.in, layer.globals];
    default:
      return [layer.in];
  }
}

/** The layers the named outputs depend on, in execution order (the ownership head, a training target, drops out). */
function neededLayers(layers: readonly Layer[], outputs: readonly string[]): Layer[] {
  const needed = new Set(outputs);
  const kept: Layer[] = [];
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    if (!needed.has(layer.out) && !(layer.op === 'wdlValue' && needed.has(layer.probs))) continue;
    kept.push(layer);
    for (const input of layerInputs(layer)) needed.add(input);
  }
  return kept.reverse();
}

/** Builds the ONNX model bytes from a model's current weights: an interpreter of its description's layers. */
export async function onnxModelBytes(model: PolicyValueModel | { readonly architecture: Architecture; readonly weights: Weights }, weights?: Weights): Promise<Uint8Array> {
  // Plain weights (e.g. one game's view of a multi-game network) export without building a tfjs model.
  const W = weights ?? ('readWeights' in model ? await model.readWeights() : model.weights);
  const description = 'description' in model ? model.description : describeNetwork(model.architecture);
  const arch = description.architecture;
  const g = new GraphBuilder();
  const forms = new Map<string, Form>([[INPUT, { kind: 'map', channels: arch.inputPlanes.length }]]);
  const form = (name: string) => forms.get(name)!;
  const mapChannels = (name: string) => {
    const f = form(name);
    if (f.kind !== 'map') throw new Error(`ONNX export: ${name} is not a map`);
    return f.channels;
  };
  const flatShape = () => g.ints('shape_flat', [0, -1]);
  const vectorShape = () => g.ints('shape_vector', [-1]);

  const conv = (x: string, weight: string, bias: Float32Array, k: number, ci: number, co: number, out: string, scale?: Float32Array): string => {
    const wName = g.floats(`${weight}/W`, [co, ci, k, k], convWeightToOnnx(get(W, weight), k, k, ci, co, scale));
    const bName = g.floats(`${weight}/B`, [co], bias);
    const pad = (k - 1) >> 1;
    return g.node('Conv', [x, wName, bName], { kernel_shape: [k, k], pads: [pad, pad, k - 1 - pad, k - 1 - pad], strides: [1, 1] }, out);
  };

  for (const layer of neededLayers(description.layers, description.inferenceOutputs.map(([, tensor]) => tensor))) {
    switch (layer.op) {
      case 'convBn': {
        // Batch norm folded into the convolution: W' = W*gamma/sigma, b' = beta - mean*gamma/sigma.
        const { bn, outChannels: co } = layer;
        const gamma = get(W, `${bn}/gamma`);
        const beta = get(W, `${bn}/beta`);
        const mean = get(W, `${bn}/mean`);
        const variance = get(W, `${bn}/var`);
        const scale = new Float32Array(co);
        const bias = new Float32Array(co);
        for (let o = 0; o < co; o++) {
          scale[o] = gamma[o] / Math.sqrt(variance[o] + BN_EPSILON);
          bias[o] = beta[o] - mean[o] * scale[o];
        }
        const y = conv(layer.in, layer.conv, bias, layer.kernel, layer.inChannels, co, layer.relu ? g.fresh('conv') : layer.out, scale);
        if (layer.relu) g.node('Relu', [y], {}, layer.out);
        forms.set(layer.out, { kind: 'map', channels: co });
        break;
      }
      case 'conv':
        conv(layer.in, layer.weight, get(W, layer.bias), layer.kernel, layer.inChannels, layer.outChannels, layer.out);
        forms.set(layer.out, { kind: 'map', channels: layer.outChannels });
        break;
      case 'pool':
        // [N,C,H,W] -> [N,2C,1,1]: mean then max of every channel.
        g.node('Concat', [g.node('GlobalAveragePool', [layer.in]), g.node('GlobalMaxPool', [layer.in])], { axis: 1 }, layer.out);
        forms.set(layer.out, { kind: 'pooled' });
        break;
      case 'dense': {
        const { name, inDim, outDim } = layer;
        const input = form(layer.in);
        const out = layer.relu ? g.fresh('dense') : layer.out;
        if (input.kind === 'pooled') {
          // Dense on [N,in,1,1] features as a 1x1 conv -> [N,out,1,1].
          g.node('Conv', [layer.in, g.floats(`${name}/W`, [outDim, inDim, 1, 1], denseToConv(get(W, `${name}/w`), inDim, outDim)), g.floats(`${name}/B`, [outDim], get(W, `${name}/b`))], { kernel_shape: [1, 1] }, out);
        } else if (input.kind === 'flat' || input.kind === 'cells') {
          // A flattened map's weights are stored for tfjs's NHWC flattening (cell-major); ONNX flattens NCHW (channel-major).
          const w = input.kind === 'cells' ? cellMajorToChannelMajor(get(W, `${name}/w`), input.cells, input.channels, outDim) : get(W, `${name}/w`);
          g.node('Gemm', [layer.in, g.floats(`${name}/W`, [inDim, outDim], w), g.floats(`${name}/B`, [outDim], get(W, `${name}/b`))], {}, out);
        } else {
          throw new Error(`ONNX export: dense layer ${name} reads a map`);
        }
        if (layer.relu) g.node('Relu', [out], {}, layer.out);
        forms.set(layer.out, input.kind === 'pooled' ? { kind: 'pooled' } : { kind: 'flat' });
        break;
      }
      case 'channelBias': {
        const bias = form(layer.bias).kind === 'pooled' ? layer.bias : g.node('Reshape', [layer.bias, g.ints('shape_pooled', [0, -1, 1, 1])]);
        g.node('Add', [layer.in, bias], {}, layer.out);
        forms.set(layer.out, form(layer.in));
        break;
      }
      case 'add': {
        const sum = g.node('Add', [...layer.in], {}, layer.relu ? undefined : layer.out);
        if (layer.relu) g.node('Relu', [sum], {}, layer.out);
        forms.set(layer.out, form(layer.in[0]));
        break;
      }
      case 'flatten': {
        const input = form(layer.in);
        if (input.kind === 'flat') {
          g.node('Identity', [layer.in], {}, layer.out);
          forms.set(layer.out, input);
        } else {
          g.node('Flatten', [layer.in], { axis: 1 }, layer.out);
          if (input.kind === 'map') {
            if (layer.cells === undefined) throw new Error(`ONNX export: flattening the map ${layer.in} needs a fixed board size`);
            forms.set(layer.out, { kind: 'cells', cells: layer.cells, channels: mapChannels(layer.in) });
          } else {
            forms.set(layer.out, { kind: 'flat' });
          }
        }
        break;
      }
      case 'actionLogits': {
        const planes = layer.in;
        const A = layer.planes.length;
        const parts: string[] = [];
        if (layer.planes.every((pl) => pl.extent === 'cell')) {
          parts.push(g.node('Reshape', [planes, flatShape()]));
        } else {
          layer.planes.forEach((pl, i) => {
            // With one action plane (Connect Four's `drop`) the slice would copy the whole tensor for nothing.
            const one = A === 1 ? planes : g.node('Slice', [planes, g.ints(`slice_start_${i}`, [i]), g.ints(`slice_end_${i}`, [i + 1]), g.ints(`slice_axes_${i}`, [1])]);
            const reduced = pl.extent === 'cell' ? one : g.node('ReduceMean', [one], { axes: [2], keepdims: 0 });
            parts.push(g.node('Reshape', [reduced, flatShape()]));
          });
        }
        if (layer.globals !== undefined) parts.push(form(layer.globals).kind === 'flat' ? layer.globals : g.node('Reshape', [layer.globals, flatShape()]));
        if (parts.length === 1) g.node('Identity', [parts[0]], {}, layer.out);
        else g.node('Concat', parts, { axis: 1 }, layer.out);
        forms.set(layer.out, { kind: 'flat' });
        break;
      }
      case 'tanhValue':
        g.node('Reshape', [g.node('Tanh', [layer.in]), vectorShape()], {}, layer.out);
        forms.set(layer.out, { kind: 'flat' });
        break;
      case 'wdlValue': {
        const probs = g.node('Softmax', [layer.in], { axis: 1 }, layer.probs);
        const winMinusLoss = g.node('MatMul', [probs, g.floats('wdl_to_value', [3, 1], Float32Array.from([1, 0, -1]))]);
        g.node('Reshape', [winMinusLoss, vectorShape()], {}, layer.out);
        forms.set(layer.probs, { kind: 'flat' });
        forms.set(layer.out, { kind: 'flat' });
        break;
      }
      case 'cellLogits':
        g.node('Reshape', [layer.in, flatShape()], {}, layer.out);
        forms.set(layer.out, { kind: 'flat' });
        break;
    }
  }

  const floatType = onnx.TensorProto.DataType.FLOAT;
  const tensorType = (dims: (number | string)[]) => ({
    tensorType: { elemType: floatType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } },
  });
  const outputDims: Record<string, (number | string)[]> = { policy: ['batch', 'actions'], value: ['batch'], wdl: ['batch', 3] };
  const outputs = description.inferenceOutputs.map(([name, tensor]) => {
    if (name !== tensor) g.node('Identity', [tensor], {}, name);
    return onnx.ValueInfoProto.create({ name, type: tensorType(outputDims[name] ?? ['batch', name]) });
  });
  const graph = onnx.GraphProto.create({
    name: 'arbor-policy-value',
    node: g.nodes,
    initializer: g.initializers,
    input: [onnx.ValueInfoProto.create({ name: INPUT, type: tensorType(['batch', arch.inputPlanes.length, 'rows', 'cols']) })],
    output: outputs,
  });
  const modelProto = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'arbor',
    producerVersion: '0.1.0',
    graph,
    metadataProps: [
      { key: INPUT_PLANES_KEY, value: arch.inputPlanes.join(',') },
      { key: 'arbor.actionPlanes', value: arch.actionPlanes.map((a) => `${a.name}:${a.extent}`).join(',') },
      { key: 'arbor.globalActions', value: arch.globalActions.join(',') },
    ],
  });
  return onnx.ModelProto.encode(modelProto).finish();
}

/** The ONNX metadata key holding the input plane names, comma-separated. */
export const INPUT_PLANES_KEY = 'arbor.inputPlanes';

/** The input plane names an arbor ONNX file records, or undefined for a file without them (not written by arbor). */
export function onnxInputPlanes(bytes: Uint8Array): string[] | undefined {
  const entry = onnx.ModelProto.decode(bytes).metadataProps.find((p) => p.key === INPUT_PLANES_KEY);
  return entry?.value ? entry.value.split(',') : undefined;
}

/** Exports `model` to an ONNX file at `path` (written atomically). `game` is checked against the model. */
export async function exportOnnx(model: PolicyValueModel, game: { encoding: { planes: readonly string[] }; spec: string }, path: string): Promise<void> {
  requireSamePlanes(model.architecture.inputPlanes, game.encoding.planes, 'the model', game.spec, planeFix(game.spec));
  await writeFileAtomic(path, await onnxModelBytes(model));
}
