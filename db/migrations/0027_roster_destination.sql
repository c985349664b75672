-- 0027_roster_destination: the roster's field filter by 毕业去向.
--
-- The roster shows each graduate's 毕业去向 (wq.student.destination_code,
-- kept by 0021) as a column and sorts by it; now a clerk narrows the list,
-- its count and its export to one 毕业去向 too, as to one 院系 or 核对状态.
-- wq.student_where, wq_api.student_page and wq_api.student_count take
-- p_destination after p_verify_status: a two-digit 毕业去向代码 of the code
-- table (wq.code, kind 'destination'; a graduate's is a category, never a
-- three-digit sub-code), the literal none for 未登记 (no code), or NULL for
-- any.  Anything else is refused (22023) with what it should be.
--
-- The forms without it are dropped, so that no caller goes on without the
-- filter by mistake (and no call with untyped NULLs is ambiguous).  The new
-- ones are those of 0008 (student_where), 0015 (student_page) and 0007
-- (student_count) with the argument threaded through and bounded like the
-- others, owned by wq_search, with the same settings and grants.
-- wq_api.student_values (0014), the f picker's choices, calls the new
-- student_where and offers 毕业去向: 未登记 and every category of the code
-- table, whether a graduate of the scope has it yet or not.
--
-- Like the other field filters it has no index of its own: it narrows what
-- the walk of the scope's 学号 or 姓名 index (or the text filter's) finds.

GRANT USAGE, CREATE ON SCHEMA wq_api TO wq_search;
GRANT USAGE, CREATE ON SCHEMA wq TO wq_search;
SET LOCAL ROLE wq_search;

DROP FUNCTION wq_api.student_page(text, text, text, text, text, text, text, text, boolean, text, bigint, integer);
DROP FUNCTION wq_api.student_count(text, text, text, text, text, text, text);
DROP FUNCTION wq.student_where(text, text, text, text, text, text, text);
DROP FUNCTION wq.student_where(text, text, text, text, text, text, text, boolean);

-- As in 0008, and p_destination (above).
CREATE FUNCTION wq.student_where(p_text text, p_dept text, p_major text, p_level text,
	p_training_mode text, p_eligible text, p_verify_status text, p_destination text, p_later boolean) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_school   text := wq.caller_school();
	v_dept     text := wq.caller_dept();
	v_province text := wq.caller_province();
	v_t        text := coalesce(p_text, '');
	v_lit      text := replace(replace(replace(v_t, '\', '\\'), '%', '\%'), '_', '\_');
	v_w        text;
	v_grams    text := '';   -- the grams condition, or nothing
	v_q        text;         -- the pinyin filter
	v_pinyin   text := '';   -- its condition, or nothing
BEGIN
	-- 毕业去向: a category of the code table (a graduate's is never a
	-- sub-code), or none for 未登记
	IF p_destination <> 'none' AND (p_destination !~ '^[0-9]{2}$' OR NOT EXISTS (
		SELECT 1 FROM wq.code c WHERE c.kind = 'destination' AND c.code = p_destination)) THEN
		RAISE EXCEPTION '毕业去向应为两位的毕业去向代码（如 11、70）或 none（未登记），而不是 %', p_destination
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF wq.is_operator() THEN
		v_w := 'true';
	ELSIF v_school IS NOT NULL THEN
		v_w := format('s.school_code = %L', v_school);
		IF v_dept IS NOT NULL THEN
			v_w := v_w || format(' AND s.dept = %L', v_dept);
		END IF;
	ELSIF v_province IS NOT NULL THEN
		v_w := format('s.province_code = %L', v_province);
	ELSE
		RETURN 'false';
	END IF;

	IF v_t = '' THEN
		NULL;
	ELSIF v_t ~ '^[0-9Xx]+$' THEN
		v_w := v_w || format(' AND (s.student_no LIKE %1$L OR s.exam_no LIKE %1$L OR s.id_number LIKE %2$L)',
			'%' || v_lit || '%', '%' || upper(v_lit));
	ELSE
		-- the grams a matching name must have: for one character, it first
		-- or later; else every pair (none for a control character).  They
		-- only narrow the search: the LIKE / strpos beside them decides, and
		-- they let the planner pick the GIN index when the fragment is rare
		-- (its estimate comes from their statistics).
		IF v_t !~ '[[:cntrl:]]' THEN
			IF length(v_t) = 1 THEN
				v_grams := format(' AND wq.name_grams(s.name) && %L', ARRAY[chr(1) || lower(v_t), lower(v_t)]);
			ELSE
				v_grams := format(' AND wq.name_grams(s.name) @> %L', (SELECT array_agg(substr(lower(v_t), i, 2))
					FROM generate_series(1, length(v_t) - 1) i));
			END IF;
		END IF;
		-- letters: the pinyin key too (its trigram index finds them)
		IF v_t ~ '^[A-Za-z ]+$' THEN
			v_q := lower(replace(v_t, ' ', ''));
			v_pinyin := format(' OR s.name_pinyin LIKE %L', '% ' || v_q || '%');
			IF NOT p_later THEN
				v_pinyin := v_pinyin || format(' OR s.name_pinyin LIKE %L', '% 0' || v_q || '%');
			END IF;
		END IF;
		IF v_pinyin <> '' AND length(v_t) < 3 THEN
			-- one or two letters: 姓名 and its pinyin only (学号 and 考生号
			-- have no trigram index entry so short, and one more OR arm
			-- without an index would make every such filter read the table)
			v_w := v_w || format(' AND ((s.name ILIKE %1$L%2$s)%3$s)', '%' || v_lit || '%', v_grams, v_pinyin);
		ELSIF v_t ~ '^[\x20-\x7e]+$' THEN
			v_w := v_w || format(' AND (s.student_no ILIKE %1$L OR s.exam_no ILIKE %1$L OR (s.name ILIKE %1$L%2$s)%3$s)',
				'%' || v_lit || '%', v_grams, v_pinyin);
		ELSE
			v_w := v_w || format(' AND strpos(s.name, %L) > 0%s', v_t, v_grams);
		END IF;
	END IF;

	IF p_dept IS NOT NULL THEN v_w := v_w || format(' AND s.dept = %L', p_dept); END IF;
	IF p_major IS NOT NULL THEN v_w := v_w || format(' AND s.major = %L', p_major); END IF;
	IF p_level IS NOT NULL THEN v_w := v_w || format(' AND s.level = %L', p_level); END IF;
	IF p_training_mode IS NOT NULL THEN v_w := v_w || format(' AND s.training_mode = %L', p_training_mode); END IF;
	IF p_eligible IS NOT NULL THEN v_w := v_w || format(' AND s.eligible = %L::boolean', p_eligible); END IF;
	IF p_verify_status IS NOT NULL THEN v_w := v_w || format(' AND s.verify_status = %L', p_verify_status); END IF;
	IF p_destination = 'none' THEN
		v_w := v_w || ' AND s.destination_code IS NULL';
	ELSIF p_destination IS NOT NULL THEN
		v_w := v_w || format(' AND s.destination_code = %L', p_destination);
	END IF;
	RETURN v_w;
END
$$;
REVOKE ALL ON FUNCTION wq.student_where(text, text, text, text, text, text, text, text, boolean) FROM PUBLIC;

CREATE FUNCTION wq.student_where(p_text text, p_dept text, p_major text, p_level text,
	p_training_mode text, p_eligible text, p_verify_status text, p_destination text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT wq.student_where(p_text, p_dept, p_major, p_level, p_training_mode, p_eligible, p_verify_status,
		p_destination, false)
$$;
REVOKE ALL ON FUNCTION wq.student_where(text, text, text, text, text, text, text, text) FROM PUBLIC;

-- As in 0015, and p_destination.
CREATE FUNCTION wq_api.student_page(p_text text, p_dept text, p_major text, p_level text,
	p_training_mode text, p_eligible text, p_verify_status text, p_destination text,
	p_sort text, p_desc boolean, p_after_sort text, p_after_id bigint, p_limit integer)
RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 200
SET search_path = pg_catalog, pg_temp
SET max_parallel_workers_per_gather = 0
SET enable_indexscan = on SET enable_indexonlyscan = on AS $$
DECLARE
	v_t     text := coalesce(p_text, '');
	v_where text;
	v_sort  text;
	v_dir   text := CASE WHEN p_desc THEN ' DESC' ELSE '' END;
	v_key   text := '';
	v_order text;
	-- pinyin in 姓名 order: the rows walked before the indexes are asked;
	-- wq.pinyin_walk_rows (1 .. 100000) changes it for a session (the tests)
	c_walk  integer := CASE WHEN current_setting('wq.pinyin_walk_rows', true) ~ '^[0-9]{1,6}$'
		THEN least(greatest(current_setting('wq.pinyin_walk_rows', true)::integer, 1), 100000) ELSE 20000 END;
	v_scope text;
	v_q     text;
	v_match text;
	v_lead  text;     -- the first character of the filter's letter,
	v_before text;    -- the names before it,
	v_firsts text[];  -- the surnames that read with the letter
	v_ids   bigint[];
	v_more  bigint[];
BEGIN
	-- bounds first (0007)
	PERFORM wq.check_arg(p_text, 100, '筛选文字');
	PERFORM wq.check_arg(p_dept, 100, '院系');
	PERFORM wq.check_arg(p_major, 100, '专业');
	PERFORM wq.check_arg(p_level, 16, '学历层次');
	PERFORM wq.check_arg(p_training_mode, 16, '培养方式');
	PERFORM wq.check_arg(p_eligible, 16, '网签资格');
	PERFORM wq.check_arg(p_verify_status, 16, '核对状态');
	PERFORM wq.check_arg(p_destination, 16, '毕业去向');
	PERFORM wq.check_arg(p_sort, 32, '排序列');
	PERFORM wq.check_arg(p_after_sort, 400, '翻页位置');
	v_sort := CASE p_sort
		WHEN 'student_no'    THEN 's.student_no'
		WHEN 'name'          THEN 's.name COLLATE "zh-Hans-x-icu"'
		WHEN 'sex'           THEN 's.sex'
		WHEN 'dept'          THEN 's.dept COLLATE "zh-Hans-x-icu"'
		WHEN 'major'         THEN 's.major COLLATE "zh-Hans-x-icu"'
		WHEN 'level'         THEN 's.level'
		WHEN 'training_mode' THEN 's.training_mode'
		WHEN 'eligible'      THEN 's.eligible::text'
		WHEN 'verify_status' THEN 's.verify_status'
		WHEN 'destination'   THEN 'coalesce(s.destination_code, '''')'
	END;
	IF v_sort IS NULL OR p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 10000 OR p_desc IS NULL THEN
		RAISE EXCEPTION '学生名单的排序或页大小无效' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_after_id IS NOT NULL THEN
		v_key := format(' AND (%s, s.id) %s (%L, %s)', v_sort, CASE WHEN p_desc THEN '<' ELSE '>' END,
			coalesce(p_after_sort, ''), p_after_id);
	END IF;
	v_order := format(' ORDER BY %1$s%2$s, s.id%2$s LIMIT %3$s', v_sort, v_dir, p_limit);

	IF p_sort = 'name' AND wq.is_name_char(v_t) THEN
		-- one character in pinyin order: the two halves, each walked in order
		v_where := wq.student_where('', p_dept, p_major, p_level, p_training_mode,
			p_eligible, p_verify_status, p_destination);   -- the scope and the field filters
		RETURN QUERY EXECUTE format(
			'SELECT u.id FROM ('
			' (SELECT s.id, %1$s AS k FROM wq.student s WHERE %2$s%3$s AND %4$s%6$s)'
			' UNION ALL'
			' (SELECT s.id, %1$s FROM wq.student s WHERE %2$s%3$s AND %5$s%6$s)'
			') u ORDER BY u.k%7$s, u.id%7$s LIMIT %8$s',
			v_sort, v_where, v_key, wq.name_char_where(v_t, true), wq.name_char_where(v_t, false),
			v_order, v_dir, p_limit);
		RETURN;
	END IF;
	IF p_sort = 'name' AND v_t ~ '^[A-Za-z ]*[A-Za-z][A-Za-z ]*$'
	   AND NOT wq.is_operator() AND coalesce(wq.caller_school(), wq.caller_province()) IS NOT NULL THEN
		-- pinyin in 姓名 order: four parts, each its first p_limit rows
		-- after the page's start, then merged
		SELECT l.c INTO v_lead FROM wq.pinyin_lead l
		 WHERE l.letter = lower(left(ltrim(v_t), 1)) AND NOT l.surname ORDER BY l.c COLLATE "zh-Hans-x-icu" LIMIT 1;
		SELECT array_agg(l.c) INTO v_firsts
		  FROM wq.pinyin_lead l WHERE l.letter = lower(left(ltrim(v_t), 1)) AND l.surname;
		v_scope := wq.student_where('', p_dept, p_major, p_level, p_training_mode,
			p_eligible, p_verify_status, p_destination) || v_key;   -- the scope, the field filters, the page's start
		v_q := lower(replace(v_t, ' ', ''));
		-- 姓名 or its key has the letters: what the 姓名 index holds (strpos: no other index)
		v_match := format('(strpos(s.name_pinyin, %L) > 0 OR strpos(s.name_pinyin, %L) > 0'
			' OR (octet_length(s.name) <> 3 * length(s.name) AND s.name ILIKE %L))',
			' ' || v_q, ' 0' || v_q, '%' || replace(replace(replace(v_t, '\', '\\'), '%', '\%'), '_', '\_') || '%');
		v_before := format('s.name COLLATE "zh-Hans-x-icu" < %L', v_lead);
		-- 1. the names from the letter's first character on: walked
		v_ids := wq.student_walk(v_scope, format('s.name COLLATE "zh-Hans-x-icu" >= %L', v_lead), v_match,
			wq.student_where(v_t, p_dept, p_major, p_level, p_training_mode, p_eligible, p_verify_status, p_destination, false)
				|| v_key, v_sort, v_dir, p_limit, c_walk);
		-- 2. before it, the names that begin with a surname that reads so
		-- (曾 for z): each a range of the 姓名 index, walked
		IF v_firsts IS NOT NULL THEN
			EXECUTE format('SELECT coalesce(array_agg(u.id), ''{}'') FROM (SELECT u.id FROM (%s) u ORDER BY u.k%s, u.id%s LIMIT %s) u',
				(SELECT string_agg(format('(SELECT s.id, %1$s AS k FROM wq.student s WHERE %2$s AND %3$s'
					' AND s.name COLLATE "zh-Hans-x-icu" >= %4$L AND s.name COLLATE "zh-Hans-x-icu" < %5$L'
					' AND left(s.name, 1) = %4$L AND %6$s%7$s)', v_sort, v_scope, v_before, c, c || U&'\FFFF',
					v_match, v_order), ' UNION ALL ') FROM unnest(v_firsts) c),
				v_dir, v_dir, p_limit)
			  INTO v_more;
			v_ids := v_ids || v_more;
		END IF;
		-- 3. the others before it, which can match only by a later part
		-- (an untagged part of the key): found by the index when that is
		-- rare, by walking when common, as the planner's statistics say
		EXECUTE format('SELECT coalesce(array_agg(s.id), ''{}'') FROM (SELECT s.id FROM wq.student s'
			' WHERE %s%s AND %s AND left(s.name, 1) <> ALL (%L)%s) s',
			wq.student_where(v_t, p_dept, p_major, p_level, p_training_mode, p_eligible, p_verify_status, p_destination, true),
			v_key, v_before, coalesce(v_firsts, '{}'), v_order)
		  INTO v_more;
		v_ids := v_ids || v_more;
		-- 4. a 学号 or 考生号 with the letters (three or more), anywhere
		PERFORM set_config('enable_indexscan', 'off', true);
		PERFORM set_config('enable_indexonlyscan', 'off', true);
		IF length(v_t) >= 3 THEN
			EXECUTE format('SELECT coalesce(array_agg(s.id), ''{}'') FROM'
				' (SELECT s.id FROM wq.student s WHERE %1$s AND (s.student_no ILIKE %2$L OR s.exam_no ILIKE %2$L)%3$s) s',
				v_scope, '%' || replace(replace(replace(v_t, '\', '\\'), '%', '\%'), '_', '\_') || '%', v_order)
			  INTO v_more;
			v_ids := v_ids || v_more;
		END IF;
		PERFORM set_config('enable_indexscan', 'on', true);
		PERFORM set_config('enable_indexonlyscan', 'on', true);
		RETURN QUERY EXECUTE format('SELECT s.id FROM wq.student s WHERE s.id = ANY (%L::bigint[])%s',
			v_ids, v_order);
		RETURN;
	END IF;
	v_where := wq.student_where(v_t, p_dept, p_major, p_level, p_training_mode,
		p_eligible, p_verify_status, p_destination);
	IF p_sort = 'student_no' AND v_t ~ '^[A-Za-z ]*[A-Za-z][A-Za-z ]*$'
	   AND NOT wq.is_operator() AND coalesce(wq.caller_school(), wq.caller_province()) IS NOT NULL THEN
		-- pinyin in 学号 order: how common the letters are, the statistics
		-- cannot say (a walk along 学号 for a rare one read a province's
		-- 学号 index for 300 ms, a school's for 50); walk a bounded stretch,
		-- then ask the indexes (a school's own, student_school_name_pinyin)
		v_ids := wq.student_walk(wq.student_where('', p_dept, p_major, p_level, p_training_mode,
				p_eligible, p_verify_status, p_destination) || v_key, 'true', '(' || v_where || ')', v_where || v_key,
			v_sort, v_dir, p_limit, greatest(c_walk / 4, 1));
		RETURN QUERY EXECUTE format('SELECT s.id FROM wq.student s WHERE s.id = ANY (%L::bigint[])%s',
			v_ids, v_order);
		RETURN;
	END IF;
	RETURN QUERY EXECUTE format('SELECT s.id FROM wq.student s WHERE %s%s%s', v_where, v_key, v_order);
END
$$;

-- As in 0007, and p_destination.
CREATE FUNCTION wq_api.student_count(p_text text, p_dept text, p_major text, p_level text,
	p_training_mode text, p_eligible text, p_verify_status text, p_destination text) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_t text := coalesce(p_text, '');
	v_where text;
	v_n bigint;
BEGIN
	PERFORM wq.check_arg(p_text, 100, '筛选文字');
	PERFORM wq.check_arg(p_dept, 100, '院系');
	PERFORM wq.check_arg(p_major, 100, '专业');
	PERFORM wq.check_arg(p_level, 16, '学历层次');
	PERFORM wq.check_arg(p_training_mode, 16, '培养方式');
	PERFORM wq.check_arg(p_eligible, 16, '网签资格');
	PERFORM wq.check_arg(p_verify_status, 16, '核对状态');
	PERFORM wq.check_arg(p_destination, 16, '毕业去向');
	IF wq.is_name_char(v_t) THEN
		-- one character: the two halves (wq.name_char_where), each by index
		v_where := wq.student_where('', p_dept, p_major, p_level, p_training_mode,
			p_eligible, p_verify_status, p_destination);
		EXECUTE format('SELECT (SELECT count(*) FROM wq.student s WHERE %1$s AND %2$s)'
			' + (SELECT count(*) FROM wq.student s WHERE %1$s AND %3$s)',
			v_where, wq.name_char_where(v_t, true), wq.name_char_where(v_t, false)) INTO v_n;
		RETURN v_n;
	END IF;
	EXECUTE 'SELECT count(*) FROM wq.student s WHERE ' ||
		wq.student_where(v_t, p_dept, p_major, p_level, p_training_mode, p_eligible, p_verify_status, p_destination)
		INTO v_n;
	RETURN v_n;
END
$$;

REVOKE ALL ON FUNCTION wq_api.student_page(text, text, text, text, text, text, text, text, text, boolean, text, bigint, integer),
	wq_api.student_count(text, text, text, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.student_page(text, text, text, text, text, text, text, text, text, boolean, text, bigint, integer),
	wq_api.student_count(text, text, text, text, text, text, text, text)
	TO wq_operator, wq_province, wq_school, wq_dept;

-- As in 0014, with 毕业去向 (above).
CREATE OR REPLACE FUNCTION wq_api.student_values(p_col text) RETURNS TABLE (v text, label text)
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
	WHEN 'destination' THEN
		-- every 毕业去向 a graduate may have, whether anyone has it yet or
		-- not: 未登记 (none, as it sorts: first), then the code table's
		-- categories, each as the list shows it (11 签劳动合同形式就业)
		RETURN QUERY SELECT x.v, x.label FROM (
			SELECT 'none'::text AS v, '未登记'::text AS label
			UNION ALL
			SELECT c.code, c.code || ' ' || c.name FROM wq.code c
			 WHERE c.kind = 'destination' AND c.code ~ '^[0-9]{2}$') x
		 ORDER BY x.v = 'none' DESC, x.v;
		RETURN;
	ELSE
		RAISE EXCEPTION '不能按此列筛选' USING ERRCODE = 'invalid_parameter_value';
	END CASE;
	RETURN QUERY EXECUTE format(
		'SELECT x.v, %s FROM (SELECT DISTINCT %s AS v FROM wq.student s WHERE %s) x %s ORDER BY %s',
		v_label, v_expr, wq.student_where('', NULL, NULL, NULL, NULL, NULL, NULL, NULL), v_join, v_order);
END
$$;

RESET ROLE;
REVOKE CREATE ON SCHEMA wq_api FROM wq_search;
REVOKE CREATE ON SCHEMA wq FROM wq_search;
