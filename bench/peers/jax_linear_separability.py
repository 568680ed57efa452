#!/usr/bin/env python3
"""JAX peer of numpy_linear_separability.py (grokscape's `linear-separability` family,
bench/linear-separability-peer.yaml): every particle is a logistic regression with bias on its own N points
x_i ~ N(0, I_d), label +1, trained by plain gradient descent (temperature 0) on the mean logistic loss

    U(w, b) = (1/N) sum_i ln(1 + exp(-(w.x_i + b))),   grad_w = -(1/N) sum_i sigmoid(-m_i) x_i,  grad_b = -(1/N) sum_i sigmoid(-m_i)

with dt = 1, d = 50, N = 100, start w_j ~ N(0, 0.01^2/d), b = 0. The data and starts are the NumPy peer's
exactly: numpy default_rng(1), drawn in the same order (the NumPy peer's warm-up draws are drawn and dropped
here too), so the two peers train the same particles on the same data and, with no noise, end at the same
weights up to float32 rounding. On the CPU with JAX: jit-compiled, all steps fused in one lax.fori_loop; the
margins are one batched matrix-vector product per particle.

usage: jax_linear_separability.py [particles] [steps] [d] [N] [f32|f64]
prints one line: particle-steps per second (compile excluded: the same shapes are run once first), and the
fraction with fresh accuracy Phi(b/|w|) >= 0.95 at the end.
"""
import math
import sys
import time

import jax
import numpy as np

particles = int(sys.argv[1]) if len(sys.argv) > 1 else 4096
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
d = int(sys.argv[3]) if len(sys.argv) > 3 else 50
n = int(sys.argv[4]) if len(sys.argv) > 4 else 100
f64 = (sys.argv[5] if len(sys.argv) > 5 else "f32") != "f32"
jax.config.update("jax_enable_x64", f64)  # x64 only for f64

import jax.numpy as jnp  # noqa: E402

f = np.float64 if f64 else np.float32
rng = np.random.default_rng(1)
dt = f(1.0)


@jax.jit
def run(x, w, b):
    def body(_, wb):
        w, b = wb
        m = jnp.einsum("pnd,pd->pn", x, w) + b[:, None]  # (P, N) margins
        s = 1 / (1 + jnp.exp(m))  # loss weights sigmoid(-m)
        gw = -jnp.einsum("pn,pnd->pd", s, x) / n
        gb = -s.mean(axis=1)
        return w - dt * gw, b - dt * gb

    return jax.lax.fori_loop(0, steps, body, (w, b))


def start(p):
    return (rng.standard_normal((p, d)) * (0.01 / math.sqrt(d))).astype(f), np.zeros(p, f)


rng.standard_normal((64, n, d))  # the NumPy peer's warm-up data and starts: drawn and dropped, to keep its stream
start(64)
x = jnp.asarray(rng.standard_normal((particles, n, d)).astype(f))
w0, b0 = start(particles)
jax.block_until_ready(run(x, jnp.asarray(w0), jnp.asarray(b0)))  # compile (same shapes)
w, b = jax.block_until_ready((jnp.asarray(w0), jnp.asarray(b0)))
t0 = time.perf_counter()
w, b = jax.block_until_ready(run(x, w, b))
seconds = time.perf_counter() - t0
ratio = b / jnp.maximum(jnp.linalg.norm(w, axis=1), 1e-30)
generalizing = float(jnp.mean(ratio >= 1.6448536269514722))
print(f"jax {particles * steps / seconds / 1e6:.4f} M particle-steps/s ({particles} x {steps}, d={d}, N={n}, {np.dtype(f).name}); generalizing {generalizing:.3f}")
