#!/usr/bin/env node
import { reportAndExit } from './run.js';
import { runCli } from './program.js';

runCli(process.argv).catch(reportAndExit);
