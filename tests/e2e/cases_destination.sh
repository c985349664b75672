# cases_destination.sh: destination registrations (去向登记), on the command
# line (wq portal student destination, wq review ... on a registration, wq
# destination change) and on the screen (去向登记管理), run as the real binary
# (sourced by run.sh).  School 10005 is theirs alone, reviewed by the school.

DEST_SCHOOL=北京去向示例大学

# School 10005 with its school user he5, a 院系 clerk lv5, a portal account
# and 20 graduates who may register, with 填报去向登记 on; once.
dest_school() {
	[ -f "$tmp/dest_school" ] && return 0
	{
		"${admin[@]}" admin school add 10005 --name "$DEST_SCHOOL" --province 11 &&
		printf 'pw-he5-long\n' | "${admin[@]}" admin account add he5 --kind school --school 10005 \
			--name 何老师 --password-stdin &&
		printf 'pw-gate5-long\n' | "${admin[@]}" admin account add gate5 --kind portal --password-stdin &&
		"$wq" demo roster "$tmp/dest.csv" --students 20 --school 10005 --name "$DEST_SCHOOL" --seed 5 &&
		wqd roster import "$tmp/dest.csv"
	} >"$tmp/dest_setup.log" 2>&1 || { cat "$tmp/dest_setup.log"; return 1; }
	local dept
	dept=$(sql "SELECT dept FROM wq.student WHERE school_code = '10005' GROUP BY dept ORDER BY count(*) DESC, dept LIMIT 1")
	printf 'pw-lv5-long\n' | "${admin[@]}" admin account add lv5 --kind dept --school 10005 --dept "$dept" \
		--name 吕老师 --password-stdin >>"$tmp/dest_setup.log" 2>&1 || { cat "$tmp/dest_setup.log"; return 1; }
	sql "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' WHERE school_code = '10005'" >/dev/null
	sql "UPDATE wq.school_settings SET online_signing = true, destination = true WHERE school_code = '10005'" >/dev/null
	touch "$tmp/dest_school"
}

wqd() {
	PGPASSWORD=pw-he5-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=he5" "$@"
}
wqp5() {
	PGPASSWORD=pw-gate5-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=gate5" "$@"
}

# The n-th graduate (from 1) of school 10005: 学号, or with "name" the 姓名.
dest_student() {
	local col=student_no
	[ "${2:-}" = name ] && col=name
	sql "SELECT $col FROM wq.student WHERE school_code = '10005' ORDER BY student_no OFFSET $(($1 - 1)) LIMIT 1"
}

dest_ok() {
	"$@" >"$tmp/out.txt" 2>"$tmp/err.txt" || { echo "failed ($?): $*"; cat "$tmp/out.txt" "$tmp/err.txt"; return 1; }
}

dest_has() {   # file text
	grep -qF -- "$2" "$1" || { echo "expected in $1: $2"; echo "-----"; cat "$1"; echo "-----"; return 1; }
}

dest_state() {   # id -> state
	sql "SELECT state FROM wq.destination WHERE id = $1"
}

# The command line: a registration returned with a reason, resubmitted with
# another code, passed; the roster and its export then show the 毕业去向.
case_destination_return_resubmit_pass_cli() {
	dest_school || return 1
	local sno id
	sno=$(dest_student 1)
	# a field the code does not need is refused, naming it
	wqp5 portal student destination --school 10005 --student "$sno" --code 76 --unit-name 某公司 \
		>/dev/null 2>"$tmp/err.txt" && { echo "an unexpected field was taken"; return 1; }
	dest_has "$tmp/err.txt" "毕业去向 76 不需要字段：单位名称" || return 1
	dest_ok wqp5 portal student destination --school 10005 --student "$sno" --code 76 --description 独立插画师 || return 1
	dest_has "$tmp/out.txt" "去向登记审核中" || return 1
	id=$(tail -n 1 "$tmp/out.txt")
	[[ "$id" =~ ^[0-9]+$ ]] || { echo "the last line is not an id: $id"; return 1; }
	dest_ok wqd review list --queue destination --status pending || return 1
	head -n 1 "$tmp/out.txt" | grep -q "^ID	状态" || { cat "$tmp/out.txt"; return 1; }
	grep -q "^$id	去向登记审核中	.*76	76 自由职业（独立插画师）	学生登记" "$tmp/out.txt" || { cat "$tmp/out.txt"; return 1; }
	# 退回修改 needs its reason; the category is looked up among the registration's
	dest_ok wqd review return "$id" --category 材料不全 --reason 请补充合同或收入证明 || return 1
	[ "$(tail -n 1 "$tmp/out.txt")" = "去向登记退回修改" ] || { cat "$tmp/out.txt"; return 1; }
	# the graduate resubmits with another code and its fields
	dest_ok wqp5 portal student resubmit "$id" --code 80 --institution 北京大学 --study-level 研究生 || return 1
	[ "$(tail -n 1 "$tmp/out.txt")" = "$id" ] || { cat "$tmp/out.txt"; return 1; }
	[ "$(sql "SELECT state || ' ' || code || ' ' || subtype FROM wq.destination WHERE id = $id")" = "pending 80 研究生" ] || return 1
	dest_ok wqd review pass "$id" || return 1
	[ "$(tail -n 1 "$tmp/out.txt")" = "去向登记审核通过" ] || { cat "$tmp/out.txt"; return 1; }
	dest_ok wqd review show "$id" || return 1
	dest_has "$tmp/out.txt" "80 升学（研究生，北京大学）" || return 1
	dest_has "$tmp/out.txt" "退回修改" || return 1
	dest_has "$tmp/out.txt" "材料不全：请补充合同或收入证明" || return 1
	dest_has "$tmp/out.txt" "重新提交" || return 1
	# the roster's export: code and name, 未登记 for the others
	dest_ok wqd roster export "$tmp/dest_roster.csv" || return 1
	grep -q "$sno.*,80,升学" "$tmp/dest_roster.csv" || { head -3 "$tmp/dest_roster.csv"; return 1; }
	grep -q "$(dest_student 2).*,,未登记" "$tmp/dest_roster.csv" || { head -3 "$tmp/dest_roster.csv"; return 1; }
	# the school's change: it must be agreed with the graduate
	wqd destination change "$sno" --code 70 >/dev/null 2>"$tmp/err.txt" && { echo "changed without agreeing"; return 1; }
	dest_has "$tmp/err.txt" "--agreed-with-student" || return 1
	dest_ok wqd destination change "$sno" --code 70 --agreed-with-student || return 1
	[ "$(dest_state "$id")" = voided ] || { echo "the old one is $(dest_state "$id")"; return 1; }
	[ "$(sql "SELECT destination_code FROM wq.student WHERE school_code = '10005' AND student_no = '$sno'")" = 70 ] || return 1
	# a 院系 clerk may not
	PGPASSWORD=pw-lv5-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=lv5" destination change "$sno" --code 71 \
		--agreed-with-student >/dev/null 2>&1 && { echo "a 院系 clerk changed it"; return 1; }
	return 0
}

# By keyboard: the registration and its proof in 去向登记管理, 退回修改 with a
# Chinese reason, the graduate resubmits, 通过; the roster shows the 毕业去向.
case_destination_screen_return_resubmit_pass() {
	dest_school || return 1
	local sno name id
	sno=$(dest_student 3)
	name=$(dest_student 3 name)
	printf '\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00\x3a\x7e\x9b\x55\x00\x00\x00\x0aIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\xb1\x38\xf6\x14\x00\x00\x00\x00IEND\xae\x42\x60\x82' >"$tmp/劳动合同.png"
	id=$(wqp5 portal student destination --school 10005 --student "$sno" --code 11 --unit-name 北京示例文化有限公司 \
		--file "$tmp/劳动合同.png" | tail -n 1) || return 1
	[[ "$id" =~ ^[0-9]+$ ]] || { echo "destination printed: $id"; return 1; }
	start_wq
	login he5 pw-he5-long || return 1
	expect "首页" || return 1
	type_text ":destination"
	keys Enter
	expect "去向登记管理" || return 1
	expect " 去向登记审核中 " || return 1
	expect "$name" || return 1
	expect "11 签劳动合同形式就业" || return 1
	keys Enter
	expect "去向信息" || return 1
	expect "单位名称" || return 1
	keys NPage
	expect "证明材料  劳动合同.png  image/png" || return 1
	keys o
	expect "保存（Ctrl-S）" || return 1
	keys Enter
	expect "已保存附件：" || return 1
	cmp "$tmp/劳动合同.png" "$tmp/去向登记$id-劳动合同.png" || { echo "the saved file differs"; return 1; }
	keys r
	expect "原因类别" || return 1
	keys Tab
	type_text "合同扫描不清晰，请重新上传"
	keys C-s
	expect "具体问题：合同扫描不清晰，请重新上传" || return 1
	keys y
	expect "已退回修改" || return 1
	[ "$(dest_state "$id")" = returned ] || { echo "state $(dest_state "$id")"; return 1; }
	[ "$(sql "SELECT reason FROM wq.destination WHERE id = $id")" = "合同扫描不清晰，请重新上传" ] || return 1
	# back on the queue (nothing else waits): the graduate resubmits, and the
	# open queue shows it again without a key press
	expect "后面没有了" || return 1
	wqp5 portal student resubmit "$id" --file "$tmp/劳动合同.png" >/dev/null || return 1
	expect "$name" || return 1
	keys a
	expect "通过（y）" || return 1
	keys y
	expect "已通过，去向登记审核通过" || return 1
	[ "$(dest_state "$id")" = approved ] || { echo "state $(dest_state "$id")"; return 1; }
	# the tabs: t to 去向登记审核不通过, again to 去向登记审核通过, where it is
	keys w t t
	expect "$name" || return 1
	# the roster shows the 毕业去向
	type_text ":students"
	keys Enter
	expect "学生名单" || return 1
	keys /
	type_text "$sno"
	keys Enter
	expect "筛选:$sno" || return 1
	expect_line "显示 1 / [0-9]+ 条" || return 1
	# the 毕业去向 column, scrolled to (l)
	local i
	for i in $(seq 1 12); do
		screen | grep -qF "11 签劳动合同形式就业" && break
		keys l
		sleep 0.1
	done
	expect "毕业去向" || return 1
	expect "11 签劳动合同形式就业" || return 1
	# the student's page: the field and the registration's events
	keys Enter
	expect_line "毕业去向 +11 签劳动合同形式就业" || return 1
	keys NPage
	expect "去向登记：通过，去向登记审核通过" || return 1
	expect "去向登记：退回修改，去向登记退回修改（原因：" || return 1
}

# 修改去向 by keyboard (a school user): the form, the question that it was
# agreed with the graduate, the registration that stands approved.
case_destination_screen_change() {
	dest_school || return 1
	local sno name id
	sno=$(dest_student 4)
	name=$(dest_student 4 name)
	id=$(wqp5 portal student destination --school 10005 --student "$sno" --code 46 | tail -n 1) || return 1
	start_wq
	login he5 pw-he5-long || return 1
	expect "首页" || return 1
	type_text ":destination"
	keys Enter
	expect "去向登记管理" || return 1
	keys /
	type_text "$sno"
	keys Enter
	expect "筛选:$sno" || return 1
	expect_line "显示 1 / [0-9]+ 条" || return 1
	keys Enter
	expect "46 应征义务兵" || return 1
	expect "e 修改去向" || return 1
	keys e
	expect "修改去向" || return 1
	expect "毕业去向" || return 1
	# 72 其他暂不就业: Right moves through the codes
	local i
	for i in $(seq 1 20); do
		screen | grep -qF "72 其他暂不就业" && break
		keys Right
		sleep 0.1
	done
	expect "72 其他暂不就业" || return 1
	keys C-s
	expect "请确认已与毕业生协商一致" || return 1
	keys y
	expect "已修改毕业去向为 72 其他暂不就业" || return 1
	[ "$(dest_state "$id")" = voided ] || { echo "state $(dest_state "$id")"; return 1; }
	[ "$(sql "SELECT destination_code FROM wq.student WHERE school_code = '10005' AND student_no = '$sno'")" = 72 ] || return 1
}
