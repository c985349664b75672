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

# School 10006, for the 毕业去向 filter: 30 graduates, its school user han6
# and lu6, the clerk of its largest 院系; in 学号 order every third graduate
# has 11 签劳动合同形式就业, every fifth of the others 70 待就业, the rest none
# (未登记).  The codes are set as the database keeps them (0021), here
# directly: how they come about is the destination suites' business.
dest_filter_school() {
	[ -f "$tmp/dest_filter_school" ] && return 0
	local dept
	{
		"${admin[@]}" admin school add 10006 --name 北京去向筛选大学 --province 11 &&
		printf 'pw-han6-long\n' | "${admin[@]}" admin account add han6 --kind school --school 10006 \
			--name 韩老师 --password-stdin &&
		"$wq" demo roster "$tmp/dest_filter.csv" --students 30 --school 10006 --name 北京去向筛选大学 --seed 6 &&
		PGPASSWORD=pw-han6-long "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=han6" roster import "$tmp/dest_filter.csv"
	} >"$tmp/dest_filter_setup.log" 2>&1 || { cat "$tmp/dest_filter_setup.log"; return 1; }
	dept=$(sql "SELECT dept FROM wq.student WHERE school_code = '10006' GROUP BY dept ORDER BY count(*) DESC, dept LIMIT 1")
	printf 'pw-lu6-long\n' | "${admin[@]}" admin account add lu6 --kind dept --school 10006 --dept "$dept" \
		--name 陆老师 --password-stdin >>"$tmp/dest_filter_setup.log" 2>&1 || { cat "$tmp/dest_filter_setup.log"; return 1; }
	sql "UPDATE wq.student s SET destination_code = CASE WHEN x.r % 3 = 0 THEN '11' WHEN x.r % 5 = 0 THEN '70' END
	       FROM (SELECT id, row_number() OVER (ORDER BY student_no) AS r FROM wq.student WHERE school_code = '10006') x
	      WHERE s.id = x.id" >/dev/null
	touch "$tmp/dest_filter_school"
}

# The 学号 of school 10006 that a condition over wq.student picks, in 学号 order.
dest_filter_nos() {
	sql "SELECT student_no FROM wq.student WHERE school_code = '10006' AND ($1) ORDER BY student_no"
}

# The table shows exactly these 学号 (one per line) of school 10006, each once.
shows_exactly() {
	local shown
	shown=$(screen | grep -oE '10006[0-9]{9}' | sort)
	[ "$shown" = "$(sort <<<"$1")" ] || { echo "rows shown:"; echo "$shown"; echo "expected:"; echo "$1"; screen; return 1; }
}

# f offers 毕业去向 beside the other field filters, with 未登记 and every code
# of the code table; the list, its count and its export keep to the choice,
# and a department clerk's to its 院系 too.
case_students_destination_filter() {
	dest_filter_school || return 1
	local want n dept
	want=$(dest_filter_nos "destination_code = '11'")
	n=$(wc -l <<<"$want")
	[ "$n" -eq 10 ] || { echo "fixture: $n graduates with 11"; return 1; }
	start_wq
	login han6 pw-han6-long || return 1
	expect "（" || return 1
	keys ':'; type_text students; keys Enter
	expect "显示 30 / 30 条" || return 1
	keys f
	expect "条件筛选：选择列" || return 1
	expect_line "│ 毕业去向 +│" || return 1
	keys j j j j j j Enter
	expect "条件筛选：毕业去向" || return 1
	expect_line "│ 未登记 +│" || return 1
	expect "70 待就业" || return 1
	expect "85 出国、出境" || return 1
	keys j j j Enter
	expect "毕业去向=11 签劳动合同形式就业" || return 1
	expect "显示 $n / 30 条" || return 1
	shows_exactly "$want" || return 1
	# and their 毕业去向 column says so (scrolled to, 学号 and 姓名 staying)
	for _ in $(seq 1 12); do
		screen | grep -qE "姓名.*毕业去向" && break   # the header, not the filter
		keys l
		sleep 0.1
	done
	[ "$(screen | grep -E '10006[0-9]{9}' | grep -cF '11 签劳动合同形式就业')" -eq "$n" ] ||
		{ echo "not every row shows 11 签劳动合同形式就业"; screen; return 1; }
	# Ctrl-S exports what the filter shows
	rm -f "$tmp/dest_filter_export.csv"
	keys C-s
	expect "┌─ 导出学生名单 " || return 1
	keys C-u; type_text "$tmp/dest_filter_export.csv"; keys C-s
	expect "已导出 $n 人到 $tmp/dest_filter_export.csv" || return 1
	[ "$(grep -oE '10006[0-9]{9}' "$tmp/dest_filter_export.csv" | sort)" = "$(sort <<<"$want")" ] ||
		{ echo "the export holds other graduates:"; cat "$tmp/dest_filter_export.csv"; return 1; }
	# 70 instead: the picker again, one further down
	keys f
	expect "条件筛选：选择列" || return 1
	keys j j j j j j Enter
	expect "条件筛选：毕业去向" || return 1
	keys j j j j j j j j j Enter
	expect "毕业去向=70 待就业" || return 1
	want=$(dest_filter_nos "destination_code = '70'")
	expect "显示 $(wc -l <<<"$want") / 30 条" || return 1
	shows_exactly "$want" || return 1
	# the department clerk: 未登记 of its own 院系 only
	dept=$(sql "SELECT dept FROM wq.account WHERE login = 'lu6'")
	want=$(dest_filter_nos "destination_code IS NULL AND dept = '$dept'")
	[ -n "$want" ] && [ "$(dest_filter_nos "destination_code IS NULL AND dept <> '$dept'")" != "" ] ||
		{ echo "fixture: no 未登记 graduate inside or outside $dept"; return 1; }
	start_wq
	login lu6 pw-lu6-long || return 1
	expect "（" || return 1
	keys ':'; type_text students; keys Enter
	expect "学生名单  排序:学号↑" || return 1
	keys f
	expect "条件筛选：选择列" || return 1
	keys j j j j j j Enter
	expect "条件筛选：毕业去向" || return 1
	keys j Enter
	expect "毕业去向=未登记" || return 1
	expect "显示 $(wc -l <<<"$want") / " || return 1
	shows_exactly "$want" || return 1
}
