#!/bin/sh
# NAB's "null" baseline as a run_vigil.sh command: anomaly_score 0 on every row, so it never
# fires and scores 0 on every profile by construction (a check of the normalisation).
#   bench/nab/run_vigil.sh -c bench/nab/null_detector.sh -d null
awk -F, 'NR > 1 { sub(/\r$/, ""); print $1 "," $2 ",0.0" }' "$1"
