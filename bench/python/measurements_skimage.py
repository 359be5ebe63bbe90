#!/usr/bin/python3
"""Compares our per-nucleus measurements (ours.csv) with scikit-image's regionprops on the same label maps.

For every column: the largest relative difference (absolute where the reference is within 1e-6 of 0) |ours - skimage| / |skimage| over all nuclei (and the largest
absolute one), and how many nuclei differ by more than 1e-6 relatively. Orientation is compared modulo pi (an
axis has no direction). Median, std and integrated intensity are NumPy's median / std / sum over the region's pixels.

Usage: /usr/bin/python3 measurements_skimage.py DIR   (DIR as written by `Nuclei.Bench measurements prepare`)
"""
import csv
import glob
import math
import os
import sys

import numpy as np
import skimage
from skimage.measure import regionprops


def orientation(r):
    """regionprops' orientation, except on exact ties of the two variances: there skimage 0.19 returns pi/4 with
    the sign of -b, the opposite of its own formula 0.5*atan2(-2b, c-a) at c = a; we compare with the formula."""
    a, b, _, c = r.inertia_tensor.flat
    if a - c == 0:
        TIES.append(r.label)
        return 0.5 * math.atan2(-2 * b, 0.0)
    return r.orientation


TIES = []


def reference(labels, channels):
    rows = {}
    for r in regionprops(labels):
        pix = tuple(r.coords.T)
        minr, minc, maxr, maxc = r.bbox
        h, w = labels.shape
        row = {
            "area_px": r.area, "perimeter_px": r.perimeter,
            "centroid_x_px": r.centroid[1], "centroid_y_px": r.centroid[0],
            "bbox_x_px": minc, "bbox_y_px": minr, "bbox_width_px": maxc - minc, "bbox_height_px": maxr - minr,
            "equivalent_diameter_px": r.equivalent_diameter, "major_axis_length_px": r.major_axis_length,
            "minor_axis_length_px": r.minor_axis_length, "orientation_rad": orientation(r),
            "eccentricity": r.eccentricity, "solidity": r.solidity, "extent": r.extent,
            "circularity": 4 * math.pi * r.area / r.perimeter ** 2 if r.perimeter > 0 else 0.0,
            "touches_border": int(minr == 0 or minc == 0 or maxr == h or maxc == w),
        }
        for k, ch in enumerate(channels, 1):
            v = ch[pix].astype(np.float64)
            row.update({f"intensity_mean_ch{k}": v.mean(), f"intensity_median_ch{k}": np.median(v),
                        f"intensity_min_ch{k}": v.min(), f"intensity_max_ch{k}": v.max(),
                        f"intensity_std_ch{k}": v.std(), f"intensity_integrated_ch{k}": v.sum()})
        rows[r.label] = row
    return rows


def main():
    root = sys.argv[1]
    worst_rel, worst_abs, over = {}, {}, {}
    images = nuclei = 0
    for d in sorted(glob.glob(os.path.join(root, "*", ""))):
        labels = np.load(os.path.join(d, "labels.npy"))
        channels = [np.load(p) for p in sorted(glob.glob(os.path.join(d, "image_ch*.npy")))]
        ref = reference(labels, channels)
        with open(os.path.join(d, "ours.csv")) as f:
            ours = {int(r["label"]): r for r in csv.DictReader(f)}
        if set(ours) != set(ref):
            print(f"{d}: labels differ: ours {len(ours)}, skimage {len(ref)}")
            return 1
        images += 1
        nuclei += len(ref)
        for label, expected in ref.items():
            for column, b in expected.items():
                a = float(ours[label][column])
                diff = abs(a - b)
                if column == "orientation_rad":
                    diff = min(diff, abs(math.pi - diff))
                rel = diff / abs(b) if abs(b) > 1e-6 else diff  # near zero: absolute
                worst_rel[column] = max(worst_rel.get(column, 0.0), rel)
                worst_abs[column] = max(worst_abs.get(column, 0.0), diff)
                over[column] = over.get(column, 0) + (rel > 1e-6)
    print(f"scikit-image {skimage.__version__}: {images} images, {nuclei} nuclei "
          f"({len(TIES)} with equal variances, orientation compared with regionprops' formula there)")
    print(f"{'column':32s} {'max rel diff':>14s} {'max abs diff':>14s} {'nuclei > 1e-6':>14s}")
    for column in worst_rel:
        print(f"{column:32s} {worst_rel[column]:14.3g} {worst_abs[column]:14.3g} {over[column]:14d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
