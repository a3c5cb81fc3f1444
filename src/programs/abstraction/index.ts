/**
 * Library learning (`arbor library abstract`, docs/programs-abstraction.md): sub-programs that
 * recur across programs of several games become library functions, ranked by how much they
 * compress the corpus (Stitch, Bowers et al. POPL 2023), and the programs are rewritten to call them.
 */
export {
  hole, holeIndex, exprEqual, sameHead, headKey, freeVars, isSafe, isPure, holeOccurrences, patternNodes, patternArity, bindPattern,
  type HoleOccurrence,
} from './pattern.js';
export { antiUnify, type AntiUnified, type AntiUnifyOptions } from './anti-unify.js';
export { abstractionOf, rewriteExpr, rewriteProgram, functionSize, type Abstraction } from './rewrite.js';
export { compressCorpus, type CorpusProgram, type LearnedAbstraction, type CompressionResult, type CompressOptions } from './compress.js';
export { readCorpus, corpusPrimitives } from './corpus.js';
export { addAbstractions, abstractionFigures, rewrittenText } from './publish.js';
