#!/usr/bin/python3
"""scikit-image's side of the post-processing comparison (bench/postprocessing-vs-skimage.sh).

For every image folder prepared by `Nuclei.Bench postprocessing prepare`, runs
skimage.segmentation.watershed(landscape, markers, mask=mask) (connectivity 1, skimage's default) and
skimage.segmentation.random_walker(body, labels, beta=130, mode='cg_j', tol=1e-3) with labels = markers and -1
outside the mask, on the same .npy inputs our side reads. Writes sk_ws.npy / sk_rw.npy and times_skimage.csv
(fastest of REPS runs per image, 10*REPS for the watershed, the figure least disturbed by other load, milliseconds, inputs already in memory).

Usage: /usr/bin/python3 postprocessing_skimage.py DIR [REPS]
"""
import os
import sys
import time
import warnings

import numpy as np
import skimage
from skimage.segmentation import random_walker, watershed


def timed(fn, reps):
    times, out = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return out, float(np.min(times))


def main():
    root = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    rows = ["id,height,width,markers,ws_ms,rw_ms"]
    warnings.simplefilter("ignore")  # random_walker warns about isolated unlabelled pixels
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isdir(d):
            continue
        body = np.load(os.path.join(d, "body.npy"))
        mask = np.load(os.path.join(d, "mask.npy")).astype(bool)
        markers = np.load(os.path.join(d, "markers.npy"))
        landscape = np.load(os.path.join(d, "landscape.npy"))
        labels = markers.copy()
        labels[~mask] = -1

        # the watershed is cheap on both sides: 10x the repetitions, as our side does
        ws, ws_ms = timed(lambda: watershed(landscape, markers, mask=mask), 10 * reps)
        if markers.max() > 0:
            rw, rw_ms = timed(lambda: random_walker(body, labels, beta=130, mode="cg_j", tol=1e-3), reps)
        else:
            rw, rw_ms = np.zeros_like(markers), 0.0
        rw = np.where(rw > 0, rw, 0).astype(np.int32)
        np.save(os.path.join(d, "sk_ws.npy"), ws.astype(np.int32))
        np.save(os.path.join(d, "sk_rw.npy"), rw)
        rows.append(f"{name},{markers.shape[0]},{markers.shape[1]},{markers.max()},{ws_ms:.3f},{rw_ms:.3f}")
    with open(os.path.join(root, "times_skimage.csv.tmp"), "w") as f:
        f.write("\n".join(rows) + "\n")
    os.replace(os.path.join(root, "times_skimage.csv.tmp"), os.path.join(root, "times_skimage.csv"))
    print(f"skimage {skimage.__version__}: {len(rows) - 1} image(s), times in {os.path.join(root, 'times_skimage.csv')}")


if __name__ == "__main__":
    main()
