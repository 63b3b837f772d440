#!/usr/bin/env bash
# Snakemake calls this with the ids cluster/submit.sh printed when the run is interrupted (Ctrl-C):
# each id leads a session of its own, so stop its whole process group (the job script, the job's
# Snakemake and its renderers).
for id in "$@"; do
  kill -TERM -- "-$id" 2>/dev/null || true
done
