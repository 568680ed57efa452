import type { AnyFamily } from '../family.js';
import { entropicChannel } from './channel.js';
import { doubleWell } from './double-well.js';
import { firstOrder } from './first-order.js';
import { entropicFunnel, entropicThreshold, grokkingThreshold } from './funnel.js';
import { lazyRich } from './lazy-rich.js';
import { linearSeparability } from './linear-separability.js';
import { parallelogram } from './parallelogram.js';

export const families: Record<string, AnyFamily> = Object.fromEntries(
  [
    doubleWell,
    entropicFunnel,
    entropicChannel,
    grokkingThreshold,
    entropicThreshold,
    firstOrder,
    parallelogram,
    linearSeparability,
    lazyRich,
  ].map((f) => [f.name, f]),
);
