#!/usr/bin/env python3
"""Peer baseline: SGLD on Liu et al.'s effective loss (the `parallelogram` family), vectorized with NumPy.

Each particle is ten 1D embeddings E_0..E_9. U = E^T A E / Z + gauge ((sum E)^2 + (sum E^2 - 1)^2) with
A = sum of v v^T over the training parallelograms (v: coefficients of E_i + E_j - E_m - E_n) and
Z = sum (E_k - mean E)^2; the training set is drawn from (trainFraction, dataSeed) exactly as
src/landscape/families/parallelogram/training-set.ts draws it (mulberry32, Fisher-Yates, first n pairs).
Parameters as bench/parallelogram-peer.yaml: trainFraction 0.6, dataSeed 1, gauge 1, T = 1e-6, dt = 0.01.

usage: numpy_parallelogram.py [particles] [steps] [f32|f64]
prints one line: particle-steps per second and the fraction of particles with RQI > 0.95.
"""
import sys
import time

import numpy as np

P = 10
PAIRS = [(i, j) for i in range(P) for j in range(i, P)]


def mulberry32(seed):
    a = seed & 0xFFFFFFFF

    def rand():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return rand


def parallelograms(pairs):
    return [(a, b) for x, a in enumerate(pairs) for b in pairs[x + 1:] if sum(a) == sum(b)]


def vectors(quads):
    V = np.zeros((len(quads), P))
    for r, ((i, j), (m, n)) in enumerate(quads):
        V[r, i] += 1
        V[r, j] += 1
        V[r, m] -= 1
        V[r, n] -= 1
    return V


def training_set(fraction, seed):
    n = int(np.floor(fraction * len(PAIRS) + 0.5))  # JavaScript's Math.round; Python's round() is to even (38.5 -> 38)
    order = list(range(len(PAIRS)))
    rand = mulberry32(seed)
    for i in range(len(order) - 1, 0, -1):
        j = int(rand() * (i + 1))
        order[i], order[j] = order[j], order[i]
    chosen = set(order[:n])
    return [p for k, p in enumerate(PAIRS) if k in chosen]


def start_point():
    k = np.arange(P, dtype=np.float64)
    c = k * k - np.mean(k * k)
    return c / np.linalg.norm(c)


def sgld(E, A, steps, dt, temperature, gauge, rng):
    dtype = E.dtype
    noise = dtype.type(np.sqrt(2 * dt * temperature))
    A = A.astype(dtype)
    dt = dtype.type(dt)
    for _ in range(steps):
        AE = E @ A
        s = E.sum(axis=1, keepdims=True)
        q = (E * E).sum(axis=1, keepdims=True)
        Z = q - s * s / P
        N = (AE * E).sum(axis=1, keepdims=True)
        grad = 2 * AE / Z - 2 * N * (E - s / P) / (Z * Z) + 2 * gauge * s + 4 * gauge * (q - 1) * E
        E = E - dt * grad + noise * rng.standard_normal(E.shape, dtype=dtype)
    return E


def main():
    particles = int(sys.argv[1]) if len(sys.argv) > 1 else 16384
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    dtype = np.float64 if (len(sys.argv) > 3 and sys.argv[3] == "f64") else np.float32
    A = vectors(parallelograms(training_set(0.6, 1)))
    A = A.T @ A
    V = vectors(parallelograms(PAIRS)).astype(dtype)
    rng = np.random.default_rng(1)
    args = dict(A=A, dt=0.01, temperature=1e-6, gauge=1.0, rng=rng)
    sgld(np.tile(start_point().astype(dtype), (256, 1)), steps=10, **args)  # warm-up
    E = np.tile(start_point().astype(dtype), (particles, 1)) + dtype(0.3) * rng.standard_normal((particles, P), dtype=dtype)
    t0 = time.perf_counter()
    E = sgld(E, steps=steps, **args)
    elapsed = time.perf_counter() - t0
    rqi = (np.abs(E @ V.T) <= 0.01).mean(axis=1)
    print(f"numpy {np.dtype(dtype).name} parallelogram: {particles * steps / elapsed / 1e6:.2f} M particle-steps/s "
          f"(particles={particles} steps={steps} fraction RQI>0.95 = {np.mean(rqi > 0.95):.4f})")


if __name__ == "__main__":
    main()
