-- 0014_student_values: the values a field holds in the caller's scope, for
-- the list's field filter (f).
--
-- The picker read SELECT DISTINCT over wq_api.students, which since 0007 is
-- a definer function returning every row of the scope with all its columns:
-- a province's million rows were read and copied to list a dozen 院系.  This
-- function reads only the one column, from the table, in the scope that
-- wq.student_where gives (the same as the list's pages), and returns each
-- stored value with its label, in the list's order.

GRANT SELECT (kind, code, name) ON wq.code TO wq_search;
GRANT USAGE, CREATE ON SCHEMA wq_api TO wq_search;
SET LOCAL ROLE wq_search;

CREATE FUNCTION wq_api.student_values(p_col text) RETURNS TABLE (v text, label text)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 50
SET search_path = pg_catalog, pg_temp
SET max_parallel_workers_per_gather = 0 AS $$
DECLARE
	v_expr  text;                -- the stored value, over wq.student s
	v_label text := 'x.v';       -- its label, over the distinct values x
	v_join  text := '';
	v_order text := 'x.v';
BEGIN
	PERFORM wq.check_arg(p_col, 32, '列');
	CASE p_col
	WHEN 'dept' THEN
		v_expr := 's.dept';
		v_order := 'x.v COLLATE "zh-Hans-x-icu"';
	WHEN 'major' THEN
		v_expr := 's.major';
		v_order := 'x.v COLLATE "zh-Hans-x-icu"';
	WHEN 'level' THEN
		v_expr := 's.level';
		v_label := 'coalesce(c.name, x.v)';
		v_join := 'LEFT JOIN wq.code c ON c.kind = ''education_level'' AND c.code = x.v';
	WHEN 'training_mode' THEN
		v_expr := 's.training_mode';
		v_label := 'coalesce(c.name, x.v)';
		v_join := 'LEFT JOIN wq.code c ON c.kind = ''training_mode'' AND c.code = x.v';
	WHEN 'eligible' THEN
		v_expr := 's.eligible::text';
		v_label := 'CASE WHEN x.v = ''true'' THEN ''是'' ELSE ''否（无网签资格）'' END';
	WHEN 'verify_status' THEN
		v_expr := 's.verify_status';
		v_label := 'CASE x.v WHEN ''verified'' THEN ''已核对'' WHEN ''mismatch'' THEN ''信息不一致'' ELSE ''未核对'' END';
	ELSE
		RAISE EXCEPTION '不能按此列筛选' USING ERRCODE = 'invalid_parameter_value';
	END CASE;
	RETURN QUERY EXECUTE format(
		'SELECT x.v, %s FROM (SELECT DISTINCT %s AS v FROM wq.student s WHERE %s) x %s ORDER BY %s',
		v_label, v_expr, wq.student_where('', NULL, NULL, NULL, NULL, NULL, NULL), v_join, v_order);
END
$$;
REVOKE ALL ON FUNCTION wq_api.student_values(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.student_values(text) TO wq_operator, wq_province, wq_school, wq_dept;

RESET ROLE;
REVOKE CREATE ON SCHEMA wq_api FROM wq_search;
