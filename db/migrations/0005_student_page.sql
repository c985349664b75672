-- 0005_student_page: the student list's pages and counts, found by index.
--
-- Under row-level security a condition that is not LEAKPROOF (LIKE, strpos,
-- &&) is applied after the policy and cannot drive an index scan, and the
-- ids-only search of 0004 left two cases slow: one- and two-character name
-- fragments (no trigram exists for them) and a common fragment while sorted
-- by 姓名 (the pinyin index was walked to 张, near its end).
--
-- wq_api.student_page() and wq_api.student_count() run as wq_search (0004:
-- NOLOGIN, BYPASSRLS, SELECT on wq.student only).  They apply the caller's
-- scope themselves, from the same identity functions as the policies, and
-- build each query with the caller's values as literals, so the planner sees
-- them and may use every index.  The page function returns only ids, in
-- order; the list reads those rows through wq_api.students, under the policy.
--
-- Name fragments: wq.name_grams(name) holds the first character (tagged with
-- U+0001), every later character, and every pair of adjacent characters,
-- lower-cased; a GIN index over it finds a fragment of any length.  It
-- replaces the trigram index on 姓名.  The condition that decides a match is
-- always the exact one (strpos / LIKE); the grams only narrow the search.

SET LOCAL ROLE wq_owner;

-- Built-ins are schema-qualified: this runs in index maintenance too.
CREATE FUNCTION wq.name_grams(p text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
	l    text := pg_catalog.lower(p);
	prev text := pg_catalog.left(l, 1);
	r    text[] := ARRAY[pg_catalog.chr(1) || prev];
	c    text;
BEGIN
	FOR i IN 2 .. pg_catalog.length(l) LOOP
		c := pg_catalog.substr(l, i, 1);
		r := r || c || (prev || c);
		prev := c;
	END LOOP;
	RETURN r;
END
$$;

-- A 姓名 holds text: no control character and no noncharacter (U+FFFF
-- would break the pinyin range below).  The import refuses both first, with
-- the line; this is the table's own guard.
ALTER TABLE wq.student ADD CONSTRAINT student_name_chars
	CHECK (name !~ '[\x01-\x1f\x7f\ufdd0-\ufdef\ufffe\uffff]');

DROP INDEX wq.student_name_trgm;
CREATE INDEX student_name_grams ON wq.student USING gin (wq.name_grams(name));

RESET ROLE;
GRANT EXECUTE ON FUNCTION wq.name_grams(text) TO wq_search;
DROP FUNCTION wq_api.student_match(text);
GRANT USAGE, CREATE ON SCHEMA wq_api TO wq_search;
GRANT USAGE, CREATE ON SCHEMA wq TO wq_search;
SET LOCAL ROLE wq_search;

-- The WHERE clause (without "WHERE") for the caller's scope, the / filter
-- and the field filters, with every value as a literal.  p_text is the
-- filter as typed, normalised by the client (full-width digits and letters
-- made ASCII, spaces trimmed); it matches literally (no wildcards):
--   digits (and X): 学号 or 考生号 containing it, or 身份证号 ending with it;
--   other ASCII:    学号 or 考生号 or 姓名 containing it, any case;
--   anything else:  姓名 containing it.
-- The field filters are the stored values (院系, 专业, 学历层次 code,
-- 培养方式 code, 网签资格 true/false, 核对状态), NULL for any.
CREATE FUNCTION wq.student_where(p_text text, p_dept text, p_major text, p_level text,
	p_training_mode text, p_eligible text, p_verify_status text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_school   text := wq.caller_school();
	v_dept     text := wq.caller_dept();
	v_province text := wq.caller_province();
	v_t        text := coalesce(p_text, '');
	v_lit      text := replace(replace(replace(v_t, '\', '\\'), '%', '\%'), '_', '\_');
	v_w        text;
	v_grams    text := '';   -- the grams condition, or nothing
BEGIN
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
		IF v_t ~ '^[\x20-\x7e]+$' THEN
			v_w := v_w || format(' AND (s.student_no ILIKE %1$L OR s.exam_no ILIKE %1$L OR (s.name ILIKE %1$L%2$s))',
				'%' || v_lit || '%', v_grams);
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
	RETURN v_w;
END
$$;
REVOKE ALL ON FUNCTION wq.student_where(text, text, text, text, text, text, text) FROM PUBLIC;

-- For one character c (not ASCII), the two halves of "姓名 contains c":
-- p_first, the names that begin with c, which lie together in the 姓名
-- indexes, between c and c followed by U+FFFF (which ICU sorts after every
-- character): a range walked in pinyin order; else the names that have c
-- later, found by their grams when that is rare (a surname), or by walking
-- an index when it is common (a given-name character): the grams'
-- statistics tell the planner which.
-- A filter that is one character, not ASCII: the two halves apply.
CREATE FUNCTION wq.is_name_char(p_text text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT length(p_text) = 1 AND ascii(p_text) > 127
$$;
REVOKE ALL ON FUNCTION wq.is_name_char(text) FROM PUBLIC;

CREATE FUNCTION wq.name_char_where(p_char text, p_first boolean) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN p_first THEN
		format('s.name >= %1$L COLLATE "zh-Hans-x-icu" AND s.name < %2$L COLLATE "zh-Hans-x-icu"'
			' AND left(s.name, 1) = %1$L', p_char, p_char || U&'\FFFF')
	ELSE
		format('left(s.name, 1) <> %1$L AND strpos(substr(s.name, 2), %1$L) > 0'
			' AND wq.name_grams(s.name) @> %2$L', p_char, ARRAY[lower(p_char)])
	END
$$;
REVOKE ALL ON FUNCTION wq.name_char_where(text, boolean) FROM PUBLIC;

-- One page of the list: the ids of at most p_limit students in the
-- caller's scope that the filters show, in p_sort order (then id), after the
-- row (p_after_sort, p_after_id) when given; p_desc walks backwards.
-- p_sort: student_no, name (pinyin), sex, dept, major, level, training_mode,
-- eligible, verify_status, destination.
CREATE FUNCTION wq_api.student_page(p_text text, p_dept text, p_major text, p_level text,
	p_training_mode text, p_eligible text, p_verify_status text,
	p_sort text, p_desc boolean, p_after_sort text, p_after_id bigint, p_limit integer)
RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 200
SET search_path = pg_catalog, pg_temp
SET max_parallel_workers_per_gather = 0 AS $$
DECLARE
	v_t     text := coalesce(p_text, '');
	v_where text;
	v_sort  text;
	v_dir   text := CASE WHEN p_desc THEN ' DESC' ELSE '' END;
	v_key   text := '';
	v_order text;
BEGIN
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
	v_where := wq.student_where(v_t, p_dept, p_major, p_level, p_training_mode,
		p_eligible, p_verify_status);
	RETURN QUERY EXECUTE format('SELECT s.id FROM wq.student s WHERE %s%s%s', v_where, v_key, v_order);
END
$$;

-- How many students the filters show, in the caller's scope.
CREATE FUNCTION wq_api.student_count(p_text text, p_dept text, p_major text, p_level text,
	p_training_mode text, p_eligible text, p_verify_status text) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_t text := coalesce(p_text, '');
	v_where text;
	v_n bigint;
BEGIN
	IF wq.is_name_char(v_t) THEN
		-- one character: the two halves (wq.name_char_where), each by index
		v_where := wq.student_where('', p_dept, p_major, p_level, p_training_mode,
			p_eligible, p_verify_status);
		EXECUTE format('SELECT (SELECT count(*) FROM wq.student s WHERE %1$s AND %2$s)'
			' + (SELECT count(*) FROM wq.student s WHERE %1$s AND %3$s)',
			v_where, wq.name_char_where(v_t, true), wq.name_char_where(v_t, false)) INTO v_n;
		RETURN v_n;
	END IF;
	EXECUTE 'SELECT count(*) FROM wq.student s WHERE ' ||
		wq.student_where(v_t, p_dept, p_major, p_level, p_training_mode, p_eligible, p_verify_status)
		INTO v_n;
	RETURN v_n;
END
$$;

REVOKE ALL ON FUNCTION wq_api.student_page(text, text, text, text, text, text, text, text, boolean, text, bigint, integer),
	wq_api.student_count(text, text, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.student_page(text, text, text, text, text, text, text, text, boolean, text, bigint, integer),
	wq_api.student_count(text, text, text, text, text, text, text)
	TO wq_operator, wq_province, wq_school, wq_dept;

RESET ROLE;
REVOKE CREATE ON SCHEMA wq_api FROM wq_search;
REVOKE CREATE ON SCHEMA wq FROM wq_search;
