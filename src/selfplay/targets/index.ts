/**
 * Training targets as pure functions over self-play trajectories (../trajectory.ts), each in its
 * own module with its source: playout-cap filtering, TD(λ) returns, the z/q value mix, ownership,
 * surprise weighting, and gameSamples composing them for one game.
 */
export { sampledPlies } from './playout-cap.js';
export { lambdaReturns } from './lambda-returns.js';
export { mixValueTargets } from './value-mix.js';
export { ownershipPlanes, ownershipTargets } from './ownership.js';
export { policySurprise, policySurprises, valueSurprises, surpriseCopies } from './surprise-weighting.js';
export { gameSamples, type GameSamples, type TargetSettings } from './game-samples.js';
