import { Text } from 'ink';

export function HelpLine({ knob }: { knob: string | null }) {
  return (
    <Text dimColor wrap="truncate-end">
      space pause · +/- temperature{knob === 'dataSize' ? ' · d/D data size' : knob ? ` · d/D ${knob}` : ''} · r reset ·
      s save · q quit
    </Text>
  );
}
