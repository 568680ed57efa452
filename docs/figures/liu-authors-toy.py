#!/usr/bin/env python3
"""The authors' own toy for the time to learn the representation (docs/scenarios.md, liu-decoder), in NumPy.

A replica of ejmichaud/grokking-squared toy/train_add.py, the code behind the paper's Fig. 4b ("steps to high
RQI"), batched over networks: ten 1-D embeddings, uniform in [-1/2, 1/2); a decoder 1 -> width -> width -> 30
(tanh, PyTorch's default uniform initialization) regressing h = E_a + E_b onto the random N(0, 1) template of
the sum by mean squared error (loss=CE: 19 logits and cross-entropy, its other option); full batch (train_add
samples 45 pairs a step, which is the full set up to trainFraction 0.8 and 45 of 50 at 0.9); AdamW on
the embeddings (weight decay 0) and on the decoder (etaDec, weight decay wd); float32. The training sets are
grokscape's (trainFraction, dataSeed), drawn as bench/peers/numpy_parallelogram.py draws them. Per network:
the first step (on a grid of `every`) with RQI > 0.95 as train_add computes it, and with R^2 >= 0.95. One JSON
line per (set, eta) cell, in the form docs/figures/liu-decoder-lambda3-fit.py reads (`order=rqi` times).
Not grokscape's engine: an independent check that the decoder, not 1/(lambda_3 eta), sets the time.

usage: liu-authors-toy.py sets=0.6:4,0.9:10 etas=0.001,0.003 [etaDec=1e-4] [width=200] [steps=10000]
       [networks=8] [wd=0] [loss=MSE|CE] [every=10] [seed=0]
"""
import json
import math
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / 'bench' / 'peers'))
from numpy_parallelogram import P, parallelograms, training_set, vectors  # noqa: E402

# the 70 parallelograms of the full table, as train_add lists them: E_i + E_n = E_j + E_m
QUADS = np.array([(i, n, j, m) for i in range(P) for j in range(i + 1, P) for m in range(j, P)
                  for n in range(m + 1, P) if i + n == j + m])


def lambda3(fraction, seed):
    V = vectors(parallelograms(training_set(fraction, seed)))
    eig = np.linalg.eigvalsh(2 * (V.T @ V if len(V) else np.zeros((P, P))))
    return float(eig[2]) if eig[2] > 1e-9 else 0.0


def rqi(E):
    s = (E - E.mean(1, keepdims=True)) / E.std(1, ddof=1, keepdims=True)
    d = s[:, QUADS[:, 0]] + s[:, QUADS[:, 1]] - s[:, QUADS[:, 2]] - s[:, QUADS[:, 3]]
    return (d * d < 0.01).mean(1)


def linearity(E):
    k = np.arange(P) - (P - 1) / 2
    e = E - E.mean(1, keepdims=True)
    return (e @ k) ** 2 / ((k @ k) * (e * e).sum(1))


class AdamW:
    """torch.optim.AdamW: decoupled weight decay, then the bias-corrected Adam step."""

    def __init__(self, params, lr, wd, b1=0.9, b2=0.999, eps=1e-8):
        self.params, self.lr, self.wd, self.b1, self.b2, self.eps, self.t = params, lr, wd, b1, b2, eps, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads):
        self.t += 1
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            p -= self.lr * self.wd * p
            m *= self.b1
            m += (1 - self.b1) * g
            v *= self.b2
            v += (1 - self.b2) * g * g
            p -= self.lr * (m / (1 - self.b1 ** self.t)) / (np.sqrt(v / (1 - self.b2 ** self.t)) + self.eps)


def cell(fraction, data_seed, eta, o):
    rng = np.random.default_rng([o['seed'], data_seed])
    pairs = training_set(fraction, data_seed)
    a = np.array([x[0] for x in pairs])
    b = np.array([x[1] for x in pairs])
    n, B, w = len(pairs), o['networks'], o['width']
    out = 30 if o['loss'] == 'MSE' else 2 * P - 1
    f32 = np.float32
    Y = rng.normal(0, 1, (2 * P - 1, out)).astype(f32)[a + b]

    def uniform(shape, fan_in):
        return rng.uniform(-1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in), shape).astype(f32)

    E = (rng.random((B, P)) - 0.5).astype(f32)
    dec = [uniform((B, 1, w), 1), uniform((B, 1, w), 1), uniform((B, w, w), w), uniform((B, 1, w), w),
           uniform((B, w, out), w), uniform((B, 1, out), w)]
    W1, b1, W2, b2, W3, b3 = dec
    embeddings = AdamW([E], eta, 0.0)
    decoder = AdamW(dec, o['etaDec'], o['wd'])
    first = {'rqi': np.full(B, -1), 'linearity': np.full(B, -1)}
    T = lambda x: x.transpose(0, 2, 1)  # noqa: E731
    for step in range(1, o['steps'] + 1):
        h = (E[:, a] + E[:, b])[:, :, None]
        z1 = np.tanh(h @ W1 + b1)
        z2 = np.tanh(z1 @ W2 + b2)
        y = z2 @ W3 + b3
        if o['loss'] == 'MSE':
            gy = 2 * (y - Y[None]) / (n * out)
        else:
            gy = np.exp(y - y.max(2, keepdims=True))
            gy /= gy.sum(2, keepdims=True)
            gy[:, np.arange(n), a + b] -= 1
            gy /= n
        g2 = (gy @ T(W3)) * (1 - z2 * z2)
        g1 = (g2 @ T(W2)) * (1 - z1 * z1)
        gh = (g1 @ T(W1))[:, :, 0]
        gE = np.zeros_like(E)
        np.add.at(gE.T, a, gh.T)
        np.add.at(gE.T, b, gh.T)
        grads = [T(h) @ g1, g1.sum(1, keepdims=True), T(z1) @ g2, g2.sum(1, keepdims=True),
                 T(z2) @ gy, gy.sum(1, keepdims=True)]
        embeddings.step([gE])
        decoder.step(grads)
        if step % o['every'] == 0:
            for name, reached in (('rqi', rqi(E) > 0.95), ('linearity', linearity(E) >= 0.95)):
                first[name][(first[name] < 0) & reached] = step
            if (first['rqi'] >= 0).all():
                break
    return {k: v.tolist() for k, v in first.items()}


def main(argv):
    o = {'sets': '0.6:4,0.9:10', 'etas': '0.001,0.003', 'etaDec': 1e-4, 'width': 200, 'steps': 10000,
         'networks': 8, 'wd': 0.0, 'loss': 'MSE', 'every': 10, 'seed': 0}
    for arg in argv:
        key, _, value = arg.partition('=')
        if key not in o or not value:
            sys.exit(f'liu-authors-toy.py: {arg!r}: expected one of {", ".join(k + "=" for k in o)}')
        try:
            o[key] = type(o[key])(value)
        except ValueError:
            sys.exit(f'liu-authors-toy.py: {arg!r}: not a {type(o[key]).__name__}')
    if o['loss'] not in ('MSE', 'CE'):
        sys.exit('liu-authors-toy.py: loss must be MSE or CE')
    for s in o['sets'].split(','):
        fraction, data_seed = float(s.split(':')[0]), int(s.split(':')[1])
        for eta in map(float, o['etas'].split(',')):
            first = cell(fraction, data_seed, eta, o)
            parameters = {k: o[k] for k in ('etaDec', 'width', 'steps', 'networks', 'wd', 'loss', 'seed')}
            print(json.dumps({'trainFraction': fraction, 'dataSeed': data_seed, 'eta': eta,
                              'lambda3': lambda3(fraction, data_seed), 'order': 'rqi', 'level': 0.95,
                              'steps': o['steps'], 'parameters': {**parameters, 'eta': eta}, 'times': first['rqi'],
                              'linearityTimes': first['linearity']}), flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
