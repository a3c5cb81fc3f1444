import * as tf from '@tensorflow/tfjs';

/**
 * Convolution gradients for the tfjs `wasm` backend, built from its fast forward convolution
 * (XNNPACK). The wasm backend has no `Conv2DBackpropFilter` at all (tfjs issue 8474), and its
 * `Conv2DBackpropInput` is a naive loop about 8x slower than a forward conv (285 ms against 37 ms
 * at batch 256 here, see docs/networks.md). For stride 1 and dilation 1 both gradients are forward convolutions:
 *
 * - input gradient: dX = conv(dY, W'), where W' is W flipped in both spatial axes with its channel
 *   axes swapped ([kh,kw,ci,co] -> [kh,kw,co,ci]), padded by kh-1-padTop above and so on (the
 *   transposed convolution identity, e.g. Dumoulin & Visin 2016, "A guide to convolution arithmetic", §4);
 * - filter gradient: dW[a,b,i,o] = sum_{n,y,x} Xpad[n,y+a,x+b,i] dY[n,y,x,o], which is a convolution
 *   of X transposed to [ci,H,W,N] (channels as batch, batch as channels) with dY transposed to
 *   [Ho,Wo,N,co] as the filter, giving [ci,kh,kw,co] that one more transpose turns into [kh,kw,ci,co].
 *
 * Kernels compose the backend's own kernel functions (as tfjs backends do internally) and free
 * every intermediate. Other strides/dilations fall back to the stock input-gradient kernel; the
 * filter gradient then raises (arbor's networks only use stride 1).
 */

interface TensorInfoLike {
  dataId: object;
  shape: number[];
  dtype: string;
}
interface WasmBackendLike {
  disposeData(dataId: object): boolean;
}
type KernelFn = (args: { inputs: Record<string, TensorInfoLike>; backend: WasmBackendLike; attrs: Record<string, unknown> }) => TensorInfoLike;

let registered = false;

function kernelFn(name: string): KernelFn {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`the wasm backend has no ${name} kernel`);
  return config.kernelFunc as unknown as KernelFn;
}

type PadArg = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];

function convInfo(xShape: number[], filterShape: number[], attrs: Record<string, unknown>) {
  const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
  const dilations = (attrs.dilations as number | [number, number] | undefined) ?? 1;
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    dilations,
    attrs.pad as PadArg,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    false,
    dataFormat === 'NHWC' ? 'channelsLast' : 'channelsFirst',
  );
}

function isUnitStride(info: ReturnType<typeof convInfo>): boolean {
  return info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1 && info.dataFormat === 'channelsLast';
}

/** Registers the two gradient kernels on the wasm backend (once per process). */
export function registerWasmGradientKernels(): void {
  if (registered) return;
  registered = true;
  const conv2d = kernelFn('Conv2D');
  const transpose = kernelFn('Transpose');
  const reverse = kernelFn('Reverse');
  const stockInput = tf.getKernel('Conv2DBackpropInput', 'wasm');

  const backpropInput: KernelFn = (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs;
    const inputShape = attrs.inputShape as number[];
    const info = convInfo(inputShape, filter.shape, attrs);
    const kh = info.filterHeight;
    const kw = info.filterWidth;
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = info.inHeight - info.outHeight + kh - 1 - top;
    const right = info.inWidth - info.outWidth + kw - 1 - left;
    if (!isUnitStride(info) || top < 0 || left < 0 || bottom < 0 || right < 0) {
      if (!stockInput) throw new Error('Conv2DBackpropInput: unsupported configuration on wasm');
      return (stockInput.kernelFunc as unknown as KernelFn)(args);
    }
    const flipped = reverse({ inputs: { x: filter }, backend, attrs: { dims: [0, 1] } });
    const swapped = transpose({ inputs: { x: flipped }, backend, attrs: { perm: [0, 1, 3, 2] } });
    backend.disposeData(flipped.dataId);
    const out = conv2d({
      inputs: { x: dy, filter: swapped },
      backend,
      attrs: { strides: 1, dilations: 1, dataFormat: 'NHWC', pad: [[0, 0], [top, bottom], [left, right], [0, 0]] },
    });
    backend.disposeData(swapped.dataId);
    return out;
  };

  const backpropFilter: KernelFn = (args) => {
    const { inputs, backend, attrs } = args;
    const { x, dy } = inputs;
    const filterShape = attrs.filterShape as number[];
    const info = convInfo(x.shape, filterShape, attrs);
    if (!isUnitStride(info)) {
      throw new Error('Conv2DBackpropFilter on wasm supports stride 1, dilation 1, NHWC only (arbor kernels.ts)');
    }
    const { top, bottom, left, right } = info.padInfo;
    const xt = transpose({ inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } });
    const dyt = transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } });
    const r = conv2d({
      inputs: { x: xt, filter: dyt },
      backend,
      attrs: { strides: 1, dilations: 1, dataFormat: 'NHWC', pad: [[0, 0], [top, bottom], [left, right], [0, 0]] },
    });
    backend.disposeData(xt.dataId);
    backend.disposeData(dyt.dataId);
    const out = transpose({ inputs: { x: r }, backend, attrs: { perm: [1, 2, 0, 3] } });
    backend.disposeData(r.dataId);
    return out;
  };

  // registerKernel warns when a kernel already exists; replace the stock one explicitly.
  if (stockInput) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: backpropInput as unknown as tf.KernelFunc });
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: backpropFilter as unknown as tf.KernelFunc });
}
