import { loadavg } from 'node:os';
import { formatRate } from './timing.js';

/**
 * `arbor bench net`: inference positions/s at batch 1, 8 and 64 with ONNX Runtime (1 thread) and
 * with tfjs on the active backend (the peer, measured in the same run), and training samples/s at
 * batch 256 — with one thread (Trainer) and data-parallel on 2 threads (ParallelTrainer, the
 * speed-up being the ratio) — for the default Connect Four model and the default Othello model.
 * The machine's load average is reported with the figures: other jobs skew every rate here.
 */

interface InferenceRow { engine: string; batch: number; positionsPerSecond: number; gflops: number }
interface ModelRow {
  game: string;
  params: number;
  inference: InferenceRow[];
  training: {
    backend: string;
    batch: number;
    samplesPerSecond: number;
    gflops: number;
    /** ParallelTrainer on `threads` threads, same batch; speedup = its rate / the one-thread rate. */
    parallel: { threads: number; samplesPerSecond: number; gflops: number; speedup: number };
  };
  /** 1-minute load average at the end of this model's measurements. */
  loadAverage: number;
}

async function rate(work: () => Promise<number>, minMs: number): Promise<number> {
  await work(); // warm-up (session/kernel set-up)
  let units = 0;
  const start = performance.now();
  do units += await work(); while (performance.now() - start < minMs);
  return (units * 1000) / (performance.now() - start);
}

export async function benchNet(options: { json?: boolean }): Promise<unknown> {
  const { createGame } = await import('../src/envs/index.js');
  const { createRng } = await import('../src/core/index.js');
  const net = await import('../src/networks/index.js');
  const backend = await net.selectBackend();
  const log = (line: string) => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  const models: ModelRow[] = [];
  for (const spec of ['connect4', 'othello']) {
    const game = createGame(spec);
    const model = net.createModel(game);
    const size = game.encoding.planes.length * game.shape.rows * game.shape.cols;
    const maxBatch = 256;
    // Realistic inputs: positions from random play.
    const rng = createRng(1);
    const inputs = new Float32Array(maxBatch * size);
    const legal = new Int32Array(game.numActions);
    for (let i = 0; i < maxBatch; i++) {
      const s = game.newInitialState();
      const moves = rng.int(20);
      for (let m = 0; m < moves && !s.isTerminal(); m++) s.apply(legal[rng.int(s.legalActions(legal))]);
      s.encode(inputs, i * size);
    }
    const flops = model.flopsPerPosition(game.shape);
    const ort = await net.OrtEvaluator.create(await net.onnxModelBytes(model), game, { threads: 1 });
    log(`${spec}: ${model.config.filters} filters x ${model.config.blocks} blocks, ${model.paramCount()} parameters, ${(flops / 1e6).toFixed(1)} MFLOP/position`);
    const inference: InferenceRow[] = [];
    for (const batch of [1, 8, 64]) {
      const ortRate = await rate(async () => {
        await ort.run(inputs, batch);
        return batch;
      }, 1500);
      const tfRate = await rate(async () => {
        await model.predict(inputs, batch, game.shape);
        return batch;
      }, 1500);
      inference.push({ engine: 'onnxruntime', batch, positionsPerSecond: Math.round(ortRate), gflops: +((ortRate * flops) / 1e9).toFixed(2) });
      inference.push({ engine: `tfjs-${backend}`, batch, positionsPerSecond: Math.round(tfRate), gflops: +((tfRate * flops) / 1e9).toFixed(2) });
      log(`  inference batch ${String(batch).padStart(2)}: onnxruntime ${formatRate(ortRate)}/s (${((ortRate * flops) / 1e9).toFixed(1)} GFLOP/s), tfjs-${backend} ${formatRate(tfRate)}/s (${((tfRate * flops) / 1e9).toFixed(1)} GFLOP/s), ratio ${(ortRate / tfRate).toFixed(1)}x`);
    }
    await ort.close();
    const A = game.numActions;
    const masks = new Uint8Array(maxBatch * A).fill(1);
    const policyTargets = new Float32Array(maxBatch * A).fill(1 / A);
    const valueTargets = new Float32Array(maxBatch).map((_, i) => (i % 3) - 1);
    const trainer = new net.Trainer(model, game, {});
    const batch = { inputs, policyTargets, valueTargets, masks, count: maxBatch };
    const trainRate = await rate(async () => {
      await trainer.trainBatch(batch);
      return maxBatch;
    }, 4000);
    // A training step costs about 3 forward passes (forward, input gradient, filter gradient).
    const trainGflops = +((3 * trainRate * flops) / 1e9).toFixed(2);
    log(`  training batch 256 on ${backend}, 1 thread: ${formatRate(trainRate)} samples/s (${trainGflops} GFLOP/s)`);
    const threads = 2;
    const parallel = new net.ParallelTrainer(model, game, { threads });
    await parallel.whenReady();
    const parallelRate = await rate(async () => {
      await parallel.trainBatch(batch);
      return maxBatch;
    }, 4000);
    await parallel.close();
    const parallelGflops = +((3 * parallelRate * flops) / 1e9).toFixed(2);
    const speedup = +(parallelRate / trainRate).toFixed(2);
    const load = +loadavg()[0].toFixed(2);
    log(`  training batch 256 on ${backend}, ${threads} threads (ParallelTrainer): ${formatRate(parallelRate)} samples/s (${parallelGflops} GFLOP/s), ${speedup}x one thread; load average ${load}`);
    models.push({
      game: spec,
      params: model.paramCount(),
      inference,
      training: {
        backend,
        batch: maxBatch,
        samplesPerSecond: Math.round(trainRate),
        gflops: trainGflops,
        parallel: { threads, samplesPerSecond: Math.round(parallelRate), gflops: parallelGflops, speedup },
      },
      loadAverage: load,
    });
    trainer.dispose();
    model.dispose();
  }
  return { models };
}
