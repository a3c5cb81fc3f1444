import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createGame } from '../../src/envs/index.js';
import { OrtEvaluator, createModel, onnxModelBytes, selectBackend } from '../../src/networks/index.js';

// Workers load compiled JavaScript (npm test runs tsc first), as arbor's self-play workers do.
const compiled = pathToFileURL(resolve(join(__dirname, '../../dist/src/networks/index.js'))).href;
const compiledEnvs = pathToFileURL(resolve(join(__dirname, '../../dist/src/envs/index.js'))).href;

describe('OrtEvaluator in a worker thread', () => {
  it('evaluates the same policy and value as on the main thread', async () => {
    await selectBackend('wasm', { quiet: true });
    const game = createGame('connect4');
    const model = createModel(game, { filters: 8, blocks: 1 });
    const onnx = await onnxModelBytes(model);
    const state = game.parseState('4453');
    const policy = new Float32Array(7);
    const value = new Float32Array(1);
    await (await OrtEvaluator.create(onnx, game)).evaluate([state], 1, policy, value);
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      (async () => {
        const { OrtEvaluator } = await import(workerData.networks);
        const { createGame } = await import(workerData.envs);
        const game = createGame('connect4');
        const ev = await OrtEvaluator.create(workerData.onnx, game, { threads: 1 });
        const policy = new Float32Array(7), value = new Float32Array(1);
        await ev.evaluate([game.parseState('4453')], 1, policy, value);
        await ev.close();
        parentPort.postMessage({ policy: Array.from(policy), value: value[0] });
      })().catch((e) => parentPort.postMessage({ error: String(e) }));`;
    const worker = new Worker(code, { eval: true, workerData: { networks: compiled, envs: compiledEnvs, onnx } });
    const result = await new Promise<{ policy: number[]; value: number; error?: string }>((res) => worker.once('message', res));
    await worker.terminate();
    expect(result.error).toBeUndefined();
    expect(result.policy).toEqual(Array.from(policy));
    expect(result.value).toBe(value[0]);
    model.dispose();
  });
});
