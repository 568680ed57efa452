import { Box, Text } from 'ink';
import { INK_COLORS, populationChart, regionMark } from '../charts.js';
import type { WatchSnapshot } from '../snapshot.js';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const GAP = 2;

/** Lines a row-wrapped legend of entries this wide takes in `width` columns (GAP between entries). */
function legendLines(widths: number[], width: number): number {
  let lines = 1;
  let used = 0;
  for (const w of widths) {
    if (used > 0 && used + GAP + w > width) {
      lines++;
      used = 0;
    }
    used += (used > 0 ? GAP : 0) + w;
  }
  return lines;
}

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`);

/** The prefix every named region shares (`region_` of region_a, region_b), dropped first when names are cut. */
function sharedPrefix(regions: string[]): string {
  const named = regions.filter((r) => r !== 'other');
  if (named.length < 2) return '';
  let p = named[0];
  for (const r of named) while (!r.startsWith(p)) p = p.slice(0, -1);
  return p.length >= 3 ? p : '';
}

/**
 * The chart keeps at least half the panel: with many regions or long names the legend first drops the
 * predicted equilibrium, then shortens the names, their shared prefix first (the summary and `predict` have
 * them whole).
 */
function legend(s: WatchSnapshot, width: number, budget: number, color: boolean) {
  const mark = (r: string, i: number) => (color ? '■' : regionMark(r, i));
  const variants = [
    { names: Infinity, eq: true },
    { names: Infinity, eq: false },
    { names: 12, eq: false },
    { names: 6, eq: false },
  ];
  const prefix = sharedPrefix(s.regions);
  const short = (r: string, max: number) =>
    max === Infinity ? r : cut(r !== 'other' && prefix ? `…${r.slice(prefix.length)}` : r, max);
  const entriesOf = (v: (typeof variants)[number]) =>
    s.regions.map((r, i) => {
      const eq = v.eq && s.predicted && s.predicted[r] !== undefined ? ` (eq ${pct(s.predicted[r])})` : '';
      const head = cut(`${mark(r, i)} ${short(r, v.names)} ${pct(s.current[i] ?? 0)}`, width);
      return { region: r, index: i, head, eq: head.length + eq.length <= width ? eq : '' };
    });
  const layouts = variants.map((v) => {
    const entries = entriesOf(v);
    return {
      entries,
      lines: legendLines(
        entries.map((e) => e.head.length + e.eq.length),
        width,
      ),
    };
  });
  const chosen = layouts.find((l) => l.lines <= budget) ?? layouts[layouts.length - 1];
  return { entries: chosen.entries, lines: Math.min(chosen.lines, budget) };
}

export function PopulationPanel({
  s,
  width,
  height,
  color,
}: {
  s: WatchSnapshot;
  width: number;
  height: number;
  color: boolean;
}) {
  const budget = Math.max(1, Math.floor((height - 1) / 2));
  const { entries, lines } = legend(s, width, budget, color);
  const chart = populationChart(s.history, s.regions, width, height - 1 - lines, color);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>populations over time</Text>
      <Text>{chart}</Text>
      <Box flexWrap="wrap" columnGap={GAP} height={lines} overflow="hidden">
        {entries.map((e) => (
          <Text key={e.region} color={e.region === 'other' ? 'gray' : INK_COLORS[e.index % INK_COLORS.length]}>
            {e.head}
            {e.eq ? <Text dimColor>{e.eq}</Text> : null}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
