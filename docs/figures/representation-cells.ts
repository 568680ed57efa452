import fs from 'node:fs';

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
