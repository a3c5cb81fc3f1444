/** Thrown when a search passes its node limit (Connect4Solver.nodeLimit). */
export class SearchAborted extends Error {
  constructor(limit: number) {
    super(`search passed its limit of ${limit} nodes`);
    this.name = 'SearchAborted';
  }
}
