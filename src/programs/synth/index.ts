/**
 * Public face of program synthesis (`arbor synth`, docs/synthesis.md): bottom-up enumeration with
 * observational equivalence, typed evolution, fitness from a ladder of opponents.
 */
export { synthesize, type SynthOptions, type SynthResult, type SynthBudget, type SynthProgress, type SynthReporter, type SynthProgramReport, type SynthStats, type CurvePoint } from './synthesize.js';
export { ladderFitness, tallyScore, type LadderEvaluator, type LadderResult, type RungResult } from './fitness.js';
export { Enumerator, type EnumerationLimits, type SizeStats, type BankEntry } from './enumerate.js';
export { defaultGrammar, builtinProductions, slotChoices, DEFAULT_CONSTANTS, type Grammar, type Production } from './grammar.js';
export { Prober, type Signature, type SampleEnv } from './probe.js';
export { samplePositions } from './sample.js';
export { TOP_CONTEXT, lambdaContext, contextOf, type SynthContext } from './context.js';
export { mutate, crossover, extend, perturbConstants, typedPoints, constantPaths, type TypedPoint } from './variation.js';
export { valueProgram, usedDefines, withUsedDefines, VALUE_SCALE } from './candidate.js';
export { loadLibraryFunctions, publishProgram, functionNameOf, type LoadedLibraryFunctions } from './library.js';
export { formatSynthResult, writeSynthResult, synthResultJson, SYNTH_RESULT_FORMAT, SYNTH_RESULT_VERSION } from './result.js';
