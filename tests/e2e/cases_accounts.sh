# cases_accounts.sh: 账号管理, department clerk accounts (sourced by run.sh).
# ---- helpers ------------------------------------------------------------------

# Logs in as the school user and opens 账号管理.
open_accounts_as_zhang() {
	start_wq
	login zhang pw-zhang || return 1
	expect "张老师（学校用户）" || return 1
	keys ':'; type_text 'accounts'; keys Enter
	expect "账号管理 · 北京示例大学" || return 1
}

# Moves the list's selection (the content's ▸) to the first row showing the text.
select_row() {
	local _
	keys g
	for _ in $(seq 1 30); do
		sleep 0.1
		screen | grep -qE -- "│ ▸ .*$1" && return 0
		keys j
	done
	echo "no row shows: $1"
	screen
	return 1
}

# Presses the key (Up or Down) on the 院系 field until it shows the department.
pick_dept() {   # key department
	local _
	for _ in $(seq 1 20); do
		sleep 0.1
		screen | grep -qF -- "◂ $2 ▸" && return 0
		keys "$1"
	done
	echo "the 院系 field never showed: $2"
	screen
	return 1
}

# ---- cases --------------------------------------------------------------------

case_accounts_list() {
	open_accounts_as_zhang || return 1
	expect_line "院系 +登录名 +姓名 +状态" || return 1
	select_row "lisi" || return 1
	expect_line "李四 +正常" || return 1
	select_row "gone" || return 1
	expect_line "赵六 +已锁定" || return 1
}

case_accounts_add_clerk_and_login() {
	open_accounts_as_zhang || return 1
	select_row "lisi" || return 1
	keys a
	expect "添加院系账号" || return 1
	# the 院系 is the selected row's
	expect "◂ 计算机学院 ▸" || return 1
	# a login that is taken: the database says so and the form stays open
	type_text 'lisi'; keys Tab Tab
	type_text '王五'; keys Tab
	type_text 'pw-wangwu-1'; keys Tab
	type_text 'pw-wangwu-1'
	expect_not "pw-wangwu" || return 1
	keys Enter
	expect "登录名 lisi 已被使用" || return 1
	expect "Tab/↓ 下一项   S-Tab/↑ 上一项   Enter 下一项" || return 1
	# the focus is on 登录名 again; the passwords were kept
	keys C-u; type_text 'wangwu'
	keys C-s
	expect "已添加院系账号 wangwu（计算机学院）" || return 1
	expect_not "添加院系账号 ─" || return 1
	select_row "wangwu" || return 1
	expect_line "王五 +正常" || return 1
	# a new wq in a fresh terminal logs in with the new account
	start_wq
	login wangwu pw-wangwu-1 || return 1
	expect "计算机学院 · 王五（院系用户）· 北京示例大学" || return 1
}

case_accounts_add_form_errors() {
	open_accounts_as_zhang || return 1
	select_row "gone" || return 1
	keys a
	expect "◂ 外国语学院 ▸" || return 1
	# ←/→ on the 院系 field choose from the school's departments
	keys Tab
	expect "←/→/Space 选择" || return 1
	pick_dept Left "计算机学院" || return 1
	pick_dept Right "外国语学院" || return 1
	keys BTab
	# an empty 登录名 is refused beside the field, on submit
	keys C-s
	expect_line "登录名 +\[ +\] +请输入登录名" || return 1
	type_text 'qianba'
	expect_not "请输入登录名" || return 1
	keys Enter Enter
	type_text '钱八'; keys Enter
	type_text 'short'; keys Enter
	type_text 'short'; keys Enter
	# the message stands beside the field it is about; both passwords are typed again
	expect_line "密码 +\[ +\] +密码至少 8 个字符" || return 1
	expect_line "确认密码 +\[ +\]" || return 1
	type_text 'pw-qianba-1'; keys Enter
	type_text 'pw-qianba-2'; keys Enter
	expect_line "确认密码 +\[ +\] +两次输入的密码不一致" || return 1
	# Esc with something typed asks first; n keeps the form
	keys Escape
	expect "有 2 项修改尚未保存，确定放弃？" || return 1
	keys n
	expect_gone "确定放弃" || return 1
	expect "[ 添加（Ctrl-S）]" || return 1
	keys Escape
	expect "确定放弃" || return 1
	keys y
	expect "已取消添加院系账号" || return 1
	expect_not "qianba" || return 1
	# the account really does not exist
	start_wq
	login qianba pw-qianba-1 || return 1
	expect "用户名或密码错误" || return 1
}

case_accounts_department_without_account() {
	# a department of the roster that has no clerk yet
	"$PGBIN/psql" -X -q -h "$tmp/run" -U postgres -d wq_e2e \
		-c "INSERT INTO wq.department (school_code, name) VALUES ('10001', '数学学院')" \
		>"$tmp/psql.log" 2>&1 || { cat "$tmp/psql.log"; return 1; }
	open_accounts_as_zhang || return 1
	select_row "数学学院 +（尚无院系账号）" || return 1
	expect "a 添加院系账号   : 命令" || return 1
	keys L
	expect "这个院系还没有账号，按 a 添加" || return 1
	keys p
	expect "这个院系还没有账号，按 a 添加" || return 1
	keys a
	expect "◂ 数学学院 ▸" || return 1
	type_text 'sunjiu'; keys Enter Enter
	type_text '孙九'; keys Enter
	type_text 'pw-sunjiu-1'; keys Enter
	type_text 'pw-sunjiu-1'; keys Enter
	expect "已添加院系账号 sunjiu（数学学院）" || return 1
	screen | grep "数学学院" | grep -q "sunjiu" || { echo "数学学院 still has no account"; screen; return 1; }
}

case_accounts_lock_and_unlock() {
	printf 'pw-zhou-1\n' | "${admin[@]}" admin account add zhou --kind dept --school 10001 \
		--dept 化学学院 --name 周七 --password-stdin >"$tmp/admin.log" 2>&1 || { cat "$tmp/admin.log"; return 1; }
	open_accounts_as_zhang || return 1
	select_row "zhou" || return 1
	keys L
	# the confirm dialog: framed, the focus on 取消
	expect "┌─ 锁定院系账号 " || return 1
	expect "确定锁定 zhou（周七，化学学院）？" || return 1
	expect "[ 锁定（y）]" || return 1
	expect "y 锁定   n/Esc 取消" || return 1
	# n cancels; the key that asked does not confirm
	keys n
	expect "已取消" || return 1
	expect_not "确定锁定" || return 1
	# Enter on 取消 (where the focus starts) cancels too
	keys L
	expect "确定锁定 zhou" || return 1
	keys Enter
	expect "已取消" || return 1
	expect_line "周七 +正常" || return 1
	keys L
	expect "确定锁定 zhou" || return 1
	keys L
	sleep 0.3
	expect "确定锁定 zhou" || return 1
	expect_line "周七 +正常" || return 1
	keys y
	expect "已锁定 zhou" || return 1
	expect_line "周七 +已锁定" || return 1
	# its login now fails
	start_wq
	login zhou pw-zhou-1 || return 1
	expect "账号已被锁定" || return 1
	# unlocked again, it logs in
	open_accounts_as_zhang || return 1
	select_row "zhou" || return 1
	keys L
	expect "确定解锁 zhou（周七，化学学院）？" || return 1
	expect "[ 解锁（y）]" || return 1
	keys y
	expect "已解锁 zhou" || return 1
	expect_line "周七 +正常" || return 1
	start_wq
	login zhou pw-zhou-1 || return 1
	expect "化学学院 · 周七（院系用户）" || return 1
}

case_accounts_reset_password() {
	printf 'pw-wu-old1\n' | "${admin[@]}" admin account add wushi --kind dept --school 10001 \
		--dept 外国语学院 --name 吴十 --password-stdin >"$tmp/admin.log" 2>&1 || { cat "$tmp/admin.log"; return 1; }
	open_accounts_as_zhang || return 1
	select_row "wushi" || return 1
	keys p
	expect "重设密码" || return 1
	expect "wushi（吴十，外国语学院）" || return 1
	type_text 'pw-wu-new1'; keys Enter
	type_text 'pw-wu-new2'; keys Enter
	expect "两次输入的密码不一致" || return 1
	type_text 'pw-wu-new1'; keys Enter
	type_text 'pw-wu-new1'; keys Enter
	expect "已重设 wushi 的密码" || return 1
	start_wq
	login wushi pw-wu-old1 || return 1
	expect "用户名或密码错误" || return 1
	type_text 'pw-wu-new1'; keys Enter
	expect "外国语学院 · 吴十（院系用户）" || return 1
}
