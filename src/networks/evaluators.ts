import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { ArborError, type Game, type State, type Evaluator } from '../core/index.js';
import type { PolicyValueModel } from './model.js';
import { onnxInputPlanes } from './onnx.js';
import { planeFix, requireSamePlanes } from './planes.js';

export type { Evaluator };

/**
 * Network evaluators for the search: encode a batch of states, run the net, and turn the logits
 * into a masked softmax over each state's legal actions (exactly 0 on illegal actions, as the
 * Evaluator contract asks). Buffers grow to the largest batch seen and are then reused.
 */

/**
 * Softmax of `logits[from..from+n)` restricted to the actions where `mask` is 1, written to
 * `policy[to..to+n)`. A state with no legal action gets all zeros.
 */
export function maskedSoftmax(logits: Float32Array, from: number, mask: Uint8Array, policy: Float32Array, to: number, n: number): void {
  let max = -Infinity;
  for (let a = 0; a < n; a++) if (mask[a] && logits[from + a] > max) max = logits[from + a];
  if (max === -Infinity) {
    policy.fill(0, to, to + n);
    return;
  }
  let sum = 0;
  for (let a = 0; a < n; a++) {
    const e = mask[a] ? Math.exp(logits[from + a] - max) : 0;
    policy[to + a] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let a = 0; a < n; a++) policy[to + a] *= inv;
}

/**
 * Shared batching: encoding into a growing input buffer and the masked softmax.
 *
 * With `symmetric`, every position is also evaluated under each of the game's symmetries
 * (`game.symmetries`: Connect Four's mirror, the board transforms of square games) in the same
 * batch, and the policies (mapped back through `actionMap`) and values are averaged. This is the
 * test-time form of the symmetry augmentation the nets are trained with: AlphaGo (Silver et al.
 * 2016, "Methods") averaged its value network over the 8 board symmetries, which lowers the
 * network's error at the cost of (1 + symmetries) network positions per position.
 */
abstract class NetworkEvaluator implements Evaluator {
  abstract readonly name: string;
  protected readonly game: Game;
  protected readonly inputSize: number;
  /** Network inputs per position: 1, or 1 + the game's symmetries when averaging over them. */
  protected readonly copies: number;
  protected inputs = new Float32Array(0);
  private readonly mask: Uint8Array;
  private readonly imageMask: Uint8Array;
  private readonly imagePolicy: Float32Array;

  constructor(game: Game, symmetric: boolean) {
    this.game = game;
    this.inputSize = game.encoding.planes.length * game.shape.rows * game.shape.cols;
    this.copies = symmetric ? 1 + game.symmetries.length : 1;
    this.mask = new Uint8Array(game.numActions);
    this.imageMask = new Uint8Array(game.numActions);
    this.imagePolicy = new Float32Array(game.numActions);
  }

  /** Writes the network inputs of `count` states: `count * copies` positions. */
  protected encode(states: readonly State[], count: number): void {
    const size = this.inputSize;
    const copies = this.copies;
    if (this.inputs.length < count * copies * size) this.inputs = new Float32Array(count * copies * size);
    const inputs = this.inputs;
    const cells = this.game.shape.rows * this.game.shape.cols;
    const planes = this.game.encoding.planes.length;
    for (let i = 0; i < count; i++) {
      const base = i * copies * size;
      states[i].encode(inputs, base);
      for (let k = 1; k < copies; k++) {
        const { cellMap } = this.game.symmetries[k - 1];
        const dst = base + k * size;
        for (let p = 0; p < planes; p++) {
          const from = base + p * cells;
          const to = dst + p * cells;
          for (let c = 0; c < cells; c++) inputs[to + cellMap[c]] = inputs[from + c];
        }
      }
    }
  }

  protected writeOutputs(states: readonly State[], count: number, logits: Float32Array, values: Float32Array, policy: Float32Array, value: Float32Array): void {
    const A = this.game.numActions;
    const copies = this.copies;
    for (let i = 0; i < count; i++) {
      states[i].legalMask(this.mask);
      const row = i * copies;
      maskedSoftmax(logits, row * A, this.mask, policy, i * A, A);
      let v = values[row];
      for (let k = 1; k < copies; k++) {
        // The image's action actionMap[a] is the original's action a.
        const { actionMap } = this.game.symmetries[k - 1];
        for (let a = 0; a < A; a++) this.imageMask[actionMap[a]] = this.mask[a];
        maskedSoftmax(logits, (row + k) * A, this.imageMask, this.imagePolicy, 0, A);
        for (let a = 0; a < A; a++) policy[i * A + a] += this.imagePolicy[actionMap[a]];
        v += values[row + k];
      }
      if (copies > 1) {
        const inv = 1 / copies;
        for (let a = 0; a < A; a++) policy[i * A + a] *= inv;
        v *= inv;
      }
      value[i] = Math.max(-1, Math.min(1, v));
    }
  }

  abstract evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void>;
}

export interface OrtEvaluatorOptions {
  /** Intra-op threads of ONNX Runtime (1 suits one evaluator per worker thread). Default 1. */
  readonly threads?: number;
  /** Average every evaluation over the game's symmetries (see NetworkEvaluator). Default false. */
  readonly symmetric?: boolean;
}

/**
 * ONNX Runtime inference (`onnxruntime-node`, CPU execution provider): arbor's default for
 * self-play, arenas and bots — 4.7x tfjs-wasm at batch 64 and 5.2x at batch 1, both on one
 * thread (`arbor bench net`, idle machine). Each worker thread creates its own session (native
 * sessions are not shared across threads). The default Connect Four net spends ~95% of its time
 * in the 3x3 convolutions, which MLAS already runs at the core's single-thread SGEMM rate (~100
 * GFLOP/s of non-padding multiply-adds on the 2-core dev machine), and the per-call JavaScript
 * work (tensor wrapper, masked softmax) is under 1% of a batch: what is left is arithmetic.
 */
export class OrtEvaluator extends NetworkEvaluator {
  readonly name: string;
  private readonly session: ort.InferenceSession;

  private constructor(game: Game, session: ort.InferenceSession, name: string, symmetric: boolean) {
    super(game, symmetric);
    this.session = session;
    this.name = name;
  }

  static async create(onnx: string | Uint8Array, game: Game, options: OrtEvaluatorOptions = {}): Promise<OrtEvaluator> {
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new ArborError(`threads=${threads} is not an integer in 1..256`);
    // Level `all` adds ORT's NCHWc layout transform (blocked channels, Conv+Relu and Conv+Add+Relu
    // fused into one kernel): 1.7x (batch 1) to 1.85x (batch 64) the speed of `extended` for this
    // net. The CPU memory arena and memory patterns stay on (their default); turning either off
    // made no measurable difference.
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    };
    const what = typeof onnx === 'string' ? `ONNX model ${onnx}` : 'the ONNX model';
    const reexport = 're-export it with `arbor export --checkpoint DIR --onnx FILE`';
    let bytes: Uint8Array;
    try {
      bytes = typeof onnx === 'string' ? await readFile(onnx) : onnx;
    } catch (e) {
      throw new ArborError(`cannot read ${what}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}; give the path of an .onnx file`);
    }
    // arbor's files name their input planes: a file for another encoding is refused here, by name.
    let planes: string[] | undefined;
    try {
      planes = onnxInputPlanes(bytes);
    } catch {
      planes = undefined; // not an ONNX model: ONNX Runtime says so below
    }
    if (planes) requireSamePlanes(planes, game.encoding.planes, what, game.spec, `export one from a ${game.spec} checkpoint, or ${planeFix(game.spec)}`);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, sessionOptions);
    } catch (e) {
      throw new ArborError(`cannot load ${what}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}; ${reexport}`);
    }
    if (!session.inputNames.includes('input') || !session.outputNames.includes('policy') || !session.outputNames.includes('value')) {
      throw new ArborError(`ONNX model has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]; arbor expects input "input" and outputs "policy", "value" (export it with \`arbor export\`)`);
    }
    const symmetric = options.symmetric === true && game.symmetries.length > 0;
    return new OrtEvaluator(game, session, `onnxruntime(threads=${threads}${symmetric ? `, symmetric x${1 + game.symmetries.length}` : ''})`, symmetric);
  }

  async evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void> {
    if (count === 0) return;
    this.encode(states, count);
    const { rows, cols } = this.game.shape;
    const n = count * this.copies;
    const input = new ort.Tensor('float32', this.inputs.subarray(0, n * this.inputSize), [n, this.game.encoding.planes.length, rows, cols]);
    const out = await this.session.run({ input }, ['policy', 'value']);
    const logits = out.policy.data as Float32Array;
    if (logits.length !== n * this.game.numActions) {
      throw new ArborError(`the ONNX model gives ${logits.length / n} policy logits per position, ${this.game.spec} has ${this.game.numActions} actions; it was exported for another game`);
    }
    this.writeOutputs(states, count, logits, out.value.data as Float32Array, policy, value);
    for (const t of Object.values(out)) t.dispose?.();
  }

  /** Raw run on encoded inputs (benchmarks, tests): logits and values. */
  async run(inputs: Float32Array, count: number): Promise<{ logits: Float32Array; value: Float32Array }> {
    const { rows, cols } = this.game.shape;
    const input = new ort.Tensor('float32', inputs.subarray(0, count * this.inputSize), [count, this.game.encoding.planes.length, rows, cols]);
    const out = await this.session.run({ input }, ['policy', 'value']);
    return { logits: out.policy.data as Float32Array, value: out.value.data as Float32Array };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** tfjs inference on the active backend: the fallback, and the reference the ONNX file is checked against. */
export class TfjsEvaluator extends NetworkEvaluator {
  readonly name: string;
  readonly model: PolicyValueModel;

  constructor(model: PolicyValueModel, game: Game, options: { symmetric?: boolean } = {}) {
    super(game, options.symmetric === true && game.symmetries.length > 0);
    requireSamePlanes(model.architecture.inputPlanes, game.encoding.planes, 'the model', game.spec, planeFix(game.spec));
    if (model.numActionsFor(game.shape) !== game.numActions) {
      throw new ArborError(`the model's action layout gives ${model.numActionsFor(game.shape)} actions on ${game.spec}, which has ${game.numActions}`);
    }
    this.model = model;
    this.name = 'tfjs';
  }

  async evaluate(states: readonly State[], count: number, policy: Float32Array, value: Float32Array): Promise<void> {
    if (count === 0) return;
    this.encode(states, count);
    const out = await this.model.predict(this.inputs, count * this.copies, this.game.shape);
    this.writeOutputs(states, count, out.logits, out.value, policy, value);
  }
}
