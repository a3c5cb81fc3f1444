import { createGame, createRng } from '/work/main/dist/src/envs/index.js';
import * as net from '/work/main/dist/src/networks/index.js';
import { execSync } from 'node:child_process';
await net.selectBackend('wasm', { quiet: true });
const game = createGame('connect4');
const N = +(process.argv[2] ?? 37), filters = +(process.argv[3] ?? 16), blocks = +(process.argv[4] ?? 2);
const size = 3 * 42, A = 7;
const rng = createRng(3);
const inputs = new Float32Array(N * size).map(() => rng.int(2));
const masks = new Uint8Array(N * A).map(() => (rng.int(4) ? 1 : 0));
const policyTargets = new Float32Array(N * A).map((_, i) => masks[i] * rng.next());
const valueTargets = new Float32Array(N).map((_, i) => (i % 3) - 1);
const batch = { inputs, policyTargets, valueTargets, masks, count: N };
const opt = { optimizer: process.argv[5] ?? 'sgd', learningRate: 0.01 };
const m1 = net.createModel(game, { filters, blocks }); const m2 = net.createModel(game, { filters, blocks });
const t1 = new net.Trainer(m1, game, opt); const t2 = new net.ParallelTrainer(m2, game, { ...opt, threads: 2 });
const steps = +(process.argv[6] ?? 3);
for (let s = 0; s < steps; s++) {
  const a = await t1.trainBatch(batch); const b = await t2.trainBatch(batch);
  console.log(s, a.total, b.total, a.policyLoss - b.policyLoss, a.valueLoss - b.valueLoss, a.l2 - b.l2);
}
const w1 = m1.readWeightsSync(), w2 = m2.readWeightsSync();
let maxd = 0, where = '';
for (const [k, v] of w1) { const u = w2.get(k); for (let i = 0; i < v.length; i++) { const d = Math.abs(v[i] - u[i]); if (d > maxd) { maxd = d; where = k; } } }
console.log('max weight diff', maxd, where);
if (process.argv[7]) {
  const rate = async (t) => { await t.trainBatch(batch); let best = 0; for (let r = 0; r < 3; r++) { const s = performance.now(); let k = 0; do { await t.trainBatch(batch); k++; } while (performance.now() - s < 3000); best = Math.max(best, k * N * 1000 / (performance.now() - s)); } return best; };
  console.log('single', (await rate(t1)).toFixed(1), execSync('uptime').toString().trim().replace(/.*load/, 'load'));
  console.log('parallel', (await rate(t2)).toFixed(1), execSync('uptime').toString().trim().replace(/.*load/, 'load'));
}
await t2.close(); t1.dispose();
