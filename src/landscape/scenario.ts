import type { Expr } from '../formula/index.js';
import type { CoordinateLayout } from '../scenario/dimensions.js';

/** A scenario resolved and compiled: every formula parsed, every default filled, every override applied. */
export interface Scenario {
  file: string;
  name: string;
  description: string;
  family: string | null;
  layout: CoordinateLayout;
  /** Resolved parameters (family defaults, file values, --set overrides). */
  parameters: Record<string, number>;
  potentialText: string;
  potential: Expr;
  /** dU/dx_i for every coordinate, derived symbolically and simplified. */
  gradient: Expr[];
  regions: { name: string; text: string; expr: Expr }[];
  /** Reflecting walls per coordinate, or null. */
  bounds: ([number, number] | null)[];
  escape: { from: string; to: string } | null;
  /** Start point per coordinate, and the standard deviation of a Gaussian spread around it. */
  start: number[];
  spread: number;
  temperature: number;
  dt: number;
  steps: number;
  particles: number;
  seed: number;
  /** Population recording interval in steps. */
  recordEvery: number;
  observable: { text: string; expr: Expr };
}

export const OTHER_REGION = 'other';
