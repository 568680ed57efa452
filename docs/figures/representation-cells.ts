import fs from 'node:fs';
import { parallelogramTheory } from '../../src/landscape/families/parallelogram/theory.js';
import { resolveScenario } from '../../src/landscape/resolve.js';

/** One line of liu-decoder-representation-time.ts: a training set x eta cell and its networks' times. */
export interface RepresentationCell {
  trainFraction: number;
  dataSeed: number;
  eta: number;
  lambda3: number;
  /**
   * What `times` holds: first steps at `level` of linearity or rqi (absent in files written before it was
   * recorded: linearity), or relaxation times (liu-decoder-relaxation.ts).
   */
  order?: 'linearity' | 'rqi' | 'relaxation';
  level: number;
  steps: number;
  parameters: Record<string, number>;
  /** Engine step at which each network's embeddings reached the level, -1 where they did not (censored). */
  times: number[];
}

/** The cells of one or more files of that script's output (lines that are not JSON objects are skipped). */
export function readRepresentationCells(files: string[]): RepresentationCell[] {
  return files.flatMap((f) =>
    fs
      .readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as RepresentationCell),
  );
}

/**
 * The liu-decoder parameters of each cell of a script's grid, training sets (`sets=fraction:dataSeed,...`) x
 * embedding learning rates (`etas=...`): hidden 8 and 16 networks unless `fixed` says otherwise, then `perEta`.
 */
export function cellGrid(
  named: Record<string, string>,
  fixed: Record<string, number>,
  defaults: { sets: string; etas: string },
  perEta: (eta: number) => Record<string, number> = () => ({}),
): Record<string, number>[] {
  const sets = (named.sets ?? defaults.sets).split(',').map((x) => x.split(':').map(Number));
  const etas = (named.etas ?? defaults.etas).split(',').map(Number);
  return sets.flatMap(([trainFraction, dataSeed]) =>
    etas.map((eta) => ({ hidden: 8, particles: 16, ...fixed, ...perEta(eta), trainFraction, dataSeed, eta })),
  );
}

/** Prints one cell as a JSON line: the liu-decoder parameters resolved, lambda_3 of their training set. */
export function printCell(
  parameters: Record<string, number>,
  { order, level, steps, times }: Pick<RepresentationCell, 'order' | 'level' | 'steps' | 'times'>,
): void {
  const resolved = resolveScenario('liu-decoder', parameters).parameters;
  const { trainFraction, dataSeed, eta } = resolved;
  const { lambda3 } = parallelogramTheory(trainFraction, dataSeed, 1);
  const cell: RepresentationCell = {
    trainFraction,
    dataSeed,
    eta,
    lambda3,
    order,
    level,
    steps,
    parameters: resolved,
    times,
  };
  console.log(JSON.stringify(cell));
}
