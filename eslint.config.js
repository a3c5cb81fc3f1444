import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, lowest first, and the folders each may import from (data flows one way, upwards):
 * no folder imports one above it. Module-level import cycles are checked by `npm run lint`'s dpdm
 * step; these rules keep the folders themselves in order.
 */
const LAYERS = {
  core: [],
  envs: ['core'],
  mcts: ['core', 'envs'],
  agents: ['core', 'envs', 'mcts'],
  solvers: ['core', 'envs', 'mcts'],
  networks: ['core', 'envs', 'mcts'],
  transfer: ['core', 'envs', 'mcts', 'agents', 'networks'],
  programs: ['core', 'envs', 'mcts', 'agents', 'solvers', 'networks', 'transfer'],
  arena: ['core', 'envs', 'mcts', 'agents', 'solvers', 'networks', 'transfer', 'programs'],
  boardgameio: ['core', 'envs', 'mcts', 'agents', 'solvers', 'networks', 'transfer', 'programs'],
  selfplay: ['core', 'envs', 'mcts', 'agents', 'solvers', 'networks', 'arena', 'transfer', 'programs'],
  distributed: ['core', 'envs', 'mcts', 'agents', 'solvers', 'networks', 'arena', 'transfer', 'selfplay'],
};
const ALL = [...Object.keys(LAYERS), 'cli'];

const layerRules = Object.entries(LAYERS).map(([layer, allowed]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: ALL.filter((other) => other !== layer && !allowed.includes(other)).map((other) => ({
          group: [`**/${other}/*`, `**/${other}/**`],
          message: `src/${layer} may import only from ${allowed.length ? allowed.join(', ') : 'itself'}: the layers below it (see eslint.config.js).`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'runs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use a seeded Rng from src/core/rng.ts.' }],
    },
  },
  ...layerRules,
);
