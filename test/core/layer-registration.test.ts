import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The agent kinds and model schemes a fresh Node process sees after importing one compiled module. */
function registeredAfterImporting(module: string): { agents: string[]; loaders: string[] } {
  const script = `
    await import(${JSON.stringify(`./dist/src/${module}`)});
    const core = await import('./dist/src/core/index.js');
    console.log(JSON.stringify({ agents: core.agentDefinitions().map((d) => d.name).sort(), loaders: core.modelLoaders.names() }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { agents: string[]; loaders: string[] };
}

describe('importing a layer registers what its users expect (a fresh process, no test setup)', () => {
  const builtins = ['greedy', 'gumbel', 'mcts', 'program', 'random', 'solver', 'uct'];

  it('the core alone registers nothing', () => {
    expect(registeredAfterImporting('core/index.js')).toEqual({ agents: [], loaders: [] });
  });

  it('arbor (the root entry) registers the agents layer only', () => {
    expect(registeredAfterImporting('index.js').agents).toEqual(['greedy', 'gumbel', 'mcts', 'random', 'uct']);
  });

  it('arbor/arena and arbor/selfplay register every built-in agent kind and the model loaders (paths, lib: and program:)', () => {
    for (const layer of ['arena/index.js', 'selfplay/index.js']) {
      expect(registeredAfterImporting(layer), layer).toEqual({ agents: builtins, loaders: ['file', 'lib', 'program'] });
    }
  });

  it('arbor/boardgameio adds bgio-mcts', () => {
    expect(registeredAfterImporting('boardgameio/index.js')).toEqual({ agents: ['bgio-mcts', ...builtins].sort(), loaders: ['file', 'lib', 'program'] });
  });

  it('arbor/programs registers the program agent and the program: evaluator scheme', () => {
    // Its primitives solve positions, so the solvers layer (and its `solver` agent) comes with it.
    expect(registeredAfterImporting('programs/index.js')).toEqual({ agents: ['program', 'solver'], loaders: ['program'] });
  });
});
