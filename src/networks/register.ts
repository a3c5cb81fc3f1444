import { registerModelLoader } from '../core/index.js';

// Model references that are paths (checkpoint folders, run folders, .onnx files). The loader module
// (tfjs, ONNX Runtime) is imported only when a model is asked for, so commands without one start fast.
registerModelLoader(
  {
    scheme: 'file',
    description: 'a checkpoint folder, a run folder (its latest checkpoint) or an .onnx file, run by ONNX Runtime',
    load: async (ref, game, options) => {
      const { loadModelEvaluator } = await import('./model-loader.js');
      return loadModelEvaluator(ref, game, { threads: options.threads ?? 1, symmetric: options.symmetric });
    },
  },
  import.meta.url,
);
