-- 0018_review_queue: the review queues as the screens read them: keyset
-- pages of agreement ids in the caller's scope, filtered and sorted by
-- index, the rows of a page, their count, how many wait for the caller, and
-- one agreement's detail as labelled fields.
--
-- Every function is SECURITY DEFINER of wq_owner's, reading wq.agreement
-- under its policy (0016): a clerk sees only their school's (and a
-- department clerk only their 院系's) items, and the plan of what runs inside
-- is not theirs to see.

SET LOCAL ROLE wq_owner;

-- The review states of each kind: an item in one waits for a reviewer (the
-- partial indexes of 0016 hold just these).  A plain expression, inlined.
CREATE FUNCTION wq.agreement_in_review(p_state text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT p_state IN ('pending_review', 'draft_review', 'signing_review', 'reg_review')
$$;

-- The WHERE clause (without "WHERE") of a queue over wq.agreement a, every
-- value a literal, the caller's identity read once.
--   p_queue      'signing' (线上签约 and 线下签约) or 'registration' (补登)
--   p_text       姓名, 学号 or 单位名称 containing it (any case), or the 协议书编号
--   p_state      one state, or a tab: 'review' (签约审核中: any review
--                state), 'rejected' (签约审核不通过), 'passed' (签约审核通过)
--   p_initiator  'employer' or 'student' (签约发起方)
--   p_dept       one 院系
--   p_waiting    only the items the caller may decide now
-- The text is matched through correlated look-ups of the student and the
-- employer, so that a page in 等待 order stays a walk of an index.
CREATE FUNCTION wq.agreement_where(p_queue text, p_text text, p_state text, p_initiator text,
	p_dept text, p_waiting boolean) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_level  text := wq.caller_review_level();
	v_school text := wq.caller_school();
	v_dept   text := wq.caller_dept();
	v_mode   text;
	v_review constant text := 'a.state IN (''pending_review'', ''draft_review'', ''signing_review'', ''reg_review'')';
	v_w      text;
	v_lit    text;
BEGIN
	PERFORM wq.check_arg(p_queue, 16, '队列');
	PERFORM wq.check_arg(p_text, 100, '筛选文字');
	PERFORM wq.check_arg(p_state, 32, '状态');
	PERFORM wq.check_arg(p_initiator, 16, '签约发起方');
	PERFORM wq.check_arg(p_dept, 100, '院系');
	IF v_level IS NULL THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看审核队列' USING ERRCODE = 'insufficient_privilege';
	END IF;
	v_w := CASE p_queue WHEN 'signing' THEN 'a.kind IN (''online'', ''offline'')'
	                    WHEN 'registration' THEN 'a.kind = ''registration''' END;
	IF v_w IS NULL THEN
		RAISE EXCEPTION '队列应为 signing 或 registration' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- the scope, as the policy has it, so that the indexes serve it
	IF v_dept IS NOT NULL THEN
		v_w := format('a.school_code = %L AND a.dept = %L AND ', v_school, v_dept) || v_w;
	ELSE
		v_w := format('a.school_code = %L AND ', v_school) || v_w;
	END IF;
	IF p_state = 'review' THEN
		v_w := v_w || ' AND ' || v_review;
	ELSIF p_state = 'rejected' THEN
		v_w := v_w || ' AND a.state IN (''failed'', ''voided'', ''signing_rejected'', ''reg_rejected'')';
	ELSIF p_state = 'passed' THEN
		v_w := v_w || ' AND a.state = ''signed''';
	ELSIF p_state IS NOT NULL THEN
		v_w := v_w || format(' AND a.state = %L', p_state);
	END IF;
	IF p_initiator IS NOT NULL THEN
		v_w := v_w || format(' AND a.initiator = %L', p_initiator);
	END IF;
	IF p_dept IS NOT NULL THEN
		v_w := v_w || format(' AND a.dept = %L', p_dept);
	END IF;
	IF coalesce(p_waiting, false) THEN
		-- in review, at the caller's level now (an item at the 院系 level of a
		-- school that reviews at school level alone is the school's)
		SELECT st.review_mode INTO v_mode FROM wq.school_settings st WHERE st.school_code = v_school;
		v_w := v_w || ' AND ' || v_review || CASE
			WHEN v_level = 'dept' AND v_mode = 'dept_then_school' THEN ' AND a.review_level = ''dept'''
			WHEN v_level = 'dept' THEN ' AND false'
			WHEN v_mode = 'dept_then_school' THEN ' AND a.review_level = ''school'''
			ELSE '' END;
	END IF;
	IF coalesce(p_text, '') <> '' THEN
		v_lit := '%' || replace(replace(replace(p_text, '\', '\\'), '%', '\%'), '_', '\_') || '%';
		v_w := v_w || format(' AND (a.protocol_no = %2$L'
			' OR EXISTS (SELECT 1 FROM wq.student s WHERE s.id = a.student_id'
			'            AND (s.name ILIKE %1$L OR s.student_no ILIKE %1$L))'
			' OR EXISTS (SELECT 1 FROM wq.employer e WHERE e.credit_code = a.employer_code AND e.name ILIKE %1$L))',
			v_lit, p_text);
	END IF;
	RETURN v_w;
END
$$;

-- The sort key of a queue's column, and whether it needs the student or the
-- employer joined.  等待 is the row's own updated_at (its text form, which
-- casts back, is the page's key).
CREATE FUNCTION wq.agreement_sort(p_sort text, OUT expr text, OUT joined boolean)
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE p_sort
		WHEN 'waiting'     THEN 'a.updated_at'
		WHEN 'student_no'  THEN 's.student_no'
		WHEN 'name'        THEN 's.name COLLATE "zh-Hans-x-icu"'
		WHEN 'employer'    THEN 'e.name COLLATE "zh-Hans-x-icu"'
		WHEN 'dept'        THEN 'a.dept COLLATE "zh-Hans-x-icu"'
		WHEN 'state'       THEN 'a.state'
		WHEN 'protocol_no' THEN 'a.protocol_no'
	END, p_sort IN ('student_no', 'name', 'employer')
$$;

-- One page of a queue: at most p_limit ids in p_sort order (then id), after
-- (p_after_sort, p_after_id) when given; p_desc walks backwards.
CREATE FUNCTION wq_api.agreement_page(p_queue text, p_text text, p_state text, p_initiator text,
	p_dept text, p_waiting boolean, p_sort text, p_desc boolean, p_after_sort text, p_after_id bigint,
	p_limit integer)
RETURNS TABLE (id bigint, sort_value text)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 200 SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_where text;
	v_sort  record;
	v_dir   text := CASE WHEN p_desc THEN ' DESC' ELSE '' END;
	v_key   text := '';
	v_from  text := 'wq.agreement a';
BEGIN
	PERFORM wq.check_arg(p_sort, 32, '排序列');
	PERFORM wq.check_arg(p_after_sort, 200, '翻页位置');
	v_where := wq.agreement_where(p_queue, p_text, p_state, p_initiator, p_dept, p_waiting);
	SELECT * INTO v_sort FROM wq.agreement_sort(p_sort);
	IF v_sort.expr IS NULL OR p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 10000 OR p_desc IS NULL THEN
		RAISE EXCEPTION '审核队列的排序或页大小无效' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF v_sort.joined THEN
		v_from := 'wq.agreement a JOIN wq.student s ON s.id = a.student_id'
			' JOIN wq.employer e ON e.credit_code = a.employer_code';
	END IF;
	IF p_after_id IS NOT NULL THEN
		v_key := format(' AND (%s, a.id) %s (%L, %s)', v_sort.expr, CASE WHEN p_desc THEN '<' ELSE '>' END,
			coalesce(p_after_sort, ''), p_after_id);
	END IF;
	RETURN QUERY EXECUTE format('SELECT a.id, (%1$s)::text FROM %2$s WHERE %3$s%4$s ORDER BY %1$s%5$s, a.id%5$s LIMIT %6$s',
		v_sort.expr, v_from, v_where, v_key, v_dir, p_limit);
END
$$;

-- How many items of a queue the filters show.
CREATE FUNCTION wq_api.agreement_count(p_queue text, p_text text, p_state text, p_initiator text,
	p_dept text, p_waiting boolean) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE 'SELECT count(*) FROM wq.agreement a WHERE '
		|| wq.agreement_where(p_queue, p_text, p_state, p_initiator, p_dept, p_waiting) INTO n;
	RETURN n;
END
$$;

-- How many items wait for the caller, per queue (the sidebar).
CREATE FUNCTION wq_api.review_waiting(OUT signing bigint, OUT registration bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	signing := wq_api.agreement_count('signing', NULL, NULL, NULL, NULL, true);
	registration := wq_api.agreement_count('registration', NULL, NULL, NULL, NULL, true);
END
$$;

-- Whether an agreement's 就业协议书 exists yet: once signed, or for an
-- offline signing once its first review passed (the 电子就业协议书 is issued).
CREATE FUNCTION wq.agreement_pdf_allowed(p_kind text, p_state text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT p_state = 'signed'
	    OR (p_kind = 'offline' AND p_state IN ('issued', 'signing_review', 'signing_returned', 'signing_rejected'))
$$;

-- The rows of a page, in the order of p_ids, with what a queue row shows.
-- warning: the school's 预警 mark of the employer (违规单位 …) and 全国预警
-- for a national warning unit (0017); waited: how long the item has been in
-- its state ("3 天", "5 小时", "12 分钟"); actions: what the caller may decide
-- now, from wq.transition; pdf: whether its 就业协议书 may be downloaded.
-- The caller's identity is read once; the labels are inlined expressions.
CREATE FUNCTION wq_api.agreement_rows(p_ids bigint[])
RETURNS TABLE (id bigint, kind text, kind_label text, initiator_label text, state text, state_label text,
	level_label text, protocol_no text, student_no text, student_name text, dept text,
	employer_code text, employer_name text, employer_status text, warning text, updated_at timestamptz,
	waited text, version integer, actions text[], pdf boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 200 SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_level  text := wq.caller_review_level();
	v_school text := wq.caller_school();
	v_mode   text;
	v_two    boolean;   -- 两方协议: 鉴证 for 审核 in the labels
BEGIN
	IF cardinality(p_ids) > 10000 THEN
		RAISE EXCEPTION '一次最多读取 10000 项' USING ERRCODE = 'program_limit_exceeded';
	END IF;
	IF v_level IS NULL THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看审核队列' USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT st.review_mode INTO v_mode FROM wq.school_settings st WHERE st.school_code = v_school;
	v_two := wq.verb_label('审核', v_school) = '鉴证';
	RETURN QUERY
	SELECT a.id, a.kind,
	       CASE a.kind WHEN 'online' THEN '线上签约' WHEN 'offline' THEN '线下签约' ELSE '补登' END,
	       CASE a.initiator WHEN 'employer' THEN '单位' ELSE '学生' END,
	       a.state,
	       CASE WHEN v_two THEN replace(wq.item_state_label(a.kind, a.state), '审核', '鉴证')
	            ELSE wq.item_state_label(a.kind, a.state) END,
	       CASE WHEN v_two THEN replace(wq.item_level_label(a.review_level, v_mode), '审核', '鉴证')
	            ELSE wq.item_level_label(a.review_level, v_mode) END,
	       a.protocol_no, s.student_no, s.name, a.dept, e.credit_code, e.name,
	       wq.employer_status_label(e.status),
	       nullif(concat_ws(' ', wq.warning_category_label(w.category),
	                        CASE WHEN tl.schools >= wq.warning_national_min() THEN '全国预警' END), ''),
	       a.updated_at,
	       CASE WHEN now() - a.updated_at >= interval '1 day'
	            THEN (extract(day FROM now() - a.updated_at))::int || ' 天'
	            WHEN now() - a.updated_at >= interval '1 hour'
	            THEN (extract(hour FROM now() - a.updated_at))::int || ' 小时'
	            ELSE greatest((extract(minute FROM now() - a.updated_at))::int, 0) || ' 分钟' END,
	       a.version,
	       coalesce((SELECT array_agg(tr.action ORDER BY CASE tr.action WHEN 'pass' THEN 1 WHEN 'return' THEN 2 ELSE 3 END)
	                   FROM wq.transition tr
	                  WHERE tr.kind = a.kind AND tr.from_state = a.state AND tr.actor = 'reviewer'
	                    AND tr.from_level = v_level
	                    AND wq.item_effective_level(a.review_level, v_mode) = v_level), '{}'),
	       wq.agreement_pdf_allowed(a.kind, a.state)
	  FROM unnest(p_ids) WITH ORDINALITY AS p(pid, n)
	  JOIN wq.agreement a ON a.id = p.pid
	  JOIN wq.student s ON s.id = a.student_id
	  JOIN wq.employer e ON e.credit_code = a.employer_code
	  LEFT JOIN wq.warning w ON w.school_code = v_school AND w.credit_code = e.credit_code
	  LEFT JOIN wq.warning_tally tl ON tl.credit_code = e.credit_code
	 ORDER BY p.n;
END
$$;

-- One agreement as labelled fields, section by section (协议信息, 单位信息,
-- 学生信息, 学校信息), in order; nothing for an item out of the caller's scope.
CREATE FUNCTION wq_api.agreement_detail(p_id bigint)
RETURNS TABLE (section text, label text, value text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	a  wq.agreement;
	s  wq.student;
	e  wq.employer;
	st wq.school_settings;
BEGIN
	IF wq.caller_review_level() IS NULL THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看审核队列' USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT * INTO a FROM wq.agreement x WHERE x.id = p_id;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	SELECT * INTO s FROM wq.student x WHERE x.id = a.student_id;
	SELECT * INTO e FROM wq.employer x WHERE x.credit_code = a.employer_code;
	SELECT * INTO st FROM wq.school_settings x WHERE x.school_code = a.school_code;
	RETURN QUERY SELECT v.section, v.label, coalesce(v.value, '') FROM (VALUES
		(1, '协议信息', '协议书编号', a.protocol_no),
		(2, '协议信息', '状态', wq.verb_label(wq.item_state_label(a.kind, a.state)
			|| coalesce('（' || wq.item_level_label(a.review_level, st.review_mode) || '）', ''), a.school_code)),
		(3, '协议信息', '签约方式', CASE a.kind WHEN 'online' THEN '线上签约' WHEN 'offline' THEN '线下签约' ELSE '补登' END),
		(4, '协议信息', '签约发起方', CASE a.initiator WHEN 'employer' THEN '单位' ELSE '学生' END),
		(5, '协议信息', '工作职位类别', (SELECT c.name FROM wq.code c WHERE c.kind = 'job_category' AND c.code = a.job_category)),
		(6, '协议信息', '岗位名称', a.position),
		(7, '协议信息', '工作地点', a.work_location),
		(8, '协议信息', '月薪', CASE WHEN a.salary IS NOT NULL THEN a.salary || ' 元' END),
		(9, '协议信息', '档案接收单位', a.archive_unit),
		(10, '协议信息', '档案接收地址', nullif(concat_ws(' ', nullif(a.archive_address, ''), nullif(a.archive_postcode, '')), '')),
		(11, '协议信息', '户口迁移单位', a.hukou_unit),
		(12, '协议信息', '户口迁移地址', a.hukou_address),
		(13, '协议信息', '邀请有效期至', to_char(a.valid_until, 'YYYY-MM-DD HH24:MI')),
		(14, '协议信息', '退回或不通过原因', CASE WHEN a.reason IS NOT NULL THEN
			coalesce((SELECT r.label FROM wq.review_reason r WHERE r.kind = a.kind AND r.code = a.reason_category) || '：', '')
			|| a.reason END),
		(20, '单位信息', '单位名称', e.name),
		(21, '单位信息', '统一社会信用代码', e.credit_code),
		(22, '单位信息', '经营状态', wq.employer_status_label(e.status)),
		(23, '单位信息', '单位性质', (SELECT c.name FROM wq.code c WHERE c.kind = 'unit_nature' AND c.code = e.nature)),
		(24, '单位信息', '单位行业', (SELECT c.name FROM wq.code c WHERE c.kind = 'industry' AND c.code = e.industry)),
		(25, '单位信息', '单位所在地', e.location),
		(26, '单位信息', '联系人', nullif(concat_ws(' ', nullif(e.contact_name, ''), nullif(e.contact_phone, '')), '')),
		(27, '单位信息', '本校预警', (SELECT wq.warning_category_label(w.category) || '：' || w.note || '（'
			|| (SELECT who.name || '，' || who.kind FROM wq.actor_of(w.marked_by) who) || '，'
			|| to_char(w.marked_at, 'YYYY-MM-DD') || '）'
			FROM wq.warning w WHERE w.school_code = a.school_code AND w.credit_code = e.credit_code)),
		(28, '单位信息', '全国预警单位', (SELECT '是（' || t.schools || ' 所学校标记：' || wq.warning_tally_text(t) || '）'
			FROM wq.warning_tally t WHERE t.credit_code = e.credit_code AND t.schools >= wq.warning_national_min())),
		(30, '学生信息', '姓名', s.name),
		(31, '学生信息', '学号', s.student_no),
		(32, '学生信息', '性别', CASE s.sex WHEN '1' THEN '男' WHEN '2' THEN '女' END),
		(33, '学生信息', '院系', s.dept),
		(34, '学生信息', '专业', s.major),
		(35, '学生信息', '学历层次', (SELECT c.name FROM wq.code c WHERE c.kind = 'education_level' AND c.code = s.level)),
		(36, '学生信息', '培养方式', (SELECT c.name FROM wq.code c WHERE c.kind = 'training_mode' AND c.code = s.training_mode)),
		(37, '学生信息', '手机号码', s.mobile),
		(38, '学生信息', '电子邮箱', s.email),
		(39, '学生信息', '身份证号', s.id_number),
		(40, '学生信息', '毕业院校', (SELECT sc.name FROM wq.school sc WHERE sc.code = a.school_code)),
		-- the school's details as the agreement holds them (copied in when it was generated)
		(50, '学校信息', '就业协议经办人', a.handler),
		(51, '学校信息', '联系电话', a.phone),
		(52, '学校信息', '学校通讯地址', a.address),
		(53, '学校信息', '邮政编码', a.postcode)
	) AS v(n, section, label, value) ORDER BY v.n;
END
$$;

-- The states of a queue's items with their labels, in the order of the ways in.
CREATE FUNCTION wq_api.agreement_states(p_queue text)
RETURNS TABLE (state text, label text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM wq.check_arg(p_queue, 16, '队列');
	RETURN QUERY
	SELECT x.state, wq.verb_label(min(wq.item_state_label(x.kind, x.state)), wq.caller_school())
	  FROM (SELECT t.kind, t.from_state AS state FROM wq.transition t
	        UNION SELECT t.kind, t.to_state FROM wq.transition t) x
	 WHERE CASE p_queue WHEN 'registration' THEN x.kind = 'registration' ELSE x.kind <> 'registration' END
	 GROUP BY x.state ORDER BY min(x.kind), x.state;
END
$$;

REVOKE ALL ON FUNCTION wq_api.agreement_states(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.agreement_states(text) TO wq_school, wq_dept;

REVOKE ALL ON FUNCTION wq.agreement_pdf_allowed(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION wq.agreement_in_review(text),
	wq.agreement_where(text, text, text, text, text, boolean), wq.agreement_sort(text),
	wq_api.agreement_page(text, text, text, text, text, boolean, text, boolean, text, bigint, integer),
	wq_api.agreement_count(text, text, text, text, text, boolean), wq_api.review_waiting(),
	wq_api.agreement_rows(bigint[]), wq_api.agreement_detail(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	wq_api.agreement_page(text, text, text, text, text, boolean, text, boolean, text, bigint, integer),
	wq_api.agreement_count(text, text, text, text, text, boolean), wq_api.review_waiting(),
	wq_api.agreement_rows(bigint[]), wq_api.agreement_detail(bigint)
	TO wq_school, wq_dept;

RESET ROLE;
