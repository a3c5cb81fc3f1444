/**
 * Public face of the programs layer: arbor's agent language (docs/programs.md) — its AST, parser,
 * printer, JSON form, type checker and compiler; the primitive registry; the `program:FILE` agent
 * and the `program:` evaluator for the search. Importing it registers the agent kind, the
 * evaluator scheme and the built-in primitives.
 */
export * from './types.js';
export {
  num, bool, ref, v, call, ifExpr, letExpr, lambda, children, withChildren, exprSize, programSize, exprAt, replaceAt, subexpressions,
  typeToString, typesEqual, assignable, isFunctionType, spanOf, where, RESERVED_WORDS, BASE_TYPES,
  type Expr, type NumberLit, type BooleanLit, type RefLit, type Var, type Call, type If, type Let, type Lambda, type LambdaParam, type Binding,
  type Define, type Program, type ProgramKind, type Span, type ExprPath,
} from './ast.js';
export { parseProgram, parseExpr, parseType } from './parse.js';
export { printProgram, printExpr, printRef } from './print.js';
export { toJson, fromJson, PROGRAM_JSON_FORMAT, PROGRAM_JSON_VERSION, type ProgramJson } from './json.js';
export { checkProgram, typedSubexpressions, type CheckOptions } from './check.js';
export { BUILTINS, type Builtin } from './builtins.js';
export { compileProgram, compileFunction, overrunAllowance, MIN_OVERRUN_MS, OVERRUN_FRACTION, type CompileOptions, type CompiledProgram, type CompiledFunction } from './compile.js';
export { prepareReferences, programReferences, NO_REFERENCES, type PreparedReferences, type ProgramReference } from './prepare.js';
export {
  parseLibraryFunction, libraryFunctionText, checkLibraryFunction, libraryFunctionPrimitive, libraryFunctionPrimitives, loadLibraryFunctions,
  resolveLibraryFunctions, isFunctionTypeText, calledNames, type LibraryFunction, type ProgramEntrySource,
} from './library-functions.js';
export { ResultCache } from './cache.js';
export { ProgramSyntaxError, ProgramTypeError, ProgramRuntimeError } from './errors.js';
export {
  primitives, registerPrimitives, primitiveLookup, primitiveFactories, registerPrimitiveFactories, type PrimitiveLookup, type FactoryLookup,
} from './registry.js';
export { basicPrimitives } from './primitives/basic.js';
export { loadProgram, readProgramText, parseProgramText, readLibraryProgram, setProgramLibraryReader, PROGRAM_EXTENSION, type ProgramText, type ProgramLibraryReader } from './load.js';
export { ProgramPlayer } from './player.js';
export { ProgramEvaluator, programModelLoader, DEFAULT_EVALUATION_BUDGET } from './evaluator.js';
export { programAgent } from './agent.js';
export {
  compressCorpus, readCorpus, corpusPrimitives, addAbstractions, abstractionFigures, rewrittenText, antiUnify, abstractionOf, rewriteProgram, rewriteExpr, functionSize,
  bindPattern, holeOccurrences, patternArity, exprEqual, hole, holeIndex,
  type CorpusProgram, type LearnedAbstraction, type CompressionResult, type CompressOptions, type Abstraction, type AntiUnified,
} from './abstraction/index.js';
export { libraryFunctionType, libraryFunctionDefine, isFunctionEntryType, isDefinable } from './library-functions.js';
import './register.js';
