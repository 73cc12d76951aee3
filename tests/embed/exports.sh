#!/bin/sh
# exports.sh LIBSLUICE.so — fails if the library exports a symbol that is not
# sluice_*: everything else is built hidden, so a leak means a missing
# visibility setting, or a function that belongs in sluice.h.
set -eu
lib=$1
exported=$(nm -D --defined-only "$lib" | awk '{ print $3 }')
[ -n "$exported" ] || { echo "exports.sh: $lib exports nothing" >&2; exit 1; }
leaked=$(printf '%s\n' "$exported" | grep -v '^sluice_' || true)
if [ -n "$leaked" ]; then
    echo "exports.sh: $lib exports symbols outside sluice.h:" >&2
    printf '%s\n' "$leaked" >&2
    exit 1
fi
echo "$(printf '%s\n' "$exported" | wc -l) symbols exported, all sluice_*"
