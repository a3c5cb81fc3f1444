import { ArborError, parseSpec, resolveParams } from '../envs/index.js';
import type { Agent, AgentContext, AgentDefinition } from './types.js';

const definitions = new Map<string, AgentDefinition>();

export function registerAgent(def: AgentDefinition): void {
  definitions.set(def.name, def);
}

export function agentDefinitions(): AgentDefinition[] {
  return [...definitions.values()];
}

/** Checks a spec string without building the agent (so an arena can refuse bad specs before any game). */
export function validateAgentSpec(specText: string): void {
  const spec = parseSpec(specText, 'agent');
  const def = definitions.get(spec.name);
  if (!def) throw new ArborError(`unknown agent "${spec.name}"; available: ${[...definitions.keys()].join(', ')}`);
  resolveParams(spec, def.params, 'agent');
}

/** Builds an agent from a spec string such as `uct:sims=1000,c=1.4`. */
export async function createAgent(specText: string, context: AgentContext): Promise<Agent> {
  const spec = parseSpec(specText, 'agent');
  const def = definitions.get(spec.name);
  if (!def) throw new ArborError(`unknown agent "${spec.name}"; available: ${[...definitions.keys()].join(', ')}`);
  const params = resolveParams(spec, def.params, 'agent');
  return def.create(params, context, specText.trim());
}
