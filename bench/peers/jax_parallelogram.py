#!/usr/bin/env python3
"""JAX peer of numpy_parallelogram.py: SGLD on Liu et al.'s effective loss (the `parallelogram` family).

Each particle is ten 1D embeddings E_0..E_9. U = E^T A E / Z + gauge ((sum E)^2 + (sum E^2 - 1)^2) with
A = sum of v v^T over the training parallelograms (v: coefficients of E_i + E_j - E_m - E_n) and
Z = sum (E_k - mean E)^2. The training set, A and the parallelogram vectors come from numpy_parallelogram.py's
own functions (imported from beside this file: mulberry32, Fisher-Yates, first n pairs, as
src/landscape/families/parallelogram/training-set.ts draws them), and the starts are the NumPy peer's exactly:
numpy default_rng(1), with its warm-up's noise draws (10 steps x 256 particles) drawn and dropped first, then
start + 0.3 N(0, 1). Parameters as bench/parallelogram-peer.yaml: trainFraction 0.6, dataSeed 1, gauge 1,
T = 1e-6, dt = 0.01. On the CPU with JAX: jit-compiled, all steps fused in one lax.fori_loop, Threefry keys
split per step; the (tiny) noise stream differs from NumPy's, so the end fraction agrees in distribution.

usage: jax_parallelogram.py [particles] [steps] [f32|f64]
prints one line: particle-steps per second (compile excluded: the same shapes are run once first) and the
fraction of particles with RQI > 0.95.
"""
import os
import sys
import time

import jax
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numpy_parallelogram import P, PAIRS, parallelograms, start_point, training_set, vectors  # noqa: E402


def main():
    particles = int(sys.argv[1]) if len(sys.argv) > 1 else 16384
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    f64 = len(sys.argv) > 3 and sys.argv[3] == "f64"
    jax.config.update("jax_enable_x64", f64)  # x64 only for f64
    import jax.numpy as jnp

    dtype = np.float64 if f64 else np.float32
    A = vectors(parallelograms(training_set(0.6, 1)))
    A = jnp.asarray((A.T @ A).astype(dtype))
    V = jnp.asarray(vectors(parallelograms(PAIRS)).astype(dtype))
    dt, temperature, gauge = 0.01, 1e-6, 1.0
    noise = dtype(np.sqrt(2 * dt * temperature))
    dt = dtype(dt)

    @jax.jit
    def sgld(E, key):
        def body(_, carry):
            E, key = carry
            key, sub = jax.random.split(key)
            AE = E @ A
            s = E.sum(axis=1, keepdims=True)
            q = (E * E).sum(axis=1, keepdims=True)
            Z = q - s * s / P
            N = (AE * E).sum(axis=1, keepdims=True)
            grad = 2 * AE / Z - 2 * N * (E - s / P) / (Z * Z) + 2 * gauge * s + 4 * gauge * (q - 1) * E
            return E - dt * grad + noise * jax.random.normal(sub, E.shape, dtype), key

        return jax.lax.fori_loop(0, steps, body, (E, key))[0]

    rng = np.random.default_rng(1)
    for _ in range(10):  # the NumPy peer's warm-up noise (10 steps x 256 particles): drawn and dropped
        rng.standard_normal((256, P), dtype=dtype)
    E0 = np.tile(start_point().astype(dtype), (particles, 1)) + dtype(0.3) * rng.standard_normal((particles, P), dtype=dtype)
    key = jax.random.key(1, impl="threefry2x32")
    E = jnp.asarray(E0).block_until_ready()
    sgld(E, key).block_until_ready()  # compile (same shapes)
    t0 = time.perf_counter()
    E = sgld(E, key).block_until_ready()
    elapsed = time.perf_counter() - t0
    rqi = (jnp.abs(E @ V.T) <= 0.01).mean(axis=1)
    print(f"jax {np.dtype(dtype).name} parallelogram: {particles * steps / elapsed / 1e6:.2f} M particle-steps/s "
          f"(particles={particles} steps={steps} fraction RQI>0.95 = {float(jnp.mean(rqi > 0.95)):.4f})")


if __name__ == "__main__":
    main()
