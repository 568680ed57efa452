#!/usr/bin/env node
// Key-press latency of `grokscape watch` in a real terminal (tmux), with both cores busy: the time from
// tmux send-keys to the screen showing the key's effect. Space (pause) is answered by the input handler
// and the next frame; '+' (temperature: a new segment) waits for the kernel call in flight and the
// reconfiguration. Usage: node bench/watch-latency.mjs [scenario] [particles] [presses]
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const [scenario = 'double-well', particles = '65536', presses = '10'] = process.argv.slice(2);
const session = `grokscape-latency-${process.pid}`;
const tmux = (...args) => spawnSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session).stdout ?? '';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(pred, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const s = screen();
    if (pred(s)) return s;
    await sleep(2);
  }
  throw new Error(`timed out; screen:\n${screen()}`);
}

/** Milliseconds from sending `key` until each predicate first holds on the screen, in order. */
async function latency(key, ...preds) {
  const t0 = performance.now();
  tmux('send-keys', '-t', session, key);
  const out = [];
  for (const pred of preds) {
    await waitFor(pred);
    out.push(performance.now() - t0);
  }
  return out;
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms, max ${s.at(-1).toFixed(0)} ms over ${s.length}`;
};

// both cores busy with something else, as on a loaded machine
const busy = process.env.LATENCY_LOAD === '0' ? 0 : 2;
const load = Array.from({ length: busy }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
try {
  const cmd = `node ${path.join(ROOT, 'bin/grokscape.js')} watch ${scenario} --backend cpu --set particles=${particles}`;
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', cmd);
  await waitFor((s) => /time [0-9.]+[1-9]/.test(s), 60_000);
  const space = [];
  const plusAck = [];
  const plusDone = [];
  for (let i = 0; i < Number(presses); i++) {
    space.push(...(await latency('Space', (s) => s.includes('PAUSED') || s.includes('pausing'))));
    await waitFor((s) => s.includes('PAUSED'));
    space.push(...(await latency('Space', (s) => s.includes('resumed'))));
    await sleep(300);
    const up = i % 2 === 0; // 0.25 -> 0.3125 -> 0.25 -> ...
    const [ack, done] = await latency(
      up ? '+' : '-',
      (s) => s.includes('applying after') || s.includes('new segment'),
      (s) => s.includes('new segment') && s.includes(up ? 'T=0.31' : 'T=0.25'),
    );
    plusAck.push(ack);
    plusDone.push(done);
    await sleep(300);
  }
  console.log(`grokscape watch ${scenario}, ${particles} particles, cpu backend, ${busy} busy loops beside it`);
  console.log(`space (pause/resume), key to screen: ${stats(space)}`);
  console.log(`+/- (temperature), key to its acknowledgement on screen: ${stats(plusAck)}`);
  console.log(`+/- (temperature), key to the new segment running at the new T: ${stats(plusDone)}`);
} finally {
  tmux('send-keys', '-t', session, 'q');
  await sleep(500);
  tmux('kill-session', '-t', session);
  for (const p of load) p.kill();
}
