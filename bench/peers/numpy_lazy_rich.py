#!/usr/bin/env python3
"""Peer baseline for grokscape's `lazy-rich` family (bench/lazy-rich-peer.yaml), vectorized with NumPy: every
particle is a two-layer network f(w, x) = (alpha/N) sum_i phi(w_i.x), phi(h) = h + (eps/2) h^2, with its own
start w_i ~ N(0, I), centred at the start, trained by full-batch gradient descent (temperature 0) on

    L(w) = (1/(2P)) sum_mu (f(w, x_mu) - f(w0, x_mu) - y_mu)^2,   y = (beta*.x)^2 / 2,  beta* = (1, ..., 1),
    grad_{w_i} = (1/P) sum_mu r_mu (alpha/N) (1 + eps h_{i mu}) x_mu,   h_{i mu} = w_i.x_mu,

with learning rate eta = 0.5 N / alpha^2, D = 40, P = 120 shared points x ~ N(0, I/D), N = 2, eps = 0.25,
alpha = 1. h is one batched matrix product per step (O(P N D) per particle), like grokscape's auxiliary stage.

usage: numpy_lazy_rich.py [particles] [steps] [D] [P] [N] [f32|f64]
prints one line: particle-steps per second, and the mean train MSE relative to the initial test MSE 3/4.
"""
import sys
import time

import numpy as np

particles = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 50
D = int(sys.argv[3]) if len(sys.argv) > 3 else 40
P = int(sys.argv[4]) if len(sys.argv) > 4 else 120
N = int(sys.argv[5]) if len(sys.argv) > 5 else 2
f = np.float32 if (sys.argv[6] if len(sys.argv) > 6 else "f32") == "f32" else np.float64
eps, alpha = f(0.25), f(1.0)
eta = f(0.5 * N / alpha**2)
rng = np.random.default_rng(1)
x = (rng.standard_normal((P, D)) / np.sqrt(D)).astype(f)  # shared training set
y = f(0.5) * x.sum(1) ** 2


def outputs(w):
    """f(w, x_mu) for every particle and point, and h (particles, N, P)."""
    h = np.einsum("rnd,pd->rnp", w, x)
    return (alpha / N) * (h + f(0.5) * eps * h * h).sum(1), h


def run(w, t, k):
    for _ in range(k):
        fw, h = outputs(w)
        r = fw - t
        g = np.einsum("rp,rnp,pd->rnd", r, 1 + eps * h, x) * (alpha / N / P)
        w = w - eta * g
    return w


def start(n):
    w0 = rng.standard_normal((n, N, D)).astype(f)
    return w0, outputs(w0)[0] + y  # t = y + f(w0, x): the centred target


w0, t = start(64)
run(w0, t, 5)  # warm-up
w0, t = start(particles)
begin = time.perf_counter()
w = run(w0, t, steps)
elapsed = time.perf_counter() - begin
train = (((outputs(w)[0] - t) ** 2).mean(1) / 0.75).mean()
print(f"numpy lazy-rich D={D} P={P} N={N}: {particles * steps / elapsed / 1e6:.4f} M particle-steps/s "
      f"(particles={particles} steps={steps}); mean train MSE / initial test MSE after {steps} steps: {train:.4f}")
