#!/usr/bin/env bash
# Forward and training-step time of each U-Net-family architecture, TorchSharp (Nuclei.Bench models-speed) next to
# the same architecture in PyTorch (bench/python/models_torch.py on Debian's python3-torch), interleaved per
# architecture so both see the same machine load; then the ratio. Then the memory run: peak working set of a
# TorchSharp training loop at step 100 and step 1,000.
#
#   bench/models-vs-pytorch.sh                 # batch 10, 256x256, 2 threads, 2 timed steps after 1 warm-up
#   THREADS=1 ARCHS=unet,camunet bench/models-vs-pytorch.sh
#
# Environment: ARCHS, SIZE (256), BATCH (10), STEPS (2), WARMUP (1), THREADS (2), MEM_SIZE (64), MEM_BATCH (2),
# MEM_STEPS (1000). Each step takes seconds: run once, not in a loop (the machine is shared).
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHS=${ARCHS:-unet,dunet,caunet,camunet,scamunet,camdunet,camunet_lite,caunet_lite}
SIZE=${SIZE:-256}; BATCH=${BATCH:-10}; STEPS=${STEPS:-2}; WARMUP=${WARMUP:-1}; THREADS=${THREADS:-2}
MEM_SIZE=${MEM_SIZE:-64}; MEM_BATCH=${MEM_BATCH:-2}; MEM_STEPS=${MEM_STEPS:-1000}
PY=/usr/bin/python3

dotnet build -c Release bench/Nuclei.Bench -v q >/dev/null
BENCH=bench/Nuclei.Bench/bin/Release/net10.0/Nuclei.Bench
out=$(mktemp)
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg); batch $BATCH, ${SIZE}x${SIZE}, threads $THREADS, fastest of $STEPS steps after $WARMUP warm-up"
for arch in ${ARCHS//,/ }; do
  "$BENCH" models-speed --archs "$arch" --sizes "$SIZE" --batch "$BATCH" --steps "$STEPS" --warmup "$WARMUP" --threads "$THREADS" --forward 2>/dev/null | grep '^torchsharp' >>"$out"
  OMP_NUM_THREADS=$THREADS "$PY" bench/python/models_torch.py --archs "$arch" --sizes "$SIZE" --batch "$BATCH" --steps "$STEPS" --warmup "$WARMUP" --threads "$THREADS" --forward 2>/dev/null | grep '^pytorch' >>"$out"
done
"$PY" - "$out" <<'PYEOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
by = {}
for r in rows:
    by.setdefault(r[1], {})[r[0]] = r
print(f"{'arch':14} {'params':>9} {'fwd TS ms':>10} {'fwd PT ms':>10} {'ratio':>6} {'train TS ms':>12} {'train PT ms':>12} {'ratio':>6}")
for arch, d in by.items():
    ts, pt = d.get("torchsharp"), d.get("pytorch")
    if not ts or not pt:
        continue
    if ts[3] != pt[3]:
        print(f"# {arch}: parameter counts differ ({ts[3]} vs {pt[3]}): not the same architecture")
    f1, f2, t1, t2 = float(ts[4]), float(pt[4]), float(ts[5]), float(pt[5])
    print(f"{arch:14} {int(ts[3]):>9} {f1:>10.0f} {f2:>10.0f} {f1 / f2:>6.2f} {t1:>12.0f} {t2:>12.0f} {t1 / t2:>6.2f}")
print("ratio = TorchSharp time / PyTorch time (below 1: TorchSharp faster)")
PYEOF
rm -f "$out"
echo "# memory: $MEM_STEPS training steps of camunet, batch $MEM_BATCH, ${MEM_SIZE}x${MEM_SIZE}"
"$BENCH" models-memory --arch camunet --size "$MEM_SIZE" --batch "$MEM_BATCH" --steps "$MEM_STEPS" --threads "$THREADS"
