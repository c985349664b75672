-- 0026_student_outcome: what the statistics count, kept on the student's row;
-- and the 解约 queue among the statistics' queues.
--
-- 0024's statistics joined each graduate to its valid agreement (for the
-- way in: 线上签约, 线下签约, 补登) and counted the graduates with a
-- terminated one on their own.  For a province of a million graduates the
-- hash of some 300,000 agreements and the second pass took longer than the
-- goal (tests/bench/README.md, section 5).  The student's row now holds,
-- beside its 毕业去向 (destination_code, 0021), the kind of its valid
-- agreement (signing_kind) and whether it has a terminated one
-- (terminated), all three derived in one place (wq.student_outcome) and kept
-- by 0021's triggers in the one UPDATE they already make, so that the
-- statistics are a single pass over the students in scope.  None of the
-- three columns has an index: keeping them stays a HOT update.
--
-- That UPDATE runs on every signing that reaches 签约成功 and every
-- decision on a registration, and PostgreSQL prepares every CHECK of
-- wq.student for it.  The CHECK of 身份证号 called wq.id_number_valid, an SQL
-- function whose body the planner inlines, parsing it again for each
-- statement: about 0.15 ms of every such UPDATE, measured.  It now calls a
-- PL/pgSQL form of the same rule (as 0019 did for the tables a decision
-- writes), whose plan a session keeps; the import checks its rows in one
-- statement and pays a call per row instead, which costs it little.

SET LOCAL ROLE wq_owner;

-- ---------------------------------------------------------------------------
-- 身份证号's CHECK
-- ---------------------------------------------------------------------------
CREATE FUNCTION wq.id_number_ok(p text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
	RETURN wq.id_number_valid(p);
END
$$;
REVOKE ALL ON FUNCTION wq.id_number_ok(text) FROM PUBLIC;

ALTER TABLE wq.student DROP CONSTRAINT student_id_number_check;
ALTER TABLE wq.student ADD CONSTRAINT student_id_number_check CHECK (wq.id_number_ok(id_number)) NOT VALID;
ALTER TABLE wq.student VALIDATE CONSTRAINT student_id_number_check;

-- ---------------------------------------------------------------------------
-- The outcome of each graduate
-- ---------------------------------------------------------------------------
ALTER TABLE wq.student
	ADD COLUMN signing_kind text CHECK (signing_kind IN ('online', 'offline', 'registration')),
	ADD COLUMN terminated boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN wq.student.signing_kind IS 'the kind of the valid agreement (wq.student_outcome)';
COMMENT ON COLUMN wq.student.terminated IS 'has a terminated agreement (wq.student_outcome)';

-- A graduate's 毕业去向 (code: a valid agreement gives 10; else an approved
-- registration its code; else a terminated agreement 70; else none, 未登记),
-- the kind of its valid agreement (none without one) and whether it has a
-- terminated agreement.  The one place these are derived.
CREATE FUNCTION wq.student_outcome(p_student bigint, OUT code text, OUT signing_kind text, OUT terminated boolean)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	SELECT a.kind INTO signing_kind FROM wq.agreement a WHERE a.student_id = p_student AND a.state = 'signed' LIMIT 1;
	terminated := EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = p_student AND a.state = 'terminated');
	IF signing_kind IS NOT NULL THEN
		code := '10';
	ELSE
		code := coalesce((SELECT d.code FROM wq.destination d WHERE d.student_id = p_student AND d.state = 'approved'),
			CASE WHEN terminated THEN '70' END);
	END IF;
END
$$;
REVOKE ALL ON FUNCTION wq.student_outcome(bigint) FROM PUBLIC;

-- 0021's and 0022's wq.student_destination: the trigger (below) reads the
-- outcome instead, and nothing else called it.
DROP FUNCTION wq.student_destination(bigint);
RESET ROLE;

GRANT EXECUTE ON FUNCTION wq.id_number_ok(text), wq.student_outcome(bigint) TO wq_owner, wq_engine;
GRANT UPDATE (signing_kind, terminated) ON wq.student TO wq_engine;

-- 0021's trigger function: the three columns in its one UPDATE.
GRANT CREATE ON SCHEMA wq TO wq_engine;
SET LOCAL ROLE wq_engine;
CREATE OR REPLACE FUNCTION wq.student_destination_keep() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	o record := wq.student_outcome(NEW.student_id);
BEGIN
	UPDATE wq.student
	   SET destination_code = o.code, signing_kind = o.signing_kind, terminated = o.terminated
	 WHERE id = NEW.student_id
	   AND (destination_code, signing_kind, terminated) IS DISTINCT FROM (o.code, o.signing_kind, o.terminated);
	RETURN NULL;
END
$$;
RESET ROLE;
REVOKE CREATE ON SCHEMA wq FROM wq_engine;

-- the graduates who already have agreements
UPDATE wq.student s SET (destination_code, signing_kind, terminated) = (o.code, o.signing_kind, o.terminated)
  FROM (SELECT DISTINCT a.student_id FROM wq.agreement a WHERE a.state IN ('signed', 'terminated')) a,
       LATERAL wq.student_outcome(a.student_id) o
 WHERE s.id = a.student_id
   AND (s.destination_code, s.signing_kind, s.terminated) IS DISTINCT FROM (o.code, o.signing_kind, o.terminated);

-- ---------------------------------------------------------------------------
-- The statistics: one pass
-- ---------------------------------------------------------------------------
GRANT SELECT (signing_kind, terminated) ON wq.student TO wq_stats;
GRANT SELECT (school_code, dept, state, updated_at) ON wq.termination TO wq_stats;
-- the review states of an agreement, one place (0018): inlined into the queues' count
GRANT EXECUTE ON FUNCTION wq.agreement_in_review(text) TO wq_stats;
-- 0024's, for the second pass that is no more
DROP INDEX wq.agreement_terminated;

GRANT USAGE, CREATE ON SCHEMA wq_api TO wq_stats;
SET LOCAL ROLE wq_stats;

-- As in 0024, from the students' rows alone.
CREATE OR REPLACE FUNCTION wq_api.stats(p_by text)
RETURNS TABLE (grp text, label text, graduates bigint, eligible bigint, verified bigint, online bigint,
	offline bigint, registration bigint, destinations bigint[], unregistered bigint, terminated bigint,
	placed bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 50 SET search_path = pg_catalog, pg_temp
	SET jit = off AS $$
DECLARE
	v_scope  text;
	v_grp    text;
	v_label  text;
	v_order  text;
BEGIN
	PERFORM wq.check_arg(p_by, 16, '分组');
	v_scope := wq.stats_scope(true);
	IF v_scope IS NULL THEN
		RAISE EXCEPTION '只有省级用户、学校用户和院系用户可以查看数据统计' USING ERRCODE = 'insufficient_privilege';
	END IF;
	CASE coalesce(p_by, '')
	WHEN 'dept' THEN
		v_grp := 's.dept';
		v_label := 'g.grp';
		v_order := 'g.grp COLLATE "zh-Hans-x-icu"';
	WHEN 'major' THEN
		v_grp := 's.major';
		v_label := 'g.grp';
		v_order := 'g.grp COLLATE "zh-Hans-x-icu"';
	WHEN 'level' THEN
		v_grp := 's.level';
		v_label := 'coalesce((SELECT c.name FROM wq.code c WHERE c.kind = ''education_level'' AND c.code = g.grp), g.grp)';
		v_order := 'g.grp';
	WHEN 'gender' THEN
		v_grp := 's.sex';
		v_label := 'coalesce((SELECT c.name FROM wq.code c WHERE c.kind = ''sex'' AND c.code = g.grp), g.grp)';
		v_order := 'g.grp';
	WHEN 'origin' THEN
		v_grp := 'left(s.origin_code, 2)';
		v_label := 'coalesce((SELECT c.name FROM wq.code c WHERE c.kind = ''province'' AND c.code = g.grp), g.grp)';
		v_order := 'g.grp';
	WHEN 'school' THEN
		v_grp := 's.school_code';
		v_label := 'coalesce((SELECT sc.name FROM wq.school sc WHERE sc.code = g.grp), g.grp)';
		v_order := 'g.grp';
	ELSE
		RAISE EXCEPTION '分组应为 dept、major、level、gender、origin 或 school' USING ERRCODE = 'invalid_parameter_value';
	END CASE;
	RETURN QUERY EXECUTE format($q$
		WITH per AS (
			SELECT %1$s AS grp, s.destination_code AS code, count(*) AS n,
			       count(*) FILTER (WHERE s.eligible) AS eligible,
			       count(*) FILTER (WHERE s.verify_status = 'verified') AS verified,
			       count(*) FILTER (WHERE s.signing_kind = 'online') AS online,
			       count(*) FILTER (WHERE s.signing_kind = 'offline') AS offline,
			       count(*) FILTER (WHERE s.signing_kind = 'registration') AS registration,
			       count(*) FILTER (WHERE s.terminated) AS terminated
			  FROM wq.student s
			 WHERE %2$s
			 GROUP BY 1, 2),
		g AS (
			SELECT p.grp, sum(p.n)::bigint AS graduates, sum(p.eligible)::bigint AS eligible,
			       sum(p.verified)::bigint AS verified, sum(p.online)::bigint AS online,
			       sum(p.offline)::bigint AS offline, sum(p.registration)::bigint AS registration,
			       sum(p.terminated)::bigint AS terminated,
			       (coalesce(sum(p.n) FILTER (WHERE p.code IS NULL), 0))::bigint AS unregistered,
			       (coalesce(sum(p.n) FILTER (WHERE wq.destination_placed(p.code)), 0))::bigint AS placed
			  FROM per p GROUP BY p.grp),
		d AS (
			SELECT k.grp, array_agg(coalesce(p.n, 0)::bigint ORDER BY c.o) AS destinations
			  FROM (SELECT DISTINCT per.grp FROM per) k
			 CROSS JOIN wq_api.stats_codes() WITH ORDINALITY c(code, name, o)
			  LEFT JOIN per p ON p.grp = k.grp AND p.code = c.code
			 GROUP BY k.grp)
		SELECT g.grp, %3$s, g.graduates, g.eligible, g.verified, g.online, g.offline, g.registration,
		       d.destinations, g.unregistered, g.terminated, g.placed
		  FROM g JOIN d ON d.grp = g.grp
		 ORDER BY %4$s
	$q$, v_grp, v_scope, v_label, v_order);
END
$$;

-- As in 0024, with the terminations waiting for a decision (0022, 0025).
CREATE OR REPLACE FUNCTION wq_api.stats_queues()
RETURNS TABLE (queue text, label text, waiting bigint, oldest timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 5 SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_items text := wq.stats_scope(false);
BEGIN
	IF v_items IS NULL THEN
		RAISE EXCEPTION '只有省级用户、学校用户和院系用户可以查看数据统计' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN QUERY EXECUTE format($q$
		SELECT q.queue, q.label, coalesce(n.waiting, 0), n.oldest
		  FROM (VALUES (1, 'online', '在线签约'), (2, 'offline', '线下签约'), (3, 'registration', '补登'),
		               (4, 'destination', '去向登记'), (5, 'termination', '解约')) q(o, queue, label)
		  LEFT JOIN (
			SELECT x.kind, count(*) AS waiting, min(x.updated_at) AS oldest
			  FROM wq.agreement x
			 WHERE wq.agreement_in_review(x.state) AND %1$s
			 GROUP BY x.kind
			UNION ALL
			SELECT 'destination', count(*), min(x.updated_at)
			  FROM wq.destination x
			 WHERE x.state = 'pending' AND %1$s
			UNION ALL
			SELECT 'termination', count(*), min(x.updated_at)
			  FROM wq.termination x
			 WHERE x.state = 'pending_review' AND %1$s) n ON n.kind = q.queue
		 ORDER BY q.o
	$q$, v_items);
END
$$;
RESET ROLE;
REVOKE CREATE ON SCHEMA wq_api FROM wq_stats;
