import type { EquilibriumCheck } from '../observe/populations.js';
import type { Summary } from '../report/summary.js';

export type { EquilibriumCheck };

/**
 * The run's equilibrium check (`populations.equilibrium`: the mean populations over the third and fourth
 * quarters of the run, and whether they agree within the tolerance), or null where the summary has none:
 * results from a grokscape before the check, or a field not of this shape.
 */
export function equilibriumOf(s: Summary): EquilibriumCheck | null {
  const pops = s.populations as { equilibrium?: unknown } | undefined;
  const e = pops?.equilibrium;
  if (e === null || typeof e !== 'object') return null;
  const c = e as Partial<EquilibriumCheck>;
  if (typeof c.reached !== 'boolean') return null;
  return {
    reached: c.reached,
    thirdQuarter: c.thirdQuarter ?? {},
    fourthQuarter: c.fourthQuarter ?? {},
    maxDifference: typeof c.maxDifference === 'number' ? c.maxDifference : null,
    tolerance: typeof c.tolerance === 'number' ? c.tolerance : Number.NaN,
    ...(typeof c.note === 'string' ? { note: c.note } : {}),
  };
}

/** Equilibrium over a heatmap cell's runs: every run reached it, one did not, or one has no check. */
export type CellEquilibrium = 'reached' | 'not reached' | 'not checked';

export function cellEquilibrium(runs: Summary[]): CellEquilibrium {
  const checks = runs.map(equilibriumOf);
  if (checks.some((c) => c !== null && !c.reached)) return 'not reached';
  if (checks.some((c) => c === null)) return 'not checked';
  return 'reached';
}

/**
 * Whether a heatmap of `field` may be called a phase diagram, and the words for its title: only a
 * populations.mean.* field, and only when every cell's runs reached equilibrium. `declined` is the reason
 * when it is a population field that is not titled a phase diagram (null otherwise).
 */
export function phaseDiagramVerdict(cells: CellEquilibrium[]): { isPhaseDiagram: boolean; declined: string | null } {
  const m = cells.length;
  const notReached = cells.filter((c) => c === 'not reached').length;
  const unchecked = cells.filter((c) => c === 'not checked').length;
  if (notReached > 0)
    return {
      isPhaseDiagram: false,
      declined: `not a phase diagram: ${notReached} of ${m} points had not reached equilibrium`,
    };
  if (unchecked > 0)
    return {
      isPhaseDiagram: false,
      declined:
        unchecked === m
          ? 'not a phase diagram: equilibrium not checked (results from an older grokscape)'
          : `not a phase diagram: equilibrium not checked at ${unchecked} of ${m} points (results from an older grokscape)`,
    };
  return { isPhaseDiagram: true, declined: null };
}
