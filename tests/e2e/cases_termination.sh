# cases_termination.sh: 解约 on the command line, as the real binary (sourced
# by run.sh): the graduate asks, the employer agrees, the 院系 clerk and the
# school pass (先院系再校级审核), and the graduate's 毕业去向 becomes 70
# 待就业; an offline termination needs its 解约函; 强制解约 is the school's.
# A school of its own, 10007, with its school user qian7, its 院系 clerk
# of the first graduate's 院系, and the portal account door7.

TERM_SCHOOL=北京解约示例大学
TERM_EMP=91110105MA01ABCD13

term_school() {
	[ -f "$tmp/term_school" ] && return 0
	{
		"${admin[@]}" admin school add 10007 --name "$TERM_SCHOOL" --province 11 &&
		printf 'pw-qian7-long\n' | "${admin[@]}" admin account add qian7 --kind school --school 10007 \
			--name 钱老师 --password-stdin &&
		printf 'pw-door7-long\n' | "${admin[@]}" admin account add door7 --kind portal --password-stdin &&
		"$wq" demo roster "$tmp/term.csv" --students 60 --school 10007 --name "$TERM_SCHOOL" --seed 17 &&
		wqt roster import "$tmp/term.csv"
	} >"$tmp/term_setup.log" 2>&1 || { cat "$tmp/term_setup.log"; return 1; }
	local dept
	dept=$(sql "SELECT dept FROM wq.student WHERE school_code = '10007' ORDER BY student_no LIMIT 1")
	printf 'pw-sun7-long\n' | "${admin[@]}" admin account add sun7 --kind dept --school 10007 --dept "$dept" \
		--name 孙老师 --password-stdin >>"$tmp/term_setup.log" 2>&1 || { cat "$tmp/term_setup.log"; return 1; }
	sql "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' WHERE school_code = '10007'" >/dev/null
	sql "UPDATE wq.school_settings SET online_signing = true, registration = true, review_mode = 'dept_then_school',
		max_terminations = 2 WHERE school_code = '10007'" >/dev/null
	PGPASSWORD=pw-door7-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=door7" portal employer add "$TERM_EMP" \
		--name 深圳示例电子有限公司 >>"$tmp/term_setup.log" 2>&1 || { cat "$tmp/term_setup.log"; return 1; }
	touch "$tmp/term_school"
}

wqt() { PGPASSWORD=pw-qian7-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=qian7" "$@"; }
wqtd() { PGPASSWORD=pw-sun7-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=sun7" "$@"; }
wqtp() { PGPASSWORD=pw-door7-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=door7" "$@"; }

# The n-th 学号 (from 1) of the 院系 of sun7 (the first graduate's).
term_student() {
	sql "SELECT student_no FROM wq.student WHERE school_code = '10007' AND dept = (SELECT dept FROM wq.student
		WHERE school_code = '10007' ORDER BY student_no LIMIT 1) ORDER BY student_no OFFSET $(($1 - 1)) LIMIT 1"
}

# A signed online agreement of the n-th graduate (the 院系 and the school pass it); its id.
term_signed() {
	local sno id
	sno=$(term_student "$1")
	review_ok wqtp portal invite --employer "$TERM_EMP" --school 10007 --student "$sno" --position 会计 || return 1
	id=$(tail -n 1 "$tmp/out.txt")
	review_ok wqtp portal student accept "$id" || return 1
	review_ok wqtd review pass "$id" || return 1
	review_ok wqt review pass "$id" || return 1
	review_has "$tmp/out.txt" "签约成功" || return 1
	echo "$id"
}

case_termination_agreed_and_passed() {
	term_school || return 1
	local a t sno
	a=$(term_signed 1) || { echo "$a"; return 1; }
	sno=$(term_student 1)
	[ "$(sql "SELECT destination_code FROM wq.student WHERE school_code = '10007' AND student_no = '$sno'")" = 10 ] ||
		{ echo "not 10 after signing"; return 1; }
	review_ok wqtp portal student terminate "$a" --reason "单位岗位调整，双方协商一致" || return 1
	review_has "$tmp/out.txt" "已提交解约申请" || return 1
	t=$(tail -n 1 "$tmp/out.txt")
	[[ "$t" =~ ^[0-9]+$ ]] || { echo "the last line is not an id: $t"; return 1; }
	# the school's list shows it waiting for the employer, with 强制解约 the school's only action
	review_ok wqt review list --queue termination || return 1
	review_has "$tmp/out.txt" "学生发起解约等待单位应约" || return 1
	head -n 1 "$tmp/out.txt" | grep -q "^ID	类型	状态" || { echo "no header"; cat "$tmp/out.txt"; return 1; }
	# the graduate cannot answer its own request
	review_refused wqtp portal student answer-termination "$t" --agree || return 1
	review_has "$tmp/err.txt" "当前状态" || return 1
	review_ok wqtp portal employer answer-termination "$t" --agree || return 1
	review_has "$tmp/out.txt" "已同意解约等待学校（院系）审核" || return 1
	# the school waits for the 院系
	review_refused wqt review pass "$t" || return 1
	review_has "$tmp/err.txt" "院系审核" || return 1
	review_ok wqtd review pass "$t" || return 1
	review_ok wqt review pass "$t" || return 1
	review_has "$tmp/out.txt" "解约成功" || return 1
	review_ok wqt review show "$t" || return 1
	review_has "$tmp/out.txt" "解约成功" || return 1
	review_has "$tmp/out.txt" "双方协商一致" || return 1
	review_ok wqt review show "$a" || return 1
	review_has "$tmp/out.txt" "已解约" || return 1
	[ "$(sql "SELECT destination_code FROM wq.student WHERE school_code = '10007' AND student_no = '$sno'")" = 70 ] ||
		{ echo "the 毕业去向 is not 70 待就业"; return 1; }
}

case_termination_forced_and_offline() {
	term_school || return 1
	local a t sno r
	a=$(term_signed 2) || { echo "$a"; return 1; }
	review_ok wqtp portal student terminate "$a" --reason "单位长期不回应" || return 1
	t=$(tail -n 1 "$tmp/out.txt")
	# 强制解约: a note is required, and a 院系 clerk may not
	review_refused wqt termination force "$t" || return 1
	review_has "$tmp/err.txt" "须填写说明" || return 1
	review_refused wqtd termination force "$t" --note "已协商" || return 1
	review_ok wqt termination force "$t" --note "已电话联系单位人事，同意解约" || return 1
	review_has "$tmp/out.txt" "学校强制解约" || return 1
	review_has "$tmp/err.txt" "谨慎使用" || return 1
	# an offline signing's termination needs its 解约函
	sno=$(term_student 3)
	printf '%%PDF-1.4 paper\n' >"$tmp/paper.pdf"
	review_ok wqtp portal student register --school 10007 --student "$sno" --employer "$TERM_EMP" --file "$tmp/paper.pdf" || return 1
	r=$(tail -n 1 "$tmp/out.txt")
	review_ok wqtd review pass "$r" || return 1
	review_ok wqt review pass "$r" || return 1
	review_refused wqtp portal student terminate "$r" --reason "个人原因" || return 1
	review_has "$tmp/err.txt" "须上传解约函" || return 1
	printf '%%PDF-1.4 letter\n' >"$tmp/letter.pdf"
	review_ok wqtp portal student terminate "$r" --reason "个人原因" --file "$tmp/letter.pdf" || return 1
	t=$(tail -n 1 "$tmp/out.txt")
	review_ok wqtd review pass "$t" || return 1
	review_refused wqt review pass "$t" || return 1
	review_has "$tmp/err.txt" "解约原因" || return 1
	review_ok wqt review pass "$t" --category 毕业生个人原因 || return 1
	review_has "$tmp/out.txt" "解约成功" || return 1
}
