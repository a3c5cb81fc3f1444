import { agentKinds, compiledWorkerUrl, modelLoaders } from '../core/index.js';
import { gameKinds } from '../envs/index.js';

/**
 * The modules whose import registered this thread's games, agent kinds and model loaders, and
 * that arena worker threads import so they know the same ones (a worker thread starts with empty
 * registries). `extra` are a caller's own setup modules, kept after them.
 */
export function registeredModules(extra: readonly string[] = []): string[] {
  const origins = [...gameKinds.originModules(), ...agentKinds.originModules(), ...modelLoaders.originModules()];
  // Under vitest the origins are TypeScript sources; workers import their compiled twins.
  const loadable = origins.map((url) => (url.endsWith('.ts') ? compiledWorkerUrl(url, `./${url.slice(url.lastIndexOf('/') + 1, -3)}`).href : url));
  return [...new Set([...loadable, ...extra])];
}
