#!/usr/bin/env bash
# run.sh SOURCE_ROOT WQ_BINARY [SPEC...]: the concurrency suite.
#
# Starts a throwaway PostgreSQL cluster, migrates it and adds the school, its
# clerks and the portal account with the real `wq` commands, then runs each
# tests/isolation/specs/NAME.spec with PostgreSQL's isolationtester (every
# listed interleaving of the sessions' steps) and compares its output with
# tests/isolation/expected/NAME.out.  The time in a stale-version refusal
# ("已被 X（Y）于 <time> 处理") is masked before comparing.  Prints cmocka-style
# result lines so every suite is counted alike; a failing spec leaves its
# diff on stdout.  Exits 77 (skip) when PostgreSQL or isolationtester is
# missing.  ISO_KEEP=DIR copies each spec's masked output to DIR/NAME.out
# (to refresh an expected file after a deliberate change: review the diff).
set -uo pipefail
src=$1 wq=$2
shift 2

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ISOTESTER=${ISOTESTER:-/usr/lib/postgresql/15/lib/pgxs/src/test/isolation/isolationtester}
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL 15 server not installed: skipping"; exit 77; }
[ -x "$ISOTESTER" ] || { echo "isolationtester (postgresql-client-15) not installed: skipping"; exit 77; }

here=$src/tests/isolation
tmp=$(mktemp -d /tmp/wq-iso.XXXXXX)
chmod 755 "$tmp"
cleanup() {
	"$src/db/cluster.sh" stop "$tmp/data" || true
	rm -rf "$tmp"
}
trap cleanup EXIT

db=wq_iso
"$src/db/cluster.sh" start "$tmp/data" "$tmp/run" || exit 1
"$src/db/cluster.sh" createdb "$tmp/run" "$db" || exit 1
dsn="host=$tmp/run dbname=$db user=postgres"

sql() {
	"$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$tmp/run" -U postgres -d "$db" "$@"
}

# ---- fixtures -------------------------------------------------------------------
# One school (仅校级审核), two school clerks 张老师 (zhang) and 王老师 (wang),
# the portal account (pt, acting for graduates and employers), 300 graduates
# verified and eligible, the switches on, one employer.  Each permutation of a
# spec makes its own items in its setup (iso.new_item), for graduates without
# one, so no permutation sees another's.
{
	"$wq" --dsn "$dsn" db migrate
	"$wq" --dsn "$dsn" admin province set 11 --name 北京市 --agreement-type three-party
	"$wq" --dsn "$dsn" admin school add 10001 --name 北京示例大学 --province 11
	printf 'pw-zhang\n' | "$wq" --dsn "$dsn" admin account add zhang --kind school --school 10001 --name 张老师 --password-stdin
	printf 'pw-wang\n' | "$wq" --dsn "$dsn" admin account add wang --kind school --school 10001 --name 王老师 --password-stdin
	printf 'pw-pt\n' | "$wq" --dsn "$dsn" admin account add pt --kind portal --name 门户 --password-stdin
	"$wq" demo roster "$tmp/roster.csv" --students 300 --school 10001 --name 北京示例大学
	PGPASSWORD=pw-zhang "$wq" --dsn "host=$tmp/run dbname=$db user=zhang" roster import "$tmp/roster.csv"
	sql <<-'SQL'
		UPDATE wq.student SET verify_status = 'verified', training_mode = '1' WHERE school_code = '10001';
		UPDATE wq.school_settings SET online_signing = true, registration = true, destination = true, review_mode = 'school',
			handler = '王老师', phone = '010-62750000', address = '北京市海淀区', postcode = '100871'
		 WHERE school_code = '10001';
		SET SESSION AUTHORIZATION pt;
		SELECT wq_api.employer_add('91440300708461136T', '深圳示例电子有限公司', NULL, NULL, '440300');
		RESET SESSION AUTHORIZATION;

		-- The test's own helpers (not the product's): the items a permutation
		-- works on, one per kind, readable by every session.
		CREATE SCHEMA iso;
		GRANT USAGE ON SCHEMA iso TO PUBLIC;
		CREATE TABLE iso.item (kind text PRIMARY KEY, id bigint NOT NULL);
		GRANT SELECT ON iso.item TO PUBLIC;
		CREATE FUNCTION iso.id(p_kind text) RETURNS bigint LANGUAGE sql STABLE AS $$
			SELECT id FROM iso.item WHERE kind = p_kind
		$$;

		-- A new item of kind 'online' (invited and accepted: 学生已同意签约,
		-- version 2) or 'registration' (submitted, then returned by 张老师:
		-- 退回修改, version 2) or 'destination' (a registration of 80 升学,
		-- 去向登记审核中, version 1), for a graduate who has none, made through
		-- the product's functions as the portal and as 张老师.  It becomes the
		-- permutation's item of its kind.
		CREATE FUNCTION iso.new_item(p_kind text, OUT kind text, OUT state text, OUT version integer)
		LANGUAGE plpgsql AS $$
		#variable_conflict use_column
		DECLARE
			v_no text;
			v_id bigint;
		BEGIN
			SELECT s.student_no INTO STRICT v_no FROM wq.student s
			 WHERE s.school_code = '10001' AND NOT EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id)
			   AND NOT EXISTS (SELECT 1 FROM wq.destination d WHERE d.student_id = s.id)
			   AND NOT EXISTS (SELECT 1 FROM wq.termination t WHERE t.student_id = s.id)
			 ORDER BY s.student_no LIMIT 1;
			SET LOCAL SESSION AUTHORIZATION pt;
			IF p_kind = 'termination' THEN
				-- an online agreement signed by the school, and the graduate's
				-- request to terminate it (学生发起解约等待单位应约, version 1)
				v_id := wq_api.invite('91440300708461136T', '10001', v_no);
				PERFORM wq_api.portal_act(v_id, 'accept', 'student');
				SET LOCAL SESSION AUTHORIZATION zhang;
				PERFORM wq_api.review_decide(v_id, 'pass', 2);
				SET LOCAL SESSION AUTHORIZATION pt;
				v_id := wq_api.termination_start(v_id, 'student', '单位长期未答复');
				RESET SESSION AUTHORIZATION;
				INSERT INTO iso.item VALUES (p_kind, v_id) ON CONFLICT (kind) DO UPDATE SET id = excluded.id;
				SELECT t.kind, t.state, t.version INTO kind, state, version FROM wq.termination t WHERE t.id = v_id;
				RETURN;
			ELSIF p_kind = 'destination' THEN
				v_id := wq_api.destination_submit('10001', v_no, '80',
					'{"institution": "北京大学", "study_level": "研究生"}');
				RESET SESSION AUTHORIZATION;
				INSERT INTO iso.item VALUES (p_kind, v_id) ON CONFLICT (kind) DO UPDATE SET id = excluded.id;
				SELECT d.kind, d.state, d.version INTO kind, state, version FROM wq.destination d WHERE d.id = v_id;
				RETURN;
			ELSIF p_kind = 'online' THEN
				v_id := wq_api.invite('91440300708461136T', '10001', v_no);
				PERFORM wq_api.portal_act(v_id, 'accept', 'student');
			ELSE
				v_id := wq_api.registration_submit('10001', v_no, '91440300708461136T',
					'{"position": "工程师", "salary": 8000}');
				SET LOCAL SESSION AUTHORIZATION zhang;
				PERFORM wq_api.review_decide(v_id, 'return', 1, NULL, 'missing', '缺少协议书扫描件');
			END IF;
			RESET SESSION AUTHORIZATION;
			INSERT INTO iso.item VALUES (p_kind, v_id) ON CONFLICT (kind) DO UPDATE SET id = excluded.id;
			SELECT a.kind, a.state, a.version INTO kind, state, version FROM wq.agreement a WHERE a.id = v_id;
		END
		$$;

		-- What a permutation left, per item: its state, version, who acted
		-- last, the salary, and how many actions (events past the creation)
		-- and notices it has: one each per applied action, none for a refused one.
		CREATE FUNCTION iso.outcome() RETURNS TABLE (kind text, state text, version integer,
			updated_by text, salary integer, actions bigint, notices bigint)
		LANGUAGE sql AS $$
			SELECT a.kind, a.state, a.version, a.updated_by, a.salary,
			       (SELECT count(*) FROM wq.event e
			         WHERE e.entity = 'agreement' AND e.entity_id = a.id::text AND e.action <> 'create'),
			       (SELECT count(*) FROM wq.notice n WHERE n.item_id = a.id)
			  FROM iso.item i JOIN wq.agreement a ON a.id = i.id ORDER BY a.kind
		$$;

		-- The graduate's registrations of the permutation's destination item, in
		-- order (state, source, code, events past the creation, notices), and the
		-- 毕业去向 the database keeps for the graduate.
		CREATE FUNCTION iso.destinations() RETURNS TABLE (state text, source text, code text, actions bigint,
			notices bigint, destination_code text)
		LANGUAGE sql AS $$
			SELECT d.state, d.source, d.code,
			       (SELECT count(*) FROM wq.event e
			         WHERE e.entity = 'destination' AND e.entity_id = d.id::text AND e.action NOT IN ('create', 'change')),
			       (SELECT count(*) FROM wq.notice n WHERE n.item_id = d.id), s.destination_code
			  FROM wq.destination d JOIN wq.student s ON s.id = d.student_id
			 WHERE d.student_id = (SELECT x.student_id FROM wq.destination x WHERE x.id = iso.id('destination'))
			 ORDER BY d.id
		$$;
		GRANT EXECUTE ON FUNCTION iso.destinations() TO PUBLIC;
		-- The permutation's termination: its state, version, who acted last,
		-- its actions (events past the creation) and notices, and its
		-- agreement's state and the graduate's 毕业去向.
		CREATE FUNCTION iso.termination() RETURNS TABLE (state text, version integer, updated_by text,
			actions bigint, notices bigint, agreement text, destination_code text)
		LANGUAGE sql AS $$
			SELECT t.state, t.version, t.updated_by,
			       (SELECT count(*) FROM wq.event e WHERE e.entity = 'termination' AND e.entity_id = t.id::text
			           AND e.action <> 'create'),
			       (SELECT count(*) FROM wq.notice n WHERE n.item_id = t.id), a.state, s.destination_code
			  FROM wq.termination t JOIN wq.agreement a ON a.id = t.agreement_id JOIN wq.student s ON s.id = t.student_id
			 WHERE t.id = iso.id('termination')
		$$;
		GRANT EXECUTE ON FUNCTION iso.termination() TO PUBLIC;
		-- the 学号 of the graduate of the permutation's destination item
		CREATE FUNCTION iso.destination_student_no() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER AS $$
			SELECT s.student_no FROM wq.student s JOIN wq.destination d ON d.student_id = s.id
			 WHERE d.id = iso.id('destination')
		$$;
	SQL
} >"$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; exit 1; }

# ---- runner -------------------------------------------------------------------

# The isolationtester output of a spec, the refusal's time masked.  A step
# still waiting after PGISOLATIONTIMEOUT seconds is cancelled (the output
# then differs): a lock never released fails the spec, not the suite's timeout.
run_spec() {
	PGISOLATIONTIMEOUT=${PGISOLATIONTIMEOUT:-30} "$ISOTESTER" "$dsn" <"$here/specs/$1.spec" 2>&1 |
		sed -E 's/于 [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} 处理/于 <time> 处理/g'
}

specs=("$@")
if [ ${#specs[@]} -eq 0 ]; then
	mapfile -t specs < <(cd "$here/specs" && ls -- *.spec | sed 's/\.spec$//')
fi
passed=0
failed=()
echo "[==========] isolation: running ${#specs[@]} test(s)."
for s in "${specs[@]}"; do
	echo "[ RUN      ] $s"
	sql -c 'TRUNCATE iso.item'
	run_spec "$s" >"$tmp/$s.out"
	[ -n "${ISO_KEEP:-}" ] && cp "$tmp/$s.out" "$ISO_KEEP/$s.out"
	if diff -u "$here/expected/$s.out" "$tmp/$s.out"; then
		echo "[       OK ] $s"
		passed=$((passed + 1))
	else
		echo "[  FAILED  ] $s"
		failed+=("$s")
	fi
done
echo "[==========] isolation: ${#specs[@]} test(s) run."
echo "[  PASSED  ] $passed test(s)."
if [ ${#failed[@]} -gt 0 ]; then
	echo "[  FAILED  ] ${#failed[@]} test(s), listed below:"
	for s in "${failed[@]}"; do echo "[  FAILED  ] $s"; done
	exit 1
fi
exit 0
