# cases_passwd.sh: a user changes their own password (sourced by run.sh).

case_passwd_on_the_screen() {
	printf 'pw-own-old1\n' | "${admin[@]}" admin account add feng --kind dept --school 10001 \
		--dept 化学学院 --name 冯一 --password-stdin >"$tmp/admin.log" 2>&1 || { cat "$tmp/admin.log"; return 1; }
	start_wq
	login feng pw-own-old1 || return 1
	expect "化学学院 · 冯一（院系用户）" || return 1
	keys ':'; type_text 'passwd'; keys Enter
	expect "┌─ 修改本人密码 " || return 1
	expect "feng（冯一，本人）" || return 1
	type_text 'pw-own-new1'; keys Tab
	type_text 'pw-own-new2'
	expect_not "pw-own" || return 1
	keys Enter
	expect "两次输入的密码不一致" || return 1
	type_text 'short'; keys Tab; type_text 'short'; keys C-s
	expect "密码至少 8 个字符" || return 1
	type_text 'pw-own-new1'; keys Tab
	type_text 'pw-own-new1'; keys Enter
	expect "已修改本人（feng）的密码" || return 1
	expect_gone "┌─ 修改本人密码 " || return 1
	# the event, by the account itself
	[ "$(sql "SELECT count(*) FROM wq.event WHERE entity = 'account' AND entity_id = 'feng' AND action = 'own_password' AND actor = 'feng'")" = 1 ] \
		|| { echo "no event row"; return 1; }
	# the old password no longer logs in, the new one does
	start_wq
	login feng pw-own-old1 || return 1
	expect "用户名或密码错误" || return 1
	type_text 'pw-own-new1'; keys Enter
	expect "化学学院 · 冯一（院系用户）" || return 1
	# Esc with something typed asks first
	keys ':'; type_text 'passwd'; keys Enter
	expect "┌─ 修改本人密码 " || return 1
	type_text 'abc'; keys Escape
	expect "确定放弃？" || return 1
	keys y
	expect "已取消修改密码" || return 1
}

case_passwd_on_the_command_line() {
	local dsn="host=$tmp/run dbname=wq_e2e user=sun"
	printf 'pw-cli-old1\n' | "${admin[@]}" admin account add sun --kind dept --school 10001 \
		--dept 物理学院 --name 孙二 --password-stdin >"$tmp/admin.log" 2>&1 || { cat "$tmp/admin.log"; return 1; }
	# --password-stdin; too short is refused and changes nothing
	printf 'short\n' | PGPASSWORD=pw-cli-old1 "$wq" --dsn "$dsn" passwd --password-stdin >"$tmp/passwd.log" 2>&1 \
		&& { echo "a short password was taken"; return 1; }
	grep -q "密码至少 8 个字符" "$tmp/passwd.log" || { cat "$tmp/passwd.log"; return 1; }
	printf 'pw-cli-new1\n' | PGPASSWORD=pw-cli-old1 "$wq" --dsn "$dsn" passwd --password-stdin >"$tmp/passwd.log" 2>&1 \
		|| { cat "$tmp/passwd.log"; return 1; }
	grep -q "已修改 sun 的密码" "$tmp/passwd.log" || { cat "$tmp/passwd.log"; return 1; }
	PGPASSWORD=pw-cli-new1 "$wq" --dsn "$dsn" settings show >"$tmp/passwd.log" 2>&1 || { cat "$tmp/passwd.log"; return 1; }
	PGPASSWORD=pw-cli-old1 "$wq" --dsn "$dsn" settings show >"$tmp/passwd.log" 2>&1 && { echo "the old password still works"; return 1; }
	# on a terminal it asks twice without echo
	new_term env PGPASSWORD=pw-cli-new1 "$wq" --dsn "$dsn" passwd
	expect "新密码：" || return 1
	type_text 'pw-cli-new2'; keys Enter
	expect "再输入一次：" || return 1
	type_text 'pw-cli-new2'; keys Enter
	expect "已修改 sun 的密码" || return 1
	expect_not "pw-cli-new2" || return 1
	expect_exit || return 1
	PGPASSWORD=pw-cli-new2 "$wq" --dsn "$dsn" settings show >"$tmp/passwd.log" 2>&1 || { cat "$tmp/passwd.log"; return 1; }
	[ "$(sql "SELECT count(*) FROM wq.event WHERE entity_id = 'sun' AND action = 'own_password'")" = 2 ] \
		|| { echo "expected two event rows"; return 1; }
}
