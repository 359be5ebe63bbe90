#!/usr/bin/env bash
# The exports of `nuclei segment --export geojson,imagej-roi,tiff` read back by independent readers:
#   - Shapely parses every <id>.geojson: valid polygons, one detection per label, area within 2 % of the pixel count;
#   - ImageJ itself (Debian's imagej, under xvfb-run: its ROI Manager is a window) opens every <id>.labels.tif and
#     <id>.rois.zip: labels and ROIs counted, calibration shown, each ROI checked to cover exactly its label's pixels;
#   - both compared with the nucleus counts of summary.csv.
# Usage: bench/exports-vs-readers.sh [INPUT...]   (default: samples/; any `nuclei segment` inputs; SEGMENT_ARGS adds options)
# Needs: apt-get install python3-shapely python3-pil imagej xvfb
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
[ $# -gt 0 ] || set -- "$repo/samples"
work="$(mktemp -d /tmp/nuclei-exports.XXXXXX)"
[ -n "${KEEP:-}" ] && echo "keeping $work" || trap 'rm -rf "$work"' EXIT

dotnet build -c Release "$repo/src/Nuclei.Cli" -v q -nologo >/dev/null
dotnet "$repo/src/Nuclei.Cli/bin/Release/net10.0/nuclei.dll" segment "$@" --out "$work" \
    --export geojson,imagej-roi,tiff --measure --pixel-size 0.5 ${SEGMENT_ARGS:-} 2>&1 | tail -1
/usr/bin/python3 "$here/python/check_geojson.py" "$work" | tail -1
xvfb-run -a java -jar /usr/share/java/ij.jar -batch "$here/imagej/count_exports.ijm" "$work" > "$work/imagej.txt" 2>&1
awk -F, 'NR > 1 { n[$1] = $2 } END { for (i in n) print i, n[i] }' "$work/summary.csv" | sort > "$work/counts.txt"
/usr/bin/python3 - "$work" <<'PY'
import re, sys
work = sys.argv[1]
counts = dict(line.split() for line in open(f"{work}/counts.txt"))
agree = total = bad = 0
for line in open(f"{work}/imagej.txt"):
    m = re.match(r"(\S+) labels=(\d+) rois=(\d+) calibration=(\S+ \S+) rois_not_matching_their_label=(\d+)", line)
    if not m:
        continue
    image, labels, rois, calibration, mismatched = m.groups()
    total += 1
    agree += labels == rois == counts[image]
    bad += int(mismatched)
print(f"imagej: images={total} of {len(counts)}; label and ROI counts equal to summary.csv in {agree}; "
      f"ROIs not covering exactly their label's pixels: {bad}; calibration {calibration}")
sys.exit(0 if total == len(counts) == agree and bad == 0 else 1)
PY
