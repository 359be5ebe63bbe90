#!/usr/bin/python3
"""Compares our watershed / random walker with scikit-image's on the prepared images.

Agreement: the DSB2018 score (mean over IoU thresholds 0.50..0.95 of TP/(TP+FP+FN), match = IoU > t) of our
label map against skimage's, averaged over images. Speed: per-image fastest-of-REPS times from both sides, summed, and the
ratio skimage / ours.

Usage: /usr/bin/python3 compare_postprocessing.py DIR
"""
import csv
import os
import sys

import numpy as np


def mean_ap(truth, pred):
    t_ids, t = np.unique(truth, return_inverse=True)
    p_ids, p = np.unique(pred, return_inverse=True)
    t, p = t.ravel(), p.ravel()
    inter = np.bincount(t * len(p_ids) + p, minlength=len(t_ids) * len(p_ids)).reshape(len(t_ids), len(p_ids))
    area_t, area_p = inter.sum(1), inter.sum(0)
    if t_ids[0] == 0:
        inter, area_t = inter[1:], area_t[1:]
    if p_ids[0] == 0:
        inter, area_p = inter[:, 1:], area_p[1:]
    n_t, n_p = inter.shape
    if n_t == 0 and n_p == 0:
        return 1.0
    union = area_t[:, None] + area_p[None, :] - inter
    iou = inter / np.maximum(union, 1)
    scores = []
    for th in np.arange(0.5, 1.0, 0.05):
        tp = int((iou > th).sum())
        scores.append(tp / (tp + (n_p - tp) + (n_t - tp)))
    return float(np.mean(scores))


def read_times(path):
    with open(path) as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def main():
    root = sys.argv[1]
    ours, sk = read_times(os.path.join(root, "times_ours.csv")), read_times(os.path.join(root, "times_skimage.csv"))
    ids = sorted(set(ours) & set(sk))
    ap = {"ws": [], "rw": []}
    ratios = {"ws": [], "rw": []}
    total = {("ours", "ws"): 0.0, ("ours", "rw"): 0.0, ("sk", "ws"): 0.0, ("sk", "rw"): 0.0}
    for i in ids:
        d = os.path.join(root, i)
        for m in ("ws", "rw"):
            a = np.load(os.path.join(d, f"ours_{m}.npy"))
            b = np.load(os.path.join(d, f"sk_{m}.npy"))
            ap[m].append(mean_ap(b, a))
            to, ts = float(ours[i][f"{m}_ms"]), float(sk[i][f"{m}_ms"])
            total[("ours", m)] += to
            total[("sk", m)] += ts
            if to > 0 and ts > 0:
                ratios[m].append(ts / to)
    n = len(ids)
    print(f"images={n}")
    for m, name in (("ws", "watershed"), ("rw", "random_walker")):
        print(f"{name}: agreement mean_ap(ours vs skimage)={np.mean(ap[m]):.4f} (min {np.min(ap[m]):.4f}); "
              f"ms/image ours={total[('ours', m)] / n:.2f} skimage={total[('sk', m)] / n:.2f}; "
              f"speed-up total={total[('sk', m)] / total[('ours', m)]:.1f}x median-per-image={np.median(ratios[m]):.1f}x")


if __name__ == "__main__":
    main()
