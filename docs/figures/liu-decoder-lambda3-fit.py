#!/usr/bin/env python3
"""Fit of ln(validation time) against ln(1/(lambda_3 eta)) over liu-decoder scans in /tmp/l3-<trainFraction>/ (docs/scenarios.md, liu-decoder)."""
import json, math, glob
import numpy as np
from scipy import stats
# lambda_3 of each (trainFraction, dataSeed): parallelogramTheory (src/landscape/families/parallelogram/theory.ts)
l3 = {(0.6,2):6.754,(0.6,4):4.697,(0.6,12):9.335,(0.7,2):16.296,(0.7,9):12.542,(0.8,2):25.177,(0.8,3):18.579,(0.8,5):35.177,(0.9,3):45.965,(0.9,10):46.092}
rows=[]
for f in glob.glob('/tmp/l3-0.*/results.jsonl'):
    rows += [json.loads(l) for l in open(f)]
pts=[]
for r in rows:
    p=r['parameters']; m=r['measures']; vt=m['valTime']
    lam=l3[(p['trainFraction'],p['dataSeed'])]
    print(p['trainFraction'], p['dataSeed'], p['eta'], 'lam3', lam, 'valTime', vt, 'trainTime', m['trainTime']['mean'], 'lin', round(m['linearity'],2))
    if vt['mean'] is not None and vt['fraction'] >= 0.25:
        pts.append((math.log(1/(lam*p['eta'])), math.log(vt['mean']), math.log(1/p['eta']), math.log(1/lam)))
X=np.array(pts)
def ols(cols, y):
    A=np.column_stack([np.ones(len(y))]+cols)
    coef,_,_,_=np.linalg.lstsq(A,y,rcond=None)
    r=y-A@coef; dof=len(y)-A.shape[1]; s2=(r@r)/dof
    cov=s2*np.linalg.inv(A.T@A); t=stats.t.ppf(0.975,dof)
    return [(coef[i], coef[i]-t*math.sqrt(cov[i,i]), coef[i]+t*math.sqrt(cov[i,i])) for i in range(len(coef))], dof
if len(X) >= 3:
    (b0,b1),dof = ols([X[:,0]], X[:,1])
    print(f"log t = a + b log(1/(lam3 eta)): b = {b1[0]:.3f} [{b1[1]:.3f}, {b1[2]:.3f}] (n={len(X)}, dof {dof})")
    if len(X) >= 4:
        (c0,ce,cl),dof = ols([X[:,2], X[:,3]], X[:,1])
        print(f"separately: eta exponent {ce[0]:.3f} [{ce[1]:.3f}, {ce[2]:.3f}], lambda3 exponent {cl[0]:.3f} [{cl[1]:.3f}, {cl[2]:.3f}]")
