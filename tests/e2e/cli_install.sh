#!/usr/bin/env bash
# make install (issue 15): the Makefile's install command puts the binary and
# its man page under PREFIX inside DESTDIR; the man page renders and names
# every flag of every command's --help and every command of the shell's .help.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

# The command `make install` runs (without rebuilding this build directory).
cmd=$(make -s -n -C "$SOURCE_DIR" install BUILD="$BUILD_DIR" PREFIX=/opt/sluice-test DESTDIR="$WORK/root" |
  grep 'cmake --install') || fail "make install has no cmake --install step"
eval "$cmd" >install.log || { cat install.log; fail "make install's step failed"; }
bin=$WORK/root/opt/sluice-test/bin/sluice
man=$WORK/root/opt/sluice-test/share/man/man1/sluice.1
[ -x "$bin" ] || fail "no binary at PREFIX/bin/sluice: $(find root -type f)"
[ -f "$man" ] || fail "no man page at PREFIX/share/man/man1/sluice.1: $(find root -type f)"
"$bin" --version | grep -q '^sluice ' || fail "the installed binary does not run"

# The page renders without warnings and holds every flag and dot-command.
LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$man" 2>warn.txt
[ ! -s warn.txt ] || { cat warn.txt; fail "groff warns about the man page"; }
LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbou "$man" 2>/dev/null >page.txt
for h in "" run check nexmark; do
  # shellcheck disable=SC2086
  "$SLUICE" $h --help | grep -oE '(^|[ [])--?[a-z][a-z-]*' | sed 's/^[ [ ]//' | sort -u
done | sort -u >flags.txt
[ "$(wc -l <flags.txt)" -ge 10 ] || fail "too few flags read from --help: $(cat flags.txt)"
while read -r flag; do
  grep -q -- "$flag" page.txt || fail "the man page lacks $flag"
done <flags.txt
for c in run check nexmark; do grep -q "^       $c\b" page.txt || fail "the man page lacks command $c"; done
echo .help | "$SLUICE" --db "$WORK/h.db" 2>/dev/null |
  { grep -oE '(^|[ ,])[.\\][a-z?]+' || true; } | tr -d ' ,' | sort -u >dots.txt
[ "$(wc -l <dots.txt)" -ge 2 ] || fail "no commands read from .help"
while read -r dot; do
  grep -qF -- "$dot" page.txt || fail "the man page lacks the shell command $dot"
done <dots.txt
echo "cli_install: ok"
