#!/usr/bin/env python3
"""Checks that each JAX peer (bench/peers/jax_*.py) computes what its NumPy peer computes: for every
`grokscape bench` case, runs both peers with the same command-line arguments at a small deterministic size
and compares the end statistic each prints; for the noise-free families (linear-separability, lazy-rich) it
also runs both in-process (runpy) and compares the final weights of every particle.

usage: PATH=/path/to/venv-with-jax/bin:$PATH python3 bench/peers/check_jax_peers.py
(python3 must import numpy and jax). Prints one line per comparison and exits 1 if any fails.

Tolerances:
* Noise-free cases (linear-separability, lazy-rich: gradient descent at temperature 0 from the same
  numpy default_rng(1) data and starts): the two peers differ only in float32 rounding (summation order of
  the einsums / BLAS products), so the final weights must agree to 1e-4 of their largest magnitude in f32
  (1e-10 in f64). Measured here: f32 ~1e-7 to 1e-6 relative, f64 ~1e-15; the bound is ~100x the observed
  rounding and still far below any modelling difference (one wrong constant or index moves weights by ~1e-2
  or more). The printed statistics must agree to one unit of their last printed digit, plus, for the
  thresholded fraction (Phi(b/|w|) >= 0.95), up to 2 particles that may sit within rounding of the threshold.
* Noisy cases (double-well, funnel, first-order, parallelogram): NumPy draws its noise from PCG64 and JAX from
  Threefry, so the two runs are independent samples of the same distribution. A difference of two
  independent sample means has standard error sqrt(2) * SE, with SE = sqrt(p (1 - p) / n) for a fraction of n
  particles (p taken as the larger of the two, and at least 1/n) and SE = std / sqrt(n) for a mean (std from
  the NumPy sample). We accept |difference| <= 4 sqrt(2) SE + the printed rounding: a correct pair fails with
  probability ~6e-5 per statistic, while a wrong drift or noise scale shifts these statistics by many SE at
  these sizes. (For parallelogram the starts are the same draws and the noise is tiny, T = 1e-6, so the real
  difference is far below this binomial bound.)
"""
import math
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "../../../shared/peers"))
PY = sys.executable
failures = 0


def peer(script, args):
    r = subprocess.run([PY, script, *map(str, args)], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise SystemExit(f"{os.path.basename(script)} {' '.join(map(str, args))} failed:\n{r.stderr}")
    return r.stdout.strip()


def number(line, pattern):
    m = re.search(pattern, line)
    if not m:
        raise SystemExit(f"no match for {pattern!r} in: {line}")
    return float(m.group(1))


def verdict(name, ok, detail):
    global failures
    failures += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")


def compare_fraction(name, a, b, n, rounding):
    p = max(a, b, 1 / n)
    tol = 4 * math.sqrt(2) * math.sqrt(p * (1 - p) / n) + rounding
    verdict(name, abs(a - b) <= tol, f"numpy {a:g}  jax {b:g}  |diff| {abs(a - b):.4g} <= {tol:.4g} (4 SE of the difference)")


def compare_mean(name, a, b, std, n, rounding):
    tol = 4 * math.sqrt(2) * std / math.sqrt(n) + rounding
    verdict(name, abs(a - b) <= tol, f"numpy {a:g}  jax {b:g}  |diff| {abs(a - b):.4g} <= {tol:.4g} (4 SE of the difference)")


def compare_exact(name, a, b, tol):
    verdict(name, abs(a - b) <= tol, f"numpy {a:g}  jax {b:g}  |diff| {abs(a - b):.3g} <= {tol:.3g}")


def run_both(numpy_script, jax_script, args):
    a, b = peer(numpy_script, args), peer(os.path.join(HERE, jax_script), args)
    print(f"     {a}\n     {b}")
    return a, b


# --- double-well (noisy) ---------------------------------------------------------------------------------
n = 16384
a, b = run_both(os.path.join(SHARED, "numpy_double_well.py"), "jax_double_well.py", [n, 3000, "f32"])
pat = r"fraction x>0 = ([0-9.]+)"
compare_fraction("double-well f32 16384 x 3000: fraction x>0", number(a, pat), number(b, pat), n, 1e-4)

# --- funnel (noisy). The NumPy peer prints no end statistic: take it from the peer's own run() --------------
n, steps, m = 16384, 200, 16
funnel = os.path.join(SHARED, "numpy_funnel.py")
snippet = f"""
import runpy, sys, numpy as np
sys.argv = [{funnel!r}, '{n}', '{steps}', '{m}']
g = runpy.run_path({funnel!r})
s, y = g['run'](np.full({n}, -1.0, np.float32), np.zeros(({n}, {m}), np.float32))
y2 = (y * y).sum(1)
print(s.mean(), s.std(), y2.mean(), y2.std())
"""
r = subprocess.run([PY, "-c", snippet], capture_output=True, text=True, timeout=600)
if r.returncode != 0:
    raise SystemExit(r.stderr)
s_mean, s_std, y_mean, y_std = map(float, r.stdout.strip().splitlines()[-1].split())
b = peer(os.path.join(HERE, "jax_funnel.py"), [n, steps, m])
print(f"     numpy funnel m={m} (its run(), {n} x {steps}): final mean s = {s_mean:.5f} (std {s_std:.4f}), "
      f"mean |y|^2 = {y_mean:.5f} (std {y_std:.4f})\n     {b}")
compare_mean("funnel 16384 x 200 m=16: mean s", s_mean, number(b, r"mean s = ([-0-9.]+)"), s_std, n, 1e-5)
compare_mean("funnel 16384 x 200 m=16: mean |y|^2", y_mean, number(b, r"mean \|y\|\^2 = ([-0-9.]+)"), y_std, n, 1e-5)

# --- first-order (noisy: T = 1) -----------------------------------------------------------------------------
n = 16384
a, b = run_both(os.path.join(HERE, "numpy_first_order.py"), "jax_first_order.py", [n, 200, 8, "f32"])
for label, pat in (("|Phi|<0.4", r"\|Phi\|<0.4: ([0-9.]+)"), ("|Phi|>0.7", r"\|Phi\|>0.7: ([0-9.]+)")):
    compare_fraction(f"first-order f32 16384 x 200 d=8: {label}", number(a, pat), number(b, pat), n, 1e-3)

# --- parallelogram (same starts, tiny noise) ----------------------------------------------------------------
# (20 steps: the fraction is mid-way, ~0.18; 200 steps, the bench's: it has saturated at 1)
n = 4096
pat = r"fraction RQI>0.95 = ([0-9.]+)"
for steps in (20, 200):
    a, b = run_both(os.path.join(HERE, "numpy_parallelogram.py"), "jax_parallelogram.py", [n, steps, "f32"])
    compare_fraction(f"parallelogram f32 {n} x {steps}: fraction RQI>0.95", number(a, pat), number(b, pat), n, 1e-4)

# --- linear-separability (noise-free) -----------------------------------------------------------------------
pat = r"generalizing ([0-9.]+)"
for n, steps, dt in ((1024, 2, "f32"), (4096, 20, "f32"), (1024, 2, "f64")):
    a, b = run_both(os.path.join(HERE, "numpy_linear_separability.py"), "jax_linear_separability.py", [n, steps, 50, 100, dt])
    compare_exact(f"linear-separability {dt} {n} x {steps}: generalizing", number(a, pat), number(b, pat), 2 / n + 1e-3)

# --- lazy-rich (noise-free) ---------------------------------------------------------------------------------
pat = r"after \d+ steps: ([0-9.]+)"
for n, steps, dt in ((1024, 20, "f32"), (256, 50, "f32"), (256, 20, "f64")):
    a, b = run_both(os.path.join(HERE, "numpy_lazy_rich.py"), "jax_lazy_rich.py", [n, steps, 40, 120, 2, dt])
    compare_exact(f"lazy-rich {dt} {n} x {steps}: train MSE / initial", number(a, pat), number(b, pat), 1e-4)

# --- noise-free: the final weights of every particle, both peers run in-process -----------------------------
weights = """
import runpy, sys, numpy as np
sys.argv = sys.argv[1:]  # [script, *args]
g = runpy.run_path(sys.argv[0])
np.savez(sys.argv_out, **{k: np.asarray(g[k]) for k in KEYS})
"""
with tempfile.TemporaryDirectory() as tmp:
    for label, pair, keys, args in (
        ("linear-separability", ("numpy_linear_separability.py", "jax_linear_separability.py"), ("w", "b"), [4096, 20, 50, 100]),
        ("lazy-rich", ("numpy_lazy_rich.py", "jax_lazy_rich.py"), ("w",), [1024, 20, 40, 120, 2]),
    ):
        for dt, tol in (("f32", 1e-4), ("f64", 1e-10)):
            out = []
            for script in pair:
                path = os.path.join(tmp, f"{script}.{dt}.npz")
                code = (weights.replace("sys.argv_out", repr(path)).replace("KEYS", repr(keys)))
                argv = [os.path.join(HERE, script), *map(str, args), dt]
                r = subprocess.run([PY, "-c", code, *argv], capture_output=True, text=True, timeout=600)
                if r.returncode != 0:
                    raise SystemExit(r.stderr)
                out.append(dict(np.load(path)))
            worst = max(float(np.max(np.abs(out[0][k].astype(np.float64) - out[1][k]))) / float(np.max(np.abs(out[0][k])))
                        for k in keys)
            verdict(f"{label} {dt} {args[0]} x {args[1]}: final {', '.join(keys)} of every particle", worst <= tol,
                    f"max |numpy - jax| / max |numpy| = {worst:.2e} <= {tol:g}")

print(f"{failures} failure(s)")
sys.exit(1 if failures else 0)
