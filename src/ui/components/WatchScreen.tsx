import chalk from 'chalk';
import { Box, Text } from 'ink';
import type { WatchSnapshot } from '../snapshot.js';
import { EscapePanel } from './EscapePanel.js';
import { Header } from './Header.js';
import { HelpLine } from './HelpLine.js';
import { HistogramPanel } from './HistogramPanel.js';
import { PopulationPanel } from './PopulationPanel.js';

/** The smallest terminal the charts fit in; below it the screen keeps only its lines of numbers. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

/**
 * The whole screen for a terminal of `columns` x `rows` (at least 80 x 24 is designed for); `color`: whether
 * the terminal shows colours (Ink's own test, chalk's level; false under NO_COLOR).
 */
export function WatchScreen({
  s,
  columns,
  rows,
  color = chalk.level > 0,
}: {
  s: WatchSnapshot;
  columns: number;
  rows: number;
  color?: boolean;
}) {
  if (columns < MIN_COLUMNS || rows < MIN_ROWS)
    return (
      <Box flexDirection="column" width={Math.max(1, columns - 1)}>
        <Header s={s} />
        <EscapePanel s={s} />
        <Text wrap="truncate-end" color="yellow">
          {columns}x{rows}: the charts need {MIN_COLUMNS}x{MIN_ROWS}
        </Text>
        <Text wrap="truncate-end" color="cyan">
          {s.message || ' '}
        </Text>
        <HelpLine knob={s.knob?.name ?? null} />
      </Box>
    );
  const width = columns - 1;
  // A message longer than a line (a refusal, a failed save with its path) gets a second line from the body
  // where the body can spare one.
  const messageLines = s.message.length > width && rows > MIN_ROWS ? 2 : 1;
  // Six lines around the body and the message (two header, a margin, two escape, help) and one spare: Ink
  // redraws in place only while the frame is shorter than the terminal, and clears the screen otherwise.
  const body = Math.max(8, rows - 7 - messageLines);
  const histWidth = Math.max(24, Math.floor(width * 0.38));
  const chartWidth = width - histWidth - 2;
  return (
    <Box flexDirection="column" width={width}>
      <Header s={s} />
      <Box marginTop={1} columnGap={2} height={body} overflow="hidden">
        <PopulationPanel s={s} width={chartWidth} height={body} color={color} />
        <HistogramPanel s={s} width={histWidth} height={body} />
      </Box>
      <EscapePanel s={s} />
      <Box height={messageLines} overflow="hidden">
        <Text wrap="wrap" color="cyan">
          {s.message || ' '}
        </Text>
      </Box>
      <HelpLine knob={s.knob?.name ?? null} />
    </Box>
  );
}
