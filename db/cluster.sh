#!/usr/bin/env bash
# cluster.sh: a local PostgreSQL 15 cluster for development and tests.
#
#   db/cluster.sh start DATA SOCKDIR   initialise DATA if empty, then start (reused when running)
#   db/cluster.sh stop DATA            stop, if running
#   db/cluster.sh createdb SOCKDIR NAME
#   db/cluster.sh status DATA
#
# The cluster listens only on a unix socket in SOCKDIR (no TCP port, so
# clusters never collide).  Its superuser is "postgres", reached by peer
# authentication from the invoking OS user; every other role logs in with a
# SCRAM password.  PostgreSQL refuses to run as root: when run as root, the
# cluster runs as the postgres system user and DATA and SOCKDIR belong to it.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

prepare_dir() {
	mkdir -p "$1"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres:postgres "$1"
	fi
	chmod 700 "$1"
}

cmd=${1:-}
case "$cmd" in
start)
	data=$2 sock=$3
	prepare_dir "$sock"
	if [ ! -s "$data/PG_VERSION" ]; then
		prepare_dir "$data"
		as_owner "$PGBIN/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
			--auth-local=peer --auth-host=scram-sha-256 >"$data.initdb.log" 2>&1 \
			|| { cat "$data.initdb.log" >&2; exit 1; }
		osuser=$(id -un)
		as_owner tee "$data/pg_ident.conf" >/dev/null <<-IDENT
			# MAPNAME  SYSTEM-USERNAME  PG-USERNAME
			wqdev      $osuser          postgres
			wqdev      postgres         postgres
		IDENT
		as_owner tee "$data/pg_hba.conf" >/dev/null <<-HBA
			# The superuser by peer (the developer's own OS user); everyone else by password.
			local  all  postgres                 peer map=wqdev
			local  all  all                      scram-sha-256
		HBA
		as_owner tee -a "$data/postgresql.conf" >/dev/null <<-CONF
			listen_addresses = ''
			unix_socket_directories = '$sock'
			password_encryption = 'scram-sha-256'
			fsync = off
			max_connections = 50
			shared_buffers = 128MB
			log_min_messages = warning
			lc_messages = 'C'
		CONF
	fi
	if as_owner "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		exit 0
	fi
	as_owner "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
		-o "-k $sock" start >/dev/null \
		|| { tail -n 20 "$data/server.log" >&2; exit 1; }
	;;
stop)
	data=$2
	if [ -s "$data/PG_VERSION" ] && as_owner "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		as_owner "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
	fi
	;;
status)
	as_owner "$PGBIN/pg_ctl" -D "$2" status
	;;
createdb)
	sock=$2 name=$3
	exists=$(psql -X -q -At -h "$sock" -U postgres -d postgres \
		-c "SELECT 1 FROM pg_database WHERE datname = '$name'")
	if [ "$exists" != 1 ]; then
		psql -X -q -h "$sock" -U postgres -d postgres -v ON_ERROR_STOP=1 \
			-c "CREATE DATABASE \"$name\"" >/dev/null
	fi
	;;
*)
	echo "usage: db/cluster.sh start DATA SOCKDIR | stop DATA | status DATA | createdb SOCKDIR NAME" >&2
	exit 64
	;;
esac
