-- 0019_decision_speed: a decision costs what its work costs.
--
-- Measured (tests/bench, section 4): a decision through wq_api.review_decide
-- spent most of its time outside its own logic:
--   * every statement on a table under a policy evaluates the caller's
--     identity again (wq.caller_kind, caller_school, caller_dept,
--     is_operator: about thirty look-ups a decision, each an SQL function
--     that PostgreSQL parses and plans anew on every call);
--   * every INSERT or UPDATE prepares each CHECK constraint of its table
--     when it starts, and a CHECK that calls an SQL function (wq.clean_text,
--     wq.item_state_label) inlines it, parsing the function's body again:
--     35 constraints a decision, about 10 µs each;
--
-- So:
--   * wq.agreement_act runs as wq_engine, a NOLOGIN role that bypasses row
--     security (as wq_search does for the searches, 0004).  It reads the
--     caller's identity once (wq.caller) and applies the same scope as the
--     policy on wq.agreement itself, in the statement that locks the row: a
--     row out of the caller's scope is neither locked nor told apart from a
--     missing one.  Only wq_owner's functions (the API) may call it.
--   * The text and state CHECKs of the tables a decision writes (agreement,
--     event, notice) call wq.text_ok and wq.item_state_known: the same rules
--     (wq.clean_text, wq.item_state_label), in PL/pgSQL, whose plans a
--     session keeps.  The roster's tables keep wq.clean_text: an import
--     checks many rows in one statement, where the inlined form is faster.
--   * wq.notice loses its foreign keys to wq.student and wq.school.  Each
--     locked the row it named (FOR KEY SHARE: a WAL record, and the school's
--     one row shared by every clerk of the school, who then queued on it
--     through a multixact).  The engine writes a notice only from an
--     agreement row, whose own keys hold the same student and school, and
--     neither is ever deleted.
--   * wq.check_arg (called six times a decision) no longer sets search_path
--     on every call: its body names pg_catalog's function and operator.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'wq_engine') THEN
		CREATE ROLE wq_engine NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS;
	END IF;
END
$$;
ALTER DEFAULT PRIVILEGES FOR ROLE wq_engine REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA wq TO wq_engine;

-- ---------------------------------------------------------------------------
-- The caller's identity in one look-up (PL/pgSQL: its plan is kept).
-- ---------------------------------------------------------------------------
SET LOCAL ROLE wq_identity;
-- kind: the account's kind (NULL for a login without an account, such as the
-- operator); school: for school and department accounts; dept: for
-- department accounts; province: for province accounts; operator: a member
-- of wq_operator.  A locked account has no kind.
CREATE FUNCTION wq.caller(OUT kind text, OUT school text, OUT dept text, OUT province text, OUT operator boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	SELECT a.kind, CASE WHEN a.kind IN ('school', 'dept') THEN a.school_code END,
	       CASE WHEN a.kind = 'dept' THEN a.dept END, CASE WHEN a.kind = 'province' THEN a.province_code END
	  INTO kind, school, dept, province
	  FROM wq.account a WHERE a.login = session_user AND NOT a.locked;
	operator := pg_has_role(session_user, 'wq_operator', 'MEMBER');
END
$$;
REVOKE ALL ON FUNCTION wq.caller() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq.caller() TO wq_owner, wq_engine;
RESET ROLE;

-- ---------------------------------------------------------------------------
-- The CHECKs of the tables a decision writes.
-- ---------------------------------------------------------------------------
SET LOCAL ROLE wq_owner;

-- wq.clean_text, called rather than inlined.  No SET search_path (a SET
-- would cost each call more than the check): the body names wq's function,
-- which names pg_catalog's own.
CREATE FUNCTION wq.text_ok(p text, p_max integer, p_multiline boolean) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
	RETURN wq.clean_text(p, p_max, p_multiline);
END
$$;

-- Whether (kind, state) is a state wq.item_state_label names.
CREATE FUNCTION wq.item_state_known(p_kind text, p_state text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
	RETURN wq.item_state_label(p_kind, p_state) IS NOT NULL;
END
$$;
REVOKE ALL ON FUNCTION wq.text_ok(text, integer, boolean), wq.item_state_known(text, text) FROM PUBLIC;

-- Each such CHECK again under its own name, with the same rule.
DO $$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT c.conrelid::regclass AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
	           FROM pg_constraint c
	          WHERE c.conrelid IN ('wq.agreement'::regclass, 'wq.event'::regclass, 'wq.notice'::regclass)
	            AND c.contype = 'c'
	            AND (pg_get_constraintdef(c.oid) LIKE '%wq.clean_text(%'
	                 OR pg_get_constraintdef(c.oid) LIKE '%wq.item_state_label(%')
	          ORDER BY 1, 2
	LOOP
		EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
		EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tbl, r.conname,
			replace(replace(r.def, 'wq.clean_text(', 'wq.text_ok('),
			        'wq.item_state_label(kind, state) IS NOT NULL', 'wq.item_state_known(kind, state)'));
	END LOOP;
	IF EXISTS (SELECT 1 FROM pg_constraint c
	            WHERE c.conrelid IN ('wq.agreement'::regclass, 'wq.event'::regclass, 'wq.notice'::regclass)
	              AND pg_get_constraintdef(c.oid) ~ 'clean_text|item_state_label') THEN
		RAISE EXCEPTION 'a CHECK of wq.agreement, wq.event or wq.notice still calls an SQL function';
	END IF;
END
$$;

ALTER TABLE wq.notice DROP CONSTRAINT notice_student_id_fkey, DROP CONSTRAINT notice_school_code_fkey;

-- Refuses an over-long argument before anything else looks at it (as in
-- 0007, without the SET).
CREATE OR REPLACE FUNCTION wq.check_arg(p text, p_max integer, p_what text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF pg_catalog.length(p) OPERATOR(pg_catalog.>) p_max THEN
		RAISE EXCEPTION '%过长：最多 % 个字符', p_what, p_max
			USING ERRCODE = 'string_data_right_truncation';
	END IF;
END
$$;
RESET ROLE;

-- ---------------------------------------------------------------------------
-- wq_engine: what wq.agreement_act reads and writes.
-- ---------------------------------------------------------------------------
GRANT SELECT, UPDATE ON wq.agreement TO wq_engine;
GRANT SELECT ON wq.school_settings, wq.transition, wq.review_reason, wq.attachment, wq.event TO wq_engine;
GRANT INSERT ON wq.event, wq.notice TO wq_engine;
GRANT SELECT ON wq.student TO wq_engine;
GRANT EXECUTE ON FUNCTION wq.check_arg(text, integer, text), wq.clean_text(text, integer, boolean),
	wq.text_ok(text, integer, boolean), wq.item_state_known(text, text), wq.actor_of(text),
	wq.item_state_label(text, text), wq.item_level_label(text, text), wq.item_effective_level(text, text),
	wq.agreement_may_start(bigint, text, bigint) TO wq_engine;

ALTER FUNCTION wq.agreement_act(bigint, text, text, integer, uuid, text, text, jsonb) OWNER TO wq_engine;
SET LOCAL ROLE wq_engine;

-- The engine (0016), as wq_engine: the same checks in the same order, with
-- the scope of the policy applied here.
CREATE OR REPLACE FUNCTION wq.agreement_act(p_id bigint, p_action text, p_actor text, p_version integer,
	p_request_id uuid, p_category text, p_reason text, p_changes jsonb DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me      record;
	a       wq.agreement;
	st      wq.school_settings;
	t       wq.transition;
	v_level text;
	v_new_level text;
	v_prev  record;
	v_who   record;
	v_cat   text;
	v_label text;
	v_out   jsonb;
	v_ev    wq.event;
BEGIN
	PERFORM wq.check_arg(p_action, 16, '操作');
	PERFORM wq.check_arg(p_category, 32, '原因类别');
	PERFORM wq.check_arg(p_reason, 500, '具体问题');
	me := wq.caller();
	-- the scope the policy on wq.agreement gives (0016): the row is locked
	-- only when it is the caller's
	SELECT * INTO a FROM wq.agreement x WHERE x.id = p_id
	   AND (me.operator OR me.kind = 'portal'
	        OR (x.school_code = me.school AND (me.dept IS NULL OR x.dept = me.dept)))
	   FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION '没有编号为 % 的协议，或不在您的范围内', p_id USING ERRCODE = 'no_data_found';
	END IF;
	-- a request seen before (committed, perhaps while this one waited for the
	-- lock: a new snapshot sees it) returns its first outcome.  A request
	-- that was applied moved the version on, so a caller who names the
	-- version it saw needs the look-up only when that version is gone.
	IF p_request_id IS NOT NULL AND (p_version IS NULL OR p_version <> a.version) THEN
		SELECT * INTO v_ev FROM wq.event e
		 WHERE e.request_id = p_request_id AND e.entity = 'agreement' AND e.entity_id = p_id::text;
		IF FOUND THEN
			RETURN v_ev.after || jsonb_build_object('replayed', true);
		END IF;
	END IF;
	SELECT * INTO st FROM wq.school_settings WHERE school_code = a.school_code;
	IF p_version IS NOT NULL AND p_version <> a.version THEN
		SELECT * INTO v_who FROM wq.actor_of(a.updated_by);
		RAISE EXCEPTION '该协议已被 %（%）于 % 处理，当前状态：%', v_who.name, v_who.kind,
			to_char(a.updated_at, 'YYYY-MM-DD HH24:MI:SS'), wq.item_state_label(a.kind, a.state)
			USING ERRCODE = 'serialization_failure', HINT = '请刷新后重试';
	END IF;
	v_level := CASE WHEN p_actor = 'reviewer' THEN wq.item_effective_level(a.review_level, st.review_mode) ELSE '' END;
	SELECT * INTO t FROM wq.transition
	 WHERE kind = a.kind AND from_state = a.state AND from_level = coalesce(v_level, '')
	   AND action = p_action AND actor = p_actor;
	IF NOT FOUND THEN
		RAISE EXCEPTION '当前状态（%）下不能执行此操作', wq.item_state_label(a.kind, a.state)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_actor = 'reviewer' THEN
		IF (CASE me.kind WHEN 'school' THEN 'school' WHEN 'dept' THEN 'dept' END) IS DISTINCT FROM v_level
		   OR a.school_code IS DISTINCT FROM me.school
		   OR (me.dept IS NOT NULL AND a.dept IS DISTINCT FROM me.dept) THEN
			RAISE EXCEPTION '%', CASE v_level WHEN 'school' THEN '该协议正等待学校审核，院系用户不能处理'
				ELSE '该协议正等待院系审核' END
				USING ERRCODE = 'insufficient_privilege';
		END IF;
	END IF;
	IF t.needs_reason THEN
		SELECT r.label INTO v_cat FROM wq.review_reason r WHERE r.kind = a.kind AND r.code = p_category;
		IF v_cat IS NULL THEN
			RAISE EXCEPTION '请选择原因类别（%）', (SELECT string_agg(r.label, '、' ORDER BY r.sort)
				FROM wq.review_reason r WHERE r.kind = a.kind) USING ERRCODE = 'invalid_parameter_value';
		END IF;
		IF coalesce(btrim(p_reason), '') = '' THEN
			RAISE EXCEPTION '请填写具体问题' USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END IF;
	-- a 补登 is passed on its paper agreement, which must be there
	IF a.kind = 'registration' AND t.to_state = 'signed'
	   AND NOT EXISTS (SELECT 1 FROM wq.attachment x WHERE x.item_id = a.id AND x.role = 'paper') THEN
		RAISE EXCEPTION '这份补登还没有上传已签的就业协议书，不能通过' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- a graduate may start a signing only when eligible, with the switch on and no valid agreement
	IF t.actor = 'student' AND t.to_level = 'first' THEN
		PERFORM wq.agreement_may_start(a.student_id, a.kind, a.id);
	END IF;
	v_new_level := CASE t.to_level WHEN 'school' THEN 'school'
		WHEN 'first' THEN CASE WHEN st.review_mode = 'dept_then_school' THEN 'dept' ELSE 'school' END END;
	v_prev := a;
	UPDATE wq.agreement SET
		state = t.to_state, review_level = v_new_level,
		reason_category = CASE WHEN t.needs_reason THEN p_category ELSE reason_category END,
		reason = CASE WHEN t.needs_reason THEN p_reason ELSE reason END,
		position = coalesce(p_changes->>'position', position),
		work_location = coalesce(p_changes->>'work_location', work_location),
		salary = coalesce((p_changes->>'salary')::integer, salary),
		job_category = coalesce(p_changes->>'job_category', job_category),
		-- the school's details, copied in when the agreement is generated
		handler = CASE WHEN t.to_state IN ('issued', 'signed') THEN st.handler ELSE handler END,
		phone = CASE WHEN t.to_state IN ('issued', 'signed') THEN st.phone ELSE phone END,
		address = CASE WHEN t.to_state IN ('issued', 'signed') THEN st.address ELSE address END,
		postcode = CASE WHEN t.to_state IN ('issued', 'signed') THEN st.postcode ELSE postcode END,
		version = version + 1, updated_at = now(), updated_by = session_user
	 WHERE id = a.id
	RETURNING * INTO a;
	v_label := wq.item_state_label(a.kind, a.state);
	v_out := jsonb_build_object('id', a.id, 'state', a.state, 'label', v_label, 'level', a.review_level,
		'level_label', wq.item_level_label(a.review_level, st.review_mode), 'version', a.version, 'replayed', false);
	INSERT INTO wq.event (school_code, dept, entity, entity_id, action, from_state, to_state,
	                      before, after, reason, request_id)
	VALUES (a.school_code, a.dept, 'agreement', a.id::text, p_action, v_prev.state, a.state,
	        jsonb_build_object('level', v_prev.review_level, 'version', v_prev.version),
	        v_out || jsonb_build_object('actor', p_actor, 'from_level', nullif(v_level, ''), 'category', v_cat),
	        CASE WHEN t.needs_reason THEN p_reason END, p_request_id);
	INSERT INTO wq.notice (student_id, item_id, school_code, dept, text)
	VALUES (a.student_id, a.id, a.school_code, a.dept,
	        format('您的就业协议（%s）：%s%s', a.protocol_no, v_label,
	               CASE WHEN t.needs_reason THEN format('。原因：%s，%s', v_cat, p_reason) ELSE '' END));
	PERFORM pg_notify('wq_items_' || a.school_code, '');
	RETURN v_out;
EXCEPTION
	WHEN unique_violation THEN
		RAISE EXCEPTION '%', CASE
			WHEN SQLERRM LIKE '%agreement_one_valid%' THEN '该毕业生已有有效的就业协议'
			WHEN SQLERRM LIKE '%agreement_one_open_invitation%' THEN '该单位对该毕业生已有未结束的签约邀请'
			ELSE SQLERRM END USING ERRCODE = 'unique_violation';
END
$$;
REVOKE ALL ON FUNCTION wq.agreement_act(bigint, text, text, integer, uuid, text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq.agreement_act(bigint, text, text, integer, uuid, text, text, jsonb) TO wq_owner;
RESET ROLE;
REVOKE CREATE ON SCHEMA wq FROM wq_engine;

SET LOCAL ROLE wq_owner;

-- A school or department user's decision (0016), the identity read once.
CREATE OR REPLACE FUNCTION wq_api.review_decide(p_id bigint, p_action text, p_version integer,
	p_request_id uuid DEFAULT NULL, p_category text DEFAULT NULL, p_reason text DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me record;
BEGIN
	PERFORM wq.check_arg(p_action, 16, '审核操作');
	PERFORM wq.check_arg(p_category, 32, '原因类别');
	PERFORM wq.check_arg(p_reason, 500, '具体问题');
	me := wq.caller();
	IF me.kind IS DISTINCT FROM 'school' AND me.kind IS DISTINCT FROM 'dept' AND NOT me.operator THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以审核' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_action NOT IN ('pass', 'return', 'reject') THEN
		RAISE EXCEPTION '审核操作应为 通过、退回修改 或 不通过' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_version IS NULL THEN
		RAISE EXCEPTION '缺少所见的版本号' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN wq.agreement_act(p_id, p_action, 'reviewer', p_version, p_request_id, p_category, p_reason);
END
$$;

RESET ROLE;
