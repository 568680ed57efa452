import { Box, Text } from 'ink';
import type { WatchSnapshot } from '../snapshot.js';

const fmt = (v: number) => Number(v.toPrecision(3)).toString();

export function Header({ s }: { s: WatchSnapshot }) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>grokscape watch</Text> · {s.scenario} · {s.backend} · {s.particles} particles ·{' '}
        {fmt(s.particleStepsPerSecond / 1e6)} M steps/s
      </Text>
      <Text wrap="truncate-end">
        T={fmt(s.temperature)}
        {s.knob !== null ? ` · ${s.knob.name} ${s.knob.value}` : ''} · time {Number(s.time.toPrecision(6))} (step{' '}
        {s.step}){s.paused ? <Text color="yellow"> · PAUSED</Text> : null}
      </Text>
    </Box>
  );
}
