# cases_warning.sh: 预警单位 on the command line, as the school user and as a
# department user (sourced by run.sh).

# wq as the school user zhang and as the department user lisi, without a terminal.
warn_zhang() {
	PGPASSWORD=pw-zhang "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=zhang" "$@"
}
warn_lisi() {
	PGPASSWORD=pw-lisi "$wq" --dsn "host=$tmp/run dbname=wq_e2e user=lisi" "$@"
}

# The file holds the text.
warn_has() {   # file text
	grep -qF -- "$2" "$1" || { echo "expected in $1: $2"; echo "-----"; cat "$1"; echo "-----"; return 1; }
}

# The file's lines match the extended regex.
warn_has_line() {   # file regex
	grep -qE -- "$2" "$1" || { echo "expected a line of $1 matching: $2"; echo "-----"; cat "$1"; echo "-----"; return 1; }
}

WARN_EMP=91440300708461136T

case_warning_school_adds_lists_and_removes() {
	local out=$tmp/warning.txt n0 n1
	n0=$(sql "SELECT count(*) FROM wq.event WHERE entity = 'warning' AND entity_id = '$WARN_EMP'")
	warn_zhang warning list >"$out" 2>&1 || { cat "$out"; return 1; }
	warn_has "$out" "本校尚未标记预警单位" || return 1
	# a mark, then the school's own mark replaced
	warn_zhang warning add "$WARN_EMP" --category 就业歧视 --note '招聘启事限定性别' >"$out" 2>&1 || { cat "$out"; return 1; }
	warn_has "$out" "已标记预警单位 $WARN_EMP（就业歧视）" || return 1
	warn_zhang warning add "$WARN_EMP" --category=虚假宣传 --note='承诺的薪资与合同不符' >"$out" 2>&1 \
		|| { cat "$out"; return 1; }
	warn_has "$out" "已更新本校对 $WARN_EMP 的预警标记：就业歧视 → 虚假宣传" || return 1
	# the list: a header, one row, who marked it
	warn_zhang warning list >"$out" 2>&1 || { cat "$out"; return 1; }
	warn_has_line "$out" "^统一社会信用代码 +单位名称 +预警类别 +备注 +标记人 +标记时间" || return 1
	warn_has_line "$out" "^$WARN_EMP +（未在平台登记） +虚假宣传 +承诺的薪资与合同不符 +张老师 +20[0-9]{2}-" || return 1
	[ "$(wc -l <"$out")" -eq 2 ] || { echo "expected a header and one row:"; cat "$out"; return 1; }
	warn_zhang warning list --national >"$out" 2>&1 || { cat "$out"; return 1; }
	warn_has "$out" "目前没有全国预警单位" || return 1
	# what a reviewer sees, the department user too
	warn_lisi warning show "$WARN_EMP" >"$out" 2>&1 || { cat "$out"; return 1; }
	warn_has_line "$out" "^本校标记 +虚假宣传$" || return 1
	warn_has_line "$out" "^全国预警单位 +否$" || return 1
	warn_lisi warning list >"$out" 2>&1 || { cat "$out"; return 1; }
	warn_has "$out" "承诺的薪资与合同不符" || return 1
	# a terminal sequence in the note never reaches the table
	warn_zhang warning add "$WARN_EMP" --category 违规单位 --note "$(printf 'a\033]0;x\007b')" >"$out" 2>&1 \
		&& { echo "a control character was taken"; cat "$out"; return 1; }
	warn_has "$out" "备注不能含有控制字符" || return 1
	# removed; a second time it is not there
	warn_zhang warning remove "$WARN_EMP" >"$out" 2>&1 || { cat "$out"; return 1; }
	warn_has "$out" "已取消本校对 $WARN_EMP 的预警标记" || return 1
	warn_zhang warning remove "$WARN_EMP" >"$out" 2>&1 && { echo "removed twice"; cat "$out"; return 1; }
	warn_has "$out" "本校没有标记统一社会信用代码为 $WARN_EMP 的单位" || return 1
	warn_zhang warning list >"$out" 2>&1 || { cat "$out"; return 1; }
	warn_has "$out" "本校尚未标记预警单位" || return 1
	# each write left an event: create, replace, remove
	n1=$(sql "SELECT count(*) FROM wq.event WHERE entity = 'warning' AND entity_id = '$WARN_EMP'")
	[ "$((n1 - n0))" -eq 3 ] || { echo "events: $n0 before, $n1 after"; return 1; }
	# the client checks the code first (a wrong check character)
	warn_zhang warning add 91440300708461136X --category 违规单位 --note '某事' >"$out" 2>&1 && return 1
	warn_has "$out" "校验位应为 T" || return 1
}

case_warning_department_is_refused() {
	local out=$tmp/warning.txt rc
	warn_lisi warning add "$WARN_EMP" --category 违规单位 --note '院系想标记' >"$out" 2>&1
	rc=$?
	[ "$rc" -eq 77 ] || { echo "exit status $rc, not 77"; cat "$out"; return 1; }
	warn_has "$out" "院系用户不能标记或取消预警单位，请联系学校就业部门" || return 1
	if grep -q "permission denied" "$out"; then cat "$out"; return 1; fi
	warn_lisi warning remove "$WARN_EMP" >"$out" 2>&1 && { echo "a department removed a mark"; return 1; }
	warn_has "$out" "院系用户不能" || return 1
	[ "$(sql "SELECT count(*) FROM wq.warning WHERE credit_code = '$WARN_EMP'")" -eq 0 ] || return 1
}
