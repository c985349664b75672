#!/usr/bin/env bash
# summary.sh TESTLOG: one line "N passed, N failed" over every suite.
#
# Counts test cases, not executables: each suite (cmocka, the database tests,
# the tmux screen tests) prints cmocka's "[  PASSED  ] N test(s)." and
# "[  FAILED  ] N test(s)" lines.  An executable that failed without saying
# how many of its cases failed (a crash, a timeout) counts as one failure.
set -euo pipefail
log=${1:?usage: summary.sh TESTLOG}
awk '
function flush() {
	if (!intest) return
	if (result ~ /SKIP|exit status 77/) { skipped++; }
	else {
		passed += p; failed += f
		if (result !~ /exit status 0/ && f == 0) failed++
	}
	intest = 0; p = 0; f = 0; result = ""
}
/^=+ [0-9]+\/[0-9]+ =+$/ { flush(); intest = 1; next }
/^result:/ { result = $0 }
/^\[  PASSED  \] [0-9]+ test/ { p += $4 }
/^\[  FAILED  \] [0-9]+ test/ { f += $4 }
END { flush(); printf "%d passed, %d failed", passed, failed; if (skipped) printf ", %d skipped", skipped; printf "\n" }
' "$log"
