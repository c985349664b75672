-- 0021_destinations: 去向登记管理, and each graduate's 毕业去向.
--
-- A destination registration (去向登记) is an item like an agreement: a row
-- of wq.destination with a kind ('destination'), a state, a review level
-- and a version, moved by the rows of wq.transition and by the one engine.
-- The engine becomes wq.item_act: the same steps for every kind (lock in
-- the caller's scope, replay a request id, version, transition, level,
-- reason, event, notice, NOTIFY), with the few that differ by the table the
-- item lives in.  wq.agreement_act (0016, 0019) now calls it.
--
-- Each graduate's 毕业去向 is derived in one place, wq.student_destination:
-- a valid agreement gives 10; else an approved registration gives its code;
-- else (terminations, next) 70 after a termination; else none (未登记).  It
-- is kept in wq.student.destination_code (0003: "filled by later modules")
-- by triggers on the rows it depends on, so that the roster's column, its
-- filter and sort, the export and the statistics read one column.  No index
-- holds the column, so that keeping it is a HOT update of the student's row.
--
-- When a graduate starts a signing (accepts an invitation, applies offline,
-- submits a 补登) its open registration (pending, returned or approved)
-- becomes 已作废; a registration is refused while the graduate holds a
-- valid agreement or another open registration.

SET LOCAL ROLE wq_owner;

-- ---------------------------------------------------------------------------
-- States and transitions
-- ---------------------------------------------------------------------------
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
		WHEN 'withdrawn' THEN '单位已撤回' END
	WHEN 'offline' THEN CASE p_state
		WHEN 'draft_review' THEN '就业协议审核中'
		WHEN 'draft_returned' THEN '就业协议退回修改'
		WHEN 'voided' THEN '申请已作废'
		WHEN 'issued' THEN '待回传协议书'
		WHEN 'signing_review' THEN '签约审核中'
		WHEN 'signing_returned' THEN '签约退回修改'
		WHEN 'signing_rejected' THEN '签约审核不通过'
		WHEN 'signed' THEN '签约成功' END
	WHEN 'registration' THEN CASE p_state
		WHEN 'reg_review' THEN '签约审核中'
		WHEN 'reg_returned' THEN '退回修改'
		WHEN 'reg_rejected' THEN '签约审核不通过'
		WHEN 'signed' THEN '签约审核通过' END
	WHEN 'destination' THEN CASE p_state
		WHEN 'pending' THEN '去向登记审核中'
		WHEN 'returned' THEN '去向登记退回修改'
		WHEN 'rejected' THEN '去向登记审核不通过'
		WHEN 'approved' THEN '去向登记审核通过'
		WHEN 'voided' THEN '已作废' END
	END
$$;

CREATE OR REPLACE FUNCTION wq.item_start_state(p_kind text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_kind WHEN 'online' THEN 'invited' WHEN 'offline' THEN 'draft_review'
	                   WHEN 'registration' THEN 'reg_review' WHEN 'destination' THEN 'pending' END
$$;

ALTER TABLE wq.transition DROP CONSTRAINT transition_kind_check,
	ADD CONSTRAINT transition_kind_check CHECK (kind IN ('online', 'offline', 'registration', 'destination'));
ALTER TABLE wq.transition DROP CONSTRAINT transition_action_check,
	ADD CONSTRAINT transition_action_check CHECK (action IN ('accept', 'decline', 'withdraw', 'expire', 'resubmit',
		'upload', 'pass', 'return', 'reject', 'void'));

-- (the rows as the migrating role: the tables' policies only let wq_owner read them)
RESET ROLE;
INSERT INTO wq.transition VALUES
	('destination', 'pending', 'dept', 'pass', 'reviewer', 'pending', 'school', false),
	('destination', 'pending', 'school', 'pass', 'reviewer', 'approved', NULL, false),
	('destination', 'pending', 'dept', 'return', 'reviewer', 'returned', NULL, true),
	('destination', 'pending', 'school', 'return', 'reviewer', 'returned', NULL, true),
	('destination', 'pending', 'dept', 'reject', 'reviewer', 'rejected', NULL, true),
	('destination', 'pending', 'school', 'reject', 'reviewer', 'rejected', NULL, true),
	('destination', 'returned', '', 'resubmit', 'student', 'pending', 'first', false),
	-- the graduate starts a signing, or the school changes the destination
	('destination', 'pending', '', 'void', 'system', 'voided', NULL, false),
	('destination', 'returned', '', 'void', 'system', 'voided', NULL, false),
	('destination', 'approved', '', 'void', 'system', 'voided', NULL, false);

ALTER TABLE wq.review_reason DROP CONSTRAINT review_reason_kind_check,
	ADD CONSTRAINT review_reason_kind_check CHECK (kind IN ('online', 'offline', 'registration', 'destination'));
INSERT INTO wq.review_reason (kind, code, label, sort) VALUES
	('destination', 'info_wrong', '去向信息有误', 1),
	('destination', 'proof_mismatch', '证明材料与去向不符', 2),
	('destination', 'incomplete', '材料不全', 3),
	('destination', 'other', '其他', 4);
SET LOCAL ROLE wq_owner;

-- ---------------------------------------------------------------------------
-- Destination registrations (去向登记)
-- ---------------------------------------------------------------------------
CREATE TABLE wq.destination (
	id             bigint PRIMARY KEY DEFAULT nextval('wq.item_id'),
	kind           text NOT NULL DEFAULT 'destination' CHECK (kind = 'destination'),
	school_code    text NOT NULL REFERENCES wq.school CHECK (wq.text_ok(school_code, 16, false)),
	dept           text NOT NULL CHECK (wq.text_ok(dept, 100, false)),
	student_id     bigint NOT NULL REFERENCES wq.student,
	code           text NOT NULL CHECK (code IN ('11', '12', '27', '46', '50', '51', '70', '71', '72', '75',
	                                             '76', '80', '85')),           -- 毕业去向代码 (10: agreements only)
	-- the fields a code needs (wq.destination_fields)
	subtype        text CHECK (subtype IN ('聘用证明', '公招接收函', '士官', '医学规培', '国际组织', '出国出境工作',
	                                       '专升本', '第二学位', '研究生')),
	employer_code  text REFERENCES wq.employer CHECK (wq.text_ok(employer_code, 18, false)),
	unit_name      text CHECK (wq.text_ok(unit_name, 100, false)),
	enterprise     text CHECK (wq.text_ok(enterprise, 100, false)),
	enterprise_uscc text CHECK (wq.credit_code_valid(enterprise_uscc)),
	description    text CHECK (wq.text_ok(description, 500, true)),
	institution    text CHECK (wq.text_ok(institution, 100, false)),
	country        text CHECK (wq.text_ok(country, 50, false)),
	source         text NOT NULL DEFAULT 'student' CHECK (source IN ('student', 'school')),  -- 修改去向: 'school'
	state          text NOT NULL,
	review_level   text CHECK (review_level IN ('dept', 'school')),
	reason_category text CHECK (wq.text_ok(reason_category, 32, false)),
	reason         text CHECK (wq.text_ok(reason, 500, true)),
	version        integer NOT NULL DEFAULT 1,
	created_at     timestamptz NOT NULL DEFAULT now(),
	updated_at     timestamptz NOT NULL DEFAULT now(),
	updated_by     text NOT NULL DEFAULT session_user CHECK (wq.text_ok(updated_by, 64, false)),
	CONSTRAINT destination_state_known CHECK (wq.item_state_known(kind, state))
);
-- the queue of 去向登记管理: a school's (a 院系's) registrations by 等待, those in review on their own
CREATE INDEX destination_school_updated ON wq.destination (school_code, updated_at, id);
CREATE INDEX destination_dept_updated ON wq.destination (school_code, dept, updated_at, id);
CREATE INDEX destination_school_review ON wq.destination (school_code, updated_at, id) WHERE state = 'pending';
CREATE INDEX destination_dept_review ON wq.destination (school_code, dept, updated_at, id) WHERE state = 'pending';
CREATE INDEX destination_student ON wq.destination (student_id);
-- a graduate has at most one open registration
CREATE UNIQUE INDEX destination_one_open ON wq.destination (student_id) WHERE state IN ('pending', 'returned', 'approved');

ALTER TABLE wq.destination ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.destination FORCE ROW LEVEL SECURITY;
CREATE POLICY destination_scope ON wq.destination TO wq_owner
	USING ((SELECT wq.is_operator()) OR (SELECT wq.caller_kind()) = 'portal'
	       OR (school_code = (SELECT wq.caller_school())
	           AND ((SELECT wq.caller_dept()) IS NULL OR dept = (SELECT wq.caller_dept()))))
	WITH CHECK ((SELECT wq.is_operator()) OR (SELECT wq.caller_kind()) = 'portal'
	       OR (school_code = (SELECT wq.caller_school()) AND (SELECT wq.caller_kind()) = 'school'));
REVOKE ALL ON wq.destination FROM PUBLIC;

-- Attachments belong to items of any kind (ids are unique across kinds):
-- the proofs (证明材料) of a registration too.
ALTER TABLE wq.attachment DROP CONSTRAINT attachment_item_id_fkey;
ALTER TABLE wq.attachment DROP CONSTRAINT attachment_role_check,
	ADD CONSTRAINT attachment_role_check CHECK (role IN ('stamped', 'paper', 'proof'));

-- The fields of code p_code from p_fields (keys: employer, unit_name,
-- subtype, enterprise, uscc, description, institution, study_level,
-- country), checked and as wq.destination's columns.  A missing or an
-- unexpected field is refused, naming it.
CREATE FUNCTION wq.destination_fields(p_code text, p_fields jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	f      jsonb := coalesce(p_fields, '{}');
	v_need text[];
	v_key  text;
	v_out  jsonb := '{}';
	labels constant jsonb := '{"employer": "用人单位（统一社会信用代码）", "unit_name": "单位名称",
		"subtype": "类别", "enterprise": "创业企业名称", "uscc": "创业企业统一社会信用代码",
		"description": "自由职业说明", "institution": "学校或机构", "study_level": "升学层次",
		"country": "国家或地区"}';
BEGIN
	PERFORM wq.check_arg(p_code, 4, '毕业去向代码');
	PERFORM wq.check_arg(f::text, 4000, '去向字段');
	IF p_code = '10' THEN
		RAISE EXCEPTION '毕业去向 10（签就业协议形式就业）只来自就业协议，不能登记' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	v_need := CASE
		WHEN p_code IN ('11', '27', '50', '51') THEN ARRAY['unit']
		WHEN p_code = '12' THEN ARRAY['unit', 'subtype']
		WHEN p_code = '75' THEN ARRAY['enterprise', 'uscc']
		WHEN p_code = '76' THEN ARRAY['description']
		WHEN p_code = '80' THEN ARRAY['institution', 'study_level']
		WHEN p_code = '85' THEN ARRAY['country', 'institution']
		WHEN p_code IN ('46', '70', '71', '72') THEN ARRAY[]::text[] END;
	IF v_need IS NULL THEN
		RAISE EXCEPTION '毕业去向代码“%”不是可登记的代码（11、12、27、46、50、51、70、71、72、75、76、80、85）', p_code
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	FOR v_key IN SELECT jsonb_object_keys(f) LOOP
		IF NOT (v_key = ANY (v_need) OR (v_key IN ('employer', 'unit_name') AND 'unit' = ANY (v_need))) THEN
			RAISE EXCEPTION '毕业去向 % 不需要字段：%', p_code, coalesce(labels->>v_key, v_key)
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		IF jsonb_typeof(f->v_key) <> 'string' OR btrim(f->>v_key) = '' THEN
			RAISE EXCEPTION '字段不能为空：%', coalesce(labels->>v_key, v_key) USING ERRCODE = 'invalid_parameter_value';
		END IF;
		PERFORM wq.check_arg(f->>v_key, 500, labels->>v_key);
	END LOOP;
	FOREACH v_key IN ARRAY v_need LOOP
		IF v_key = 'unit' THEN
			IF (f ? 'employer') = (f ? 'unit_name') THEN
				RAISE EXCEPTION '毕业去向 % 需要用人单位：统一社会信用代码（--employer）或单位名称（--unit-name），二选一', p_code
					USING ERRCODE = 'invalid_parameter_value';
			END IF;
		ELSIF NOT f ? v_key THEN
			RAISE EXCEPTION '毕业去向 % 缺少字段：%', p_code, labels->>v_key USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END LOOP;
	IF f ? 'employer' AND NOT EXISTS (SELECT 1 FROM wq.employer e WHERE e.credit_code = f->>'employer') THEN
		RAISE EXCEPTION '没有统一社会信用代码为 % 的单位', f->>'employer' USING ERRCODE = 'no_data_found';
	END IF;
	IF f ? 'uscc' AND NOT coalesce(wq.credit_code_valid(f->>'uscc'), false) THEN
		RAISE EXCEPTION '创业企业统一社会信用代码“%”不正确', f->>'uscc' USING ERRCODE = 'check_violation';
	END IF;
	IF p_code = '12' AND f->>'subtype' NOT IN ('聘用证明', '公招接收函', '士官', '医学规培', '国际组织', '出国出境工作') THEN
		RAISE EXCEPTION '类别应为 聘用证明、公招接收函、士官、医学规培、国际组织 或 出国出境工作' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_code = '80' AND f->>'study_level' NOT IN ('专升本', '第二学位', '研究生') THEN
		RAISE EXCEPTION '升学层次应为 专升本、第二学位 或 研究生' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	FOR v_key IN SELECT jsonb_object_keys(f) LOOP
		v_out := v_out || jsonb_build_object(CASE v_key WHEN 'employer' THEN 'employer_code'
			WHEN 'uscc' THEN 'enterprise_uscc' WHEN 'study_level' THEN 'subtype' ELSE v_key END, btrim(f->>v_key));
	END LOOP;
	RETURN v_out;
END
$$;

-- What a registration says, in words (its code's name and fields).
CREATE FUNCTION wq.destination_text(d wq.destination) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT d.code || ' ' || (SELECT c.name FROM wq.code c WHERE c.kind = 'destination' AND c.code = d.code)
	       || coalesce('（' || nullif(concat_ws('，', d.subtype,
	              coalesce((SELECT e.name FROM wq.employer e WHERE e.credit_code = d.employer_code), d.unit_name),
	              d.enterprise, d.institution, d.country, d.description), '') || '）', '')
$$;

-- ---------------------------------------------------------------------------
-- Each graduate's 毕业去向, in one place
-- ---------------------------------------------------------------------------
CREATE FUNCTION wq.student_destination(p_student bigint) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE
		WHEN EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = p_student AND a.state = 'signed') THEN '10'
		ELSE (SELECT d.code FROM wq.destination d WHERE d.student_id = p_student AND d.state = 'approved')
	END
$$;

-- Keeps wq.student.destination_code: after a change of the rows it depends on.
CREATE FUNCTION wq.student_destination_keep() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_code text := wq.student_destination(NEW.student_id);
BEGIN
	UPDATE wq.student SET destination_code = v_code
	 WHERE id = NEW.student_id AND destination_code IS DISTINCT FROM v_code;
	RETURN NULL;
END
$$;

-- A graduate who starts a signing gives up its open registration.
CREATE FUNCTION wq.signing_started() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_id bigint;
BEGIN
	FOR v_id IN SELECT d.id FROM wq.destination d
	             WHERE d.student_id = NEW.student_id AND d.state IN ('pending', 'returned', 'approved') LOOP
		PERFORM wq.item_act(v_id, 'void', 'system', NULL, NULL, NULL, NULL,
			jsonb_build_object('why', format('毕业生开始签约（协议书编号 %s）', NEW.protocol_no)));
	END LOOP;
	RETURN NULL;
END
$$;
RESET ROLE;
GRANT USAGE, CREATE ON SCHEMA wq TO wq_engine;
ALTER FUNCTION wq.student_destination_keep() OWNER TO wq_engine;
ALTER FUNCTION wq.signing_started() OWNER TO wq_engine;
-- the table's owner makes the triggers
GRANT EXECUTE ON FUNCTION wq.student_destination_keep(), wq.signing_started() TO wq_owner;
SET LOCAL ROLE wq_owner;

CREATE TRIGGER agreement_destination AFTER INSERT OR UPDATE OF state ON wq.agreement
	FOR EACH ROW WHEN (NEW.state = 'signed') EXECUTE FUNCTION wq.student_destination_keep();
CREATE TRIGGER agreement_destination_left AFTER UPDATE OF state ON wq.agreement
	FOR EACH ROW WHEN (OLD.state = 'signed' AND NEW.state <> 'signed') EXECUTE FUNCTION wq.student_destination_keep();
CREATE TRIGGER destination_keep AFTER INSERT OR UPDATE OF state, code ON wq.destination
	FOR EACH ROW EXECUTE FUNCTION wq.student_destination_keep();
CREATE TRIGGER agreement_signing_started AFTER INSERT ON wq.agreement
	FOR EACH ROW WHEN (NEW.kind IN ('offline', 'registration')) EXECUTE FUNCTION wq.signing_started();
CREATE TRIGGER agreement_invitation_accepted AFTER UPDATE OF state ON wq.agreement
	FOR EACH ROW WHEN (OLD.state = 'invited' AND NEW.state = 'pending_review') EXECUTE FUNCTION wq.signing_started();

-- the 毕业去向 of those who already hold a valid agreement
RESET ROLE;
UPDATE wq.student s SET destination_code = wq.student_destination(s.id)
 WHERE s.destination_code IS DISTINCT FROM wq.student_destination(s.id);
SET LOCAL ROLE wq_owner;

-- ---------------------------------------------------------------------------
-- The engine, for every kind
-- ---------------------------------------------------------------------------
RESET ROLE;
GRANT SELECT, UPDATE ON wq.destination TO wq_engine;
GRANT SELECT ON wq.employer, wq.code TO wq_engine;
GRANT INSERT ON wq.attachment TO wq_engine;
GRANT UPDATE (destination_code) ON wq.student TO wq_engine;
-- an UPDATE of a student checks the row's CHECKs and (when it cannot be a
-- HOT update) computes its index expressions: the engine must be able to
-- call their functions
DO $$
DECLARE
	f regprocedure;
BEGIN
	FOR f IN SELECT DISTINCT d.refobjid::regprocedure FROM pg_depend d
	          WHERE d.refclassid = 'pg_proc'::regclass
	            AND ((d.classid = 'pg_constraint'::regclass
	                  AND d.objid IN (SELECT c.oid FROM pg_constraint c WHERE c.conrelid = 'wq.student'::regclass))
	                 OR (d.classid = 'pg_class'::regclass
	                  AND d.objid IN (SELECT i.indexrelid FROM pg_index i WHERE i.indrelid = 'wq.student'::regclass))
	                 OR (d.classid = 'pg_attrdef'::regclass
	                  AND d.objid IN (SELECT a.oid FROM pg_attrdef a WHERE a.adrelid = 'wq.student'::regclass)))
	LOOP
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO wq_engine', f);
	END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION wq.student_destination(bigint), wq.destination_text(wq.destination),
	wq.credit_code_valid(text) TO wq_engine;
SET LOCAL ROLE wq_engine;

-- An item's head: what the engine reads of an item of any kind.
CREATE TYPE wq.item_head AS (entity text, id bigint, kind text, school_code text, dept text, student_id bigint,
	state text, review_level text, version integer, updated_by text, updated_at timestamptz);
-- What applying a transition left: the item's state, level and version, its
-- state's label, the graduate's notice (without the reason), and the fields
-- a resubmission changed (for the event).
CREATE TYPE wq.item_applied AS (state text, review_level text, version integer, label text, notice text,
	fields jsonb);

-- Item p_id, locked, when it is in the scope of caller me (the scope the
-- policies of its table give; a 'system' action on a registration is the
-- engine's own); NULL otherwise.  Each table of items is a branch here.
CREATE FUNCTION wq.item_lock(p_id bigint, me record, p_actor text) RETURNS wq.item_head
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

-- Applies transition t to agreement h (the checks of its own, the row).
CREATE FUNCTION wq.agreement_apply(h wq.item_head, t wq.transition, st wq.school_settings, p_level text,
	p_category text, p_reason text, p_changes jsonb) RETURNS wq.item_applied
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	a   wq.agreement;
	r   wq.item_applied;
BEGIN
	-- a 补登 is passed on its paper agreement, which must be there
	IF h.kind = 'registration' AND t.to_state = 'signed'
	   AND NOT EXISTS (SELECT 1 FROM wq.attachment x WHERE x.item_id = h.id AND x.role = 'paper') THEN
		RAISE EXCEPTION '这份补登还没有上传已签的就业协议书，不能通过' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- a graduate may start a signing only when eligible, with the switch on and no valid agreement
	IF t.actor = 'student' AND t.to_level = 'first' THEN
		PERFORM wq.agreement_may_start(h.student_id, h.kind, h.id);
	END IF;
	BEGIN
		UPDATE wq.agreement SET
			state = t.to_state, review_level = p_level,
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
		 WHERE id = h.id
		RETURNING * INTO a;
	EXCEPTION
		WHEN unique_violation THEN
			RAISE EXCEPTION '%', CASE
				WHEN SQLERRM LIKE '%agreement_one_valid%' THEN '该毕业生已有有效的就业协议'
				WHEN SQLERRM LIKE '%agreement_one_open_invitation%' THEN '该单位对该毕业生已有未结束的签约邀请'
				ELSE SQLERRM END USING ERRCODE = 'unique_violation';
	END;
	r.state := a.state;
	r.review_level := a.review_level;
	r.version := a.version;
	r.label := wq.item_state_label(a.kind, a.state);
	r.notice := format('您的就业协议（%s）：%s', a.protocol_no, r.label);
	RETURN r;
END
$$;

-- Applies transition t to registration h: a resubmission's fields, the row.
-- p_changes: the resubmitted fields ('code' and the keys of
-- wq.destination_fields); for a 'void', 'why' (the notice's reason).
CREATE FUNCTION wq.destination_apply(h wq.item_head, t wq.transition, st wq.school_settings, p_level text,
	p_category text, p_reason text, p_changes jsonb) RETURNS wq.item_applied
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	d        wq.destination;
	v_fields jsonb;
	r        wq.item_applied;
BEGIN
	IF t.action = 'resubmit' THEN
		PERFORM wq.destination_may_register(h.student_id, h.id);
		SELECT * INTO d FROM wq.destination WHERE id = h.id;
		v_fields := wq.destination_fields(coalesce(p_changes->>'code', d.code), p_changes - 'code');
	END IF;
	UPDATE wq.destination SET
		state = t.to_state, review_level = p_level,
		reason_category = CASE WHEN t.needs_reason THEN p_category ELSE reason_category END,
		reason = CASE WHEN t.needs_reason THEN p_reason ELSE reason END,
		code = CASE WHEN v_fields IS NULL THEN code ELSE coalesce(p_changes->>'code', code) END,
		subtype = CASE WHEN v_fields IS NULL THEN subtype ELSE v_fields->>'subtype' END,
		employer_code = CASE WHEN v_fields IS NULL THEN employer_code ELSE v_fields->>'employer_code' END,
		unit_name = CASE WHEN v_fields IS NULL THEN unit_name ELSE v_fields->>'unit_name' END,
		enterprise = CASE WHEN v_fields IS NULL THEN enterprise ELSE v_fields->>'enterprise' END,
		enterprise_uscc = CASE WHEN v_fields IS NULL THEN enterprise_uscc ELSE v_fields->>'enterprise_uscc' END,
		description = CASE WHEN v_fields IS NULL THEN description ELSE v_fields->>'description' END,
		institution = CASE WHEN v_fields IS NULL THEN institution ELSE v_fields->>'institution' END,
		country = CASE WHEN v_fields IS NULL THEN country ELSE v_fields->>'country' END,
		version = version + 1, updated_at = now(), updated_by = session_user
	 WHERE id = h.id
	RETURNING * INTO d;
	r.state := d.state;
	r.review_level := d.review_level;
	r.version := d.version;
	r.label := wq.item_state_label(d.kind, d.state);
	r.notice := format('您的毕业去向登记（%s）：%s', wq.destination_text(d), r.label)
		|| CASE WHEN t.action = 'void' AND p_changes ? 'why' THEN format('（%s）', p_changes->>'why') ELSE '' END;
	r.fields := v_fields;
	RETURN r;
END
$$;

-- Applies transition t to item h, whatever its table.
CREATE FUNCTION wq.item_apply(h wq.item_head, t wq.transition, st wq.school_settings, p_level text,
	p_category text, p_reason text, p_changes jsonb) RETURNS wq.item_applied
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN CASE h.entity
		WHEN 'agreement' THEN wq.agreement_apply(h, t, st, p_level, p_category, p_reason, p_changes)
		WHEN 'destination' THEN wq.destination_apply(h, t, st, p_level, p_category, p_reason, p_changes) END;
END
$$;

-- What an item of entity p_entity is called in a message.
CREATE FUNCTION wq.item_noun(p_entity text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_entity WHEN 'agreement' THEN '协议' WHEN 'destination' THEN '去向登记' WHEN 'termination' THEN '解约申请' END
$$;

-- Applies action p_action by p_actor ('reviewer', 'student', 'employer',
-- 'system') to item p_id of any kind: the steps of 0016's agreement_act,
-- with the item's own in wq.item_lock and wq.item_apply.  p_changes goes to
-- the item's apply function.
CREATE FUNCTION wq.item_act(p_id bigint, p_action text, p_actor text, p_version integer,
	p_request_id uuid, p_category text, p_reason text, p_changes jsonb DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me      record;
	h       wq.item_head;
	st      wq.school_settings;
	t       wq.transition;
	v_level text;
	v_who   record;
	v_cat   text;
	v_out   jsonb;
	v_ev    wq.event;
	ap      wq.item_applied;
BEGIN
	PERFORM wq.check_arg(p_action, 16, '操作');
	PERFORM wq.check_arg(p_category, 32, '原因类别');
	PERFORM wq.check_arg(p_reason, 500, '具体问题');
	me := wq.caller();
	h := wq.item_lock(p_id, me, p_actor);
	IF h.id IS NULL THEN
		RAISE EXCEPTION '没有编号为 % 的事项，或不在您的范围内', p_id USING ERRCODE = 'no_data_found';
	END IF;
	-- a request seen before (committed, perhaps while this one waited for the
	-- lock: a new snapshot sees it) returns its first outcome.  A request
	-- that was applied moved the version on, so a caller who names the
	-- version it saw needs the look-up only when that version is gone.
	IF p_request_id IS NOT NULL AND (p_version IS NULL OR p_version <> h.version) THEN
		SELECT * INTO v_ev FROM wq.event e
		 WHERE e.request_id = p_request_id AND e.entity = h.entity AND e.entity_id = p_id::text;
		IF FOUND THEN
			RETURN v_ev.after || jsonb_build_object('replayed', true);
		END IF;
	END IF;
	SELECT * INTO st FROM wq.school_settings WHERE school_code = h.school_code;
	IF p_version IS NOT NULL AND p_version <> h.version THEN
		SELECT * INTO v_who FROM wq.actor_of(h.updated_by);
		RAISE EXCEPTION '该%已被 %（%）于 % 处理，当前状态：%', wq.item_noun(h.entity), v_who.name, v_who.kind,
			to_char(h.updated_at, 'YYYY-MM-DD HH24:MI:SS'), wq.item_state_label(h.kind, h.state)
			USING ERRCODE = 'serialization_failure', HINT = '请刷新后重试';
	END IF;
	v_level := CASE WHEN p_actor = 'reviewer' THEN wq.item_effective_level(h.review_level, st.review_mode) ELSE '' END;
	SELECT * INTO t FROM wq.transition
	 WHERE kind = h.kind AND from_state = h.state AND from_level = coalesce(v_level, '')
	   AND action = p_action AND actor = p_actor;
	IF NOT FOUND THEN
		RAISE EXCEPTION '当前状态（%）下不能执行此操作', wq.item_state_label(h.kind, h.state)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_actor = 'reviewer' THEN
		IF (CASE me.kind WHEN 'school' THEN 'school' WHEN 'dept' THEN 'dept' END) IS DISTINCT FROM v_level
		   OR h.school_code IS DISTINCT FROM me.school
		   OR (me.dept IS NOT NULL AND h.dept IS DISTINCT FROM me.dept) THEN
			RAISE EXCEPTION '%', format(CASE v_level WHEN 'school' THEN '该%s正等待学校审核，院系用户不能处理'
				ELSE '该%s正等待院系审核' END, wq.item_noun(h.entity))
				USING ERRCODE = 'insufficient_privilege';
		END IF;
	END IF;
	IF t.needs_reason THEN
		SELECT r.label INTO v_cat FROM wq.review_reason r WHERE r.kind = h.kind AND r.code = p_category;
		IF v_cat IS NULL THEN
			RAISE EXCEPTION '请选择原因类别（%）', (SELECT string_agg(r.label, '、' ORDER BY r.sort)
				FROM wq.review_reason r WHERE r.kind = h.kind) USING ERRCODE = 'invalid_parameter_value';
		END IF;
		IF coalesce(btrim(p_reason), '') = '' THEN
			RAISE EXCEPTION '请填写具体问题' USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END IF;
	ap := wq.item_apply(h, t, st,
		CASE t.to_level WHEN 'school' THEN 'school'
			WHEN 'first' THEN CASE WHEN st.review_mode = 'dept_then_school' THEN 'dept' ELSE 'school' END END,
		p_category, p_reason, p_changes);
	v_out := jsonb_build_object('id', p_id, 'state', ap.state, 'label', ap.label, 'level', ap.review_level,
		'level_label', wq.item_level_label(ap.review_level, st.review_mode), 'version', ap.version, 'replayed', false);
	INSERT INTO wq.event (school_code, dept, entity, entity_id, action, from_state, to_state,
	                      before, after, reason, request_id)
	VALUES (h.school_code, h.dept, h.entity, p_id::text, p_action, h.state, ap.state,
	        jsonb_build_object('level', h.review_level, 'version', h.version),
	        v_out || jsonb_build_object('actor', p_actor, 'from_level', nullif(v_level, ''), 'category', v_cat)
	              || CASE WHEN ap.fields IS NOT NULL THEN jsonb_build_object('fields', ap.fields) ELSE '{}' END,
	        CASE WHEN t.needs_reason THEN p_reason END, p_request_id);
	INSERT INTO wq.notice (student_id, item_id, school_code, dept, text)
	VALUES (h.student_id, p_id, h.school_code, h.dept,
	        ap.notice || CASE WHEN t.needs_reason THEN format('。原因：%s，%s', v_cat, p_reason) ELSE '' END);
	PERFORM pg_notify('wq_items_' || h.school_code, '');
	RETURN v_out;
END
$$;

-- The engine of 0016 is this one now.
CREATE OR REPLACE FUNCTION wq.agreement_act(p_id bigint, p_action text, p_actor text, p_version integer,
	p_request_id uuid, p_category text, p_reason text, p_changes jsonb DEFAULT NULL) RETURNS jsonb
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT wq.item_act(p_id, p_action, p_actor, p_version, p_request_id, p_category, p_reason, p_changes)
$$;
REVOKE ALL ON FUNCTION wq.item_act(bigint, text, text, integer, uuid, text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq.item_act(bigint, text, text, integer, uuid, text, text, jsonb) TO wq_owner;
RESET ROLE;

SET LOCAL ROLE wq_owner;

-- Refuses unless the graduate may register a destination now: on the
-- roster, eligible, 核对 passed, the school's 填报去向登记开关 on, no valid
-- agreement, and no other open registration (than p_self).
CREATE FUNCTION wq.destination_may_register(p_student bigint, p_self bigint DEFAULT NULL) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s record;
BEGIN
	SELECT x.school_code, x.in_roster, x.eligible, x.verify_status, st.destination INTO s
	  FROM wq.student x JOIN wq.school_settings st ON st.school_code = x.school_code WHERE x.id = p_student;
	IF NOT FOUND OR NOT s.in_roster THEN
		RAISE EXCEPTION '该毕业生不在学校的学生名单中' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT s.eligible THEN
		RAISE EXCEPTION '该毕业生的培养方式不可网签' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF s.verify_status <> 'verified' THEN
		RAISE EXCEPTION '该毕业生尚未通过信息核对' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT coalesce(s.destination, false) THEN
		RAISE EXCEPTION '学校尚未开启去向登记' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = p_student AND a.state = 'signed') THEN
		RAISE EXCEPTION '该毕业生已有有效的就业协议，不能登记其他去向' USING ERRCODE = 'unique_violation';
	END IF;
	IF EXISTS (SELECT 1 FROM wq.destination d WHERE d.student_id = p_student
	           AND d.state IN ('pending', 'returned', 'approved') AND d.id IS DISTINCT FROM p_self) THEN
		RAISE EXCEPTION '该毕业生已有未结束的去向登记' USING ERRCODE = 'unique_violation';
	END IF;
END
$$;
RESET ROLE;
GRANT EXECUTE ON FUNCTION wq.destination_may_register(bigint, bigint), wq.destination_fields(text, jsonb)
	TO wq_engine;
SET LOCAL ROLE wq_owner;

-- A registration's file (证明材料), checked as every attachment is.
CREATE FUNCTION wq.item_attachment_store(p_item bigint, p_entity text, p_school text, p_dept text, p_role text,
	p_file_name text, p_data bytea) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_mime text := wq.attachment_type(p_data);
	v_id   bigint;
BEGIN
	PERFORM wq.check_arg(p_file_name, 200, '文件名');
	IF p_data IS NULL OR octet_length(p_data) = 0 THEN
		RAISE EXCEPTION '附件是空文件' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF octet_length(p_data) > 10485760 THEN
		RAISE EXCEPTION '附件超过 10 MiB（%s 字节）', octet_length(p_data) USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF v_mime IS NULL THEN
		RAISE EXCEPTION '附件只接受 JPEG、PNG 或 PDF 文件' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO wq.attachment (item_id, school_code, dept, role, file_name, mime, size, sha256, data)
	VALUES (p_item, p_school, p_dept, p_role, coalesce(nullif(btrim(p_file_name), ''), 'attachment'), v_mime,
	        octet_length(p_data), encode(sha256(p_data), 'hex'), p_data)
	RETURNING id INTO v_id;
	INSERT INTO wq.event (school_code, dept, entity, entity_id, action, after)
	VALUES (p_school, p_dept, p_entity, p_item::text, 'attach',
	        jsonb_build_object('attachment', v_id, 'role', p_role, 'file_name', p_file_name, 'mime', v_mime,
	                           'size', octet_length(p_data), 'sha256', encode(sha256(p_data), 'hex')));
	RETURN v_id;
END
$$;

-- 0016's, through the one above.
CREATE OR REPLACE FUNCTION wq.attachment_store(a wq.agreement, p_role text, p_file_name text, p_data bytea) RETURNS bigint
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
	SELECT wq.item_attachment_store(a.id, 'agreement', a.school_code, a.dept, p_role, p_file_name, p_data)
$$;

-- ---------------------------------------------------------------------------
-- wq_api: the portal's side
-- ---------------------------------------------------------------------------

-- A graduate's registration of destination p_code with p_fields (see
-- wq.destination_fields) and, optionally, a proof file.  Returns its id.
CREATE FUNCTION wq_api.destination_submit(p_school text, p_student_no text, p_code text, p_fields jsonb DEFAULT NULL,
	p_file_name text DEFAULT NULL, p_data bytea DEFAULT NULL, p_request_id uuid DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s        wq.student;
	st       wq.school_settings;
	v_fields jsonb;
	d        wq.destination;
	v_ev     wq.event;
BEGIN
	PERFORM wq.check_arg(p_school, 16, '学校代码');
	PERFORM wq.check_arg(p_student_no, 32, '学号');
	PERFORM wq.check_arg(p_code, 4, '毕业去向代码');
	PERFORM wq.check_arg(p_fields::text, 4000, '去向字段');
	PERFORM wq.check_arg(p_file_name, 200, '文件名');
	PERFORM wq.require_portal();
	IF p_request_id IS NOT NULL THEN
		SELECT * INTO v_ev FROM wq.event e WHERE e.request_id = p_request_id AND e.entity = 'destination'
		   AND e.action = 'create';
		IF FOUND THEN
			RETURN v_ev.entity_id::bigint;
		END IF;
	END IF;
	s := wq.roster_student(p_school, p_student_no);
	v_fields := wq.destination_fields(p_code, p_fields);
	PERFORM wq.destination_may_register(s.id);
	SELECT * INTO st FROM wq.school_settings WHERE school_code = s.school_code;
	INSERT INTO wq.destination (school_code, dept, student_id, code, subtype, employer_code, unit_name, enterprise,
		enterprise_uscc, description, institution, country, state, review_level)
	VALUES (s.school_code, s.dept, s.id, p_code, v_fields->>'subtype', v_fields->>'employer_code',
		v_fields->>'unit_name', v_fields->>'enterprise', v_fields->>'enterprise_uscc', v_fields->>'description',
		v_fields->>'institution', v_fields->>'country', 'pending',
		CASE WHEN st.review_mode = 'dept_then_school' THEN 'dept' ELSE 'school' END)
	RETURNING * INTO d;
	INSERT INTO wq.event (school_code, dept, entity, entity_id, action, to_state, after, request_id)
	VALUES (d.school_code, d.dept, 'destination', d.id::text, 'create', d.state,
	        jsonb_build_object('id', d.id, 'code', d.code, 'fields', v_fields, 'level', d.review_level), p_request_id);
	IF p_data IS NOT NULL THEN
		PERFORM wq.item_attachment_store(d.id, 'destination', d.school_code, d.dept, 'proof', p_file_name, p_data);
	END IF;
	INSERT INTO wq.notice (student_id, item_id, school_code, dept, text)
	VALUES (d.student_id, d.id, d.school_code, d.dept,
	        format('您的毕业去向登记（%s）：%s', wq.destination_text(d), wq.item_state_label(d.kind, d.state)));
	PERFORM pg_notify('wq_items_' || d.school_code, '');
	RETURN d.id;
EXCEPTION
	WHEN unique_violation THEN
		RAISE EXCEPTION '%', CASE WHEN SQLERRM LIKE '%destination_one_open%' THEN '该毕业生已有未结束的去向登记'
			ELSE SQLERRM END USING ERRCODE = 'unique_violation';
END
$$;

-- The graduate resubmits a returned registration with p_fields (the code
-- under 'code' when it changes), and optionally another proof file.
CREATE FUNCTION wq_api.destination_resubmit(p_id bigint, p_fields jsonb DEFAULT NULL, p_file_name text DEFAULT NULL,
	p_data bytea DEFAULT NULL, p_request_id uuid DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	d     wq.destination;
	v_out jsonb;
BEGIN
	PERFORM wq.check_arg(p_fields::text, 4000, '去向字段');
	PERFORM wq.check_arg(p_file_name, 200, '文件名');
	PERFORM wq.require_portal();
	SELECT * INTO d FROM wq.destination WHERE id = p_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION '没有编号为 % 的去向登记', p_id USING ERRCODE = 'no_data_found';
	END IF;
	v_out := wq.item_act(p_id, 'resubmit', 'student', NULL, p_request_id, NULL, NULL,
		coalesce(p_fields, jsonb_strip_nulls(jsonb_build_object('employer', d.employer_code, 'unit_name', d.unit_name,
			'enterprise', d.enterprise, 'uscc', d.enterprise_uscc, 'description', d.description,
			'institution', d.institution, 'country', d.country,
			CASE WHEN d.code = '80' THEN 'study_level' ELSE 'subtype' END, d.subtype))));
	IF p_data IS NOT NULL AND NOT coalesce((v_out->>'replayed')::boolean, false) THEN
		PERFORM wq.item_attachment_store(d.id, 'destination', d.school_code, d.dept, 'proof', p_file_name, p_data);
	END IF;
	RETURN v_out;
END
$$;

-- ---------------------------------------------------------------------------
-- wq_api: the school's side
-- ---------------------------------------------------------------------------

-- A school user changes the 毕业去向 of graduate p_student_no to p_code with
-- p_fields, having agreed it with the graduate (p_agreed must be true).  The
-- graduate's open registration is voided and a registration of the school's
-- stands approved; the event records the 毕业去向 before and after, and the
-- graduate is notified.  Returns the new registration's id.
CREATE FUNCTION wq_api.destination_change(p_student_no text, p_code text, p_fields jsonb, p_agreed boolean,
	p_request_id uuid DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me       record;
	s        wq.student;
	v_fields jsonb;
	v_before text;
	v_old    bigint;
	d        wq.destination;
	v_ev     wq.event;
BEGIN
	PERFORM wq.check_arg(p_student_no, 32, '学号');
	PERFORM wq.check_arg(p_code, 4, '毕业去向代码');
	PERFORM wq.check_arg(p_fields::text, 4000, '去向字段');
	me := wq.caller();
	IF me.kind IS DISTINCT FROM 'school' THEN
		RAISE EXCEPTION '只有学校用户可以修改毕业去向' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF NOT coalesce(p_agreed, false) THEN
		RAISE EXCEPTION '修改毕业去向前须与毕业生协商一致，并确认（--agreed-with-student）'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_request_id IS NOT NULL THEN
		SELECT * INTO v_ev FROM wq.event e WHERE e.request_id = p_request_id AND e.entity = 'destination'
		   AND e.action = 'change';
		IF FOUND THEN
			RETURN v_ev.entity_id::bigint;
		END IF;
	END IF;
	SELECT * INTO s FROM wq.student x WHERE x.school_code = me.school AND x.student_no = p_student_no AND x.in_roster
	   FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION '学生名单中没有学号 %', p_student_no USING ERRCODE = 'no_data_found';
	END IF;
	v_fields := wq.destination_fields(p_code, p_fields);
	IF EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id AND a.state = 'signed') THEN
		RAISE EXCEPTION '该毕业生持有有效的就业协议（毕业去向 10），须先解约才能修改毕业去向' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	v_before := s.destination_code;
	FOR v_old IN SELECT x.id FROM wq.destination x WHERE x.student_id = s.id
	              AND x.state IN ('pending', 'returned', 'approved') LOOP
		PERFORM wq.item_act(v_old, 'void', 'system', NULL, NULL, NULL, NULL,
			jsonb_build_object('why', '学校与您协商一致后修改了毕业去向'));
	END LOOP;
	INSERT INTO wq.destination (school_code, dept, student_id, code, subtype, employer_code, unit_name, enterprise,
		enterprise_uscc, description, institution, country, source, state, review_level)
	VALUES (s.school_code, s.dept, s.id, p_code, v_fields->>'subtype', v_fields->>'employer_code',
		v_fields->>'unit_name', v_fields->>'enterprise', v_fields->>'enterprise_uscc', v_fields->>'description',
		v_fields->>'institution', v_fields->>'country', 'school', 'approved', NULL)
	RETURNING * INTO d;
	INSERT INTO wq.event (school_code, dept, entity, entity_id, action, to_state, before, after, request_id)
	VALUES (d.school_code, d.dept, 'destination', d.id::text, 'change', d.state,
	        jsonb_build_object('destination_code', v_before, 'student', s.student_no),
	        jsonb_build_object('destination_code', d.code, 'fields', v_fields, 'student', s.student_no,
	                           'agreed_with_student', true), p_request_id);
	INSERT INTO wq.notice (student_id, item_id, school_code, dept, text)
	VALUES (d.student_id, d.id, d.school_code, d.dept,
	        format('学校与您协商一致后修改了您的毕业去向：%s → %s', coalesce(v_before || ' ' ||
	               (SELECT c.name FROM wq.code c WHERE c.kind = 'destination' AND c.code = v_before), '未登记'),
	               wq.destination_text(d)));
	PERFORM pg_notify('wq_items_' || d.school_code, '');
	RETURN d.id;
END
$$;

-- The caller's registrations, in id order after p_after_id: p_state one
-- state or NULL; p_waiting: only those the caller may decide now.
CREATE FUNCTION wq_api.destinations(p_state text DEFAULT NULL, p_waiting boolean DEFAULT false,
	p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 200)
RETURNS TABLE (id bigint, state text, state_label text, review_level text, level_label text, version integer,
	code text, code_name text, what text, student_no text, student_name text, dept text, source text,
	updated_at timestamptz, actions text[])
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 200 SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me record;
BEGIN
	PERFORM wq.check_arg(p_state, 32, '状态');
	me := wq.caller();
	IF me.kind IS DISTINCT FROM 'school' AND me.kind IS DISTINCT FROM 'dept' AND NOT me.operator THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看去向登记' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_limit NOT BETWEEN 1 AND 10000 THEN
		RAISE EXCEPTION '每页条数应为 1 到 10000' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	SELECT x.id, x.state, wq.item_state_label(x.kind, x.state), x.review_level,
	       wq.item_level_label(x.review_level, st.review_mode), x.version, x.code,
	       (SELECT c.name FROM wq.code c WHERE c.kind = 'destination' AND c.code = x.code), wq.destination_text(x),
	       s.student_no, s.name, x.dept, x.source, x.updated_at, acts.actions
	  FROM wq.destination x
	  JOIN wq.student s ON s.id = x.student_id
	  JOIN wq.school_settings st ON st.school_code = x.school_code
	 CROSS JOIN LATERAL (
		SELECT coalesce(array_agg(t.action ORDER BY CASE t.action WHEN 'pass' THEN 1 WHEN 'return' THEN 2 ELSE 3 END),
		                '{}') AS actions
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

-- An item's history, whatever its kind: every event, oldest first.
CREATE FUNCTION wq_api.item_history(p_id bigint)
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
	       wq.item_state_label(d.kind, e.to_state), e.after->>'category', e.reason
	  FROM wq.destination d
	  JOIN wq.event e ON e.entity = 'destination' AND e.entity_id = d.id::text
	 CROSS JOIN LATERAL wq.actor_of(e.actor) who
	 WHERE d.id = p_id
	 ORDER BY e.id;
END
$$;

-- A decision by a school or department user on an item of any kind (0019's, through wq.item_act).
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
	RETURN wq.item_act(p_id, p_action, 'reviewer', p_version, p_request_id, p_category, p_reason);
END
$$;

-- The portal's actions on an item (0016), and the registration's resubmission.
CREATE OR REPLACE FUNCTION wq_api.portal_act(p_id bigint, p_action text, p_as text,
	p_changes jsonb DEFAULT NULL, p_request_id uuid DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	a wq.agreement;
BEGIN
	PERFORM wq.check_arg(p_as, 16, '身份');
	PERFORM wq.check_arg(p_action, 16, '操作');
	PERFORM wq.check_arg(p_changes::text, 4000, '修改的字段');
	PERFORM wq.require_portal();
	-- a destination registration: only its graduate resubmits it (with its fields)
	IF EXISTS (SELECT 1 FROM wq.destination x WHERE x.id = p_id) THEN
		IF p_action <> 'resubmit' OR p_as <> 'student' THEN
			RAISE EXCEPTION '去向登记只能由毕业生重新提交（resubmit）' USING ERRCODE = 'invalid_parameter_value';
		END IF;
		RETURN wq_api.destination_resubmit(p_id, p_changes, NULL, NULL, p_request_id);
	END IF;
	IF p_as NOT IN ('student', 'employer') THEN
		RAISE EXCEPTION '身份应为 student 或 employer' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_changes IS NOT NULL AND (p_changes - ARRAY['position', 'work_location', 'salary', 'job_category']) <> '{}' THEN
		RAISE EXCEPTION '重新提交只能修改岗位名称、工作地点、月薪和工作职位类别' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_action = 'upload' THEN
		RAISE EXCEPTION '回传协议书需要附上盖章的就业协议书（wq_api.portal_upload）' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT * INTO a FROM wq.agreement WHERE id = p_id;
	IF FOUND AND a.state = 'invited' AND a.valid_until < now() THEN
		RETURN wq.agreement_act(p_id, 'expire', 'system', NULL, NULL, NULL, NULL);
	END IF;
	RETURN wq.agreement_act(p_id, p_action, p_as, NULL, p_request_id, NULL, NULL,
		CASE WHEN p_action = 'resubmit' THEN p_changes END);
END
$$;

REVOKE ALL ON FUNCTION wq.destination_fields(text, jsonb), wq.destination_text(wq.destination),
	wq.student_destination(bigint), wq.destination_may_register(bigint, bigint),
	wq.item_attachment_store(bigint, text, text, text, text, text, bytea),
	wq_api.destination_submit(text, text, text, jsonb, text, bytea, uuid),
	wq_api.destination_resubmit(bigint, jsonb, text, bytea, uuid),
	wq_api.destination_change(text, text, jsonb, boolean, uuid),
	wq_api.destinations(text, boolean, bigint, integer), wq_api.item_history(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.destination_submit(text, text, text, jsonb, text, bytea, uuid),
	wq_api.destination_resubmit(bigint, jsonb, text, bytea, uuid) TO wq_portal, wq_operator;
GRANT EXECUTE ON FUNCTION wq_api.destination_change(text, text, jsonb, boolean, uuid) TO wq_school;
GRANT EXECUTE ON FUNCTION wq_api.destinations(text, boolean, bigint, integer), wq_api.item_history(bigint)
	TO wq_school, wq_dept, wq_operator;

RESET ROLE;
REVOKE CREATE ON SCHEMA wq FROM wq_engine;
