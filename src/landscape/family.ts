import type { ScenarioFile } from '../scenario/schema.js';

export type Dimension = NonNullable<ScenarioFile['dimensions']>[number];

/** What a built-in family contributes to a scenario: coordinates, a potential formula and walls. */
export interface FamilyBuild {
  dimensions: Dimension[];
  /** A formula in the same whitelisted language as user potentials, over the family's parameters. */
  potential: string;
  bounds?: Record<string, [number, number]>;
}

export interface Family {
  name: string;
  summary: string;
  /** Every parameter the family reads, with its default. */
  defaults: Record<string, number>;
  /** Throws FamilyParameterError naming the parameter when a value is out of range. */
  build(params: Record<string, number>): FamilyBuild;
}

export class FamilyParameterError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export function requireRange(params: Record<string, number>, name: string, lo: number, hi: number, integer = false): number {
  const v = params[name];
  if (integer && !Number.isInteger(v)) throw new FamilyParameterError(name, `must be an integer, got ${v}`);
  if (!(v >= lo && v <= hi)) throw new FamilyParameterError(name, `must be in [${lo}, ${hi}], got ${v}`);
  return v;
}
