#!/usr/bin/env python3
"""JAX peer of numpy_first_order.py: SGLD for neurons w in R^d in the mean-field effective action of Rubin,
Seroussi and Ringel (grokscape's `first-order` scenario, scenarios/first-order.yaml),

    U(w) = d [ |w|^2 / (2 sigma2) - (u/2) g(Phi)^2 ],  g = linear Phi / sqrt(q) + Phi^3 / q^(3/2),
    q = 1 + 2 (Phi^2 + sigma2),  Phi = w1,

with T = 1, dt = 0.002, d = 8, sigma2 = 0.1, u = 324, linear = 0, all particles starting at w = 0; the same
gradient expression as the NumPy peer. On the CPU with JAX: jit-compiled, all steps fused in one
lax.fori_loop, Threefry keys split per step. The noise stream differs from NumPy's, so the end fractions agree
in distribution, not bit for bit.

usage: jax_first_order.py [particles] [steps] [d] [f32|f64]
prints one line: particle-steps per second (compile excluded: the same shapes are run once first), and the
fractions with |Phi| < 0.4 and |Phi| > 0.7 at the end.
"""
import sys
import time

import jax

particles = int(sys.argv[1]) if len(sys.argv) > 1 else 16384
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
d = int(sys.argv[3]) if len(sys.argv) > 3 else 8
f64 = (sys.argv[4] if len(sys.argv) > 4 else "f32") != "f32"
jax.config.update("jax_enable_x64", f64)  # x64 only for f64

import jax.numpy as jnp  # noqa: E402

f = jnp.float64 if f64 else jnp.float32
dt, temperature = 0.002, 1.0
noise = f((2 * dt * temperature) ** 0.5)
dt = f(dt)
sigma2, u, linear = f(0.1), f(324.0), f(0.0)


def grad(w):
    """dU/dw: d w_j / sigma2 for every coordinate, minus d u g g'(Phi) on Phi = w1."""
    g_all = (d / sigma2) * w
    phi = w[:, 0]
    q = 1 + 2 * (phi * phi + sigma2)
    rq = 1 / jnp.sqrt(q)
    g = linear * phi * rq + phi**3 * rq**3
    dg = linear * (rq - 2 * phi * phi * rq**3) + 3 * phi * phi * rq**3 - 6 * phi**4 * rq**5
    return g_all.at[:, 0].add(-d * u * g * dg)


@jax.jit
def run(w, key):
    def body(_, carry):
        w, key = carry
        key, sub = jax.random.split(key)
        return w - dt * grad(w) + noise * jax.random.normal(sub, w.shape, f), key

    return jax.lax.fori_loop(0, steps, body, (w, key))[0]


key = jax.random.key(1, impl="threefry2x32")
run(jnp.zeros((particles, d), f), key).block_until_ready()  # compile (same shapes)
w = jnp.zeros((particles, d), f).block_until_ready()
start = time.perf_counter()
w = run(w, key).block_until_ready()
elapsed = time.perf_counter() - start
phi = jnp.abs(w[:, 0])
print(f"jax first-order d={d}: {particles * steps / elapsed / 1e6:.2f} M particle-steps/s "
      f"({particles * steps * d / elapsed / 1e6:.1f} M coordinate-steps/s; particles={particles} steps={steps}); "
      f"final |Phi|<0.4: {float(jnp.mean(phi < 0.4)):.3f}, |Phi|>0.7: {float(jnp.mean(phi > 0.7)):.3f}")
