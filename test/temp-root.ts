import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: every temporary folder the tests make (mkdtemp under os.tmpdir(), in the
 * test processes and the CLI processes they start) goes under one folder per run, removed when
 * the run ends, so `npm test` leaves nothing behind in the system's temp folder. os.tmpdir()
 * reads TMPDIR on each call, and the test processes are started after this runs, with this env.
 */
export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'arbor-test-'));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
