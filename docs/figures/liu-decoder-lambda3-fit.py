#!/usr/bin/env python3
"""Fits of a liu-decoder time against 1/(lambda_3 eta) (docs/scenarios.md, liu-decoder).

No arguments: the mean first 90% validation step over scans in /tmp/l3-<trainFraction>/results.jsonl.
With arguments: the representation time (in embedding steps: steps / decoderSteps), JSON lines of
docs/figures/liu-decoder-representation-time.ts (first steps to R^2 or RQI), liu-decoder-relaxation.ts
(relaxation times) or liu-authors-toy.py (the authors' toy, first steps to RQI); a
cell enters when at least half its networks reached the linear representation (its mean log time).
Least squares of ln t on ln(1/(lambda_3 eta)), then on ln(1/eta) and ln(1/lambda_3) separately (and ln(1/etaDec)
where the decoder's learning rate varies apart from eta), 95% t intervals.
"""
import glob, json, math, sys
import numpy as np
from scipy import stats

# lambda_3 of each (trainFraction, dataSeed): parallelogramTheory (src/landscape/families/parallelogram/theory.ts)
L3 = {(0.6,2):6.754,(0.6,4):4.697,(0.6,12):9.335,(0.7,2):16.296,(0.7,9):12.542,(0.8,2):25.177,(0.8,3):18.579,(0.8,5):35.177,(0.9,3):45.965,(0.9,10):46.092}

def validation_points():
    pts = []
    for f in glob.glob('/tmp/l3-0.*/results.jsonl'):
        for line in open(f):
            r = json.loads(line); p = r['parameters']; m = r['measures']; vt = m['valTime']
            lam = L3[(p['trainFraction'], p['dataSeed'])]
            print(p['trainFraction'], p['dataSeed'], p['eta'], 'lam3', lam, 'valTime', vt, 'trainTime', m['trainTime']['mean'], 'lin', round(m['linearity'], 2))
            if vt['mean'] is not None and vt['fraction'] >= 0.25:
                pts.append((lam, p['eta'], math.log(vt['mean']), p['etaDec']))
    return pts

def representation_points(files):
    pts = []
    for f in files:
        for line in open(f):
            if not line.startswith('{'):
                continue
            r = json.loads(line)
            # decoderSteps K: the embeddings move on every K-th step, so the time in embedding steps is step / K
            k = r['parameters'].get('decoderSteps', 1)
            t = [x / k for x in r['times'] if x >= 0]
            frac = len(t) / len(r['times'])
            mean = sum(t) / len(t) if t else None
            print(r['trainFraction'], r['dataSeed'], r['eta'], 'lam3', round(r['lambda3'], 3), 'reached', f"{len(t)}/{len(r['times'])}", 'mean step', mean)
            if frac >= 0.5:
                pts.append((r['lambda3'], r['eta'], sum(math.log(x) for x in t) / len(t), r['parameters']['etaDec']))
    return pts

def ols(cols, y):
    A = np.column_stack([np.ones(len(y))] + cols)
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    res = y - A @ coef; dof = len(y) - A.shape[1]; s2 = (res @ res) / dof
    cov = s2 * np.linalg.inv(A.T @ A); t = stats.t.ppf(0.975, dof)
    return [(c, c - t * math.sqrt(cov[i, i]), c + t * math.sqrt(cov[i, i])) for i, c in enumerate(coef)], dof

pts = representation_points(sys.argv[1:]) if len(sys.argv) > 1 else validation_points()
if len(pts) >= 3:
    lam = np.array([p[0] for p in pts]); eta = np.array([p[1] for p in pts]); y = np.array([p[2] for p in pts])
    (_, b), dof = ols([np.log(1 / (lam * eta))], y)
    print(f"ln t = a + b ln(1/(lambda3 eta)): b = {b[0]:.3f} [{b[1]:.3f}, {b[2]:.3f}] ({len(y)} cells, dof {dof}); the effective theory: 1")
    if len(pts) >= 4:
        (_, ce, cl), dof = ols([np.log(1 / eta), np.log(1 / lam)], y)
        print(f"separately: eta exponent {ce[0]:.3f} [{ce[1]:.3f}, {ce[2]:.3f}], lambda3 exponent {cl[0]:.3f} [{cl[1]:.3f}, {cl[2]:.3f}]")
    dec = np.array([p[3] for p in pts])
    if len(set(dec)) > 1 and not np.allclose(dec, eta) and len(pts) >= 5:
        (_, ce, cl, cd), dof = ols([np.log(1 / eta), np.log(1 / lam), np.log(1 / dec)], y)
        print(f"with the decoder's rate: eta {ce[0]:.3f} [{ce[1]:.3f}, {ce[2]:.3f}], lambda3 {cl[0]:.3f} [{cl[1]:.3f}, {cl[2]:.3f}], etaDec {cd[0]:.3f} [{cd[1]:.3f}, {cd[2]:.3f}] (dof {dof})")
