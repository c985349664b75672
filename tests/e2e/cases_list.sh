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
	keys ':'; type_text termination; keys Enter
	expect "只显示待我审核的" || { wait $locker; return 1; }
	wait $locker
	expect "没有解约申请" || return 1
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

case_list_marks_survive_a_page_change() {
	local first second
	first=$(roster_col 14 | LC_ALL=C sort | head -n 1)
	second=$(roster_col 14 | LC_ALL=C sort | sed -n 2p)
	open_students zhang pw-zhang || return 1
	expect "显示 2000 / 2000 条" || return 1
	# Space marks the row and moves on; the header counts the marks
	keys Space
	expect "已标记 1" || return 1
	expect_line "│ ▸ $second" || return 1
	expect_line "│  \\*$first" || return 1
	# the last page replaces every row; the first page brings the mark back
	keys G
	expect_gone "$first" || return 1
	keys g
	expect "$first" || return 1
	expect_line "│ ▸\\*$first" || return 1
	expect "已标记 1" || return 1
	# a filter keeps it too; U clears every mark
	keys U
	expect "已取消全部标记" || return 1
	expect_not "已标记" || return 1
}

case_list_detail_is_a_pushed_view() {
	local first second third
	first=$(roster_col 14 | LC_ALL=C sort | head -n 1)
	second=$(roster_col 14 | LC_ALL=C sort | sed -n 2p)
	third=$(roster_col 14 | LC_ALL=C sort | sed -n 3p)
	open_students zhang pw-zhang || return 1
	expect "显示 2000 / 2000 条" || return 1
	keys Enter
	expect "学生名单 › " || return 1
	expect "（$first）" || return 1
	expect "] 下一条" || return 1
	# ] and [ move through the list without going back
	keys ']'
	expect "（$second）" || return 1
	keys ']'
	expect "（$third）" || return 1
	keys '['
	expect "（$second）" || return 1
	# the detail's help lists the detail's keys
	keys '?'
	expect "帮助：按键（详情页）" || return 1
	expect "下一条" || return 1
	expect_not "条件筛选" || return 1
	keys q
	# q pops the page: the list is where the detail left it
	keys q
	expect "学生名单  排序:学号↑" || return 1
	expect_line "│ ▸ $second" || return 1
}

case_list_paging_keys() {
	open_students zhang pw-zhang || return 1
	expect "显示 2000 / 2000 条" || return 1
	local rows
	rows=$(roster_col 14 | LC_ALL=C sort)
	# 22 rows fit at 100x30: Ctrl-D moves 11, Ctrl-F (PgDn; Space marks here) 21
	keys C-d
	expect_line "│ ▸ $(sed -n 12p <<<"$rows")" || return 1
	keys C-u
	expect_line "│ ▸ $(sed -n 1p <<<"$rows")" || return 1
	keys C-f
	expect_line "│ ▸ $(sed -n 22p <<<"$rows")" || return 1
	keys C-b
	expect_line "│ ▸ $(sed -n 1p <<<"$rows")" || return 1
}

case_list_accounts_space_pages() {
	open_accounts_as_zhang || return 1
	expect "院系账号" || return 1
	expect "显示 " || return 1
	expect_line "│ ▸ " || return 1
	local before after
	before=$(screen | grep "│ ▸ ")
	# accounts are not marked: Space pages there
	keys Space
	sleep 0.3
	after=$(screen | grep "│ ▸ ")
	[ -n "$after" ] && [ "$before" != "$after" ] || { echo "Space did not move: $before"; screen; return 1; }
	expect_not "已标记" || return 1
}

case_list_every_roster_field_is_a_column() {
	export XDG_STATE_HOME="$tmp/state-cols"
	open_students lisi pw-lisi || return 1
	keys c
	expect "列设置" || return 1
	expect "[ ] 考生号" || return 1
	expect "[ ] 生源所在地" || return 1
	# the last two are 手机号码 and 电子邮箱: show 手机号码
	keys G
	expect "[ ] 电子邮箱" || return 1
	keys k Space
	expect "[x] 手机号码" || return 1
	keys Enter
	expect_gone "列设置" || return 1
	# scrolled sideways to it (学号 and 姓名 stay)
	local i
	for i in $(seq 1 8); do keys l; done
	expect_line "学号.*姓名.*手机号码" || return 1
	expect_line "1[3-9][0-9]{9}" || return 1
	unset XDG_STATE_HOME
}

case_list_command_completion() {
	start_wq
	login zhang pw-zhang || return 1
	expect "张老师（学校用户）" || return 1
	keys ':'
	expect "Tab 补全" || return 1
	type_text stu; keys Tab
	expect ":students" || return 1
	keys Enter
	expect "学生名单  排序:学号↑" || return 1
	# an ambiguous beginning stays as typed
	keys ':'; type_text s; keys Tab
	expect_line "^:s$" || return 1
	keys Escape
}

case_list_keys_rebound_by_config() {
	cp "$tmp/wq.yaml" "$tmp/keys.yaml"
	printf 'keys:\n  FILTER: "F"\n' >>"$tmp/keys.yaml"
	new_term "$wq" --config "$tmp/keys.yaml"
	login zhang pw-zhang || return 1
	expect "张老师（学校用户）" || return 1
	keys ':'; type_text students; keys Enter
	expect "显示 2000 / 2000 条" || return 1
	expect "F 筛选" || return 1
	keys F; type_text "张"
	expect "筛选:张" || return 1
	# a key bound twice is refused with where
	cp "$tmp/wq.yaml" "$tmp/bad.yaml"; printf 'keys:\n  FILTER: "s"\n' >>"$tmp/bad.yaml"
	local out
	out=$("$wq" --config "$tmp/bad.yaml" --print-config 2>&1)
	grep -q "bad.yaml:[0-9]*:[0-9]*: keys: FILTER 的按键 “s” 已用于 SORT" <<<"$out" || { echo "$out"; return 1; }
}

case_list_popups_framed_at_80x24() {
	open_students zhang pw-zhang || return 1
	expect "显示 2000 / 2000 条" || return 1
	t resize-window -t e2e -x 80 -y 24
	keys f
	# the frame with its whole title, and nothing of the table inside it
	expect "┌─ 条件筛选：选择列 ─" || return 1
	expect_line "│ 院系 +│" || return 1
	expect "└─" || return 1
	keys Enter
	expect "┌─ 条件筛选：院系 ─" || return 1
	keys Escape c
	expect "┌─ 列设置 ─" || return 1
	expect_line "│ \\[x\\] 学号 +│" || return 1
	keys Escape
	expect_gone "列设置" || return 1
}
