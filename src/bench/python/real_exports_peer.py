#!/usr/bin/env python3
"""Plain scikit-learn peer on a real export's customers, for RealExportsPeerBenchmark.

Usage:
    python3 real_exports_peer.py TRAIN_CSV HELD_OUT_CSV

Both files: a header of feature names then "label", one customer per row, the product's own
features (derived from orders where the export is one) and labels, split exactly as the product
split them. Fits StandardScaler + LogisticRegression(C=1, L2, lbfgs, max_iter=1000) on the first,
scores the second, and prints one JSON line: rows, held-out ROC AUC and Brier score.

Standard library + numpy/pandas/scikit-learn only.
"""

import json
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def main():
    train = pd.read_csv(sys.argv[1])
    held = pd.read_csv(sys.argv[2])
    features = [c for c in train.columns if c != "label"]
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    model.fit(train[features].to_numpy(), train["label"].to_numpy())
    p = model.predict_proba(held[features].to_numpy())[:, 1]
    y = held["label"].to_numpy()
    print(
        json.dumps(
            {
                "sklearn": sklearn.__version__,
                "trainRows": int(len(train)),
                "heldOutRows": int(len(held)),
                "auc": float(roc_auc_score(y, p)),
                "brier": float(brier_score_loss(y, p)),
                "baseRate": float(np.mean(y)),
            }
        )
    )


if __name__ == "__main__":
    main()
