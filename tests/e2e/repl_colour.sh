#!/usr/bin/env bash
# Colours at a terminal only: the prompt and an error are coloured in a
# pty, not with NO_COLOR set (no-color.org), and never in a pipe.
source "$(dirname "$0")/lib.bash"
cd "$WORK"
command -v script >/dev/null || fail "script(1) (util-linux) is needed"

session() {
  { sleep 0.5; printf 'SELECT nope FROM nowhere_at_all;\n'; sleep 0.5; printf '.quit\n'; } |
    HOME="$WORK" TERM=xterm "$@" script -q -c "$SLUICE --db c.db" /dev/null >screen.txt 2>&1 || true
}

session env -u NO_COLOR
grep -q $'\033\\[1;34msluice>' screen.txt || { cat -v screen.txt; fail "no coloured prompt at a terminal"; }
grep -q $'\033\\[1;31m.*error' screen.txt || { cat -v screen.txt; fail "no coloured error at a terminal"; }

session env NO_COLOR=1
grep -q 'sluice> ' screen.txt || { cat -v screen.txt; fail "no prompt"; }
grep -q 'error' screen.txt || { cat -v screen.txt; fail "no error"; }
if grep -q $'\033\\[[0-9;]*m' screen.txt; then cat -v screen.txt; fail "colours with NO_COLOR set"; fi

printf 'SELECT nope FROM nowhere_at_all;\n' | env -u NO_COLOR "$SLUICE" --db c.db >pipe.txt 2>&1 || true
grep -q 'error' pipe.txt || fail "no error in the pipe"
if grep -q $'\033' pipe.txt; then cat -v pipe.txt; fail "colours in a pipe"; fi
echo "1 passed, 0 failed"
