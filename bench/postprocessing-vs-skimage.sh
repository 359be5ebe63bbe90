#!/usr/bin/env bash
# Our watershed and random walker against scikit-image's, on the same inputs, in one go:
# agreement (mean AP of ours against skimage's) and speed (per-image fastest-of-REPS times, ratio skimage/ours).
# Usage: bench/postprocessing-vs-skimage.sh [DATA_DIR] [COUNT] [REPS]
#   DATA_DIR: DSB2018 stage1_train layout (default ../shared/data/dsb2018/stage1_train or $NUCLEI_STAGE1_TRAIN)
# Needs Debian's /usr/bin/python3 with python3-skimage (apt-get install python3-skimage).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
data="${1:-${NUCLEI_STAGE1_TRAIN:-$repo/../shared/data/dsb2018/stage1_train}}"
count="${2:-40}"
reps="${3:-3}"
work="$(mktemp -d /tmp/nuclei-pp-vs-skimage.XXXXXX)"
[ -n "${KEEP:-}" ] && echo "keeping $work" || trap 'rm -rf "$work"' EXIT

dotnet build -c Release "$repo/bench/Nuclei.Bench" -v q -nologo >/dev/null
bench="$repo/bench/Nuclei.Bench/bin/Release/net10.0/Nuclei.Bench.dll"
dotnet "$bench" postprocessing prepare "$data" "$work" "$count"
dotnet "$bench" postprocessing run "$work" "$reps"
/usr/bin/python3 "$here/python/postprocessing_skimage.py" "$work" "$reps"
/usr/bin/python3 "$here/python/compare_postprocessing.py" "$work"
