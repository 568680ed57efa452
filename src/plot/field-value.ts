/** The finite number at a dotted path (`measures.delay.mean`) in a run's or a sweep row's record, or null. */
export function valueAt(obj: unknown, dotted: string): number | null {
  let cur: unknown = obj;
  for (const k of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, k)) return null;
    cur = (cur as Record<string, unknown>)[k];
  }
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
}
