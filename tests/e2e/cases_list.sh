# cases_list.sh: the shared list, the view stack and the session (sourced by run.sh).

# The pid of wq in the test terminal.
wq_pid() {
	t list-panes -t e2e -F '#{pane_pid}'
}

# CPU ticks (utime + stime) wq has used so far.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

case_list_idle_after_leaving_a_running_query() {
	local pid before after hz locker
	open_students zhang pw-zhang || return 1
	expect "显示 2000 / 2000 条" || return 1
	# another session holds the roster's table, so the next query waits
	"$PGBIN/psql" -X -q -h "$tmp/run" -U postgres -d wq_e2e \
		-c "BEGIN; LOCK TABLE wq.student IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(3); COMMIT;" >/dev/null &
	locker=$!
	sleep 0.5
	keys /; type_text "张"; keys Escape
	keys ':'; type_text signing; keys Enter
	expect "「在线签约」模块尚未开放" || { wait $locker; return 1; }
	wait $locker
	sleep 1
	pid=$(wq_pid)
	hz=$(getconf CLK_TCK)
	before=$(cpu_ticks "$pid")
	sleep 3
	after=$(cpu_ticks "$pid")
	# idle: well under a tenth of one core over three seconds
	if [ $((after - before)) -gt $((hz * 3 / 10)) ]; then
		echo "wq used $((after - before)) ticks of CPU in 3 idle seconds ($hz a second)"
		return 1
	fi
	# and 学生名单 still works afterwards
	keys ':'; type_text students; keys Enter
	expect "显示 2000 / 2000 条" || return 1
}

case_list_terminated_session_shown_as_lost() {
	open_students zhang pw-zhang || return 1
	expect "显示 2000 / 2000 条" || return 1
	expect "● 已连接" || return 1
	sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'zhang'" >/dev/null
	# noticed while idle, in Chinese
	expect "连接已断开" || return 1
	expect "按 R 重新连接" || return 1
	expect_not "terminating connection" || return 1
	keys R
	expect "● 已连接" || return 1
	expect "显示 2000 / 2000 条" || return 1
}
