import { Text } from 'ink';

export function HelpLine({ hasDataSize }: { hasDataSize: boolean }) {
  return (
    <Text dimColor wrap="truncate-end">
      space pause · +/- temperature{hasDataSize ? ' · d/D data size' : ''} · r reset · s save · q quit
    </Text>
  );
}
