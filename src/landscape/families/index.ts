import type { AnyFamily } from '../family.js';
import { entropicChannel } from './channel/family.js';
import { doubleWell } from './double-well/family.js';
import { firstOrder } from './first-order/family.js';
import { firstOrderNetwork } from './first-order-network/family.js';
import { entropicFunnel, entropicThreshold, grokkingThreshold } from './funnel/family.js';
import { lazyRich } from './lazy-rich/family.js';
import { linearSeparability } from './linear-separability/family.js';
import { liuDecoder } from './liu-decoder/family.js';
import { parallelogram } from './parallelogram/family.js';

export const families: Record<string, AnyFamily> = Object.fromEntries(
  [
    doubleWell,
    entropicFunnel,
    entropicChannel,
    grokkingThreshold,
    entropicThreshold,
    firstOrder,
    firstOrderNetwork,
    parallelogram,
    linearSeparability,
    lazyRich,
    liuDecoder,
  ].map((f) => [f.name, f]),
);
