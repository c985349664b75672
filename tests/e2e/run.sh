#!/usr/bin/env bash
# run.sh SOURCE_ROOT WQ_BINARY [CASE...]: the screen tests.
#
# Starts a throwaway PostgreSQL cluster, migrates it and adds accounts with
# the real `wq admin` commands, then drives the real binary in tmux (fixed
# 100x30 terminal, LANG=C.UTF-8) with send-keys and reads the screen with
# capture-pane.  Prints cmocka-style result lines so every suite is counted
# alike.  Exits 77 (skip) when tmux or PostgreSQL is missing.
set -uo pipefail
src=$1 wq=$2
shift 2

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
command -v tmux >/dev/null || { echo "tmux not installed: skipping"; exit 77; }
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL 15 server not installed: skipping"; exit 77; }

tmp=$(mktemp -d /tmp/wq-e2e.XXXXXX)
chmod 755 "$tmp"
tsock=$tmp/tmux0.sock
nterm=0
cleanup() {
	tmux -S "$tsock" kill-server 2>/dev/null
	"$src/db/cluster.sh" stop "$tmp/data" || true
	rm -rf "$tmp"
}
trap cleanup EXIT

"$src/db/cluster.sh" start "$tmp/data" "$tmp/run" || exit 1
"$src/db/cluster.sh" createdb "$tmp/run" wq_e2e || exit 1
admin=("$wq" --dsn "host=$tmp/run dbname=wq_e2e user=postgres")
{
	"${admin[@]}" db migrate
	"${admin[@]}" admin province set 11 --name 北京市 --agreement-type three-party
	"${admin[@]}" admin school add 10001 --name 北京示例大学 --province 11
	printf 'pw-zhang\n' | "${admin[@]}" admin account add zhang --kind school --school 10001 --name 张老师 --password-stdin
	printf 'pw-lisi\n' | "${admin[@]}" admin account add lisi --kind dept --school 10001 --dept 计算机学院 --name 李四 --password-stdin
	printf 'pw-gone\n' | "${admin[@]}" admin account add gone --kind dept --school 10001 --dept 外国语学院 --name 赵六 --password-stdin
	"${admin[@]}" admin account lock gone
	# the school's roster, imported by the school user with the real command
	"$wq" demo roster "$tmp/roster.csv" --students 2000 --school 10001 --name 北京示例大学
	PGPASSWORD=pw-zhang "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=zhang" roster import "$tmp/roster.csv"
} >"$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; exit 1; }

cat >"$tmp/wq.yaml" <<EOF
version: 1
connection:
  dsn: "host=$tmp/run dbname=wq_e2e"
ui:
  login_delay_after: 3
EOF

# One SQL statement as the superuser: its rows, unaligned.
sql() {
	"$PGBIN/psql" -X -q -At -h "$tmp/run" -U postgres -d wq_e2e -c "$1"
}

# ---- tmux helpers -----------------------------------------------------------

t() { tmux -S "$tsock" "$@"; }

# Runs a command in a fresh 100x30 terminal: each case has its own tmux
# server, so a server still shutting down never takes the next case's window.
new_term() {
	t kill-server 2>/dev/null
	nterm=$((nterm + 1))
	tsock=$tmp/tmux$nterm.sock
	t -f /dev/null new-session -d -s e2e -x 100 -y 30 -c "$tmp" \
		env LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC ASAN_OPTIONS=detect_leaks=0 "$@"
	t set-option -t e2e remain-on-exit on >/dev/null
}

# Starts wq with the test configuration and any extra arguments.
start_wq() {
	new_term "$wq" --config "$tmp/wq.yaml" "$@"
}

keys() { t send-keys -t e2e "$@"; }
# Types text literally (a word like "home" would otherwise name a key).
type_text() { t send-keys -t e2e -l "$1"; }
screen() { t capture-pane -p -t e2e; }

# Waits (up to 5 s) until the screen shows the text; on failure prints the screen.
expect() {
	local i
	for i in $(seq 1 50); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "expected on screen: $1"
	echo "----- screen -----"
	screen
	echo "------------------"
	return 1
}

# Waits up to $1 seconds until the screen shows the text $2: for what comes
# later by design (a re-read put off to keep a burst of notifications cheap).
expect_within() {
	local i
	for i in $(seq 1 $(($1 * 10))); do
		screen | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	echo "expected on screen within $1 s: $2"
	echo "----- screen -----"
	screen
	echo "------------------"
	return 1
}

# Waits (up to 5 s) until the screen no longer shows the text.
expect_gone() {
	local i
	for i in $(seq 1 50); do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1
	done
	echo "still on screen: $1"
	screen
	return 1
}

# The screen does not show the text.
expect_not() {
	if screen | grep -qF -- "$1"; then
		echo "did not expect on screen: $1"
		screen
		return 1
	fi
}

# Waits (up to 5 s) until a line of the screen matches the extended regex.
expect_line() {
	local _
	for _ in $(seq 1 50); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	echo "expected a line matching: $1"
	echo "----- screen -----"
	screen
	echo "------------------"
	return 1
}

# Waits (up to 5 s) for the program in the terminal to end.
expect_exit() {
	local _
	for _ in $(seq 1 50); do
		[ "$(t display-message -p -t e2e '#{pane_dead}')" = 1 ] && return 0
		sleep 0.1
	done
	echo "the program did not end"
	screen
	return 1
}

login() {   # user password
	expect "用户名" || return 1
	type_text "$1"
	keys Enter
	type_text "$2"
	keys Enter
}

# ---- cases: every tests/e2e/cases_*.sh defines case_NAME functions ----------

for f in "$src"/tests/e2e/cases_*.sh; do
	# shellcheck source=/dev/null
	. "$f"
done

# ---- runner -------------------------------------------------------------------

cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
	mapfile -t cases < <(declare -F | awk '{print $3}' | grep '^case_' | sed 's/^case_//')
fi
passed=0
failed=()
echo "[==========] e2e: running ${#cases[@]} test(s)."
for c in "${cases[@]}"; do
	echo "[ RUN      ] $c"
	if "case_$c"; then
		echo "[       OK ] $c"
		passed=$((passed + 1))
	else
		echo "[  FAILED  ] $c"
		failed+=("$c")
	fi
done
echo "[==========] e2e: ${#cases[@]} test(s) run."
echo "[  PASSED  ] $passed test(s)."
if [ ${#failed[@]} -gt 0 ]; then
	echo "[  FAILED  ] ${#failed[@]} test(s), listed below:"
	for c in "${failed[@]}"; do echo "[  FAILED  ] $c"; done
	exit 1
fi
exit 0
