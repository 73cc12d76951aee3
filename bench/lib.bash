# Shared start of the bench scripts (sourced, not a benchmark itself): strict
# mode, the C locale, the build folder ($1, default build), the repository
# root, bench/data for cached inputs, and a scratch folder removed on exit.
set -euo pipefail
export LC_ALL=C
build=${1:-build}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=$root/bench/data
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$data"

# timed OUT COMMAND...: runs COMMAND (its stdin and stdout as given) and
# writes "wall_seconds user_seconds sys_seconds peak_rss_kb" to OUT; returns
# COMMAND's status (callers test it: a failed run must not pass for a result).
timed() {
  local out=$1 status=0
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$out.time" "$@" || status=$?
  tail -1 "$out.time" >"$out"
  return "$status"
}
