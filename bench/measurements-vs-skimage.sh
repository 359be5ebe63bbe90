#!/usr/bin/env bash
# Our per-nucleus measurements (Nuclei.Core.Measurements) against scikit-image's regionprops on the true label maps
# of validation images: the largest relative difference per column.
# Usage: bench/measurements-vs-skimage.sh [DATA_DIR] [COUNT]
#   DATA_DIR: DSB2018 stage1_train layout (default ../shared/data/dsb2018/stage1_train or $NUCLEI_STAGE1_TRAIN)
# Needs Debian's /usr/bin/python3 with python3-skimage (apt-get install python3-skimage).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
data="${1:-${NUCLEI_STAGE1_TRAIN:-$repo/../shared/data/dsb2018/stage1_train}}"
count="${2:-50}"
work="$(mktemp -d /tmp/nuclei-measure-vs-skimage.XXXXXX)"
[ -n "${KEEP:-}" ] && echo "keeping $work" || trap 'rm -rf "$work"' EXIT

dotnet build -c Release "$repo/bench/Nuclei.Bench" -v q -nologo >/dev/null
dotnet "$repo/bench/Nuclei.Bench/bin/Release/net10.0/Nuclei.Bench.dll" measurements prepare "$data" "$work" "$count"
/usr/bin/python3 "$here/python/measurements_skimage.py" "$work"
