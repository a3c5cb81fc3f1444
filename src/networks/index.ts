/**
 * Public face of the networks layer: size-independent policy/value nets described once
 * (architecture.ts) and run by tfjs and ONNX Runtime, fast training on the wasm backend, ONNX
 * export, evaluators, checkpoints, and weights by module with input planes mapped by name.
 */

export { selectBackend, activeBackend, parseBackendChoice, BACKEND_NAMES, type BackendName, type BackendChoice, type SelectBackendOptions } from './backend.js';
export {
  defaultModelConfig, architectureFor, describeNetwork, policyHeadId, BN_EPSILON,
  type ModelConfig, type Architecture, type NetworkDescription, type NetworkOutputs, type ModuleDescription, type ModuleKind, type ModuleParam,
  type ParamSpec, type ParamOwner, type Layer,
} from './architecture.js';
export { PolicyValueModel, createModel, initialValues, type ForwardResult } from './model.js';
export {
  Trainer, augmentWithSymmetry, DEFAULT_TRAINER_OPTIONS,
  type TrainerOptions, type TrainingBatch, type Losses, type LearningRateSchedule, type OptimizerState, type UpdateRestriction,
} from './train.js';
export { ParallelTrainer, createTrainer, type ParallelTrainerOptions } from './parallel-train.js';
export { exportOnnx, onnxModelBytes, onnxInputPlanes, ONNX_OPSET } from './onnx.js';
export { OrtEvaluator, TfjsEvaluator, type OrtEvaluatorOptions } from './evaluators.js';
export {
  saveCheckpoint, loadCheckpoint, readCheckpointMeta, readCheckpointWeights, resolveCheckpointDir,
  type CheckpointMeta, type CheckpointFile, type CheckpointGame, type LoadedCheckpoint, type NetworkWeights,
} from './checkpoint.js';
export { mapPlanes, unionPlanes, type PlaneMapping } from './planes.js';
export { unionArchitecture, gameViewWeights, viewProblem, GameView } from './game-view.js';
export {
  moduleWeights, writeModuleWeights, loadModules,
  type ModuleWeights, type ModuleTensor, type ModuleSource, type LoadModulesOptions, type ModuleLoadReport,
} from './modules.js';
export { loadModelEvaluator, type ModelEvaluatorOptions } from './model-loader.js';
import './register.js';
