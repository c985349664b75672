# cases_lock.sh: a clerk whose account is locked while logged in is told so,
# and by whom (sourced by run.sh).

case_locked_clerk_is_told_who_locked() {
	printf 'pw-wu-long1\n' | "${admin[@]}" admin account add wu --kind dept --school 10001 \
		--dept 化学学院 --name 吴八 --password-stdin >"$tmp/admin.log" 2>&1 || { cat "$tmp/admin.log"; return 1; }
	start_wq
	login wu pw-wu-long1 || return 1
	expect "吴八（院系用户）" || return 1
	sleep 0.5
	PGPASSWORD=pw-zhang "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=zhang" account lock wu \
		>"$tmp/lock.log" 2>&1 || { cat "$tmp/lock.log"; return 1; }
	expect "账号已被 张老师（学校用户）于" || return 1
	expect "连接已结束；请联系学校管理员" || return 1
	# R cannot log in again, and says why
	keys R
	expect "不能再登录；请联系学校管理员" || return 1
	[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE usename = 'wu'")" = 0 ] \
		|| { echo "wu still has a session"; return 1; }
}
