# cases_students.sh: 学生名单 (sourced by run.sh).  The fixture's roster is
# $tmp/roster.csv: 2000 generated students of 北京示例大学, imported by zhang.

# The roster's column (1-based) of every row, or of the rows of one 院系, read
# as CSV (some 专业 hold quoted commas): roster_col 列号 [院系]
roster_col() {
	python3 - "$tmp/roster.csv" "$1" "${2:-}" <<-'PY'
		import csv, sys
		rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))[1:]
		col, dept = int(sys.argv[2]) - 1, sys.argv[3]
		for r in rows:
		    if not dept or r[8] == dept:
		        print(r[col])
	PY
}

# A field of the first roster row of a 院系: roster_field 院系 列号
roster_field() {
	roster_col "$2" "$1" | head -n 1
}

open_students() {   # user password
	start_wq
	login "$1" "$2" || return 1
	expect "（" || return 1
	keys ':'; type_text students; keys Enter
	expect "学生名单  排序:学号↑" || return 1
}

case_students_dept_clerk_filters_and_opens() {
	local name no n_dept
	name=$(roster_field 计算机学院 2)
	no=$(roster_field 计算机学院 14)
	n_dept=$(roster_col 14 计算机学院 | wc -l)
	open_students lisi pw-lisi || return 1
	# a department clerk sees its department only, and the count says so
	expect "显示 $n_dept / $n_dept 条" || return 1
	expect_not "化学与分子工程学院" || return 1
	# filter by a fragment of the name (its last two characters)
	keys /; type_text "${name: -2}"
	expect "筛选:${name: -2}" || return 1
	expect "$no" || return 1
	keys Enter Enter
	expect "学生名单 › $name（$no）" || return 1
	expect "身份证号" || return 1
	expect "核对状态" || return 1
	expect "记录" || return 1
	keys q
	expect "学生名单  排序:学号↑" || return 1
}

case_students_filter_by_pinyin_initials() {
	local first n
	# without a Chinese input method: /zw finds 张伟-like names (赵雯, 周文, 周薇 …)
	# by the initials of their pinyin; the first of those in 学号 order,
	# found in the file by its characters
	first=$(python3 - "$tmp/roster.csv" <<-'PY'
		import csv, sys
		rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))[1:]
		z, w = set("张赵周朱郑曾钟邹"), set("伟文薇雯")
		m = sorted((r[13], r[1]) for r in rows if len(r[1]) == 2 and r[1][0] in z and r[1][1] in w)
		print(m[0][0], m[0][1])
	PY
	)
	[ -n "$first" ] || { echo "no 张伟-like name in the roster"; return 1; }
	open_students zhang pw-zhang || return 1
	keys /; type_text zw
	expect "筛选:zw" || return 1
	n=$(sql "SELECT count(*) FROM wq.student WHERE school_code = '10001' AND name_pinyin ~ '[ 0]zw'")
	[ "$n" -gt 0 ] && [ "$n" -lt 2000 ] || { echo "count $n"; return 1; }
	expect "显示 $n / 2000 条" || return 1
	expect "${first% *}" || return 1
	screen | grep -F "${first% *}" | grep -qF "${first#* }" || { echo "${first#* } not on the row of ${first% *}"; screen; return 1; }
	# in upper case too
	keys Escape
	expect_gone "筛选:" || return 1
	keys /; type_text ZW
	expect "筛选:ZW" || return 1
	expect "显示 $n / 2000 条" || return 1
	expect "${first#* }" || return 1
}

case_students_filter_by_digits_full_width() {
	local no last
	no=$(roster_field 计算机学院 14)
	last=${no: -5}
	open_students lisi pw-lisi || return 1
	# full-width digits typed with a Chinese input method match too
	keys /; type_text "$(printf '%s' "$last" | sed 'y/0123456789/０１２３４５６７８９/')"
	expect "$no" || return 1
	expect "显示 1 / " || return 1
	keys Escape
	expect_gone "筛选:" || return 1
}

case_students_school_sorts_by_name() {
	open_students zhang pw-zhang || return 1
	expect "显示 2000 / 2000 条" || return 1
	keys s
	expect "排序:姓名↑" || return 1
	keys I
	expect "排序:姓名↓" || return 1
}

case_students_field_filter() {
	local first n
	# the values are listed in pinyin order, as the database sorts them
	first=$(sql "SELECT min(dept COLLATE \"zh-Hans-x-icu\") FROM wq.student WHERE school_code = '10001'")
	n=$(roster_col 14 "$first" | wc -l)
	open_students zhang pw-zhang || return 1
	keys f
	expect "条件筛选：选择列" || return 1
	keys Enter
	expect "条件筛选：院系" || return 1
	expect "（全部）" || return 1
	keys j Enter
	expect "院系=$first" || return 1
	expect "显示 $n / 2000 条" || return 1
	# Esc clears the filters
	keys Escape
	expect "显示 2000 / 2000 条" || return 1
}

case_students_columns_remembered() {
	export XDG_STATE_HOME="$tmp/state"
	open_students zhang pw-zhang || return 1
	expect "性别" || return 1
	keys c
	expect "列设置" || return 1
	keys j j Space Enter
	expect_gone "性别 " || return 1
	# saved for the login, not for the operating-system user
	[ -f "$tmp/state/wq/zhang/students.columns" ] || { echo "columns not saved"; return 1; }
	# a new run shows the same columns
	open_students zhang pw-zhang || return 1
	expect "学号↑" || return 1
	expect_not "性别 " || return 1
	# another login keeps its own
	open_students lisi pw-lisi || return 1
	expect "性别 " || return 1
	unset XDG_STATE_HOME
}

case_students_export_csv() {
	open_students lisi pw-lisi || return 1
	keys C-s
	expect "┌─ 导出学生名单 " || return 1
	keys C-u; type_text "$tmp/students_export.csv"; keys C-s
	expect "已导出 " || return 1
	expect "人到 $tmp/students_export.csv" || return 1
	local n_dept
	n_dept=$(roster_col 14 计算机学院 | wc -l)
	[ "$(($(wc -l < "$tmp/students_export.csv") - 1))" -eq "$n_dept" ] || { echo "export has the wrong row count"; return 1; }
	head -c 3 "$tmp/students_export.csv" | od -An -tx1 | grep -q "ef bb bf" || { echo "no BOM"; return 1; }
}

case_students_jump_to_end_and_back() {
	local first last
	first=$(roster_col 14 | LC_ALL=C sort | head -n 1)
	last=$(roster_col 14 | LC_ALL=C sort | tail -n 1)
	open_students zhang pw-zhang || return 1
	expect "$first" || return 1
	# G fetches the last page (not everything before it); g the first again
	keys G
	expect "$last" || return 1
	expect_gone "$first" || return 1
	keys k k k PPage PPage
	keys g
	expect "$first" || return 1
}

case_students_export_default_name_and_overwrite() {
	local today n_dept
	today=$(TZ=UTC date +%Y%m%d)
	n_dept=$(roster_col 14 计算机学院 | wc -l)
	rm -f "$tmp/学生名单-lisi-$today.csv" "$tmp/学生名单-lisi-$today.xlsx"
	open_students lisi pw-lisi || return 1
	keys C-s
	# the default name carries the login and the date; the whole path is reported
	expect "[学生名单-lisi-$today.csv" || return 1
	expect "CSV（UTF-8" || return 1
	keys Enter Enter
	expect "已导出 $n_dept 人到 $tmp/学生名单-lisi-$today.csv" || return 1
	[ -f "$tmp/学生名单-lisi-$today.csv" ] || { echo "no file in the folder wq runs in"; return 1; }
	# again: the file exists, so it asks first (focus on 取消); Ctrl-S and n do not replace it
	echo "keep me" >"$tmp/学生名单-lisi-$today.csv"
	keys C-s
	expect "[学生名单-lisi-$today.csv" || return 1
	keys C-s
	expect "┌─ 文件已存在 " || return 1
	expect "$tmp/学生名单-lisi-$today.csv" || return 1
	expect "[ 覆盖（y）]" || return 1
	keys C-s
	sleep 0.3
	expect "这个文件已经存在" || return 1
	keys n
	expect_gone "这个文件已经存在" || return 1
	expect "┌─ 导出学生名单 " || return 1
	keys Escape
	expect_gone "导出学生名单" || return 1
	[ "$(cat "$tmp/学生名单-lisi-$today.csv")" = "keep me" ] || { echo "the file was replaced without asking"; return 1; }
	# y replaces it
	keys C-s
	expect "[学生名单-lisi-$today.csv" || return 1
	keys C-s
	expect "这个文件已经存在" || return 1
	keys y
	for _ in $(seq 1 50); do
		[ "$(cat "$tmp/学生名单-lisi-$today.csv")" != "keep me" ] && break
		sleep 0.1
	done
	expect "已导出 $n_dept 人到 $tmp/学生名单-lisi-$today.csv" || return 1
	[ "$(($(wc -l < "$tmp/学生名单-lisi-$today.csv") - 1))" -eq "$n_dept" ] || { echo "not replaced"; return 1; }
	# the format choice sets the extension
	keys C-s
	expect "[学生名单-lisi-$today.csv" || return 1
	keys Tab Right
	expect "[学生名单-lisi-$today.xlsx" || return 1
	expect "◂ XLSX ▸" || return 1
	keys C-s
	expect "已导出 $n_dept 人到 $tmp/学生名单-lisi-$today.xlsx" || return 1
	for _ in $(seq 1 20); do [ -s "$tmp/学生名单-lisi-$today.xlsx" ] && break; sleep 0.1; done
	head -c 2 "$tmp/学生名单-lisi-$today.xlsx" | grep -q "PK" || { echo "not an XLSX file"; return 1; }
	# a folder that does not exist is refused beside the field
	keys C-s
	keys C-u; type_text "$tmp/nowhere/x.csv"
	expect "文件夹不存在：$tmp/nowhere" || return 1
	keys C-s
	sleep 0.3
	expect "文件夹不存在" || return 1
	[ ! -e "$tmp/nowhere" ] || { echo "made something"; return 1; }
}
