export { ARITY, children, FUNCTIONS, isBoolean, type Expr, type FnName } from './ast.js';
export { derivative, gradient } from './derivative.js';
export { collectIdentifiers, emitKernelJs, floatLiteral, isSmallIntegerPower, type EmitNames } from './emit.js';
export { FormulaError } from './errors.js';
export { compileEvaluator, evaluate } from './evaluate.js';
export { MAX_DEPTH, parseFormula, type FormulaScope } from './parse.js';
export { simplify } from './simplify.js';
export { MAX_LENGTH } from './tokenize.js';
