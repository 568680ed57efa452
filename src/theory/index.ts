export { equilibriumFractions1d, type EquilibriumInput } from './equilibrium.js';
export { fickJacobsMfpt, type Diffusivity } from './fick-jacobs.js';
export { eyringKramersTime, findStationaryPoints, kramersRate, secondDerivative, validityNote } from './kramers.js';
export { mfpt1d, mfpt1dBetween, type Mfpt1dInput } from './mfpt.js';
export { type ExitSaddle, exitSaddles, minimize, symmetricEigenvalues } from './saddle.js';
