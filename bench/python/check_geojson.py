#!/usr/bin/python3
"""Independent check of the QuPath GeoJSON export with Shapely: for every <id>.geojson beside an <id>.labels.png label map,
every feature is a detection whose geometry Shapely finds valid, there is one feature per label, and each polygon's
area is within 2 % of its label's pixel count (read from the label map, <id>.labels.png or <id>.labels.tif, with Pillow).

Prints one line per image and a total line 'geojson: images=N features=N invalid=N missing=N max_area_rel_diff=X';
exits 1 when a check fails. Usage: /usr/bin/python3 check_geojson.py DIR
"""
import collections
import glob
import json
import os
import sys

import numpy as np
import shapely
from PIL import Image
from shapely.geometry import shape


def check(path, labels):
    counts = collections.Counter(np.asarray(labels).ravel().tolist())
    counts.pop(0, None)
    with open(path) as f:
        features = json.load(f)["features"]
    invalid = wrong_type = 0
    worst = 0.0
    seen = set()
    for feature in features:
        props = feature["properties"]
        wrong_type += props.get("objectType") != "detection"
        geometry = shape(feature["geometry"])
        invalid += not geometry.is_valid
        label = int(props["label"])
        seen.add(label)
        worst = max(worst, abs(geometry.area - counts[label]) / counts[label])
    missing = len(set(counts) - seen)
    return len(features), len(counts), invalid, wrong_type, missing, worst


def main():
    root = sys.argv[1]
    totals = collections.Counter()
    worst = 0.0
    for path in sorted(glob.glob(os.path.join(root, "*.geojson"))):
        image_id = os.path.basename(path)[: -len(".geojson")]
        label_map = os.path.join(root, image_id + ".labels.png")
        labels = Image.open(label_map if os.path.exists(label_map) else label_map[:-4] + ".tif")
        n, n_labels, invalid, wrong_type, missing, rel = check(path, labels)
        print(f"{image_id} features={n} labels={n_labels} invalid={invalid} not_detection={wrong_type} missing={missing} max_area_rel_diff={rel:.3g}")
        totals.update(images=1, features=n, invalid=invalid, not_detection=wrong_type, missing=missing)
        worst = max(worst, rel)
    print(f"geojson (shapely {shapely.__version__}): images={totals['images']} features={totals['features']} invalid={totals['invalid']} "
          f"not_detection={totals['not_detection']} missing={totals['missing']} max_area_rel_diff={worst:.3g}")
    ok = totals["images"] > 0 and totals["invalid"] == 0 and totals["not_detection"] == 0 and totals["missing"] == 0 and worst <= 0.02
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
