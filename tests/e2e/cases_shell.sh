# cases_shell.sh: login, the main screen, help, commands, resizing (sourced by run.sh).
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
	expect "帮助：按键（模块列表）" || return 1
	expect ":students" || return 1
	expect "直接退出" || return 1
	keys Escape
	expect "欢迎，李四（院系用户）" || return 1
}

case_command_line_opens_modules() {
	start_wq
	login lisi pw-lisi || return 1
	expect "李四（院系用户）" || return 1
	keys ':'; type_text 'termination'; keys Enter
	expect "没有解约申请" || return 1
	keys ':'; type_text 'signing'; keys Enter
	expect "在线签约管理" || return 1
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
	keys j j j j
	expect "▸解约管理" || return 1
	keys j k
	expect "▸解约管理" || return 1
	keys Enter
	expect "没有解约申请" || return 1
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
	# the confirm dialog, framed, the focus on 取消
	expect "┌─ 退出 " || return 1
	expect "确定退出 wq？" || return 1
	expect "[ 退出（y）]" || return 1
	keys n
	expect_gone "确定退出 wq？" || return 1
	# q (the key that asked) never confirms; nor does Enter on 取消
	keys q
	expect "确定退出 wq？" || return 1
	keys q
	expect_gone "确定退出 wq？" || return 1
	keys q Enter
	expect_gone "确定退出 wq？" || return 1
	[ "$(t display-message -p -t e2e '#{pane_dead}')" = 1 ] && { echo "wq exited"; return 1; }
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

