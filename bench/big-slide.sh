#!/usr/bin/env bash
# Block-wise segmentation of synthetic slides: wall time, time per megapixel and peak RSS at each size, and (AGREE=1)
# the agreement of block-wise labels with a whole-image run on the smallest slide.
#
#   bench/big-slide.sh [TRAIN_DIR] [SIZES]
#
# TRAIN_DIR: DSB-layout training images (default ../shared/data/dsb2018/stage1_train); each slide is a SIZE² tiled
# RGB BigTIFF of their 256² top-left corners (Nuclei.Bench big-slide build). SIZES default "8192 16384 32768"
# (add 40960 when the disk has room: a slide is ~1/3 of SIZE²·3 bytes, its labels less). METHOD=model (the bundled
# model, default) or classical; THREADS libtorch threads (default 0 = one per core); BLOCK/CONTEXT the block size and
# context (defaults of `nuclei segment`). Peak RSS is /usr/bin/time's maximum resident set size.
# AGREE=1 also segments the first size with --no-blocks (needs ~7 GB of memory at 8192²) and prints
# mean AP (IoU thresholds 0.5..0.95) of the block-wise labels against the whole-image ones and both counts.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$(realpath "${1:-../shared/data/dsb2018/stage1_train}")
SIZES=${2:-8192 16384 32768}
METHOD=${METHOD:-model}
THREADS=${THREADS:-0}
BLOCK_ARGS=()
[ -n "${BLOCK:-}" ] && BLOCK_ARGS+=(--block-size "$BLOCK")
[ -n "${CONTEXT:-}" ] && BLOCK_ARGS+=(--block-context "$CONTEXT")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/nuclei-bigslide.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
[ -d "$DATA" ] || { echo "training images not found: $DATA" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

# NUCLEI_DIR: a folder holding a built `nuclei` (skips the publish, which needs ~1.3 GB)
NUCLEI_DIR=${NUCLEI_DIR:-$WORK/nuclei}
echo "== building nuclei and the bench (Release)"
[ -x "$NUCLEI_DIR/nuclei" ] || dotnet publish src/Nuclei.Cli -c Release -o "$NUCLEI_DIR" >/dev/null
dotnet build bench/Nuclei.Bench -c Release >/dev/null
BENCH=bench/Nuclei.Bench/bin/Release/net10.0/Nuclei.Bench
THREAD_ARGS=()
[ "$METHOD" = model ] && THREAD_ARGS+=(--threads "$THREADS")

# seconds and peak RSS (MB) of a command, from /usr/bin/time -v
measure() {
    local log=$1; shift
    /usr/bin/time -v "$@" 2> "$log" >/dev/null || { tail -5 "$log" >&2; return 1; }
    local wall rss
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep 'Maximum resident set size' "$log" | awk '{print int($NF/1024)}')
    echo "$wall $rss"
}

ROWS=()
FIRST=""
for SIZE in $SIZES; do
    SLIDE="$WORK/slide$SIZE.tif"
    echo "== slide ${SIZE}x${SIZE}"
    "$BENCH" big-slide build "$DATA" "$SIZE" "$SLIDE"
    read -r WALL RSS < <(measure "$WORK/blocks$SIZE.log" "$NUCLEI_DIR/nuclei" segment "$SLIDE" --out "$WORK/out$SIZE" \
        --method "$METHOD" "${THREAD_ARGS[@]}" --blocks "${BLOCK_ARGS[@]}")
    NUCLEI=$(grep -o 'in [0-9]* blocks, [0-9]* nuclei' "$WORK/blocks$SIZE.log" | awk '{print $4}')
    ROWS+=("$(awk -v s="$SIZE" -v w="$WALL" -v r="$RSS" -v n="$NUCLEI" 'BEGIN { mp = s*s/1e6; printf "%6d² %8.1f MP %9.1f s %8.2f s/MP %8d MB %9d", s, mp, w, w/mp, r, n }')")
    echo "${ROWS[-1]}"
    [ -z "$FIRST" ] && FIRST=$SIZE
    [ "$SIZE" = "$FIRST" ] && [ -n "${AGREE:-}" ] && continue # slide kept for the agreement run
    rm -f "$SLIDE"; rm -rf "$WORK/out$SIZE"
done

echo
echo "block-wise segmentation ($METHOD), $(nproc) cores"
printf '%7s %11s %11s %11s %11s %9s\n' size megapixels wall per_MP peak_RSS nuclei
printf '%s\n' "${ROWS[@]}"

if [ -n "${AGREE:-}" ]; then
    echo
    echo "== agreement on ${FIRST}²: block-wise vs whole image (--no-blocks)"
    read -r WALL RSS < <(measure "$WORK/whole.log" "$NUCLEI_DIR/nuclei" segment "$WORK/slide$FIRST.tif" --out "$WORK/whole" \
        --method "$METHOD" "${THREAD_ARGS[@]}" --no-blocks)
    echo "whole image: ${WALL} s, peak RSS ${RSS} MB"
    # one of the two names exists: with pipefail, ls's complaint about the other must not end the script
    WHOLE=$(ls "$WORK/whole"/slide"$FIRST".labels.{tif,png} 2>/dev/null | head -1 || true)
    "$BENCH" big-slide agree "$WHOLE" "$WORK/out$FIRST/slide$FIRST.labels.tif"
fi
