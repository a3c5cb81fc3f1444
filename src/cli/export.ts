import { Option, type Command } from 'commander';
import { ArborError } from '../core/index.js';
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
    .option('--game <spec>', 'a multi-game checkpoint: the game whose view of the network to write (default: its first game)')
    .option('--json', 'print {"onnx":...,"game":...,"params":N}')
    .action(action(async (opts: { checkpoint: string; onnx: string; backend: string; game?: string; json?: boolean }) => {
      // Loaded on use: tfjs and ONNX Runtime take a second to import, other commands need neither.
      const { createGame } = await import('../envs/index.js');
      const networks = await import('../networks/index.js');
      // A wrong folder is refused before the backend is loaded (and announced).
      const dir = networks.resolveCheckpointDir(opts.checkpoint);
      await networks.selectBackend(networks.parseBackendChoice(opts.backend));
      const meta = await networks.readCheckpointMeta(dir);
      if (opts.game !== undefined && !meta.games) throw new ArborError(`--game picks one game of a multi-game checkpoint; ${dir} is a network for ${meta.game.spec} alone, so drop --game`);
      const game = createGame(opts.game ?? meta.game.spec);
      // A multi-game checkpoint writes the chosen game's view: its planes and action kinds.
      const view = meta.games ? networks.gameViewWeights(await networks.readCheckpointWeights(dir, game), game) : null;
      const model = view ? new networks.PolicyValueModel(view.architecture, view.weights) : (await networks.loadCheckpoint(dir, game)).model;
      await networks.exportOnnx(model, game, opts.onnx);
      if (opts.json) printJson({ onnx: opts.onnx, game: game.spec, params: model.paramCount(), step: meta.step });
      else process.stdout.write(`wrote ${opts.onnx}: ${game.spec}, ${model.paramCount()} parameters, step ${meta.step}\n`);
    }));
  withExamples(command, [
    { command: 'arbor export --checkpoint runs/tictactoe-quick --onnx tictactoe.onnx', note: 'the latest network of a run (after arbor train --game tictactoe --preset quick)' },
    { command: 'arbor move --game tictactoe --agent mcts:model=tictactoe.onnx,simulations=200 -', note: 'an ONNX file plays wherever a model is accepted' },
    { command: 'arbor export --checkpoint runs/ttt-c4 --game connect4:rows=4,cols=5 --onnx c4.onnx', note: 'one game\'s view of a network trained on several games' },
  ]);
}
