import onnxProto from 'onnx-proto';
import { ArborError, writeFileAtomic } from '../core/index.js';
import { BN_EPSILON, isPoolBlock, valueHeadInputs, type PolicyValueModel } from './model.js';

const { onnx } = onnxProto;

/**
 * Writes a model as an ONNX graph (opset 13) that ONNX Runtime runs in Node, browsers, Python or
 * C++. Batch norm is folded into the preceding convolution (W' = W*gamma/sigma,
 * b' = beta - mean*gamma/sigma), so inference is convolutions, ReLUs, adds and global pools only.
 * The input `input` is NCHW [batch, planes, rows, cols] with the batch AND the board size symbolic:
 * the network has no size-dependent weight, so one file serves every board size of the family.
 * Outputs: `policy` [batch, numActions] raw logits in action-layout order; `value` [batch] in
 * [-1,1] for the player to move; for win/draw/loss heads also `wdl` [batch, 3] probabilities.
 */

export const ONNX_OPSET = 13;

type Weights = ReadonlyMap<string, Float32Array>;

class GraphBuilder {
  readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private counter = 0;

  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  floats(name: string, dims: number[], data: Float32Array): string {
    const bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    this.initializers.push(onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes }));
    return name;
  }

  ints(name: string, values: number[]): string {
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

/** Builds the ONNX model bytes from a model's current weights. */
export async function onnxModelBytes(model: PolicyValueModel, weights?: Weights): Promise<Uint8Array> {
  const W = weights ?? (await model.readWeights());
  const arch = model.architecture;
  const cfg = arch.config;
  const g = new GraphBuilder();
  const P = arch.inputPlanes.length;

  const convBn = (x: string, conv: string, bn: string, k: number, ci: number, co: number, relu: boolean): string => {
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
    const wName = g.floats(`${conv}/W`, [co, ci, k, k], convWeightToOnnx(get(W, conv), k, k, ci, co, scale));
    const bName = g.floats(`${conv}/B`, [co], bias);
    const pad = (k - 1) >> 1;
    const y = g.node('Conv', [x, wName, bName], { kernel_shape: [k, k], pads: [pad, pad, k - 1 - pad, k - 1 - pad], strides: [1, 1] });
    return relu ? g.node('Relu', [y]) : y;
  };
  /** [N,C,H,W] -> [N,2C,1,1]: mean then max of every channel. */
  const pool = (x: string) => g.node('Concat', [g.node('GlobalAveragePool', [x]), g.node('GlobalMaxPool', [x])], { axis: 1 });
  /** Dense on pooled [N,in,1,1] features as a 1x1 conv -> [N,out,1,1]. */
  const pooledDense = (pooled: string, name: string, inDim: number, outDim: number) =>
    g.node('Conv', [pooled, g.floats(`${name}/W`, [outDim, inDim, 1, 1], denseToConv(get(W, `${name}/w`), inDim, outDim)), g.floats(`${name}/B`, [outDim], get(W, `${name}/b`))], { kernel_shape: [1, 1] });

  const F = cfg.filters;
  let x = convBn('input', 'stem/conv', 'stem/bn', 3, P, F, true);
  for (let b = 0; b < cfg.blocks; b++) {
    let h = convBn(x, `block${b}/conv1`, `block${b}/bn1`, 3, F, F, true);
    if (isPoolBlock(cfg, b)) h = g.node('Add', [h, pooledDense(pool(h), `block${b}/pool`, 2 * F, F)]);
    h = convBn(h, `block${b}/conv2`, `block${b}/bn2`, 3, F, F, false);
    x = g.node('Relu', [g.node('Add', [x, h])]);
  }

  const CP = cfg.policyFilters;
  const A = arch.actionPlanes.length;
  const p = convBn(x, 'policy/conv', 'policy/bn', 1, F, CP, true);
  const pooledP = pool(p);
  const p2 = g.node('Add', [p, pooledDense(pooledP, 'policy/pool', 2 * CP, CP)]);
  const planes = g.node('Conv', [p2, g.floats('policy/out/W', [A, CP, 1, 1], convWeightToOnnx(get(W, 'policy/out'), 1, 1, CP, A)), g.floats('policy/out/B', [A], get(W, 'policy/out/b'))], { kernel_shape: [1, 1] });
  const flat = g.ints('shape_flat', [0, -1]);
  const parts: string[] = [];
  if (arch.actionPlanes.every((pl) => pl.extent === 'cell')) {
    parts.push(g.node('Reshape', [planes, flat]));
  } else {
    arch.actionPlanes.forEach((pl, i) => {
      // With one action plane (Connect Four's `drop`) the slice would copy the whole tensor for nothing.
      const one = A === 1 ? planes : g.node('Slice', [planes, g.ints(`slice_start_${i}`, [i]), g.ints(`slice_end_${i}`, [i + 1]), g.ints(`slice_axes_${i}`, [1])]);
      const reduced = pl.extent === 'cell' ? one : g.node('ReduceMean', [one], { axes: [2], keepdims: 0 });
      parts.push(g.node('Reshape', [reduced, flat]));
    });
  }
  if (arch.globalActions.length > 0) parts.push(g.node('Reshape', [pooledDense(pooledP, 'policy/global', 2 * CP, arch.globalActions.length), flat]));
  if (parts.length === 1) g.node('Identity', [parts[0]], {}, 'policy');
  else g.node('Concat', parts, { axis: 1 }, 'policy');

  const CV = cfg.valueFilters;
  const VH = cfg.valueHidden;
  const vFeat = convBn(x, 'value/conv', 'value/bn', 1, F, CV, true);
  const cells = cfg.valueInput === 'cells';
  const valueIn = g.node('Flatten', [cells ? vFeat : pool(vFeat)], { axis: 1 });
  const inDim = valueHeadInputs(cfg);
  // A `cells` head's weights are stored for tfjs's NHWC flattening (cell-major); ONNX flattens NCHW (channel-major).
  const fc1 = cells ? cellMajorToChannelMajor(get(W, 'value/fc1/w'), cfg.valueCells as number, CV, VH) : get(W, 'value/fc1/w');
  const hidden = g.node('Relu', [g.node('Gemm', [valueIn, g.floats('value/fc1/W', [inDim, VH], fc1), g.floats('value/fc1/B', [VH], get(W, 'value/fc1/b'))])]);
  const wdl = cfg.valueHead === 'wdl';
  const outDim = wdl ? 3 : 1;
  const out = g.node('Gemm', [hidden, g.floats('value/fc2/W', [VH, outDim], get(W, 'value/fc2/w')), g.floats('value/fc2/B', [outDim], get(W, 'value/fc2/b'))]);
  const toVector = g.ints('shape_vector', [-1]);
  if (wdl) {
    const probs = g.node('Softmax', [out], { axis: 1 }, 'wdl');
    const winMinusLoss = g.node('MatMul', [probs, g.floats('wdl_to_value', [3, 1], Float32Array.from([1, 0, -1]))]);
    g.node('Reshape', [winMinusLoss, toVector], {}, 'value');
  } else {
    g.node('Reshape', [g.node('Tanh', [out]), toVector], {}, 'value');
  }

  const floatType = onnx.TensorProto.DataType.FLOAT;
  const tensorType = (dims: (number | string)[]) => ({
    tensorType: { elemType: floatType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } },
  });
  const outputs = [
    onnx.ValueInfoProto.create({ name: 'policy', type: tensorType(['batch', 'actions']) }),
    onnx.ValueInfoProto.create({ name: 'value', type: tensorType(['batch']) }),
  ];
  if (wdl) outputs.push(onnx.ValueInfoProto.create({ name: 'wdl', type: tensorType(['batch', 3]) }));
  const graph = onnx.GraphProto.create({
    name: 'arbor-policy-value',
    node: g.nodes,
    initializer: g.initializers,
    input: [onnx.ValueInfoProto.create({ name: 'input', type: tensorType(['batch', P, 'rows', 'cols']) })],
    output: outputs,
  });
  const modelProto = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'arbor',
    producerVersion: '0.1.0',
    graph,
    metadataProps: [
      { key: 'arbor.inputPlanes', value: arch.inputPlanes.join(',') },
      { key: 'arbor.actionPlanes', value: arch.actionPlanes.map((a) => `${a.name}:${a.extent}`).join(',') },
      { key: 'arbor.globalActions', value: arch.globalActions.join(',') },
    ],
  });
  return onnx.ModelProto.encode(modelProto).finish();
}

/** Exports `model` to an ONNX file at `path` (written atomically). `game` is checked against the model. */
export async function exportOnnx(model: PolicyValueModel, game: { encoding: { planes: readonly string[] }; spec: string }, path: string): Promise<void> {
  if (model.architecture.inputPlanes.join(',') !== game.encoding.planes.join(',')) {
    throw new ArborError(`the model's input planes (${model.architecture.inputPlanes.join(', ')}) do not match ${game.spec}`);
  }
  await writeFileAtomic(path, await onnxModelBytes(model));
}
