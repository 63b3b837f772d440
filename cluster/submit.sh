#!/usr/bin/env bash
# A one-machine "cluster" for the cluster-generic executor: run each job script detached, in a session
# of its own, and print its process id as the job id (cluster/cancel.sh stops that session).
# Proves every job is self-contained (no shared interpreter).
set -euo pipefail
jobscript="${@: -1}"
mkdir -p .cluster-logs
setsid nohup bash "$jobscript" > ".cluster-logs/$(basename "$jobscript").out" 2>&1 < /dev/null &
echo $!
