-- 0015_pinyin_walk: pinyin sorted by 姓名 reads the caller's own rows.
--
-- 0008 listed a pinyin filter in 姓名 order as three parts (the names from
-- the letter's first character on, the surnames before it that read with
-- the letter, the names that match by a later character), and each part
-- asked the trigram index on name_pinyin, which covers every school: inside
-- a province of a million students, one school's /zhang sorted by 姓名 read
-- 84,000 index entries of other schools, twice, to show 200 rows (64 ms).
--
-- Now the two 姓名 indexes hold the pinyin key too (INCLUDE), so that a walk
-- along them tests 姓名 and the key without reading the table, and the page
-- is four parts, each its first rows after the page's start, then merged:
--  1. the names from the first character of the filter's letter on: walked
--     in order from the start (a common filter finds its rows within a few
--     thousand entries); when 20,000 entries give fewer than a page, the
--     filter is rare there and the indexes find it (a bitmap, then sorted);
--  2. before that character, the names that begin with a surname that reads
--     with the letter (曾 for z): each a range of the 姓名 index, walked,
--     never the whole table's trigram index as in 0008;
--  3. the others before it, which match only by a later character: as in
--     0008 (the planner's statistics choose the index or a walk);
--  4. a 学号 or 考生号 that holds the letters (three or more): their indexes.
-- In 学号 order a pinyin filter is walked the same way (a quarter of the
-- rows, read from the table), then asked of the indexes: the planner cannot
-- tell a common filter from a rare one by the key's statistics, and walked
-- the 学号 index of a province (300 ms) or a school (50 ms) for a rare one.
-- A school's pinyin filter also has an index of its own (school code and
-- key), so that the indexes' answer holds only the school's rows.
-- The matches are the same as before (wq.student_where); only the way to
-- them changed.

-- A school's pinyin filter from the school's own entries: a GIN index over
-- (school_code, name_pinyin) gives the rows of one school that match without
-- fetching the other schools' matches from the table (btree_gin makes the
-- school code a GIN key).  The single-column index stays for a province.
CREATE EXTENSION IF NOT EXISTS btree_gin SCHEMA wq_ext;
CREATE INDEX student_school_name_pinyin ON wq.student USING gin (school_code, name_pinyin wq_ext.gin_trgm_ops);

DROP INDEX wq.student_school_name;
CREATE INDEX student_school_name ON wq.student (school_code, name COLLATE "zh-Hans-x-icu", id) INCLUDE (name_pinyin);
DROP INDEX wq.student_province_name;
CREATE INDEX student_province_name ON wq.student (province_code, name COLLATE "zh-Hans-x-icu", id) INCLUDE (name_pinyin);

GRANT USAGE, CREATE ON SCHEMA wq_api TO wq_search;
GRANT USAGE, CREATE ON SCHEMA wq TO wq_search;
SET LOCAL ROLE wq_search;

-- The first p_limit ids, in p_sort order, of the rows of p_scope (the
-- scope, the field filters and the page's start) in p_region that p_match
-- finds: walked in order over at most p_walk rows, which decides if it finds
-- p_limit or reaches the region's end; else (a rare filter) what p_where
-- (the same rows, in terms the indexes serve) finds through a bitmap.
CREATE FUNCTION wq.student_walk(p_scope text, p_region text, p_match text, p_where text,
	p_sort text, p_dir text, p_limit integer, p_walk integer) RETURNS bigint[]
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
SET enable_indexscan = on SET enable_indexonlyscan = on AS $$
DECLARE
	v_ids    bigint[];
	v_bound  boolean;   -- the walk reached p_walk rows
BEGIN
	-- the p_walk-th row comes out whether it matches or not: that it came
	-- tells the walk stopped at its bound rather than at the region's end
	EXECUTE format(
		'SELECT coalesce(array_agg(w.id ORDER BY w.n) FILTER (WHERE w.m), ''{}''), bool_or(w.n = %6$s) FROM'
		' (SELECT * FROM (SELECT s.id, %1$s AS m, row_number() OVER (ORDER BY %2$s%3$s, s.id%3$s) AS n'
		'    FROM wq.student s WHERE %4$s AND %5$s ORDER BY %2$s%3$s, s.id%3$s LIMIT %6$s) w'
		'   WHERE w.m OR w.n = %6$s LIMIT %7$s) w',
		p_match, p_sort, p_dir, p_scope, p_region, p_walk, p_limit + 1)
	  INTO v_ids, v_bound;
	IF cardinality(v_ids) >= p_limit OR NOT coalesce(v_bound, false) THEN
		RETURN v_ids[1:p_limit];
	END IF;
	PERFORM set_config('enable_indexscan', 'off', true);   -- undone on return
	PERFORM set_config('enable_indexonlyscan', 'off', true);
	EXECUTE format('SELECT coalesce(array_agg(s.id), ''{}'') FROM (SELECT s.id FROM wq.student s'
		' WHERE %1$s AND %2$s ORDER BY %3$s%4$s, s.id%4$s LIMIT %5$s) s', p_where, p_region, p_sort, p_dir, p_limit)
	  INTO v_ids;
	RETURN v_ids;
END
$$;
REVOKE ALL ON FUNCTION wq.student_walk(text, text, text, text, text, text, integer, integer) FROM PUBLIC;

-- As in 0008, but pinyin in 姓名 order (above).
CREATE OR REPLACE FUNCTION wq_api.student_page(p_text text, p_dept text, p_major text, p_level text,
	p_training_mode text, p_eligible text, p_verify_status text,
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
			p_eligible, p_verify_status);   -- the scope and the field filters
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
			p_eligible, p_verify_status) || v_key;   -- the scope, the field filters, the page's start
		v_q := lower(replace(v_t, ' ', ''));
		-- 姓名 or its key has the letters: what the 姓名 index holds (strpos: no other index)
		v_match := format('(strpos(s.name_pinyin, %L) > 0 OR strpos(s.name_pinyin, %L) > 0'
			' OR (octet_length(s.name) <> 3 * length(s.name) AND s.name ILIKE %L))',
			' ' || v_q, ' 0' || v_q, '%' || replace(replace(replace(v_t, '\', '\\'), '%', '\%'), '_', '\_') || '%');
		v_before := format('s.name COLLATE "zh-Hans-x-icu" < %L', v_lead);
		-- 1. the names from the letter's first character on: walked
		v_ids := wq.student_walk(v_scope, format('s.name COLLATE "zh-Hans-x-icu" >= %L', v_lead), v_match,
			wq.student_where(v_t, p_dept, p_major, p_level, p_training_mode, p_eligible, p_verify_status, false)
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
			wq.student_where(v_t, p_dept, p_major, p_level, p_training_mode, p_eligible, p_verify_status, true),
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
		p_eligible, p_verify_status);
	IF p_sort = 'student_no' AND v_t ~ '^[A-Za-z ]*[A-Za-z][A-Za-z ]*$'
	   AND NOT wq.is_operator() AND coalesce(wq.caller_school(), wq.caller_province()) IS NOT NULL THEN
		-- pinyin in 学号 order: how common the letters are, the statistics
		-- cannot say (a walk along 学号 for a rare one read a province's
		-- 学号 index for 300 ms, a school's for 50); walk a bounded stretch,
		-- then ask the indexes (a school's own, student_school_name_pinyin)
		v_ids := wq.student_walk(wq.student_where('', p_dept, p_major, p_level, p_training_mode,
				p_eligible, p_verify_status) || v_key, 'true', '(' || v_where || ')', v_where || v_key,
			v_sort, v_dir, p_limit, greatest(c_walk / 4, 1));
		RETURN QUERY EXECUTE format('SELECT s.id FROM wq.student s WHERE s.id = ANY (%L::bigint[])%s',
			v_ids, v_order);
		RETURN;
	END IF;
	RETURN QUERY EXECUTE format('SELECT s.id FROM wq.student s WHERE %s%s%s', v_where, v_key, v_order);
END
$$;


RESET ROLE;
REVOKE CREATE ON SCHEMA wq_api FROM wq_search;
REVOKE CREATE ON SCHEMA wq FROM wq_search;
