#!/usr/bin/env bash
# Stops the single-node Slurm cluster that slurm-one-node.sh started: cancels its jobs, stops slurmd and slurmctld
# (by their pid files) and munged. Packages and /etc/slurm/slurm.conf stay for the next start.
set -uo pipefail
[ "$(id -u)" = 0 ] || { echo "error: run as root" >&2; exit 2; }
STATE=/var/lib/nuclei-slurm
grep -qF "# written by nuclei workflow/slurm-one-node.sh" /etc/slurm/slurm.conf 2>/dev/null ||
  { echo "error: /etc/slurm/slurm.conf was not written by slurm-one-node.sh; not stopping anything" >&2; exit 2; }

stop() {  # stop NAME PIDFILE: SIGTERM, then wait up to 10 s
  local pid
  pid=$(cat "$2" 2>/dev/null) || { echo "$1: not running"; return; }
  kill -0 "$pid" 2>/dev/null || { echo "$1: not running"; return; }
  kill "$pid"
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || { echo "$1: stopped"; return; }; sleep 0.5; done
  echo "$1 (pid $pid) did not stop within 10 s" >&2
}

squeue -h -o %i 2>/dev/null | xargs -r scancel  # every job of this one-node cluster
stop slurmd "$STATE/slurmd.pid"
stop slurmctld "$STATE/slurmctld.pid"
stop munged /run/munge/munged.pid
