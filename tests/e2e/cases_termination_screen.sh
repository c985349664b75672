# cases_termination_screen.sh: 解约管理 by keyboard, as the real binary
# (sourced by run.sh): a termination asked and agreed on the command line,
# passed by the 院系 clerk and then the school user (先院系再校级审核); 强制解约
# with its note, its evidence and its warning; an offline termination's 通过
# with its 解约原因.  A school of its own, 10008, with its school user feng8,
# its 院系 clerk chu8 of the first graduate's 院系, the portal account gate8
# and an employer of its own.

TS_SCHOOL=北京解约界面示例大学
TS_EMP=91110106MA03DKT522

ts_school() {
	[ -f "$tmp/ts_school" ] && return 0
	{
		"${admin[@]}" admin school add 10008 --name "$TS_SCHOOL" --province 11 &&
		printf 'pw-feng8-long\n' | "${admin[@]}" admin account add feng8 --kind school --school 10008 \
			--name 冯老师 --password-stdin &&
		printf 'pw-gate8-long\n' | "${admin[@]}" admin account add gate8 --kind portal --password-stdin &&
		"$wq" demo roster "$tmp/ts.csv" --students 40 --school 10008 --name "$TS_SCHOOL" --seed 18 &&
		wqs8 roster import "$tmp/ts.csv"
	} >"$tmp/ts_setup.log" 2>&1 || { cat "$tmp/ts_setup.log"; return 1; }
	local dept
	dept=$(sql "SELECT dept FROM wq.student WHERE school_code = '10008' ORDER BY student_no LIMIT 1")
	printf 'pw-chu8-long\n' | "${admin[@]}" admin account add chu8 --kind dept --school 10008 --dept "$dept" \
		--name 褚老师 --password-stdin >>"$tmp/ts_setup.log" 2>&1 || { cat "$tmp/ts_setup.log"; return 1; }
	sql "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' WHERE school_code = '10008'" >/dev/null
	sql "UPDATE wq.school_settings SET online_signing = true, registration = true, review_mode = 'dept_then_school'
		WHERE school_code = '10008'" >/dev/null
	wqp8 portal employer add "$TS_EMP" --name 北京示例界面科技有限公司 >>"$tmp/ts_setup.log" 2>&1 ||
		{ cat "$tmp/ts_setup.log"; return 1; }
	touch "$tmp/ts_school"
}

wqs8() { PGPASSWORD=pw-feng8-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=feng8" "$@"; }
wqd8() { PGPASSWORD=pw-chu8-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=chu8" "$@"; }
wqp8() { PGPASSWORD=pw-gate8-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=gate8" "$@"; }

# The n-th graduate (from 1) of chu8's 院系: 学号, or with "name" the 姓名.
ts_student() {
	local col=student_no
	[ "${2:-}" = name ] && col=name
	sql "SELECT $col FROM wq.student WHERE school_code = '10008' AND dept = (SELECT dept FROM wq.student
		WHERE school_code = '10008' ORDER BY student_no LIMIT 1) ORDER BY student_no OFFSET $(($1 - 1)) LIMIT 1"
}

ts_ok() {
	"$@" >"$tmp/out.txt" 2>"$tmp/err.txt" || { echo "failed ($?): $*"; cat "$tmp/out.txt" "$tmp/err.txt"; return 1; }
}

# A signed agreement of the n-th graduate: online (invited, accepted), or with "paper" a 补登; passed by both levels; its id.
ts_signed() {
	local sno id
	sno=$(ts_student "$1")
	if [ "${2:-}" = paper ]; then
		printf '%%PDF-1.4 paper\n' >"$tmp/ts_paper.pdf"
		ts_ok wqp8 portal student register --school 10008 --student "$sno" --employer "$TS_EMP" \
			--file "$tmp/ts_paper.pdf" || return 1
		id=$(tail -n 1 "$tmp/out.txt")
	else
		ts_ok wqp8 portal invite --employer "$TS_EMP" --school 10008 --student "$sno" --position 测试工程师 || return 1
		id=$(tail -n 1 "$tmp/out.txt")
		ts_ok wqp8 portal student accept "$id" || return 1
	fi
	ts_ok wqd8 review pass "$id" || return 1
	ts_ok wqs8 review pass "$id" || return 1
	echo "$id"
}

ts_state() {   # termination id -> state/level
	sql "SELECT state || '/' || coalesce(review_level, '-') FROM wq.termination WHERE id = $1"
}

# Asked and agreed on the command line; the 院系 clerk passes it from its page,
# the school user from the queue (its sidebar counts it); the agreement ends.
case_termination_screen_two_levels() {
	ts_school || return 1
	local a t sno name
	a=$(ts_signed 1) || { echo "$a"; return 1; }
	sno=$(ts_student 1)
	name=$(ts_student 1 name)
	ts_ok wqp8 portal student terminate "$a" --reason 已考取研究生 || return 1
	t=$(tail -n 1 "$tmp/out.txt")
	ts_ok wqp8 portal employer answer-termination "$t" --agree || return 1
	start_wq
	login chu8 pw-chu8-long || return 1
	expect "首页" || return 1
	expect_line "解约管理 +1" || return 1
	type_text ":termination"
	keys Enter
	expect "只显示待我审核的" || return 1
	expect "$name" || return 1
	expect "已同意解约等待学校（院系）审核" || return 1
	keys Enter
	expect "解约信息" || return 1
	expect_line "解约理由 +已考取研究生" || return 1
	expect_line "单位答复 +同意解约" || return 1
	expect "协议书编号" || return 1
	# a 院系 clerk has no 强制解约
	expect "a 通过" || return 1
	expect_not "强制解约" || return 1
	keys a
	expect "通过（y）" || return 1
	keys y
	expect "已通过" || return 1
	[ "$(ts_state "$t")" = pending_review/school ] || { echo "state $(ts_state "$t")"; return 1; }
	# the school user: the badge, then 通过 from the queue
	start_wq
	login feng8 pw-feng8-long || return 1
	expect "首页" || return 1
	expect_line "解约管理 +1" || return 1
	type_text ":termination"
	keys Enter
	expect "$name" || return 1
	keys a
	expect "通过（y）" || return 1
	keys a
	expect "通过（y）" || return 1   # the key that opened it does not confirm
	keys y
	expect "已通过，解约成功" || return 1
	[ "$(ts_state "$t")" = approved/- ] || { echo "state $(ts_state "$t")"; return 1; }
	[ "$(sql "SELECT state FROM wq.agreement WHERE id = $a")" = terminated ] || return 1
	[ "$(sql "SELECT destination_code FROM wq.student WHERE school_code = '10008' AND student_no = '$sno'")" = 70 ] ||
		{ echo "the 毕业去向 is not 70"; return 1; }
}

# 强制解约 by keyboard: the note is required, the evidence is a file, the
# warning comes first with the focus on 取消; y confirms.
case_termination_screen_force() {
	ts_school || return 1
	local a t sno
	a=$(ts_signed 2) || { echo "$a"; return 1; }
	sno=$(ts_student 2)
	ts_ok wqp8 portal student terminate "$a" --reason 单位长期不回应 || return 1
	t=$(tail -n 1 "$tmp/out.txt")
	printf '%%PDF-1.4 evidence\n' >"$tmp/通话记录.pdf"
	start_wq
	login feng8 pw-feng8-long || return 1
	expect "首页" || return 1
	type_text ":termination"
	keys Enter
	expect "只显示待我审核的" || return 1
	keys w
	expect "显示全部" || return 1
	keys /
	type_text "$sno"
	keys Enter
	expect "筛选:$sno" || return 1
	expect "学生发起解约等待单位应约" || return 1
	keys Enter
	expect_line "单位答复 +尚未答复" || return 1
	expect "F 强制解约" || return 1
	keys F
	expect "单位未应约的解约申请" || return 1
	keys C-s
	expect "请填写强制解约的说明" || return 1
	type_text "已电话联系单位人事，单位同意解约"
	keys Tab
	type_text "$tmp/通话记录.pdf"
	keys C-s
	expect "特别提醒该功能请谨慎使用，使用前应与单位协商一致并注意留存相关材料以防出现纠纷" || return 1
	expect "说明：已电话联系单位人事，单位同意解约" || return 1
	# Enter on 取消 (the focus) cancels; the form keeps what was typed
	keys Enter
	expect "已取消" || return 1
	[ "$(ts_state "$t")" = awaiting_employer/- ] || { echo "state $(ts_state "$t")"; return 1; }
	keys C-s
	expect "特别提醒该功能请谨慎使用" || return 1
	keys y
	expect "已强制解约，学校强制解约" || return 1
	[ "$(ts_state "$t")" = forced/- ] || { echo "state $(ts_state "$t")"; return 1; }
	[ "$(sql "SELECT force_note FROM wq.termination WHERE id = $t")" = "已电话联系单位人事，单位同意解约" ] || return 1
	[ "$(sql "SELECT role || ' ' || file_name FROM wq.attachment WHERE item_id = $t")" = "evidence 通话记录.pdf" ] ||
		{ echo "no evidence"; return 1; }
	expect_line "强制解约说明 +已电话联系单位人事" || return 1
	local i
	for i in 1 2 3; do
		screen | grep -qF "强制解约证明材料" && break
		keys NPage
		sleep 0.2
	done
	expect "强制解约证明材料  通话记录.pdf" || return 1
}

# An offline termination: the school's 通过 asks for the 解约原因; 学生单方面解约 warns.
case_termination_screen_offline_cause() {
	ts_school || return 1
	local a t name
	a=$(ts_signed 3 paper) || { echo "$a"; return 1; }
	name=$(ts_student 3 name)
	printf '%%PDF-1.4 letter\n' >"$tmp/ts_letter.pdf"
	ts_ok wqp8 portal student terminate "$a" --reason 个人原因 --file "$tmp/ts_letter.pdf" || return 1
	t=$(tail -n 1 "$tmp/out.txt")
	ts_ok wqd8 review pass "$t" || return 1
	start_wq
	login feng8 pw-feng8-long || return 1
	expect "首页" || return 1
	type_text ":termination"
	keys Enter
	expect "$name" || return 1
	expect "解约中" || return 1
	keys Enter
	expect "解约信息" || return 1
	expect "a 通过" || return 1
	expect_not "F 强制解约" || return 1   # only while the employer has not answered
	keys NPage
	expect "解约函  ts_letter.pdf" || return 1
	keys a
	expect "请选择解约原因" || return 1
	expect "双方协商一致" || return 1
	keys Right Right Right
	expect "学生单方面解约" || return 1
	expect "只用于单位已注销" || return 1
	keys Left
	expect "毕业生个人原因" || return 1
	expect_gone "只用于单位已注销" || return 1
	keys C-s
	expect "解约原因：毕业生个人原因" || return 1
	keys y
	expect "已通过，解约成功" || return 1
	[ "$(ts_state "$t")" = approved/- ] || { echo "state $(ts_state "$t")"; return 1; }
	[ "$(sql "SELECT cause FROM wq.termination WHERE id = $t")" = personal ] || return 1
}
