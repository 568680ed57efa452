import { Box, Text } from 'ink';
import { INK_COLORS, populationChart, regionMark } from '../charts.js';
import type { WatchSnapshot } from '../snapshot.js';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** Width of one legend entry: "■ generalizing 100.0% (eq 100.0%)" plus the gap. */
const legendEntryWidth = (name: string) => name.length + 24;

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
  let legendLines = 1;
  let used = 0;
  for (const r of s.regions) {
    const w = legendEntryWidth(r);
    if (used > 0 && used + w > width) {
      legendLines++;
      used = 0;
    }
    used += w;
  }
  const chart = populationChart(s.history, s.regions, width, height - 1 - legendLines, color);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>populations over time</Text>
      <Text>{chart}</Text>
      <Box flexWrap="wrap" columnGap={2}>
        {s.regions.map((r, i) => (
          <Text key={r} color={r === 'other' ? 'gray' : INK_COLORS[i % INK_COLORS.length]}>
            {color ? '■' : regionMark(r, i)} {r} {pct(s.current[i] ?? 0)}
            {s.predicted && s.predicted[r] !== undefined ? <Text dimColor> (eq {pct(s.predicted[r])})</Text> : null}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
