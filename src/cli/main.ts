#!/usr/bin/env node
import { reportAndExit } from './run.js';
import { runCli } from './program.js';

// `arbor games | head`: the reader has what it wanted once it closes the pipe; stop quietly
// instead of dying with an EPIPE stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

runCli(process.argv).catch(reportAndExit);
