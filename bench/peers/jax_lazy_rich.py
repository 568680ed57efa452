#!/usr/bin/env python3
"""JAX peer of numpy_lazy_rich.py (grokscape's `lazy-rich` family, bench/lazy-rich-peer.yaml): every particle is
a two-layer network f(w, x) = (alpha/N) sum_i phi(w_i.x), phi(h) = h + (eps/2) h^2, with its own start
w_i ~ N(0, I), centred at the start, trained by full-batch gradient descent (temperature 0) on

    L(w) = (1/(2P)) sum_mu (f(w, x_mu) - f(w0, x_mu) - y_mu)^2,   y = (beta*.x)^2 / 2,  beta* = (1, ..., 1),
    grad_{w_i} = (1/P) sum_mu r_mu (alpha/N) (1 + eps h_{i mu}) x_mu,   h_{i mu} = w_i.x_mu,

with learning rate eta = 0.5 N / alpha^2, D = 40, P = 120 shared points x ~ N(0, I/D), N = 2, eps = 0.25,
alpha = 1. The data and starts are the NumPy peer's exactly: numpy default_rng(1), drawn in the same order
(x, then the NumPy peer's 64-particle warm-up start, drawn and dropped, then the particles' starts), so with no
noise both peers end at the same weights up to float32 rounding. (../shared/peers/jax_lazy_rich.py drew its
timed starts after a second `particles`-sized draw instead, and took no dtype argument.) On the CPU with JAX:
jit-compiled, all steps fused in one lax.fori_loop.

usage: jax_lazy_rich.py [particles] [steps] [D] [P] [N] [f32|f64]
prints one line: particle-steps per second (compile excluded: the same shapes are run once first), and the mean
train MSE relative to the initial test MSE 3/4.
"""
import sys
import time

import jax
import numpy as np

particles = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 50
D = int(sys.argv[3]) if len(sys.argv) > 3 else 40
P = int(sys.argv[4]) if len(sys.argv) > 4 else 120
N = int(sys.argv[5]) if len(sys.argv) > 5 else 2
f64 = (sys.argv[6] if len(sys.argv) > 6 else "f32") != "f32"
jax.config.update("jax_enable_x64", f64)  # x64 only for f64

import jax.numpy as jnp  # noqa: E402

f = np.float64 if f64 else np.float32
eps, alpha = f(0.25), f(1.0)
eta = f(0.5 * N / alpha**2)
rng = np.random.default_rng(1)
x_np = (rng.standard_normal((P, D)) / np.sqrt(D)).astype(f)  # shared training set
x = jnp.asarray(x_np)
y = jnp.asarray(f(0.5) * x_np.sum(1) ** 2)


def outputs(w):
    """f(w, x_mu) for every particle and point, and h (particles, N, P)."""
    h = jnp.einsum("rnd,pd->rnp", w, x)
    return (alpha / N) * (h + f(0.5) * eps * h * h).sum(1), h


@jax.jit
def run(w, t):
    def body(_, w):
        fw, h = outputs(w)
        r = fw - t
        g = jnp.einsum("rp,rnp,pd->rnd", r, 1 + eps * h, x) * (alpha / N / P)
        return w - eta * g

    return jax.lax.fori_loop(0, steps, body, w)


def start(n):
    w0 = jnp.asarray(rng.standard_normal((n, N, D)).astype(f))
    return w0, outputs(w0)[0] + y  # t = y + f(w0, x): the centred target


rng.standard_normal((64, N, D))  # the NumPy peer's warm-up start: drawn and dropped, to keep its stream
w0, t = jax.block_until_ready(start(particles))
run(w0, t).block_until_ready()  # compile (same shapes)
begin = time.perf_counter()
w = run(w0, t).block_until_ready()
elapsed = time.perf_counter() - begin
train = float((((outputs(w)[0] - t) ** 2).mean(1) / 0.75).mean())
print(f"jax lazy-rich D={D} P={P} N={N}: {particles * steps / elapsed / 1e6:.4f} M particle-steps/s "
      f"(particles={particles} steps={steps}); mean train MSE / initial test MSE after {steps} steps: {train:.4f}")
