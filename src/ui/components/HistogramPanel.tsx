import { Box, Text } from 'ink';
import { histogram, histogramLines } from '../charts.js';
import type { WatchSnapshot } from '../snapshot.js';

export function HistogramPanel({ s, width, height }: { s: WatchSnapshot; width: number; height: number }) {
  const { label, lo, hi, values } = s.observable;
  const counts = histogram(values, lo, hi, Math.max(2, height - 1));
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        histogram of {label}
      </Text>
      {histogramLines({ lo, hi, counts }, width).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a histogram row is its position; rows never reorder
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
