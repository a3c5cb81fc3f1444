import { Option, type Command } from 'commander';
import { withExamples } from './help.js';
import { action, printJson } from './run.js';

export function register(program: Command): void {
  const command = program
    .command('export')
    .summary('write a trained network as an ONNX file')
    .description('write a checkpoint\'s network as an ONNX file (batch norm folded; runs in any ONNX Runtime)')
    .requiredOption('--checkpoint <dir>', 'checkpoint folder, or a run folder (its checkpoints/latest)')
    .requiredOption('--onnx <file>', 'ONNX file to write')
    .addOption(new Option('--backend <name>', 'tfjs backend to load the checkpoint with; auto picks the best available').choices(['auto', 'node-gpu', 'node', 'wasm', 'cpu']).default('auto'))
    .option('--json', 'print {"onnx":...,"game":...,"params":N}')
    .action(action(async (opts: { checkpoint: string; onnx: string; backend: string; json?: boolean }) => {
      // Loaded on use: tfjs and ONNX Runtime take a second to import, other commands need neither.
      const { createGame } = await import('../envs/index.js');
      const networks = await import('../networks/index.js');
      // A wrong folder is refused before the backend is loaded (and announced).
      const dir = networks.resolveCheckpointDir(opts.checkpoint);
      await networks.selectBackend(networks.parseBackendChoice(opts.backend));
      const meta = await networks.readCheckpointMeta(dir);
      const game = createGame(meta.game.spec);
      const { model } = await networks.loadCheckpoint(dir, game);
      await networks.exportOnnx(model, game, opts.onnx);
      if (opts.json) printJson({ onnx: opts.onnx, game: game.spec, params: model.paramCount(), step: meta.step });
      else process.stdout.write(`wrote ${opts.onnx}: ${game.spec}, ${model.paramCount()} parameters, step ${meta.step}\n`);
    }));
  withExamples(command, [
    { command: 'arbor export --checkpoint runs/tictactoe-quick --onnx tictactoe.onnx', note: 'the latest network of a run (after arbor train --game tictactoe --preset quick)' },
    { command: 'arbor move --game tictactoe --agent mcts:model=tictactoe.onnx,simulations=200 -', note: 'an ONNX file plays wherever a model is accepted' },
  ]);
}
