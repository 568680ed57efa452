#!/usr/bin/env python3
"""JAX peer of numpy_double_well.py (../shared/peers): SGLD / Euler-Maruyama on U = (x^2-1)^2 with
dt = 1e-3, T = 0.3, every particle starting at x = -1, on the CPU with JAX: jit-compiled, all steps fused in
one lax.fori_loop, Threefry keys split per step (what a JAX-MD user would write). The noise stream differs
from NumPy's PCG64, so the end statistic agrees in distribution, not bit for bit.

usage: jax_double_well.py [particles] [steps] [f32|f64]
prints one line: particle-steps per second (compile excluded: the same shapes are run once first) and the
fraction of particles with x > 0.
"""
import sys
import time

import jax

particles = int(sys.argv[1]) if len(sys.argv) > 1 else 65536
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
f64 = len(sys.argv) > 3 and sys.argv[3] == "f64"
jax.config.update("jax_enable_x64", f64)  # x64 only for f64

import jax.numpy as jnp  # noqa: E402

f = jnp.float64 if f64 else jnp.float32
dt, temperature = 1e-3, 0.3
noise = (2 * dt * temperature) ** 0.5


@jax.jit
def run(x, key):
    def body(_, carry):
        x, key = carry
        key, sub = jax.random.split(key)
        xi = jax.random.normal(sub, x.shape, f)
        return x - f(dt) * 4 * x * (x * x - 1) + f(noise) * xi, key

    return jax.lax.fori_loop(0, steps, body, (x, key))[0]


key = jax.random.key(1, impl="threefry2x32")
run(jnp.full(particles, -1.0, f), key).block_until_ready()  # compile (same shapes)
x = jnp.full(particles, -1.0, f).block_until_ready()
start = time.perf_counter()
x = run(x, key).block_until_ready()
elapsed = time.perf_counter() - start
print(f"jax {jax.__version__} {jnp.dtype(f).name} double-well: {particles * steps / elapsed / 1e6:.1f} M particle-steps/s "
      f"(particles={particles} steps={steps} fraction x>0 = {float(jnp.mean(x > 0)):.4f})")
