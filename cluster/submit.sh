#!/usr/bin/env bash
# A one-machine "cluster" for the cluster-generic executor: run each job script detached, as its
# own process, and print a job id. Proves every job is self-contained (no shared interpreter).
set -euo pipefail
jobscript="${@: -1}"
mkdir -p .cluster-logs
nohup bash "$jobscript" > ".cluster-logs/$(basename "$jobscript").out" 2>&1 &
echo $!
