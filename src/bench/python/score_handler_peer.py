#!/usr/bin/env python3
"""A plain Python Lambda handler doing the score function's work, for ScorePeerBenchmark.

Usage:
    python3 score_handler_peer.py MODEL_JSON SINGLE_EVENT BATCH_EVENT ITERATIONS [ANSWERS_DIR]
                                  [--numpy]

What a shop would write in Python for the same API Gateway (payload 2.0) route, standard
library only: the event bytes decoded as the Lambda Python runtime does (json.loads), the body
parsed (json.loads), each customer's features standardized with the model's log1p / mean / std,
its nearest centre, the logistic probability with squares and interactions when the model has
them, the churn-risk band and the playbook's action, the top three contributions, the priority;
the body and the response encoded (json.dumps twice, as the runtime serializes the returned dict).
No input checks beyond what json does: the product's reader refuses duplicate or unknown fields,
wrong types and values out of range, which this handler does not.

With --numpy the scoring arithmetic is NumPy's, vectorised over the batch (one matrix of features,
distances to all centres, contributions, probabilities), the way a shop that knows NumPy would
write it; the JSON decoding and encoding around it are the same.

For each event: ITERATIONS warm-up calls, then ITERATIONS timed calls; prints p50 / p99 / max
wall time and the mean CPU time per call (time.thread_time), in the product benchmark's format.
"""

import json
import math
import os
import sys
import time


class Model:
    def __init__(self, doc):
        features = doc["features"]
        self.names = [f["name"] for f in features]
        self.log1p = [bool(f.get("log1p")) for f in features]
        self.mean = [f["mean"] for f in features]
        self.std = [f["std"] for f in features]
        seg = doc["segmentation"]
        self.centres = seg["centresStandardized"]
        self.segment_names = {}
        kinds = {}
        for s in doc["segments"]:
            self.segment_names[s["id"]] = s["name"]
            kinds[s["id"]] = s.get("kind") or "*"
        playbook = doc.get("playbook") or {}
        self.high_below = playbook.get("highRiskBelow", 0.3)
        self.medium_below = playbook.get("mediumRiskBelow", 0.6)
        rules = playbook.get("rules") or []
        self.bands = ["high", "medium", "low"]
        self.actions = {}
        for sid, kind in kinds.items():
            for band in self.bands:
                action = None
                for r in rules:
                    if r["kind"] in (kind, "*") and r["band"] in (band, "*"):
                        action = r["action"]
                        break
                self.actions[(sid, band)] = action
        cls = doc["classifier"]
        self.intercept = cls["intercept"]
        self.coefficients = cls["coefficients"]
        self.squares = bool(cls.get("squares"))
        self.interactions = bool(cls.get("interactions"))
        self.version = doc["version"]
        if doc.get("customerValue") is not None:
            raise SystemExit("the peer scores feature models without a customer-value layer")

    def score(self, features):
        d = len(self.names)
        z = [0.0] * d
        for c in range(d):
            x = features[self.names[c]]
            if self.log1p[c]:
                x = math.log1p(x)
            z[c] = (x - self.mean[c]) / self.std[c]
        best, best_d = 0, math.inf
        for j, centre in enumerate(self.centres):
            s = 0.0
            for c in range(d):
                t = z[c] - centre[c]
                s += t * t
            if s < best_d:
                best, best_d = j, s
        coef = self.coefficients
        contribution = [coef[c] * z[c] for c in range(d)]
        t = d
        if self.squares:
            for c in range(d):
                contribution[c] += coef[t] * z[c] * z[c]
                t += 1
        if self.interactions:
            for a in range(d):
                for b in range(a + 1, d):
                    half = 0.5 * coef[t] * z[a] * z[b]
                    contribution[a] += half
                    contribution[b] += half
                    t += 1
        eta = self.intercept + sum(contribution)
        p = 1 / (1 + math.exp(-eta)) if eta >= 0 else math.exp(eta) / (1 + math.exp(eta))
        band = "high" if p < self.high_below else "medium" if p < self.medium_below else "low"
        top = sorted(range(d), key=lambda c: -abs(contribution[c]))[:3]
        return {
            "segment": best,
            "segmentName": self.segment_names[best],
            "probability": p,
            "churnRiskBand": band,
            "suggestedAction": self.actions[(best, band)],
            "topContributions": [
                {"feature": self.names[c], "contribution": contribution[c]} for c in top
            ],
            "priority": {"likelyToLapse": band != "low", "value": 1 - p, "by": "lapse-probability"},
            "basis": "features",
        }


class NumpyModel(Model):
    """The same model, scored a batch at a time with NumPy."""

    def __init__(self, doc):
        super().__init__(doc)
        import numpy as np

        self.np = np
        self.log1p_mask = np.array(self.log1p)
        self.mean_a = np.array(self.mean)
        self.std_a = np.array(self.std)
        self.centres_a = np.array(self.centres)
        self.coef_a = np.array(self.coefficients)
        if self.squares or self.interactions:
            raise SystemExit("the NumPy peer scores linear classifiers only")

    def score_many(self, rows):
        np = self.np
        x = np.array([[f[n] for n in self.names] for f in rows], dtype=float)
        x[:, self.log1p_mask] = np.log1p(x[:, self.log1p_mask])
        z = (x - self.mean_a) / self.std_a
        d2 = ((z[:, None, :] - self.centres_a[None, :, :]) ** 2).sum(axis=2)
        segment = d2.argmin(axis=1)
        contribution = z * self.coef_a
        eta = self.intercept + contribution.sum(axis=1)
        p = 1 / (1 + np.exp(-eta))
        top = np.argsort(-np.abs(contribution), axis=1, kind="stable")[:, :3]
        out = []
        for i in range(len(rows)):
            pi = float(p[i])
            band = "high" if pi < self.high_below else "medium" if pi < self.medium_below else "low"
            s = int(segment[i])
            out.append(
                {
                    "segment": s,
                    "segmentName": self.segment_names[s],
                    "probability": pi,
                    "churnRiskBand": band,
                    "suggestedAction": self.actions[(s, band)],
                    "topContributions": [
                        {"feature": self.names[c], "contribution": float(contribution[i, c])}
                        for c in top[i]
                    ],
                    "priority": {
                        "likelyToLapse": band != "low",
                        "value": 1 - pi,
                        "by": "lapse-probability",
                    },
                    "basis": "features",
                }
            )
        return out

    def score(self, features):
        return self.score_many([features])[0]


def make_handler(model):
    def handler(event, context):
        body = json.loads(event["body"])
        as_of = time.strftime("%Y-%m-%d", time.gmtime())
        if "customers" in body:
            customers = body["customers"]
            if hasattr(model, "score_many"):
                scores = model.score_many([c["features"] for c in customers])
            else:
                scores = [model.score(c["features"]) for c in customers]
            results = []
            for c, score in zip(customers, scores):
                r = {"customerId": c["customerId"]}
                r.update(score)
                r["asOf"] = as_of
                r["modelVersion"] = model.version
                results.append(r)
            out = {
                "modelVersion": model.version,
                "asOf": as_of,
                "count": len(results),
                "results": results,
            }
        else:
            out = {"customerId": body["customerId"]}
            out.update(model.score(body["features"]))
            out["asOf"] = as_of
            out["modelVersion"] = model.version
        return {
            "statusCode": 200,
            "headers": {"content-type": "application/json"},
            "body": json.dumps(out),
            "isBase64Encoded": False,
        }

    return handler


def main():
    args = [a for a in sys.argv[1:] if a != "--numpy"]
    vectorised = "--numpy" in sys.argv
    model_path, single, batch, iterations = args[0:4]
    answers = args[4] if len(args) > 4 else None
    iterations = int(iterations)
    with open(model_path, "rb") as f:
        doc = json.load(f)
    handler = make_handler(NumpyModel(doc) if vectorised else Model(doc))
    prefix = "numpy-" if vectorised else "python-"
    for path in (single, batch):
        with open(path, "rb") as f:
            event = f.read()

        def call():
            # What the Lambda Python runtime does around a handler: decode, call, encode.
            return json.dumps(handler(json.loads(event), None)).encode()

        for _ in range(iterations):
            call()
        ns = [0] * iterations
        cpu = time.thread_time()
        out = None
        for i in range(iterations):
            t = time.perf_counter_ns()
            out = call()
            ns[i] = time.perf_counter_ns() - t
        cpu = time.thread_time() - cpu
        ns.sort()
        print(
            "score-handler %s%s iterations=%d p50_us=%.1f p99_us=%.1f max_us=%.1f cpu_us=%.1f"
            % (
                prefix,
                os.path.basename(path),
                iterations,
                ns[iterations // 2] / 1e3,
                ns[int(iterations * 0.99)] / 1e3,
                ns[-1] / 1e3,
                cpu * 1e6 / iterations,
            )
        )
        if answers:
            with open(os.path.join(answers, prefix + os.path.basename(path)), "wb") as f:
                f.write(out)


if __name__ == "__main__":
    main()
