import { useApp, useInput, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { WatchSnapshot } from '../snapshot.js';
import type { WatchController } from '../watch-controller.js';
import { WatchScreen } from './WatchScreen.js';

/** Frames at most every 100 ms (about 10 per second), whatever the simulation's pace. */
export const FRAME_MS = 100;

function useThrottledSnapshot(controller: WatchController): WatchSnapshot {
  const [snap, setSnap] = useState<WatchSnapshot>(() => controller.snapshot());
  useEffect(() => {
    let timer: NodeJS.Timeout | null = null;
    let last = 0;
    const flush = () => {
      timer = null;
      last = Date.now();
      setSnap(controller.snapshot());
    };
    const unsubscribe = controller.onChange(() => {
      if (!timer) timer = setTimeout(flush, Math.max(0, FRAME_MS - (Date.now() - last)));
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [controller]);
  return snap;
}

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 }));
  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

export function WatchApp({ controller }: { controller: WatchController }) {
  const { exit } = useApp();
  const snap = useThrottledSnapshot(controller);
  const { columns, rows } = useTerminalSize();
  useInput((input, key) => {
    // Keys that arrive together (typed during a kernel call, pasted, sent by a script) come as one string:
    // each is a command, in order, and Ctrl-C among them is \x03.
    const keys = key.ctrl && input === 'c' ? ['\x03'] : [...input];
    for (const k of keys) {
      if (k === 'q' || k === '\x03') {
        controller.quit(k === 'q' ? 'q' : 'SIGINT');
        exit();
        return;
      }
      if (k === ' ') controller.togglePause();
      else if (k === '+' || k === '=') controller.changeTemperature(true);
      else if (k === '-' || k === '_') controller.changeTemperature(false);
      else if (k === 'd') controller.changeKnob(-1);
      else if (k === 'D') controller.changeKnob(1);
      else if (k === 'r') controller.reset();
      else if (k === 's') controller.save();
    }
  });
  return <WatchScreen s={snap} columns={columns} rows={rows} />;
}
