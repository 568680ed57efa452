"""Independent solution of the large-d |w_inf| system of src/landscape/families/linear-separability/theory.ts (SciPy), for its test.

    E[1 / (1 + W(c e^(-rZ)))] = 1 - lam,   E[W(c e^(-rZ))^2] = lam r^2,   Z ~ N(0, 1)

Lambert W from scipy.special, roots by brentq, expectations on 48001 trapezoid nodes on [-12, 12].
Run: python3 tests/theory/reference/separability_large_d.py 0.3 0.4 0.49   (about a minute per value)
"""
import sys
import numpy as np
from scipy.optimize import brentq
from scipy.special import lambertw

z = np.linspace(-12, 12, 48001)
wq = np.exp(-z * z / 2)
wq /= wq.sum()


def w_of_exp(la):
    big = la > 600
    w = np.real(lambertw(np.exp(np.minimum(la, 600))))
    lb = np.maximum(la, 600.0)
    return np.where(big, lb - np.log(lb) + np.log(lb) / lb, w)


def excess(r, lam):
    def first(lc):
        return wq @ (1 / (1 + w_of_exp(lc - r * z))) - (1 - lam)
    lc = brentq(first, -(40 + 12 * r), 40 + 12 * r)
    return (wq @ w_of_exp(lc - r * z) ** 2) / (r * r) - lam


def solve(lam):
    rs = np.geomspace(0.05, 100, 60)
    prev = excess(rs[0], lam)
    for a, b in zip(rs[:-1], rs[1:]):
        cur = excess(b, lam)
        if prev > 0 and cur <= 0:
            return brentq(lambda r: excess(r, lam), a, b, xtol=1e-13)
        prev = cur
    return float('nan')


for lam in map(float, sys.argv[1:]):
    print(lam, repr(solve(lam)))
