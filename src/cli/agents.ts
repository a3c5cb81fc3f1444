import type { Command } from 'commander';
import { agentDefinitions, agentKinds, describeParams, type AgentDefinition, type ParamDescription } from '../core/index.js';
import { withExamples } from './help.js';
import { action, printJson } from './run.js';

/** One agent kind as `arbor agents --json` prints it. */
export interface AgentListing {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ParamDescription[];
}

export function listAgent(def: AgentDefinition): AgentListing {
  return { name: def.name, description: def.description, params: describeParams(def.params) };
}

/** `simulations=800 (1..100000000)  simulations per move`, the layout `arbor games` uses for game parameters. */
export function formatAgent(listing: AgentListing): string {
  const lines = [`${listing.name}  ${listing.description}`];
  if (listing.params.length === 0) lines.push('    (no options)');
  for (const p of listing.params) {
    const value = p.default === '' ? '""' : p.default;
    lines.push(`    ${p.name}=${value}${p.allowed === '' ? '' : ` (${p.allowed})`}  ${p.description}`);
  }
  return lines.join('\n');
}

export function register(program: Command): void {
  const command = program
    .command('agents')
    .summary('list the agent kinds with their options and defaults')
    .description('list every agent kind with its options, their defaults, allowed values and meaning; an agent is written NAME or NAME:key=value,... wherever a command takes --agent')
    .argument('[kind]', 'show only this kind, e.g. mcts')
    .option('--json', 'print one JSON object: {"agents":[{"name","description","params":[{"name","type","default","allowed","description"}]}]}')
    .action(action(async (kind: string | undefined, opts: { json?: boolean }) => {
      // `get` names the closest kind when `kind` is misspelt.
      const defs = kind === undefined ? agentDefinitions() : [agentKinds.get(kind)];
      const listings = defs.map(listAgent);
      if (opts.json) {
        printJson({ agents: listings });
        return;
      }
      process.stdout.write(`${listings.map(formatAgent).join('\n')}\n`);
      if (kind === undefined) process.stdout.write('\nWrite an agent as NAME or NAME:key=value,..., e.g. uct:simulations=2000 or mcts:model=runs/tictactoe-quick,simulations=200\n');
    }));
  withExamples(command, [
    { command: 'arbor agents', note: 'every agent kind, its options and their defaults' },
    { command: 'arbor agents mcts', note: 'only the network-guided tree search' },
    { command: 'arbor agents --json', note: 'the same for scripts' },
  ]);
}
