import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Game } from '../../src/core/index.js';
import type { RunFolder } from '../../src/selfplay/run-folder.js';

/**
 * A temporary folder of untrained tiny checkpoints (8 filters, 1 block), all with the same
 * weights, under the given names, and a stand-in for the run folder that resolves them: what
 * evaluation, gating and closing-test code needs from a run.
 */
export async function tinyCheckpoints(game: Game, names: readonly string[], seed: number): Promise<{ root: string; folder: RunFolder }> {
  const { createModel, saveCheckpoint, selectBackend } = await import('../../src/networks/index.js');
  await selectBackend('auto', { quiet: true });
  const root = mkdtempSync(join(tmpdir(), 'arbor-tiny-'));
  const model = createModel(game, { filters: 8, blocks: 1, seed });
  for (const name of names) await saveCheckpoint(join(root, name), { model, game });
  model.dispose();
  return { root, folder: { checkpointDir: (name: string) => join(root, name) } as unknown as RunFolder };
}
