#!/usr/bin/env bash
# End-to-end segmentation speed, C# (nuclei) vs samuelschen/DSB2018's pipeline in Python, side by side in one run,
# plus peak memory of one 4096x4096 image in tile mode.
#
#   bench/segment-vs-python.sh [CHECKPOINT] [N_IMAGES]
#
# CHECKPOINT defaults to models/default.nck, but the Python port only has plain encoders, not the bundled model's
# ImageNet ResNet-18: pass one with a plain encoder, e.g. the previous bundled camunet
# (`git show 601d01a:models/default.nck > camunet.nck`). N 256x256 images (default 12) are taken from the shared
# training set (sorted by id). Both sides read the PNG, predict with the same network and weights on THREADS
# libtorch threads (default 1) in PRECISION (fp32, default, or bf16), partition with the random walker and write a
# 16-bit label PNG; medians over images.
# Python: Debian's /usr/bin/python3 with python3-torch and python3-skimage.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CKPT=$(realpath "${1:-models/default.nck}")
N=${2:-12}
# libtorch threads on both sides (THREADS=2 on an idle machine; 1 is steadier while other jobs share the cores)
THREADS=${THREADS:-1}
export NUCLEI_BENCH_THREADS=$THREADS
# number format of the network on both sides: fp32 (default) or bf16 (fast on CPUs with AMX)
PRECISION=${PRECISION:-fp32}
export NUCLEI_BENCH_PRECISION=$PRECISION
export NUCLEI_BENCH_ITERATIONS=${NUCLEI_BENCH_ITERATIONS:-$((N > 3 ? N - 2 : 1))}
DATA=$(realpath "${NUCLEI_DATA:-../shared/data/dsb2018/stage1_train}")   # absolute: the images are symlinked from a temporary folder
WORK=$(mktemp -d /tmp/nuclei-segbench.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
[ -f "$CKPT" ] || { echo "checkpoint not found: $CKPT" >&2; exit 2; }

echo "== picking $N 256x256 images from $DATA"
mkdir -p "$WORK/images"
/usr/bin/python3 - "$DATA" "$WORK/images" "$N" <<'PY'
import os, sys
from skimage import io
data, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
picked = 0
for sid in sorted(os.listdir(data)):
    p = os.path.join(data, sid, "images", sid + ".png")
    if not os.path.exists(p): continue
    if io.imread(p).shape[:2] == (256, 256):
        os.symlink(p, os.path.join(out, sid + ".png")); picked += 1
        if picked == n: break
print(f"picked {picked}")
PY

echo "== building (Release)"
dotnet build -c Release -v q src/Nuclei.Cli >/dev/null
dotnet build -c Release -v q bench/Nuclei.Bench >/dev/null
NUCLEI=$(find src/Nuclei.Cli/bin/Release -name nuclei -type f | head -1)

echo "== C#: BenchmarkDotNet, SegmentPipelineBenchmarks (pad mode, random walker)"
export NUCLEI_BENCH_MODEL=$CKPT NUCLEI_BENCH_IMAGES=$WORK/images NUCLEI_BENCH_OUT=$WORK/out-cs
dotnet "$(find bench/Nuclei.Bench/bin/Release -name Nuclei.Bench.dll | head -1)" \
    --filter '*SegmentPipelineBenchmarks*' --join --artifacts "$WORK/bdn" > "$WORK/bdn.log" 2>&1 || { tail -40 "$WORK/bdn.log"; exit 1; }
REPORT=$(find "$WORK/bdn/results" -name '*-report.csv' | head -1)
# Median column in ms (BDN writes e.g. "812.3 ms"); column positions from the header
read -r CS_PLAIN CS_TTA < <(/usr/bin/python3 - "$REPORT" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter=sys.argv[1].endswith('.csv') and ',' or ';'))
def sec(v):
    v = v.replace(',', '').strip(); num, unit = v.split()
    return float(num) * {'s': 1, 'ms': 1e-3, 'us': 1e-6, 'μs': 1e-6, 'ns': 1e-9}[unit]
med = {r['Tta']: sec(r['Median']) for r in rows}
print(f"{med['False']:.4f} {med['True']:.4f}")
PY
)

grep -E "^\s*\|" "$WORK/bdn.log" | tail -4 || true
echo "== Python: bench/python/segment_pipeline.py"
PY_PLAIN=$(/usr/bin/python3 bench/python/segment_pipeline.py "$CKPT" "$WORK/out-py" "$WORK"/images/*.png --threads "$THREADS" --precision "$PRECISION" | tee >(cat >&2) | sed -n 's/.*median_seconds_per_image=\([0-9.]*\).*/\1/p')
PY_TTA=$(/usr/bin/python3 bench/python/segment_pipeline.py "$CKPT" "$WORK/out-py-tta" "$WORK"/images/*.png --tta --threads "$THREADS" --precision "$PRECISION" | tee >(cat >&2) | sed -n 's/.*median_seconds_per_image=\([0-9.]*\).*/\1/p')

PEAK_KB=0; WALL=skipped
if [ -z "${SKIP_BIG:-}" ]; then
echo "== peak memory: one 4096x4096 image, tile mode"
/usr/bin/python3 - "$(ls "$WORK"/images/*.png | head -1)" "$WORK/big4096.png" <<'PY'
import sys, numpy as np
from skimage import io
img = io.imread(sys.argv[1])
reps = (16, 16) + (1,) * (img.ndim - 2)
io.imsave(sys.argv[2], np.tile(img, reps), check_contrast=False)
PY
/usr/bin/time -v "$NUCLEI" segment "$WORK/big4096.png" --model "$CKPT" --mode tile --threads "$THREADS" --precision "$PRECISION" --out "$WORK/out-big" 2> "$WORK/time.log" >/dev/null || { cat "$WORK/time.log"; exit 1; }
PEAK_KB=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.log")
WALL=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time.log")
fi

echo
echo "== results (median seconds per 256x256 image, end to end: read, predict, random walker, write)"
/usr/bin/python3 - "$CS_PLAIN" "$CS_TTA" "$PY_PLAIN" "$PY_TTA" "$PEAK_KB" "$WALL" <<'PY'
import sys
cs, cst, py, pyt, peak, wall = sys.argv[1:]
cs, cst, py, pyt = map(float, (cs, cst, py, pyt))
print(f"threads per side: {__import__('os').environ.get('NUCLEI_BENCH_THREADS')}, precision: {__import__('os').environ.get('NUCLEI_BENCH_PRECISION')}")
print(f"{'':10} {'C# nuclei':>10} {'Python':>10} {'Python/C#':>10}")
print(f"{'no TTA':10} {cs:10.3f} {py:10.3f} {py / cs:10.2f}")
print(f"{'TTA x8':10} {cst:10.3f} {pyt:10.3f} {pyt / cst:10.2f}")
print(f"peak_rss_4096_tile_mb={int(peak) / 1024:.0f} wall={wall}")
PY
