import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createRng, isArborError, type Game, type State } from '../../src/core/index.js';
import '../../src/agents/index.js';
import { createGame } from '../../src/envs/index.js';
import { createModel, saveCheckpoint, selectBackend, type ModelConfig, type PolicyValueModel } from '../../src/networks/index.js';
import { compileProgram, parseProgram, prepareReferences, printRef } from '../../src/programs/index.js';
import { extraPrimitiveFactories } from '../../src/programs/primitives/index.js';
import { Library, addNetwork } from '../../src/transfer/index.js';
import type { Primitive, PreparedPrimitive, ProgramContext } from '../../src/programs/types.js';

/**
 * The geometric primitives on a tiny Connect Four network saved in the test: the network's value
 * and policy match the tfjs forward pass, and the stem's pattern detectors match the stem's
 * output tensor cell by cell.
 */

const SMALL: Partial<ModelConfig> = { filters: 8, blocks: 1, poolEvery: 2, policyFilters: 4, valueFilters: 4, valueHidden: 8 };
const game = createGame('connect4');
let model: PolicyValueModel;
let dir: string;

beforeAll(async () => {
  await selectBackend('wasm', { quiet: true });
  model = createModel(game, SMALL);
  // Non-trivial batch-norm statistics, so the folded stem is really tested.
  const rng = createRng(7);
  const weights = model.readWeightsSync();
  for (const spec of model.specs) {
    const w = weights.get(spec.name)!;
    if (spec.kind === 'var' || spec.kind === 'gamma') for (let i = 0; i < w.length; i++) w[i] = 0.5 + rng.next();
    if (spec.kind === 'mean' || spec.kind === 'beta' || spec.kind === 'bias') for (let i = 0; i < w.length; i++) w[i] = 0.3 * rng.normal();
  }
  model.writeWeights(weights);
  dir = join(mkdtempSync(join(tmpdir(), 'arbor-net-prims-')), 'ckpt');
  await saveCheckpoint(dir, { model, game });
});

const ctx: ProgramContext = { game, rng: createRng(1), budget: { nodes: 1e6, simulations: 1e6, deadline: Number.POSITIVE_INFINITY } };

async function prepare(name: string, ref: string, g: Game = game): Promise<PreparedPrimitive> {
  const factory = extraPrimitiveFactories.find((f) => f.name === name)!;
  return factory.prepare(ref, g);
}
function run<T>(p: Primitive, ...args: unknown[]): T {
  return (p.fn as (c: ProgramContext, ...a: unknown[]) => T)(ctx, ...args);
}

function input(state: State): tf.Tensor4D {
  const x = new Float32Array(game.encoding.planes.length * game.shape.rows * game.shape.cols);
  state.encode(x, 0);
  return tf.tensor4d(x, [1, game.encoding.planes.length, game.shape.rows, game.shape.cols]);
}

describe('network primitives', () => {
  it('net-value, net-policy and net-prior are the network\'s outputs, the policy a softmax over the legal moves', async () => {
    const pos = game.parseState('4453');
    const hash = pos.hash();
    const [value, policy, prior] = await Promise.all([prepare('net-value', dir), prepare('net-policy', dir), prepare('net-prior', dir)]);
    const out = tf.tidy(() => {
      const r = model.forward(input(pos), false);
      return { logits: r.logits.dataSync() as Float32Array, value: r.value.dataSync()[0] };
    });
    expect(run<number>(value.primitive, pos)).toBeCloseTo(out.value, 5);
    const max = Math.max(...out.logits);
    const exp = Array.from(out.logits, (l) => Math.exp(l - max));
    const sum = exp.reduce((s, x) => s + x, 0);
    const p = run<Float32Array>(policy.primitive, pos);
    for (let a = 0; a < game.numActions; a++) expect(p[a]).toBeCloseTo(exp[a] / sum, 5);
    expect(run<number>(prior.primitive, pos, 2)).toBeCloseTo(exp[2] / sum, 5);
    expect(pos.hash()).toBe(hash);
    // Illegal moves get no probability: column 4 of 444444 is full.
    const full = game.parseState('444444');
    expect(run<Float32Array>(policy.primitive, full)[3]).toBe(0);
    for (const x of [value, policy, prior]) x.close();
  });

  it('refuses a network for another game, naming the planes', async () => {
    const err = await prepare('net-value', dir, createGame('gomoku:rows=6,cols=7,k=4')).catch((e: unknown) => e);
    expect(isArborError(err)).toBe(true);
    expect(String((err as Error).message)).toMatch(/side:first-player/);
  });
});

describe('pattern detectors', () => {
  it('pattern-at is the stem\'s activation (conv, batch norm, ReLU) of a filter at the move\'s cell', async () => {
    const pos = game.parseState('4453');
    const at = await prepare('pattern-at', dir);
    const max = await prepare('pattern-max', dir);
    const stem = tf.tidy(() => model.intermediate(input(pos), 'stem').dataSync() as Float32Array); // NHWC [1, 6, 7, 8]
    const filters = SMALL.filters!;
    const cols = game.shape.cols;
    // 4453: column 3 (index 2) holds one stone, so a drop lands on row index 4; column 6 (index 5) is empty (row 5); column 4 holds two (row 3).
    for (const [move, cell] of [[2, 4 * cols + 2], [5, 5 * cols + 5], [3, 3 * cols + 3]]) {
      for (let f = 0; f < filters; f++) expect(run<number>(at.primitive, pos, move, f)).toBeCloseTo(stem[cell * filters + f], 4);
    }
    // Filter numbers wrap: f + filters names filter f.
    expect(run<number>(at.primitive, pos, 2, 1 + filters)).toBeCloseTo(stem[(4 * cols + 2) * filters + 1], 4);
    let best = 0;
    for (let c = 0; c < game.shape.rows * cols; c++) best = Math.max(best, stem[c * filters + 3]);
    expect(run<number>(max.primitive, pos, 3)).toBeCloseTo(best, 4);
  });

  it('reads a stem on another game by plane name (gomoku shares own/opp/exists)', async () => {
    const gomoku = createGame('gomoku:rows=6,cols=7,k=4');
    const at = await prepare('pattern-at', dir, gomoku);
    const v = (at.primitive.fn as (c: ProgramContext, ...a: unknown[]) => number)({ ...ctx, game: gomoku }, gomoku.parseState('d4'), 10, 0);
    expect(Number.isFinite(v) && v >= 0).toBe(true);
  });
});

describe('library references', () => {
  let saved: string | undefined;
  let stemName = '';
  beforeAll(async () => {
    saved = process.env.ARBOR_LIBRARY;
    const libraryDir = mkdtempSync(join(tmpdir(), 'arbor-net-prims-lib-'));
    process.env.ARBOR_LIBRARY = libraryDir;
    const library = Library.open(libraryDir);
    const entries = await addNetwork(library, dir, 'c4-tiny');
    stemName = entries.find((e) => e.kind === 'stem')!.name;
    library.close();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.ARBOR_LIBRARY;
    else process.env.ARBOR_LIBRARY = saved;
  });

  it('lib:NAME of a net entry gives the same value as its checkpoint, and a stem entry the same patterns', async () => {
    const pos = game.parseState('4453');
    const [fromLib, fromDir] = await Promise.all([prepare('net-value', 'lib:c4-tiny'), prepare('net-value', dir)]);
    expect(run<number>(fromLib.primitive, pos)).toBeCloseTo(run<number>(fromDir.primitive, pos), 6);
    const [stemLib, netLib, stemDir] = await Promise.all([prepare('pattern-at', `lib:${stemName}`), prepare('pattern-at', 'lib:c4-tiny'), prepare('pattern-at', dir)]);
    for (let f = 0; f < SMALL.filters!; f++) {
      const expected = run<number>(stemDir.primitive, pos, 4, f);
      expect(run<number>(stemLib.primitive, pos, 4, f)).toBeCloseTo(expected, 6);
      expect(run<number>(netLib.primitive, pos, 4, f)).toBeCloseTo(expected, 6);
    }
    const missing = await prepare('net-value', 'lib:no-such-net').catch((e: unknown) => e);
    expect(isArborError(missing)).toBe(true);
  });
});

describe('programs that call a network', () => {
  it('compile against the prepared network: the program\'s value is the network\'s', async () => {
    const program = parseProgram(`(program value (net-value ${printRef(dir)} pos))`);
    const references = await prepareReferences(program, game);
    const compiled = compileProgram(program, game, { references });
    const [direct] = await Promise.all([prepare('net-value', dir)]);
    const pos = game.parseState('4453');
    expect(compiled.run(pos, { nodes: 1, simulations: 0, deadline: Infinity })).toBeCloseTo(run<number>(direct.primitive, pos), 6);
    references.close();
    direct.close();
  });

  it('play as program:FILE agents and as mcts:eval=program:FILE evaluators', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'arbor-net-programs-'));
    const policy = join(folder, 'policy.arb');
    writeFileSync(policy, `(program policy (argmax (safe-moves pos) (lambda (m) (+ (if (win-now? pos m) 10 0) (net-prior ${printRef(dir)} pos m)))))`);
    const value = join(folder, 'value.arb');
    writeFileSync(value, `(program value (net-value ${printRef(dir)} pos))`);
    const agent = await createAgent(`program:${policy},timeMs=5000`, { game, seed: 's' });
    // X (first player) has three in column 1: the net's prior aside, the win comes first.
    expect(game.actionToString(await agent.selectAction(game.parseState('121314')))).toBe('1');
    const state = game.parseState('4453');
    expect(state.isLegal(await agent.selectAction(state))).toBe(true);
    await agent.close?.();
    const search = await createAgent(`mcts:eval=program:${value},simulations=30`, { game, seed: 's' });
    expect(state.isLegal(await search.selectAction(state))).toBe(true);
    await search.close?.();
    const missing = await createAgent(`program:${writeFile(folder, '(program value (net-value "lib:no-such-net" pos))')}`, { game, seed: 's' }).catch((e: unknown) => e);
    expect(String((missing as Error).message)).toMatch(/miss\.arb: \(net-value "lib:no-such-net" \.\.\.\) on connect4: /);
  });
});

function writeFile(folder: string, text: string): string {
  const path = join(folder, 'miss.arb');
  writeFileSync(path, text);
  return path;
}
