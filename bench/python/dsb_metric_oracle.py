#!/usr/bin/python3
"""Independent oracle for the DSB2018 metric (test data for Nuclei.Tests.Core.MetricTests).

Written from the competition's definition (Kaggle, 2018 Data Science Bowl, Evaluation page,
https://www.kaggle.com/c/data-science-bowl-2018/overview/evaluation), not from the C# code:
for each threshold t in 0.50, 0.55, ..., 0.95 a predicted object "hits" a true object when IoU > t;
precision(t) = TP / (TP + FP + FN); the image score is the mean of precision(t); empty vs empty is 1.

For every image of stage1_train it builds the true label map from the mask PNGs (mask k, in file-name order,
gets label k; a later mask wins where masks overlap), makes a prediction by eroding each nucleus once with a
3x3 cross (scipy's default structuring element; pixels outside the image count as background), and scores it.

Usage: /usr/bin/python3 bench/python/dsb_metric_oracle.py STAGE1_TRAIN_DIR OUT.csv
Writes: ImageId,eroded_score (10 decimals); prints the mean.
"""
import os
import sys

import numpy as np
from scipy import ndimage
from skimage import io

THRESHOLDS = np.arange(0.5, 1.0, 0.05)  # as in the competition's reference kernel


def true_labels(sample_dir):
    masks_dir = os.path.join(sample_dir, "masks")
    names = sorted(os.listdir(masks_dir))
    labels = None
    k = 0
    for name in names:
        m = io.imread(os.path.join(masks_dir, name))
        if m.ndim == 3:
            m = m[..., 0]
        if labels is None:
            labels = np.zeros(m.shape, dtype=np.int32)
        if not m.any():
            continue
        k += 1
        labels[m > 0] = k
    return labels


def erode_each(labels):
    out = np.zeros_like(labels)
    for lab, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        # Pad the bounding box by one so the erosion sees the true neighbourhood (and the image edge as background).
        y0, y1 = max(sl[0].start - 1, 0), min(sl[0].stop + 1, labels.shape[0])
        x0, x1 = max(sl[1].start - 1, 0), min(sl[1].stop + 1, labels.shape[1])
        obj = labels[y0:y1, x0:x1] == lab
        er = ndimage.binary_erosion(obj, border_value=0)
        out[y0:y1, x0:x1][er] = lab
    return out


def iou_matrix(truth, pred):
    t_ids = np.unique(truth[truth > 0])
    p_ids = np.unique(pred[pred > 0])
    t_index = {v: i for i, v in enumerate(t_ids)}
    p_index = {v: i for i, v in enumerate(p_ids)}
    inter = np.zeros((len(t_ids), len(p_ids)), dtype=np.int64)
    both = (truth > 0) & (pred > 0)
    pairs, counts = np.unique(np.stack([truth[both], pred[both]]), axis=1, return_counts=True)
    for (a, b), c in zip(pairs.T, counts):
        inter[t_index[a], p_index[b]] = c
    area_t = np.array([(truth == v).sum() for v in t_ids], dtype=np.int64)
    area_p = np.array([(pred == v).sum() for v in p_ids], dtype=np.int64)
    union = area_t[:, None] + area_p[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, inter / np.maximum(union, 1), 0.0), len(t_ids), len(p_ids)


def image_score(truth, pred):
    iou, n_true, n_pred = iou_matrix(truth, pred)
    if n_true == 0 and n_pred == 0:
        return 1.0
    precisions = []
    for t in THRESHOLDS:
        hits = iou > t
        tp = int((hits.sum(axis=1) > 0).sum())   # true objects with a hit
        fn = n_true - tp
        fp = int((hits.sum(axis=0) == 0).sum())  # predicted objects hitting nothing
        precisions.append(tp / (tp + fp + fn))
    return float(np.mean(precisions))


def main():
    root, out = sys.argv[1], sys.argv[2]
    rows = []
    for image_id in sorted(os.listdir(root)):
        sample = os.path.join(root, image_id)
        if not os.path.isdir(os.path.join(sample, "images")):
            continue
        truth = true_labels(sample)
        rows.append((image_id, image_score(truth, erode_each(truth))))
    with open(out, "w") as f:
        f.write("ImageId,eroded_score\n")
        for image_id, s in rows:
            f.write(f"{image_id},{s:.10f}\n")
    print(f"images={len(rows)} mean_eroded_score={np.mean([s for _, s in rows]):.6f}")


if __name__ == "__main__":
    main()
