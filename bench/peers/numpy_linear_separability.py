#!/usr/bin/env python3
"""Peer baseline for grokscape's `linear-separability` family (bench/linear-separability-peer.yaml), vectorized
with NumPy: every particle is a logistic regression with bias on its own N points x_i ~ N(0, I_d), label +1,
trained by plain gradient descent (temperature 0) on the mean logistic loss

    U(w, b) = (1/N) sum_i ln(1 + exp(-(w.x_i + b))),   grad_w = -(1/N) sum_i sigmoid(-m_i) x_i,  grad_b = -(1/N) sum_i sigmoid(-m_i)

with dt = 1, d = 50, N = 100 (lambda = d/N = 1/2), start w_j ~ N(0, 0.01^2/d), b = 0. The margins m_i are one
batched matrix-vector product per particle (O(N d)), like grokscape's auxiliary kernel stage.

usage: numpy_linear_separability.py [particles] [steps] [d] [N] [f32|f64]
prints one line: particle-steps per second, and the fraction with fresh accuracy Phi(b/|w|) >= 0.95 at the end.
"""
import math
import sys
import time

import numpy as np

particles = int(sys.argv[1]) if len(sys.argv) > 1 else 4096
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
d = int(sys.argv[3]) if len(sys.argv) > 3 else 50
n = int(sys.argv[4]) if len(sys.argv) > 4 else 100
f = np.float32 if (sys.argv[5] if len(sys.argv) > 5 else "f32") == "f32" else np.float64
rng = np.random.default_rng(1)
dt = f(1.0)


def run(x, w, b, k):
    for _ in range(k):
        m = np.matmul(x, w[:, :, None])[:, :, 0] + b[:, None]  # (P, N) margins
        s = 1 / (1 + np.exp(m))  # loss weights sigmoid(-m)
        gw = -np.matmul(s[:, None, :], x)[:, 0, :] / n
        gb = -s.mean(axis=1)
        w = w - dt * gw
        b = b - dt * gb
    return w, b


def start(p):
    return (rng.standard_normal((p, d)) * (0.01 / math.sqrt(d))).astype(f), np.zeros(p, f)


xw = rng.standard_normal((64, n, d)).astype(f)
run(xw, *start(64), 3)  # warm-up
x = rng.standard_normal((particles, n, d)).astype(f)
w, b = start(particles)
t0 = time.perf_counter()
w, b = run(x, w, b, steps)
seconds = time.perf_counter() - t0
ratio = b / np.maximum(np.linalg.norm(w, axis=1), 1e-30)
generalizing = float(np.mean(ratio >= 1.6448536269514722))
print(f"{particles * steps / seconds / 1e6:.4f} M particle-steps/s ({particles} x {steps}, d={d}, N={n}, {np.dtype(f).name}); generalizing {generalizing:.3f}")
