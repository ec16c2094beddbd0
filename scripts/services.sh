#!/usr/bin/env bash
# The servers the fleet tests need: a private PostgreSQL cluster on a loopback
# port and a single-node Slurm cluster, both living under one project-owned
# state folder (default: .services/ in the project). Debian 12, as root, no
# systemd needed.
#
#   bash scripts/services.sh start   install what is missing, start, wait until ready (idempotent)
#   bash scripts/services.sh stop    stop only what this script started
#   bash scripts/services.sh status  exit 0 when both are up
#   bash scripts/services.sh env     print the variables the tests use (sourceable)
#
# After start, $STATE/env holds SLURM_CONF (our slurm.conf, not /etc/slurm's)
# and INFERMARK_TEST_PG (a postgres:// URL): `source .services/env`.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE=${INFERMARK_SERVICES_DIR:-$ROOT/.services}
PG_PORT=${INFERMARK_PG_PORT:-55432}
SLURMCTLD_PORT=${INFERMARK_SLURMCTLD_PORT:-56817}
SLURMD_PORT=${INFERMARK_SLURMD_PORT:-56818}
PG_USER=infermark
PG_PASSWORD=infermark_ci
PG_DB=infermark
PGBIN=/usr/lib/postgresql/15/bin
PGDATA=$STATE/pg/data
SL=$STATE/slurm
PG_URL="postgres://$PG_USER:$PG_PASSWORD@localhost:$PG_PORT/$PG_DB"

say() { echo "services: $*" >&2; }

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

write_env() {
  cat >"$STATE/env" <<EOF
export SLURM_CONF=$SL/slurm.conf
export INFERMARK_TEST_PG=$PG_URL
EOF
}

install_missing() {
  local need=()
  command -v sbatch >/dev/null && command -v slurmctld >/dev/null && command -v slurmd >/dev/null || need+=(slurm-wlm)
  command -v munged >/dev/null || need+=(munge)
  [ -x $PGBIN/initdb ] || need+=(postgresql)
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then say "needs root to install ${need[*]} (apt-get install ${need[*]})"; exit 1; fi
  say "installing ${need[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
}

start_munge() {
  # One munged per machine serves every Slurm cluster on it: reuse a working one.
  if command -v munge >/dev/null && munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then return 0; fi
  [ -s /etc/munge/munge.key ] || runuser -u munge -- mungekey --create
  install -d -o munge -g munge -m 755 /run/munge
  rm -f /run/munge/munged.pid
  runuser -u munge -- /usr/sbin/munged 9>&-
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  cp /run/munge/munged.pid "$STATE/munged.pid"
}

start_slurm() {
  if alive "$SL/slurmctld.pid" && alive "$SL/slurmd.pid"; then return 0; fi
  local host; host=$(hostname -s)
  getent hosts "$host" >/dev/null || echo "127.0.0.1 $host" >>/etc/hosts   # slurmd must resolve its own name
  mkdir -p "$SL/state" "$SL/spool" "$SL/log" "$SL/jobs"
  chmod 1777 "$SL/jobs"
  local node; node=$(SLURM_CONF=/dev/null slurmd -C 2>/dev/null | head -1)
  # No cgroup plugins (they fail in containers: jobs fail and the node drains); no accounting.
  cat >"$SL/slurm.conf" <<EOF
ClusterName=infermark
SlurmctldHost=$host
SlurmctldPort=$SLURMCTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$SL/state
SlurmdSpoolDir=$SL/spool
SlurmctldPidFile=$SL/slurmctld.pid
SlurmdPidFile=$SL/slurmd.pid
SlurmctldLogFile=$SL/log/slurmctld.log
SlurmdLogFile=$SL/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
MinJobAge=3600
SchedulerParameters=sched_min_interval=0,batch_sched_delay=0,bf_interval=1
$node State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$SL/slurm.conf
  setsid /usr/sbin/slurmctld -D -c >"$SL/log/slurmctld.out" 2>&1 </dev/null 9>&- &
  setsid /usr/sbin/slurmd -D >"$SL/log/slurmd.out" 2>&1 </dev/null 9>&- &
  for _ in $(seq 300); do [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] && return 0; sleep 0.2; done
  say "slurm node did not become idle: $(sinfo -h -o '%t %E' 2>&1 | head -1); logs in $SL/log"
  exit 1
}

start_pg() {
  if [ -f "$PGDATA/postmaster.pid" ] && runuser -u postgres -- $PGBIN/pg_ctl -D "$PGDATA" status >/dev/null 2>&1; then return 0; fi
  install -d -o postgres -g postgres "$STATE/pg"
  chmod 755 "$STATE"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    runuser -u postgres -- $PGBIN/initdb -N -D "$PGDATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  runuser -u postgres -- $PGBIN/pg_ctl -D "$PGDATA" -l "$STATE/pg/server.log" \
    -o "-p $PG_PORT -k $STATE/pg -c listen_addresses=localhost -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" -w start >/dev/null 9>&-
  local q="runuser -u postgres -- psql -qtA -h $STATE/pg -p $PG_PORT -v ON_ERROR_STOP=1"
  [ "$($q -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" = 1 ] ||
    $q -c "CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD'" >/dev/null
  [ "$($q -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" = 1 ] ||
    $q -c "CREATE DATABASE $PG_DB OWNER $PG_USER" >/dev/null
}

stop_all() {
  local f p
  for f in "$SL/slurmd.pid" "$SL/slurmctld.pid" "$STATE/munged.pid"; do
    alive "$f" || { rm -f "$f"; continue; }
    p=$(cat "$f"); kill "$p" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    rm -f "$f"
  done
  if [ -f "$PGDATA/postmaster.pid" ]; then
    runuser -u postgres -- $PGBIN/pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

mkdir -p "$STATE"
# Two test processes may start the services at once: one at a time. The
# daemons never inherit the lock's descriptor (9>&-), or a later stop would wait forever.
exec 9>"$STATE/.lock"
flock 9
case "${1:-}" in
  start)
    install_missing
    start_munge
    start_slurm
    start_pg
    write_env
    say "up: slurm (SLURM_CONF=$SL/slurm.conf), postgresql ($PG_URL)"
    ;;
  stop) stop_all; say "stopped" ;;
  status)
    alive "$SL/slurmctld.pid" && alive "$SL/slurmd.pid" && [ -f "$STATE/env" ] &&
      runuser -u postgres -- $PGBIN/pg_ctl -D "$PGDATA" status >/dev/null 2>&1 ;;
  env) write_env; cat "$STATE/env" ;;
  *) echo "usage: bash scripts/services.sh start|stop|status|env" >&2; exit 2 ;;
esac
