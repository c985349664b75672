-- 0024_stats: 数据统计, the figures of the caller's scope.
--
-- For the caller's scope (a department user: its 院系; a school user: its
-- school; a province user: the schools of its province; the operator: all),
-- one row per group of graduates: 院系, 专业, 学历层次, 性别, 生源地 (the
-- province of 生源所在地) or 学校.  Each row holds the graduates, those with
-- 网签资格, those 已核对, those signed by each way in (the kind of their valid
-- agreement: 线上签约, 线下签约, 补登), the graduates of each 毕业去向 code
-- (wq.student.destination_code, kept by 0021: this module never derives it
-- again), those with none (未登记), those with a terminated agreement (解约:
-- state 'terminated', written by the terminations module; none before it),
-- and those counted by 毕业去向落实率 (wq.destination_placed).  The rate
-- itself is placed / graduates, computed by the client for each row and for
-- the total alike (src/stats.c).
--
-- One pass over the students in scope with GROUP BY, joined by a parallel
-- hash join to their valid agreements (at most one each: agreement_one_valid,
-- 0016; of the same schools only); the few graduates with a terminated
-- agreement are counted on their own (a graduate may have several).  JIT is
-- off for it: at a province's million rows the query costs enough to be
-- compiled, and compiling took longer than it saved; work_mem is raised so
-- that the hash of a province's agreements stays in memory (tests/bench/
-- README.md, section 5).  Like the
-- student list's functions (0005), these run as a NOLOGIN role that bypasses
-- row security (wq_stats, with SELECT on the columns they read and nothing
-- else), apply the caller's scope themselves from wq.caller(), and build the
-- query with the caller's values as literals so that the planner sees them.
-- A caller sees only its scope's figures, and never the plan.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'wq_stats') THEN
		CREATE ROLE wq_stats NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS;
	END IF;
END
$$;
ALTER DEFAULT PRIVILEGES FOR ROLE wq_stats REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

GRANT USAGE ON SCHEMA wq TO wq_stats;
GRANT USAGE, CREATE ON SCHEMA wq_api TO wq_stats;
GRANT USAGE, CREATE ON SCHEMA wq TO wq_stats;
GRANT SELECT (id, school_code, province_code, dept, major, level, sex, origin_code, eligible, verify_status,
	destination_code) ON wq.student TO wq_stats;
GRANT SELECT (student_id, school_code, dept, kind, state, updated_at) ON wq.agreement TO wq_stats;
GRANT SELECT (school_code, dept, state, updated_at) ON wq.destination TO wq_stats;
GRANT SELECT (code, name, province_code) ON wq.school TO wq_stats;
GRANT SELECT (kind, code, name, parent, sort) ON wq.code TO wq_stats;
GRANT EXECUTE ON FUNCTION wq.caller(), wq.check_arg(text, integer, text) TO wq_stats;

-- The graduates with a terminated agreement (解约), found without reading
-- the valid ones.
SET LOCAL ROLE wq_owner;
CREATE INDEX agreement_terminated ON wq.agreement (school_code, student_id) WHERE state = 'terminated';
RESET ROLE;

SET LOCAL ROLE wq_stats;

-- 毕业去向落实率 counts 单位就业 (10, 11, 12, 27, 46, 50, 51), 自主创业 (75),
-- 自由职业 (76) and 升学 (80, 85), over all graduates (domain.md).
CREATE FUNCTION wq.destination_placed(p_code text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT coalesce(p_code IN ('10', '11', '12', '27', '46', '50', '51', '75', '76', '80', '85'), false)
$$;

-- The 毕业去向 codes of the statistics' columns (the two-digit categories),
-- in their table order: the order of wq_api.stats' destinations array.
-- PARALLEL SAFE: wq_api.stats calls it inside its query, which a parallel-
-- unsafe function would keep from running in parallel.
CREATE FUNCTION wq_api.stats_codes() RETURNS TABLE (code text, name text)
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT c.code, c.name FROM wq.code c
	 WHERE c.kind = 'destination' AND c.parent IS NULL
	 ORDER BY c.sort, c.code
$$;

-- The caller's scope as a condition on wq.student s (p_student) or on a
-- table with school_code and dept (an item); NULL for a caller who may not
-- see statistics.
CREATE FUNCTION wq.stats_scope(p_student boolean) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me record := wq.caller();
	t  text := CASE WHEN p_student THEN 's' ELSE 'x' END;
BEGIN
	IF me.operator THEN
		RETURN 'true';
	ELSIF me.kind IN ('school', 'dept') AND me.school IS NOT NULL THEN
		RETURN format('%s.school_code = %L', t, me.school)
			|| CASE WHEN me.kind = 'dept' THEN format(' AND %s.dept = %L', t, me.dept) ELSE '' END;
	ELSIF me.kind = 'province' AND me.province IS NOT NULL THEN
		IF p_student THEN
			RETURN format('s.province_code = %L', me.province);
		END IF;
		-- the schools as a literal list: the planner then knows how many
		-- items it is (a sub-select over wq.school would be estimated blind)
		RETURN format('x.school_code = ANY (%L::text[])',
			(SELECT coalesce(array_agg(sc.code ORDER BY sc.code), '{}') FROM wq.school sc
			  WHERE sc.province_code = me.province));
	END IF;
	RETURN NULL;
END
$$;

-- The figures of the caller's scope by p_by: 'dept' (院系), 'major' (专业),
-- 'level' (学历层次), 'gender' (性别), 'origin' (生源地: the province of
-- 生源所在地), 'school' (学校).  grp is the group's key (a code, or the name
-- itself), label what a clerk reads; destinations holds the graduates of
-- each code of wq_api.stats_codes(), in its order.  Rows in the group's
-- order (names in pinyin order, codes in code order); no total row: the
-- groups divide the graduates, so the total is their sum.
CREATE FUNCTION wq_api.stats(p_by text)
RETURNS TABLE (grp text, label text, graduates bigint, eligible bigint, verified bigint, online bigint,
	offline bigint, registration bigint, destinations bigint[], unregistered bigint, terminated bigint,
	placed bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 50 SET search_path = pg_catalog, pg_temp
	SET jit = off SET work_mem = '32MB' AS $$
DECLARE
	v_scope  text;
	v_items  text;
	v_grp    text;
	v_label  text;
	v_order  text;
BEGIN
	PERFORM wq.check_arg(p_by, 16, '分组');
	v_scope := wq.stats_scope(true);
	v_items := wq.stats_scope(false);
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
			       count(*) FILTER (WHERE x.kind = 'online') AS online,
			       count(*) FILTER (WHERE x.kind = 'offline') AS offline,
			       count(*) FILTER (WHERE x.kind = 'registration') AS registration
			  FROM wq.student s
			  LEFT JOIN wq.agreement x ON x.student_id = s.id AND x.state = 'signed' AND %2$s
			 WHERE %3$s
			 GROUP BY 1, 2),
		term AS MATERIALIZED (
			SELECT %1$s AS grp, count(DISTINCT x.student_id) AS n
			  FROM wq.agreement x JOIN wq.student s ON s.id = x.student_id
			 WHERE x.state = 'terminated' AND %2$s AND %3$s
			 GROUP BY 1),
		g AS (
			SELECT p.grp, sum(p.n)::bigint AS graduates, sum(p.eligible)::bigint AS eligible,
			       sum(p.verified)::bigint AS verified, sum(p.online)::bigint AS online,
			       sum(p.offline)::bigint AS offline, sum(p.registration)::bigint AS registration,
			       (coalesce(sum(p.n) FILTER (WHERE p.code IS NULL), 0))::bigint AS unregistered,
			       (coalesce(sum(p.n) FILTER (WHERE wq.destination_placed(p.code)), 0))::bigint AS placed
			  FROM per p GROUP BY p.grp),
		d AS (
			SELECT k.grp, array_agg(coalesce(p.n, 0)::bigint ORDER BY c.o) AS destinations
			  FROM (SELECT DISTINCT per.grp FROM per) k
			 CROSS JOIN wq_api.stats_codes() WITH ORDINALITY c(code, name, o)
			  LEFT JOIN per p ON p.grp = k.grp AND p.code = c.code
			 GROUP BY k.grp)
		SELECT g.grp, %4$s, g.graduates, g.eligible, g.verified, g.online, g.offline, g.registration,
		       d.destinations, g.unregistered, coalesce(t.n, 0)::bigint, g.placed
		  FROM g JOIN d ON d.grp = g.grp LEFT JOIN term t ON t.grp = g.grp
		 ORDER BY %5$s
	$q$, v_grp, v_items, v_scope, v_label, v_order);
END
$$;

-- The review queues of the caller's scope: for each, the items waiting for
-- a decision (at either level) and when the one waiting longest last
-- changed (NULL when none waits).
CREATE FUNCTION wq_api.stats_queues()
RETURNS TABLE (queue text, label text, waiting bigint, oldest timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 4 SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_items text := wq.stats_scope(false);
BEGIN
	IF v_items IS NULL THEN
		RAISE EXCEPTION '只有省级用户、学校用户和院系用户可以查看数据统计' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN QUERY EXECUTE format($q$
		SELECT q.queue, q.label, coalesce(n.waiting, 0), n.oldest
		  FROM (VALUES (1, 'online', '在线签约'), (2, 'offline', '线下签约'), (3, 'registration', '补登'),
		               (4, 'destination', '去向登记')) q(o, queue, label)
		  LEFT JOIN (
			SELECT x.kind, count(*) AS waiting, min(x.updated_at) AS oldest
			  FROM wq.agreement x
			 WHERE x.state IN ('pending_review', 'draft_review', 'signing_review', 'reg_review') AND %1$s
			 GROUP BY x.kind
			UNION ALL
			SELECT 'destination', count(*), min(x.updated_at)
			  FROM wq.destination x
			 WHERE x.state = 'pending' AND %1$s) n ON n.kind = q.queue
		 ORDER BY q.o
	$q$, v_items);
END
$$;

RESET ROLE;
REVOKE CREATE ON SCHEMA wq_api FROM wq_stats;
REVOKE CREATE ON SCHEMA wq FROM wq_stats;
REVOKE ALL ON FUNCTION wq.destination_placed(text), wq.stats_scope(boolean), wq_api.stats_codes(),
	wq_api.stats(text), wq_api.stats_queues() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq.destination_placed(text) TO wq_owner;
GRANT EXECUTE ON FUNCTION wq_api.stats_codes(), wq_api.stats(text), wq_api.stats_queues()
	TO wq_operator, wq_province, wq_school, wq_dept;
