#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine (for trying the workflow's Slurm profile): installs Debian's
# slurm-wlm and munge when missing, writes /etc/slurm/slurm.conf for this host with its real CPUs and memory
# (as `slurmd -C` reports them), then starts munged, slurmctld and slurmd. Needs root. Stop it with slurm-one-node-stop.sh.
# A slurm.conf this script did not write is never replaced.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "error: run as root (it installs packages and starts daemons)" >&2; exit 2; }

MARK="# written by nuclei workflow/slurm-one-node.sh"
CONF=/etc/slurm/slurm.conf
STATE=/var/lib/nuclei-slurm          # slurmctld state, slurmd spool and the daemons' pid files
LOGS=/var/log/nuclei-slurm

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge ||
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge; }
fi

if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
  echo "error: $CONF exists and was not written by this script; not replacing it" >&2; exit 2
fi

host=$(hostname -s)
mkdir -p /etc/slurm "$STATE/ctld" "$STATE/d" "$LOGS"
# The node line as slurmd detects it (CPUs, sockets, cores, threads, RealMemory), minus the uptime comment.
node=$(slurmd -C | grep '^NodeName=')
cat > "$CONF" <<CONF
$MARK
ClusterName=nuclei
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
# No cgroups needed (works in containers): processes tracked by parent id, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
# CPUs and memory are both consumable: jobs ask for --cpus-per-task and --mem and share the node.
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
# Finished jobs stay visible to scontrol for 10 minutes (the workflow's status script asks it).
MinJobAge=600
$node State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

# munge: a key (the package normally creates one), then the daemon as its own user.
if [ ! -s /etc/munge/munge.key ]; then
  if command -v mungekey >/dev/null; then mungekey --create --keyfile /etc/munge/munge.key; else
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; fi
fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge && chown munge:munge /run/munge
pgrep -F /run/munge/munged.pid >/dev/null 2>&1 || runuser -u munge -- /usr/sbin/munged

pgrep -F "$STATE/slurmctld.pid" >/dev/null 2>&1 || slurmctld
pgrep -F "$STATE/slurmd.pid" >/dev/null 2>&1 || slurmd

# Wait for the node to register; a node left down by an earlier run is resumed.
for _ in $(seq 1 30); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
  case "$state" in
    idle*|mixed*|allocated*) sinfo; exit 0 ;;
    down*|drain*) scontrol update NodeName="$host" State=RESUME 2>/dev/null || true ;;
  esac
  sleep 1
done
echo "error: node $host did not come up (state '${state:-none}'); see $LOGS/slurmctld.log and $LOGS/slurmd.log" >&2
exit 1
