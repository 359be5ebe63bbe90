#!/usr/bin/env bash
# Every reader of nuclei on every file of the hostile corpus, as a user would run it: reader x file -> outcome, peak
# RSS and seconds, written as a markdown table (bench/python/hostile_corpus_table.py judges each cell).
#
#   bench/hostile-corpus.sh NUCLEI_BINARY OUTDIR
#
# OUTDIR/corpus: the corpus (Nuclei.Bench hostile-corpus; generated when missing), OUTDIR/work/<key>/: each run's
# folders and logs, OUTDIR/results.tsv: one line per cell. The table goes to DOC (default docs/hostile-corpus.md).
# Readers: segment FILE (--method SEGMENT_METHOD, default classical: the gate reads every file before either method,
# and the network's loading only adds wall time), data check and data describe (the file as the image of a one-sample
# DSB-layout folder, or as the label map of a flat folder), evaluate with the file as the predicted and as the true
# label map (.png/.tif/.tiff only: the formats evaluate reads label maps from), and one `nuclei serve` (default
# network) receiving the file's bytes at /api/inspect and /api/images. Each CLI run: timeout TIMEOUT_S (default 60)
# under /usr/bin/time (peak RSS, wall and CPU seconds); each request: curl --max-time TIMEOUT_S, the server's peak RSS
# reset before it (/proc/PID/clear_refs) and read after it (VmHWM), its CPU seconds from /proc/PID/stat.
set -uo pipefail # not -e: readers are meant to fail here
[ $# -eq 2 ] || { echo "usage: $0 NUCLEI_BINARY OUTDIR" >&2; exit 2; }
command -v realpath >/dev/null && [ -x /usr/bin/time ] || { echo "needs realpath and /usr/bin/time (apt-get install time)" >&2; exit 2; }
NUCLEI=$(realpath "$1")
OUT=$(mkdir -p "$2" && realpath "$2")
cd "$(dirname "$0")/.."
TIMEOUT_S=${TIMEOUT_S:-60}
SEGMENT_METHOD=${SEGMENT_METHOD:-classical}
DOC=${DOC:-docs/hostile-corpus.md}
CORPUS=$OUT/corpus
FILES=$CORPUS/files
RESULTS=$OUT/results.tsv
TICKS=$(getconf CLK_TCK)

if [ ! -d "$CORPUS" ]; then
    dotnet run -c Release --project bench/Nuclei.Bench -- hostile-corpus "$CORPUS" || exit 2
fi
rm -rf "$OUT/work"
printf 'key\treader\tstatus\tcode\trss_kb\twall_s\tcpu_s\tlog\n' > "$RESULTS"

# one line of results.tsv; the log path is relative to OUTDIR
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$RESULTS"; }

# Puts the corpus file SRC at DEST without reading it (a FIFO stays a FIFO): links are remade so that they lead where
# the original leads (a loop to itself stays a loop), everything else is copied as it is.
place() {
    local src=$1 dest=$2
    mkdir -p "$(dirname "$dest")"
    if [ -L "$src" ]; then
        local target
        target=$(readlink "$src")
        if [ "$target" = "$(basename "$src")" ]; then ln -s "$(basename "$dest")" "$dest"
        elif [ -e "$src" ]; then ln -s "$(realpath "$src")" "$dest"
        else ln -s "$target" "$dest"; fi
    else
        cp -a "$src" "$dest"
    fi
}

# run_cli KEY READER WORKDIR ARGS...: one nuclei run, measured
run_cli() {
    local key=$1 reader=$2 work=$3; shift 3
    local log=$work/$reader.log
    /usr/bin/time -f '%M %e %U %S' -o "$log.time" timeout -k 5 "$TIMEOUT_S" "$NUCLEI" "$@" >"$log" 2>&1 </dev/null
    local rc=$?
    local rss wall user sys
    read -r rss wall user sys < <(tail -1 "$log.time")
    record "$key" "$reader" ran "$rc" "$rss" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" "${log#"$OUT"/}"
}

SERVER_PID=
SERVER_LOG=$OUT/server.log
JAR=$OUT/cookies.txt
start_server() {
    : > "$SERVER_LOG"
    "$NUCLEI" serve --port 0 >>"$SERVER_LOG" 2>&1 </dev/null &
    SERVER_PID=$!
    for _ in $(seq 1 600); do grep -q "open http" "$SERVER_LOG" && break; kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    URL=$(grep -o "http://[^ ]*" "$SERVER_LOG" | head -1)
    URL=${URL%/}
    [ -n "$URL" ] || { echo "nuclei serve did not start:" >&2; cat "$SERVER_LOG" >&2; exit 2; }
    rm -f "$JAR"
}
stop_server() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; SERVER_PID=; }
trap stop_server EXIT

server_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat" 2>/dev/null || echo 0; }

# run_http KEY READER WORKDIR FILE ROUTE: POST the file's bytes as the page does; the server's log lines of the request are kept
run_http() {
    local key=$1 reader=$2 work=$3 file=$4 route=$5
    local log=$work/$reader.log name
    name=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$(basename "$file")")
    local log_from ticks_from
    log_from=$(stat -c %s "$SERVER_LOG")
    ticks_from=$(server_cpu_ticks)
    echo 5 > "/proc/$SERVER_PID/clear_refs" # peak RSS := current RSS (Linux: proc(5), clear_refs)
    local result
    result=$(curl -sS --max-time "$TIMEOUT_S" -b "$JAR" -c "$JAR" -o "$log" -w '%{http_code} %{time_total}' \
        -H 'Content-Type: application/octet-stream' --data-binary @"$file" "$URL$route?name=$name" 2>"$log.curl")
    local code=${result% *} wall=${result#* }
    local rss cpu
    rss=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null)
    cpu=$(awk -v a="$ticks_from" -v b="$(server_cpu_ticks)" -v t="$TICKS" 'BEGIN { printf "%.2f", (b - a) / t }')
    { echo; echo "--- curl"; cat "$log.curl"; echo "--- server log"; tail -c +"$((log_from + 1))" "$SERVER_LOG"; } >> "$log"
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "--- the server process died during this request" >> "$log"
        record "$key" "$reader" ran "$code" "${rss:-0}" "$wall" "$cpu" "${log#"$OUT"/}"
        start_server
        return
    fi
    record "$key" "$reader" ran "$code" "${rss:-0}" "$wall" "$cpu" "${log#"$OUT"/}"
    # an accepted upload leaves the session, so that the session's memory limit never refuses a later file
    if [ "$code" = 201 ]; then
        local id
        id=$(head -1 "$log" | python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["id"])')
        curl -sS --max-time "$TIMEOUT_S" -b "$JAR" -c "$JAR" -X DELETE -o /dev/null "$URL/api/images/$id"
    fi
}

# the load the runs shared the machine with (wall seconds include waiting for a core)
cut -d' ' -f1-3 /proc/loadavg > "$OUT/load.txt"
start_server
echo "server $URL (pid $SERVER_PID); $(($(wc -l < "$CORPUS/manifest.tsv") - 1)) files"
while IFS=$'\t' read -r key escaped family role expect nuclei lie; do
    printf -v name '%b' "$escaped"
    file=$FILES/$name
    work=$OUT/work/$key
    mkdir -p "$work"
    ext=${name##*.}; ext=.${ext,,}
    echo "$key"

    run_cli "$key" segment "$work" segment "$file" --out "$work/segment-out" --method "$SEGMENT_METHOD"

    if [ "$role" = labels ]; then
        # a flat labelled folder: the control image beside the file as its label map
        mkdir -p "$work/flat" && cp "$CORPUS/support/control.png" "$work/flat/x.png"
        place "$file" "$work/flat/x.labels$ext"
        dataset=$work/flat
    else
        place "$file" "$work/dsb/sample/images/$name"
        dataset=$work/dsb
    fi
    run_cli "$key" data-check "$work" data check "$dataset"
    run_cli "$key" data-describe "$work" data describe "$dataset"

    if [[ "$ext" =~ ^\.(png|tif|tiff)$ ]] && [ "$family" != names ]; then
        place "$file" "$work/pred/x$ext"
        mkdir -p "$work/truth" && cp "$CORPUS/support/control.labels.png" "$work/truth/x.labels.png"
        run_cli "$key" evaluate-pred "$work" evaluate --truth "$work/truth" --pred "$work/pred"
        place "$file" "$work/truth-file/x$ext"
        mkdir -p "$work/pred-control" && cp "$CORPUS/support/control.labels.png" "$work/pred-control/x.labels.png"
        run_cli "$key" evaluate-truth "$work" evaluate --truth "$work/truth-file" --pred "$work/pred-control"
    else
        why="evaluate reads label maps from .png/.tif/.tiff named by image id only"
        record "$key" evaluate-pred "n/a" "" "" "" "" "$why"
        record "$key" evaluate-truth "n/a" "" "" "" "" "$why"
    fi

    if [ -f "$file" ] && [ ! -p "$file" ]; then
        run_http "$key" serve-inspect "$work" "$file" /api/inspect
        run_http "$key" serve-upload "$work" "$file" /api/images
    else
        why="not a regular file: the browser reads it, the server never sees it"
        record "$key" serve-inspect "n/a" "" "" "" "" "$why"
        record "$key" serve-upload "n/a" "" "" "" "" "$why"
    fi
done < <(tail -n +2 "$CORPUS/manifest.tsv")
stop_server
cut -d' ' -f1-3 /proc/loadavg >> "$OUT/load.txt"

command="bench/hostile-corpus.sh $1 $2"
mkdir -p "$(dirname "$DOC")"
python3 bench/python/hostile_corpus_table.py "$OUT" "$NUCLEI" "$command" "$SEGMENT_METHOD" "$TIMEOUT_S" > "$DOC" || exit 2
echo "table: $DOC"
grep -m1 '^\*\*Summary' "$DOC"
