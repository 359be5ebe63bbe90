#!/usr/bin/env bash
# Times `nuclei serve` over HTTP on one image (default: the first 1024x1024 image of the shared DSB2018 set):
# the upload until its result (prediction + post-processing + measurements), then threshold changes, each a POST that
# re-runs post-processing on the cached maps plus the GET of the new label map (what the page does), and the
# post-processing time the server reports.
# Usage: bench/serve-roundtrip.sh [IMAGE] ; NUCLEI=path/to/nuclei (default: the Debug build), THREADS=libtorch threads.
set -euo pipefail
cd "$(dirname "$0")/.."
nuclei=${NUCLEI:-src/Nuclei.Cli/bin/Debug/net10.0/nuclei}
image=${1:-}
if [ -z "$image" ]; then
  for f in ../shared/data/dsb2018/stage1_train/*/images/*.png; do
    if file "$f" | grep -q "1024 x 1024"; then image=$f; break; fi
  done
fi
[ -n "$image" ] || { echo "no 1024x1024 image found; pass one" >&2; exit 2; }
log=$(mktemp)
"$nuclei" serve --port 0 --threads "${THREADS:-0}" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 600); do grep -q "open http" "$log" && break; sleep 0.5; done
url=$(grep -o "http://[^ ]*" "$log" | head -1)
url=${url%/}
echo "server $url, image $image"

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
summary=$(curl -sS -w '\n%{time_total}' -H 'Content-Type: application/octet-stream' --data-binary @"$image" "$url/api/images?name=$(basename "$image")")
upload_s=$(tail -1 <<<"$summary")
id=$(head -1 <<<"$summary" | json "d['id']")
contour=$(head -1 <<<"$summary" | json "d['thresholds']['contour']")
marker=$(head -1 <<<"$summary" | json "d['thresholds']['marker']")
head -1 <<<"$summary" | json "f\"upload → result: {$upload_s:.2f} s total, prediction {d['predict_seconds']:.2f} s, post-processing {d['post_process_seconds']*1000:.0f} ms, {d['count']} nuclei, {d['width']}x{d['height']}\""
for t in '0.6 10' '0.4 10' '0.5 50' '0.5 200' '0.5 10'; do
  set -- $t
  body="{\"body\": $1, \"contour\": $contour, \"marker\": $marker, \"min_size\": $2}"
  res=$(curl -sS -w '\n%{time_total}' -H 'Content-Type: application/json' -d "$body" "$url/api/images/$id/thresholds")
  post_s=$(tail -1 <<<"$res")
  labels_s=$(curl -sS -o /dev/null -w '%{time_total}' "$url/api/images/$id/labels.bin")
  head -1 <<<"$res" | json "f\"body {$1} min size {$2}: {d['count']} nuclei; POST {$post_s*1000:.0f} ms (server post-processing {d['post_process_seconds']*1000:.0f} ms) + labels GET {$labels_s*1000:.0f} ms = {($post_s+$labels_s)*1000:.0f} ms\""
done
