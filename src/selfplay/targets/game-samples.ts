import type { Rng } from '../../core/index.js';
import type { Trajectory } from '../trajectory.js';
import { lambdaReturns } from './lambda-returns.js';
import { ownershipTargets } from './ownership.js';
import { sampledPlies } from './playout-cap.js';
import { policySurprises, surpriseCopies, valueSurprises } from './surprise-weighting.js';
import { mixValueTargets } from './value-mix.js';

/** What turns a trajectory into training samples (the selfplay config's target keys, and ownership). */
export interface TargetSettings {
  /** w of the value target (1 − w)·z + w·q (./value-mix.ts). */
  readonly valueTargetQWeight: number;
  /** λ of the TD(λ) return z (./lambda-returns.ts); 1 = the game result. */
  readonly valueTargetLambda: number;
  /** Shares of a game's sample weight given by policy and value surprise (./surprise-weighting.ts); both 0 = off. */
  readonly surpriseWeighting: { readonly policy: number; readonly value: number };
  /** The own/opp piece planes and the board's cells when ownership targets are wanted (./ownership.ts), else null. */
  readonly ownership: { readonly planes: readonly [number, number]; readonly cells: number } | null;
}

/** A game's training samples, described over its trajectory: which plies, with which targets, how often. */
export interface GameSamples {
  /** The sampled plies (full searches), in order; a sample's input, policy target and mask are the trajectory's rows at its ply. */
  readonly plies: Int32Array;
  /** Value target of each sample, for its mover. */
  readonly values: Float32Array;
  /** How many times each sample is written (1 each without surprise weighting). */
  readonly copies: Int32Array;
  /** `cells` ownership targets per sample, or null. */
  readonly ownership: Float32Array | null;
  /** Samples written in all (the sum of `copies`). */
  readonly written: number;
}

/**
 * The training samples of one game: playout-cap filtering picks the plies, the value target mixes
 * the (λ-)return with the root value, ownership targets come from the final position, and surprise
 * weighting decides how often each is written. `rng` rounds the surprise weights; self-play passes
 * the game's own stream, continued after its last move. Nothing else is random.
 */
export function gameSamples(t: Trajectory, settings: TargetSettings, rng: Rng): GameSamples {
  const plies = sampledPlies(t);
  const returns = lambdaReturns(t.rootValues, t.players, t.plies, t.outcome, settings.valueTargetLambda);
  const values = mixValueTargets(returns, t.rootValues, plies, settings.valueTargetQWeight);
  const own = settings.ownership;
  const ownership = own ? ownershipTargets(t, plies, own.planes, own.cells) : null;
  const { policy, value } = settings.surpriseWeighting;
  const copies = new Int32Array(plies.length);
  let written = plies.length;
  if (policy > 0 || value > 0) {
    written = surpriseCopies(policySurprises(t, plies), valueSurprises(returns, t.networkValues, plies), plies.length, policy, value, rng, copies);
  } else {
    copies.fill(1);
  }
  return { plies, values, copies, ownership, written };
}
