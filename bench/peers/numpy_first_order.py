#!/usr/bin/env python3
"""Peer baseline for grokscape's `first-order` scenario (scenarios/first-order.yaml), vectorized with NumPy:
SGLD for neurons w in R^d in the mean-field effective action of Rubin, Seroussi and Ringel,

    U(w) = d [ |w|^2 / (2 sigma2) - (u/2) g(Phi)^2 ],  g = linear Phi / sqrt(q) + Phi^3 / q^(3/2),
    q = 1 + 2 (Phi^2 + sigma2),  Phi = w1,

with T = 1, dt = 0.002, d = 8, sigma2 = 0.1, u = 324, linear = 0, all particles starting at w = 0.

usage: numpy_first_order.py [particles] [steps] [d] [f32|f64]
prints one line: particle-steps per second, and the fractions with |Phi| < 0.4 and |Phi| > 0.7 at the end
(the scenario's disordered and ordered regions; compare with `grokscape run first-order`).
"""
import sys
import time

import numpy as np

particles = int(sys.argv[1]) if len(sys.argv) > 1 else 16384
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
d = int(sys.argv[3]) if len(sys.argv) > 3 else 8
f = np.float32 if (sys.argv[4] if len(sys.argv) > 4 else "f32") == "f32" else np.float64
rng = np.random.default_rng(1)
dt, temperature = f(0.002), f(1.0)
sigma2, u, linear = f(0.1), f(324.0), f(0.0)
noise = f(np.sqrt(2 * dt * temperature))


def grad(w):
    """dU/dw: d w_j / sigma2 for every coordinate, minus d u g g'(Phi) on Phi = w1."""
    g_all = (d / sigma2) * w
    phi = w[:, 0]
    q = 1 + 2 * (phi * phi + sigma2)
    rq = 1 / np.sqrt(q)
    g = linear * phi * rq + phi**3 * rq**3
    dg = linear * (rq - 2 * phi * phi * rq**3) + 3 * phi * phi * rq**3 - 6 * phi**4 * rq**5
    g_all[:, 0] -= d * u * g * dg
    return g_all


def run(w, n):
    for _ in range(n):
        w = w - dt * grad(w) + noise * rng.standard_normal(w.shape, dtype=f)
    return w


run(np.zeros((64, d), f), 10)  # warm-up
w = np.zeros((particles, d), f)
start = time.perf_counter()
w = run(w, steps)
elapsed = time.perf_counter() - start
phi = np.abs(w[:, 0])
print(f"numpy first-order d={d}: {particles * steps / elapsed / 1e6:.2f} M particle-steps/s "
      f"({particles * steps * d / elapsed / 1e6:.1f} M coordinate-steps/s; particles={particles} steps={steps}); "
      f"final |Phi|<0.4: {np.mean(phi < 0.4):.3f}, |Phi|>0.7: {np.mean(phi > 0.7):.3f}")
