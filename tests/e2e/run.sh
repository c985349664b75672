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
} >"$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; exit 1; }

cat >"$tmp/wq.yaml" <<EOF
version: 1
connection:
  dsn: "host=$tmp/run dbname=wq_e2e"
ui:
  login_delay_after: 3
EOF

# ---- tmux helpers -----------------------------------------------------------

t() { tmux -S "$tsock" "$@"; }

# Runs a command in a fresh 100x30 terminal: each case has its own tmux
# server, so a server still shutting down never takes the next case's window.
new_term() {
	t kill-server 2>/dev/null
	nterm=$((nterm + 1))
	tsock=$tmp/tmux$nterm.sock
	t -f /dev/null new-session -d -s e2e -x 100 -y 30 \
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

# The screen does not show the text.
expect_not() {
	if screen | grep -qF -- "$1"; then
		echo "did not expect on screen: $1"
		screen
		return 1
	fi
}

login() {   # user password
	expect "用户名" || return 1
	type_text "$1"
	keys Enter
	type_text "$2"
	keys Enter
}

# ---- cases --------------------------------------------------------------------

case_dept_clerk_login() {
	start_wq
	login lisi pw-lisi || return 1
	expect "计算机学院 · 李四（院系用户）· 北京示例大学 · 三方协议" || return 1
	expect "● 已连接" || return 1
	# a department user has no 账号管理 and no 预警单位
	expect "签约设置" || return 1
	expect_not "账号管理" || return 1
	expect_not "预警单位" || return 1
}

case_school_user_sees_all_modules() {
	start_wq
	login zhang pw-zhang || return 1
	expect "北京示例大学 · 张老师（学校用户）" || return 1
	expect "账号管理" || return 1
	expect "预警单位" || return 1
}

case_wrong_password() {
	start_wq
	login lisi wrong || return 1
	expect "用户名或密码错误，请重试（还可尝试 2 次）" || return 1
	# the password field was cleared; the right password now works
	type_text pw-lisi; keys Enter
	expect "计算机学院 · 李四（院系用户）" || return 1
}

case_repeated_failures_make_the_user_wait() {
	start_wq
	login lisi bad1 || return 1
	expect "还可尝试 2 次" || return 1
	type_text bad2; keys Enter
	expect "还可尝试 1 次" || return 1
	type_text bad3; keys Enter
	expect "登录失败次数过多，请等待" || return 1
	# while waiting, typed keys do nothing
	type_text pw-lisi; keys Enter
	sleep 0.5
	expect_not "李四（院系用户）" || return 1
}

case_locked_account() {
	start_wq
	login gone pw-gone || return 1
	expect "账号已被锁定，请联系学校就业部门" || return 1
}

case_passwordless_login() {
	# a password from ~/.pgpass (here PGPASSFILE): no login screen at all
	printf '*:*:*:lisi:pw-lisi\n' >"$tmp/pgpass"
	chmod 600 "$tmp/pgpass"
	new_term env PGPASSFILE="$tmp/pgpass" "$wq" --config "$tmp/wq.yaml" \
		--dsn "host=$tmp/run dbname=wq_e2e user=lisi"
	expect "计算机学院 · 李四（院系用户）" || return 1
	expect_not "密  码" || return 1
}

case_unknown_server() {
	start_wq --dsn "host=no-such-host.invalid dbname=wq_e2e"
	login lisi pw-lisi || return 1
	expect "找不到服务器 no-such-host.invalid/wq_e2e，请检查服务器地址" || return 1
}

case_connection_lost_and_back() {
	start_wq
	login lisi pw-lisi || return 1
	expect "● 已连接" || return 1
	"$src/db/cluster.sh" stop "$tmp/data"
	keys R
	expect "○ 连接已断开" || return 1
	expect "与数据库的连接已断开，按 R 重试" || return 1
	"$src/db/cluster.sh" start "$tmp/data" "$tmp/run"
	keys R
	expect "● 已连接" || return 1
	expect "已刷新" || return 1
}

case_server_down() {
	start_wq --dsn "host=$tmp/nowhere dbname=wq_e2e"
	login lisi pw-lisi || return 1
	expect "服务器未运行或拒绝连接" || return 1
}

case_help() {
	start_wq
	login lisi pw-lisi || return 1
	expect "李四（院系用户）" || return 1
	keys '?'
	expect "帮助：按键" || return 1
	expect ":students" || return 1
	expect "直接退出" || return 1
	keys Escape
	expect "欢迎，李四（院系用户）" || return 1
}

case_command_line_opens_modules() {
	start_wq
	login lisi pw-lisi || return 1
	expect "李四（院系用户）" || return 1
	keys ':'; type_text 'students'; keys Enter
	expect "「学生名单」模块尚未开放" || return 1
	keys ':'; type_text 'accounts'; keys Enter
	expect "院系用户不能使用「账号管理」" || return 1
	keys ':'; type_text 'nonsense'; keys Enter
	expect "未知命令：nonsense" || return 1
	keys ':'; type_text 'home'; keys Enter
	expect "欢迎，李四" || return 1
}

case_sidebar_moves() {
	start_wq
	login lisi pw-lisi || return 1
	expect "▸首页" || return 1
	keys j j
	expect "▸在线签约" || return 1
	keys k
	expect "▸学生名单" || return 1
	keys Enter
	expect "「学生名单」模块尚未开放" || return 1
}

case_resize_below_minimum() {
	start_wq
	login lisi pw-lisi || return 1
	expect "李四（院系用户）" || return 1
	t resize-window -t e2e -x 70 -y 20
	expect "终端窗口太小" || return 1
	expect "当前 70x20" || return 1
	t resize-window -t e2e -x 100 -y 30
	expect "计算机学院 · 李四（院系用户）" || return 1
	expect_not "终端窗口太小" || return 1
}

case_quit_asks_first() {
	start_wq
	login lisi pw-lisi || return 1
	expect "李四（院系用户）" || return 1
	keys q
	expect "确定退出 wq？" || return 1
	keys n
	expect_not "确定退出 wq？" || return 1
	keys q y
	for _ in $(seq 1 50); do
		[ "$(t display-message -p -t e2e '#{pane_dead}')" = 1 ] && return 0
		sleep 0.1
	done
	echo "wq did not exit after q, y"
	return 1
}

case_ascii_and_no_color() {
	new_term env NO_COLOR=1 "$wq" --config "$tmp/wq.yaml" --ascii
	login lisi pw-lisi || return 1
	expect " 网签 | 计算机学院" || return 1
	expect ">首页" || return 1
	expect_not "│" || return 1
}

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
