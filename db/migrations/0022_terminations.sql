-- 0022_terminations: 解约管理.
--
-- A termination (解约) is an item of wq.termination, moved by the rows of
-- wq.transition through the one engine (wq.item_act, 0021), of two kinds:
--   term_online   线上解约, of an agreement signed online: started by the
--                 graduate or the employer, answered by the other side, then
--                 reviewed (通过 / 不通过) at the levels of 审核方式; while the
--                 employer has not answered a graduate's request, a school
--                 user may 强制解约 it, with a note (and evidence);
--   term_offline  线下解约, of an offline signing or an approved 补登: the
--                 graduate's application with its 解约函, reviewed (通过 /
--                 退回修改 / 不通过); the approving reviewer records the 解约原因
--                 (学生单方面解约 only by a school user, and only for an
--                 employer whose 经营状态 is 注销).
-- A termination that succeeds (解约成功, or 学校强制解约) ends the agreement
-- (已解约) in the same transaction; the graduate's 毕业去向 becomes 70 待就业
-- unless a newer record gives another, and it may sign or register again.
-- The graduate's applications count against the school's 最大次数; a
-- resubmission after 退回修改 is not a new application.

SET LOCAL ROLE wq_owner;

CREATE OR REPLACE FUNCTION wq.item_state_label(p_kind text, p_state text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_kind
	WHEN 'online' THEN CASE p_state
		WHEN 'invited' THEN '单位发起签约，等待学生应约'
		WHEN 'pending_review' THEN '学生已同意签约，等待学校（院系）审核'
		WHEN 'failed' THEN '签约失败'
		WHEN 'signed' THEN '签约成功'
		WHEN 'declined' THEN '学生已拒绝'
		WHEN 'expired' THEN '签约邀请已失效'
		WHEN 'withdrawn' THEN '单位已撤回'
		WHEN 'terminated' THEN '已解约' END
	WHEN 'offline' THEN CASE p_state
		WHEN 'draft_review' THEN '就业协议审核中'
		WHEN 'draft_returned' THEN '就业协议退回修改'
		WHEN 'voided' THEN '申请已作废'
		WHEN 'issued' THEN '待回传协议书'
		WHEN 'signing_review' THEN '签约审核中'
		WHEN 'signing_returned' THEN '签约退回修改'
		WHEN 'signing_rejected' THEN '签约审核不通过'
		WHEN 'signed' THEN '签约成功'
		WHEN 'terminated' THEN '已解约' END
	WHEN 'registration' THEN CASE p_state
		WHEN 'reg_review' THEN '签约审核中'
		WHEN 'reg_returned' THEN '退回修改'
		WHEN 'reg_rejected' THEN '签约审核不通过'
		WHEN 'signed' THEN '签约审核通过'
		WHEN 'terminated' THEN '已解约' END
	WHEN 'destination' THEN CASE p_state
		WHEN 'pending' THEN '去向登记审核中'
		WHEN 'returned' THEN '去向登记退回修改'
		WHEN 'rejected' THEN '去向登记审核不通过'
		WHEN 'approved' THEN '去向登记审核通过'
		WHEN 'voided' THEN '已作废' END
	WHEN 'term_online' THEN CASE p_state
		WHEN 'awaiting_employer' THEN '学生发起解约等待单位应约'
		WHEN 'awaiting_student' THEN '单位发起解约等待学生应约'
		WHEN 'pending_review' THEN '已同意解约等待学校（院系）审核'
		WHEN 'refused' THEN '对方不同意解约'
		WHEN 'approved' THEN '解约成功'
		WHEN 'rejected' THEN '解约失败'
		WHEN 'forced' THEN '学校强制解约' END
	WHEN 'term_offline' THEN CASE p_state
		WHEN 'pending_review' THEN '解约中'
		WHEN 'returned' THEN '解约退回修改'
		WHEN 'approved' THEN '解约成功'
		WHEN 'rejected' THEN '解约失败' END
	END
$$;

RESET ROLE;
ALTER TABLE wq.transition DROP CONSTRAINT transition_kind_check,
	ADD CONSTRAINT transition_kind_check CHECK (kind IN ('online', 'offline', 'registration', 'destination',
		'term_online', 'term_offline'));
ALTER TABLE wq.transition DROP CONSTRAINT transition_action_check,
	ADD CONSTRAINT transition_action_check CHECK (action IN ('accept', 'decline', 'withdraw', 'expire', 'resubmit',
		'upload', 'pass', 'return', 'reject', 'void', 'agree', 'refuse', 'force', 'terminate'));
ALTER TABLE wq.transition DROP CONSTRAINT transition_actor_check,
	ADD CONSTRAINT transition_actor_check CHECK (actor IN ('employer', 'student', 'reviewer', 'system', 'school'));
INSERT INTO wq.transition VALUES
	-- an agreement ends when its termination succeeds
	('online', 'signed', '', 'terminate', 'system', 'terminated', NULL, false),
	('offline', 'signed', '', 'terminate', 'system', 'terminated', NULL, false),
	('registration', 'signed', '', 'terminate', 'system', 'terminated', NULL, false),
	-- 线上解约
	('term_online', 'awaiting_employer', '', 'agree', 'employer', 'pending_review', 'first', false),
	('term_online', 'awaiting_employer', '', 'refuse', 'employer', 'refused', NULL, false),
	('term_online', 'awaiting_student', '', 'agree', 'student', 'pending_review', 'first', false),
	('term_online', 'awaiting_student', '', 'refuse', 'student', 'refused', NULL, false),
	('term_online', 'awaiting_employer', '', 'force', 'school', 'forced', NULL, false),
	('term_online', 'pending_review', 'dept', 'pass', 'reviewer', 'pending_review', 'school', false),
	('term_online', 'pending_review', 'school', 'pass', 'reviewer', 'approved', NULL, false),
	('term_online', 'pending_review', 'dept', 'reject', 'reviewer', 'rejected', NULL, true),
	('term_online', 'pending_review', 'school', 'reject', 'reviewer', 'rejected', NULL, true),
	-- 线下解约
	('term_offline', 'pending_review', 'dept', 'pass', 'reviewer', 'pending_review', 'school', false),
	('term_offline', 'pending_review', 'school', 'pass', 'reviewer', 'approved', NULL, false),
	('term_offline', 'pending_review', 'dept', 'return', 'reviewer', 'returned', NULL, true),
	('term_offline', 'pending_review', 'school', 'return', 'reviewer', 'returned', NULL, true),
	('term_offline', 'pending_review', 'dept', 'reject', 'reviewer', 'rejected', NULL, true),
	('term_offline', 'pending_review', 'school', 'reject', 'reviewer', 'rejected', NULL, true),
	('term_offline', 'returned', '', 'resubmit', 'student', 'pending_review', 'first', false);

ALTER TABLE wq.review_reason DROP CONSTRAINT review_reason_kind_check,
	ADD CONSTRAINT review_reason_kind_check CHECK (kind IN ('online', 'offline', 'registration', 'destination',
		'term_online', 'term_offline', 'term_cause'));
INSERT INTO wq.review_reason (kind, code, label, sort) VALUES
	('term_online', 'not_agreed', '双方未协商一致', 1),
	('term_online', 'incomplete', '材料不全', 2),
	('term_online', 'other', '其他', 3),
	('term_offline', 'letter_invalid', '解约函无效或未盖章', 1),
	('term_offline', 'info_wrong', '解约信息有误', 2),
	('term_offline', 'incomplete', '材料不全', 3),
	('term_offline', 'other', '其他', 4),
	-- 解约原因, recorded when a termination is approved
	('term_cause', 'mutual', '双方协商一致', 1),
	('term_cause', 'employer', '单位原因', 2),
	('term_cause', 'personal', '毕业生个人原因', 3),
	('term_cause', 'unilateral', '学生单方面解约', 4);

ALTER TABLE wq.attachment DROP CONSTRAINT attachment_role_check,
	ADD CONSTRAINT attachment_role_check CHECK (role IN ('stamped', 'paper', 'proof', 'letter', 'evidence'));
SET LOCAL ROLE wq_owner;

-- ---------------------------------------------------------------------------
-- Terminations (解约)
-- ---------------------------------------------------------------------------
CREATE TABLE wq.termination (
	id             bigint PRIMARY KEY DEFAULT nextval('wq.item_id'),
	kind           text NOT NULL CHECK (kind IN ('term_online', 'term_offline')),
	school_code    text NOT NULL REFERENCES wq.school CHECK (wq.text_ok(school_code, 16, false)),
	dept           text NOT NULL CHECK (wq.text_ok(dept, 100, false)),
	student_id     bigint NOT NULL REFERENCES wq.student,
	agreement_id   bigint NOT NULL REFERENCES wq.agreement,
	initiator      text NOT NULL CHECK (initiator IN ('student', 'employer')),
	apply_reason   text NOT NULL DEFAULT '' CHECK (wq.text_ok(apply_reason, 500, true)),  -- the applicant's
	cause          text CHECK (cause IN ('mutual', 'employer', 'personal', 'unilateral')),  -- 解约原因
	force_note     text CHECK (wq.text_ok(force_note, 500, true)),                        -- 强制解约
	state          text NOT NULL,
	review_level   text CHECK (review_level IN ('dept', 'school')),
	reason_category text CHECK (wq.text_ok(reason_category, 32, false)),
	reason         text CHECK (wq.text_ok(reason, 500, true)),
	version        integer NOT NULL DEFAULT 1,
	created_at     timestamptz NOT NULL DEFAULT now(),
	updated_at     timestamptz NOT NULL DEFAULT now(),
	updated_by     text NOT NULL DEFAULT session_user CHECK (wq.text_ok(updated_by, 64, false)),
	CHECK (kind = 'term_online' OR initiator = 'student'),
	CONSTRAINT termination_state_known CHECK (wq.item_state_known(kind, state))
);
CREATE INDEX termination_school_updated ON wq.termination (school_code, updated_at, id);
CREATE INDEX termination_dept_updated ON wq.termination (school_code, dept, updated_at, id);
CREATE INDEX termination_school_review ON wq.termination (school_code, updated_at, id) WHERE state = 'pending_review';
CREATE INDEX termination_dept_review ON wq.termination (school_code, dept, updated_at, id) WHERE state = 'pending_review';
CREATE INDEX termination_student ON wq.termination (student_id);
-- one open termination an agreement
CREATE UNIQUE INDEX termination_one_open ON wq.termination (agreement_id)
	WHERE state IN ('awaiting_employer', 'awaiting_student', 'pending_review', 'returned');

ALTER TABLE wq.termination ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.termination FORCE ROW LEVEL SECURITY;
CREATE POLICY termination_scope ON wq.termination TO wq_owner
	USING ((SELECT wq.is_operator()) OR (SELECT wq.caller_kind()) = 'portal'
	       OR (school_code = (SELECT wq.caller_school())
	           AND ((SELECT wq.caller_dept()) IS NULL OR dept = (SELECT wq.caller_dept()))))
	WITH CHECK ((SELECT wq.is_operator()) OR (SELECT wq.caller_kind()) = 'portal');
REVOKE ALL ON wq.termination FROM PUBLIC;
-- a school user attaches the evidence of a 强制解约 to its own school's item
CREATE POLICY attachment_school_insert ON wq.attachment FOR INSERT TO wq_owner
	WITH CHECK (school_code = (SELECT wq.caller_school()) AND (SELECT wq.caller_kind()) = 'school');

-- Each graduate's 毕业去向 (0021), with 70 after a termination.  PL/pgSQL,
-- so that a session keeps its plan: the triggers call it on every signing
-- (an SQL function with a SET clause is parsed again at each call).
CREATE OR REPLACE FUNCTION wq.student_destination(p_student bigint) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = p_student AND a.state = 'signed') THEN
		RETURN '10';
	END IF;
	RETURN coalesce((SELECT d.code FROM wq.destination d WHERE d.student_id = p_student AND d.state = 'approved'),
		CASE WHEN EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = p_student AND a.state = 'terminated')
		     THEN '70' END);
END
$$;
RESET ROLE;

-- ---------------------------------------------------------------------------
-- The engine: terminations are a table of items too
-- ---------------------------------------------------------------------------
GRANT SELECT, UPDATE ON wq.termination TO wq_engine;
GRANT USAGE, CREATE ON SCHEMA wq TO wq_engine;
SET LOCAL ROLE wq_engine;

-- 0021's, with wq.termination.
CREATE OR REPLACE FUNCTION wq.item_lock(p_id bigint, me record, p_actor text) RETURNS wq.item_head
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	h wq.item_head;
BEGIN
	SELECT 'agreement', x.id, x.kind, x.school_code, x.dept, x.student_id, x.state, x.review_level, x.version,
	       x.updated_by, x.updated_at INTO h
	  FROM wq.agreement x WHERE x.id = p_id
	   AND (me.operator OR me.kind = 'portal'
	        OR (x.school_code = me.school AND (me.dept IS NULL OR x.dept = me.dept)))
	   FOR UPDATE;
	IF FOUND THEN
		RETURN h;
	END IF;
	SELECT 'termination', x.id, x.kind, x.school_code, x.dept, x.student_id, x.state, x.review_level, x.version,
	       x.updated_by, x.updated_at INTO h
	  FROM wq.termination x WHERE x.id = p_id
	   AND (me.operator OR me.kind = 'portal'
	        OR (x.school_code = me.school AND (me.dept IS NULL OR x.dept = me.dept)))
	   FOR UPDATE;
	IF FOUND THEN
		RETURN h;
	END IF;
	SELECT 'destination', x.id, x.kind, x.school_code, x.dept, x.student_id, x.state, x.review_level, x.version,
	       x.updated_by, x.updated_at INTO h
	  FROM wq.destination x WHERE x.id = p_id
	   AND (me.operator OR me.kind = 'portal' OR p_actor = 'system'
	        OR (x.school_code = me.school AND (me.dept IS NULL OR x.dept = me.dept)))
	   FOR UPDATE;
	IF FOUND THEN
		RETURN h;
	END IF;
	RETURN NULL;
END
$$;

-- Applies transition t to termination h: the 解约原因 of an approval, the
-- note of a 强制解约, a resubmission's reason; and when it succeeds, ends
-- the agreement.  p_category of a 通过 that approves: the 解约原因 (a code of
-- wq.review_reason kind 'term_cause'; an online termination's is 双方协商一致).
-- p_changes: 'note' (强制解约), 'reason' (a resubmission's).
CREATE FUNCTION wq.termination_apply(h wq.item_head, t wq.transition, st wq.school_settings, p_level text,
	p_category text, p_reason text, p_changes jsonb) RETURNS wq.item_applied
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	x       wq.termination;
	v_cause text;
	r       wq.item_applied;
BEGIN
	SELECT * INTO x FROM wq.termination WHERE id = h.id;
	IF t.to_state = 'approved' THEN
		v_cause := CASE WHEN x.kind = 'term_online' THEN coalesce(p_category, 'mutual') ELSE p_category END;
		IF v_cause IS NULL OR NOT EXISTS (SELECT 1 FROM wq.review_reason c WHERE c.kind = 'term_cause' AND c.code = v_cause) THEN
			RAISE EXCEPTION '通过解约须选择解约原因（%）', (SELECT string_agg(c.label, '、' ORDER BY c.sort)
				FROM wq.review_reason c WHERE c.kind = 'term_cause') USING ERRCODE = 'invalid_parameter_value';
		END IF;
		IF v_cause = 'unilateral' THEN
			IF (wq.caller()).kind IS DISTINCT FROM 'school' THEN
				RAISE EXCEPTION '“学生单方面解约”只能由学校用户选择' USING ERRCODE = 'insufficient_privilege';
			END IF;
			IF NOT EXISTS (SELECT 1 FROM wq.agreement a JOIN wq.employer e ON e.credit_code = a.employer_code
			               WHERE a.id = x.agreement_id AND e.status = 'cancelled') THEN
				RAISE EXCEPTION '“学生单方面解约”只用于经营状态为注销、无法提供材料的单位' USING ERRCODE = 'invalid_parameter_value';
			END IF;
		END IF;
	END IF;
	IF t.action = 'force' AND coalesce(btrim(p_changes->>'note'), '') = '' THEN
		RAISE EXCEPTION '强制解约须填写说明' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	UPDATE wq.termination SET
		state = t.to_state, review_level = p_level,
		reason_category = CASE WHEN t.needs_reason THEN p_category ELSE reason_category END,
		reason = CASE WHEN t.needs_reason THEN p_reason ELSE reason END,
		cause = coalesce(v_cause, CASE WHEN t.action = 'force' THEN 'mutual' END, cause),
		force_note = CASE WHEN t.action = 'force' THEN btrim(p_changes->>'note') ELSE force_note END,
		apply_reason = CASE WHEN t.action = 'resubmit' THEN coalesce(p_changes->>'reason', apply_reason)
		                    ELSE apply_reason END,
		version = version + 1, updated_at = now(), updated_by = session_user
	 WHERE id = h.id
	RETURNING * INTO x;
	-- a termination that succeeds ends the agreement, in this transaction
	IF x.state IN ('approved', 'forced') THEN
		PERFORM wq.item_act(x.agreement_id, 'terminate', 'system', NULL, NULL, NULL, NULL);
	END IF;
	r.state := x.state;
	r.review_level := x.review_level;
	r.version := x.version;
	r.label := wq.verb_label(wq.item_state_label(x.kind, x.state), x.school_code);
	r.notice := format('您的解约申请（协议书编号 %s）：%s', (SELECT a.protocol_no FROM wq.agreement a WHERE a.id = x.agreement_id),
		r.label) || CASE WHEN x.cause IS NOT NULL AND x.state IN ('approved', 'forced')
		THEN format('，解约原因：%s', (SELECT c.label FROM wq.review_reason c WHERE c.kind = 'term_cause' AND c.code = x.cause))
		ELSE '' END;
	RETURN r;
END
$$;

-- 0021's, with wq.termination.
CREATE OR REPLACE FUNCTION wq.item_apply(h wq.item_head, t wq.transition, st wq.school_settings, p_level text,
	p_category text, p_reason text, p_changes jsonb) RETURNS wq.item_applied
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN CASE h.entity
		WHEN 'agreement' THEN wq.agreement_apply(h, t, st, p_level, p_category, p_reason, p_changes)
		WHEN 'termination' THEN wq.termination_apply(h, t, st, p_level, p_category, p_reason, p_changes)
		WHEN 'destination' THEN wq.destination_apply(h, t, st, p_level, p_category, p_reason, p_changes) END;
END
$$;
RESET ROLE;
GRANT EXECUTE ON FUNCTION wq.verb_label(text, text) TO wq_engine;
GRANT SELECT ON wq.school, wq.province TO wq_engine;
REVOKE CREATE ON SCHEMA wq FROM wq_engine;
SET LOCAL ROLE wq_owner;

-- ---------------------------------------------------------------------------
-- wq_api: the portal's side
-- ---------------------------------------------------------------------------

-- p_as ('student' or 'employer') asks to terminate agreement p_agreement
-- (signed), with a reason and (线下解约: required) its 解约函.  Online: the
-- other side answers next; offline: the review starts.  The graduate's
-- applications count against the school's 最大次数.  Returns its id.
CREATE FUNCTION wq_api.termination_start(p_agreement bigint, p_as text, p_reason text DEFAULT NULL,
	p_file_name text DEFAULT NULL, p_data bytea DEFAULT NULL, p_request_id uuid DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	a      wq.agreement;
	st     wq.school_settings;
	x      wq.termination;
	v_ev   wq.event;
	v_used integer;
BEGIN
	PERFORM wq.check_arg(p_as, 16, '身份');
	PERFORM wq.check_arg(p_reason, 500, '解约理由');
	PERFORM wq.check_arg(p_file_name, 200, '文件名');
	PERFORM wq.require_portal();
	IF p_as IS NULL OR p_as NOT IN ('student', 'employer') THEN
		RAISE EXCEPTION '身份应为 student 或 employer' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_request_id IS NOT NULL THEN
		SELECT * INTO v_ev FROM wq.event e WHERE e.request_id = p_request_id AND e.entity = 'termination'
		   AND e.action = 'create';
		IF FOUND THEN
			RETURN v_ev.entity_id::bigint;
		END IF;
	END IF;
	-- the agreement's row: two requests for one agreement queue here
	SELECT * INTO a FROM wq.agreement WHERE id = p_agreement FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION '没有编号为 % 的协议', p_agreement USING ERRCODE = 'no_data_found';
	END IF;
	IF a.state <> 'signed' THEN
		RAISE EXCEPTION '只有签约成功的协议可以解约（当前状态：%）', wq.item_state_label(a.kind, a.state)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF a.kind <> 'online' AND p_as <> 'student' THEN
		RAISE EXCEPTION '线下签约和补登的协议由毕业生申请解约' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF a.kind <> 'online' AND p_data IS NULL THEN
		RAISE EXCEPTION '线下解约须上传解约函' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF EXISTS (SELECT 1 FROM wq.termination t WHERE t.agreement_id = a.id
	           AND t.state IN ('awaiting_employer', 'awaiting_student', 'pending_review', 'returned')) THEN
		RAISE EXCEPTION '该协议已有未结束的解约申请' USING ERRCODE = 'unique_violation';
	END IF;
	SELECT * INTO st FROM wq.school_settings WHERE school_code = a.school_code;
	IF p_as = 'student' THEN
		SELECT count(*) INTO v_used FROM wq.termination t WHERE t.student_id = a.student_id AND t.initiator = 'student';
		IF v_used >= st.max_terminations THEN
			RAISE EXCEPTION '已达到学校规定的解约申请最大次数（% 次），不能再申请解约', st.max_terminations
				USING ERRCODE = 'check_violation';
		END IF;
	END IF;
	INSERT INTO wq.termination (kind, school_code, dept, student_id, agreement_id, initiator, apply_reason, state,
		review_level)
	VALUES (CASE WHEN a.kind = 'online' THEN 'term_online' ELSE 'term_offline' END, a.school_code, a.dept,
		a.student_id, a.id, p_as, coalesce(btrim(p_reason), ''),
		CASE WHEN a.kind <> 'online' THEN 'pending_review' WHEN p_as = 'student' THEN 'awaiting_employer'
		     ELSE 'awaiting_student' END,
		CASE WHEN a.kind = 'online' THEN NULL WHEN st.review_mode = 'dept_then_school' THEN 'dept' ELSE 'school' END)
	RETURNING * INTO x;
	INSERT INTO wq.event (school_code, dept, entity, entity_id, action, to_state, after, request_id)
	VALUES (x.school_code, x.dept, 'termination', x.id::text, 'create', x.state,
	        jsonb_build_object('id', x.id, 'kind', x.kind, 'agreement', x.agreement_id, 'initiator', x.initiator,
	                           'level', x.review_level), p_request_id);
	IF p_data IS NOT NULL THEN
		PERFORM wq.item_attachment_store(x.id, 'termination', x.school_code, x.dept, 'letter', p_file_name, p_data);
	END IF;
	INSERT INTO wq.notice (student_id, item_id, school_code, dept, text)
	VALUES (x.student_id, x.id, x.school_code, x.dept,
	        format('您的解约申请（协议书编号 %s）：%s', a.protocol_no,
	               wq.verb_label(wq.item_state_label(x.kind, x.state), x.school_code)));
	PERFORM pg_notify('wq_items_' || x.school_code, '');
	RETURN x.id;
EXCEPTION
	WHEN unique_violation THEN
		RAISE EXCEPTION '%', CASE WHEN SQLERRM LIKE '%termination_one_open%' THEN '该协议已有未结束的解约申请'
			ELSE SQLERRM END USING ERRCODE = 'unique_violation';
END
$$;

-- The other side answers an online termination: p_as 'employer' (to the
-- graduate's request) or 'student' (to the employer's), agreeing or not.
CREATE FUNCTION wq_api.termination_answer(p_id bigint, p_as text, p_agree boolean, p_request_id uuid DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM wq.check_arg(p_as, 16, '身份');
	PERFORM wq.require_portal();
	IF p_as IS NULL OR p_as NOT IN ('student', 'employer') OR p_agree IS NULL THEN
		RAISE EXCEPTION '身份应为 student 或 employer，并说明同意与否' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM wq.termination x WHERE x.id = p_id) THEN
		RAISE EXCEPTION '没有编号为 % 的解约申请', p_id USING ERRCODE = 'no_data_found';
	END IF;
	RETURN wq.item_act(p_id, CASE WHEN p_agree THEN 'agree' ELSE 'refuse' END, p_as, NULL, p_request_id, NULL, NULL);
END
$$;

-- The graduate resubmits a returned offline termination (a new reason, another 解约函).
CREATE FUNCTION wq_api.termination_resubmit(p_id bigint, p_reason text DEFAULT NULL, p_file_name text DEFAULT NULL,
	p_data bytea DEFAULT NULL, p_request_id uuid DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	x     wq.termination;
	v_out jsonb;
BEGIN
	PERFORM wq.check_arg(p_reason, 500, '解约理由');
	PERFORM wq.check_arg(p_file_name, 200, '文件名');
	PERFORM wq.require_portal();
	SELECT * INTO x FROM wq.termination WHERE id = p_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION '没有编号为 % 的解约申请', p_id USING ERRCODE = 'no_data_found';
	END IF;
	v_out := wq.item_act(p_id, 'resubmit', 'student', NULL, p_request_id, NULL, NULL,
		jsonb_strip_nulls(jsonb_build_object('reason', btrim(p_reason))));
	IF p_data IS NOT NULL AND NOT coalesce((v_out->>'replayed')::boolean, false) THEN
		PERFORM wq.item_attachment_store(x.id, 'termination', x.school_code, x.dept, 'letter', p_file_name, p_data);
	END IF;
	RETURN v_out;
END
$$;

-- ---------------------------------------------------------------------------
-- wq_api: the school's side
-- ---------------------------------------------------------------------------

-- 强制解约 (school users only, never a department clerk): while the
-- employer has not answered the graduate's request, with a note and
-- optionally evidence.  The same effect as an approval.
CREATE FUNCTION wq_api.termination_force(p_id bigint, p_note text, p_file_name text DEFAULT NULL,
	p_data bytea DEFAULT NULL, p_request_id uuid DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	x     wq.termination;
	v_out jsonb;
BEGIN
	PERFORM wq.check_arg(p_note, 500, '强制解约说明');
	PERFORM wq.check_arg(p_file_name, 200, '文件名');
	IF (wq.caller()).kind IS DISTINCT FROM 'school' THEN
		RAISE EXCEPTION '强制解约只能由学校用户执行' USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT * INTO x FROM wq.termination WHERE id = p_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION '没有编号为 % 的事项，或不在您的范围内', p_id USING ERRCODE = 'no_data_found';
	END IF;
	v_out := wq.item_act(p_id, 'force', 'school', NULL, p_request_id, NULL, NULL, jsonb_build_object('note', p_note));
	IF p_data IS NOT NULL AND NOT coalesce((v_out->>'replayed')::boolean, false) THEN
		PERFORM wq.item_attachment_store(x.id, 'termination', x.school_code, x.dept, 'evidence', p_file_name, p_data);
	END IF;
	RETURN v_out;
END
$$;

-- The caller's terminations, in id order after p_after_id: p_state one
-- state or NULL; p_waiting: only those the caller may decide now.
CREATE FUNCTION wq_api.terminations(p_state text DEFAULT NULL, p_waiting boolean DEFAULT false,
	p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 200)
RETURNS TABLE (id bigint, kind text, state text, state_label text, review_level text, level_label text,
	version integer, agreement_id bigint, agreement_kind text, protocol_no text, initiator text, apply_reason text,
	cause text, cause_label text, force_note text, student_no text, student_name text, dept text,
	employer_code text, employer_name text, employer_status text, updated_at timestamptz, actions text[])
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 200 SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me record;
BEGIN
	PERFORM wq.check_arg(p_state, 32, '状态');
	me := wq.caller();
	IF me.kind IS DISTINCT FROM 'school' AND me.kind IS DISTINCT FROM 'dept' AND NOT me.operator THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看解约申请' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_limit NOT BETWEEN 1 AND 10000 THEN
		RAISE EXCEPTION '每页条数应为 1 到 10000' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	SELECT x.id, x.kind, x.state, wq.verb_label(wq.item_state_label(x.kind, x.state), x.school_code), x.review_level,
	       wq.verb_label(wq.item_level_label(x.review_level, st.review_mode), x.school_code), x.version,
	       a.id, a.kind, a.protocol_no, x.initiator, x.apply_reason, x.cause,
	       (SELECT c.label FROM wq.review_reason c WHERE c.kind = 'term_cause' AND c.code = x.cause), x.force_note,
	       s.student_no, s.name, x.dept, e.credit_code, e.name, wq.employer_status_label(e.status), x.updated_at,
	       acts.actions
	  FROM wq.termination x
	  JOIN wq.agreement a ON a.id = x.agreement_id
	  JOIN wq.student s ON s.id = x.student_id
	  JOIN wq.employer e ON e.credit_code = a.employer_code
	  JOIN wq.school_settings st ON st.school_code = x.school_code
	 CROSS JOIN LATERAL (
		SELECT coalesce(array_agg(t.action ORDER BY CASE t.action WHEN 'pass' THEN 1 WHEN 'return' THEN 2 ELSE 3 END),
		                '{}') || CASE WHEN me.kind = 'school' AND x.state = 'awaiting_employer'
		                              THEN ARRAY['force'] ELSE '{}'::text[] END AS actions
		  FROM wq.transition t
		 WHERE t.kind = x.kind AND t.from_state = x.state AND t.actor = 'reviewer'
		   AND t.from_level = wq.item_effective_level(x.review_level, st.review_mode)
		   AND t.from_level = CASE me.kind WHEN 'school' THEN 'school' WHEN 'dept' THEN 'dept' END) acts
	 WHERE (p_state IS NULL OR x.state = p_state)
	   AND (p_after_id IS NULL OR x.id > p_after_id)
	   AND (NOT p_waiting OR cardinality(acts.actions) > 0)
	 ORDER BY x.id
	 LIMIT p_limit;
END
$$;

-- An item's history (0021), terminations too.
CREATE OR REPLACE FUNCTION wq_api.item_history(p_id bigint)
RETURNS TABLE (at timestamptz, actor_name text, actor_kind text, action text, from_state text,
	to_state text, to_label text, category text, reason text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF wq.caller_review_level() IS NULL AND NOT wq.is_operator() THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看处理记录' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF EXISTS (SELECT 1 FROM wq.agreement a WHERE a.id = p_id) THEN
		RETURN QUERY SELECT * FROM wq_api.agreement_history(p_id);
		RETURN;
	END IF;
	RETURN QUERY
	SELECT e.at, who.name, who.kind, e.action, e.from_state, e.to_state,
	       wq.verb_label(wq.item_state_label(i.kind, e.to_state), i.school_code), e.after->>'category', e.reason
	  FROM (SELECT d.id, d.kind, d.school_code, 'destination' AS entity FROM wq.destination d WHERE d.id = p_id
	        UNION ALL
	        SELECT x.id, x.kind, x.school_code, 'termination' FROM wq.termination x WHERE x.id = p_id) i
	  JOIN wq.event e ON e.entity = i.entity AND e.entity_id = i.id::text
	 CROSS JOIN LATERAL wq.actor_of(e.actor) who
	 ORDER BY e.id;
END
$$;

REVOKE ALL ON FUNCTION wq_api.termination_start(bigint, text, text, text, bytea, uuid),
	wq_api.termination_answer(bigint, text, boolean, uuid),
	wq_api.termination_resubmit(bigint, text, text, bytea, uuid),
	wq_api.termination_force(bigint, text, text, bytea, uuid),
	wq_api.terminations(text, boolean, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.termination_start(bigint, text, text, text, bytea, uuid),
	wq_api.termination_answer(bigint, text, boolean, uuid),
	wq_api.termination_resubmit(bigint, text, text, bytea, uuid) TO wq_portal, wq_operator;
GRANT EXECUTE ON FUNCTION wq_api.termination_force(bigint, text, text, bytea, uuid) TO wq_school;
GRANT EXECUTE ON FUNCTION wq_api.terminations(text, boolean, bigint, integer) TO wq_school, wq_dept, wq_operator;

RESET ROLE;
