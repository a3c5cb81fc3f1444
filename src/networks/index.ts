/**
 * Public face of the networks layer: size-independent policy/value nets (tfjs), fast training on
 * the wasm backend, ONNX export, ONNX Runtime / tfjs evaluators and checkpoints.
 */

export * from './backend.js';
export { registerWasmGradientKernels } from './kernels.js';
export * from './model.js';
export * from './train.js';
export * from './parallel-train.js';
export * from './onnx.js';
export * from './evaluators.js';
export * from './checkpoint.js';

export { loadModelEvaluator, type ModelEvaluatorOptions } from './model-loader.js';
import './register.js';
