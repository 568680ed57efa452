import type { Family } from '../family.js';
import { entropicChannel } from './channel.js';
import { doubleWell } from './double-well.js';
import { firstOrder } from './first-order.js';
import { entropicFunnel, grokkingThreshold } from './funnel.js';
import { parallelogram } from './parallelogram.js';

export const families: Record<string, Family> = Object.fromEntries(
  [doubleWell, entropicFunnel, entropicChannel, grokkingThreshold, firstOrder, parallelogram].map((f) => [f.name, f]),
);
