/** Escape-time statistics: pure functions, no I/O. */
export { AnalysisError } from './errors.js';
export {
  chiSquareCdf,
  chiSquarePdf,
  chiSquareQuantile,
  chiSquareSf,
  gammaP,
  gammaQ,
  logGamma,
  normalCdf,
  normalQuantile,
  zCritical,
} from '../math/special.js';
export { censoredExponential, exposureFrom, type Exposure, type RateEstimate } from './censored.js';
export { kaplanMeier, type KaplanMeier } from './kaplan-meier.js';
export { fitLag, LAG_MIN_EVENTS, LAG_QUANTILES, type LagCandidate, type LagFit } from './lag.js';
export { ksCriticalExponential, ksDistanceExponential } from './ks-null.js';
export { poissonDevianceResidual, poissonRegression, type PoissonFit } from './poisson-regression.js';
export type { Residual } from './rate-regression.js';
export {
  arrheniusFit,
  eyringFit,
  logTimeSlope,
  type ArrheniusFit,
  type EyringFit,
  type LogTimeSlopeFit,
  type TemperaturePoint,
  type TemperatureResidual,
  type XPoint,
  type XResidual,
} from './eyring.js';
export { classifyPhase, firstReach, PHASES, type Phase, type PhaseInput } from './phases.js';
