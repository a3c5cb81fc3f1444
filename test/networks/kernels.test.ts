import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/index.js';
import { selectBackend } from '../../src/networks/backend.js';

type Pad = 'same' | 'valid';

/** Gradients of sum(conv2d(x, w) * r) with respect to x and w on the active backend. */
function convGrads(xs: Float32Array, ws: Float32Array, rs: Float32Array, xShape: number[], wShape: number[], pad: Pad) {
  return tf.tidy(() => {
    const x = tf.tensor4d(xs, xShape as [number, number, number, number]);
    const w = tf.tensor4d(ws, wShape as [number, number, number, number]);
    const f = (a: tf.Tensor, b: tf.Tensor) => {
      const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad);
      return tf.sum(tf.mul(y, tf.tensor(rs, y.shape)));
    };
    const [dx, dw] = tf.grads(f)([x, w]);
    return { dx: dx.dataSync().slice(), dw: dw.dataSync().slice() };
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('wasm convolution gradient kernels', () => {
  it('match the cpu backend to 1e-4 on random shapes (stride 1; same and valid; odd and even kernels)', async () => {
    const rng = createRng(42);
    const cases: { n: number; h: number; w: number; ci: number; co: number; kh: number; kw: number; pad: Pad }[] = [];
    for (const pad of ['same', 'valid'] as const) {
      for (const [kh, kw] of [[3, 3], [1, 1], [2, 2], [4, 3], [5, 2]]) {
        cases.push({ n: 1 + rng.int(3), h: kh + 1 + rng.int(5), w: kw + 1 + rng.int(5), ci: 1 + rng.int(5), co: 1 + rng.int(6), kh, kw, pad });
      }
    }
    for (const c of cases) {
      const xShape = [c.n, c.h, c.w, c.ci];
      const wShape = [c.kh, c.kw, c.ci, c.co];
      const xs = Float32Array.from({ length: c.n * c.h * c.w * c.ci }, () => rng.normal());
      const ws = Float32Array.from({ length: c.kh * c.kw * c.ci * c.co }, () => rng.normal());
      const outH = c.pad === 'same' ? c.h : c.h - c.kh + 1;
      const outW = c.pad === 'same' ? c.w : c.w - c.kw + 1;
      const rs = Float32Array.from({ length: c.n * outH * outW * c.co }, () => rng.normal());
      await selectBackend('cpu', { quiet: true });
      const ref = convGrads(xs, ws, rs, xShape, wShape, c.pad);
      await selectBackend('wasm', { quiet: true });
      const got = convGrads(xs, ws, rs, xShape, wShape, c.pad);
      expect(got.dx.length).toBe(ref.dx.length);
      expect(got.dw.length).toBe(ref.dw.length);
      const tol = 1e-4 * Math.max(1, ...Array.from(ref.dw, Math.abs), ...Array.from(ref.dx, Math.abs));
      expect(maxAbsDiff(got.dx, ref.dx), `dx ${JSON.stringify(c)}`).toBeLessThanOrEqual(tol);
      expect(maxAbsDiff(got.dw, ref.dw), `dw ${JSON.stringify(c)}`).toBeLessThanOrEqual(tol);
    }
  });
});
