/**
 * Records the golden playthroughs in test/fixtures/playthroughs/: for every registered game, at
 * its default spec and at its variants no larger than the default, a few seeded random games
 * written state by state (see src/envs/playthrough.ts for what a state records).
 *
 *   npm run make-playthroughs
 *   (which is: npx tsc -p scripts/tsconfig.json && node dist/scripts/make-playthroughs.js [--dir DIR])
 *
 * test/envs/playthroughs.test.ts plays every file again in memory and fails at the first line
 * that differs. Run this only when a change to a game's rules, notation, encoding or hashing is
 * intended, then read the diff of the fixtures (`git diff --stat test/fixtures/playthroughs`)
 * before committing it: every changed line should be one the change explains.
 * Files of specs no longer recorded (a variant dropped, a game renamed) are removed.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isArborError, writeFileAtomicSync } from '../src/core/index.js';
import { createGame, gameDefinitions, playthroughFileName, playthroughSpecs, recordPlaythrough } from '../src/envs/index.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function main(): void {
  // This file runs from dist/scripts/, two levels below the project root.
  const defaultDir = fileURLToPath(new URL('../../test/fixtures/playthroughs/', import.meta.url));
  const dir = option('--dir', defaultDir);
  mkdirSync(dir, { recursive: true });
  const written = new Set<string>();
  let totalBytes = 0;
  for (const spec of playthroughSpecs(gameDefinitions())) {
    const name = playthroughFileName(spec);
    const text = recordPlaythrough(createGame(spec));
    writeFileAtomicSync(join(dir, name), text);
    written.add(name);
    totalBytes += Buffer.byteLength(text);
    const plies = text.match(/^### ply /gm)?.length ?? 0;
    process.stderr.write(`${spec}: ${plies} states, ${Buffer.byteLength(text)} bytes -> ${name}\n`);
  }
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.txt') && !written.has(name)) {
      rmSync(join(dir, name));
      process.stderr.write(`removed ${name}: no registered spec records it any more\n`);
    }
  }
  process.stderr.write(`${written.size} playthroughs, ${totalBytes} bytes in ${relative(process.cwd(), dir) || '.'}\n`);
}

try {
  main();
} catch (e) {
  if (!isArborError(e)) throw e;
  process.stderr.write(`make-playthroughs: ${e.message}\n`);
  process.exitCode = 1;
}
