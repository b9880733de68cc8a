#!/usr/bin/env python3
"""scikit-learn peer of the product's numeric core, for SklearnPeerBenchmark.

Usage:
    python3 sklearn_peer.py CSV [--stages read,kmeans1,...] [--threads N]
                                [--id customer_id] [--label repurchased]

Prints one JSON line per stage (wall seconds from time.perf_counter; for the K-means and
logistic stages also cpu_seconds, the process's CPU time from time.process_time, all threads),
first a "meta" line. Stages:
    read       pandas.read_csv of the whole file (and again without the id column)
    kmeans1    StandardScaler, then KMeans(k=5, n_init=1, max_iter=100, tol=1e-4,
               k-means++, lloyd, random_state=42); seconds per iteration
    kmeans1fixed  the same iteration from fixed initial centres (standardized rows
               i * (n // 5), i = 0..4), as the Java side does with KMeans.refine:
               same start, so the same trajectory and iteration count on both sides
    kmeans10   KMeans(k=5, n_init=10, max_iter=300, tol=1e-4, lloyd, random_state=42)
    logreg     LogisticRegression(C=1, l2, lbfgs, max_iter=1000) with tol=1e-4
               (sklearn's default) and tol=1e-8
    whole      the product's whole training re-done with sklearn (see whole() below);
               run it in its own process: peak RSS (VmHWM) is per process

Standard library + numpy/pandas/scikit-learn (+ threadpoolctl) only.
"""

import argparse
import json
import os
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("csv")
    p.add_argument("--stages", default="read,kmeans1,kmeans1fixed,kmeans10,logreg")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--id", default="customer_id")
    p.add_argument("--label", default="repurchased")
    p.add_argument(
        "--k-rule",
        choices=("product", "silhouette"),
        default="product",
        help="whole: K by the product's rule (kneedle elbow, ties within 0.02 broken by the"
        " highest silhouette) or simply the highest silhouette",
    )
    return p.parse_args()


ARGS = parse_args()
# Thread pools read these when the native libraries load: set them before importing numpy.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import resource  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.calibration import calibration_curve  # noqa: E402
from sklearn.cluster import KMeans, kmeans_plusplus  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import (  # noqa: E402
    average_precision_score,
    brier_score_loss,
    confusion_matrix,
    log_loss,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
    silhouette_score,
)
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # pragma: no cover - threadpoolctl ships with sklearn's Debian package
    threadpool_info = None
    threadpool_limits = None

SEED = 42


def emit(stage, **fields):
    out = {"stage": stage, "threads": ARGS.threads}
    out.update(fields)
    print(json.dumps(out, default=_plain), flush=True)


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(type(value))


def ru_maxrss_mb():
    # Linux: kilobytes. Caveat: exec keeps the pre-exec address space's high-water mark, so a
    # process spawned by a JVM (vfork + exec) starts with the JVM's RSS here; see peak_rss_mb.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def peak_rss_mb():
    """This process's own peak RSS: VmHWM of /proc/self/status (reset by exec), else ru_maxrss."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return ru_maxrss_mb()


def load(path):
    """The feature matrix and labels the way the product reads them: every column but id and
    label is a feature."""
    df = pd.read_csv(path)
    features = [c for c in df.columns if c not in (ARGS.id, ARGS.label)]
    x = df[features].to_numpy(dtype=np.float64)
    y = df[ARGS.label].to_numpy(dtype=np.int64)
    return x, y, features


def stage_read(path):
    size = os.path.getsize(path)
    t = time.perf_counter()
    df = pd.read_csv(path)
    seconds = time.perf_counter() - t
    header = list(df.columns)
    rows = len(df)
    del df
    t = time.perf_counter()
    df = pd.read_csv(path, usecols=[c for c in header if c != ARGS.id])
    seconds_no_id = time.perf_counter() - t
    del df
    emit(
        "read",
        seconds=seconds,
        mb_per_s=size / 1e6 / seconds,
        rows=rows,
        bytes=size,
        seconds_without_id=seconds_no_id,
        mb_per_s_without_id=size / 1e6 / seconds_no_id,
    )


def standardized(path):
    x, y, _ = load(path)
    t = time.perf_counter()
    z = StandardScaler().fit_transform(x)
    emit("standardize", seconds=time.perf_counter() - t)
    return z, y


def stage_kmeans1(z):
    t = time.perf_counter()
    kmeans_plusplus(z, 5, random_state=SEED)
    seeding = time.perf_counter() - t
    km = KMeans(
        n_clusters=5,
        n_init=1,
        max_iter=100,
        tol=1e-4,
        init="k-means++",
        algorithm="lloyd",
        random_state=SEED,
    )
    t = time.perf_counter()
    cpu = time.process_time()
    km.fit(z)
    seconds = time.perf_counter() - t
    cpu = time.process_time() - cpu
    emit(
        "kmeans1",
        seconds=seconds,
        cpu_seconds=cpu,
        cpu_seconds_per_iter=cpu / km.n_iter_,
        n_iter=int(km.n_iter_),
        seconds_per_iter=seconds / km.n_iter_,
        seeding_seconds=seeding,
        seconds_per_iter_without_seeding=max(seconds - seeding, 0.0) / km.n_iter_,
        inertia=float(km.inertia_),
    )


def fixed_init_rows(n, k=5):
    return [i * (n // k) for i in range(k)]


def stage_kmeans1fixed(z):
    init = z[fixed_init_rows(z.shape[0])].copy()
    km = KMeans(n_clusters=5, n_init=1, max_iter=100, tol=1e-4, init=init, algorithm="lloyd")
    t = time.perf_counter()
    cpu = time.process_time()
    km.fit(z)
    seconds = time.perf_counter() - t
    cpu = time.process_time() - cpu
    emit(
        "kmeans1fixed",
        seconds=seconds,
        cpu_seconds_per_iter=cpu / km.n_iter_,
        n_iter=int(km.n_iter_),
        seconds_per_iter=seconds / km.n_iter_,
        inertia=float(km.inertia_),
    )


def stage_kmeans10(z):
    km = KMeans(
        n_clusters=5,
        n_init=10,
        max_iter=300,
        tol=1e-4,
        init="k-means++",
        algorithm="lloyd",
        random_state=SEED,
    )
    t = time.perf_counter()
    cpu = time.process_time()
    km.fit(z)
    seconds = time.perf_counter() - t
    cpu = time.process_time() - cpu
    emit(
        "kmeans10",
        seconds=seconds,
        cpu_seconds=cpu,
        n_iter=int(km.n_iter_),
        inertia=float(km.inertia_),
    )


def stage_logreg(z, y):
    for tol in (1e-4, 1e-8):
        lr = LogisticRegression(C=1.0, penalty="l2", solver="lbfgs", tol=tol, max_iter=1000)
        t = time.perf_counter()
        cpu = time.process_time()
        lr.fit(z, y)
        seconds = time.perf_counter() - t
        cpu = time.process_time() - cpu
        emit(
            "logreg",
            tol=tol,
            seconds=seconds,
            cpu_seconds=cpu,
            n_iter=int(lr.n_iter_[0]),
            intercept=float(lr.intercept_[0]),
            coefficients=lr.coef_[0].tolist(),
        )


def lift_by_decile(p, y, groups=10):
    order = np.argsort(-p, kind="stable")
    n = len(y)
    overall = y.mean()
    total = y.sum()
    out, cumulative = [], 0
    for g in range(groups):
        sel = order[g * n // groups : (g + 1) * n // groups]
        positives = int(y[sel].sum())
        cumulative += positives
        rate = positives / len(sel) if len(sel) else 0.0
        out.append(
            {
                "decile": g + 1,
                "count": len(sel),
                "mean_predicted": float(p[sel].mean()) if len(sel) else 0.0,
                "rate": rate,
                "lift": rate / overall if overall else 0.0,
                "cumulative_capture": cumulative / total if total else 0.0,
            }
        )
    return out


def kneedle_difference(ks, inertia):
    """The product's elbow curve (KSelection.kneedleDifference): distance below the chord."""
    ks = np.asarray(ks, dtype=float)
    v = np.asarray(inertia, dtype=float)
    span = v.max() - v.min()
    if len(ks) < 3 or not span > 0:
        return [0.0] * len(ks)
    return ((1 - (ks - ks[0]) / (ks[-1] - ks[0])) - (v - v.min()) / span).tolist()


def choose_k(ks, kneedle, silhouette, rule, tie=0.02):
    """KSelection.choose: kneedle candidates within tie of the best, highest silhouette wins
    (then the smaller K); with no elbow, or rule "silhouette", the highest silhouette."""
    best = max(kneedle)
    chosen = -1
    for i in range(len(ks)):
        candidate = rule == "silhouette" or best <= 0 or kneedle[i] >= best - tie
        if candidate and (chosen < 0 or silhouette[i] > silhouette[chosen]):
            chosen = i
    return ks[chosen]


def stage_whole(path):
    """The product's whole training with sklearn building blocks.

    read -> StandardScaler -> K search k=2..10 (KMeans n_init=3 on a seeded 50,000-row sample,
    silhouette_score on a seeded 5,000-row sample of it, one call per k) -> K by the product's
    rule (--k-rule product, default: kneedle elbow, ties within 0.02 broken by the highest
    silhouette) or by the highest silhouette alone (--k-rule silhouette) ->
    refit K with n_init=10 on the sample -> one KMeans on all rows from those centres (n_init=1)
    -> stratified 80/20 split -> LogisticRegression(C=1, lbfgs, default tol 1e-4) on the
    training part -> held-out ROC AUC, average precision, log loss, Brier, confusion matrix at
    0.5, calibration (10 bins), lift by decile, ROC and PR curves -> LR refit on all rows
    warm-started from the training-split fit (as the product does). Not re-done: the product's
    AUTO squares/interactions decision and the segment profiles.
    """
    parts = {}
    rss_start = peak_rss_mb()
    t0 = time.perf_counter()
    lap = t0

    def mark(name):
        nonlocal lap
        now = time.perf_counter()
        parts[name] = now - lap
        lap = now

    x, y, _ = load(path)
    mark("read")
    z = StandardScaler().fit_transform(x)
    mark("standardize")

    n = z.shape[0]
    rng = np.random.RandomState(SEED)
    search_rows = min(50_000, n)
    sample = np.sort(rng.choice(n, search_rows, replace=False)) if n > search_rows else np.arange(n)
    zs = z[sample]
    sil_rows = min(5_000, search_rows)
    sil = (
        np.sort(rng.choice(search_rows, sil_rows, replace=False))
        if search_rows > sil_rows
        else np.arange(search_rows)
    )
    ks = list(range(2, 11))
    inertia, silhouette, kmeans_seconds, silhouette_seconds = [], [], 0.0, 0.0
    for k in ks:
        t = time.perf_counter()
        km = KMeans(
            n_clusters=k, n_init=3, max_iter=300, tol=1e-4, algorithm="lloyd", random_state=SEED
        ).fit(zs)
        kmeans_seconds += time.perf_counter() - t
        inertia.append(float(km.inertia_))
        t = time.perf_counter()
        silhouette.append(float(silhouette_score(zs[sil], km.labels_[sil])))
        silhouette_seconds += time.perf_counter() - t
    kneedle = kneedle_difference(ks, inertia)
    chosen = choose_k(ks, kneedle, silhouette, ARGS.k_rule)
    mark("kSearch")

    km = KMeans(
        n_clusters=chosen, n_init=10, max_iter=300, tol=1e-4, algorithm="lloyd", random_state=SEED
    ).fit(zs)
    full = KMeans(
        n_clusters=chosen, init=km.cluster_centers_, n_init=1, max_iter=300, tol=1e-4,
        algorithm="lloyd",
    ).fit(z)
    mark("kmeans")

    train, valid = train_test_split(
        np.arange(n), test_size=0.2, stratify=y, random_state=SEED
    )
    lr = LogisticRegression(C=1.0, penalty="l2", solver="lbfgs", max_iter=1000, warm_start=True)
    lr.fit(z[train], y[train])
    train_iter = int(lr.n_iter_[0])
    yv = y[valid]
    p = lr.predict_proba(z[valid])[:, 1]
    metrics = {
        "roc_auc": roc_auc_score(yv, p),
        "average_precision": average_precision_score(yv, p),
        "log_loss": log_loss(yv, p),
        "brier": brier_score_loss(yv, p),
        "confusion": confusion_matrix(yv, (p >= 0.5).astype(int)).ravel().tolist(),
    }
    prob_true, prob_pred = calibration_curve(yv, p, n_bins=10, strategy="uniform")
    lift = lift_by_decile(p, yv)
    fpr, tpr, _ = roc_curve(yv, p)
    precision, recall, _ = precision_recall_curve(yv, p)
    mark("evaluate")

    lr.fit(z, y)
    mark("refit")
    total = time.perf_counter() - t0
    emit(
        "whole",
        seconds=total,
        parts=parts,
        kmeans_fit_seconds_in_search=kmeans_seconds,
        silhouette_seconds_in_search=silhouette_seconds,
        ks=ks,
        inertia=inertia,
        silhouette=silhouette,
        kneedle=kneedle,
        k_rule=ARGS.k_rule,
        chosen_k=chosen,
        full_inertia=float(full.inertia_),
        full_n_iter=int(full.n_iter_),
        train_rows=len(train),
        validation_rows=len(valid),
        lr_train_iter=train_iter,
        lr_refit_iter=int(lr.n_iter_[0]),
        metrics=metrics,
        calibration_bins=len(prob_true),
        lift_top_decile=lift[0]["lift"],
        roc_points=len(fpr),
        pr_points=len(precision),
        intercept=float(lr.intercept_[0]),
        coefficients=lr.coef_[0].tolist(),
        peak_rss_mb=peak_rss_mb(),
        peak_rss_mb_before=rss_start,
        ru_maxrss_mb=ru_maxrss_mb(),
    )


def main():
    stages = [s for s in ARGS.stages.split(",") if s]
    known = {"read", "kmeans1", "kmeans1fixed", "kmeans10", "logreg", "whole"}
    unknown = set(stages) - known
    if unknown:
        sys.exit("unknown stages: " + ", ".join(sorted(unknown)))
    info = threadpool_info() if threadpool_info else []
    limits = threadpool_limits(limits=ARGS.threads) if threadpool_limits else None
    try:
        emit(
            "meta",
            python=sys.version.split()[0],
            sklearn=sklearn.__version__,
            pandas=pd.__version__,
            numpy=np.__version__,
            pools=[
                {k: p.get(k) for k in ("internal_api", "version", "num_threads")}
                for p in (threadpool_info() if threadpool_info else [])
            ],
            pools_before_limit=[p.get("num_threads") for p in info],
            peak_rss_mb_after_imports=peak_rss_mb(),
            ru_maxrss_mb_after_imports=ru_maxrss_mb(),
        )
        if "read" in stages:
            stage_read(ARGS.csv)
        if {"kmeans1", "kmeans1fixed", "kmeans10", "logreg"} & set(stages):
            z, y = standardized(ARGS.csv)
            if "kmeans1" in stages:
                stage_kmeans1(z)
            if "kmeans1fixed" in stages:
                stage_kmeans1fixed(z)
            if "kmeans10" in stages:
                stage_kmeans10(z)
            if "logreg" in stages:
                stage_logreg(z, y)
            del z, y
        if "whole" in stages:
            stage_whole(ARGS.csv)
    finally:
        if limits is not None:
            limits.restore_original_limits()


if __name__ == "__main__":
    main()
