# cases_warning_screen.sh: 预警单位管理 on the screens: the school user marks
# an employer by keyboard, sees an employer five other schools marked in the
# national list, removes its own mark after the dialog; a department user
# has no such module (sourced by run.sh).  The codes are this file's own, so
# the command-line cases (cases_warning.sh) keep theirs.

WS_ADD=91110108MA01W0001Q      # marked by zhang on the screen
WS_REMOVE=91110108MA01W0002U   # marked by zhang on the command line, removed on the screen
WS_NATIONAL=91320500MA1N000035 # marked by five other schools
WS_NAME=苏州示例人力资源有限公司

ws_zhang() {
	PGPASSWORD=pw-zhang "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=zhang" "$@"
}

# Schools 10021-10025 and a school user of each (once; the employer is on
# the platform), who all mark WS_NATIONAL: three 违规单位, two 虚假宣传.
ws_five_schools() {
	if [ ! -f "$tmp/ws_five" ]; then
		ws_five_schools_add >"$tmp/ws_setup.log" 2>&1 || { cat "$tmp/ws_setup.log"; return 1; }
		touch "$tmp/ws_five"
	fi
	ws_five_schools_mark >"$tmp/ws_setup.log" 2>&1 || { cat "$tmp/ws_setup.log"; return 1; }
}

ws_five_schools_add() {
	local i
	printf 'pw-wsgate-long\n' | "${admin[@]}" admin account add wsgate --kind portal --password-stdin || return 1
	PGPASSWORD=pw-wsgate-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=wsgate" \
		portal employer add "$WS_NATIONAL" --name "$WS_NAME" || return 1
	for i in 1 2 3 4 5; do
		"${admin[@]}" admin school add "1002$i" --name "示例学院$i" --province 11 || return 1
		printf 'pw-ws%s-long\n' "$i" | "${admin[@]}" admin account add "ws$i" --kind school \
			--school "1002$i" --name "老师$i" --password-stdin || return 1
	done
}

ws_five_schools_mark() {
	local i cat
	for i in 1 2 3 4 5; do
		cat=违规单位
		[ "$i" -gt 3 ] && cat=虚假宣传
		PGPASSWORD="pw-ws$i-long" "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=ws$i" \
			warning add "$WS_NATIONAL" --category "$cat" --note "第 $i 所学校的标记" || return 1
	done
}

# Logs in as the school user and opens 预警单位管理 with the command line.
ws_open_as_zhang() {
	start_wq
	login zhang pw-zhang || return 1
	expect "张老师（学校用户）" || return 1
	keys ':'; type_text 'warning'; keys Enter
	expect "预警单位管理 · 北京示例大学" || return 1
}

# Moves the list's selection (the content's ▸) to the first row showing the text.
ws_select_row() {
	local _
	keys g
	for _ in $(seq 1 30); do
		sleep 0.1
		screen | grep -qE -- "│ ▸ .*$1" && return 0
		keys j
	done
	echo "no row shows: $1"
	screen
	return 1
}

# Takes back every mark of this file's codes, whatever the steps did, so that
# the other cases (cases_warning.sh) find the school without marks and the
# country without a national warning unit.
ws_clean() {
	sql "DELETE FROM wq.warning WHERE credit_code IN ('$WS_ADD', '$WS_REMOVE', '$WS_NATIONAL')" >/dev/null
}

# Runs the steps of a case, then cleans up; the steps' status is the case's.
ws_case() {
	local rc
	ws_clean
	"$@"
	rc=$?
	ws_clean
	return $rc
}

case_warning_screen_add_by_keyboard() { ws_case ws_add_by_keyboard; }
case_warning_screen_national_list() { ws_case ws_national_list; }
case_warning_screen_remove_after_confirm() { ws_case ws_remove_after_confirm; }

# ---- steps --------------------------------------------------------------------

ws_add_by_keyboard() {
	ws_open_as_zhang || return 1
	expect_line "统一社会信用代码 +单位名称 +预警类别 +备注" || return 1
	expect "a 标记预警单位" || return 1
	keys a
	expect "标记预警单位 ─" || return 1
	# the client check: a wrong check character is refused as it is typed
	type_text '91110108MA01W0001X'
	expect "校验位应为 Q" || return 1
	keys BSpace; type_text 'q'     # lower case is taken as upper case
	expect_gone "校验位应为" || return 1
	keys Tab
	expect "◂ 违规单位 ▸" || return 1
	keys Right Right
	expect "◂ 就业歧视 ▸" || return 1
	keys Tab
	type_text '招聘启事限定男性，拒收女生简历'
	keys C-s
	# the question first: n goes back to the form as typed
	expect "确定将以下单位标记为预警单位？" || return 1
	expect "预警类别          就业歧视" || return 1
	keys n
	expect "未提交：可继续修改" || return 1
	expect_not "确定将以下单位标记为预警单位？" || return 1
	[ "$(sql "SELECT count(*) FROM wq.warning WHERE credit_code = '$WS_ADD'")" -eq 0 ] || return 1
	keys C-s
	expect "确定将以下单位标记为预警单位？" || return 1
	keys y
	expect "已标记预警单位 $WS_ADD（就业歧视）" || return 1
	expect "本校标记 1" || return 1
	expect_line "$WS_ADD +（未在平台登记） +就业歧视 +招聘启事" || return 1
	[ "$(sql "SELECT category || '|' || note || '|' || marked_by FROM wq.warning
	          WHERE school_code = '10001' AND credit_code = '$WS_ADD'")" = "discrimination|招聘启事限定男性，拒收女生简历|zhang" ] \
		|| { sql "SELECT * FROM wq.warning WHERE credit_code = '$WS_ADD'"; return 1; }
	# a second mark of the same code says it replaces the school's own
	keys a
	expect "标记预警单位 ─" || return 1
	type_text "$WS_ADD"
	expect "本校已标记为就业歧视，将替换" || return 1
	keys Tab Right Right Right Tab
	type_text '宣传的薪资与合同不符'
	keys C-s
	expect "将替换本校原标记：就业歧视" || return 1
	keys y
	expect "已更新本校对 $WS_ADD 的预警标记：就业歧视 → 虚假宣传" || return 1
	[ "$(sql "SELECT category FROM wq.warning WHERE school_code = '10001' AND credit_code = '$WS_ADD'")" = false_ad ] \
		|| return 1
}

ws_national_list() {
	ws_five_schools || return 1
	ws_open_as_zhang || return 1
	expect "全国预警单位 1" || return 1
	keys t
	expect_line "统一社会信用代码 +单位名称 +标记学校数 +各类别 +本校标记" || return 1
	expect_line "$WS_NATIONAL +苏州示例人力资源.* +5 +违规单位 3、虚假宣传 2 +—" || return 1
	# marked from the national list: the selected employer's code is filled in
	ws_select_row "$WS_NATIONAL" || return 1
	keys a
	expect "标记预警单位 ─" || return 1
	expect "全国预警：5 所学校标记" || return 1
	keys Right Tab
	type_text '学生反映入职后岗位与协议不符'
	keys C-s
	expect "单位名称          $WS_NAME" || return 1
	keys y
	expect "已标记预警单位 $WS_NATIONAL（虚假单位）；该单位已被 6 所学校标记，是全国预警单位" || return 1
	# back on the school's marks, with the national count
	expect_line "$WS_NATIONAL +$WS_NAME +虚假单位 +学生反映" || return 1
	# 标记人, 标记时间 and 全国预警单位 are to the right: l scrolls, the code and name stay
	keys l l l
	expect_line "$WS_NATIONAL +$WS_NAME +20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{5} +是（6 所学校）" || return 1
	keys h
	expect_line "$WS_NATIONAL +$WS_NAME +张老师 +20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{5}" || return 1
	keys h h
	keys t
	expect_line "$WS_NATIONAL +苏州示例人力资源.* +6 +违规单位 3、.* +虚假单位 *$" || return 1
	# a wider terminal gives 各类别 the room
	t resize-window -t e2e -x 140 -y 30
	expect_line "$WS_NATIONAL +苏州示例人力资源.* +6 +违规单位 3、虚假单位 1、虚假宣传 2 +虚假单位" || return 1
	t resize-window -t e2e -x 100 -y 30
	# another school's mark is never this school's to remove
	ws_zhang warning remove "$WS_NATIONAL" >/dev/null 2>&1 || return 1
	keys R
	expect_line "$WS_NATIONAL +苏州示例人力资源.* +5 +违规单位 3、虚假宣传 2 +—" || return 1
	keys d
	expect "本校没有标记 $WS_NATIONAL，只能取消本校自己的标记" || return 1
	[ "$(sql "SELECT count(*) FROM wq.warning WHERE credit_code = '$WS_NATIONAL'")" -eq 5 ] || return 1
}

ws_remove_after_confirm() {
	# a long note: the dialog shows its start
	ws_zhang warning add "$WS_REMOVE" --category 违规单位 \
		--note '拖欠毕业生工资，三名学生投诉，劳动监察部门已立案调查，学校就业指导中心已约谈该单位人事负责人并要求限期整改' \
		>/dev/null || return 1
	ws_open_as_zhang || return 1
	ws_select_row "$WS_REMOVE" || return 1
	keys d
	expect "确定取消本校对以下单位的预警标记？" || return 1
	expect_line "备注 +拖欠毕业生工资，三名学生投诉.*…" || return 1
	# the key that opened the dialog does not confirm; Enter on 取消 cancels
	keys d
	sleep 0.3
	expect "确定取消本校对以下单位的预警标记？" || return 1
	keys Enter
	expect "已取消，标记未改变" || return 1
	[ "$(sql "SELECT count(*) FROM wq.warning WHERE school_code = '10001' AND credit_code = '$WS_REMOVE'")" -eq 1 ] \
		|| return 1
	ws_select_row "$WS_REMOVE" || return 1
	keys d
	expect "确定取消本校对以下单位的预警标记？" || return 1
	keys y
	expect "已取消本校对 $WS_REMOVE 的预警标记" || return 1
	expect_gone "拖欠毕业生工资" || return 1
	[ "$(sql "SELECT count(*) FROM wq.warning WHERE school_code = '10001' AND credit_code = '$WS_REMOVE'")" -eq 0 ] \
		|| return 1
}

case_warning_screen_department_has_none() {
	local out
	start_wq
	login lisi pw-lisi || return 1
	expect "李四（院系用户）" || return 1
	expect "在线签约" || return 1
	expect_not "预警单位" || return 1
	keys ':'; type_text 'warning'; keys Enter
	expect "院系用户不能使用「预警单位」" || return 1
	expect_not "预警单位管理" || return 1
	# nor by another client: psql with the clerk's own login is told why
	out=$(PGPASSWORD=pw-lisi "$PGBIN/psql" -X -q -At -h "$tmp/run" -U lisi -d wq_e2e \
		-c "SELECT wq_api.warning_add('$WS_ADD', '违规单位', '院系想标记')" 2>&1) \
		&& { echo "a department user marked: $out"; return 1; }
	case $out in
	*院系用户不能标记或取消预警单位*) ;;
	*) echo "unexpected: $out"; return 1 ;;
	esac
	[ "$(sql "SELECT count(*) FROM wq.warning WHERE credit_code = '$WS_ADD'")" -eq 0 ] || return 1
}
