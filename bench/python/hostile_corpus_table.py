"""Judges every cell of bench/hostile-corpus.sh's results and prints docs/hostile-corpus.md.

Usage: hostile_corpus_table.py OUTDIR NUCLEI_BINARY COMMAND SEGMENT_METHOD TIMEOUT_S

A cell (reader x file) is good when it is a clear error (the reader refused the file with a one-line message, exit
code 1 or 2 or HTTP 4xx, no stack trace) or a correct result (the reader read it; a control segmented into its
nuclei, a true label map scored 1.0). It is a problem otherwise, and also when the file's manifest says it must be
refused and it was read (or the reverse), when it ran out of time, took over 1 GB or over 30 s, or showed text of
/etc/passwd (an external XML entity followed).
"""
import csv
import datetime
import json
import os
import re
import subprocess
import sys

READERS = ["segment", "data-check", "data-describe", "evaluate-pred", "evaluate-truth", "serve-inspect", "serve-upload"]
HEADINGS = {
    "segment": "segment", "data-check": "data check", "data-describe": "data describe", "evaluate-pred": "evaluate --pred",
    "evaluate-truth": "evaluate --truth", "serve-inspect": "serve /api/inspect", "serve-upload": "serve /api/images",
}
# readers that follow a TIFF's plane metadata (the others read page 1 only), and the one that reads headers only
PLANE_READERS = ("segment", "serve-inspect", "serve-upload")
HEADER_READER = "serve-inspect"
MAX_RSS_KB = 1 << 20  # 1 GiB
MAX_SECONDS = 30.0
STACK_TRACE = re.compile(r"^\s+at \S+|Unhandled exception|\bException\b|^unexpected |error: unexpected ", re.M)
PASSWD = re.compile(r"root:x?:0:0:")
NATIVE_WARNING = re.compile(r"^\[ ?(WARN|ERROR):", re.M)
NATIVE_NOTE = "native library messages on the console"


def escape(text):
    """Control characters as \\n, \\t, \\xHH (as the manifest writes names), so that a table row stays one row."""
    out = []
    for c in text:
        if c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif ord(c) < 32 or ord(c) == 127:
            out.append("\\x%02x" % ord(c))
        else:
            out.append(c)
    return "".join(out)


def cell_text(text):
    """Text fit for a markdown table cell."""
    return escape(text).replace("|", "\\|").replace("`", "'")


def first_error(log, reader):
    """The line that says what is wrong: the item's line after '... failed:', an 'error:' line, or data check's 'unreadable:' line."""
    lines = [line for line in log.splitlines() if not NATIVE_WARNING.match(line)]
    if reader.startswith("serve-"):
        try:
            return json.loads(lines[0]).get("error", "") if lines else ""
        except (ValueError, AttributeError):
            return lines[0] if lines else ""
    for i, line in enumerate(lines):
        if reader == "data-check" and line.startswith("unreadable: "):
            return line
        if line.startswith("error: "):
            message = line[len("error: "):]
            if message.endswith(":") and i + 1 < len(lines):
                message += " " + lines[i + 1].strip()
            return message
        if line.endswith("item(s) failed:") and i + 1 < len(lines):
            return lines[i + 1].strip()
    return ""


def segmented_count(out, key):
    path = os.path.join(out, "work", key, "segment-out", "summary.csv")
    if not os.path.exists(path):
        return None
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return int(rows[0]["nuclei"]) if len(rows) == 1 else None


def judge(out, entry, row):
    """(outcome, problems, message, notes) of one cell; outcome is 'read', 'refused' or 'n/a'."""
    reader = row["reader"]
    if row["status"] == "n/a":
        return "n/a", [], row["log"], []
    log = open(os.path.join(out, row["log"]), encoding="utf-8", errors="replace").read()
    code = row["code"]
    problems, notes = [], []
    message = first_error(log, reader)
    if reader.startswith("serve-"):
        head = log.split("\n--- curl", 1)[0]
        server_part = log.split("--- server log", 1)[-1]
        if code.startswith("2"):
            outcome = "read"
        elif code.startswith("4"):
            outcome = "refused"
            try:
                json.loads(head)
            except ValueError:
                problems.append("HTTP %s without a JSON error" % code)
        else:
            outcome = "refused"
            problems.append("HTTP %s" % code if code != "000" else "no answer (curl: %s)" % log.split("--- curl", 1)[-1].split("---")[0].strip())
        if "the server process died" in log:
            problems.append("the server died")
        if STACK_TRACE.search(server_part):
            problems.append("exception in the server's log")
    else:
        rc = int(code)
        if rc in (124, 137):
            problems.append("timed out (exit %d)" % rc)
            outcome = "refused"
        elif rc not in (0, 1, 2):
            problems.append("exit code %d" % rc)
            outcome = "refused"
        elif reader == "data-check":
            outcome = "refused" if (rc == 2 or "item(s) failed" in log or re.search(r"^unreadable: ", log, re.M)) else "read"
        else:
            outcome = "read" if rc == 0 else "refused"
        if STACK_TRACE.search(log):
            problems.append("unhandled exception or stack trace")
        if NATIVE_WARNING.search(log):
            notes.append(NATIVE_NOTE)
    if outcome == "refused" and not message and not problems:
        problems.append("refused without saying why")
    if PASSWD.search(log):
        problems.append("shows /etc/passwd")

    label_reader = reader.startswith("evaluate-") or (entry["role"] == "labels" and reader.startswith("data-"))
    plane_reader = reader in PLANE_READERS
    expect = entry["expect"]
    if (expect == "refuse" or (expect == "refuse-as-labels" and label_reader) or (expect == "refuse-as-stack" and plane_reader)
            or (expect == "refuse-when-decoded" and reader != HEADER_READER)):
        if outcome == "read":
            problems.append("read a file that must be refused")
    elif expect == "refuse-as-stack" and outcome == "read":
        notes.append("read page 1 only; the plane metadata, which lies, is not consulted")
    elif expect == "refuse-when-decoded" and outcome == "read":
        notes.append("listed the planes from the headers; its pixels, the lie, are not decoded here")
    elif expect == "read" and outcome == "refused" and reader.startswith("serve-") and entry["file"].lower().endswith(".bmp"):
        notes.append("refused: the server takes PNG, TIFF and JPEG only, as the README's Web page section says")
    elif expect == "read" and outcome == "refused" and not (reader.startswith("evaluate-") and entry["role"] == "image"):
        problems.append("refused a valid file")

    nuclei = entry["nuclei"]
    if outcome == "read" and nuclei != "-" and entry["role"] == "image":
        found = None
        if reader == "segment":
            found = segmented_count(out, entry["key"])
        elif reader == "serve-upload":
            try:
                found = json.loads(log.split("\n--- curl", 1)[0])["count"]
            except (ValueError, KeyError):
                found = None
        if reader in ("segment", "serve-upload") and found != int(nuclei):
            problems.append("found %s nuclei, not %s" % (found, nuclei))
    if outcome == "read" and entry["expect"] == "read" and entry["role"] == "labels" and reader.startswith("evaluate-"):
        if "mean_ap=1.0000" not in log:
            problems.append("the true label map does not score 1.0")

    rss, wall = int(row["rss_kb"] or 0), float(row["wall_s"] or 0)
    if rss > MAX_RSS_KB:
        problems.append("peak RSS %d MB, over 1 GB" % (rss // 1024))
    if wall > MAX_SECONDS:
        problems.append("%.1f s wall (%.2f s CPU), over 30 s" % (wall, float(row["cpu_s"] or 0)))
    return outcome, problems, message, notes


def cell(outcome, problems, row):
    if outcome == "n/a":
        return "—"
    mark = "⚠" if problems else ("✔" if outcome == "read" else "✘")
    return "%s %s · %d MB · %.1f s (%.2f)" % (mark, row["code"], int(row["rss_kb"] or 0) // 1024, float(row["wall_s"] or 0), float(row["cpu_s"] or 0))


def main():
    out, nuclei, command, method, timeout = sys.argv[1:6]
    display_out = "OUTDIR"
    with open(os.path.join(out, "corpus", "manifest.tsv"), newline="", encoding="utf-8") as f:
        entries = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    with open(os.path.join(out, "results.tsv"), newline="", encoding="utf-8") as f:
        results = {(r["key"], r["reader"]): r for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}

    judged = {}
    for e in entries:
        for reader in READERS:
            row = results.get((e["key"], reader))
            if row is not None:
                judged[(e["key"], reader)] = (row,) + judge(out, e, row)

    measured = [(k, v) for k, v in judged.items() if v[1] != "n/a"]
    bad = [(k, v) for k, v in measured if v[2]]
    refused = sum(1 for _, v in measured if v[1] == "refused" and not v[2])
    read = sum(1 for _, v in measured if v[1] == "read" and not v[2])
    na = len(judged) - len(measured)
    missing = len(entries) * len(READERS) - len(judged)
    top_rss = max(measured, key=lambda kv: int(kv[1][0]["rss_kb"] or 0))
    top_wall = max(measured, key=lambda kv: float(kv[1][0]["wall_s"] or 0))
    top_cpu = max(measured, key=lambda kv: float(kv[1][0]["cpu_s"] or 0))
    cli = [(k, v) for k, v in measured if not k[1].startswith("serve-")]
    top_cli_rss = max(cli, key=lambda kv: int(kv[1][0]["rss_kb"] or 0))
    over_rss = [k for k, v in measured if int(v[0]["rss_kb"] or 0) > MAX_RSS_KB]
    over_time = [k for k, v in measured if float(v[0]["wall_s"] or 0) > MAX_SECONDS]
    crashes = [k for k, v in measured if any(p.startswith(("unhandled", "exit code", "HTTP 5", "no answer", "the server died", "exception", "timed out")) for p in v[2])]
    noisy = sum(1 for _, v in measured if NATIVE_NOTE in v[4])
    judgement = [(k, v) for k, v in measured if not v[2] and any(n != NATIVE_NOTE for n in v[4])]

    def where(kv):
        return "%s on %s" % (HEADINGS[kv[0][1]], kv[0][0])

    def listing(keys):
        return ", ".join("%s on %s" % (HEADINGS[r], k) for k, r in keys) if keys else "none"

    version = subprocess.run([nuclei, "--version"], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
                if l.startswith("Model name")), "unknown")
    with open(os.path.join(out, "load.txt")) as f:
        load_start, load_end = [line.strip() for line in f][:2]

    p = print
    p("# The hostile-file corpus: every reader on every file")
    p()
    p("Generated by `bench/hostile-corpus.sh` (with `bench/python/hostile_corpus_table.py`); do not edit by hand.")
    p("The corpus is written by `Nuclei.Bench hostile-corpus` (bench/Nuclei.Bench/Hostile): %d files, each described in its"
      " `manifest.tsv` (family, what it lies about, what is expected of it)." % len(entries))
    p()
    p("- Command: `%s`" % command)
    p("- nuclei: `%s`, Release build" % version)
    p("- CPU: %s, %d cores (`lscpu`); date: %s" % (cpu, os.cpu_count(), datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")))
    p("- Load average (1, 5, 15 min) at the start: %s, at the end: %s: the runs shared the machine with trainings, so wall"
      " seconds include waiting for a core; the CPU seconds (in brackets) measure the work." % (load_start, load_end))
    p("- Readers, one process per cell: `nuclei segment FILE --out O --method %s` (the gate reads every file before either method);"
      " `nuclei data check DIR` and `nuclei data describe DIR` with the file as the image of a one-sample DSB-layout folder"
      " (`DIR/sample/images/FILE`) or, for a label map, as `DIR/x.labels.EXT` beside a valid `DIR/x.png`;"
      " `nuclei evaluate` with the file as the predicted (`--pred`) and as the true (`--truth`) label map `x.EXT` against the"
      " control's true labels (.png/.tif/.tiff only); one `nuclei serve` (default network) receiving the file's bytes at"
      " `/api/inspect` and `/api/images` (an accepted image is deleted again)." % method)
    p("- Measures: CLI cells run under `timeout %s` and `/usr/bin/time` (peak RSS of the process, wall and CPU seconds);"
      " server cells give the HTTP status, curl's total time, the server's CPU seconds during the request and its peak RSS"
      " during the request (`/proc/PID/clear_refs` reset before, `VmHWM` after: the whole server, network included)." % timeout)
    p("- Cells: `✔` read, and correct where that can be checked (a control segmented into its 6 nuclei, a true label map scoring"
      " 1.0); `✘` a clear error (exit 1/2 or HTTP 4xx, one line saying what is wrong, no stack trace); `⚠` anything else;"
      " `—` not applicable (evaluate reads label maps from .png/.tif/.tiff named by image id only, so not JPEG, BMP or the"
      " names family; the server never sees what is not a regular file, which the browser cannot send). Then the exit code or HTTP status, peak RSS, wall seconds and (CPU seconds). `data check` exits 1"
      " whenever it finds a label problem, and an image without masks is one, so `✔ 1` is a read there.")
    p("- Special files as root: the runs are made as root, whom a mode of 000 does not stop, so `unreadable.png` is read;"
      " the refusal of a file one may not read is tested as a non-root user in tests/Nuclei.Tests/Safety/SpecialFileTests.")
    p()
    p("**Summary: %d of %d measured cells are a clear error or a correct result (%d clear errors, %d correct results), %s"
      "; %d cells not applicable%s. Max peak RSS %d MB (%s; of a CLI process %d MB, %s); max wall %.1f s (%s);"
      " max CPU %.2f s (%s). Over 1 GB: %s. Over 30 s: %s. Unhandled exception, stack trace, crash, time-out or HTTP 5xx: %s.**"
      % (refused + read, len(measured), refused, read, "%d not%s" % (len(bad), " (listed below)" if bad else ""), na, "" if missing == 0 else ", %d missing" % missing,
         int(top_rss[1][0]["rss_kb"]) // 1024, where(top_rss), int(top_cli_rss[1][0]["rss_kb"]) // 1024, where(top_cli_rss),
         float(top_wall[1][0]["wall_s"]), where(top_wall), float(top_cpu[1][0]["cpu_s"]), where(top_cpu),
         listing(over_rss), listing(over_time), listing(crashes)))
    p()
    p("## Cells that are not a clear error or a correct result")
    p()
    if not bad:
        p("None.")
    else:
        p("| file | reader | problem | first error line |")
        p("|---|---|---|---|")
        for (key, reader), v in bad:
            p("| %s | %s | %s | %s |" % (key, HEADINGS[reader], cell_text("; ".join(v[2])), cell_text(v[3].replace(out, display_out))))
    p()
    p("## Judgement calls")
    p()
    p("Cells counted as correct although they are not what the manifest's `expect` says at first sight. A valid BMP is"
      " refused by the server, which takes PNG, TIFF and JPEG only (a documented limit, said in one line)."
      " Other cells are read although the file lies, because the reader does not look at the part that lies."
      " Files whose ImageJ or OME plane metadata lies (`refuse-as-stack`) are refused by the readers that follow plane"
      " metadata (segment, the server); data check, data describe and evaluate read page 1 of any TIFF as the image and do"
      " not consult plane metadata, so they read that page. Files whose pixels are the lie (`refuse-when-decoded`) are"
      " refused wherever they are decoded; /api/inspect reads headers only and lists their planes.")
    p()
    if not judgement:
        p("None.")
    else:
        p("| file | reader | what it did |")
        p("|---|---|---|")
        for (key, reader), v in judgement:
            p("| %s | %s | %s |" % (key, HEADINGS[reader], cell_text("; ".join(n for n in v[4] if n != NATIVE_NOTE))))
    if noisy:
        p()
        p("Not counted as problems: in %d cells OpenCV's decoders (libtiff, libpng) also printed their own lines such as"
          " `[ WARN:0@0.1] global grfmt_tiff.cpp:122 TIFF_Warning ...` or `[ERROR:0@0.0] ... TIFF_Error ...` on the console,"
          " beside the reader's own one-line message." % noisy)
    p()
    p("## Reader × file")
    p()
    p("| file | family | expect | " + " | ".join(HEADINGS[r] for r in READERS) + " |")
    p("|---|---|---|" + "---|" * len(READERS))
    for e in entries:
        cells = []
        for reader in READERS:
            v = judged.get((e["key"], reader))
            cells.append("missing" if v is None else cell(v[1], v[2], v[0]))
        p("| `%s` | %s | %s | %s |" % (cell_text(e["key"]), e["family"], e["expect"], " | ".join(cells)))
    p()
    p("## Files and what each reader said")
    p()
    p("The first error line of each reader (readers that said the same are grouped; the run's folder is written OUTDIR).")
    p()
    p("| file | name | lies about | messages |")
    p("|---|---|---|---|")
    for e in entries:
        said = {}
        for reader in READERS:
            v = judged.get((e["key"], reader))
            if v is None or v[1] == "n/a":
                continue
            text = v[3].replace(out, display_out) if v[1] == "refused" else "read"
            said.setdefault(text, []).append(HEADINGS[reader])
        messages = "<br>".join("%s: %s" % (", ".join(readers), cell_text(text or "(no message)")) for text, readers in said.items())
        p("| `%s` | `%s` | %s | %s |" % (cell_text(e["key"]), cell_text(e["file"]), cell_text(e["lie"]), messages))


if __name__ == "__main__":
    main()
