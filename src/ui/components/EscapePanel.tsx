import { Box, Text } from 'ink';
import type { WatchSnapshot } from '../snapshot.js';

const g = (v: number | null) => (v === null ? 'n/a' : Number(v.toPrecision(3)).toString());

export function EscapePanel({ s }: { s: WatchSnapshot }) {
  const e = s.escape;
  if (!e) return <Text dimColor>no escape defined in this scenario</Text>;
  const rate =
    e.events === 0
      ? e.rateCI95[1] > 0
        ? `rate < ${g(e.rateCI95[1])} (95% bound)`
        : 'rate: no time at risk yet'
      : `rate ${g(e.rate)} [${g(e.rateCI95[0])}, ${g(e.rateCI95[1])}] (95%)`;
  const ratio =
    e.mfpt !== null && e.predictedMfpt !== null ? ` · measured/predicted ${g(e.mfpt / e.predictedMfpt)}` : '';
  // The rate and its interval come first on their line: at 80 columns the predictions after them may be cut,
  // never the interval.
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>escapes</Text> {e.from}→{e.to}: {e.events}/{e.atRisk} · MFPT {g(e.mfpt)}
      </Text>
      <Text wrap="truncate-end">
        {rate}
        <Text dimColor>
          {e.predictedMfpt !== null ? ` · predicted MFPT ${g(e.predictedMfpt)}` : ' · no MFPT prediction'}
          {ratio}
        </Text>
      </Text>
    </Box>
  );
}
