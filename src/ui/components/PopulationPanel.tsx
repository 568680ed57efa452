import { Box, Text } from 'ink';
import { INK_COLORS, populationChart } from '../charts.js';
import type { WatchSnapshot } from '../snapshot.js';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

export function PopulationPanel({ s, width, height }: { s: WatchSnapshot; width: number; height: number }) {
  const chart = populationChart(s.history, s.regions, width, height - 2);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>populations over time</Text>
      <Text>{chart}</Text>
      <Box flexWrap="wrap" columnGap={2}>
        {s.regions.map((r, i) => (
          <Text key={r} color={r === 'other' ? 'gray' : INK_COLORS[i % INK_COLORS.length]}>
            {r} {pct(s.current[i] ?? 0)}
            {s.predicted && s.predicted[r] !== undefined ? <Text dimColor> (eq {pct(s.predicted[r])})</Text> : null}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
