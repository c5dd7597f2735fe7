#!/usr/bin/env bash
# A real single-node Slurm for tests, from Debian's slurm-wlm and munge packages.
#   local-cluster.sh start   -> prints "export SLURM_CONF=..." on success, exit 0; exit 77 if
#                               Slurm cannot start here (the reason on stderr)
#   local-cluster.sh stop
# Runs as root, without systemd: munged, slurmctld and slurmd are started directly, with
# process tracking and task plugins that need no cgroups.
set -uo pipefail
dir="${KINMAP_SLURM_DIR:-/tmp/kinmap-slurm}"
conf="$dir/slurm.conf"
host="$(hostname -s)"

skip() { echo "local-cluster: cannot start Slurm: $*" >&2; exit 77; }

stop() {
    for name in slurmd slurmctld; do
        [ -f "$dir/$name.pid" ] && kill "$(cat "$dir/$name.pid")" 2>/dev/null
    done
    [ -f "$dir/munged.pid" ] && kill "$(cat "$dir/munged.pid")" 2>/dev/null
    sleep 1
    return 0
}

start() {
    command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null \
        || skip "slurm-wlm and munge are not installed (apt-get install slurm-wlm munge)"
    [ "$(id -u)" -eq 0 ] || skip "needs root to run slurmd"
    stop >/dev/null 2>&1
    rm -rf "$dir"
    mkdir -p "$dir/state" "$dir/spool" "$dir/munge" "$dir/log"
    chmod 700 "$dir/munge"
    dd if=/dev/urandom bs=1 count=1024 of="$dir/munge/munge.key" 2>/dev/null
    chmod 400 "$dir/munge/munge.key"
    munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
        --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/seed" \
        || skip "munged did not start (see $dir/log/munged.log)"
    local cpus mem
    cpus=$(nproc)
    mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
    cat > "$conf" <<CONF
ClusterName=kinmaptest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CryptoType=crypto/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
    export SLURM_CONF="$conf"
    slurmctld -f "$conf" || skip "slurmctld did not start (see $dir/log/slurmctld.log)"
    slurmd -f "$conf" || skip "slurmd did not start (see $dir/log/slurmd.log)"
    for _ in $(seq 1 30); do
        if sinfo -h -o %T 2>/dev/null | grep -q -E "idle|mixed|alloc"; then
            echo "export SLURM_CONF=$conf"
            return 0
        fi
        sleep 1
    done
    skip "the node did not become idle within 30 s: $(sinfo -h -o '%T %E' 2>&1 | head -1)"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
