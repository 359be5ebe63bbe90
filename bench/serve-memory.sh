#!/usr/bin/env bash
# Peak memory of `nuclei serve` under a burst from one browser: JOBS uploads (POST /api/jobs) and INSPECTS
# POST /api/inspect of one image, all sent at once with one session cookie, then every accepted job followed to its
# end. Prints the server's resident size idle (model loaded), its peak (VmHWM) and the peak above idle, against the
# session budget (--session-mb), with the answers counted by status; then, the session emptied, the jobs alone, followed
# to their end (peak again); then the jobs once more, every one cancelled at once, and the resident size a few seconds
# later against idle. Idle and after-cancel sizes are also split into anonymous memory (RssAnon: the heaps, what the
# server can give back) and file-backed pages (RssFile: mostly the code of libtorch, OpenCV and the runtime, paged in
# by the first prediction and kept by the kernel as clean, reclaimable pages). Idle is measured after one small
# warm-up prediction; the size before it ("cold") is printed too.
# Usage: bench/serve-memory.sh IMAGE (a 16 MP RGB PNG: Nuclei.Bench big-slide build TRAIN_DIR 4000 slide.png);
# NUCLEI=path/to/nuclei (default: the Release build), JOBS (20), INSPECTS (30), SESSION_MB (1024), THREADS (libtorch
# threads, 0 = one per core).
set -euo pipefail
cd "$(dirname "$0")/.."
nuclei=${NUCLEI:-src/Nuclei.Cli/bin/Release/net10.0/nuclei}
image=${1:?usage: bench/serve-memory.sh IMAGE}
jobs=${JOBS:-20} inspects=${INSPECTS:-30} session_mb=${SESSION_MB:-1024}
work=$(mktemp -d)
"$nuclei" serve --port 0 --threads "${THREADS:-0}" --session-mb "$session_mb" >"$work/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do grep -q "open http" "$work/log" && break; sleep 0.5; done
url=$(grep -o "http://[^ ]*" "$work/log" | head -1)
url=${url%/}
kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$server/status"; }
jar="$work/jar"
curl -sS -c "$jar" -b "$jar" -o /dev/null "$url/api/info"
sleep 2
cold=$(kb VmRSS) cold_anon=$(kb RssAnon) cold_file=$(kb RssFile)
echo "cold: resident $((cold / 1024)) MB (model loaded, nothing predicted; anonymous $((cold_anon / 1024)), file-backed $((cold_file / 1024)))"
# Idle is measured after one small prediction (a bundled sample), deleted again: the first prediction pages in the
# code of libtorch and OpenCV and sizes their thread pools once for the life of the server, so "idle" is the server
# ready to work, and the after-cancel figure compares like with like.
warm=$(ls samples/*/images/*.png | sort | tail -1)
curl -sS -b "$jar" -o "$work/warm.json" -H 'Content-Type: application/octet-stream' --data-binary @"$warm" "$url/api/jobs?name=$(basename "$warm")"
while curl -sS -b "$jar" "$url/api/jobs" | grep -q '"state":"\(queued\|running\)"'; do sleep 1; done
for id in $(curl -sS -b "$jar" "$url/api/images" | python3 -c "import json,sys; print(' '.join(j['id'] for j in json.load(sys.stdin)))"); do
  curl -sS -b "$jar" -X DELETE -o /dev/null "$url/api/images/$id"
done
sleep 5
idle=$(kb VmRSS) idle_anon=$(kb RssAnon) idle_file=$(kb RssFile)
echo "idle: resident $((idle / 1024)) MB after one small prediction (anonymous $((idle_anon / 1024)), file-backed $((idle_file / 1024)))"
echo 5 > "/proc/$server/clear_refs" # peak from here on
name=$(basename "$image")
post() { curl -sS -b "$jar" -o "$work/$1.json" -w '%{http_code}\n' -H 'Content-Type: application/octet-stream' --data-binary @"$image" "$url/api/$2?name=$name" >"$work/$1.code"; }
for k in $(seq 1 "$jobs"); do post "job$k" jobs & done
for k in $(seq 1 "$inspects"); do post "inspect$k" inspect & done
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
count() { cat "$work"/$1*.code | sort | uniq -c | awk '{ printf "%s %s x%s", sep, $2, $1; sep = "," } END { print "" }'; }
echo "jobs:$(count job)"
echo "inspects:$(count inspect)"
# follow every job to its end
while curl -sS -b "$jar" "$url/api/jobs" | grep -q '"state":"\(queued\|running\)"'; do sleep 2; done
curl -sS -b "$jar" "$url/api/jobs" | python3 -c "import json,sys; print('job states:', ', '.join(sorted(j['state'] for j in json.load(sys.stdin))))"
peak=$(kb VmHWM)
echo "idle $((idle / 1024)) MB (model loaded); peak $((peak / 1024)) MB; peak above idle $(((peak - idle) / 1024)) MB; session budget $session_mb MB"
ids() { curl -sS -b "$jar" "$url/api/$1" | python3 -c "import json,sys; print(' '.join(j['id'] for j in json.load(sys.stdin)))"; }
empty() { for id in $(ids images); do curl -sS -b "$jar" -X DELETE -o /dev/null "$url/api/images/$id"; done; sleep 3; }
# the jobs alone (the inspects' bodies above can fill the session before any job is admitted), followed to their end
empty
idle2=$(kb VmRSS)
echo 5 > "/proc/$server/clear_refs"
for k in $(seq 1 "$jobs"); do post "alone$k" jobs & done
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
while curl -sS -b "$jar" "$url/api/jobs" | grep -q '"state":"\(queued\|running\)"'; do sleep 2; done
peak2=$(kb VmHWM)
echo "jobs alone:$(count alone); resident before $((idle2 / 1024)) MB, peak $((peak2 / 1024)) MB, $(((peak2 - idle) / 1024)) MB above idle"
# memory given back: the session emptied, then the same jobs sent again and every one cancelled at once
empty
for k in $(seq 1 "$jobs"); do post "again$k" jobs & done
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
for id in $(ids jobs); do curl -sS -b "$jar" -X POST -o /dev/null "$url/api/jobs/$id/cancel"; done
while curl -sS -b "$jar" "$url/api/jobs" | grep -q '"state":"\(queued\|running\)"'; do sleep 1; done
for id in $(ids images); do curl -sS -b "$jar" -X DELETE -o /dev/null "$url/api/images/$id"; done
sleep 5 # the server collects a moment after a large release
after=$(kb VmRSS) after_anon=$(kb RssAnon) after_file=$(kb RssFile)
echo "again:$(count again), all cancelled; resident after cancel $((after / 1024)) MB = $(((after - idle) * 100 / idle)) % above idle"
echo "anonymous: idle $((idle_anon / 1024)) MB, after cancel $((after_anon / 1024)) MB; file-backed: idle $((idle_file / 1024)) MB, after cancel $((after_file / 1024)) MB"
