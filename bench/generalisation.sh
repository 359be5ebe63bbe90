#!/usr/bin/env bash
# How a model does on images unlike its training images: a seeded validation split at native scale and rescaled
# x0.5 and x2 (nuclei half and twice the size), segmented with and without --diameter auto, scored by kind of image.
#
# usage: bench/generalisation.sh MODEL.nck [MODEL2.nck ...]
#   DATA=../shared/data/dsb2018/stage1_train  WORK=/tmp/nuclei-generalisation  TTA=  (set TTA=--tta for test-time augmentation)
#   NUCLEI=path/to/nuclei (a published build to use instead of publishing one)  THREADS=0
# The split is the one `nuclei train --split-only` makes with config/train-default-model.ini (cv_ratio 0.1, cv_seed 666).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data/dsb2018/stage1_train}
WORK=${WORK:-/tmp/nuclei-generalisation}
TTA=${TTA:-}
[ -d "$DATA" ] || { echo "no training data at $DATA" >&2; exit 2; }
if [ -z "${NUCLEI:-}" ]; then
  dotnet publish src/Nuclei.Cli -c Release -o "$WORK/bin" -v q >/dev/null
  NUCLEI="$WORK/bin/nuclei"
fi
dotnet build bench/Nuclei.Bench -c Release -v q >/dev/null
BENCH="dotnet bench/Nuclei.Bench/bin/Release/net10.0/Nuclei.Bench.dll"

if [ ! -d "$WORK/valid" ]; then
  "$NUCLEI" train --data "$DATA" --out "$WORK/split" --config config/train-default-model.ini --split-only >/dev/null
  mkdir -p "$WORK/valid"
  grep ',valid$' "$WORK/split/split.csv" | cut -d, -f1 | while read -r id; do ln -s "$(realpath "$DATA/$id")" "$WORK/valid/$id"; done
  $BENCH rescale-set "$WORK/valid" "$WORK/valid-x0.5" 0.5
  $BENCH rescale-set "$WORK/valid" "$WORK/valid-x2" 2
fi

score() {  # name model set extra-args...
  local name=$1 model=$2 set=$3; shift 3
  local out="$WORK/pred/$name"
  rm -rf "$out"; mkdir -p "$WORK/pred"
  "$NUCLEI" segment "$WORK/$set" --out "$out" --model "$model" --threads "${THREADS:-0}" $TTA "$@" >/dev/null 2>"$out.log" || true
  local line kinds
  line=$("$NUCLEI" evaluate --truth "$WORK/$set" --pred "$out" --by-kind | grep -E '^(mean_ap|kind|balanced)' | tr '\n' ' ')
  echo "$name: $line"
}

for model in "$@"; do
  tag=$(basename "$model" .nck)
  score "$tag-native" "$model" valid
  score "$tag-x0.5" "$model" valid-x0.5
  score "$tag-x2" "$model" valid-x2
  if "$NUCLEI" models --model "$model" 2>/dev/null | grep -q "training diameter.*px"; then
    score "$tag-x0.5-auto" "$model" valid-x0.5 --diameter auto
    score "$tag-x2-auto" "$model" valid-x2 --diameter auto
    score "$tag-native-auto" "$model" valid --diameter auto
  fi
done
