#!/usr/bin/env bash
# run.sh SOURCE_ROOT WQ_BINARY [--quick]: the benchmarks (tests/bench/README.md).
#
# They measure and report; they do not pass or fail.  A throwaway PostgreSQL
# 15 cluster (db/cluster.sh, unix socket only) is started under /tmp and
# removed on exit.  Everything is set up with the real wq commands, as a user
# would: db migrate, demo seed, admin school/account add, roster import.
#
#   1. import: `wq roster import` of a 100,000-row roster as a school user,
#      next to a plain psql \copy of the same rows into the same table
#      (3 runs each, interleaved, median), the same \copy into copies of the
#      table without its keys (what the table's definition costs), and (full
#      run) a diagnostic import that logs where roster_apply spends its time;
#   2. the student list: tests/bench/list_bench.c (built here against
#      build/src/libwq_core.a) times the screen's own page and count queries
#      (students_page_sql/students_count_sql, db_send + poll + db_poll) as a
#      school user on a school of 100,000 and, unless --quick, as a province
#      user on a province of 1,000,000 (10 schools); EXPLAIN (ANALYZE, BUFFERS)
#      of each query goes to tests/bench/plans/;
#   3. memory: the real binary in tmux (120x40) with the 100,000-student list
#      open, paged a few hundred times, filtered, sent to the end (and, full
#      run, paged through every row): VmRSS and VmHWM from /proc.
#   4. the review queue (issue 8): tests/bench/review_bench.c, built like
#      list_bench, on a school of 10,000 waiting items made through
#      wq_api.invite + portal_act accept: the queue opened and its last page
#      (queue_page_sql), the count, a batch pass of 500 (rv_batch's calls), and
#      decisions through wq_api.review_decide by 1 and 16 clerks next to a bare
#      function that updates one row and inserts one (quick and full run);
#   5. statistics (issue 9): tests/bench/stats_bench.c, built like list_bench,
#      times stats_load for each breakdown next to a count(*) of the same
#      graduates, on a school of 20,000 and, unless --quick, on the province
#      of 1,000,000 of 2b, with agreements and registrations written in SQL.
#
# The summary is printed at the end and written, with the raw figures, to
# tests/bench/results/{quick,full}.txt.
set -euo pipefail

usage() { echo "usage: tests/bench/run.sh SOURCE_ROOT WQ_BINARY [--quick]" >&2; exit 64; }
[ $# -ge 2 ] || usage
src=$(cd "$1" && pwd)
wq=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
quick=false
shift 2
for a in "$@"; do
	case "$a" in
	--quick) quick=true ;;
	*) usage ;;
	esac
done
mode=$($quick && echo quick || echo full)

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$wq" ] || { echo "run.sh: $wq is not an executable (build it first: ./dev build)" >&2; exit 1; }
[ -x "$PGBIN/initdb" ] || { echo "run.sh: PostgreSQL 15 server not installed ($PGBIN)" >&2; exit 1; }
for c in psql gcc awk pkg-config; do
	command -v "$c" >/dev/null || { echo "run.sh: $c not installed" >&2; exit 1; }
done
builddir=$(dirname "$wq")
corelib=$builddir/src/libwq_core.a
[ -f "$corelib" ] || { echo "run.sh: $corelib not found (the core library of the build that made $wq)" >&2; exit 1; }
# the core library's agreement PDF (src/meson.build): cairo, pango and libqrencode
corelibs_extra=$(pkg-config --libs cairo pangocairo libqrencode) ||
	{ echo "run.sh: pkg-config does not know cairo, pangocairo or libqrencode (libcairo2-dev libpango1.0-dev libqrencode-dev)" >&2; exit 1; }
have_tmux=true
command -v tmux >/dev/null || have_tmux=false

wq_sum=$(md5sum <"$wq")
bench=$src/tests/bench
results=$bench/results
plans=$bench/plans
mkdir -p "$results" "$plans"

tmp=$(mktemp -d /tmp/wq-bench.XXXXXX)
chmod 755 "$tmp"
data=$tmp/data sock=$tmp/run
tsock=$tmp/tmux.sock
out=$tmp/summary.txt
raw=$tmp/raw.txt
: >"$out"
: >"$raw"

cleanup() {
	local rc=$?
	if [ $rc -ne 0 ]; then
		echo "run.sh: failed (exit $rc); last lines of the server log:" >&2
		tail -n 15 "$data/server.log" 2>/dev/null >&2 || true
	fi
	tmux -S "$tsock" kill-server 2>/dev/null || true
	"$src/db/cluster.sh" stop "$data" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# ---- helpers ------------------------------------------------------------------

t_start=$EPOCHREALTIME
say() { printf '==> [%4.0fs] %s\n' "$(awk -v a="$t_start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')" "$*"; }
# report LINE: to the summary (printed and saved at the end)
report() { printf '%s\n' "$*" >>"$out"; }
# note LINE: to the raw figures only
note() { printf '%s\n' "$*" >>"$raw"; }
secs_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
# TEXT padded with spaces to WIDTH terminal columns (CJK characters are two wide)
padw() { local w; w=$(printf '%s' "$1" | LC_ALL=C.UTF-8 wc -L); printf '%s%*s' "$1" $(($2 > w ? $2 - w : 0)) ""; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# superuser psql on a database
sql() { local db=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -h "$sock" -U postgres -d "$db" "$@"; }
# wq as the superuser (the platform operator) on a database
wq_admin() { local db=$1; shift; "$wq" --dsn "host=$sock dbname=$db user=postgres" "$@"; }

# The columns of a plain \copy into wq.student (what the import fills).
COPY_COLS="school_code, province_code, student_no, exam_no, name, sex, id_number, ethnicity, political_status, birth_date, dept, level, major, training_mode, origin_code, origin_name, years, entry_date, grad_date, mobile, email"

# The start of a psql script whose statements' plans (and those of the
# statements inside the functions they call) come back as notices, as login.
auto_explain_as() {
	echo "LOAD 'auto_explain';"
	echo "SET auto_explain.log_min_duration = 0;"
	echo "SET auto_explain.log_analyze = on;"
	echo "SET auto_explain.log_buffers = on;"
	echo "SET auto_explain.log_nested_statements = on;"
	echo "SET auto_explain.log_level = notice;"
	echo "SET SESSION AUTHORIZATION $1;"
}

settle() {   # db: a steady start for the next timed step
	sql "$1" -c "VACUUM (ANALYZE) wq.student" -c "CHECKPOINT" >/dev/null
}

# ---- the cluster --------------------------------------------------------------------

say "starting a throwaway PostgreSQL 15 cluster in $tmp"
"$src/db/cluster.sh" start "$data" "$sock"
# figures need durable writes: the development cluster's fsync = off is for tests only
sql postgres -c "ALTER SYSTEM SET fsync = on" -c "SELECT pg_reload_conf()" >/dev/null
sleep 1
[ "$(sql postgres -c "SHOW fsync")" = on ] || { echo "run.sh: could not turn fsync on" >&2; exit 1; }
pgver=$(sql postgres -c "SHOW server_version")
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
report "wq benchmarks ($mode run), $(date -u '+%Y-%m-%d %H:%M UTC')"
report "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: other work may run alongside)"
report "source: $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)$( [ -n "$(git -C "$src" status --porcelain --untracked-files=no -- . ':!tests/bench' 2>/dev/null)" ] && echo ' + uncommitted changes'); wq built $(date -u -r "$wq" '+%Y-%m-%d %H:%M UTC')"
report "machine: $(nproc) CPU ($cpu), $mem RAM; PostgreSQL $pgver (db/cluster.sh with fsync on, shared_buffers 128MB); $(basename "$builddir")/wq"

# ==== 1. import ==============================================================================

say "1. import: setting up the database wq_import"
"$src/db/cluster.sh" createdb "$sock" wq_import
{
	wq_admin wq_import db migrate
	wq_admin wq_import admin province set 11 --name 北京市 --agreement-type three-party
} >>"$tmp/setup.log"

NROWS=100000
imp_times=() copy_times=() ws_times=() stage_ms=() apply_ms=()
# The baseline: a plain \copy of the same file into a table with the file's
# columns, a primary key on 学号 and btree indexes on 身份证号, 院系 and 姓名.
base_table() {
	sql wq_import -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS public.bench_base" \
		-c "CREATE TABLE public.bench_base (考生号 text, 姓名 text, 性别 text, 身份证号 text, 民族 text,
		      政治面貌 text, 出生日期 text, 毕业院校 text, 院系 text, 学历层次 text, 专业 text, 培养方式 text,
		      生源所在地 text, 学号 text PRIMARY KEY, 学制 text, 入学时间 text, 毕业时间 text, 手机号码 text,
		      电子邮箱 text)" \
		-c "CREATE INDEX ON public.bench_base (身份证号)" -c "CREATE INDEX ON public.bench_base (院系)" \
		-c "CREATE INDEX ON public.bench_base (姓名)" -c "CHECKPOINT"
}
src_school=
for run in 1 2 3; do
	isc=$((20000 + run)) csc=$((20100 + run))
	iname="导入测试大学$run" cname="复制测试大学$run"
	# the school user's import: a fresh school, its roster, its account
	{
		wq_admin wq_import admin school add "$isc" --name "$iname" --province 11
		printf 'pw-imp%s\n' "$run" | wq_admin wq_import admin account add "imp$run" --kind school \
			--school "$isc" --password-stdin
	} >>"$tmp/setup.log"
	# the statements' own durations go to the server log (COPY to the stage, roster_apply)
	sql wq_import -c "ALTER ROLE imp$run SET log_min_duration_statement = 0"
	"$wq" demo roster "$tmp/roster$run.csv" --students "$NROWS" --school "$isc" --name "$iname"
	settle wq_import
	logstart=$(wc -c <"$data/server.log")
	t0=$EPOCHREALTIME
	PGPASSWORD=pw-imp$run "$wq" --dsn "host=$sock dbname=wq_import user=imp$run" \
		roster import "$tmp/roster$run.csv" >"$tmp/import$run.log"
	s=$(secs_since "$t0")
	imp_times+=("$s")
	log=$(tail -c +$((logstart + 1)) "$data/server.log")
	stage_ms+=("$(awk '/duration: .* statement: COPY pg_temp.wq_roster_stage/ { for (i = 1; i < NF; i++) if ($i == "duration:") print $(i + 1) }' <<<"$log" | head -n 1)")
	apply_ms+=("$(awk '/duration: .* execute .*roster_apply/ { for (i = 1; i < NF; i++) if ($i == "duration:") print $(i + 1) }' <<<"$log" | head -n 1)")
	grep -q "新增 $NROWS 人" "$tmp/import$run.log" || { cat "$tmp/import$run.log"; echo "run.sh: the import did not add $NROWS rows" >&2; exit 1; }
	[ -n "$src_school" ] || src_school=$isc
	say "   import run $run: ${s}s (school $isc)"

	# the baseline: the same file into the plain four-index table
	base_table
	t0=$EPOCHREALTIME
	sql wq_import -c "\\copy public.bench_base FROM '$tmp/roster$run.csv' WITH (FORMAT csv, HEADER)"
	s=$(secs_since "$t0")
	copy_times+=("$s")
	n=$(sql wq_import -c "SELECT count(*) FROM public.bench_base")
	[ "$n" = "$NROWS" ] || { echo "run.sh: \\copy loaded $n rows, not $NROWS" >&2; exit 1; }
	say "   baseline \\copy run $run: ${s}s"

	# context: the plain \copy of the same (normalised) rows into wq.student, another fresh school
	wq_admin wq_import admin school add "$csc" --name "$cname" --province 11 >>"$tmp/setup.log"
	sql wq_import -c "INSERT INTO wq.department SELECT '$csc', name FROM wq.department WHERE school_code = '$src_school'"
	sql wq_import -c "COPY (SELECT '$csc', ${COPY_COLS#school_code, } FROM wq.student WHERE school_code = '$src_school' ORDER BY id) TO STDOUT WITH (FORMAT csv)" >"$tmp/copy$run.csv"
	settle wq_import
	t0=$EPOCHREALTIME
	sql wq_import -c "\\copy wq.student ($COPY_COLS) FROM '$tmp/copy$run.csv' WITH (FORMAT csv)"
	s=$(secs_since "$t0")
	ws_times+=("$s")
	n=$(sql wq_import -c "SELECT count(*) FROM wq.student WHERE school_code = '$csc'")
	[ "$n" = "$NROWS" ] || { echo "run.sh: \\copy loaded $n rows, not $NROWS" >&2; exit 1; }
	say "   \\copy run $run: ${s}s (school $csc)"
done

# context: the same \copy into copies of the table without its keys and
# policies (LIKE ... INCLUDING ...), to see what the table's definition costs;
# the quick run times only the bare one
copy_into_like() {   # INCLUDING-clause -> median seconds of 3 runs
	local times=() run
	sql wq_import -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS public.bench_like" \
		-c "CREATE TABLE public.bench_like (LIKE wq.student INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING IDENTITY $1)"
	for run in 1 2 3; do
		sql wq_import -c "TRUNCATE public.bench_like" -c "CHECKPOINT"
		local t0=$EPOCHREALTIME
		sql wq_import -c "\\copy public.bench_like ($COPY_COLS) FROM '$tmp/copy1.csv' WITH (FORMAT csv)"
		times+=("$(secs_since "$t0")")
	done
	sql wq_import -c "DROP TABLE public.bench_like"
	note "\\copy into LIKE wq.student $1: ${times[*]}"
	printf '%s\n' "${times[@]}" | median
}
say "   \\copy into copies of the table (context)"
like_labels=("bare (no index, no CHECK)")
like_meds=("$(copy_into_like "")")
if ! $quick; then
	n_chk=$(sql wq_import -c "SELECT count(*) FROM pg_constraint WHERE conrelid = 'wq.student'::regclass AND contype = 'c'")
	n_idx=$(sql wq_import -c "SELECT count(*) FROM pg_index WHERE indrelid = 'wq.student'::regclass")
	idx_kinds=$(sql wq_import -c "SELECT string_agg(n || ' ' || k, ', ') FROM (
		SELECT CASE WHEN a.amname <> 'btree' THEN a.amname
		            WHEN EXISTS (SELECT 1 FROM unnest(i.indcollation::oid[]) u JOIN pg_collation pc ON pc.oid = u
		                          WHERE pc.collprovider = 'i') THEN 'ICU btree' ELSE 'btree' END AS k, count(*) AS n
		  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
		 WHERE i.indrelid = 'wq.student'::regclass GROUP BY 1 ORDER BY 1) x")
	like_labels+=("the $n_chk CHECK constraints only" "the $n_idx indexes only ($idx_kinds)" "CHECKs and indexes")
	like_meds+=("$(copy_into_like "INCLUDING CONSTRAINTS")" "$(copy_into_like "INCLUDING INDEXES")" "$(copy_into_like "INCLUDING ALL")")
fi

# context: the floor of an import that stages its rows and then inserts
# them (as roster_apply must, to merge and check): the same rows, already in
# the server (public.bench_base from the last baseline run), inserted with
# one INSERT ... SELECT into a copy of the baseline's own table and indexes.
# PostgreSQL 15 inserts such rows one at a time, where COPY batches them.
say "   INSERT ... SELECT into a copy of the baseline table (context)"
floor_times=()
for run in 1 2 3; do
	sql wq_import -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS public.bench_floor" \
		-c "CREATE TABLE public.bench_floor (LIKE public.bench_base INCLUDING ALL)" -c "CHECKPOINT"
	t0=$EPOCHREALTIME
	sql wq_import -c "INSERT INTO public.bench_floor SELECT * FROM public.bench_base"
	floor_times+=("$(secs_since "$t0")")
done
sql wq_import -c "DROP TABLE public.bench_floor"
floor_med=$(printf '%s\n' "${floor_times[@]}" | median)

# diagnostics (not timed, full run only): one more import with auto_explain
# logging every statement inside roster_apply that takes 50 ms or more
breakdown=
if ! $quick; then
	say "   diagnostic import (auto_explain, not timed)"
	{
		wq_admin wq_import admin school add 20009 --name 导入诊断大学 --province 11
		printf 'pw-imp9\n' | wq_admin wq_import admin account add imp9 --kind school --school 20009 --password-stdin
	} >>"$tmp/setup.log"
	sql wq_import -c "ALTER ROLE imp9 SET session_preload_libraries = 'auto_explain'" \
		-c "ALTER ROLE imp9 SET auto_explain.log_min_duration = 50" \
		-c "ALTER ROLE imp9 SET auto_explain.log_nested_statements = on" \
		-c "ALTER ROLE imp9 SET auto_explain.log_analyze = on" \
		-c "ALTER ROLE imp9 SET auto_explain.log_timing = off"
	"$wq" demo roster "$tmp/roster9.csv" --students "$NROWS" --school 20009 --name 导入诊断大学
	settle wq_import
	logstart=$(wc -c <"$data/server.log")
	PGPASSWORD=pw-imp9 "$wq" --dsn "host=$sock dbname=wq_import user=imp9" roster import "$tmp/roster9.csv" >/dev/null
	# "duration: N ms  plan:" then "Query Text: <first line>"
	breakdown=$(tail -c +$((logstart + 1)) "$data/server.log" | awk '
		/duration: .* plan:/ { for (i = 1; i < NF; i++) if ($i == "duration:") d = $(i + 1); want = 1; next }
		want && /Query Text:/ { sub(/.*Query Text: */, ""); gsub(/[ \t]+/, " "); printf "%10.0f ms  %s\n", d, substr($0, 1, 90); want = 0 }')
fi

imp_med=$(printf '%s\n' "${imp_times[@]}" | median)
copy_med=$(printf '%s\n' "${copy_times[@]}" | median)
ws_med=$(printf '%s\n' "${ws_times[@]}" | median)
stage_med=$(printf '%s\n' "${stage_ms[@]}" | median)
apply_med=$(printf '%s\n' "${apply_ms[@]}" | median)
imp_rps=$(awk -v n=$NROWS -v s="$imp_med" 'BEGIN { printf "%.0f", n / s }')
copy_rps=$(awk -v n=$NROWS -v s="$copy_med" 'BEGIN { printf "%.0f", n / s }')
ratio=$(awk -v a="$imp_rps" -v b="$copy_rps" 'BEGIN { printf "%.2f", a / b }')
imp_goal=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.5 ? "MET" : "NOT MET") }')

report ""
report "1. Import of $NROWS rows (wall clock incl. process start and connect; 3 runs each, interleaved; median [all])"
report "$(printf '   %-52s %8s s  %9s rows/s   [%s]' "wq roster import (school user)" "$imp_med" "$imp_rps" "${imp_times[*]}")"
report "$(printf '   %-52s %8s s  %9s rows/s   [%s]' "baseline: psql \\copy of the file, PK 学号 + 3 btrees" "$copy_med" "$copy_rps" "${copy_times[*]}")"
report "$(printf '   %-52s %8s s  %9s rows/s   [%s]' "context: psql \\copy into wq.student (superuser)" "$ws_med" "$(awk -v n=$NROWS -v s="$ws_med" 'BEGIN { printf "%.0f", n / s }')" "${ws_times[*]}")"
report "   context: the same \\copy into LIKE wq.student (no policy, no foreign key unless said), median of 3:"
for i in "${!like_labels[@]}"; do
	report "$(printf '     %-50s %8s s  %9s rows/s' "${like_labels[$i]}" "${like_meds[$i]}" \
		"$(awk -v n=$NROWS -v s="${like_meds[$i]}" 'BEGIN { printf "%.0f", n / s }')")"
done
report "$(printf '   %-52s %8s s  %9s rows/s   [%s]' "context: INSERT … SELECT into the baseline's table" "$floor_med" "$(awk -v n=$NROWS -v s="$floor_med" 'BEGIN { printf "%.0f", n / s }')" "${floor_times[*]}")"
report "     (the same rows from a table in the server: the least any import that stages and then inserts costs)"
report "   ratio import/baseline = $ratio (goal >= 0.50: $imp_goal)"
report "   inside the import (server log, median): COPY to the staging table ${stage_med} ms, roster_apply ${apply_med} ms"
if [ -n "$breakdown" ]; then
	report "   roster_apply's statements of >= 50 ms (diagnostic run with auto_explain, not timed):"
	while IFS= read -r l; do report "     $l"; done <<<"$breakdown"
fi

# the import database is no longer needed: drop it, so that no autovacuum of
# its 700,000 rows runs during the list timings
sql postgres -c "DROP DATABASE wq_import" -c "CHECKPOINT"

# ==== 2. the student list ======================================================================

say "2. list: building list_bench"
gcc -std=c11 -O2 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-I"$src/src" -I"$builddir/src" -o "$tmp/list_bench" "$bench/list_bench.c" "$bench/bench.c" \
	"$corelib" -lpq -lyaml -lutf8proc -lxlsxwriter $corelibs_extra -lm

say "2. list: seeding a school of 100,000 students (wq demo seed)"
"$src/db/cluster.sh" createdb "$sock" wq_list
wq_admin wq_list db migrate >>"$tmp/setup.log"
t0=$EPOCHREALTIME
wq_admin wq_list demo seed --students 100000 >>"$tmp/setup.log"
seed1=$(secs_since "$t0")
t0=$EPOCHREALTIME
settle wq_list
vac1=$(secs_since "$t0")
printf 'pw-zhang\n' | wq_admin wq_list admin account add zhang --kind school --school 10001 --password-stdin >>"$tmp/setup.log"
say "   seeded in ${seed1}s, VACUUM (ANALYZE) ${vac1}s"

# The cases: label kind sort text.  The same for every scope.  The goal
# applies to pages in 学号 or 姓名 order; other sorts and counts are context.
CASES=(
	open        page  no   ""
	sort_name   page  name ""
	f_zhang     page  no   "张"
	f_zhangwei  page  no   "张伟"
	f_ou        page  no   "欧"
	f_digits    page  no   "12345"
	f_fullwidth page  no   "１２３４５"
	f_zhang_n   page  name "张"
	f_zhangwei_n page name "张伟"
	f_wei_n     page  name "伟"
	p_zhang     page  no   "zhang"
	p_zw        page  no   "zw"
	p_zhangwei  page  no   "zhangwei"
	p_zhang_n   page  name "zhang"
	p_zw_n      page  name "zw"
	p_zhangwei_n page name "zhangwei"
	sort_dept   page  dept ""
	f_zhang_dept page dept "张"
	count_all   count no   ""
	count_zhang count no   "张"
	count_zhangwei count no "张伟"
	count_digits count no  "12345"
	count_p_zhang count no "zhang"
	count_p_zw  count no   "zw"
)
RUNS=21 WARMUP=1

# list_run NAME GOAL_MS LOGIN PASSWORD SCOPE_OPTION CODE
list_run() {
	local name=$1 goal=$2 login=$3 pw=$4 scopeopt=$5 code=$6 f
	say "   $name: $((${#CASES[@]} / 4)) cases x (1 warm-up + $RUNS timed)"
	PGPASSWORD=$pw "$tmp/list_bench" --dsn "host=$sock dbname=wq_list user=$login" "$scopeopt" "$code" \
		--runs $RUNS --warmup $WARMUP "${CASES[@]}" >"$tmp/list_$name.tsv"
	# the plans, as this user: a superuser session loads auto_explain (which
	# also shows the queries run inside wq_api.student_page / student_count),
	# then becomes the user with SET SESSION AUTHORIZATION (session_user too,
	# which the identity functions read)
	f=$plans/$name.txt
	{
		echo "# The student list's queries as $login ($scopeopt $code), with the plans auto_explain"
		echo "# logs for them and for the queries that wq_api.student_page / student_count run inside"
		echo "# (log_analyze, log_buffers, log_nested_statements; the user's own session settings)."
		echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), PostgreSQL $pgver; written by tests/bench/run.sh"
		echo "# The SQL is exactly what students_page_sql()/students_count_sql() build (PREPARE with"
		echo "# untyped parameters, as libpq sends them); run after the timed runs, so the cache is warm."
		echo
		{
			auto_explain_as "$login"
			"$tmp/list_bench" "$scopeopt" "$code" --explain "${CASES[@]}"
		} | psql -X -h "$sock" -U postgres -d wq_list -v ON_ERROR_STOP=1 -f - 2>&1
	} >"$f"
	# which access path each case takes on wq.student
	awk '/^==== / { label = $2; sub(/:$/, "", label) }
	     /(Index Scan|Index Only Scan|Bitmap Heap Scan|Bitmap Index Scan|Seq Scan).* on student( |$)|Bitmap Index Scan on student_/ {
	         l = $0; sub(/^[ ->]*/, "", l); sub(/  \(cost.*/, "", l); sub(/ s$/, "", l)
	         if (!(label SUBSEP l in seen)) { seen[label, l] = 1; path[label] = path[label] (path[label] ? "; " : "") l }
	     }
	     END { for (k in path) print k "\t" path[k] }' "$f" >"$tmp/paths_$name.tsv"
	report ""
	report "2. Student list, $name: ms from db_send to rows in memory (1 warm-up + $RUNS runs; a page is 200 rows)"
	report "$(printf "   %-15s %-5s %-4s %6s %8s %8s %8s %8s  %-7s  %s" case kind sort rows median p90 min max goal filter)"
	while IFS=$'\t' read -r label kind sort rows med p90 min max text; do
		local g
		if [ "$kind" = page ] && { [ "$sort" = no ] || [ "$sort" = name ]; }; then
			g=$(awk -v m="$med" -v goal="$goal" 'BEGIN { print (m < goal ? "met" : "NOT MET") }')
		else
			g="-"
		fi
		report "$(printf '   %-15s %-5s %-4s %6s %8s %8s %8s %8s  %-7s  %s' "$label" "$kind" "$sort" "$rows" "$med" "$p90" "$min" "$max" "$g" "\"$text\"")"
	done <"$tmp/list_$name.tsv"
	report "   access path on wq.student (from plans/$name.txt):"
	while IFS=$'\t' read -r label kind _; do
		report "$(printf '     %-15s %s' "$label" "$(awk -F'\t' -v l="$label" '$1 == l { print $2 }' "$tmp/paths_$name.tsv")")"
	done <"$tmp/list_$name.tsv"
	report "   parallel workers in any of these plans: $(grep -qE 'Gather|Parallel' "$f" && echo yes || echo none)"
	report "   rows: rows on the first page, or for a count the number counted.  Goal: first page under $goal ms (median) in 学号 or 姓名 order; other sorts and counts have no goal of their own (the screen asks for the count after the first page)"
}

list_run school-100k 30 zhang pw-zhang --school 10001

# ==== 3. memory of the running program =======================================================

mem_report=()
if $have_tmux; then
	say "3. memory: wq in tmux (120x40) with the 100,000-student list"
	cat >"$tmp/wq.yaml" <<EOF
version: 1
connection:
  dsn: "host=$sock dbname=wq_list"
EOF
	mkdir -p "$tmp/state" "$tmp/xdgconf"
	t() { tmux -S "$tsock" "$@"; }
	screen() { t capture-pane -p -t m; }
	wait_for() {   # TEXT [SECONDS]
		local i s
		for i in $(seq 1 $((${2:-20} * 10))); do
			s=$(screen)
			if grep -qF -- "$1" <<<"$s"; then return 0; fi
			sleep 0.1
		done
		echo "run.sh: \"$1\" did not appear on the screen:" >&2
		screen >&2
		return 1
	}
	vm() { awk '/^VmRSS|^VmHWM/ { printf "%s %.1f MB  ", $1, $2 / 1024 }' "/proc/$wqpid/status"; }
	rss_mb() { awk -v k="$1:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$wqpid/status"; }
	# the 1-based position of the last row on the screen, in 学号 order
	last_row_pos() {
		local no
		no=$(screen | grep -oE '10001[0-9]{9}' | tail -n 1)
		[ -n "$no" ] && sql wq_list -c "SELECT count(*) FROM wq.student WHERE school_code = '10001' AND student_no <= '$no'"
	}
	t -f /dev/null new-session -d -s m -x 120 -y 40 \
		env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color XDG_STATE_HOME="$tmp/state" \
		XDG_CONFIG_HOME="$tmp/xdgconf" "$wq" --config "$tmp/wq.yaml"
	wqpid=$(t list-panes -t m -F '#{pane_pid}')
	[ "$(cat "/proc/$wqpid/comm")" = wq ] || { echo "run.sh: pid $wqpid is not wq" >&2; exit 1; }
	wait_for "用户名"
	mem_report+=("$(printf '   %s %s' "$(padw "login screen" 58)" "$(vm)")")
	t send-keys -t m -l zhang; t send-keys -t m Enter
	t send-keys -t m -l pw-zhang; t send-keys -t m Enter
	wait_for "学校用户"
	t send-keys -t m ':'; t send-keys -t m -l students; t send-keys -t m Enter
	wait_for "显示 100000 / 100000 条"
	sleep 0.3
	mem_report+=("$(printf '   %s %s' "$(padw "list open (first page, counts)" 58)" "$(vm)")")
	# a few hundred page-downs, one keystroke at a time
	for i in $(seq 1 300); do t send-keys -t m NPage; done
	sleep 1
	pos=$(last_row_pos)
	mem_report+=("$(printf '   %s %s' "$(padw "after 300 PgDn (row $pos of 100000 on screen)" 58)" "$(vm)")")
	# filter: one surname, then page through what it shows
	t send-keys -t m /; t send-keys -t m -l 张; t send-keys -t m Enter
	wait_for "筛选:张"
	wait_for "/ 100000 条"
	for i in $(seq 1 100); do t send-keys -t m NPage; done
	sleep 1
	mem_report+=("$(printf '   %s %s' "$(padw "filter 张 + 100 PgDn" 58)" "$(vm)")")
	hwm_scenario=$(rss_mb VmHWM)
	# Esc clears the filter; G (末行) goes to the last row
	t send-keys -t m Escape
	wait_for "显示 100000 / 100000 条"
	first=$(sql wq_list -c "SELECT min(student_no) FROM wq.student WHERE school_code = '10001'")
	last=$(sql wq_list -c "SELECT max(student_no) FROM wq.student WHERE school_code = '10001'")
	t send-keys -t m G
	wait_for "$last" 60
	sleep 0.5
	mem_report+=("$(printf '   %s %s' "$(padw "G (末行): the last row on screen" 58)" "$(vm)")")
	hwm_all=$(rss_mb VmHWM)
	# back to the top, then PgDn through every page to the last row (full run only)
	if ! $quick; then
		t send-keys -t m g
		wait_for "$first" 60
		pg=()
		for i in $(seq 1 25); do pg+=(NPage); done
		t0=$EPOCHREALTIME
		for i in $(seq 1 5000); do
			if grep -qF -- "$last" <<<"$(screen)"; then break; fi
			t send-keys -t m "${pg[@]}"
		done
		sleep 1
		scroll_s=$(secs_since "$t0")
		if grep -qF -- "$last" <<<"$(screen)"; then reached="to the last row"; else reached="(last row NOT reached)"; fi
		mem_report+=("$(printf '   %s %s' "$(padw "PgDn through all 100000 rows $reached (${scroll_s}s)" 58)" "$(vm)")")
		hwm_all=$(rss_mb VmHWM)
	fi
	t send-keys -t m q
	mem_goal=$(awk -v m="$hwm_scenario" 'BEGIN { print (m < 30 ? "MET" : "NOT MET") }')
	all_goal=$(awk -v m="$hwm_all" 'BEGIN { print (m < 30 ? "under" : "OVER") }')
	report ""
	report "3. Memory of $(basename "$builddir")/wq (tmux 120x40, LANG=C.UTF-8, school user, school of 100000), /proc/PID/status"
	for l in "${mem_report[@]}"; do report "$l"; done
	report "   goal < 30 MB with the list open, paged a few hundred times and filtered: VmHWM $hwm_scenario MB -> $mem_goal"
	report "   at the end ($($quick && echo "after G" || echo "after G and paging through every row")): VmHWM $hwm_all MB ($all_goal 30 MB)"
	t kill-server 2>/dev/null || true
else
	report ""
	report "3. Memory: skipped (tmux is not installed)"
fi

# ==== 4. the review queue and its decisions (issue 8) ============================================

# Two schools of one province: 30001, whose queue holds 10,000 waiting items
# (the queue and the batch pass), and 30002, whose items the decision runs use.
RQ_ITEMS=10000 RV_STUDENTS=7600
DEC1_EACH=1000 DEC16_EACH=150 DEC_WARMUP=5 DIAG_EACH=200 BATCH=500
# two valid 统一社会信用代码 (tests/db/test_agreements.c)
EMP_A=91350100M000100Y43 EMP_B=91440300708461136T
say "4. review: setting up the database wq_review (schools, clerks, rosters, employers)"
"$src/db/cluster.sh" createdb "$sock" wq_review
# wq as LOGIN (password pw-LOGIN; the 16 clerks rv1 … rv16 share pw-rv)
rvw() { local who=$1 pw=pw-$1; shift; [[ $who == rv* ]] && pw=pw-rv; PGPASSWORD=$pw "$wq" --dsn "host=$sock dbname=wq_review user=$who" "$@"; }
{
	wq_admin wq_review db migrate
	wq_admin wq_review admin province set 11 --name 北京市 --agreement-type three-party
	wq_admin wq_review admin school add 30001 --name 审核队列大学 --province 11
	wq_admin wq_review admin school add 30002 --name 审核决定大学 --province 11
	printf 'pw-rq\n' | wq_admin wq_review admin account add rq --kind school --school 30001 --name 队列老师 --password-stdin
	for k in $(seq 1 16); do
		printf 'pw-rv\n' | wq_admin wq_review admin account add "rv$k" --kind school --school 30002 \
			--name "审核老师$k" --password-stdin
	done
	printf 'pw-pt\n' | wq_admin wq_review admin account add pt --kind portal --name 门户 --password-stdin
	"$wq" demo roster "$tmp/rq.csv" --students "$RQ_ITEMS" --school 30001 --name 审核队列大学
	"$wq" demo roster "$tmp/rv.csv" --students "$RV_STUDENTS" --school 30002 --name 审核决定大学
	rvw rq roster import "$tmp/rq.csv"
	rvw rv1 roster import "$tmp/rv.csv"
	rvw rq settings set online_signing=on handler=王老师 phone=010-62750000 address=北京市海淀区 postcode=100871
	rvw rv1 settings set online_signing=on handler=李老师 phone=010-62760000 address=北京市海淀区 postcode=100871
	rvw pt portal employer add "$EMP_A" --name 北京示例科技有限公司 --location 110108 --contact 赵经理 --phone 010-88880000
	rvw pt portal employer add "$EMP_B" --name 深圳示例电子有限公司 --location 440300
} >>"$tmp/setup.log"
# no command for these (the tests do the same): every student 核对 passed and eligible (培养方式 1)
sql wq_review -c "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' WHERE school_code IN ('30001', '30002')"
# the items: the portal invites every student (two employers, alternately) and
# the student accepts, one commit each (so each item has its own 等待 time);
# synchronous_commit off for this set-up session only
sql wq_review -c "COPY (SELECT school_code, student_no, CASE WHEN id % 2 = 0 THEN '$EMP_A' ELSE '$EMP_B' END
	FROM wq.student WHERE school_code IN ('30001', '30002') ORDER BY school_code, student_no) TO STDOUT" >"$tmp/invites.tsv"
t0=$EPOCHREALTIME
PGPASSWORD=pw-pt psql -X -q -v ON_ERROR_STOP=1 -h "$sock" -U pt -d wq_review >>"$tmp/setup.log" <<EOF
SET synchronous_commit = off;
SET statement_timeout = 0;
CREATE TEMP TABLE invites (school text, student_no text, employer text);
\\copy invites FROM '$tmp/invites.tsv'
DO \$\$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT * FROM pg_temp.invites ORDER BY school, student_no LOOP
		PERFORM wq_api.portal_act(wq_api.invite(r.employer, r.school, r.student_no,
			'{"position": "软件工程师", "work_location": "北京市海淀区", "salary": "12000"}'), 'accept', 'student');
		COMMIT;
	END LOOP;
END
\$\$;
EOF
items_s=$(secs_since "$t0")
# the bare baseline: one row updated, one inserted, by a function called the same way
sql wq_review >/dev/null <<'EOF'
CREATE SCHEMA bench;
CREATE TABLE bench.item (id bigint PRIMARY KEY, state text NOT NULL, version integer NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now(), updated_by text NOT NULL DEFAULT session_user);
INSERT INTO bench.item (id, state, version) SELECT g, 'pending_review', 1 FROM generate_series(1, 10000) g;
CREATE TABLE bench.event (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, item_id bigint NOT NULL,
	request_id uuid, at timestamptz NOT NULL DEFAULT now(), actor text NOT NULL DEFAULT session_user);
CREATE FUNCTION bench.bare_decide(p_id bigint, p_version integer, p_request_id uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v integer;
BEGIN
	UPDATE bench.item SET state = 'signed', version = version + 1, updated_at = now(), updated_by = session_user
	 WHERE id = p_id AND version = p_version RETURNING version INTO v;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'item % is not at version %', p_id, p_version USING ERRCODE = 'serialization_failure';
	END IF;
	INSERT INTO bench.event (item_id, request_id) VALUES (p_id, p_request_id);
	RETURN jsonb_build_object('id', p_id, 'version', v);
END
$$;
-- context: the same with the API's NOTIFY on the school's channel
CREATE FUNCTION bench.bare_notify_decide(p_id bigint, p_version integer, p_request_id uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM pg_notify('wq_items_30002', '');
	RETURN bench.bare_decide(p_id, p_version, p_request_id);
END
$$;
-- context: the floor, a decision's writes on the real tables and none of its
-- checks (no identity, scope, state, transition, version or request id):
-- the agreement's row as a pass to 签约成功 changes it, the event and the
-- notice as the engine writes them, and the NOTIFY
CREATE FUNCTION bench.floor_decide(p_id bigint, p_version integer, p_request_id uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	a wq.agreement;
BEGIN
	UPDATE wq.agreement SET state = 'signed', version = version + 1, updated_at = now(), updated_by = session_user
	 WHERE id = p_id RETURNING * INTO a;
	INSERT INTO wq.event (school_code, dept, entity, entity_id, action, from_state, to_state, before, after, request_id)
	VALUES (a.school_code, a.dept, 'agreement', a.id::text, 'pass', 'pending_review', a.state,
	        jsonb_build_object('level', 'school', 'version', p_version),
	        jsonb_build_object('id', a.id, 'state', a.state, 'label', '签约成功', 'level', 'school',
	                           'version', a.version, 'replayed', false, 'actor', 'reviewer', 'from_level', 'school'),
	        p_request_id);
	INSERT INTO wq.notice (student_id, item_id, school_code, dept, text)
	VALUES (a.student_id, a.id, a.school_code, a.dept, format('您的就业协议（%s）：签约成功', a.protocol_no));
	PERFORM pg_notify('wq_items_' || a.school_code, '');
	RETURN jsonb_build_object('id', a.id, 'version', a.version);
END
$$;
REVOKE ALL ON FUNCTION bench.bare_decide(bigint, integer, uuid), bench.bare_notify_decide(bigint, integer, uuid),
	bench.floor_decide(bigint, integer, uuid) FROM PUBLIC;
GRANT USAGE ON SCHEMA bench TO wq_school;
GRANT EXECUTE ON FUNCTION bench.bare_decide(bigint, integer, uuid), bench.bare_notify_decide(bigint, integer, uuid),
	bench.floor_decide(bigint, integer, uuid) TO wq_school;
EOF
sql wq_review -c "VACUUM (ANALYZE)" -c "CHECKPOINT" >/dev/null
nwait=$(sql wq_review -c "SELECT school_code || ':' || count(*) FROM wq.agreement WHERE state = 'pending_review' GROUP BY school_code ORDER BY school_code" | paste -sd ' ')
say "   items made in ${items_s}s (invite + accept as the portal, one commit each): pending_review $nwait"

say "4. review: building review_bench"
gcc -std=c11 -O2 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-I"$src/src" -I"$builddir/src" -o "$tmp/review_bench" "$bench/review_bench.c" "$bench/bench.c" \
	"$corelib" -lpq -lyaml -lutf8proc -lxlsxwriter $corelibs_extra -lm

# the queue: label kind sort text (kind: first = opened, last = G, count)
QCASES=(
	open        first waiting    ""
	last        last  waiting    ""
	count       count waiting    ""
	open_no     first student_no ""
	last_no     last  student_no ""
	open_name   first name       ""
	last_name   last  name       ""
	f_zhang     first waiting    "张"
	count_zhang count waiting    "张"
)
say "   queue of school 30001: $((${#QCASES[@]} / 4)) cases x (1 warm-up + $RUNS timed)"
PGPASSWORD=pw-rq "$tmp/review_bench" --dsn "host=$sock dbname=wq_review user=rq" queue --runs $RUNS --warmup $WARMUP \
	"${QCASES[@]}" >"$tmp/review_queue.tsv"
# the plans (as list_run does): auto_explain in a superuser session that becomes rq
{
	echo "# The review queue's queries as rq (school 30001, $RQ_ITEMS waiting items), with the plans"
	echo "# auto_explain logs for them and for the queries that wq_api.agreement_page / agreement_rows /"
	echo "# agreement_count run inside (log_analyze, log_buffers, log_nested_statements; statements of"
	echo "# 1 ms or more: every call of a non-inlined SQL function is a statement too)."
	echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), PostgreSQL $pgver; written by tests/bench/run.sh"
	echo "# The SQL is exactly what queue_page_sql()/queue_count_sql() build; run after the timed runs."
	echo
	{
		# statements of 1 ms or more: the functions called per row (wq.agreement_in_review,
		# wq.agreement_reviewer_actions, the identity functions) are each a statement
		# too, thousands of them (10,000 calls of wq.agreement_in_review per page)
		echo "LOAD 'auto_explain';"
		echo "SET auto_explain.log_min_duration = 1;"
		echo "SET auto_explain.log_analyze = on;"
		echo "SET auto_explain.log_buffers = on;"
		echo "SET auto_explain.log_nested_statements = on;"
		echo "SET auto_explain.log_level = notice;"
		echo "SET SESSION AUTHORIZATION rq;"
		"$tmp/review_bench" queue --explain "${QCASES[@]}"
	} | psql -X -h "$sock" -U postgres -d wq_review -v ON_ERROR_STOP=1 -f - 2>&1
} >"$plans/review-queue.txt"

say "   batch pass of $BATCH marked items (school 30001)"
batch_line=$(PGPASSWORD=pw-rq "$tmp/review_bench" --dsn "host=$sock dbname=wq_review user=rq" batch --items $BATCH)
IFS=$'\t' read -r b_items b_ok b_failed b_total b_med b_p90 <<<"$batch_line"

# the decisions: bare and API interleaved, 1 clerk then 16
dec_lines=()
decide() {   # label clerks each [--bare --first-id N]
	local label=$1 clerks=$2 each=$3 line
	shift 3
	line=$(PGPASSWORD=pw-rv "$tmp/review_bench" --dsn "host=$sock dbname=wq_review user=rv%d" decide \
		--clerks "$clerks" --each "$each" --warmup $DEC_WARMUP --label "$label" "$@")
	dec_lines+=("$line")
	say "   $line"
}
say "   decisions (school 30002): 1 clerk x $DEC1_EACH, then 16 clerks x $DEC16_EACH, bare and API each"
sql wq_review -c "CHECKPOINT" >/dev/null
decide bare-1 1 $DEC1_EACH --bare --first-id 1
decide api-1 1 $DEC1_EACH
sql wq_review -c "CHECKPOINT" >/dev/null
decide bare-16 16 $DEC16_EACH --bare --first-id 5001
decide api-16 16 $DEC16_EACH
# context: the bare one with the API's NOTIFY (commits that notify take one lock in turn),
# and the floor (a decision's writes alone) with 1 and 16 clerks
decide bare+notify-16 16 $DEC16_EACH --bare-notify --first-id 7501
sql wq_review -c "CHECKPOINT" >/dev/null
decide floor-1 1 $DEC1_EACH --floor
decide floor-16 16 $DEC16_EACH --floor
# diagnostics (not timed for the goal): where a decision's time goes on the
# server: $DIAG_EACH decisions by rv1 in psql with track_functions = all
# (pg_stat_user_functions counts only these), and two decisions with
# auto_explain's nested plans
sql wq_review -c "COPY (SELECT format('SELECT wq_api.review_decide(%s, %L, %s, gen_random_uuid());', id, 'pass', version)
	FROM wq.agreement WHERE school_code = '30002' AND state = 'pending_review' ORDER BY id LIMIT $DIAG_EACH) TO STDOUT" >"$tmp/diag.sql"
sql wq_review -c "SELECT pg_stat_reset()" >/dev/null
t0=$EPOCHREALTIME
{ echo "SET track_functions = 'all';"; echo "SET SESSION AUTHORIZATION rv1;"; cat "$tmp/diag.sql"; } |
	psql -X -q -h "$sock" -U postgres -d wq_review -v ON_ERROR_STOP=1 -f - >/dev/null
diag_s=$(secs_since "$t0")
sleep 1.5
fn_stats=$(sql wq_review -F $'\t' -c "SELECT schemaname || '.' || funcname, calls, round(total_time::numeric, 1),
	round(self_time::numeric, 1) FROM pg_stat_user_functions ORDER BY total_time DESC LIMIT 14")
{
	echo "# Three decisions through wq_api.review_decide as rv1 (school 30002) and three bare ones, with"
	echo "# the plans auto_explain logs for every statement inside (log_analyze, log_buffers, nested)."
	echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), PostgreSQL $pgver; written by tests/bench/run.sh"
	echo
	psql -X -h "$sock" -U postgres -d wq_review -v ON_ERROR_STOP=1 -f - 2>&1 <<'EOF'
SET SESSION AUTHORIZATION rv1;
CREATE TEMP TABLE pick AS SELECT r.id, r.version FROM wq_api.agreement_rows(ARRAY(SELECT id FROM
	wq_api.agreement_page('signing', NULL, NULL, NULL, NULL, true, 'waiting', false, NULL, NULL, 3))) r;
RESET SESSION AUTHORIZATION;
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_analyze = on;
SET auto_explain.log_buffers = on;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_level = notice;
SET SESSION AUTHORIZATION rv1;
\echo '==== wq_api.review_decide, one statement per decision'
SELECT wq_api.review_decide(id, 'pass', version, gen_random_uuid()) FROM pick WHERE id = (SELECT min(id) FROM pick);
SELECT wq_api.review_decide(id, 'pass', version, gen_random_uuid()) FROM pick WHERE id = (SELECT max(id) FROM pick);
\echo '==== bench.bare_decide'
SELECT bench.bare_decide(9991, 1, gen_random_uuid());
SELECT bench.bare_decide(9992, 1, gen_random_uuid());
EOF
} >"$plans/review-decide.txt"

report ""
report "4. Review queue and decisions (issue 8; database wq_review: school 30001 with $RQ_ITEMS waiting items, school 30002 for the decisions)"
report "   set-up: $RQ_ITEMS + $RV_STUDENTS items by wq_api.invite + portal_act accept as the portal account in ${items_s}s (one commit each, synchronous_commit off)"
report "   a) the queue (在线签约管理, only what waits for the user, 200 rows a page) as school user rq: ms from db_send to rows in memory (1 warm-up + $RUNS runs)"
report "$(printf "   %-12s %-5s %-10s %6s %8s %8s %8s %8s  %-7s  %s" case kind sort rows median p90 min max goal filter)"
while IFS=$'\t' read -r label kind sort rows med p90 min max text; do
	if [ "$label" = open ] || [ "$label" = last ]; then
		g=$(awk -v m="$med" 'BEGIN { print (m < 30 ? "met" : "NOT MET") }')
	else
		g="-"
	fi
	report "$(printf '   %-12s %-5s %-10s %6s %8s %8s %8s %8s  %-7s  %s' "$label" "$kind" "$sort" "$rows" "$med" "$p90" "$min" "$max" "$g" "\"$text\"")"
done <"$tmp/review_queue.tsv"
report "   goal: open (first page) and last (G, 末行) in the screen's order (等待) each under 30 ms (median); the others are context.  Plans: plans/review-queue.txt"
b_goal=$(awk -v s="$b_total" 'BEGIN { print (s < 2 ? "MET" : "NOT MET") }')
report "   b) batch pass (rv_batch: queue_item + agreement_decide for each) of $b_items marked items: ${b_total} s in all ($b_ok passed, $b_failed failed; per item median $b_med ms, p90 $b_p90 ms); goal < 2 s: $b_goal"
report "   c) decisions (pass, the version read, a fresh request id) by N clerk processes, each its own login and connection; after $DEC_WARMUP untimed each"
report "$(printf "   %-11s %6s %9s %8s %8s %8s %8s %10s %8s" run clerks decisions median p90 min max "per s" "wall s")"
for l in "${dec_lines[@]}"; do
	IFS=$'\t' read -r label clerks n med p90 min max per wall <<<"$l"
	report "$(printf '   %-11s %6s %9s %8s %8s %8s %8s %10s %8s' "$label" "$clerks" "$n" "$med" "$p90" "$min" "$max" "$per" "$wall")"
done
dec_med() { printf '%s\n' "${dec_lines[@]}" | awk -F'\t' -v l="$1" '$1 == l { print $4 }'; }
dec_per() { printf '%s\n' "${dec_lines[@]}" | awk -F'\t' -v l="$1" '$1 == l { print $8 }'; }
for n in 1 16; do
	[ -n "$(dec_med api-$n)" ] || continue
	r=$(awk -v a="$(dec_med api-$n)" -v b="$(dec_med bare-$n)" 'BEGIN { printf "%.2f", a / b }')
	rt=$(awk -v a="$(dec_per api-$n)" -v b="$(dec_per bare-$n)" 'BEGIN { printf "%.2f", b / a }')
	g=$(awk -v r="$r" 'BEGIN { print (r <= 2 ? "MET" : "NOT MET") }')
	report "   $n clerk(s): median API / bare = $r (goal <= 2: $g); throughput bare / API = $rt"
done
report "   context: bare+notify-16 is the bare one with the API's pg_notify('wq_items_30002', '') (bench.bare_notify_decide)"
for n in 1 16; do
	[ -n "$(dec_med floor-$n)" ] || continue
	report "   context: floor-$n (bench.floor_decide: a decision's writes on the real tables, the NOTIFY, none of its checks) / bare-$n = $(awk -v a="$(dec_med floor-$n)" -v b="$(dec_med bare-$n)" 'BEGIN { printf "%.2f", a / b }'), API / floor = $(awk -v a="$(dec_med api-$n)" -v b="$(dec_med floor-$n)" 'BEGIN { printf "%.2f", a / b }')"
done
report "   the bare one: bench.bare_decide, plpgsql SECURITY DEFINER: UPDATE of one row of bench.item (primary key), INSERT of one row into bench.event, jsonb returned"
report "   where the API's time goes on the server ($DIAG_EACH decisions by rv1 from psql in ${diag_s}s, track_functions = all, pg_stat_user_functions):"
report "$(printf '     %-44s %8s %10s %10s' function calls total_ms self_ms)"
while IFS=$'\t' read -r f c tt st; do
	report "$(printf '     %-44s %8s %10s %10s' "$f" "$c" "$tt" "$st")"
done <<<"$fn_stats"
report "   plans of three decisions, API and bare: plans/review-decide.txt"
{
	echo "review queue (label kind sort rows median p90 min max text):"
	cat "$tmp/review_queue.tsv"
	echo "review batch (items passed failed total_s median_ms p90_ms): $batch_line"
	echo "review decisions (label clerks decisions median p90 min max per_s wall_s):"
	printf '%s\n' "${dec_lines[@]}"
} >>"$raw"
sql postgres -c "DROP DATABASE wq_review" -c "CHECKPOINT" >/dev/null

# ==== 5. statistics (数据统计, issue 9) ==========================================================
#
# stats_bench (built like list_bench) times stats_load, the screen's and
# `wq stats`' own call, for each breakdown, next to one count(*) over the same
# graduates (wq_api.student_count) in the same run.  Quick run: a school of
# 20,000 (its own database); full run: the province of 1,000,000 of 2b too.
# Agreements and registrations have no bulk command: they are written in SQL,
# in proportions a school sees by summer (per graduate, by a hash of its id):
# 30.0 % a valid agreement (线上 60 %, 线下 25 %, 补登 15 %), 2.0 % one in
# review, 50.0 % an approved registration (11 10 %, 12 5 %, 27 1 %, 46 1 %,
# 50 2 %, 51 2 %, 75 1 %, 76 5 %, 80 13 %, 85 4 %, 70 4 %, 71 1.5 %, 72 0.5 %
# of graduates), 3.0 % a registration in review, 3.0 % a terminated agreement
# once the state exists (0022; until then those are 未登记), the rest none.
# The rows go in with triggers off (session_replication_role = replica), and
# each graduate's outcome (毕业去向, the way in of its valid agreement,
# 解约) is then set by the database's own rule, wq.student_outcome, in one
# UPDATE.

stats_populate() {   # db where(on wq.student s)
	sql "$1" >>"$tmp/setup.log" <<SQL
INSERT INTO wq.employer (credit_code, name) VALUES ('91350100M000100Y43', '北京示例科技有限公司') ON CONFLICT DO NOTHING;
SET session_replication_role = replica;
CREATE TEMP TABLE pick AS
	SELECT s.id, s.school_code, s.dept, (hashint8(s.id)::bigint + 2147483648) % 1000 AS b, (s.id / 7) % 20 AS k
	  FROM wq.student s WHERE $2;
INSERT INTO wq.agreement (kind, initiator, school_code, dept, student_id, employer_code, state, protocol_no,
                          valid_until, updated_at)
SELECT kind, CASE kind WHEN 'online' THEN 'employer' ELSE 'student' END, school_code, dept, id,
       '91350100M000100Y43', state, 'B-' || id, now() + interval '30 days', now() - (id % 30) * interval '1 day'
  FROM (SELECT p.*, CASE WHEN k < 12 THEN 'online' WHEN k < 17 THEN 'offline' ELSE 'registration' END AS kind
          FROM pick p) p
 CROSS JOIN LATERAL (SELECT CASE
	WHEN b < 300 THEN 'signed'
	WHEN b < 320 THEN CASE kind WHEN 'online' THEN 'pending_review' WHEN 'offline' THEN 'signing_review' ELSE 'reg_review' END
	WHEN b < 350 AND wq.item_state_label(kind, 'terminated') IS NOT NULL THEN 'terminated'
	END AS state) st
 WHERE st.state IS NOT NULL;
INSERT INTO wq.destination (school_code, dept, student_id, code, state, updated_at)
SELECT school_code, dept, id, CASE
	WHEN b < 450 THEN '11' WHEN b < 500 THEN '12' WHEN b < 510 THEN '27' WHEN b < 520 THEN '46'
	WHEN b < 540 THEN '50' WHEN b < 560 THEN '51' WHEN b < 570 THEN '75' WHEN b < 620 THEN '76'
	WHEN b < 750 THEN '80' WHEN b < 790 THEN '85' WHEN b < 830 THEN '70' WHEN b < 845 THEN '71'
	WHEN b < 850 THEN '72' ELSE (ARRAY['11', '80', '76'])[1 + id % 3] END,
	CASE WHEN b < 850 THEN 'approved' ELSE 'pending' END, now() - (id % 20) * interval '1 day'
  FROM pick WHERE b >= 350 AND b < 880;
SET session_replication_role = DEFAULT;
UPDATE wq.student s SET (destination_code, signing_kind, terminated) = (o.code, o.signing_kind, o.terminated)
  FROM pick p, LATERAL wq.student_outcome(p.id) o WHERE p.id = s.id AND p.b < 880;
SQL
	sql "$1" -c "VACUUM (ANALYZE) wq.student" -c "VACUUM (ANALYZE) wq.agreement" -c "VACUUM (ANALYZE) wq.destination" \
		-c "CHECKPOINT" >/dev/null
}

# stats_run NAME GOAL_MS DB LOGIN PASSWORD
stats_run() {
	local name=$1 goal=$2 db=$3 login=$4 pw=$5 f by
	say "   $name: 6 breakdowns and the count x (1 warm-up + 11 timed)"
	PGPASSWORD=$pw "$tmp/stats_bench" --dsn "host=$sock dbname=$db user=$login" --runs 11 --warmup 1 \
		>"$tmp/stats_$name.tsv"
	# the plans, as this user, of the query wq_api.stats runs inside (auto_explain, nested)
	f=$plans/stats-$name.txt
	{
		echo "# 数据统计 as $login: the plans auto_explain logs for wq_api.stats(by) and the query it runs"
		echo "# inside (log_analyze, log_buffers, log_nested_statements; the user's own session settings)."
		echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), PostgreSQL $pgver; written by tests/bench/run.sh, after the timed runs"
		echo
		{
			auto_explain_as "$login"
			for by in dept major level gender origin school; do
				echo "\\echo ==== $by"
				echo "SELECT count(*) FROM wq_api.stats('$by');"
			done
			echo "\\echo ==== count"
			echo "SELECT wq_api.student_count(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);"
		} | psql -X -h "$sock" -U postgres -d "$db" -v ON_ERROR_STOP=1 -f - 2>&1
	} >"$f"
	local cmed
	cmed=$(awk -F'\t' '$1 == "count" { print $3 }' "$tmp/stats_$name.tsv")
	report ""
	report "5. Statistics, $name: ms of stats_load (wq_api.stats_codes + wq_api.stats, rows in memory, 合计 added), 1 warm-up + 11 runs, interleaved with the count"
	report "$(printf "   %-8s %6s %9s %8s %8s %8s %9s %8s  %s" by groups graduates median p90 min max x_count goal)"
	while IFS=$'\t' read -r label rows med p90 min max grads; do
		local g x
		x=$(awk -v m="$med" -v c="$cmed" 'BEGIN { printf "%.1f", m / c }')
		if [ "$label" = count ]; then
			g="-"
			label="count(*)"
		else
			g=$(awk -v m="$med" -v goal="$goal" 'BEGIN { print (m < goal ? "met" : "NOT MET") }')
		fi
		report "$(printf '   %-8s %6s %9s %8s %8s %8s %9s %8s  %s' "$label" "$rows" "$grads" "$med" "$p90" "$min" "$max" "$x" "$g")"
	done <"$tmp/stats_$name.tsv"
	report "   parallel workers in these plans: $(grep -qE 'Gather|Parallel' "$f" && echo yes || echo none); plans in plans/stats-$name.txt"
	report "   count(*): wq_api.student_count over the same scope, the least a pass over these graduates costs.  Goal: every breakdown under $goal ms (median)"
}

say "5. stats: building stats_bench"
gcc -std=c11 -O2 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-I"$src/src" -I"$builddir/src" -o "$tmp/stats_bench" "$bench/stats_bench.c" "$bench/bench.c" \
	"$corelib" -lpq -lyaml -lutf8proc -lxlsxwriter $corelibs_extra -lm
say "5. stats: seeding a school of 20,000 (wq demo seed) and its agreements and registrations (SQL)"
"$src/db/cluster.sh" createdb "$sock" wq_stats
wq_admin wq_stats db migrate >>"$tmp/setup.log"
t0=$EPOCHREALTIME
wq_admin wq_stats demo seed --students 20000 >>"$tmp/setup.log"
printf 'pw-tj\n' | wq_admin wq_stats admin account add tj --kind school --school 10001 --password-stdin >>"$tmp/setup.log"
stats_populate wq_stats "s.school_code = '10001'"
say "   seeded in $(secs_since "$t0")s"
report ""
report "Setup of 5.: $(sql wq_stats -c "SELECT count(*) || ' graduates, ' || (SELECT count(*) FROM wq.agreement) || ' agreements, ' || (SELECT count(*) FROM wq.destination) || ' registrations; ' || round(100.0 * count(*) FILTER (WHERE wq.destination_placed(destination_code)) / count(*), 1) || ' % placed' FROM wq.student")"
stats_run school-20k 50 wq_stats tj pw-tj
sql postgres -c "DROP DATABASE wq_stats" -c "CHECKPOINT" >/dev/null

# ==== 2b. a province of 1,000,000 ====================================================================

if ! $quick; then
	say "2b. list: seeding 10 schools x 100,000 students (wq demo seed --schools 10); this takes several minutes"
	t0=$EPOCHREALTIME
	wq_admin wq_list demo seed --students 100000 --schools 10 >>"$tmp/setup.log"
	seed10=$(secs_since "$t0")
	t0=$EPOCHREALTIME
	settle wq_list
	vac10=$(secs_since "$t0")
	printf 'pw-prov1\n' | wq_admin wq_list admin account add prov1 --kind province --province 11 --password-stdin >>"$tmp/setup.log"
	n=$(sql wq_list -c "SELECT count(*) FROM wq.student WHERE province_code = '11'")
	say "   seeded in ${seed10}s (+ VACUUM (ANALYZE) ${vac10}s): $n students in province 11"
	report ""
	report "Setup of the province: wq demo seed --students 100000 --schools 10 took ${seed10}s (school 10001 re-imported unchanged, 9 new schools), VACUUM (ANALYZE) ${vac10}s; $n students in province 11"
	list_run province-1m 100 prov1 pw-prov1 --province 11
	list_run school-100k-of-1m 30 zhang pw-zhang --school 10001
	say "5. stats: the province's agreements and registrations (SQL)"
	t0=$EPOCHREALTIME
	stats_populate wq_list "s.province_code = '11'"
	report ""
	report "Setup of 5. for the province ($(secs_since "$t0")s): $(sql wq_list -c "SELECT count(*) || ' graduates, ' || (SELECT count(*) FROM wq.agreement) || ' agreements, ' || (SELECT count(*) FROM wq.destination) || ' registrations; ' || round(100.0 * count(*) FILTER (WHERE wq.destination_placed(destination_code)) / count(*), 1) || ' % placed' FROM wq.student WHERE province_code = '11'")"
	stats_run province-1m 500 wq_list prov1 pw-prov1
fi

# ---- setup times and the summary -----------------------------------------------------------------

report ""
report "Setup: 100,000-student school seeded in ${seed1}s (wq demo seed, through the real import; VACUUM (ANALYZE) ${vac1}s)"
if [ "$(md5sum <"$wq")" != "$wq_sum" ]; then
	report "WARNING: $wq was rebuilt while the benchmarks ran: the figures may mix two builds"
fi
report "Total run time: $(secs_since "$t_start")s; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

{
	echo "---- raw figures ----"
	echo "import seconds: ${imp_times[*]}"
	echo "\\copy seconds: ${copy_times[*]}"
	echo "stage COPY ms: ${stage_ms[*]}"
	echo "roster_apply ms: ${apply_ms[*]}"
	for f in "$tmp"/list_*.tsv; do
		echo "$(basename "$f" .tsv) (label kind sort rows median p90 min max text):"
		cat "$f"
	done
} >>"$raw"

echo
cat "$out"
cat "$out" "$raw" >"$results/$mode.txt"
echo
echo "written: tests/bench/results/$mode.txt, tests/bench/plans/*.txt"
