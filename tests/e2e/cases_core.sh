# cases_core.sh: the command line's output (tables, escapes, standard output),
# its password prompt, and 首页's counts (sourced by run.sh).

# wq as the school user zhang, without a terminal.
wqz() {
	PGPASSWORD=pw-zhang "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=zhang" "$@"
}

# Checks that in every line of the file with at least N fields (split at runs
# of two or more spaces) field N starts at the same display column
# (East Asian wide characters count two).
same_column() {   # file N
	python3 - "$1" "$2" <<'PY'
import re, sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
n = int(sys.argv[2])
cols = {}
for line in open(sys.argv[1], encoding='utf-8'):
    line = line.rstrip('\n')
    parts = [m.start() for m in re.finditer(r'(?<=\S)  +(?=\S)', line)]
    if len(parts) < n - 1:
        continue
    m = list(re.finditer(r'  +', line))[n - 2]
    cols.setdefault(width(line[:m.end()]), []).append(line)
if len(cols) != 1:
    print("field %d does not line up:" % n)
    for c, lines in cols.items():
        for l in lines:
            print("  column %d: %s" % (c, l))
    sys.exit(1)
PY
}

# Sets zhang's school's 就业协议经办人 to the text as the superuser, past any
# CHECK on the column: the checks that name it are dropped and added back NOT
# VALID (kept for every new row) in the same transaction.
set_handler_raw() {   # SQL expression
	sql "DO \$\$
DECLARE c record;
BEGIN
	CREATE TEMP TABLE saved_checks ON COMMIT DROP AS
		SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
		 WHERE conrelid = 'wq.school_settings'::regclass AND contype = 'c'
		   AND pg_get_constraintdef(oid) LIKE '%handler%';
	FOR c IN SELECT * FROM saved_checks LOOP
		EXECUTE format('ALTER TABLE wq.school_settings DROP CONSTRAINT %I', c.conname);
	END LOOP;
	UPDATE wq.school_settings SET handler = $1 WHERE school_code = '10001';
	FOR c IN SELECT * FROM saved_checks LOOP
		EXECUTE format('ALTER TABLE wq.school_settings ADD CONSTRAINT %I %s NOT VALID', c.conname, c.def);
	END LOOP;
END
\$\$" >/dev/null
}

case_settings_show_lines_up_and_escapes_control_characters() {
	local old
	old=$(sql "SELECT handler FROM wq.school_settings WHERE school_code = '10001'")
	# ESC, an OSC 52 clipboard write and a screen clear, stored in a value
	set_handler_raw "E'张\\x1b]52;c;aGk=\\x07老师\\x1b[2J'" || return 1
	wqz settings show >"$tmp/show.txt" 2>&1 || { cat "$tmp/show.txt"; return 1; }
	set_handler_raw "'$old'"
	contains "$tmp/show.txt" '张\x1b]52;c;aGk=\x07老师\x1b[2J' || return 1
	if grep -q $'\x1b\|\x07' "$tmp/show.txt"; then
		echo "a control character reached the terminal"; cat -v "$tmp/show.txt"; return 1
	fi
	contains "$tmp/show.txt" "毕业生可提交解约申请最大次数" || return 1
	same_column "$tmp/show.txt" 2 || return 1
	same_column "$tmp/show.txt" 3 || return 1
}

case_account_list_lines_up() {
	wqz account list >"$tmp/list.txt" 2>&1 || { cat "$tmp/list.txt"; return 1; }
	contains "$tmp/list.txt" "计算机学院" || return 1
	contains "$tmp/list.txt" "（尚无院系账号）" || return 1
	same_column "$tmp/list.txt" 2 || return 1
	same_column "$tmp/list.txt" 3 || return 1
}

case_export_to_standard_output() {
	local n
	wqz roster export - >"$tmp/stdout.csv" 2>"$tmp/stderr.txt" || { cat "$tmp/stderr.txt"; return 1; }
	n=$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10001'")
	contains "$tmp/stderr.txt" "已导出 $n 名学生到标准输出" || return 1
	[ "$(head -c 3 "$tmp/stdout.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || { echo "no BOM"; return 1; }
	[ "$(wc -l <"$tmp/stdout.csv")" -eq $((n + 1)) ] || { echo "expected $((n + 1)) lines"; return 1; }
	head -n 1 "$tmp/stdout.csv" | grep -q "考生号,姓名,性别,身份证号" || { head -n 1 "$tmp/stdout.csv"; return 1; }
	wqz roster export - --format xlsx >"$tmp/stdout.xlsx" 2>"$tmp/stderr.txt" || { cat "$tmp/stderr.txt"; return 1; }
	[ "$(head -c 2 "$tmp/stdout.xlsx")" = PK ] || { echo "not a zip"; return 1; }
	# a system error says its cause in Chinese
	wqz roster export "$tmp/no/such/dir/x.csv" >"$tmp/out.txt" 2>&1 && { echo "succeeded"; return 1; }
	contains "$tmp/out.txt" "文件或目录不存在" || return 1
}

case_command_line_asks_for_the_password() {
	new_term env -u PGPASSWORD "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=zhang" settings show
	expect "密码：" || return 1
	type_text "pw-zhang"
	keys Enter
	expect "online_signing" || return 1
	expect "在线签约开关" || return 1
	expect_not "pw-zhang" || return 1
	expect_not "请输入密码" || return 1
	# a wrong one is refused as at the login screen
	new_term env -u PGPASSWORD "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=zhang" settings show
	expect "密码：" || return 1
	type_text "wrong"
	keys Enter
	expect "用户名或密码错误" || return 1
}

case_a_clerk_is_refused_in_chinese() {
	PGPASSWORD=pw-lisi "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=lisi" settings set max_terminations=3 \
		>"$tmp/out.txt" 2>&1 && { echo "succeeded"; return 1; }
	contains "$tmp/out.txt" "没有权限执行此操作" || return 1
	if grep -q "permission denied" "$tmp/out.txt"; then cat "$tmp/out.txt"; return 1; fi
	PGPASSWORD=pw-lisi "$wq" --verbose --dsn "host=$tmp/run dbname=wq_e2e user=lisi" settings set max_terminations=3 \
		>"$tmp/out.txt" 2>&1
	contains "$tmp/out.txt" "原文：permission denied" || return 1
}

case_home_shows_the_students_of_the_scope() {
	local n v
	n=$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10001'")
	v=$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10001' AND verify_status = 'unverified'")
	start_wq
	login zhang pw-zhang || return 1
	expect "本校学生" || return 1
	expect_line "学生人数 +$n\b" || return 1
	expect_line "未核对 +$v\b" || return 1
	expect "有网签资格" || return 1
	expect "信息不一致" || return 1
	expect_not "院系数" || return 1
	n=$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10001' AND dept = '计算机学院'")
	start_wq
	login lisi pw-lisi || return 1
	expect "本院系学生" || return 1
	expect_line "学生人数 +$n\b" || return 1
}
