#!/usr/bin/env python3
"""Small-alpha delay / time to fit per training set against P / D (docs/scenarios.md, lazy-rich), in NumPy.

The lazy-rich family's model in float64, batched over networks: f = (alpha/N) sum_i phi(w_i.x), phi(h) = h +
(eps/2) h^2, centred at the start, y = (beta*.x)^2/2 with beta* = (1, ..., 1), x ~ N(0, I/D), w_i ~ N(0, I),
full-batch gradient descent with eta = lr N/alpha^2 on L = (1/(2P)) sum (f - f0 - y)^2; the exact test MSE by
the family's Isserlis formula. Per network: the first step with train MSE < fitT x E[y^2] and with test MSE <
genT x E[y^2]; per set the mean of (generalize - fit)/fit over the networks that did both. Training sets come
from NumPy's generator (set k: default_rng(1000 + k)), not grokscape's: an independent check of the trend
with P / D, not of grokscape's numbers.

usage: lazy-rich-sample-ratio.py '{"D": 20, "P": 110, "N": 12, "sets": [1, 2, 3]}'
       optional keys: eps (0.25), alpha (0.05), dt (0.5), steps (1500), nets (8), lr (0.5), fitT (0.01),
       genT (0.1), seed (0)
Prints one line per set: set, networks fitted, generalized, mean ratio, its standard error, mean fit step.
"""
import json
import sys

import numpy as np


def run(D, P, N, dataSeed, eps=0.25, alpha=0.05, dt=0.5, steps=1500, nets=8, lr=0.5, fitT=0.01, genT=0.1, seed=0):
    X = np.random.default_rng(1000 + dataSeed).standard_normal((P, D)) / np.sqrt(D)
    b = np.ones(D)
    y = (X @ b) ** 2 / 2
    ey2 = 3 * (b @ b) ** 2 / (4 * D**2)
    W0 = np.random.default_rng(seed).standard_normal((nets, N, D))
    W = W0.copy()
    eta = lr * N / alpha**2

    def out(w):
        h = np.einsum("bnd,pd->bnp", w, X)
        return h, (alpha / N) * (h + eps / 2 * h**2).sum(1)

    f0 = out(W0)[1]
    M0 = np.einsum("bnd,bne->bde", W0, W0)
    tfit = np.full(nets, -1)
    tgen = np.full(nets, -1)
    for t in range(1, steps + 1):
        h, f = out(W)
        r = f - f0 - y
        W -= dt * eta * np.einsum("bp,bnp,pd->bnd", r, (alpha / N) * (1 + eps * h), X) / P
        r = out(W)[1] - f0 - y
        train = (r**2).mean(1) / ey2
        a = (alpha / N) * (W - W0).sum(1)
        B = (alpha * eps / N) * (np.einsum("bnd,bne->bde", W, W) - M0) - np.outer(b, b)
        trB = np.trace(B, axis1=1, axis2=2)
        test = ((a**2).sum(1) / D + (trB**2 + 2 * np.einsum("bde,bed->b", B, B)) / (4 * D**2)) / ey2
        tfit[(tfit < 0) & (train < fitT)] = t
        tgen[(tgen < 0) & (test < genT)] = t
        if (tfit > 0).all() and (tgen > 0).all():
            break
    both = (tfit > 0) & (tgen > 0)
    ratio = (tgen[both] - tfit[both]) / tfit[both]
    return {
        "fitted": int((tfit > 0).sum()),
        "generalized": int((tgen > 0).sum()),
        "ratio": float(ratio.mean()) if both.any() else None,
        "se": float(ratio.std(ddof=1) / np.sqrt(both.sum())) if both.sum() > 1 else None,
        "fitStep": float(tfit[tfit > 0].mean()) if (tfit > 0).any() else None,
    }


if __name__ == "__main__":
    args = json.loads(sys.argv[1])
    for k in args.pop("sets"):
        print(k, json.dumps(run(dataSeed=k, **args)), flush=True)
