-- 0025_termination_queue: 解约管理 as the screens read it, in the manner of
-- 0023's 去向登记管理: keyset pages of termination ids in the caller's scope,
-- filtered and sorted by index (0022's), the rows of a page, their count,
-- the states, and one termination's detail as labelled fields (解约信息 with
-- both sides' answers from the events, then its agreement's 协议信息, 单位信息
-- and 学生信息 as 0018's agreement_detail gives them).
--
-- Every function is SECURITY DEFINER of wq_owner's, reading wq.termination
-- under its policy (0022).

SET LOCAL ROLE wq_owner;

-- ---------------------------------------------------------------------------
-- What every queue shares (0018's and 0023's, said once from here on)
-- ---------------------------------------------------------------------------

-- The statement of one keyset page of ids: at most p_limit rows of
-- "SELECT <alias>.id, (sort)::text FROM p_from WHERE p_where" in p_sort order
-- (then id), after (p_after_sort, p_after_id) when given; p_desc walks
-- backwards.  p_sort: an expression from the queue's own list, never typed.
CREATE FUNCTION wq.queue_page_sql(p_from text, p_alias text, p_where text, p_sort text, p_desc boolean,
	p_after_sort text, p_after_id bigint, p_limit integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_dir text := CASE WHEN p_desc THEN ' DESC' ELSE '' END;
	v_key text := '';
BEGIN
	IF p_sort IS NULL OR p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 10000 OR p_desc IS NULL THEN
		RAISE EXCEPTION '队列的排序或页大小无效' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_after_id IS NOT NULL THEN
		v_key := format(' AND (%s, %s.id) %s (%L, %s)', p_sort, p_alias, CASE WHEN p_desc THEN '<' ELSE '>' END,
			coalesce(p_after_sort, ''), p_after_id);
	END IF;
	RETURN format('SELECT %7$s.id, (%1$s)::text FROM %2$s WHERE %3$s%4$s ORDER BY %1$s%5$s, %7$s.id%5$s LIMIT %6$s',
		p_sort, p_from, p_where, v_key, v_dir, p_limit, p_alias);
END
$$;

-- How long an item has been in its state, as a queue row says it ("3 天", "5 小时", "12 分钟").
CREATE FUNCTION wq.queue_waited(p_since timestamptz) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN now() - p_since >= interval '1 day' THEN (extract(day FROM now() - p_since))::int || ' 天'
	            WHEN now() - p_since >= interval '1 hour' THEN (extract(hour FROM now() - p_since))::int || ' 小时'
	            ELSE greatest((extract(minute FROM now() - p_since))::int, 0) || ' 分钟' END
$$;

-- The decisions a reviewer of level p_level may take now on an item of
-- p_kind in p_state at p_review_level (审核方式 p_mode), 通过 first.
CREATE FUNCTION wq.queue_actions(p_kind text, p_state text, p_review_level text, p_level text, p_mode text)
RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(array_agg(tr.action ORDER BY CASE tr.action WHEN 'pass' THEN 1 WHEN 'return' THEN 2 ELSE 3 END), '{}')
	  FROM wq.transition tr
	 WHERE tr.kind = p_kind AND tr.from_state = p_state AND tr.actor = 'reviewer' AND tr.from_level = p_level
	   AND wq.item_effective_level(p_review_level, p_mode) = p_level
$$;

-- 0023's, its page from the statement above.
CREATE OR REPLACE FUNCTION wq_api.destination_page(p_text text, p_state text, p_source text, p_dept text,
	p_waiting boolean, p_sort text, p_desc boolean, p_after_sort text, p_after_id bigint, p_limit integer)
RETURNS TABLE (id bigint, sort_value text)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 200 SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_where text;
	v_sort  record;
BEGIN
	PERFORM wq.check_arg(p_sort, 32, '排序列');
	PERFORM wq.check_arg(p_after_sort, 200, '翻页位置');
	v_where := wq.destination_where(p_text, p_state, p_source, p_dept, p_waiting);
	SELECT * INTO v_sort FROM wq.destination_sort(p_sort);
	IF v_sort.expr IS NULL THEN
		RAISE EXCEPTION '去向登记队列的排序或页大小无效' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY EXECUTE wq.queue_page_sql(CASE WHEN v_sort.joined
		THEN 'wq.destination d JOIN wq.student s ON s.id = d.student_id' ELSE 'wq.destination d' END, 'd', v_where,
		v_sort.expr, p_desc, p_after_sort, p_after_id, p_limit);
END
$$;

-- ---------------------------------------------------------------------------
-- 解约管理
-- ---------------------------------------------------------------------------

-- The WHERE clause (without "WHERE") of the queue over wq.termination x,
-- every value a literal, the caller's identity read once.
--   p_text      姓名 or 学号 containing it (any case), the employer's name or
--               the 协议书编号
--   p_state     one state ('pending_review'), or one state of one kind
--               ('term_offline/pending_review': 解约中)
--   p_initiator 'student' or 'employer'
--   p_dept      one 院系
--   p_waiting   only the terminations the caller may decide now (通过 /
--               不通过 at the caller's level; not those waiting for an answer)
CREATE FUNCTION wq.termination_where(p_text text, p_state text, p_initiator text, p_dept text,
	p_waiting boolean) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_level  text := wq.caller_review_level();
	v_school text := wq.caller_school();
	v_dept   text := wq.caller_dept();
	v_mode   text;
	v_w      text;
	v_lit    text;
BEGIN
	PERFORM wq.check_arg(p_text, 100, '筛选文字');
	PERFORM wq.check_arg(p_state, 48, '状态');
	PERFORM wq.check_arg(p_initiator, 16, '发起方');
	PERFORM wq.check_arg(p_dept, 100, '院系');
	IF v_level IS NULL THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看解约申请' USING ERRCODE = 'insufficient_privilege';
	END IF;
	-- the scope, as the policy has it, so that the indexes serve it
	v_w := format('x.school_code = %L', v_school);
	IF v_dept IS NOT NULL THEN
		v_w := v_w || format(' AND x.dept = %L', v_dept);
	END IF;
	IF p_state LIKE '%/%' THEN
		v_w := v_w || format(' AND x.kind = %L AND x.state = %L', split_part(p_state, '/', 1),
			split_part(p_state, '/', 2));
	ELSIF p_state IS NOT NULL THEN
		v_w := v_w || format(' AND x.state = %L', p_state);
	END IF;
	IF p_initiator IS NOT NULL THEN
		v_w := v_w || format(' AND x.initiator = %L', p_initiator);
	END IF;
	IF p_dept IS NOT NULL THEN
		v_w := v_w || format(' AND x.dept = %L', p_dept);
	END IF;
	IF coalesce(p_waiting, false) THEN
		SELECT st.review_mode INTO v_mode FROM wq.school_settings st WHERE st.school_code = v_school;
		v_w := v_w || ' AND x.state = ''pending_review''' || CASE
			WHEN v_level = 'dept' AND v_mode = 'dept_then_school' THEN ' AND x.review_level = ''dept'''
			WHEN v_level = 'dept' THEN ' AND false'
			WHEN v_mode = 'dept_then_school' THEN ' AND x.review_level = ''school'''
			ELSE '' END;
	END IF;
	IF coalesce(p_text, '') <> '' THEN
		v_lit := '%' || replace(replace(replace(p_text, '\', '\\'), '%', '\%'), '_', '\_') || '%';
		v_w := v_w || format(' AND (EXISTS (SELECT 1 FROM wq.student s WHERE s.id = x.student_id'
			'            AND (s.name ILIKE %1$L OR s.student_no ILIKE %1$L))'
			' OR EXISTS (SELECT 1 FROM wq.agreement a JOIN wq.employer e ON e.credit_code = a.employer_code'
			'            WHERE a.id = x.agreement_id AND (e.name ILIKE %1$L OR a.protocol_no ILIKE %1$L)))',
			v_lit);
	END IF;
	RETURN v_w;
END
$$;

-- The sort key of a column of the queue, and whether it needs the student.
CREATE FUNCTION wq.termination_sort(p_sort text, OUT expr text, OUT joined boolean)
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE p_sort
		WHEN 'waiting'    THEN 'x.updated_at'
		WHEN 'student_no' THEN 's.student_no'
		WHEN 'name'       THEN 's.name COLLATE "zh-Hans-x-icu"'
		WHEN 'dept'       THEN 'x.dept COLLATE "zh-Hans-x-icu"'
		WHEN 'state'      THEN 'x.state'
	END, p_sort IN ('student_no', 'name')
$$;

-- One page of the queue: at most p_limit ids in p_sort order (then id),
-- after (p_after_sort, p_after_id) when given; p_desc walks backwards.
CREATE FUNCTION wq_api.termination_page(p_text text, p_state text, p_initiator text, p_dept text,
	p_waiting boolean, p_sort text, p_desc boolean, p_after_sort text, p_after_id bigint, p_limit integer)
RETURNS TABLE (id bigint, sort_value text)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 200 SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_where text;
	v_sort  record;
BEGIN
	PERFORM wq.check_arg(p_sort, 32, '排序列');
	PERFORM wq.check_arg(p_after_sort, 200, '翻页位置');
	v_where := wq.termination_where(p_text, p_state, p_initiator, p_dept, p_waiting);
	SELECT * INTO v_sort FROM wq.termination_sort(p_sort);
	IF v_sort.expr IS NULL THEN
		RAISE EXCEPTION '解约队列的排序或页大小无效' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY EXECUTE wq.queue_page_sql(CASE WHEN v_sort.joined
		THEN 'wq.termination x JOIN wq.student s ON s.id = x.student_id' ELSE 'wq.termination x' END, 'x', v_where,
		v_sort.expr, p_desc, p_after_sort, p_after_id, p_limit);
END
$$;

-- How many terminations the filters show.
CREATE FUNCTION wq_api.termination_count(p_text text, p_state text, p_initiator text, p_dept text,
	p_waiting boolean) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE 'SELECT count(*) FROM wq.termination x WHERE '
		|| wq.termination_where(p_text, p_state, p_initiator, p_dept, p_waiting) INTO n;
	RETURN n;
END
$$;

-- The rows of a page, in the order of p_ids, with what a queue row shows:
-- the agreement's employer (with the school's 预警 mark and 全国预警, as
-- 0018's rows have them), who asked, the 解约原因; waited: how long it has
-- been in its state; actions: what the caller may decide now, and 'force'
-- (强制解约) for a school user while the employer has not answered;
-- needs_cause: whether the caller's 通过 approves an offline termination,
-- and so must carry its 解约原因.
CREATE FUNCTION wq_api.termination_rows(p_ids bigint[])
RETURNS TABLE (id bigint, kind text, kind_label text, initiator text, initiator_label text, state text,
	state_label text, level_label text, agreement_id bigint, protocol_no text, student_no text,
	student_name text, dept text, employer_code text, employer_name text, employer_status text, warning text,
	apply_reason text, cause_label text, updated_at timestamptz, waited text, version integer, actions text[],
	needs_cause boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 200 SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_level  text := wq.caller_review_level();
	v_school text := wq.caller_school();
	v_kind   text := (wq.caller()).kind;
	v_mode   text;
	v_two    boolean;
BEGIN
	IF cardinality(p_ids) > 10000 THEN
		RAISE EXCEPTION '一次最多读取 10000 项' USING ERRCODE = 'program_limit_exceeded';
	END IF;
	IF v_level IS NULL THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看解约申请' USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT st.review_mode INTO v_mode FROM wq.school_settings st WHERE st.school_code = v_school;
	v_two := wq.verb_label('审核', v_school) = '鉴证';
	RETURN QUERY
	SELECT x.id, x.kind, CASE x.kind WHEN 'term_online' THEN '线上解约' ELSE '线下解约' END,
	       x.initiator, CASE x.initiator WHEN 'employer' THEN '单位' ELSE '学生' END,
	       x.state,
	       CASE WHEN v_two THEN replace(wq.item_state_label(x.kind, x.state), '审核', '鉴证')
	            ELSE wq.item_state_label(x.kind, x.state) END,
	       CASE WHEN v_two THEN replace(wq.item_level_label(x.review_level, v_mode), '审核', '鉴证')
	            ELSE wq.item_level_label(x.review_level, v_mode) END,
	       a.id, a.protocol_no, s.student_no, s.name, x.dept, e.credit_code, e.name,
	       wq.employer_status_label(e.status),
	       nullif(concat_ws(' ', wq.warning_category_label(w.category),
	                        CASE WHEN tl.schools >= wq.warning_national_min() THEN '全国预警' END), ''),
	       x.apply_reason,
	       (SELECT c.label FROM wq.review_reason c WHERE c.kind = 'term_cause' AND c.code = x.cause),
	       x.updated_at, wq.queue_waited(x.updated_at), x.version,
	       wq.queue_actions(x.kind, x.state, x.review_level, v_level, v_mode)
	         || CASE WHEN v_kind = 'school' AND x.state = 'awaiting_employer' THEN ARRAY['force'] ELSE '{}'::text[] END,
	       x.kind = 'term_offline' AND EXISTS (SELECT 1 FROM wq.transition tr
	                  WHERE tr.kind = x.kind AND tr.from_state = x.state AND tr.actor = 'reviewer'
	                    AND tr.action = 'pass' AND tr.to_state = 'approved' AND tr.from_level = v_level
	                    AND wq.item_effective_level(x.review_level, v_mode) = v_level)
	  FROM unnest(p_ids) WITH ORDINALITY AS p(pid, n)
	  JOIN wq.termination x ON x.id = p.pid
	  JOIN wq.agreement a ON a.id = x.agreement_id
	  JOIN wq.student s ON s.id = x.student_id
	  JOIN wq.employer e ON e.credit_code = a.employer_code
	  LEFT JOIN wq.warning w ON w.school_code = v_school AND w.credit_code = e.credit_code
	  LEFT JOIN wq.warning_tally tl ON tl.credit_code = e.credit_code
	 ORDER BY p.n;
END
$$;

-- One termination as labelled fields, section by section: 解约信息 (who
-- asked and why, the other side's answer from the events, the 解约原因, the
-- note of a 强制解约, a reviewer's reason), then the agreement's 协议信息,
-- 单位信息 and 学生信息 (0018's agreement_detail, without the agreement's own
-- review reason); nothing for one out of the caller's scope.
CREATE FUNCTION wq_api.termination_detail(p_id bigint)
RETURNS TABLE (section text, label text, value text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	x      wq.termination;
	st     wq.school_settings;
	v_ans  text;
	v_frc  text;
	v_side text;
BEGIN
	IF wq.caller_review_level() IS NULL THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看解约申请' USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT * INTO x FROM wq.termination t WHERE t.id = p_id;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	SELECT * INTO st FROM wq.school_settings t WHERE t.school_code = x.school_code;
	v_side := CASE x.initiator WHEN 'student' THEN '单位' ELSE '学生' END;
	-- the other side's answer (an online termination): the last agree or refuse
	SELECT CASE e.action WHEN 'agree' THEN '同意解约' ELSE '不同意解约' END || '（' || to_char(e.at, 'YYYY-MM-DD HH24:MI') || '）'
	  INTO v_ans
	  FROM wq.event e WHERE e.entity = 'termination' AND e.entity_id = x.id::text AND e.action IN ('agree', 'refuse')
	 ORDER BY e.id DESC LIMIT 1;
	IF v_ans IS NULL AND x.kind = 'term_online' THEN
		v_ans := CASE WHEN x.state = 'forced' THEN '未答复（学校强制解约）' ELSE '尚未答复' END;
	END IF;
	SELECT who.name || '，' || to_char(e.at, 'YYYY-MM-DD HH24:MI') INTO v_frc
	  FROM wq.event e CROSS JOIN LATERAL wq.actor_of(e.actor) who
	 WHERE e.entity = 'termination' AND e.entity_id = x.id::text AND e.action = 'force'
	 ORDER BY e.id DESC LIMIT 1;
	RETURN QUERY (SELECT v.section, v.label, coalesce(v.value, '') FROM (VALUES
		(1, '解约信息', '状态', wq.verb_label(wq.item_state_label(x.kind, x.state)
			|| coalesce('（' || wq.item_level_label(x.review_level, st.review_mode) || '）', ''), x.school_code)),
		(2, '解约信息', '解约方式', CASE x.kind WHEN 'term_online' THEN '线上解约' ELSE '线下解约' END),
		(3, '解约信息', '解约发起方', CASE x.initiator WHEN 'student' THEN '毕业生' ELSE '用人单位' END
			|| '（' || to_char(x.created_at, 'YYYY-MM-DD HH24:MI') || '）'),
		(4, '解约信息', '解约理由', nullif(x.apply_reason, '')),
		(5, '解约信息', v_side || '答复', v_ans),
		(6, '解约信息', '解约原因', (SELECT c.label FROM wq.review_reason c WHERE c.kind = 'term_cause' AND c.code = x.cause)),
		(7, '解约信息', '强制解约说明', x.force_note || coalesce('（' || v_frc || '）', '')),
		(8, '解约信息', '退回或不通过原因', CASE WHEN x.reason IS NOT NULL THEN
			coalesce((SELECT r.label FROM wq.review_reason r WHERE r.kind = x.kind AND r.code = x.reason_category) || '：', '')
			|| x.reason END)
	) AS v(n, section, label, value) ORDER BY v.n)
	UNION ALL
	SELECT d.section, d.label, d.value FROM wq_api.agreement_detail(x.agreement_id) d
	 WHERE d.section <> '学校信息' AND d.label <> '退回或不通过原因' AND d.label <> '邀请有效期至';
END
$$;

-- The states of a termination with their labels: one entry a (kind, state)
-- whose label differs (待审核 is 已同意解约等待学校（院系）审核 online, 解约中
-- offline), in the tables' order.
CREATE FUNCTION wq_api.termination_states()
RETURNS TABLE (state text, label text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT x.state, wq.verb_label(wq.item_state_label(split_part(x.state, '/', 1), split_part(x.state, '/', 2)),
	       wq.caller_school())
	  FROM unnest(ARRAY['term_online/pending_review', 'term_offline/pending_review', 'term_online/awaiting_employer',
	                    'term_online/awaiting_student', 'term_offline/returned', 'term_online/refused',
	                    'term_online/approved', 'term_offline/approved', 'term_online/rejected',
	                    'term_offline/rejected', 'term_online/forced']) WITH ORDINALITY AS x(state, n)
	 ORDER BY x.n
$$;

REVOKE ALL ON FUNCTION wq.queue_page_sql(text, text, text, text, boolean, text, bigint, integer),
	wq.queue_waited(timestamptz), wq.queue_actions(text, text, text, text, text),
	wq.termination_where(text, text, text, text, boolean), wq.termination_sort(text),
	wq_api.termination_page(text, text, text, text, boolean, text, boolean, text, bigint, integer),
	wq_api.termination_count(text, text, text, text, boolean), wq_api.termination_rows(bigint[]),
	wq_api.termination_detail(bigint), wq_api.termination_states() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	wq_api.termination_page(text, text, text, text, boolean, text, boolean, text, bigint, integer),
	wq_api.termination_count(text, text, text, text, boolean), wq_api.termination_rows(bigint[]),
	wq_api.termination_detail(bigint), wq_api.termination_states()
	TO wq_school, wq_dept;

RESET ROLE;
