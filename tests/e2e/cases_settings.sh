# cases_settings.sh: 签约设置, editing, saving and read-only (sourced by run.sh).
# ---- helpers ------------------------------------------------------------------

# Logs in as the school user and opens 签约设置.
open_settings_as_zhang() {
	start_wq
	login zhang pw-zhang || return 1
	expect "张老师（学校用户）" || return 1
	keys ':'; type_text 'settings'; keys Enter
	expect "签约设置 · 北京示例大学" || return 1
}

# Waits (up to 5 s) until a field's row shows the value after its label.
expect_field() {   # label value
	local _
	for _ in $(seq 1 50); do
		screen | grep -qE -- "$1 +$2" && return 0
		sleep 0.1
	done
	echo "expected the field $1 to show: $2"
	echo "----- screen -----"
	screen
	echo "------------------"
	return 1
}

# Leaving a 签约设置 form with one unsaved change asks first: Esc asks and n
# stays; q asks too (after the keys given, which put the focus where q is no
# letter) and does not confirm its own question; q then y leaves, dropping it.
expect_leave_asks() {   # [keys...]
	keys Escape
	expect "┌─ 放弃修改 " || return 1
	expect "有 1 项修改尚未保存，确定放弃？" || return 1
	keys n
	expect_gone "确定放弃" || return 1
	expect "有 1 项修改尚未保存" || return 1
	[ $# -eq 0 ] || keys "$@"
	keys q
	expect "确定放弃" || return 1
	# q (the key that asked) does not confirm
	keys q
	expect_gone "确定放弃" || return 1
	expect "有 1 项修改尚未保存" || return 1
	keys q y
	expect "已放弃未保存的修改" || return 1
	expect "▸签约设置" || return 1
}

# ---- cases --------------------------------------------------------------------

case_settings_school_edits_and_saves() {
	open_settings_as_zhang || return 1
	expect "三方协议：学校、院系审核" || return 1
	expect "┌─ 签约设置 · 北京示例大学" || return 1
	expect "1. 签约开关" || return 1
	expect "4. 就业协议书信息" || return 1
	# 毕业生可提交解约申请最大次数 is the fifth field
	keys Down Down Down Down
	expect "▸ 毕业生可提交解约申请最大次数" || return 1
	expect "Tab/↓ 下一项   S-Tab/↑ 上一项   Enter 下一项" || return 1
	# typed in full-width digits (an input method's full-width mode): taken as ASCII
	keys C-u; type_text '１００'
	expect "[100 " || return 1
	# refused while typing: the message stands beside the field (without repeating its label)
	expect_line "毕业生可提交解约申请最大次数 +\[100 +\] +应为 0 到 99 的整数" || return 1
	# Ctrl-S does not take a wrong value: no dialog, the message stays
	keys C-s
	sleep 0.3
	expect_not "确定保存以下" || return 1
	expect "应为 0 到 99 的整数" || return 1
	keys BSpace BSpace BSpace; type_text '3'
	expect "[3 " || return 1
	expect_not "应为 0 到 99 的整数" || return 1
	expect "有 1 项修改尚未保存" || return 1
	expect_line "毕业生可提交解约申请最大次数 +\[3 +\] +（原：1）" || return 1
	expect "▸*毕业生可提交解约申请最大次数" || return 1
	# Ctrl-S asks first in the confirm dialog, listing the change; Ctrl-S again does not confirm
	keys C-s
	expect "┌─ 保存签约设置 " || return 1
	expect "确定保存以下 1 项修改？" || return 1
	expect "毕业生可提交解约申请最大次数：1 → 3" || return 1
	expect "y 保存   n/Esc 取消" || return 1
	keys C-s
	sleep 0.3
	expect "确定保存以下 1 项修改？" || return 1
	keys y
	expect "已保存签约设置" || return 1
	expect_not "有 1 项修改尚未保存" || return 1
	expect "zhang 修改于" || return 1
	# read again from the database (R on a switch; on a text field it is a letter)
	keys Up Up Up Up R
	expect "已刷新" || return 1
	expect_line "毕业生可提交解约申请最大次数 +\[3 +\]" || return 1
	expect_not "（原：" || return 1
	# and when the screen is opened again (nothing unsaved: q leaves at once)
	keys q
	expect_not "确定放弃" || return 1
	keys ':'; type_text 'home'; keys Enter
	expect "欢迎，张老师" || return 1
	keys ':'; type_text 'settings'; keys Enter
	expect_line "毕业生可提交解约申请最大次数 +\[3 +\]" || return 1
}

case_settings_confirm_defaults_to_cancel() {
	open_settings_as_zhang || return 1
	# 审核方式 is a choice; Enter on the dialog (focus on 取消) saves nothing
	keys Down Down Down
	expect "▸ 审核方式" || return 1
	keys Space
	expect_line "◂ 先院系再校级审核 ▸ +（原：仅校级审核）" || return 1
	keys C-s
	expect "审核方式：仅校级审核 → 先院系再校级审核" || return 1
	keys Enter
	expect_gone "确定保存以下" || return 1
	expect "有 1 项修改尚未保存" || return 1
	# typing in a field and taking it back leaves nothing changed there
	keys Down Down
	type_text '临时输入'
	expect "[临时输入" || return 1
	expect "有 2 项修改尚未保存" || return 1
	keys C-u
	expect "有 1 项修改尚未保存" || return 1
	# leaving with unsaved changes asks first (Esc, and q on a switch); n stays, y leaves and discards
	expect_leave_asks Up Up || return 1
	keys Enter
	expect_line "审核方式 +◂ 仅校级审核 ▸" || return 1
	expect_not "有 1 项修改尚未保存" || return 1
}

case_settings_quit_directly_with_unsaved() {
	open_settings_as_zhang || return 1
	# a change on a switch (Q on a text field is a letter)
	keys Down Down Down Space
	expect "有 1 项修改尚未保存" || return 1
	# Q quits at once, without asking (F10 too)
	keys Q
	expect_exit || return 1
	open_settings_as_zhang || return 1
	keys Down Down Down Down; type_text '7'
	expect "有 1 项修改尚未保存" || return 1
	keys F10
	expect_exit || return 1
}

case_settings_stale_keeps_changes() {
	open_settings_as_zhang || return 1
	# 就业协议经办人, then 邮政编码 typed with a check on every key
	keys Down Down Down Down Down
	type_text '王老师'
	keys Down Down Down
	type_text '1000'
	expect_line "邮政编码 +\[1000 +\] +应为 6 位数字" || return 1
	type_text '81'
	expect_gone "应为 6 位数字" || return 1
	expect "有 2 项修改尚未保存" || return 1
	# meanwhile someone else (the same school, on the command line) saves
	PGPASSWORD=pw-zhang "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=zhang" \
		settings set phone=010-62751234 >"$tmp/settings_set.log" 2>&1 || { cat "$tmp/settings_set.log"; return 1; }
	keys C-s
	expect "就业协议经办人：（未填写） → 王老师" || return 1
	keys y
	expect "签约设置已被 zhang 于" || return 1
	expect "修改，请刷新后重试" || return 1
	# theirs is read, ours is still there on top, and saves now
	expect "010-62751234" || return 1
	expect "有 2 项修改尚未保存" || return 1
	keys C-s
	expect "确定保存以下 2 项修改？" || return 1
	keys y
	expect "已保存签约设置" || return 1
	expect_field "就业协议经办人" "\[王老师" || return 1
	expect_field "邮政编码" "\[100081" || return 1
}

case_settings_online_signing_turns_others_on() {
	open_settings_as_zhang || return 1
	keys Space
	expect "补登开关和填报去向登记开关随之开启" || return 1
	expect "有 3 项修改尚未保存" || return 1
	# each can then be switched on its own
	keys Down Space
	expect "有 2 项修改尚未保存" || return 1
	keys C-s y
	expect "已保存签约设置" || return 1
	expect_field "在线签约开关" "\[✓\] 开启" || return 1
	expect_field "补登开关" "\[ \] 关闭" || return 1
	expect_field "填报去向登记开关" "\[✓\] 开启" || return 1
}

case_settings_dept_read_only() {
	start_wq
	login lisi pw-lisi || return 1
	expect "李四（院系用户）" || return 1
	keys ':'; type_text 'settings'; keys Enter
	expect "签约设置 · 北京示例大学" || return 1
	expect "院系用户只能查看签约设置" || return 1
	expect "三方协议：学校、院系审核" || return 1
	expect "毕业生可提交解约申请最大次数" || return 1
	expect_not "Ctrl-S 保存" || return 1
	expect_not "保存（Ctrl-S）" || return 1
	keys Down Down Down Down
	expect "▸ 毕业生可提交解约申请最大次数" || return 1
	type_text '5'
	keys Space
	sleep 0.3
	expect_field "毕业生可提交解约申请最大次数" "1" || return 1
	expect_not "修改尚未保存" || return 1
	keys C-s
	sleep 0.3
	expect_not "确定保存以下" || return 1
	expect "院系用户只能查看签约设置" || return 1
}
