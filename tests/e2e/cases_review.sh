# cases_review.sh: agreements on the command line: the portal's commands and
# the school's reviews (wq portal ..., wq review ...), run as the real binary
# (sourced by run.sh).  They use a school of their own, 10003, so the other
# cases keep their students and settings.

REVIEW_SCHOOL=北京审核示例大学
REVIEW_EMP=91350100M000100Y43

# Creates school 10003, its school user zhou3, a portal account and 20 graduates
# who may sign (verified, eligible), with 在线签约 and 补登 on; once.
review_school() {
	[ -f "$tmp/review_school" ] && return 0
	{
		"${admin[@]}" admin school add 10003 --name "$REVIEW_SCHOOL" --province 11 &&
		printf 'pw-zhou3-long\n' | "${admin[@]}" admin account add zhou3 --kind school --school 10003 \
			--name 周老师 --password-stdin &&
		printf 'pw-gate-long\n' | "${admin[@]}" admin account add gate --kind portal --password-stdin &&
		"$wq" demo roster "$tmp/review.csv" --students 20 --school 10003 --name "$REVIEW_SCHOOL" --seed 11 &&
		wqr roster import "$tmp/review.csv"
	} >"$tmp/review_setup.log" 2>&1 || { cat "$tmp/review_setup.log"; return 1; }
	sql "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' WHERE school_code = '10003'" >/dev/null
	sql "UPDATE wq.school_settings SET online_signing = true, registration = true WHERE school_code = '10003'" >/dev/null
	touch "$tmp/review_school"
}

# wq as the school user of 10003, and as the portal.
wqr() {
	PGPASSWORD=pw-zhou3-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=zhou3" "$@"
}
wqp() {
	PGPASSWORD=pw-gate-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=gate" "$@"
}

# wq agreement pdf as the school user: fontconfig (under pango) keeps its
# configuration for the life of the process, which the leak checker of the
# sanitized build reports at exit (tests/unit/lsan.supp), so it is off here.
wqr_pdf() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 wqr agreement pdf "$@"
}

# The n-th 学号 (from 1) of school 10003.
review_student() {
	sql "SELECT student_no FROM wq.student WHERE school_code = '10003' ORDER BY student_no OFFSET $(($1 - 1)) LIMIT 1"
}

review_has() {   # file text
	grep -qF -- "$2" "$1" || { echo "expected in $1: $2"; echo "-----"; cat "$1"; echo "-----"; return 1; }
}

# Runs a command that must succeed, its output in $tmp/out.txt and $tmp/err.txt.
review_ok() {
	"$@" >"$tmp/out.txt" 2>"$tmp/err.txt" || { echo "failed ($?): $*"; cat "$tmp/out.txt" "$tmp/err.txt"; return 1; }
}

# Runs a command that must fail (exit status not 0).
review_refused() {
	"$@" >"$tmp/out.txt" 2>"$tmp/err.txt"
	local rc=$?
	[ "$rc" -ne 0 ] || { echo "not refused: $*"; cat "$tmp/out.txt"; return 1; }
}

# The employer, added once; its code is the last line of standard output.
review_employer() {
	review_ok wqp portal employer add "$REVIEW_EMP" --name 北京示例科技有限公司 --status 存续 \
		--contact 赵经理 --phone 010-88880000 || return 1
	[ "$(tail -n 1 "$tmp/out.txt")" = "$REVIEW_EMP" ] || { echo "last line is not the code"; cat "$tmp/out.txt"; return 1; }
}

case_review_invite_accept_list_pass_show() {
	review_school || return 1
	review_employer || return 1
	local sno id
	sno=$(review_student 1)
	review_ok wqp portal invite --employer "$REVIEW_EMP" --school 10003 --student "$sno" \
		--position 软件工程师 --salary 12000 --valid-days 10 || return 1
	review_has "$tmp/out.txt" "已发出签约邀请" || return 1
	id=$(tail -n 1 "$tmp/out.txt")
	[[ "$id" =~ ^[0-9]+$ ]] || { echo "the last line is not an id: $id"; return 1; }
	review_ok wqp portal student accept "$id" || return 1
	review_has "$tmp/out.txt" "学生已同意签约，等待学校（院系）审核" || return 1
	[ "$(tail -n 1 "$tmp/out.txt")" = "$id" ] || { echo "accept: the last line is not the id"; return 1; }
	# the school's queue: a header, then the item with its id first, tab-separated
	review_ok wqr review list --waiting || return 1
	[ "$(head -n 1 "$tmp/out.txt" | cut -f 1-5)" = "$(printf 'ID\t类型\t发起方\t状态\t审核层级')" ] \
		|| { echo "header:"; head -n 1 "$tmp/out.txt"; return 1; }
	grep -qP "^$id\t线上签约\t单位\t学生已同意签约，等待学校（院系）审核\t" "$tmp/out.txt" \
		|| { echo "no row for $id"; cat "$tmp/out.txt"; return 1; }
	review_has "$tmp/out.txt" "北京示例科技有限公司" || return 1
	review_has "$tmp/out.txt" "通过、不通过" || return 1
	review_ok wqr review show "$id" || return 1
	review_has "$tmp/out.txt" "协议信息" || return 1
	review_has "$tmp/out.txt" "单位信息" || return 1
	review_has "$tmp/out.txt" "学生信息" || return 1
	review_has "$tmp/out.txt" "$sno" || return 1
	review_has "$tmp/out.txt" "可执行的操作：通过（wq review pass $id）、不通过（wq review reject $id）" || return 1
	review_has "$tmp/out.txt" "审核记录" || return 1
	# pass without --version: the version is read first
	review_ok wqr review pass "$id" || return 1
	[ "$(tail -n 1 "$tmp/out.txt")" = "签约成功" ] || { echo "pass printed:"; cat "$tmp/out.txt"; return 1; }
	review_ok wqr review show "$id" || return 1
	grep -qE "^  状态 +签约成功$" "$tmp/out.txt" || { echo "not 签约成功:"; cat "$tmp/out.txt"; return 1; }
	grep -qE "周老师（学校用户） +通过 +签约成功" "$tmp/out.txt" || { echo "no pass in the history"; cat "$tmp/out.txt"; return 1; }
	review_has "$tmp/out.txt" "可执行的操作：无" || return 1
	# a decision on the version seen before: refused, naming who acted first
	review_refused wqr review reject "$id" --version 2 --category other --reason 重复 || return 1
	review_has "$tmp/err.txt" "已被 周老师（学校用户）于" || return 1
	# 下载就业协议书: the PDF holds the number, the graduate, the employer and the review record
	review_ok wqr_pdf "$id" -o "$tmp/review.pdf" || return 1
	review_has "$tmp/out.txt" "已写入就业协议书：$tmp/review.pdf" || return 1
	pdftotext -layout "$tmp/review.pdf" "$tmp/review.txt" || return 1
	review_has "$tmp/review.txt" "$(sql "SELECT protocol_no FROM wq.agreement WHERE id = $id")" || return 1
	review_has "$tmp/review.txt" "$sno" || return 1
	review_has "$tmp/review.txt" "北京示例科技有限公司" || return 1
	review_has "$tmp/review.txt" "周老师（学校用户）：通过 → 签约成功" || return 1
	# to standard output too; and not before the agreement is signed
	wqr_pdf "$id" -o - >"$tmp/stdout.pdf" || return 1
	[ "$(head -c 5 "$tmp/stdout.pdf")" = "%PDF-" ] || { echo "no PDF on standard output"; return 1; }
	review_ok wqp portal invite --employer "$REVIEW_EMP" --school 10003 --student "$(review_student 5)" || return 1
	review_refused wqr_pdf "$(tail -n 1 "$tmp/out.txt")" -o "$tmp/early.pdf" || return 1
	review_has "$tmp/err.txt" "还不能下载就业协议书" || return 1
	[ ! -e "$tmp/early.pdf" ] || { echo "a PDF was written before signing"; return 1; }
}

case_review_return_without_reason_is_refused() {
	review_school || return 1
	review_employer || return 1
	local id
	review_ok wqp portal student apply-offline --school 10003 --student "$(review_student 2)" \
		--employer "$REVIEW_EMP" --position 会计 || return 1
	id=$(tail -n 1 "$tmp/out.txt")
	review_refused wqr review return "$id" --category 材料不全 || return 1
	review_has "$tmp/err.txt" "wq: 错误：退回修改需要填写具体问题" || return 1
	[ "$(sql "SELECT state || ' ' || version FROM wq.agreement WHERE id = $id")" = "draft_review 1" ] || return 1
	# an unknown category lists them
	review_refused wqr review return "$id" --category 看不清 --reason 缺少附件 || return 1
	review_has "$tmp/err.txt" "原因类别应为：" || return 1
	review_ok wqr review return "$id" --category 材料不全 --reason 缺少附件 || return 1
	[ "$(tail -n 1 "$tmp/out.txt")" = "就业协议退回修改" ] || { cat "$tmp/out.txt"; return 1; }
	review_ok wqp portal student resubmit "$id" --salary 8000 || return 1
	[ "$(tail -n 1 "$tmp/out.txt")" = "$id" ] || return 1
	[ "$(sql "SELECT state || ' ' || salary FROM wq.agreement WHERE id = $id")" = "draft_review 8000" ] || return 1
}

case_review_portal_refusals() {
	review_school || return 1
	review_employer || return 1
	local id before
	# a wrong check character and a salary that is not a number: refused before the database
	review_refused wqp portal employer add 91350200M000000510 --name 某公司 || return 1
	review_has "$tmp/err.txt" "统一社会信用代码校验位应为" || return 1
	before=$(sql "SELECT count(*) FROM wq.agreement")
	review_refused wqp portal invite --employer "$REVIEW_EMP" --school 10003 --student "$(review_student 3)" \
		--salary 一万 || return 1
	review_has "$tmp/err.txt" "月薪应为 0 到 10000000 的整数" || return 1
	[ "$(sql "SELECT count(*) FROM wq.agreement")" = "$before" ] || { echo "something was written"; return 1; }
	# an invitation past its validity cannot be accepted
	review_ok wqp portal invite --employer "$REVIEW_EMP" --school 10003 --student "$(review_student 3)" || return 1
	id=$(tail -n 1 "$tmp/out.txt")
	sql "UPDATE wq.agreement SET valid_until = now() - interval '1 minute' WHERE id = $id" >/dev/null
	review_refused wqp portal student accept "$id" || return 1
	review_has "$tmp/err.txt" "签约邀请已失效" || return 1
	[ "$(sql "SELECT state FROM wq.agreement WHERE id = $id")" = expired ] || return 1
	review_ok wqp portal expire || return 1
	[ "$(tail -n 1 "$tmp/out.txt")" = 0 ] || { cat "$tmp/out.txt"; return 1; }
	# a school user is no portal
	review_refused wqr portal expire || return 1
	review_has "$tmp/err.txt" "没有权限" || return 1
}
