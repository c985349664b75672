# cases_province.sh: a province user's 签约设置, on the screen and on the
# command line (sourced by run.sh).  Province 32 and its school 10284 are
# these cases' alone, so that the agreement type they change shows nowhere
# else; each case starts from 三方协议.  expect_leave_asks is cases_settings.sh's.

PROV_SCHOOL=江苏示例大学
PROV_EMP=91310115MA1H7KKK0W

# Province 32 (三方协议 again), its province users shengji and shengji2 and
# the school user jssun of its school 10284.
province_setup() {
	"${admin[@]}" admin province set 32 --name 江苏省 --agreement-type three-party >"$tmp/province_setup.log" 2>&1 \
		|| { cat "$tmp/province_setup.log"; return 1; }
	[ -f "$tmp/province_accounts" ] && return 0
	{
		"${admin[@]}" admin school add 10284 --name "$PROV_SCHOOL" --province 32 &&
		printf 'pw-shengji-long\n' | "${admin[@]}" admin account add shengji --kind province --province 32 \
			--name 钱处长 --password-stdin &&
		printf 'pw-shengji2-long\n' | "${admin[@]}" admin account add shengji2 --kind province --province 32 \
			--name 李科长 --password-stdin &&
		printf 'pw-jssun-long\n' | "${admin[@]}" admin account add jssun --kind school --school 10284 \
			--name 孙老师 --password-stdin
	} >>"$tmp/province_setup.log" 2>&1 || { cat "$tmp/province_setup.log"; return 1; }
	touch "$tmp/province_accounts"
}

wq_as() {   # login, then wq's arguments
	local login=$1
	shift
	PGPASSWORD="pw-$login-long" "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=$login" "$@"
}

# Logs in as shengji and opens 签约设置 from the module list.
open_province_settings() {
	start_wq
	login shengji pw-shengji-long || return 1
	expect "钱处长（省级用户）· 三方协议" || return 1
	# 首页, 学生名单, 数据统计, 签约设置: the province's own 签约设置
	keys Down Down Down
	expect "▸签约设置" || return 1
	keys Enter
	expect "┌─ 签约设置 · 江苏省" || return 1
	expect "江苏省（32）· 三方协议：本省学校、院系审核" || return 1
	expect_line "▸ *协议类型 +◂ 三方协议 ▸" || return 1
}

case_province_sets_two_party_schools_say_jianzheng() {
	province_setup || return 1
	open_province_settings || return 1
	expect "版本 " || return 1
	expect "←/→ 或 Space 选择；本省各学校、院系随之显示鉴证或审核" || return 1
	keys Space
	expect_line "协议类型 +◂ 两方协议 ▸ +（原：三方协议）" || return 1
	expect "有 1 项修改尚未保存" || return 1
	# Ctrl-S asks first, listing the change; the focus is on 取消 and Ctrl-S again does not confirm
	keys C-s
	expect "┌─ 保存签约设置 " || return 1
	expect "确定保存以下 1 项修改？" || return 1
	expect "协议类型：三方协议 → 两方协议" || return 1
	expect "y 保存   n/Esc 取消" || return 1
	keys C-s
	sleep 0.3
	expect "协议类型：三方协议 → 两方协议" || return 1
	[ "$(sql "SELECT agreement_type FROM wq.province WHERE code = '32'")" = three_party ] \
		|| { echo "saved before y"; return 1; }
	keys y
	expect "已保存签约设置" || return 1
	expect "钱处长 修改于" || return 1
	expect "江苏省（32）· 两方协议：本省学校、院系鉴证" || return 1
	expect_not "修改尚未保存" || return 1
	# the user's own status bar follows
	expect "钱处长（省级用户）· 两方协议" || return 1
	[ "$(sql "SELECT agreement_type FROM wq.province WHERE code = '32'")" = two_party ] \
		|| { echo "not saved"; return 1; }
	[ "$(sql "SELECT count(*) FROM wq.event WHERE entity = 'province' AND entity_id = '32' AND actor = 'shengji'
	         AND before->>'agreement_type' = 'three_party' AND after->>'agreement_type' = 'two_party'")" = 1 ] \
		|| { echo "expected one event with before and after"; return 1; }
	keys Q
	expect_exit || return 1
	# a school of the province: its home screen says 两方协议 and 鉴证
	start_wq
	login jssun pw-jssun-long || return 1
	expect "$PROV_SCHOOL · 孙老师（学校用户）· 两方协议" || return 1
	expect "欢迎，孙老师（学校用户）" || return 1
	expect "两方协议：学校、院系鉴证" || return 1
	expect_not "学校、院系审核" || return 1
	# and its 签约设置 too
	keys ':'; type_text 'settings'; keys Enter
	expect "两方协议：学校、院系鉴证（省级设置）" || return 1
}

case_province_settings_stale_and_leave() {
	province_setup || return 1
	open_province_settings || return 1
	keys Space
	expect "有 1 项修改尚未保存" || return 1
	# meanwhile the other province user saves the same on the command line
	wq_as shengji2 settings set agreement_type=两方协议 >"$tmp/province_cli.log" 2>&1 \
		|| { cat "$tmp/province_cli.log"; return 1; }
	keys C-s
	expect "协议类型：三方协议 → 两方协议" || return 1
	keys y
	# refused with who saved first; read again: what they saved is what this user wanted
	expect "省级签约设置已被 李科长（省级用户）于" || return 1
	expect "当前协议类型：两方协议" || return 1
	expect "李科长 修改于" || return 1
	expect_line "协议类型 +◂ 两方协议 ▸" || return 1
	expect_not "修改尚未保存" || return 1
	# leaving with an unsaved change asks first (Esc, q); y leaves and drops it
	keys Space
	expect "有 1 项修改尚未保存" || return 1
	expect_leave_asks || return 1
	keys Enter
	expect_line "协议类型 +◂ 两方协议 ▸" || return 1
	expect_not "修改尚未保存" || return 1
	[ "$(sql "SELECT agreement_type FROM wq.province WHERE code = '32'")" = two_party ] \
		|| { echo "the dropped change was saved"; return 1; }
}

case_province_settings_cli() {
	province_setup || return 1
	local out=$tmp/province_cli.log v n
	wq_as shengji settings show >"$out" 2>&1 || { cat "$out"; return 1; }
	grep -qP '^agreement_type\t协议类型\t三方协议$' "$out" || { cat "$out"; return 1; }
	grep -q "32 江苏省，版本 " "$out" || { cat "$out"; return 1; }
	wq_as shengji settings set agreement_type=两方协议 >"$out" 2>&1 || { cat "$out"; return 1; }
	grep -q "已保存：协议类型 两方协议（版本 " "$out" || { cat "$out"; return 1; }
	wq_as shengji2 settings show >"$out" 2>&1 || { cat "$out"; return 1; }
	grep -qP '^agreement_type\t协议类型\t两方协议$' "$out" || { cat "$out"; return 1; }
	grep -q "由 钱处长 修改" "$out" || { cat "$out"; return 1; }
	# the same again changes nothing: the version stays, no event
	v=$(sql "SELECT version FROM wq.province WHERE code = '32'")
	n=$(sql "SELECT count(*) FROM wq.event WHERE entity = 'province' AND entity_id = '32'")
	wq_as shengji settings set agreement_type=two_party >"$out" 2>&1 || { cat "$out"; return 1; }
	grep -q "已保存：协议类型 两方协议（版本 $v）" "$out" || { cat "$out"; return 1; }
	[ "$(sql "SELECT count(*) FROM wq.event WHERE entity = 'province' AND entity_id = '32'")" = "$n" ] \
		|| { echo "an unchanged save left an event"; return 1; }
	# a value that is no type, and a key a province does not have
	wq_as shengji settings set agreement_type=四方协议 >"$out" 2>&1 && { echo "took 四方协议"; return 1; }
	grep -q "协议类型应为 两方协议 或 三方协议" "$out" || { cat "$out"; return 1; }
	wq_as shengji settings set max_terminations=3 >"$out" 2>&1 && { echo "took max_terminations"; return 1; }
	grep -q "省级用户只能设置 agreement_type=两方协议|三方协议" "$out" || { cat "$out"; return 1; }
	# the school reads it; it cannot set it
	wq_as jssun settings show >"$out" 2>&1 || { cat "$out"; return 1; }
	wq_as jssun settings set agreement_type=三方协议 >"$out" 2>&1 && { echo "a school set the type"; return 1; }
	grep -q "未知的设置项 agreement_type" "$out" || { cat "$out"; return 1; }
	[ "$(sql "SELECT agreement_type FROM wq.province WHERE code = '32'")" = two_party ] || return 1
}

# School 10284's graduates (5, who may sign), a portal account gate32, and
# one offline application of the first graduate, waiting for the school; once.
province_school_item() {
	[ -f "$tmp/province_item" ] && return 0
	local sno
	{
		"$wq" demo roster "$tmp/province.csv" --students 5 --school 10284 --name "$PROV_SCHOOL" --seed 32 &&
		wq_as jssun roster import "$tmp/province.csv" &&
		printf 'pw-gate32-long\n' | "${admin[@]}" admin account add gate32 --kind portal --password-stdin
	} >>"$tmp/province_setup.log" 2>&1 || { cat "$tmp/province_setup.log"; return 1; }
	sql "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' WHERE school_code = '10284'" >/dev/null
	sql "UPDATE wq.school_settings SET online_signing = true WHERE school_code = '10284'" >/dev/null
	sno=$(sql "SELECT student_no FROM wq.student WHERE school_code = '10284' ORDER BY student_no LIMIT 1")
	{
		wq_as gate32 portal employer add "$PROV_EMP" --name 上海示例贸易有限公司 &&
		wq_as gate32 portal student apply-offline --school 10284 --student "$sno" --employer "$PROV_EMP" \
			--position 测试工程师
	} >>"$tmp/province_setup.log" 2>&1 || { cat "$tmp/province_setup.log"; return 1; }
	touch "$tmp/province_item"
}

# A school user is logged in when the province changes the type on the
# command line: the status bar, the queue (its rows and words), the item's
# page over it (at once, or once a form open on it closes), 首页 and 签约设置
# follow without logging in again, back and forth.  (A
# terminal 160 wide, so that the queue's 状态 column shows whole.)
case_province_change_shows_at_logged_in_school() {
	province_setup || return 1
	province_school_item || return 1
	start_wq
	t resize-window -t e2e -x 160 -y 30
	login jssun pw-jssun-long || return 1
	expect "$PROV_SCHOOL · 孙老师（学校用户）· 三方协议" || return 1
	expect "三方协议：学校、院系审核" || return 1
	keys ':'; type_text 'signing'; keys Enter
	expect "只显示待我审核的" || return 1
	expect "上海示例贸易有限公司" || return 1
	expect "就业协议审核中" || return 1
	keys Enter
	expect_line "状态 +就业协议审核中" || return 1
	keys NPage
	expect "审核记录" || return 1
	# the other province user sets 两方协议 on the command line (shengji's events are another case's)
	wq_as shengji2 settings set agreement_type=两方协议 >"$tmp/province_cli.log" 2>&1 \
		|| { cat "$tmp/province_cli.log"; return 1; }
	expect "省级签约设置已修改：协议类型 两方协议，学校、院系鉴证" || return 1
	expect "$PROV_SCHOOL · 孙老师（学校用户）· 两方协议" || return 1
	# the item's page, where it was scrolled: its heading, and its state as the
	# database labels it, read again
	expect "鉴证记录" || return 1
	expect_not "审核记录" || return 1
	expect "提交 → 就业协议鉴证中" || return 1
	keys PPage
	expect_line "状态 +就业协议鉴证中" || return 1
	expect_not "就业协议审核中" || return 1
	# a form opened on the page when the type changes back: it stays as it was
	# asked; the page follows once it closes
	keys r
	expect "鉴证：退回修改" || return 1
	wq_as shengji2 settings set agreement_type=三方协议 >"$tmp/province_cli.log" 2>&1 \
		|| { cat "$tmp/province_cli.log"; return 1; }
	expect "$PROV_SCHOOL · 孙老师（学校用户）· 三方协议" || return 1
	expect "鉴证：退回修改" || return 1
	keys Escape
	expect "已取消" || return 1
	expect_line "状态 +就业协议审核中" || return 1
	expect_not "就业协议鉴证中" || return 1
	# the queue under it: its rows, read again, and its words
	keys q
	expect "只显示待我审核的" || return 1
	expect "就业协议审核中" || return 1
	expect_not "就业协议鉴证中" || return 1
	# 首页 and 签约设置 say so too
	keys ':'; type_text 'home'; keys Enter
	expect "三方协议：学校、院系审核" || return 1
	keys ':'; type_text 'settings'; keys Enter
	expect "三方协议：学校、院系审核（省级设置）" || return 1
	# 两方协议 again while 签约设置 is open (the page's own reading is older)
	wq_as shengji2 settings set agreement_type=两方协议 >"$tmp/province_cli.log" 2>&1 \
		|| { cat "$tmp/province_cli.log"; return 1; }
	expect "两方协议：学校、院系鉴证（省级设置）" || return 1
	expect "$PROV_SCHOOL · 孙老师（学校用户）· 两方协议" || return 1
	expect_not "三方协议" || return 1
	# anyone may NOTIFY the channel: wq reads the type again, and it is what it was
	sql "NOTIFY wq_settings_32" >/dev/null
	sleep 0.5
	expect "$PROV_SCHOOL · 孙老师（学校用户）· 两方协议" || return 1
	expect "两方协议：学校、院系鉴证（省级设置）" || return 1
	keys Q
	expect_exit
}
