#!/usr/bin/env bash
# run.sh SOURCE_ROOT TEST_BINARY [FILTER]: start a throwaway cluster, run the
# database tests against it, and remove it.  Exits 77 (skip) without PostgreSQL.
set -euo pipefail
src=$1 bin=$2
shift 2

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL 15 server not installed: skipping"; exit 77; }

tmp=$(mktemp -d /tmp/wq-dbtest.XXXXXX)
chmod 755 "$tmp"
cleanup() {
	"$src/db/cluster.sh" stop "$tmp/data" || true
	rm -rf "$tmp"
}
trap cleanup EXIT

"$src/db/cluster.sh" start "$tmp/data" "$tmp/run"
"$src/db/cluster.sh" createdb "$tmp/run" wq_test

export WQ_TEST_SOCK=$tmp/run WQ_TEST_DB=wq_test
"$bin" "$@"
