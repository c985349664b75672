# cases_stats.sh: 数据统计, on the command line and on the screens (sourced by
# run.sh).  A province (13 河北省) and a school (10032) of their own, so that
# every figure is known: 20 graduates, all eligible, 12 verified; 4 signed
# (2 线上签约, 1 线下签约, 1 补登, so 4 of code 10), approved registrations
# 11, 11, 70, 75, 80; 11 未登记; 落实率 8 / 20 = 40.0%.

TJ_SCHOOL=河北统计大学
TJ_EMP=91110108551385082Q

tjx() {
	PGPASSWORD=pw-tjxiao-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=tjxiao" "$@"
}

# The school, its users (school, province, a 院系) and the figures above; once.
tj_school() {
	if [ -f "$tmp/tj_school" ]; then
		TJ_DEPT=$(sql "SELECT dept FROM wq.student WHERE school_code = '10032' GROUP BY dept ORDER BY count(*) DESC, dept LIMIT 1")
		return 0
	fi
	{
		"${admin[@]}" admin province set 13 --name 河北省 --agreement-type three-party &&
		"${admin[@]}" admin school add 10032 --name "$TJ_SCHOOL" --province 13 &&
		printf 'pw-tjxiao-long\n' | "${admin[@]}" admin account add tjxiao --kind school --school 10032 \
			--name 钱老师 --password-stdin &&
		printf 'pw-tjsheng-long\n' | "${admin[@]}" admin account add tjsheng --kind province --province 13 \
			--name 孙处长 --password-stdin &&
		"$wq" demo roster "$tmp/tj.csv" --students 20 --school 10032 --name "$TJ_SCHOOL" &&
		tjx roster import "$tmp/tj.csv"
	} >"$tmp/tj_setup.log" 2>&1 || { cat "$tmp/tj_setup.log"; return 1; }
	TJ_DEPT=$(sql "SELECT dept FROM wq.student WHERE school_code = '10032' GROUP BY dept ORDER BY count(*) DESC, dept LIMIT 1")
	printf 'pw-tjyuan-long\n' | "${admin[@]}" admin account add tjyuan --kind dept --school 10032 --dept "$TJ_DEPT" \
		--name 吴老师 --password-stdin >>"$tmp/tj_setup.log" 2>&1 || { cat "$tmp/tj_setup.log"; return 1; }
	sql "INSERT INTO wq.employer (credit_code, name) VALUES ('$TJ_EMP', '北京统计示例有限公司') ON CONFLICT DO NOTHING" >/dev/null
	# every graduate eligible, the first 12 (by 学号) verified
	sql "UPDATE wq.student SET training_mode = '1', verify_status = CASE WHEN student_no <= (SELECT student_no FROM wq.student
		WHERE school_code = '10032' ORDER BY student_no OFFSET 11 LIMIT 1) THEN 'verified' ELSE 'unverified' END
		WHERE school_code = '10032'" >/dev/null
	# the 1st–4th signed (线上, 线上, 线下, 补登); the 5th–9th registered 11, 11, 70, 75, 80
	sql "INSERT INTO wq.agreement (kind, initiator, school_code, dept, student_id, employer_code, state, protocol_no, valid_until)
		SELECT (ARRAY['online', 'online', 'offline', 'registration'])[n], CASE WHEN n <= 2 THEN 'employer' ELSE 'student' END,
		       school_code, dept, id, '$TJ_EMP', 'signed', 'TJ-' || n, now() + interval '30 days'
		  FROM (SELECT s.*, row_number() OVER (ORDER BY student_no) AS n FROM wq.student s WHERE school_code = '10032') s
		 WHERE n <= 4" >/dev/null
	sql "INSERT INTO wq.destination (school_code, dept, student_id, code, state)
		SELECT school_code, dept, id, (ARRAY['11', '11', '70', '75', '80'])[n - 4], 'approved'
		  FROM (SELECT s.*, row_number() OVER (ORDER BY student_no) AS n FROM wq.student s WHERE school_code = '10032') s
		 WHERE n BETWEEN 5 AND 9" >/dev/null
	touch "$tmp/tj_school"
}

TJ_HEADER="学校,毕业生,有网签资格,已核对,线上签约,线下签约,补登,10 签就业协议形式就业,11 签劳动合同形式就业,12 其他录用形式就业,27 科研助理、管理助理,46 应征义务兵,50 国家基层项目,51 地方基层项目,70 待就业,71 不就业拟升学,72 其他暂不就业,75 自主创业,76 自由职业,80 升学,85 出国、出境,未登记,解约,落实率"

# wq stats --format csv, cell by cell: a BOM, CRLF, the header, the school, 合计.
case_stats_csv_cells() {
	tj_school || return 1
	tjx stats --by school --format csv >"$tmp/tj_stats.csv" 2>"$tmp/tj_err.txt" || { cat "$tmp/tj_err.txt"; return 1; }
	printf '\xef\xbb\xbf%s\r\n%s\r\n%s\r\n' "$TJ_HEADER" \
		"$TJ_SCHOOL,20,20,12,2,1,1,4,2,0,0,0,0,0,1,0,0,1,0,1,0,11,0,40.0%" \
		"合计,20,20,12,2,1,1,4,2,0,0,0,0,0,1,0,0,1,0,1,0,11,0,40.0%" >"$tmp/tj_want.csv"
	cmp -s "$tmp/tj_stats.csv" "$tmp/tj_want.csv" || {
		echo "wq stats --by school --format csv:"; diff <(cat -A "$tmp/tj_want.csv") <(cat -A "$tmp/tj_stats.csv")
		return 1
	}
	# by 性别: the groups add up to the total, and each equals a count over the roster
	tjx stats --by gender --format csv -o "$tmp/tj_gender.csv" >/dev/null 2>&1 || return 1
	local want
	want=$(sql "SELECT string_agg(l, ' ' ORDER BY sex) FROM (SELECT sex, CASE sex WHEN '1' THEN '男' ELSE '女' END
		|| ',' || count(*) AS l FROM wq.student WHERE school_code = '10032' GROUP BY sex) x")
	[ "$(sed 1d "$tmp/tj_gender.csv" | tr -d '\r' | grep -v '^合计' | cut -d, -f1,2 | paste -sd' ')" = "$want" ] \
		|| { echo "by gender, want $want:"; cat "$tmp/tj_gender.csv"; return 1; }
	tail -n 1 "$tmp/tj_gender.csv" | grep -q '^合计,20,' || { echo "no 合计 row"; cat "$tmp/tj_gender.csv"; return 1; }
	# the text form and the queues under it
	tjx stats --by school >"$tmp/tj_text.txt" 2>&1 || { cat "$tmp/tj_text.txt"; return 1; }
	grep -q "^$TJ_SCHOOL  *20  *20  *12 " "$tmp/tj_text.txt" || { cat "$tmp/tj_text.txt"; return 1; }
	grep -q "待审核" "$tmp/tj_text.txt" || { cat "$tmp/tj_text.txt"; return 1; }
	# a breakdown that does not exist is refused before anything runs
	if tjx stats --by name >"$tmp/tj_err.txt" 2>&1; then echo "--by name accepted"; return 1; fi
	grep -q -- "--by 应为" "$tmp/tj_err.txt" || { cat "$tmp/tj_err.txt"; return 1; }
}

# The school user's screen shows the figures; a registration approved
# afterwards shows after R; Ctrl-S exports the table through the dialog.
case_stats_screen_school() {
	tj_school || return 1
	start_wq
	login tjxiao pw-tjxiao-long || return 1
	expect "钱老师（学校用户）" || return 1
	keys ':'; type_text 'stats'; keys Enter
	expect "数据统计 · $TJ_SCHOOL · 毕业生 20 人 · 毕业去向落实率 40.0%" || return 1
	expect "[院系]" || return 1
	expect_line "合计 +20 +█.* +40\.0%" || return 1
	# the chart by 毕业去向 is below: a page down
	keys NPage
	expect_line "80 升学 +1 " || return 1
	expect_line "未登记 +11 " || return 1
	# another 升学 registration approved (the 10th graduate): 9 / 20
	sql "INSERT INTO wq.destination (school_code, dept, student_id, code, state)
		SELECT school_code, dept, id, '80', 'approved'
		  FROM (SELECT s.*, row_number() OVER (ORDER BY student_no) AS n FROM wq.student s WHERE school_code = '10032') s
		 WHERE n = 10" >/dev/null
	keys R
	local ok=0
	expect "毕业生 20 人 · 毕业去向落实率 45.0%" && expect_line "80 升学 +2 " || ok=1
	# and back (voided: the 毕业去向 follows), so that the other cases find the fixture as described
	sql "UPDATE wq.destination SET state = 'voided' WHERE id = (SELECT max(id) FROM wq.destination WHERE school_code = '10032')" >/dev/null
	[ "$ok" = 0 ] || return 1
	keys R
	expect "毕业去向落实率 40.0%" || return 1
	# the table, by 性别 (t t t)
	keys v
	expect_line "院系 +毕业生 +有网签资格 +已核对" || return 1
	keys t t t
	expect "[性别]" || return 1
	expect_line "^.*男 +[0-9]+ " || return 1
	# Ctrl-S: the export dialog, its default name, the file written
	keys C-s
	expect "导出数据统计" || return 1
	expect "数据统计-tjxiao-" || return 1
	keys C-s
	expect "已导出数据统计（按性别" || return 1
	ls "$tmp"/数据统计-tjxiao-*.csv >/dev/null 2>&1 || { echo "no file"; ls "$tmp"; return 1; }
	grep -q "^合计,20," "$tmp"/数据统计-tjxiao-*.csv || { cat "$tmp"/数据统计-tjxiao-*.csv; return 1; }
	rm -f "$tmp"/数据统计-tjxiao-*.csv
	keys Q
	expect_exit
}

# A province user sees its schools side by side; a department user its 院系; --ascii draws '#'.
case_stats_screen_province_and_dept() {
	tj_school || return 1
	start_wq --ascii
	login tjsheng pw-tjsheng-long || return 1
	expect "孙处长（省级用户）" || return 1
	keys ':'; type_text 'stats'; keys Enter
	expect "数据统计 · 河北省 · 毕业生 20 人 · 毕业去向落实率 40.0%" || return 1
	expect "[学校]" || return 1
	expect_line "$TJ_SCHOOL +20 +#+ +40\.0%" || return 1
	expect_not "北京示例大学" || return 1
	keys Q
	expect_exit || return 1
	local n
	n=$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10032' AND dept = '$TJ_DEPT'")
	start_wq
	login tjyuan pw-tjyuan-long || return 1
	expect "吴老师（院系用户）" || return 1
	keys ':'; type_text 'stats'; keys Enter
	expect "数据统计 · $TJ_SCHOOL · $TJ_DEPT · 毕业生 $n 人" || return 1
	expect_line "^.*$TJ_DEPT +$n " || return 1
	keys Q
	expect_exit
}

tjp() {
	PGPASSWORD=pw-tjgate-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=tjgate" "$@"
}

# The school user's screen follows the school's items without R: the 11th
# graduate (verified, nothing registered) submits a 升学 registration, and
# the school passes it on the command line; the breakdown the user chose
# stays.  The registration is voided afterwards, so that the other cases
# find the fixture as described.
case_stats_screen_follows_decisions() {
	tj_school || return 1
	local sno id ok=0
	if [ ! -f "$tmp/tj_portal" ]; then
		printf 'pw-tjgate-long\n' | "${admin[@]}" admin account add tjgate --kind portal --password-stdin \
			>>"$tmp/tj_setup.log" 2>&1 || { cat "$tmp/tj_setup.log"; return 1; }
		sql "UPDATE wq.school_settings SET destination = true WHERE school_code = '10032'" >/dev/null
		printf '\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00\x3a\x7e\x9b\x55\x00\x00\x00\x0aIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\xb1\x38\xf6\x14\x00\x00\x00\x00IEND\xae\x42\x60\x82' >"$tmp/tj_scan.png"
		touch "$tmp/tj_portal"
	fi
	sno=$(sql "SELECT student_no FROM wq.student WHERE school_code = '10032' ORDER BY student_no OFFSET 10 LIMIT 1")
	start_wq
	login tjxiao pw-tjxiao-long || return 1
	expect "钱老师（学校用户）" || return 1
	keys ':'; type_text 'stats'; keys Enter
	expect "数据统计 · $TJ_SCHOOL · 毕业生 20 人 · 毕业去向落实率 40.0%" || return 1
	expect "去向登记 0 件" || return 1
	keys t
	expect "[专业]" || return 1
	# submitted: the queue under the charts counts it, without a key press
	id=$(tjp portal student destination --school 10032 --student "$sno" --code 80 --institution 北京大学 \
		--study-level 研究生 --file "$tmp/tj_scan.png" 2>"$tmp/tj_err.txt" | tail -n 1)
	[ -n "$id" ] || { cat "$tmp/tj_err.txt"; return 1; }
	expect_within 10 "去向登记 1 件" || ok=1
	# passed by the school on the command line: 9 / 20, the breakdown unchanged
	if [ "$ok" = 0 ]; then
		tjx review pass "$id" >"$tmp/tj_out.txt" 2>&1 || { cat "$tmp/tj_out.txt"; ok=1; }
	fi
	if [ "$ok" = 0 ]; then
		expect_within 10 "毕业生 20 人 · 毕业去向落实率 45.0%" && expect "去向登记 0 件" && expect "[专业]" || ok=1
	fi
	sql "UPDATE wq.destination SET state = 'voided' WHERE id = $id" >/dev/null
	[ "$ok" = 0 ] || return 1
	keys Q
	expect_exit
}
