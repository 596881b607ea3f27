#!/usr/bin/env bash
# Facility mode on a real Slurm: starts a one-node cluster on this machine (Debian's munged,
# slurmctld and slurmd, configured in a temporary folder, with their own ports and munge
# socket so nothing system-wide is touched), runs a manifest of six small datasets through
# `mapbook batch --slurm`, checks every report and the index, cancels one running task,
# checks that its previous report survived, resubmits it with `mapbook batch resubmit`, and
# checks the index again. Every daemon it started is stopped by its PID on exit.
#
# Skips (exit 0, with the reason) when Slurm or munge is not installed or cannot start.
# MAPBOOK_BIN: the mapbook binary (default .build/debug/mapbook, else `swift build`).
# KEEP=1 keeps the temporary folder.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
T0=$(date +%s)
log() { printf '[slurm-test %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
skip() { log "SKIPPED: $*"; exit 0; }
fail() { log "FAILED: $*"; FAILED=1; exit 1; }

for tool in munged slurmctld slurmd sbatch squeue scontrol scancel runuser; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || skip "$tool is not installed (apt-get install slurmctld slurmd slurm-client munge)"
done
[ "$(id -u)" = 0 ] || skip "starting slurmd needs root"
id munge >/dev/null 2>&1 || skip "no munge user"
[ -r /etc/munge/munge.key ] || skip "no munge key in /etc/munge/munge.key"
command -v python3 >/dev/null || skip "python3 (used to check the JSON) is missing"

BIN=${MAPBOOK_BIN:-$ROOT/.build/debug/mapbook}
if [ ! -x "$BIN" ]; then
    log "building mapbook"
    swift build --product mapbook >/dev/null
    BIN=$ROOT/.build/debug/mapbook
fi
BIN=$(readlink -f "$BIN")

T=$(mktemp -d /tmp/mapbook-slurm.XXXXXX)
chmod 755 "$T"
FAILED=0
PIDFILES=()
cleanup() {
    local status=$?
    [ -n "${SLURM_CONF:-}" ] && scancel --quiet --user=root >/dev/null 2>&1 || true
    # Stop what we started, by PID, newest first.
    for ((i=${#PIDFILES[@]}-1; i>=0; i--)); do
        f=${PIDFILES[$i]}
        if [ -s "$f" ]; then
            pid=$(cat "$f")
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
    done
    if [ "$status" != 0 ] || [ "$FAILED" != 0 ]; then
        for l in "$T"/log/*.log; do [ -f "$l" ] && { echo "--- $l"; tail -n 20 "$l"; }; done
        for l in "$T"/batch/slurm/logs/*; do [ -f "$l" ] && { echo "--- $l"; tail -n 5 "$l"; }; done
    fi
    if [ "${KEEP:-0}" = 1 ]; then log "kept $T"; else rm -rf "$T"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- munge: our own socket, pid and log, as the munge user (munged refuses root)
mkdir -p "$T/munge" "$T/etc" "$T/state" "$T/spool" "$T/run" "$T/log"
chown munge:munge "$T/munge"
chmod 755 "$T/munge"
SOCKET=$T/munge/munge.sock
PIDFILES+=("$T/munge/munged.pid")
runuser -u munge -- /usr/sbin/munged --socket="$SOCKET" --pid-file="$T/munge/munged.pid" \
    --log-file="$T/munge/munged.log" --seed-file="$T/munge/munged.seed" --force \
    || skip "munged did not start: $(tail -n 2 "$T/munge/munged.log" 2>/dev/null)"
for _ in $(seq 50); do [ -S "$SOCKET" ] && break; sleep 0.1; done
[ -S "$SOCKET" ] || skip "munged did not create its socket"

# --- slurm.conf: this host as the only node, free ports, everything under $T
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1]); s.close()'; }
HOST=$(hostname)
CPUS=$(nproc)
MEM=$(awk '/MemTotal/ {print int($2/1024*0.8)}' /proc/meminfo)
export SLURM_CONF=$T/etc/slurm.conf
cat > "$SLURM_CONF" <<CONF
ClusterName=mapbooktest
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/run/slurmctld.pid
SlurmdPidFile=$T/run/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MinJobAge=3600
SchedulerParameters=sched_interval=2
NodeName=$HOST CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
PIDFILES+=("$T/run/slurmctld.pid")
/usr/sbin/slurmctld -f "$SLURM_CONF" || skip "slurmctld did not start: $(tail -n 3 "$T/log/slurmctld.log" 2>/dev/null)"
PIDFILES+=("$T/run/slurmd.pid")
/usr/sbin/slurmd -f "$SLURM_CONF" || skip "slurmd did not start: $(tail -n 3 "$T/log/slurmd.log" 2>/dev/null)"
for _ in $(seq 100); do
    sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
    sleep 0.3
done
sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)' || skip "the node did not come up: $(sinfo 2>&1 | tail -n 2)"
log "Slurm is up: node $HOST, $CPUS CPUs ($(sinfo -h -o '%P %a %T' | head -n1))"

# --- six small datasets: five folders run with a template, one with its own plan
D=$T/data
for i in 1 2 3 4 5; do
    "$BIN" synthetic-pair --size 32 --voxel 2 --resolution $((6 + i)) --atoms 600 --seed "$i" -o "$D/ds$i" --quiet
done
# The dataset whose task is cancelled mid-run is larger, so that its run lasts several seconds:
# at 32³ it finished in about 1.2 s and a cancel one second into it could land after the
# report was written.
"$BIN" synthetic-pair --size 64 --voxel 2 --resolution 8 --atoms 2400 --seed 6 -o "$D/ds6" --quiet
cat > "$D/template.yaml" <<'PLAN'
title: "Facility test dataset"
dataset:
  half_maps: [half1.mrc, half2.mrc]
cells:
  - kind: fsc
  - kind: postprocess
    mask: auto
    mask_lowpass: 12
PLAN
cat > "$D/ds6/plan.yaml" <<'PLAN'
title: "Facility test dataset with local resolution"
dataset:
  name: ds6_localres
  half_maps: [half1.mrc, half2.mrc]
cells:
  - kind: fsc
  - kind: postprocess
    mask: auto
    mask_lowpass: 12
  - kind: local_resolution
    global_resolution: postprocess.resolution
    step: 0.25
  - kind: local_resolution
    id: local_fsc
    method: local_fsc
    window: 30
PLAN
cat > "$D/manifest.txt" <<'MANIFEST'
# mapbook batch manifest for the Slurm test
template  template.yaml
dataset   ds1
dataset   ds2
dataset   ds3   third
dataset   ds4
dataset   ds5
plan      ds6/plan.yaml
MANIFEST
NAMES="ds1 ds2 third ds4 ds5 ds6_localres"
OUT=$T/batch

wait_jobs() {  # wait until the given jobs have left the queue
    local ids=$1 limit=$2 t=0
    while [ -n "$(squeue -h -r -j "$ids" -o %i 2>/dev/null)" ]; do
        sleep 1; t=$((t + 1))
        [ $t -le "$limit" ] || fail "jobs $ids still queued after ${limit}s: $(squeue -h -r -j "$ids" -o '%i %T %r' | tr '\n' ';')"
    done
}
check_index() {  # every dataset has a report, and the index's numbers are its report's
    python3 - "$OUT" "$1" $NAMES <<'PY'
import csv, json, os, sys
out, want_state, names = sys.argv[1], sys.argv[2], sys.argv[3:]
index = json.load(open(os.path.join(out, "index.json")))
rows = index["datasets"]
assert [r["dataset"] for r in rows] == names, [r["dataset"] for r in rows]
table = list(csv.DictReader(open(os.path.join(out, "index.csv"))))
html = open(os.path.join(out, "index.html")).read()
def close(a, b): return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1, abs(b))
for r, c in zip(rows, table):
    n = r["dataset"]
    assert r["state"] == want_state, (n, r["state"], r.get("message"))
    for f in ["report.html", "report.pdf", "report.ipynb", "summary.json", "provenance.json", "fsc.xml"]:
        assert os.path.isfile(os.path.join(out, n, f)), (n, f)
    assert r["report"] == n + "/report.html" and f'href="{n}/report.html"' in html, n
    s = json.load(open(os.path.join(out, n, "summary.json")))
    prov = json.load(open(os.path.join(out, n, "provenance.json")))
    assert [x["id"] for x in prov["cells"]] == [x["id"] for x in s["cells"]]
    assert all(x["status"] in ("executed", "cached") for x in prov["cells"]), (n, prov["cells"])
    cells = {x["id"]: x for x in s["cells"]}
    pp = cells["postprocess"]["numbers"]
    assert close(r["fscResolution"]["value"], pp["resolution"]["value"]), n
    assert close(r["bfactor"]["value"], pp["bfactor"]["value"]), n
    assert abs(float(c["fsc_resolution_A"]) - pp["resolution"]["value"]) < 1e-4, n
    assert abs(float(c["bfactor_A2"]) - pp["bfactor"]["value"]) < 1e-4, n
    if "local_resolution" in cells:  # the cell whose id is its kind speaks for the kind
        med = cells["local_resolution"]["numbers"]["median"]["value"]
        assert close(r["localResolutionMedian"]["value"], med) and abs(float(c["local_resolution_median_A"]) - med) < 1e-4, n
    else:
        assert r["localResolutionMedian"]["display"] == "n/a" and c["local_resolution_median_A"] == "", n
    assert r["densityModificationGain"]["display"] == "n/a" and c["dm_gain"] == "", n
    assert r["flags"] == s["flags"] and int(c["flag_count"]) == len(s["flags"]), n
print(f"index ok: {len(rows)} datasets, states {want_state}")
PY
}

# --- 1. the whole manifest as a job array (throttle 2) plus the index job
log "submitting the batch"
SUBMIT=$("$BIN" batch "$D/manifest.txt" -o "$OUT" --slurm --throttle 2 --mapbook "$BIN")
echo "$SUBMIT"
ARRAY=$(echo "$SUBMIT" | sed -n 's/.*array job \([0-9]*\).*/\1/p')
INDEXJOB=$(echo "$SUBMIT" | sed -n 's/.*index job \([0-9]*\)\..*/\1/p')
[ -n "$ARRAY" ] && [ -n "$INDEXJOB" ] || fail "no job ids in: $SUBMIT"
grep -q '^#SBATCH --array=0-5%2$' "$OUT/slurm/array.sbatch" || fail "array.sbatch has no --array=0-5%2"
grep -q '^#SBATCH --mem=[0-9]*M$' "$OUT/slurm/array.sbatch" || fail "array.sbatch has no memory request"
scontrol -o show job "$INDEXJOB" | grep -q "Dependency=afterany:${ARRAY}_\*" || fail "the index job does not depend on the array: $(scontrol -o show job "$INDEXJOB")"
# The throttle holds: never more than two tasks running at once.
MAXRUN=0
while [ -n "$(squeue -h -r -j "$ARRAY,$INDEXJOB" -o %i 2>/dev/null)" ]; do
    n=$(squeue -h -r -j "$ARRAY" -t RUNNING -o %i 2>/dev/null | wc -l)
    [ "$n" -gt "$MAXRUN" ] && MAXRUN=$n
    sleep 0.5
    [ $(( $(date +%s) - T0 )) -lt 600 ] || fail "the batch did not finish in 10 minutes"
done
[ "$MAXRUN" -le 2 ] || fail "$MAXRUN tasks ran at once with a throttle of 2"
T1=$(date +%s)
log "batch done (at most $MAXRUN tasks at once)"
"$BIN" batch status "$D/manifest.txt" -o "$OUT"
ls "$OUT"/slurm/logs/index_"$INDEXJOB".out >/dev/null || fail "the index job left no log"
check_index completed

# --- 2. run it again (forced), cancel the local-resolution task while it runs
BEFORE=$(sha256sum "$OUT/ds6_localres/report.html" | cut -d' ' -f1)
BEFORE_SUMMARY=$(sha256sum "$OUT/ds6_localres/summary.json" | cut -d' ' -f1)
SUBMIT=$("$BIN" batch "$D/manifest.txt" -o "$OUT" --slurm --throttle 2 --force --mapbook "$BIN")
ARRAY2=$(echo "$SUBMIT" | sed -n 's/.*array job \([0-9]*\).*/\1/p')
INDEX2=$(echo "$SUBMIT" | sed -n 's/.*index job \([0-9]*\)\..*/\1/p')
TASK=${ARRAY2}_5
for _ in $(seq 1200); do
    st=$(squeue -h -j "$TASK" -o %T 2>/dev/null || true)
    [ "$st" = RUNNING ] && break
    [ -z "$st" ] && [ -n "$(scontrol -o show job "$TASK" 2>/dev/null | grep -o 'JobState=[A-Z]*' | grep -v PENDING)" ] && fail "task $TASK ended before it could be cancelled"
    sleep 0.1
done
# Cancel once the task is at work inside mapbook (its status file says running under this job).
for _ in $(seq 100); do grep -q "$TASK" "$OUT/status/ds6_localres.json" 2>/dev/null && break; sleep 0.1; done
sleep 1
scancel "$TASK"
log "cancelled task $TASK while running"
wait_jobs "$ARRAY2,$INDEX2" 600
log "the cancelled task's log ends with: $(tail -n 1 "$OUT/slurm/logs/task_${ARRAY2}_5.out" 2>/dev/null | tr -d '\r')"
STATUS=$("$BIN" batch status "$D/manifest.txt" -o "$OUT")
echo "$STATUS"
echo "$STATUS" | grep -E '^ds6_localres +[0-9_]+ +interrupted \(cancelled\)' >/dev/null || fail "status does not show ds6_localres as interrupted (cancelled)"
[ "$(echo "$STATUS" | grep -c ' completed ')" = 5 ] || fail "the other five are not completed"
[ "$(sha256sum "$OUT/ds6_localres/report.html" | cut -d' ' -f1)" = "$BEFORE" ] || fail "the killed task changed report.html"
[ "$(sha256sum "$OUT/ds6_localres/summary.json" | cut -d' ' -f1)" = "$BEFORE_SUMMARY" ] || fail "the killed task changed summary.json"
python3 - "$OUT" <<'PY' || fail "the index after the kill is wrong"
import json, sys
rows = {r["dataset"]: r for r in json.load(open(sys.argv[1] + "/index.json"))["datasets"]}
r = rows["ds6_localres"]
assert r["state"] == "interrupted (cancelled)" and r["reportIsPrevious"] and r["report"] == "ds6_localres/report.html", r
print("index after the kill: ds6_localres shows its previous report")
PY
T2=$(date +%s)

# --- 3. resubmit: only the killed task goes again
RESUB=$("$BIN" batch resubmit "$D/manifest.txt" -o "$OUT" --throttle 2 --mapbook "$BIN")
echo "$RESUB"
echo "$RESUB" | grep -q "Resubmitted 1 task (ds6_localres)" || fail "resubmit did not pick exactly the killed task"
ARRAY3=$(echo "$RESUB" | sed -n 's/.*array job \([0-9]*\).*/\1/p')
INDEX3=$(echo "$RESUB" | sed -n 's/.*index job \([0-9]*\)\./\1/p')
wait_jobs "$ARRAY3,$INDEX3" 600
"$BIN" batch status "$D/manifest.txt" -o "$OUT"
check_index completed
ls -a "$OUT/ds6_localres" | grep -q '^\.mapbook-staging' && fail "a staging folder is left in the report folder"
"$BIN" batch resubmit "$D/manifest.txt" -o "$OUT" --mapbook "$BIN" | grep -q "Nothing to resubmit" || fail "a second resubmit found work"
T3=$(date +%s)
log "PASSED: batch $((T1 - T0))s (incl. Slurm start and data), forced run + cancel $((T2 - T1))s, resubmit $((T3 - T2))s, total $((T3 - T0))s"
