#!/usr/bin/env python3
"""JAX peer of numpy_funnel.py (../shared/peers): SGLD on the entropic funnel U(s,y) = 1/2 sum_j kappa(s) y_j^2
(the NumPy peer's gradient exactly: no V(s) term) with m transverse modes whose stiffness switches smoothly from
kappa_hi = 50 (s < 0) to kappa_lo = 1 (s > 0), kappa(s) = k_lo + (k_hi - k_lo) / (1 + exp(8 s)); dt = 1e-3,
T = 0.05, start s = -1, y = 0; float32 as the NumPy peer. On the CPU with JAX: jit-compiled, all steps fused in
one lax.fori_loop, Threefry keys split per step. The noise stream differs from NumPy's, so the end statistics
agree in distribution, not bit for bit.

usage: jax_funnel.py [particles] [steps] [m]
prints one line: particle-steps per second (compile excluded: the same shapes are run once first), coordinate-
steps per second, and (which the NumPy peer does not print; bench/peers/check_jax_peers.py computes them for
NumPy with the peer's own run()) the final mean s and mean |y|^2.
"""
import sys
import time

import jax
import jax.numpy as jnp

particles = int(sys.argv[1]) if len(sys.argv) > 1 else 16384
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
m = int(sys.argv[3]) if len(sys.argv) > 3 else 16
f = jnp.float32
dt, temperature = 1e-3, 0.05
noise = f((2 * dt * temperature) ** 0.5)
dt = f(dt)
k_hi, k_lo, sharpness = f(50.0), f(1.0), f(8.0)


@jax.jit
def run(s, y, key):
    def body(_, carry):
        s, y, key = carry
        key, ks, ky = jax.random.split(key, 3)
        w = 1 / (1 + jnp.exp(s * sharpness))  # 1 on the memorizing side
        kappa = k_lo + (k_hi - k_lo) * w
        dkappa = -(k_hi - k_lo) * sharpness * w * (1 - w)
        grad_s = 0.5 * dkappa * jnp.sum(y * y, axis=1)
        grad_y = kappa[:, None] * y
        s = s - dt * grad_s + noise * jax.random.normal(ks, s.shape, f)
        y = y - dt * grad_y + noise * jax.random.normal(ky, y.shape, f)
        return s, y, key

    return jax.lax.fori_loop(0, steps, body, (s, y, key))[:2]


key = jax.random.key(1, impl="threefry2x32")
jax.block_until_ready(run(jnp.full(particles, -1.0, f), jnp.zeros((particles, m), f), key))  # compile
s, y = jax.block_until_ready((jnp.full(particles, -1.0, f), jnp.zeros((particles, m), f)))
start = time.perf_counter()
s, y = jax.block_until_ready(run(s, y, key))
elapsed = time.perf_counter() - start
print(f"jax funnel m={m}: {particles * steps / elapsed / 1e6:.2f} M particle-steps/s "
      f"({particles * steps * (m + 1) / elapsed / 1e6:.1f} M coordinate-steps/s; particles={particles} steps={steps}); "
      f"final mean s = {float(jnp.mean(s)):.5f}, mean |y|^2 = {float(jnp.mean(jnp.sum(y * y, axis=1))):.5f}")
