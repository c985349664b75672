-- 0023_destination_queue: 去向登记管理 as the screens read it, in the manner
-- of 0018's agreement queues: keyset pages of registration ids in the
-- caller's scope, filtered and sorted by index (0021's), the rows of a page,
-- their count, the states, one registration's detail as labelled fields; the
-- files of a registration (its 证明材料) for its reviewers; and a graduate's
-- history (0012) with the events of its registrations.
--
-- Every function is SECURITY DEFINER of wq_owner's, reading wq.destination
-- under its policy (0021).

SET LOCAL ROLE wq_owner;

-- The WHERE clause (without "WHERE") of the queue over wq.destination d,
-- every value a literal, the caller's identity read once.
--   p_text    姓名 or 学号 containing it (any case), or the unit, enterprise
--             or institution named in the registration
--   p_state   one state, or a tab: 'review' (去向登记审核中, and those
--             returned to the graduate), 'rejected', 'passed', 'voided'
--   p_source  'student' (the graduate's registration) or 'school' (修改去向)
--   p_dept    one 院系
--   p_waiting only the registrations the caller may decide now
CREATE FUNCTION wq.destination_where(p_text text, p_state text, p_source text, p_dept text,
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
	PERFORM wq.check_arg(p_state, 32, '状态');
	PERFORM wq.check_arg(p_source, 16, '来源');
	PERFORM wq.check_arg(p_dept, 100, '院系');
	IF v_level IS NULL THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看去向登记' USING ERRCODE = 'insufficient_privilege';
	END IF;
	-- the scope, as the policy has it, so that the indexes serve it
	v_w := format('d.school_code = %L', v_school);
	IF v_dept IS NOT NULL THEN
		v_w := v_w || format(' AND d.dept = %L', v_dept);
	END IF;
	IF p_state = 'review' THEN
		v_w := v_w || ' AND d.state IN (''pending'', ''returned'')';
	ELSIF p_state = 'passed' THEN
		v_w := v_w || ' AND d.state = ''approved''';
	ELSIF p_state IS NOT NULL THEN
		v_w := v_w || format(' AND d.state = %L', p_state);
	END IF;
	IF p_source IS NOT NULL THEN
		v_w := v_w || format(' AND d.source = %L', p_source);
	END IF;
	IF p_dept IS NOT NULL THEN
		v_w := v_w || format(' AND d.dept = %L', p_dept);
	END IF;
	IF coalesce(p_waiting, false) THEN
		SELECT st.review_mode INTO v_mode FROM wq.school_settings st WHERE st.school_code = v_school;
		v_w := v_w || ' AND d.state = ''pending''' || CASE
			WHEN v_level = 'dept' AND v_mode = 'dept_then_school' THEN ' AND d.review_level = ''dept'''
			WHEN v_level = 'dept' THEN ' AND false'
			WHEN v_mode = 'dept_then_school' THEN ' AND d.review_level = ''school'''
			ELSE '' END;
	END IF;
	IF coalesce(p_text, '') <> '' THEN
		v_lit := '%' || replace(replace(replace(p_text, '\', '\\'), '%', '\%'), '_', '\_') || '%';
		v_w := v_w || format(' AND (d.unit_name ILIKE %1$L OR d.enterprise ILIKE %1$L OR d.institution ILIKE %1$L'
			' OR EXISTS (SELECT 1 FROM wq.student s WHERE s.id = d.student_id'
			'            AND (s.name ILIKE %1$L OR s.student_no ILIKE %1$L))'
			' OR EXISTS (SELECT 1 FROM wq.employer e WHERE e.credit_code = d.employer_code AND e.name ILIKE %1$L))',
			v_lit);
	END IF;
	RETURN v_w;
END
$$;

-- The sort key of a column of the queue, and whether it needs the student.
CREATE FUNCTION wq.destination_sort(p_sort text, OUT expr text, OUT joined boolean)
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE p_sort
		WHEN 'waiting'    THEN 'd.updated_at'
		WHEN 'student_no' THEN 's.student_no'
		WHEN 'name'       THEN 's.name COLLATE "zh-Hans-x-icu"'
		WHEN 'dept'       THEN 'd.dept COLLATE "zh-Hans-x-icu"'
		WHEN 'state'      THEN 'd.state'
		WHEN 'code'       THEN 'd.code'
	END, p_sort IN ('student_no', 'name')
$$;

-- One page of the queue: at most p_limit ids in p_sort order (then id),
-- after (p_after_sort, p_after_id) when given; p_desc walks backwards.
CREATE FUNCTION wq_api.destination_page(p_text text, p_state text, p_source text, p_dept text,
	p_waiting boolean, p_sort text, p_desc boolean, p_after_sort text, p_after_id bigint, p_limit integer)
RETURNS TABLE (id bigint, sort_value text)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 200 SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_where text;
	v_sort  record;
	v_dir   text := CASE WHEN p_desc THEN ' DESC' ELSE '' END;
	v_key   text := '';
	v_from  text := 'wq.destination d';
BEGIN
	PERFORM wq.check_arg(p_sort, 32, '排序列');
	PERFORM wq.check_arg(p_after_sort, 200, '翻页位置');
	v_where := wq.destination_where(p_text, p_state, p_source, p_dept, p_waiting);
	SELECT * INTO v_sort FROM wq.destination_sort(p_sort);
	IF v_sort.expr IS NULL OR p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 10000 OR p_desc IS NULL THEN
		RAISE EXCEPTION '去向登记队列的排序或页大小无效' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF v_sort.joined THEN
		v_from := 'wq.destination d JOIN wq.student s ON s.id = d.student_id';
	END IF;
	IF p_after_id IS NOT NULL THEN
		v_key := format(' AND (%s, d.id) %s (%L, %s)', v_sort.expr, CASE WHEN p_desc THEN '<' ELSE '>' END,
			coalesce(p_after_sort, ''), p_after_id);
	END IF;
	RETURN QUERY EXECUTE format('SELECT d.id, (%1$s)::text FROM %2$s WHERE %3$s%4$s ORDER BY %1$s%5$s, d.id%5$s LIMIT %6$s',
		v_sort.expr, v_from, v_where, v_key, v_dir, p_limit);
END
$$;

-- How many registrations the filters show.
CREATE FUNCTION wq_api.destination_count(p_text text, p_state text, p_source text, p_dept text,
	p_waiting boolean) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE 'SELECT count(*) FROM wq.destination d WHERE '
		|| wq.destination_where(p_text, p_state, p_source, p_dept, p_waiting) INTO n;
	RETURN n;
END
$$;

-- The rows of a page, in the order of p_ids, with what a queue row shows:
-- what: the registration in words (wq.destination_text); waited: how long it
-- has been in its state; actions: what the caller may decide now.  The
-- labels carry the province's verb (鉴证 under 两方协议), as 0018's do.
CREATE FUNCTION wq_api.destination_rows(p_ids bigint[])
RETURNS TABLE (id bigint, kind text, state text, state_label text, level_label text, code text,
	code_name text, what text, source text, source_label text, student_no text, student_name text,
	dept text, updated_at timestamptz, waited text, version integer, actions text[])
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 200 SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_level  text := wq.caller_review_level();
	v_school text := wq.caller_school();
	v_mode   text;
	v_two    boolean;
BEGIN
	IF cardinality(p_ids) > 10000 THEN
		RAISE EXCEPTION '一次最多读取 10000 项' USING ERRCODE = 'program_limit_exceeded';
	END IF;
	IF v_level IS NULL THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看去向登记' USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT st.review_mode INTO v_mode FROM wq.school_settings st WHERE st.school_code = v_school;
	v_two := wq.verb_label('审核', v_school) = '鉴证';
	RETURN QUERY
	SELECT d.id, d.kind, d.state,
	       CASE WHEN v_two THEN replace(wq.item_state_label(d.kind, d.state), '审核', '鉴证')
	            ELSE wq.item_state_label(d.kind, d.state) END,
	       CASE WHEN v_two THEN replace(wq.item_level_label(d.review_level, v_mode), '审核', '鉴证')
	            ELSE wq.item_level_label(d.review_level, v_mode) END,
	       d.code, (SELECT c.name FROM wq.code c WHERE c.kind = 'destination' AND c.code = d.code),
	       wq.destination_text(d), d.source, CASE d.source WHEN 'school' THEN '学校修改' ELSE '学生登记' END,
	       s.student_no, s.name, d.dept, d.updated_at,
	       CASE WHEN now() - d.updated_at >= interval '1 day'
	            THEN (extract(day FROM now() - d.updated_at))::int || ' 天'
	            WHEN now() - d.updated_at >= interval '1 hour'
	            THEN (extract(hour FROM now() - d.updated_at))::int || ' 小时'
	            ELSE greatest((extract(minute FROM now() - d.updated_at))::int, 0) || ' 分钟' END,
	       d.version,
	       coalesce((SELECT array_agg(tr.action ORDER BY CASE tr.action WHEN 'pass' THEN 1 WHEN 'return' THEN 2 ELSE 3 END)
	                   FROM wq.transition tr
	                  WHERE tr.kind = d.kind AND tr.from_state = d.state AND tr.actor = 'reviewer'
	                    AND tr.from_level = v_level
	                    AND wq.item_effective_level(d.review_level, v_mode) = v_level), '{}')
	  FROM unnest(p_ids) WITH ORDINALITY AS p(pid, n)
	  JOIN wq.destination d ON d.id = p.pid
	  JOIN wq.student s ON s.id = d.student_id
	 ORDER BY p.n;
END
$$;

-- One registration as labelled fields, section by section (去向信息, 学生信息),
-- in order; nothing for one out of the caller's scope.  Only the fields its
-- code has are filled (the others are empty and not shown).
CREATE FUNCTION wq_api.destination_detail(p_id bigint)
RETURNS TABLE (section text, label text, value text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	d  wq.destination;
	s  wq.student;
	st wq.school_settings;
BEGIN
	IF wq.caller_review_level() IS NULL THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看去向登记' USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT * INTO d FROM wq.destination x WHERE x.id = p_id;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	SELECT * INTO s FROM wq.student x WHERE x.id = d.student_id;
	SELECT * INTO st FROM wq.school_settings x WHERE x.school_code = d.school_code;
	RETURN QUERY SELECT v.section, v.label, coalesce(v.value, '') FROM (VALUES
		(1, '去向信息', '状态', wq.verb_label(wq.item_state_label(d.kind, d.state)
			|| coalesce('（' || wq.item_level_label(d.review_level, st.review_mode) || '）', ''), d.school_code)),
		(2, '去向信息', '毕业去向', d.code || ' ' || (SELECT c.name FROM wq.code c WHERE c.kind = 'destination' AND c.code = d.code)),
		(3, '去向信息', CASE WHEN d.code = '80' THEN '升学层次' ELSE '类别' END, d.subtype),
		(4, '去向信息', '用人单位', (SELECT e.name FROM wq.employer e WHERE e.credit_code = d.employer_code)),
		(5, '去向信息', '统一社会信用代码', d.employer_code),
		(6, '去向信息', '单位名称', d.unit_name),
		(7, '去向信息', '创业企业名称', d.enterprise),
		(8, '去向信息', '创业企业统一社会信用代码', d.enterprise_uscc),
		(9, '去向信息', '自由职业说明', d.description),
		(10, '去向信息', '国家或地区', d.country),
		(11, '去向信息', '学校或机构', d.institution),
		(12, '去向信息', '来源', CASE d.source WHEN 'school' THEN '学校与毕业生协商一致后修改' ELSE '毕业生登记' END),
		(13, '去向信息', '提交时间', to_char(d.created_at, 'YYYY-MM-DD HH24:MI')),
		(14, '去向信息', '退回或不通过原因', CASE WHEN d.reason IS NOT NULL THEN
			coalesce((SELECT r.label FROM wq.review_reason r WHERE r.kind = d.kind AND r.code = d.reason_category) || '：', '')
			|| d.reason END),
		(30, '学生信息', '姓名', s.name),
		(31, '学生信息', '学号', s.student_no),
		(32, '学生信息', '性别', CASE s.sex WHEN '1' THEN '男' WHEN '2' THEN '女' END),
		(33, '学生信息', '院系', s.dept),
		(34, '学生信息', '专业', s.major),
		(35, '学生信息', '学历层次', (SELECT c.name FROM wq.code c WHERE c.kind = 'education_level' AND c.code = s.level)),
		(36, '学生信息', '培养方式', (SELECT c.name FROM wq.code c WHERE c.kind = 'training_mode' AND c.code = s.training_mode)),
		(37, '学生信息', '手机号码', s.mobile),
		(38, '学生信息', '电子邮箱', s.email),
		(39, '学生信息', '当前毕业去向', coalesce(s.destination_code || ' ' || (SELECT c.name FROM wq.code c
			WHERE c.kind = 'destination' AND c.code = s.destination_code), '未登记'))
	) AS v(n, section, label, value) ORDER BY v.n;
END
$$;

-- The states of a registration with their labels, in the table's order.
CREATE FUNCTION wq_api.destination_states()
RETURNS TABLE (state text, label text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT x.state, wq.verb_label(wq.item_state_label('destination', x.state), wq.caller_school())
	  FROM unnest(ARRAY['pending', 'returned', 'rejected', 'approved', 'voided']) WITH ORDINALITY AS x(state, n)
	 ORDER BY x.n
$$;

-- 0016's, for the files of items of every kind: a registration's proofs
-- (证明材料) too.  The attachment's own policy gives the scope.
CREATE OR REPLACE FUNCTION wq_api.agreement_attachments(p_id bigint)
RETURNS TABLE (id bigint, role text, role_label text, file_name text, mime text, size integer, sha256 text,
	uploaded_at timestamptz, uploaded_by text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF wq.caller_review_level() IS NULL AND NOT wq.is_operator() THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看附件' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN QUERY
	SELECT x.id, x.role, CASE x.role WHEN 'stamped' THEN '盖章的就业协议书' WHEN 'proof' THEN '证明材料'
	                                 WHEN 'letter' THEN '解约函' WHEN 'evidence' THEN '强制解约证明材料'
	                                 ELSE '已签的就业协议书' END,
	       x.file_name, x.mime, x.size, x.sha256, x.uploaded_at, (SELECT w.name FROM wq.actor_of(x.uploaded_by) w)
	  FROM wq.attachment x
	 WHERE x.item_id = p_id
	   AND (EXISTS (SELECT 1 FROM wq.agreement a WHERE a.id = x.item_id)
	        OR EXISTS (SELECT 1 FROM wq.destination d WHERE d.id = x.item_id)
	        OR EXISTS (SELECT 1 FROM wq.termination t WHERE t.id = x.item_id))
	 ORDER BY x.id;
END
$$;

CREATE OR REPLACE FUNCTION wq_api.attachment_data(p_attachment bigint) RETURNS bytea
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v bytea;
BEGIN
	IF wq.caller_review_level() IS NULL AND NOT wq.is_operator() THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看附件' USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT x.data INTO v FROM wq.attachment x
	 WHERE x.id = p_attachment
	   AND (EXISTS (SELECT 1 FROM wq.agreement a WHERE a.id = x.item_id)
	        OR EXISTS (SELECT 1 FROM wq.destination d WHERE d.id = x.item_id)
	        OR EXISTS (SELECT 1 FROM wq.termination t WHERE t.id = x.item_id));
	IF v IS NULL THEN
		RAISE EXCEPTION '没有这个附件，或不在您的范围内' USING ERRCODE = 'no_data_found';
	END IF;
	RETURN v;
END
$$;

-- 0012's, with the events of the graduate's registrations (去向登记): each
-- decision with its reason, and the school's change with the 毕业去向
-- before and after.
CREATE OR REPLACE FUNCTION wq_api.student_history(p_student bigint, p_limit int DEFAULT 50)
RETURNS TABLE (at timestamptz, actor text, actor_name text, actor_kind text, action text, what text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT e.at, e.actor, who.name, who.kind, e.action,
	       CASE
	       WHEN e.entity = 'destination' THEN '去向登记：' || CASE e.action
	            WHEN 'create' THEN '提交'
	            WHEN 'change' THEN '学校修改毕业去向（已与毕业生协商一致）'
	            WHEN 'pass' THEN '通过' WHEN 'return' THEN '退回修改' WHEN 'reject' THEN '不通过'
	            WHEN 'resubmit' THEN '重新提交' WHEN 'void' THEN '作废' WHEN 'attach' THEN '上传证明材料'
	            ELSE e.action END
	         || CASE WHEN e.action = 'change' THEN ' ' || coalesce(e.before->>'destination_code', '未登记')
	                 || ' → ' || (e.after->>'destination_code')
	                 WHEN e.action = 'create' THEN ' ' || (e.after->>'code')
	                 ELSE '' END
	         || CASE WHEN e.to_state IS NOT NULL AND e.action <> 'attach'
	                 THEN '，' || wq.verb_label(wq.item_state_label('destination', e.to_state), e.school_code) ELSE '' END
	         || CASE WHEN e.reason IS NOT NULL THEN '（原因：' || coalesce(e.after->>'category' || '，', '') || e.reason || '）'
	                 ELSE '' END
	       WHEN e.action = 'roster_update' THEN '名单更新：' || coalesce(
	            (SELECT string_agg(CASE WHEN e.before ? f THEN
	                                    f || ' ' || CASE WHEN e.before->>f = '' THEN '（空）' ELSE e.before->>f END
	                                      || ' → ' || CASE WHEN e.after->>f = '' THEN '（空）' ELSE e.after->>f END
	                                    ELSE f END, '；' ORDER BY o)
	               FROM jsonb_array_elements_text(e.after->'fields') WITH ORDINALITY AS x(f, o)), '')
	       WHEN e.action = 'verify' THEN '核对：' || CASE e.after->>'verify_status' WHEN 'verified' THEN '已核对'
	            ELSE '信息不一致（' || coalesce((SELECT string_agg(f, '、')
	                                            FROM jsonb_array_elements_text(e.after->'fields') f), '') || '）' END
	       ELSE e.action END
	  FROM wq.event e
	 CROSS JOIN LATERAL wq.actor_of(e.actor) who
	 WHERE ((e.entity = 'student' AND e.entity_id = p_student::text)
	        OR (e.entity = 'destination'
	            AND e.entity_id IN (SELECT d.id::text FROM wq.destination d WHERE d.student_id = p_student)))
	   AND EXISTS (SELECT 1 FROM wq.student s WHERE s.id = p_student)
	 ORDER BY e.id DESC
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;

REVOKE ALL ON FUNCTION wq.destination_where(text, text, text, text, boolean), wq.destination_sort(text),
	wq_api.destination_page(text, text, text, text, boolean, text, boolean, text, bigint, integer),
	wq_api.destination_count(text, text, text, text, boolean), wq_api.destination_rows(bigint[]),
	wq_api.destination_detail(bigint), wq_api.destination_states() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	wq_api.destination_page(text, text, text, text, boolean, text, boolean, text, bigint, integer),
	wq_api.destination_count(text, text, text, text, boolean), wq_api.destination_rows(bigint[]),
	wq_api.destination_detail(bigint), wq_api.destination_states()
	TO wq_school, wq_dept;

RESET ROLE;
