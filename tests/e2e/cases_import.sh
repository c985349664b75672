# cases_import.sh: wq roster import / export and 核对 from the command line, as a
# real school user against the real database (sourced by run.sh).  These use a
# second school, 10002, so the screen cases keep their 2000 students.

SCHOOL2="北京理工示例大学"

# Creates school 10002 and its school user once.
school2() {
	if [ ! -f "$tmp/school2" ]; then
		"${admin[@]}" admin school add 10002 --name "$SCHOOL2" --province 11 >/dev/null || return 1
		printf 'pw-qian-long\n' | "${admin[@]}" admin account add qian --kind school --school 10002 \
			--name 钱老师 --password-stdin >/dev/null || return 1
		touch "$tmp/school2"
	fi
}

# wq as the school user of 10002.
wq2() {
	PGPASSWORD=pw-qian-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=qian" "$@"
}

# Fails with a message unless the file contains the text.
contains() {
	grep -qF -- "$2" "$1" || { echo "expected in $1: $2"; echo "-----"; cat "$1"; echo "-----"; return 1; }
}

case_import_reports_every_problem_and_writes_nothing() {
	school2 || return 1
	local f=$tmp/bad.csv before after rc
	"$wq" demo roster "$f" --students 6 --school 10002 --name "$SCHOOL2" || return 1
	# line 3: an ID number a spreadsheet turned into 4.10105E+17
	# line 5: an unknown 培养方式; line 7: the 学号 of line 6 again
	awk -F, -v OFS=, 'NR == 3 { $4 = "4.10105E+17" } NR == 5 { $12 = "9" } NR == 6 { no = $14 } NR == 7 { $14 = no } { print }' \
		"$f" >"$f.new" && mv "$f.new" "$f"
	before=$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10002'")
	wq2 roster import "$f" >"$tmp/out.txt" 2>"$tmp/err.txt"
	rc=$?
	[ "$rc" -eq 65 ] || { echo "exit status $rc, expected 65"; cat "$tmp/err.txt"; return 1; }
	contains "$tmp/err.txt" "$f:3: 身份证号: " || return 1
	contains "$tmp/err.txt" "科学计数法" || return 1
	contains "$tmp/err.txt" "$f:5: 培养方式: " || return 1
	contains "$tmp/err.txt" "$f:7: 学号: " || return 1
	contains "$tmp/err.txt" "与第 6 行重复" || return 1
	contains "$tmp/err.txt" "未导入任何数据" || return 1
	after=$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10002'")
	[ "$before" = "$after" ] || { echo "rows changed: $before → $after"; return 1; }
}

case_import_gbk_dry_run_then_real_then_again() {
	school2 || return 1
	local f=$tmp/gbk.csv n21
	"$wq" demo roster "$tmp/utf8.csv" --students 300 --school 10002 --name "$SCHOOL2" --seed 7 || return 1
	# the export of an older system: GBK (its GB18030 superset, for rare characters) with CRLF
	iconv -f UTF-8 -t GB18030 "$tmp/utf8.csv" | sed 's/$/\r/' >"$f" || return 1
	wq2 roster import "$f" --dry-run >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; return 1; }
	contains "$tmp/out.txt" "编码 GBK" || return 1
	contains "$tmp/out.txt" "新增 300 人" || return 1
	contains "$tmp/out.txt" "试运行" || return 1
	[ "$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10002'")" = 0 ] || { echo "dry run wrote"; return 1; }
	wq2 roster import "$f" >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; return 1; }
	contains "$tmp/out.txt" "新增 300 人，更新 0 人，未变 0 人" || return 1
	contains "$tmp/out.txt" "尚无院系账号的院系：" || return 1
	# 培养方式 21 and 41: kept, marked 无网签资格
	n21=$(python3 -c 'import csv, sys; print(sum(1 for r in list(csv.reader(open(sys.argv[1], encoding="utf-8")))[1:] if r[11] in ("21", "41")))' "$tmp/utf8.csv")
	[ "$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10002' AND NOT eligible")" = "$n21" ] \
		|| { echo "无网签资格 count differs from the file's 21/41 rows ($n21)"; return 1; }
	# the same file again changes nothing, and says so
	wq2 roster import "$f" >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; return 1; }
	contains "$tmp/out.txt" "没有任何更改（300 人）" || return 1
}

case_import_update_and_missing_then_export_round_trip() {
	school2 || return 1
	local f=$tmp/changed.csv no gone
	[ "$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10002'")" -gt 0 ] \
		|| case_import_gbk_dry_run_then_real_then_again || return 1
	# one student changes 专业; the last one leaves the file
	no=$(awk -F, 'NR == 2 { print $14 }' "$tmp/utf8.csv")
	gone=$(awk -F, 'END { print $14 }' "$tmp/utf8.csv")
	awk -F, -v OFS=, 'NR == 2 { $11 = "人工智能" } { print }' "$tmp/utf8.csv" | head -n -1 >"$f"
	wq2 roster import "$f" >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; return 1; }
	contains "$tmp/out.txt" "更新 1 人" || return 1
	contains "$tmp/out.txt" "$no" || return 1
	contains "$tmp/out.txt" "专业" || return 1
	contains "$tmp/out.txt" "文件中没有的学生 1 人（已标记为不在名单中，未删除）" || return 1
	contains "$tmp/out.txt" "$gone" || return 1
	[ "$(sql "SELECT count(*) FROM wq.student WHERE student_no = '$gone'")" = 1 ] || { echo "deleted"; return 1; }
	# export (CSV, BOM, defanged) and import the export: nothing changes
	wq2 roster export "$tmp/export.csv" >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; return 1; }
	contains "$tmp/out.txt" "已导出 300 名学生" || return 1
	wq2 roster export "$tmp/export.xlsx" >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; return 1; }
	head -c 2 "$tmp/export.xlsx" | grep -q PK || { echo "not an xlsx"; return 1; }
	# the export lists all 300 (the missing one too, flagged in the database); re-import the 299
	grep -vF "$gone" "$tmp/export.csv" >"$tmp/reimport.csv"
	wq2 roster import "$tmp/reimport.csv" >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; return 1; }
	contains "$tmp/out.txt" "没有任何更改（299 人）" || return 1
}

case_import_refused_for_a_department_clerk() {
	local rc
	"$wq" demo roster "$tmp/dept.csv" --students 3 --school 10001 --name 北京示例大学 || return 1
	PGPASSWORD=pw-lisi "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=lisi" roster import "$tmp/dept.csv" \
		>"$tmp/out.txt" 2>"$tmp/err.txt"
	rc=$?
	[ "$rc" -ne 0 ] || { echo "a department clerk imported"; return 1; }
	contains "$tmp/err.txt" "只有学校用户可以导入本校的学生名单" || return 1
}

case_verify_through_the_portal() {
	school2 || return 1
	[ "$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10002'")" -gt 0 ] \
		|| case_import_gbk_dry_run_then_real_then_again || return 1
	local name id level rc
	if [ ! -f "$tmp/portal" ]; then
		printf 'pw-portal-long\n' | "${admin[@]}" admin account add portal1 --kind portal --password-stdin >/dev/null
		touch "$tmp/portal"
	fi
	name=$(awk -F, 'NR == 3 { print $2 }' "$tmp/utf8.csv")
	id=$(awk -F, 'NR == 3 { print $4 }' "$tmp/utf8.csv")
	level=$(sql "SELECT name FROM wq.code WHERE kind = 'education_level' AND code = '$(awk -F, 'NR == 3 { print $10 }' "$tmp/utf8.csv")'")
	PGPASSWORD=pw-portal-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=portal1" portal student verify \
		--school 10002 --name "$name" --id-number "$id" --level 高职 >"$tmp/out.txt" 2>&1
	rc=$?
	[ "$rc" -eq 1 ] || { echo "exit $rc"; cat "$tmp/out.txt"; return 1; }
	contains "$tmp/out.txt" "信息不一致：学历层次 与学校名单不符" || return 1
	[ "$(sql "SELECT verify_status FROM wq.student WHERE id_number = '$id'")" = mismatch ] || return 1
	PGPASSWORD=pw-portal-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=portal1" portal student verify \
		--school 10002 --name "$name" --id-number "$id" --level "$level" >"$tmp/out.txt" 2>&1 \
		|| { cat "$tmp/out.txt"; return 1; }
	contains "$tmp/out.txt" "已核对" || return 1
	[ "$(sql "SELECT verify_status FROM wq.student WHERE id_number = '$id'")" = verified ] || return 1
}

case_import_with_renamed_headers() {
	school2 || return 1
	local f=$tmp/renamed.csv
	[ "$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10002'")" -gt 0 ] \
		|| case_import_gbk_dry_run_then_real_then_again || return 1
	# another system calls two columns differently: refused, then read with roster.headers
	grep -vF "$(awk -F, 'END { print $14 }' "$tmp/utf8.csv")" "$tmp/utf8.csv" \
		| sed '1s/姓名/学生姓名/; 1s/身份证号/证件号码/' >"$f"
	awk -F, -v OFS=, 'NR == 2 { $11 = "人工智能" } { print }' "$f" >"$f.new" && mv "$f.new" "$f"
	wq2 roster import "$f" >"$tmp/out.txt" 2>"$tmp/err.txt"
	[ $? -eq 65 ] || { echo "renamed headers were accepted without a mapping"; return 1; }
	contains "$tmp/err.txt" "$f:1: 姓名: 缺少此列" || return 1
	cat >"$tmp/rename.yaml" <<-YAML
		roster:
		  headers:
		    学生姓名: 姓名
		    证件号码: 身份证号
	YAML
	wq2 --config "$tmp/rename.yaml" roster import "$f" >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; return 1; }
	contains "$tmp/out.txt" "299 行数据" || return 1
	wq2 --config "$tmp/rename.yaml" roster import "$f" >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; return 1; }
	contains "$tmp/out.txt" "没有任何更改（299 人）" || return 1
}

case_import_partial_file_lists_twenty_and_keeps_absent_columns() {
	school2 || return 1
	local f=$tmp/three.csv n lines phones
	[ "$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10002'")" -gt 0 ] \
		|| case_import_gbk_dry_run_then_real_then_again || return 1
	wq2 roster import "$tmp/utf8.csv" >/dev/null 2>&1 || return 1
	n=$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10002' AND in_roster")
	# three students of the roster: a dry run says what it would do, first line and last
	head -n 4 "$tmp/utf8.csv" >"$f"
	wq2 roster import "$f" --dry-run >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; return 1; }
	head -n 1 "$tmp/out.txt" | grep -q '^试运行：' || { echo "first line:"; head -n 1 "$tmp/out.txt"; return 1; }
	tail -n 1 "$tmp/out.txt" | grep -q '试运行' || { echo "last line:"; tail -n 1 "$tmp/out.txt"; return 1; }
	contains "$tmp/out.txt" "文件中没有的学生 $((n - 3)) 人（将标记为不在名单中，不会删除），前 20 人：" || return 1
	contains "$tmp/out.txt" "……另有 $((n - 23)) 人（--missing-out 文件 可写出全部名单）" || return 1
	lines=$(grep -c '^  [^…]' "$tmp/out.txt")
	[ "$lines" -eq 20 ] || { echo "$lines students listed, expected 20"; cat "$tmp/out.txt"; return 1; }
	grep -q '已标记' "$tmp/out.txt" && { echo "a dry run says 已标记"; return 1; }
	[ "$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10002' AND in_roster")" = "$n" ] \
		|| { echo "the dry run wrote"; return 1; }
	# for real, every missing student written to a file
	wq2 roster import "$f" --missing-out "$tmp/missing.csv" >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; return 1; }
	contains "$tmp/out.txt" "（已标记为不在名单中，未删除），前 20 人：" || return 1
	contains "$tmp/out.txt" "不在文件中的 $((n - 3)) 名学生已写入 $tmp/missing.csv" || return 1
	[ "$(($(wc -l <"$tmp/missing.csv") - 1))" -eq $((n - 3)) ] || { echo "missing.csv:"; head "$tmp/missing.csv"; return 1; }
	head -n 1 "$tmp/missing.csv" | grep -q '学号,姓名,院系,情况' || return 1
	# back to the whole roster, then a file without 手机号码 keeps every phone number
	wq2 roster import "$tmp/utf8.csv" >/dev/null 2>&1 || return 1
	phones=$(sql "SELECT md5(string_agg(student_no || coalesce(mobile, '~'), ',' ORDER BY student_no)) FROM wq.student WHERE school_code = '10002'")
	python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
k = rows[0].index("手机号码")
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline="")).writerows([r[:k] + r[k + 1:] for r in rows])' \
		"$tmp/utf8.csv" "$tmp/nophone.csv" || return 1
	wq2 roster import "$tmp/nophone.csv" >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; return 1; }
	contains "$tmp/out.txt" "文件中没有以下列，已保留原有数据：手机号码" || return 1
	contains "$tmp/out.txt" "没有任何更改" || return 1
	[ "$(sql "SELECT md5(string_agg(student_no || coalesce(mobile, '~'), ',' ORDER BY student_no)) FROM wq.student WHERE school_code = '10002'")" = "$phones" ] \
		|| { echo "phone numbers changed"; return 1; }
}
