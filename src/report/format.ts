import { describeExtra } from '../landscape/predict.js';
import { COMMON_PREDICTION_FIELDS, type Prediction, sig as g } from '../landscape/prediction.js';
import { LAG_NOT_APPLICABLE, type Summary } from './summary.js';

export function formatPrediction(p: Prediction | null): string {
  if (!p) return 'prediction: none for this landscape';
  const lines = [`prediction (${p.method}):`];
  if (p.populations)
    lines.push(
      `  equilibrium populations: ${Object.entries(p.populations)
        .map(([k, v]) => `${k} ${g(v)}`)
        .join(', ')}`,
    );
  if (p.observableMean != null) lines.push(`  equilibrium mean of the observable: ${g(p.observableMean)}`);
  if (p.mfpt != null) lines.push(`  mean first-passage time: ${g(p.mfpt)}  (rate ${g(1 / p.mfpt)})`);
  if (p.freeEnergyBarrier != null)
    lines.push(`  free-energy barrier along the order coordinate: ${g(p.freeEnergyBarrier)}`);
  if (p.kramers)
    lines.push(
      `  Kramers: rate ${g(p.kramers.rate)}, time ${g(p.kramers.time)}, barrier ${g(p.kramers.barrier)} (${p.kramers.note})`,
    );
  for (const [name, value] of Object.entries(p)) {
    if (COMMON_PREDICTION_FIELDS.has(name) || value == null) continue;
    const line = describeExtra(name, value);
    if (line) lines.push(`  ${line}`);
  }
  for (const n of p.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

export function formatSummary(s: Summary): string {
  const lines = [
    `${s.scenario}: ${s.particles} particles x ${s.stepsDone} steps (T=${s.temperature}, dt=${s.dt}, seed ${s.seed}) on ${s.backend} in ${s.elapsedSeconds.toFixed(1)} s, ${g(s.particleStepsPerSecond / 1e6, 3)} M particle-steps/s${s.interrupted ? ' (INTERRUPTED)' : ''}`,
    `populations (mean over the second half): ${Object.entries(s.populations.mean)
      .map(([k, v]) => `${k} ${g(v)}`)
      .join(', ')}`,
  ];
  const e = s.escape;
  if (e) {
    lines.push(
      e.upperBoundOnly
        ? `escapes ${e.from} -> ${e.to}: none in exposure ${g(e.exposure)}; rate < ${g(e.rateCI95[1])} (95% upper bound)`
        : `escapes ${e.from} -> ${e.to}: ${e.events} of ${s.particles}; rate ${g(e.rate)} [${g(e.rateCI95[0])}, ${g(e.rateCI95[1])}], MFPT ${g(e.mfpt)} [${g(e.mfptCI95[0])}, ${g(e.mfptCI95[1])}]`,
    );
    if (e.lag?.criterion === LAG_NOT_APPLICABLE)
      lines.push('  exponential check: not applicable at T = 0 (deterministic dynamics)');
    else if (e.lag)
      lines.push(
        `  exponential check: lag ${g(e.lag.lag)}, rate after lag ${g(e.lag.rateAfterLag)}; ${e.lag.exponentialConsistent ? 'consistent with memoryless escapes' : 'NOT consistent with an exponential after the lag'}`,
      );
  }
  lines.push(formatPrediction(s.prediction));
  const c = s.comparison;
  if (typeof c.mfpt === 'number') lines.push(`measured / predicted MFPT: ${g(c.mfpt)}`);
  if (typeof c.kramersTime === 'number')
    lines.push(`measured MFPT / Eyring-Kramers time: ${g(c.kramersTime)} (an asymptote: off by O(T/dU))`);
  if (s.measures) lines.push(`family measures (summary.json measures): ${flatMeasures(s.measures)}`);
  const warning = shortRunWarning(s);
  if (warning) lines.push(warning);
  return lines.join('\n');
}

/** The short-run rule (docs/limits.md): warn when more than this fraction of the particles is censored... */
export const SHORT_RUN_CENSORED = 0.05;
/** ...and the run is shorter than this many estimated MFPTs; the advice is to run this many. */
export const SHORT_RUN_MFPTS = 3;

/**
 * A run too short for an unbiased MFPT, as a `grokscape: warning:` line (null when it is long enough).
 * The censored-exponential estimate E/d assumes exponential escapes. With an early transient (no escapes
 * for a lag L, exponential after it) it overestimates the MFPT by L S / (1 - S), S the fraction still not
 * escaped at the end: small only once few particles remain, about 0.05 L at S = e^-3, i.e. after 3 MFPTs.
 */
export function shortRunWarning(s: Summary): string | null {
  const e = s.escape;
  if (!e || e.upperBoundOnly || e.mfpt == null || !(e.mfpt > 0)) return null;
  const censored = e.censored / (e.events + e.censored);
  const observed = s.stepsDone * s.dt;
  if (!(censored > SHORT_RUN_CENSORED && observed < SHORT_RUN_MFPTS * e.mfpt)) return null;
  const steps = Math.ceil((SHORT_RUN_MFPTS * e.mfpt) / s.dt);
  return `grokscape: warning: ${g(censored * 100, 2)}% of the particles had not escaped after ${s.stepsDone} steps (${g(observed / e.mfpt, 2)} x the estimated MFPT ${g(e.mfpt)}): the MFPT estimate assumes exponential escapes and any early transient biases it; run at least ${steps} steps (${SHORT_RUN_MFPTS} x the estimated MFPT / dt)`;
}

/** A family's nested measures on one line: `delay.mean 187, delay.n 48, ...`. */
function flatMeasures(m: NonNullable<Summary['measures']>, prefix = ''): string {
  return Object.entries(m)
    .map(([k, v]) =>
      v !== null && typeof v === 'object' ? flatMeasures(v, `${prefix}${k}.`) : `${prefix}${k} ${g(v)}`,
    )
    .join(', ');
}
