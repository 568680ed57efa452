import type { ScenarioFile } from './schema.js';

export interface CoordinateLayout {
  /** Coordinate names in kernel order. */
  coordinates: string[];
  /** Vector blocks: block name -> its element coordinate names (y -> y1..y16). */
  vectors: Record<string, string[]>;
}

type Dimension = NonNullable<ScenarioFile['dimensions']>[number];

export function layoutOf(dimensions: Dimension[]): CoordinateLayout {
  const coordinates: string[] = [];
  const vectors: Record<string, string[]> = {};
  for (const d of dimensions) {
    if (typeof d === 'string') coordinates.push(d);
    else {
      const names = Array.from({ length: d.count }, (_, i) => `${d.name}${i + 1}`);
      vectors[d.name] = names;
      coordinates.push(...names);
    }
  }
  return { coordinates, vectors };
}

/** Names a coordinate-keyed map may use: single coordinates and whole vector blocks. */
export function expandKey(layout: CoordinateLayout, key: string): string[] | undefined {
  if (Object.hasOwn(layout.vectors, key)) return layout.vectors[key];
  return layout.coordinates.includes(key) ? [key] : undefined;
}

export function describeLayout(layout: CoordinateLayout): string {
  const blockOf = new Map<string, string>();
  for (const [b, names] of Object.entries(layout.vectors)) for (const n of names) blockOf.set(n, b);
  const parts: string[] = [];
  for (const c of layout.coordinates) {
    const b = blockOf.get(c);
    if (!b) parts.push(c);
    else if (layout.vectors[b][0] === c) parts.push(`${b} (${layout.vectors[b][0]}..${layout.vectors[b].at(-1)})`);
  }
  return parts.join(', ');
}
