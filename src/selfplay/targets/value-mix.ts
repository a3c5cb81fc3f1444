/**
 * The value target of each sample: (1 − w)·z + w·q, z the outcome for the sample's mover (the
 * game result, or its λ-return: ./lambda-returns.ts) and q the root value of the sample's own
 * search. Prasad, Abrams et al., "Lessons from AlphaZero for Optimal, Oracle-Validated Connect
 * Four", part 4 "Improving the Training Target" (Oracle AI blog, 2018): the average of z and q
 * trained a stronger Connect Four network than z alone (z is noisy under move sampling, q is
 * biased by the current network). w = 0 is AlphaZero's z.
 *
 * @param returns z of every searched move, for its mover
 * @param rootValues q of every searched move, for its mover
 * @param plies the searched moves that are samples (./playout-cap.ts)
 * @param qWeight w, in [0, 1]
 * @returns one value per entry of `plies`
 */
export function mixValueTargets(returns: Float32Array, rootValues: Float32Array, plies: Int32Array, qWeight: number): Float32Array {
  const out = new Float32Array(plies.length);
  for (let i = 0; i < plies.length; i++) out[i] = (1 - qWeight) * returns[plies[i]] + qWeight * rootValues[plies[i]];
  return out;
}
