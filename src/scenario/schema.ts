import { z } from 'zod';

/**
 * The scenario file format (docs/scenarios.md documents every key). Strict objects: an unknown key is
 * an error, so a typo never silently falls back to a default.
 */

const IDENTIFIER = 'a name of letters, digits and _ that starts with a letter';
const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, IDENTIFIER)
  .describe(IDENTIFIER);

/*
 * Types and ranges are zod's own (min, max, int, positive), not refinements: scenario/issues.ts reads them
 * from the schema to say what is expected and how to fix it. z.number() refuses NaN and infinities.
 * The float32 limits of the kernels are checked after the schema (scenario/float32.ts).
 */
const finite = z.number();
// 0 is plain gradient descent, allowed only for model families that declare it (landscape/resolve.ts).
const nonNegative = z.number().min(0);

export const dimensionSchema = z.union([
  identifier,
  z.strictObject({ name: identifier, count: z.number().int().min(1).max(4096) }),
]);

export const scenarioSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and - (kebab-case)')
      .describe('a kebab-case name (lowercase letters, digits and -)'),
    description: z.string().max(300),
    dimensions: z.array(dimensionSchema).min(1).optional(),
    parameters: z.record(identifier, finite).default({}),
    potential: z.string().min(1).optional(),
    // the family name is checked against the one registry, landscape/families/index.ts
    landscape: z.strictObject({ family: z.string() }).optional(),
    temperature: nonNegative,
    dt: z.number().positive(),
    steps: z.number().int().min(1),
    particles: z.number().int().min(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 48 - 1),
    // required for formula scenarios (landscape/resolve.ts); a model family sets its own start and regions
    start: z.record(identifier, finite).optional(),
    spread: z.number().min(0).optional(),
    bounds: z.record(identifier, z.tuple([finite, finite]).describe('a list of 2 numbers [lo, hi]')).optional(),
    regions: z.record(identifier, z.string().min(1)).optional(),
    escape: z.strictObject({ from: identifier, to: identifier }).optional(),
    record: z.strictObject({ every: z.number().int().min(1) }).optional(),
    observable: z.string().min(1).optional(),
  })
  .refine((s) => (s.potential === undefined) !== (s.landscape === undefined), {
    message: 'exactly one of `potential` (a formula) or `landscape` (a built-in family) is required',
  })
  .refine((s) => s.landscape !== undefined || s.dimensions !== undefined, {
    message: 'add dimensions: [x, ...] (the coordinate names a `potential` formula uses)',
    path: ['dimensions'],
  });

export type ScenarioFile = z.infer<typeof scenarioSchema>;

/** Top-level numbers that --set and scans may override besides parameters. */
export const OVERRIDABLE_TOP = ['temperature', 'dt', 'steps', 'particles', 'seed'] as const;
export type OverridableTop = (typeof OVERRIDABLE_TOP)[number];
