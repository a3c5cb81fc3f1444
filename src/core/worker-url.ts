import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Worker threads must load compiled JavaScript. When arbor runs from `dist/` (the CLI, npm
 * start) a worker file sits beside its caller; when the caller is TypeScript source run by
 * vitest, the worker is taken from the compiled tree (`npm test` builds it first with tsc).
 * `callerUrl` is the caller's `import.meta.url`; `relative` names the worker module without
 * extension, e.g. `./worker`.
 */
export function compiledWorkerUrl(callerUrl: string, relative: string): URL {
  const callerPath = fileURLToPath(callerUrl);
  const beside = new URL(`${relative}.js`, callerUrl);
  if (!callerPath.endsWith('.ts')) return beside;
  const marker = `${'/'}src${'/'}`;
  const at = callerPath.lastIndexOf(marker);
  if (at < 0) return beside;
  const root = callerPath.slice(0, at);
  const compiledCaller = `${root}/dist${callerPath.slice(at).replace(/\.ts$/, '.js')}`;
  const url = new URL(`${relative}.js`, pathToFileURL(compiledCaller));
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(`compiled worker ${fileURLToPath(url)} is missing; run \`npm run build\` first`);
  }
  return url;
}
