import fs from 'node:fs';

/** One line of liu-decoder-representation-time.ts: a training set x eta cell and its networks' first steps. */
export interface RepresentationCell {
  trainFraction: number;
  dataSeed: number;
  eta: number;
  lambda3: number;
  level: number;
  steps: number;
  parameters: Record<string, number>;
  /** Engine step at which each network's embeddings became linear, -1 where they did not (censored). */
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
