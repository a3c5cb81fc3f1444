// Every test file sees what the arbor command sees: the layers register their agent kinds,
// solvers and model loaders when imported (src/cli/program.ts imports the same four).
import '../src/agents/index.js';
import '../src/solvers/index.js';
import '../src/boardgameio/register.js';
import '../src/networks/register.js';
import '../src/programs/register.js';
