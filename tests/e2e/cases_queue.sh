# cases_queue.sh: the review queues on the screens (在线签约管理, 补登管理):
# items made by the portal's commands appear in an open queue without a key
# press; a department clerk and the school user decide them by keyboard; a
# 退回修改 with a Chinese reason; two clerks on one item; a batch pass
# (sourced by run.sh).  School 10004 is theirs alone, reviewed 先院系再校级审核.

QUEUE_SCHOOL=北京队列示例大学
QUEUE_EMP=91110108MA01ABCD1E

# School 10004 with its school user qian4, a 院系 clerk sun4 of its largest 院系,
# a portal account and 30 graduates who may sign; once.
queue_school() {
	[ -f "$tmp/queue_school" ] && return 0
	{
		"${admin[@]}" admin school add 10004 --name "$QUEUE_SCHOOL" --province 11 &&
		printf 'pw-qian4-long\n' | "${admin[@]}" admin account add qian4 --kind school --school 10004 \
			--name 钱老师 --password-stdin &&
		printf 'pw-gate4-long\n' | "${admin[@]}" admin account add gate4 --kind portal --password-stdin &&
		"$wq" demo roster "$tmp/queue.csv" --students 30 --school 10004 --name "$QUEUE_SCHOOL" --seed 4 &&
		PGPASSWORD=pw-qian4-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=qian4" roster import "$tmp/queue.csv"
	} >"$tmp/queue_setup.log" 2>&1 || { cat "$tmp/queue_setup.log"; return 1; }
	QUEUE_DEPT=$(sql "SELECT dept FROM wq.student WHERE school_code = '10004' GROUP BY dept ORDER BY count(*) DESC, dept LIMIT 1")
	printf 'pw-sun4-long\n' | "${admin[@]}" admin account add sun4 --kind dept --school 10004 --dept "$QUEUE_DEPT" \
		--name 孙老师 --password-stdin >>"$tmp/queue_setup.log" 2>&1 || { cat "$tmp/queue_setup.log"; return 1; }
	sql "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' WHERE school_code = '10004'" >/dev/null
	sql "UPDATE wq.school_settings SET online_signing = true, registration = true, review_mode = 'dept_then_school'
	     WHERE school_code = '10004'" >/dev/null
	wqp4 portal employer add "$QUEUE_EMP" --name 深圳示例电子有限公司 >/dev/null || return 1
	touch "$tmp/queue_school"
}

wqp4() {
	PGPASSWORD=pw-gate4-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=gate4" "$@"
}

# The n-th graduate (from 1) of the clerk's 院系: 学号, or with "name" the 姓名.
queue_student() {
	local col=student_no
	[ "${2:-}" = name ] && col=name
	sql "SELECT $col FROM wq.student WHERE school_code = '10004' AND dept = (SELECT dept FROM wq.account WHERE login = 'sun4')
	     ORDER BY student_no OFFSET $(($1 - 1)) LIMIT 1"
}

# An accepted invitation of the n-th graduate; prints its id.
queue_item() {
	local id
	id=$(wqp4 portal invite --employer "$QUEUE_EMP" --school 10004 --student "$(queue_student "$1")" \
		--position 测试工程师 | tail -n 1) || return 1
	wqp4 portal student accept "$id" >/dev/null || return 1
	echo "$id"
}

queue_state() {   # id -> state/level
	sql "SELECT state || '/' || coalesce(review_level, '-') FROM wq.agreement WHERE id = $1"
}

case_queue_invitation_appears_live_and_is_signed() {
	queue_school || return 1
	local name id
	name=$(queue_student 1 name)
	start_wq
	login sun4 pw-sun4-long || return 1
	expect "首页" || return 1
	type_text ":signing"
	keys Enter
	expect "在线签约管理" || return 1
	expect "只显示待我审核的" || return 1
	# the graduate accepts an invitation: it shows up without a key press
	id=$(queue_item 1) || return 1
	expect "$name" || return 1
	expect_line "在线签约 [0-9]+" || return 1   # the sidebar counts it
	# the 院系 clerk: Enter, a, y
	keys Enter
	expect "协议信息" || return 1
	expect "深圳示例电子有限公司" || return 1
	keys a
	expect "审核：通过" || return 1
	expect "[ 取消 ]" || return 1
	keys Enter   # the focus is on 取消: Enter cancels
	expect "已取消" || return 1
	[ "$(queue_state "$id")" = "pending_review/dept" ] || { echo "decided by Enter on 取消"; return 1; }
	keys a
	expect "审核：通过" || return 1
	keys y
	expect "已通过" || return 1
	[ "$(queue_state "$id")" = "pending_review/school" ] || { echo "state $(queue_state "$id")"; return 1; }
	# the school user passes it: 签约成功
	start_wq
	login qian4 pw-qian4-long || return 1
	expect "首页" || return 1
	type_text ":signing"
	keys Enter
	expect "$name" || return 1
	keys /
	type_text "$name"
	keys Enter
	expect "显示 1 /" || return 1
	sleep 0.3
	keys Enter
	expect "院系已通过，等待学校审核" || return 1
	keys a
	expect "审核：通过" || return 1
	keys y
	expect "签约成功" || return 1
	[ "$(queue_state "$id")" = "signed/-" ] || { echo "state $(queue_state "$id")"; return 1; }
	# 下载就业协议书 from the item's page: the whole queue (w), the item, p
	local no
	no=$(sql "SELECT protocol_no FROM wq.agreement WHERE id = $id")
	keys w   # the filter still holds the name
	expect "显示全部" || return 1
	expect "签约成功" || return 1
	sleep 0.3
	keys Enter
	expect "协议信息" || return 1
	keys p
	expect "保存（Ctrl-S）" || return 1
	expect "就业协议书-$no.pdf" || return 1
	keys Enter   # the last field: Enter saves
	expect "已保存就业协议书：$tmp/就业协议书-$no.pdf" || return 1
	pdftotext -layout "$tmp/就业协议书-$no.pdf" - >"$tmp/agreement.txt" || return 1
	grep -qF "$no" "$tmp/agreement.txt" && grep -qF "$name" "$tmp/agreement.txt" \
		&& grep -qF "深圳示例电子有限公司" "$tmp/agreement.txt" && grep -qF "审核记录" "$tmp/agreement.txt" \
		|| { echo "the PDF lacks a field"; cat "$tmp/agreement.txt"; return 1; }
	# again: the file exists, so it asks before replacing it
	keys p
	expect "保存（Ctrl-S）" || return 1
	keys Enter
	expect "这个文件已经存在" || return 1
	keys n
	keys Escape
	expect_gone "保存（Ctrl-S）" || return 1
	# the history names both reviewers
	[ "$(sql "SELECT count(*) FROM wq.event WHERE entity = 'agreement' AND entity_id = '$id'")" = 4 ] || return 1
}

case_queue_return_with_a_chinese_reason() {
	queue_school || return 1
	local id name
	name=$(queue_student 2 name)
	id=$(wqp4 portal student apply-offline --school 10004 --student "$(queue_student 2)" --employer "$QUEUE_EMP" \
		| tail -n 1) || return 1
	start_wq
	login sun4 pw-sun4-long || return 1
	expect "首页" || return 1
	type_text ":signing"
	keys Enter
	expect "$name" || return 1
	keys /
	type_text "$name"
	keys Enter
	expect "显示 1 / 1 条" || return 1
	sleep 0.3
	keys Enter
	expect "就业协议审核中" || return 1
	keys r
	expect "原因类别" || return 1
	keys Right Right   # the third reason of 线下签约
	keys Tab
	type_text "岗位名称与招聘公告不一致，请修改"
	keys BSpace
	type_text "改"
	keys C-s
	expect "具体问题：岗位名称与招聘公告不一致，请修改" || return 1
	keys y
	expect "已退回修改" || return 1
	[ "$(queue_state "$id")" = "draft_returned/-" ] || { echo "state $(queue_state "$id")"; return 1; }
	[ "$(sql "SELECT reason_category || ' ' || reason FROM wq.agreement WHERE id = $id")" = \
		"stamp_unclear 岗位名称与招聘公告不一致，请修改" ] || { sql "SELECT reason_category, reason FROM wq.agreement WHERE id = $id"; return 1; }
	# the graduate is told, with the reason
	sql "SELECT text FROM wq.notice WHERE item_id = $id ORDER BY id DESC LIMIT 1" | grep -qF "岗位名称与招聘公告不一致" || return 1
}

# Two clerks of the school on one item: the first wins; the second is told
# who acted first, and the reason typed stays for another try.
case_queue_two_clerks_one_item() {
	queue_school || return 1
	local id name
	name=$(queue_student 3 name)
	id=$(queue_item 3) || return 1
	sql "UPDATE wq.school_settings SET review_mode = 'school' WHERE school_code = '10004'" >/dev/null
	start_wq
	t new-session -d -s e2e2 -x 100 -y 30 -c "$tmp" \
		env LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC ASAN_OPTIONS=detect_leaks=0 "$wq" --config "$tmp/wq.yaml"
	local p
	for p in e2e e2e2; do
		t send-keys -t $p -l qian4
		t send-keys -t $p Enter
		t send-keys -t $p -l pw-qian4-long
		t send-keys -t $p Enter
	done
	expect "首页" || return 1
	for p in e2e e2e2; do
		t send-keys -t $p -l ":signing"
		t send-keys -t $p Enter
		t send-keys -t $p -l "/$name"
		t send-keys -t $p Enter
	done
	expect "$name" || return 1
	sleep 1
	# the second clerk starts a 不通过 with a reason; the first passes meanwhile
	t send-keys -t e2e2 Enter
	sleep 0.5
	t send-keys -t e2e2 x
	sleep 0.3
	t send-keys -t e2e2 Tab
	t send-keys -t e2e2 -l "单位资质存疑"
	t send-keys -t e2e2 C-s
	sleep 0.5
	keys Enter
	expect "协议信息" || return 1
	keys a
	expect "审核：通过" || return 1
	keys y
	expect "已通过" || return 1
	[ "$(queue_state "$id")" = "signed/-" ] || { echo "state $(queue_state "$id")"; return 1; }
	t send-keys -t e2e2 y
	local i
	for i in $(seq 1 50); do
		t capture-pane -p -t e2e2 | grep -qF "已被 钱老师（学校用户）于" && break
		sleep 0.1
	done
	t capture-pane -p -t e2e2 | grep -qF "已被 钱老师（学校用户）于" || { echo "no conflict message"; t capture-pane -p -t e2e2; return 1; }
	[ "$(queue_state "$id")" = "signed/-" ] || return 1
	# what the second typed is kept, and said
	t capture-pane -p -t e2e2 | grep -qF "（填写的具体问题已保留）该协议已被 钱老师" || { echo "the reason was lost"; t capture-pane -p -t e2e2; return 1; }
	# the item as it is now: signed, nothing more to decide
	t send-keys -t e2e2 x
	sleep 0.5
	t capture-pane -p -t e2e2 | grep -qF "下你不能不通过" || { echo "x was taken"; t capture-pane -p -t e2e2; return 1; }
	# once the item can be decided again (here: put back by hand), the text is there
	sql "UPDATE wq.agreement SET state = 'pending_review', review_level = 'school', version = version + 1 WHERE id = $id" >/dev/null
	sleep 0.5
	t send-keys -t e2e2 R
	sleep 1
	t send-keys -t e2e2 x
	sleep 0.5
	t capture-pane -p -t e2e2 | grep -qF "单位资质存疑" || { echo "the reason was lost"; t capture-pane -p -t e2e2; return 1; }
	t kill-session -t e2e2
	sql "UPDATE wq.school_settings SET review_mode = 'dept_then_school' WHERE school_code = '10004'" >/dev/null
}

case_queue_batch_pass() {
	queue_school || return 1
	sql "UPDATE wq.school_settings SET review_mode = 'dept_then_school' WHERE school_code = '10004'" >/dev/null
	local a b
	a=$(queue_item 4) || return 1
	b=$(queue_item 5) || return 1
	start_wq
	login sun4 pw-sun4-long || return 1
	expect "首页" || return 1
	type_text ":signing"
	keys Enter
	expect "$(queue_student 4 name)" || return 1
	expect "$(queue_student 5 name)" || return 1
	keys /
	type_text "$(queue_student 4)"
	keys Enter
	expect "显示 1 / 2 条" || return 1
	sleep 0.3
	keys Space
	expect "已标记 1" || return 1
	keys /
	keys Escape
	expect "显示 2 / 2 条" || return 1
	keys /
	type_text "$(queue_student 5)"
	keys Enter
	expect "显示 1 / 2 条" || return 1
	sleep 0.3
	keys Space
	expect "已标记 2" || return 1
	keys a
	expect "将通过已标记的 2 项" || return 1
	keys y
	expect "批量通过：成功 2 项，失败 0 项" || return 1
	[ "$(queue_state "$a")" = "pending_review/school" ] || { echo "state $(queue_state "$a")"; return 1; }
	[ "$(queue_state "$b")" = "pending_review/school" ] || { echo "state $(queue_state "$b")"; return 1; }
}

# 补登管理: a 补登 sent with its scan; the clerk sees the file on the item's
# page and saves it (the same bytes); the tabs.
case_queue_registration_file_shown_and_saved() {
	queue_school || return 1
	sql "UPDATE wq.school_settings SET review_mode = 'school' WHERE school_code = '10004'" >/dev/null
	local name id sno other
	# two graduates of the school with no agreement yet
	sno=$(sql "SELECT student_no FROM wq.student s WHERE school_code = '10004' AND NOT EXISTS
		(SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id) ORDER BY student_no DESC LIMIT 1")
	other=$(sql "SELECT student_no FROM wq.student s WHERE school_code = '10004' AND NOT EXISTS
		(SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id) ORDER BY student_no DESC OFFSET 1 LIMIT 1")
	name=$(sql "SELECT name FROM wq.student WHERE school_code = '10004' AND student_no = '$sno'")
	printf '\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00\x3a\x7e\x9b\x55\x00\x00\x00\x0aIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\xb1\x38\xf6\x14\x00\x00\x00\x00IEND\xae\x42\x60\x82' >"$tmp/协议书扫描.png"
	id=$(wqp4 portal student register --school 10004 --student "$sno" --employer "$QUEUE_EMP" \
		--file "$tmp/协议书扫描.png" | tail -n 1) || return 1
	[[ "$id" =~ ^[0-9]+$ ]] || { echo "register printed: $id"; return 1; }
	# a file that is not JPEG, PNG or PDF: refused, and no 补登 made
	echo "not a scan" >"$tmp/scan.png"
	local before
	before=$(sql "SELECT count(*) FROM wq.agreement WHERE school_code = '10004'")
	wqp4 portal student register --school 10004 --student "$other" --employer "$QUEUE_EMP" \
		--file "$tmp/scan.png" >/dev/null 2>"$tmp/err.txt" && { echo "a text file was taken"; return 1; }
	grep -qF "JPEG、PNG 或 PDF" "$tmp/err.txt" || { cat "$tmp/err.txt"; return 1; }
	[ "$(sql "SELECT count(*) FROM wq.agreement WHERE school_code = '10004'")" = "$before" ] || { echo "a 补登 was left"; return 1; }
	start_wq
	login qian4 pw-qian4-long || return 1
	expect "首页" || return 1
	type_text ":registration"
	keys Enter
	expect "补登管理" || return 1
	expect " 签约审核中 " || return 1
	expect "$name" || return 1
	keys Enter
	expect "协议信息" || return 1
	keys NPage
	expect "已签的就业协议书  协议书扫描.png  image/png" || return 1
	keys o
	expect "保存（Ctrl-S）" || return 1
	keys Enter
	expect "已保存附件：" || return 1
	local no
	no=$(sql "SELECT protocol_no FROM wq.agreement WHERE id = $id")
	cmp "$tmp/协议书扫描.png" "$tmp/$no-协议书扫描.png" || { echo "the saved file differs"; return 1; }
	# the tabs: t goes to 签约审核不通过, then 签约审核通过
	keys q
	expect_gone "已签的就业协议书" || return 1
	keys w t
	expect "没有补登" || return 1
	sql "UPDATE wq.school_settings SET review_mode = 'dept_then_school' WHERE school_code = '10004'" >/dev/null
}
