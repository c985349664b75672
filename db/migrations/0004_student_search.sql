-- 0004_student_search: finding a fragment of a name, 学号, 考生号 or 身份证号
-- without reading every row in scope.
--
-- Under row-level security a condition that is not LEAKPROOF (LIKE, &&) is
-- applied after the policy and cannot drive an index scan, so the list's
-- filter read every row.  wq_api.student_match() runs as wq_search, a
-- NOLOGIN role that bypasses row security: it applies the caller's scope
-- itself (the same identity functions as the policies) and may use the
-- trigram indexes below.  It returns only ids; the list
-- query that uses them still reads through wq_api.students, under the policy.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'wq_search') THEN
		CREATE ROLE wq_search NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS;
	END IF;
END
$$;

CREATE SCHEMA IF NOT EXISTS wq_ext AUTHORIZATION wq_owner;
REVOKE ALL ON SCHEMA wq_ext FROM PUBLIC;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA wq_ext;

SET LOCAL ROLE wq_owner;

CREATE INDEX student_name_trgm ON wq.student USING gin (name wq_ext.gin_trgm_ops);
CREATE INDEX student_no_trgm ON wq.student USING gin (student_no wq_ext.gin_trgm_ops);
CREATE INDEX student_exam_no_trgm ON wq.student USING gin (exam_no wq_ext.gin_trgm_ops);
CREATE INDEX student_id_number_trgm ON wq.student USING gin (id_number wq_ext.gin_trgm_ops);

GRANT USAGE ON SCHEMA wq TO wq_search;
GRANT SELECT ON wq.student TO wq_search;

RESET ROLE;
GRANT EXECUTE ON FUNCTION wq.caller_school(), wq.caller_dept(), wq.caller_province(), wq.is_operator()
	TO wq_search;
GRANT USAGE ON SCHEMA wq_ext TO wq_search;
GRANT USAGE, CREATE ON SCHEMA wq_api TO wq_search;
SET LOCAL ROLE wq_search;

-- The ids of the students in the caller's scope whose 姓名, 学号 or 考生号
-- contains p, or whose 身份证号 ends with it; p has three characters or more.  p is the filter as typed,
-- normalised by the client; LIKE's wildcards in it match literally.
CREATE FUNCTION wq_api.student_match(p text) RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_lit      text := replace(replace(replace(p, '\', '\\'), '%', '\%'), '_', '\_');
	v_school   text := wq.caller_school();
	v_dept     text := wq.caller_dept();
	v_province text := wq.caller_province();
	v_operator boolean := wq.is_operator();
	v_match    text;
BEGIN
	-- The fragment goes into the query text as quoted literals (%L), so the
	-- planner sees it and picks the trigram indexes.  Shorter fragments are
	-- common: the list finds them by walking its own index.
	IF length(p) >= 3 THEN
		v_match := format('(s.name LIKE %1$L OR s.student_no ILIKE %1$L OR s.exam_no LIKE %1$L'
			' OR s.id_number LIKE %2$L)', '%' || v_lit || '%', '%' || upper(v_lit));
	ELSE
		RETURN;
	END IF;
	RETURN QUERY EXECUTE
		'SELECT s.id FROM wq.student s WHERE ' || v_match ||
		' AND ($1 OR (s.school_code = $2 AND ($3::text IS NULL OR s.dept = $3)) OR s.province_code = $4)'
		USING v_operator, v_school, v_dept, v_province;
END
$$;
REVOKE ALL ON FUNCTION wq_api.student_match(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.student_match(text) TO wq_operator, wq_province, wq_school, wq_dept;

RESET ROLE;
REVOKE CREATE ON SCHEMA wq_api FROM wq_search;
