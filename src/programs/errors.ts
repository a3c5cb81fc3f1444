import { ArborError } from '../core/index.js';

/** A program text that does not parse: the message starts with `SOURCE:LINE:COLUMN:` and says what was expected. */
export class ProgramSyntaxError extends ArborError {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${source}:${line}:${column}: ${detail}`);
    this.name = 'ProgramSyntaxError';
  }
}

/** A program that parses but does not type: the message names the node's position, the expected and the found type. */
export class ProgramTypeError extends ArborError {
  constructor(message: string) {
    super(message);
    this.name = 'ProgramTypeError';
  }
}

/**
 * A program that failed while running: its budget ran out, it chose an illegal move, a
 * primitive threw. `reason` is one line; an agent that raises it loses its game with that
 * reason recorded (the arena records a thrown error as a forfeit).
 */
export class ProgramRuntimeError extends ArborError {
  constructor(readonly reason: string) {
    super(`program failed: ${reason}`);
    this.name = 'ProgramRuntimeError';
  }
}
