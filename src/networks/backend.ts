import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ArborError } from '../core/index.js';
import { registerWasmGradientKernels } from './kernels.js';

/**
 * tfjs backend selection. Best first: `@tensorflow/tfjs-node-gpu` (CUDA) → `@tensorflow/tfjs-node`
 * (libtensorflow) → `wasm` (XNNPACK, with arbor's own gradient kernels, see kernels.ts) → `cpu`
 * (pure JS, ~10x slower than wasm for inference and useless for training).
 * The native packages are optionalDependencies: where their install failed they are simply absent,
 * so they are loaded with a dynamic import inside try/catch.
 */
export type BackendName = 'node-gpu' | 'node' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['node-gpu', 'node', 'wasm', 'cpu'];

/** What `--backend` accepts: a name above, or `auto` (best available). */
export type BackendChoice = BackendName | 'auto';

const NATIVE_PACKAGES: Record<'node-gpu' | 'node', string> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
};

let active: BackendName | undefined;
let announced = false;
let wasmPathSet = false;
const unavailable = new Map<BackendName, string>();

export function parseBackendChoice(text: string): BackendChoice {
  if (text === 'auto' || (BACKEND_NAMES as readonly string[]).includes(text)) return text as BackendChoice;
  throw new ArborError(`unknown tfjs backend "${text}"; use one of: auto, ${BACKEND_NAMES.join(', ')}`);
}

/** The folder holding the wasm backend's .wasm binaries (resolved from node_modules, so it works from src/ and dist/). */
export function wasmBinaryFolder(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

async function tryActivate(name: BackendName): Promise<boolean> {
  if (unavailable.has(name)) return false;
  try {
    if (name === 'node-gpu' || name === 'node') {
      // A computed specifier: the packages are optional, so the type checker must not require them.
      const specifier = NATIVE_PACKAGES[name];
      await import(specifier);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend did not initialise');
    } else if (name === 'wasm') {
      if (!wasmPathSet) {
        setWasmPaths(wasmBinaryFolder());
        wasmPathSet = true;
      }
      if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
      registerWasmGradientKernels();
    } else {
      if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
    }
    await tf.ready();
    return true;
  } catch (e) {
    unavailable.set(name, e instanceof Error ? e.message.split('\n')[0] : String(e));
    return false;
  }
}

export interface SelectBackendOptions {
  /** Print nothing (the first selection is otherwise announced once on stderr). */
  readonly quiet?: boolean;
}

/**
 * Makes the best available (or the requested) backend active and returns its name. Idempotent:
 * repeated calls with the same choice are free. An explicitly requested backend that cannot be
 * loaded is an ArborError naming what is available.
 */
export async function selectBackend(preferred: BackendChoice = 'auto', options: SelectBackendOptions = {}): Promise<BackendName> {
  if (preferred !== 'auto' && !(BACKEND_NAMES as readonly string[]).includes(preferred)) parseBackendChoice(preferred);
  if (active !== undefined && (preferred === 'auto' || preferred === active)) return active;
  let chosen: BackendName | undefined;
  if (preferred === 'auto') {
    for (const name of BACKEND_NAMES) {
      if (await tryActivate(name)) {
        chosen = name;
        break;
      }
    }
    if (!chosen) throw new Error(`no tfjs backend could be initialised: ${[...unavailable].map(([n, m]) => `${n}: ${m}`).join('; ')}`);
  } else {
    if (!(await tryActivate(preferred))) {
      const why = unavailable.get(preferred) ?? 'unknown reason';
      const hint = preferred === 'node' || preferred === 'node-gpu' ? ` (install ${NATIVE_PACKAGES[preferred]})` : '';
      throw new ArborError(`tfjs backend "${preferred}" is not available here${hint}: ${why}; use --backend auto, wasm or cpu`);
    }
    chosen = preferred;
  }
  active = chosen;
  if (!announced && !options.quiet) {
    announced = true;
    const skipped = [...unavailable.keys()].filter((n) => BACKEND_NAMES.indexOf(n) < BACKEND_NAMES.indexOf(chosen!));
    process.stderr.write(`arbor: tfjs backend ${chosen}${skipped.length ? ` (not available: ${skipped.join(', ')})` : ''}\n`);
  }
  return chosen;
}

/** The backend made active by selectBackend, if any. */
export function activeBackend(): BackendName | undefined {
  return active;
}
