#!/usr/bin/env bash
# Run Vigil's series detector on every NAB series and score it with nab_score.py.
#
# For each data/<category>/<file>.csv it runs
#     <command> <file>            (default command: "$VIGIL detect-series --csv")
# which must print `timestamp,value,anomaly_score` rows (a header line is
# optional), one per input row, score in [0,1]. The outputs go to
#     <out>/<detector>/<category>/<detector>_<file>.csv   (NAB's layout)
# and the standard, reward_low_FP_rate and reward_low_FN_rate scores are printed
# (scores CSVs and final_results.json in <out>/<detector>/scores/).
#
# Options:
#   -b BIN    vigil binary (default $VIGIL or /work/main/.build/release/vigil)
#   -c CMD    whole command to run before each file, instead of "BIN detect-series --csv";
#             e.g. -c "python3 bench/nab/prototype.py --csv" to score the Python prototype
#   -n DIR    NAB folder with data/, labels/, config/ (default $NAB_DIR or /work/shared/data/nab)
#   -o DIR    output folder (default bench/work/nab, which is git-ignored)
#   -d NAME   detector name used in file names (default vigil)
#   -j N      files run in parallel (default 1; the machine is shared)
#   -k        keep existing outputs: only run files whose output is missing
#   -v        also print per-file scores
#   -h        this help
# Extra arguments after -- are passed to the detector after the file name.
# Exit status: 0 on success, 2 if the binary is missing, 1 if a run failed or
# an output has the wrong number of rows.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="${VIGIL:-/work/main/.build/release/vigil}"
CMD=""
NAB="${NAB_DIR:-/work/shared/data/nab}"
OUT="$(cd "$here/.." && pwd)/work/nab"
DET="vigil"
JOBS=1
KEEP=0
VERBOSE=""

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
while getopts "b:c:n:o:d:j:kvh" opt; do
  case "$opt" in
    b) BIN="$OPTARG" ;;
    c) CMD="$OPTARG" ;;
    n) NAB="$OPTARG" ;;
    o) OUT="$OPTARG" ;;
    d) DET="$OPTARG" ;;
    j) JOBS="$OPTARG" ;;
    k) KEEP=1 ;;
    v) VERBOSE="-v" ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 64 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
EXTRA=("$@")

if [ -z "$CMD" ]; then
  if [ ! -x "$BIN" ]; then
    echo "run_vigil.sh: no vigil binary at $BIN (build it, or pass -b BIN or -c CMD)" >&2
    exit 2
  fi
  CMD="$BIN detect-series --csv"
fi

res="$OUT/$DET"
mkdir -p "$res"
export CMD DET res KEEP

run_one() {
  local f="$1"; shift
  local rel="${f#"$NAB"/data/}"
  local cat="${rel%%/*}" name="${rel##*/}"
  local out="$res/$cat/${DET}_$name"
  if [ "$KEEP" = 1 ] && [ -s "$out" ]; then return 0; fi
  mkdir -p "$res/$cat"
  # shellcheck disable=SC2086  # CMD is a command line on purpose
  if ! $CMD "$f" "$@" > "$out.tmp" 2> "$out.err"; then
    echo "FAILED: $CMD $f (stderr in $out.err)" >&2
    return 1
  fi
  # add the header when the detector prints bare rows
  if ! head -n 1 "$out.tmp" | grep -q '^timestamp'; then
    { echo "timestamp,value,anomaly_score"; cat "$out.tmp"; } > "$out.tmp2" && mv "$out.tmp2" "$out.tmp"
  fi
  local want got
  want=$(($(grep -c . "$f") - 1))
  got=$(($(grep -c . "$out.tmp") - 1))
  if [ "$want" != "$got" ]; then
    echo "FAILED: $rel: $got output rows for $want input rows" >&2
    return 1
  fi
  mv "$out.tmp" "$out"
  [ -s "$out.err" ] || rm -f "$out.err"
}

files=()
while IFS= read -r f; do files+=("$f"); done < <(find "$NAB/data" -name '*.csv' | sort)
echo "running: $CMD <file> ${EXTRA[*]:-} on ${#files[@]} files -> $res" >&2
start=$(date +%s)
fail=0
if [ "$JOBS" -le 1 ]; then
  for f in "${files[@]}"; do
    if ! run_one "$f" "${EXTRA[@]}"; then
      fail=1
      rel="${f#"$NAB"/data/}"; err="$res/${rel%%/*}/${DET}_${rel##*/}.err"
      [ -s "$err" ] && head -n 5 "$err" >&2
      echo "run_vigil.sh: stopping at the first failure" >&2
      break
    fi
  done
else
  export NAB
  export -f run_one
  printf '%s\0' "${files[@]}" | xargs -0 -P "$JOBS" -I{} bash -c 'run_one "$@"' _ {} "${EXTRA[@]}" || fail=1
fi
echo "detector time: $(( $(date +%s) - start )) s" >&2
[ "$fail" = 0 ] || { echo "run_vigil.sh: some runs failed" >&2; exit 1; }

python3 "$here/nab_score.py" --nab "$NAB" --results "$res" --detector "$DET" --out "$res/scores" $VERBOSE
