export { equilibriumFractions1d, type EquilibriumInput } from './equilibrium.js';
export { fickJacobsMfpt, type Diffusivity } from './fick-jacobs.js';
export {
  funnelFreeEnergy,
  funnelLogKappa,
  funnelPotential,
  funnelPredictions,
  grokkingThreshold,
  type FunnelParams,
  type FunnelRegions,
} from './funnel.js';
export { eyringKramersTime, findStationaryPoints, kramersRate, secondDerivative, validityNote } from './kramers.js';
export { mfpt1d, type Mfpt1dInput } from './mfpt.js';
export { findSaddle, minimize, symmetricEigenvalues } from './saddle.js';
export {
  barrierAlong,
  firstOrderFreeEnergy,
  firstOrderRange,
  firstOrderTransition,
  orderedMinimum,
  type FirstOrderParams,
} from './first-order.js';
