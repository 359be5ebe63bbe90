#!/usr/bin/env python3
"""Snakemake --cluster-status for Slurm: prints running, success or failed for a job id.

Asks sacct where accounting is set up, else scontrol (which knows a job until MinJobAge after it ends)."""
import subprocess
import sys

RUNNING = {"PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED", "RESIZING", "SIGNALING", "STAGE_OUT"}


def run(command):
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        return done.stdout if done.returncode == 0 else ""
    except (OSError, subprocess.TimeoutExpired):
        return ""


def state(job):
    accounted = run(["sacct", "-j", job, "-X", "-n", "-P", "-o", "State"]).split()
    if accounted:
        return accounted[0]
    for field in run(["scontrol", "-o", "show", "job", job]).split():
        if field.startswith("JobState="):
            return field.split("=", 1)[1]
    return "UNKNOWN"  # neither knows the job: it is long gone, and its outcome cannot be told


s = state(sys.argv[1]).split("+")[0]  # sacct writes e.g. "CANCELLED by 0" or "RUNNING+"
print("success" if s == "COMPLETED" else "running" if s in RUNNING else "failed")
