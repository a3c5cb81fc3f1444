import { createGame, createRng } from '/work/main/dist/src/envs/index.js';
import * as net from '/work/main/dist/src/networks/index.js';
import { SharedGroup } from '/work/main/dist/src/networks/parallel-group.js';
import { execSync } from 'node:child_process';
await net.selectBackend('wasm', { quiet: true });
const game = createGame('connect4');
const N = 256, size = 3 * 42, A = 7;
const rng = createRng(3);
const inputs = new Float32Array(N * size).map(() => rng.int(2));
const masks = new Uint8Array(N * A).fill(1);
const policyTargets = new Float32Array(N * A).fill(1 / 7);
const valueTargets = new Float32Array(N).map((_, i) => (i % 3) - 1);
const batch = { inputs, policyTargets, valueTargets, masks, count: N };
let waited = 0, calls = 0;
const orig = SharedGroup.prototype.barrier;
SharedGroup.prototype.barrier = function () { const s = performance.now(); orig.call(this); waited += performance.now() - s; calls++; };
const m2 = net.createModel(game);
const t2 = new net.ParallelTrainer(m2, game, { threads: +(process.argv[2] ?? 2) });
await t2.trainBatch(batch);
for (let r = 0; r < 3; r++) {
  waited = 0; calls = 0;
  const s = performance.now(); let k = 0; do { await t2.trainBatch(batch); k++; } while (performance.now() - s < 3000);
  const el = performance.now() - s;
  console.log(`parallel ${(k * N * 1000 / el).toFixed(1)} samples/s, step ${(el / k).toFixed(0)} ms, barrier wait/step ${(waited / k).toFixed(0)} ms, barriers/step ${calls / k}`, execSync('uptime').toString().trim().replace(/.*load/, 'load'));
}
await t2.close();
