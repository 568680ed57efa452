import type { Scenario } from '../landscape/scenario.js';
import type { Reporter } from '../observe/driver.js';
import { progressOf } from '../observe/reporters.js';

/**
 * The progress line, a reporter of the run's drive at the recording interval: one line rewritten in place on
 * a terminal on stderr, plain lines at most every 5 s otherwise. `done` clears the line.
 */
export function progressReporter(s: Scenario): Reporter & { done: () => void } {
  const tty = process.stderr.isTTY === true;
  let lastPlain = 0;
  let drawn = false;
  return {
    every: s.recordEvery,
    report(state) {
      const p = progressOf(state);
      const frac = p.step / p.steps;
      const rate = p.elapsedSeconds > 0 ? (p.step * s.particles) / p.elapsedSeconds : 0;
      const eta = frac > 0 ? (p.elapsedSeconds * (1 - frac)) / frac : Number.NaN;
      const line = `step ${p.step}/${p.steps} (${(100 * frac).toFixed(1)}%)  escaped ${p.escaped}/${s.particles}  ${(rate / 1e6).toPrecision(3)} M particle-steps/s  ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)} s` : '?'}`;
      if (tty) {
        process.stderr.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else if (p.elapsedSeconds - lastPlain >= 5 || p.step === p.steps) {
        process.stderr.write(`${line}\n`);
        lastPlain = p.elapsedSeconds;
      }
    },
    done() {
      if (drawn) process.stderr.write('\r\x1b[2K');
    },
  };
}
