import { describe, expect, it } from 'vitest';
import { agentDefinitions, describeParams } from '../../src/core/index.js';
import { runCli } from './run-cli.js';

interface Listing {
  name: string;
  description: string;
  params: { name: string; type: string; default: string; allowed: string; description: string }[];
}

describe('arbor agents', () => {
  it('lists every agent kind with its options, defaults and descriptions', () => {
    const r = runCli(['agents']);
    expect(r.code).toBe(0);
    for (const def of agentDefinitions()) {
      expect(r.stdout).toContain(`${def.name}  ${def.description}\n`);
      for (const p of describeParams(def.params)) {
        expect(r.stdout).toContain(`    ${p.name}=${p.default === '' ? '""' : p.default}${p.allowed ? ` (${p.allowed})` : ''}  ${p.description}\n`);
      }
    }
    // mcts, as documented: 800 simulations, PUCT constant 1.25, no network unless model= is given.
    const mcts = r.stdout.slice(r.stdout.indexOf('\nmcts  '), r.stdout.indexOf('\ngumbel  '));
    expect(mcts).toMatch(/\n {4}simulations=800 \(1\.\.\d+\) {2}simulations per move/);
    expect(mcts).toMatch(/\n {4}cPuct=1\.25 \(0\.\.100\) {2}PUCT exploration constant/);
    expect(mcts).toMatch(/\n {4}model="" {2}network checkpoint/);
    expect(r.stdout).toMatch(/^random {2}.*\n {4}\(no options\)\n/);
  });

  it('prints one JSON object: {"agents":[{name, description, params:[{name,type,default,allowed,description}]}]}', () => {
    const r = runCli(['agents', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(r.stdout) as { agents: Listing[] };
    expect(Object.keys(json)).toEqual(['agents']);
    expect(json.agents.map((a) => a.name)).toEqual(agentDefinitions().map((d) => d.name));
    for (const a of json.agents) expect(Object.keys(a)).toEqual(['name', 'description', 'params']);
    const mcts = json.agents.find((a) => a.name === 'mcts')!;
    const sims = mcts.params.find((p) => p.name === 'simulations')!;
    expect(sims).toEqual({ name: 'simulations', type: 'int', default: '800', allowed: expect.stringMatching(/^1\.\.\d+$/), description: 'simulations per move' });
    for (const p of mcts.params) expect(Object.keys(p)).toEqual(['name', 'type', 'default', 'allowed', 'description']);
  });

  it('shows one kind, and names the closest kind for a misspelt one', () => {
    const one = runCli(['agents', 'uct']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^uct {2}/);
    expect(one.stdout).not.toContain('\nmcts  ');
    const typo = runCli(['agents', 'mtcs']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^arbor: unknown agent "mtcs"; did you mean mcts\? available: random, greedy, uct, mcts, gumbel/);
    expect(typo.stderr.trim().split('\n')).toHaveLength(1);
  });
});
