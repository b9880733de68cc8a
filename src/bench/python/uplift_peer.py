#!/usr/bin/env python3
"""scikit-learn two-model uplift peer, for HillstromUpliftBenchmark.

Usage:
    python3 uplift_peer.py DESIGN_CSV OUT_CSV [--log1p history] [--c 1.0]

DESIGN_CSV: columns fold (train / validation), treatment (0/1), outcome (0/1), then the
features. On the training rows: StandardScaler (after log1p of the named columns), then one
LogisticRegression(C, l2, lbfgs, tol=1e-8, max_iter=1000) on the treated rows and one on the
control rows (the classic two-model baseline, e.g. scikit-uplift's SoloModel/TwoModels with
LogisticRegression). OUT_CSV: one line per validation row, in input order, its predicted uplift
p_treated - p_control. Prints one JSON line: versions, rows and fit/predict seconds
(time.perf_counter).

Standard library + numpy/pandas/scikit-learn only.
"""

import argparse
import json
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("design")
    p.add_argument("out")
    p.add_argument("--log1p", default="history")
    p.add_argument("--c", type=float, default=1.0)
    a = p.parse_args()

    frame = pd.read_csv(a.design)
    features = [c for c in frame.columns if c not in ("fold", "treatment", "outcome")]
    x = frame[features].to_numpy(dtype=float)
    for name in filter(None, a.log1p.split(",")):
        j = features.index(name)
        x[:, j] = np.log1p(x[:, j])
    train = (frame["fold"] == "train").to_numpy()
    t = frame["treatment"].to_numpy()
    y = frame["outcome"].to_numpy()

    start = time.perf_counter()
    scaler = StandardScaler().fit(x[train])
    z = scaler.transform(x)
    models = {}
    for arm in (1, 0):
        rows = train & (t == arm)
        models[arm] = LogisticRegression(
            C=a.c, penalty="l2", solver="lbfgs", tol=1e-8, max_iter=1000
        ).fit(z[rows], y[rows])
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    validation = ~train
    uplift = (
        models[1].predict_proba(z[validation])[:, 1]
        - models[0].predict_proba(z[validation])[:, 1]
    )
    predict_seconds = time.perf_counter() - start
    np.savetxt(a.out, uplift, fmt="%.17g")
    print(
        json.dumps(
            {
                "sklearn": sklearn.__version__,
                "numpy": np.__version__,
                "python": sys.version.split()[0],
                "trainRows": int(train.sum()),
                "validationRows": int(validation.sum()),
                "fitSeconds": fit_seconds,
                "predictSeconds": predict_seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
