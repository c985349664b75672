-- 0016_agreements: employers, employment agreements (就业协议) and the one
-- engine that moves every reviewable item from state to state.
--
-- An item is a row with a kind, a state, a review level and a version.  What
-- may happen to it is a row of wq.transition: (kind, state, level, action,
-- actor) -> (state, level, whether a reason is needed).  wq.item_act applies
-- one: it locks the item, checks the caller, the level and the version the
-- caller saw, changes the state, writes the event and the graduate's notice,
-- and sends a NOTIFY on the school's channel.  Terminations and destination
-- registrations (next) will be more kinds and more rows of the same table.
--
-- Levels: an item entering a review goes to the student's 院系 first when the
-- school reviews 先院系再校级审核 ('dept'), else to the school ('school').  A
-- 院系 pass moves it to the school level; a 院系 不通过 or 退回修改 ends the
-- review as the school's would.  An item waiting at the 院系 level of a school
-- that has since switched to 仅校级审核 is the school's to decide: it is never
-- stranded.
--
-- Ids of items come from one sequence (wq.item_id), so that an id alone names
-- an item of any kind.

SET LOCAL ROLE wq_owner;

CREATE SEQUENCE wq.item_id;

-- 统一社会信用代码 (GB 32100-2015): 18 characters of 0-9A-HJ-NPQRTUWXY, the
-- last C18 = 31 - (sum of value(ci) * 3^(i-1) mod 31), 31 -> 0.
CREATE FUNCTION wq.credit_code_valid(p text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cs  constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
	s   integer := 0;
	w   integer := 1;
	c   integer;
BEGIN
	IF p !~ '^[0-9A-HJ-NPQRTUWXY]{18}$' THEN
		RETURN false;
	END IF;
	FOR i IN 1 .. 17 LOOP
		s := s + (strpos(cs, substr(p, i, 1)) - 1) * w;
		w := w * 3 % 31;
	END LOOP;
	c := 31 - s % 31;
	IF c = 31 THEN
		c := 0;
	END IF;
	RETURN substr(p, 18, 1) = substr(cs, c + 1, 1);
END
$$;

-- ---------------------------------------------------------------------------
-- Employers (用人单位)
-- ---------------------------------------------------------------------------
CREATE TABLE wq.employer (
	credit_code   text PRIMARY KEY CONSTRAINT employer_credit_code_valid CHECK (wq.credit_code_valid(credit_code)),
	name          text NOT NULL CHECK (length(name) >= 1 AND wq.clean_text(name, 100, false)),
	nature        text CHECK (nature ~ '^[0-9]{2}$'),      -- 单位性质 (code table unit_nature)
	industry      text CHECK (industry ~ '^[0-9]{2}$'),    -- 单位行业 (code table industry)
	location      text CHECK (location ~ '^[0-9]{6}$'),    -- 单位所在地 (GB/T 2260)
	contact_name  text NOT NULL DEFAULT '' CHECK (wq.clean_text(contact_name, 50, false)),
	contact_phone text NOT NULL DEFAULT '' CHECK (contact_phone = '' OR contact_phone ~ '^[0-9][0-9 ()+-]{5,23}$'),
	status        text NOT NULL DEFAULT 'active'           -- 经营状态 存续 / 注销 / 吊销 / 停业
	              CHECK (status IN ('active', 'cancelled', 'revoked', 'suspended')),
	version       integer NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	updated_by    text NOT NULL DEFAULT session_user CHECK (wq.clean_text(updated_by, 64, false))
);

CREATE FUNCTION wq.employer_status_label(p text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p WHEN 'active' THEN '存续' WHEN 'cancelled' THEN '注销'
	              WHEN 'revoked' THEN '吊销' WHEN 'suspended' THEN '停业' END
$$;

-- The label functions are plain CASE expressions over text (no schema to
-- resolve), left without a SET clause so that the planner inlines them into
-- the queries that call them for every row.

-- Every state's label (domain.md), by kind.
CREATE FUNCTION wq.item_state_label(p_kind text, p_state text) RETURNS text
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
	END
$$;

-- ---------------------------------------------------------------------------
-- Agreements (就业协议): three ways in
--   online        线上签约 (the employer invites; the graduate accepts)
--   offline       线下签约 (the graduate applies; two reviews)
--   registration  补登 (a paper agreement signed already)
-- ---------------------------------------------------------------------------
CREATE TABLE wq.agreement (
	id             bigint PRIMARY KEY DEFAULT nextval('wq.item_id'),
	kind           text NOT NULL CHECK (kind IN ('online', 'offline', 'registration')),
	initiator      text NOT NULL CHECK (initiator IN ('employer', 'student')),   -- 签约发起方
	school_code    text NOT NULL REFERENCES wq.school CHECK (wq.clean_text(school_code, 16, false)),
	dept           text NOT NULL CHECK (wq.clean_text(dept, 100, false)),        -- the student's, for scope
	student_id     bigint NOT NULL REFERENCES wq.student,
	employer_code  text NOT NULL REFERENCES wq.employer CHECK (wq.clean_text(employer_code, 18, false)),
	state          text NOT NULL,
	review_level   text CHECK (review_level IN ('dept', 'school')),
	protocol_no    text NOT NULL UNIQUE CHECK (protocol_no ~ '^[0-9A-Za-z-]{1,40}$'),   -- 协议书编号
	-- the job
	job_category   text CHECK (job_category ~ '^[0-9]{2}$'),                     -- 工作职位类别
	position       text NOT NULL DEFAULT '' CHECK (wq.clean_text(position, 100, false)),       -- 岗位名称
	work_location  text NOT NULL DEFAULT '' CHECK (wq.clean_text(work_location, 100, false)),  -- 工作地点
	salary         integer CHECK (salary BETWEEN 0 AND 10000000),                -- 月薪 (元)
	archive_unit   text NOT NULL DEFAULT '' CHECK (wq.clean_text(archive_unit, 100, false)),   -- 档案接收单位
	archive_address text NOT NULL DEFAULT '' CHECK (wq.clean_text(archive_address, 200, false)),
	archive_postcode text NOT NULL DEFAULT '' CHECK (archive_postcode = '' OR archive_postcode ~ '^[0-9]{6}$'),
	hukou_unit     text NOT NULL DEFAULT '' CHECK (wq.clean_text(hukou_unit, 100, false)),     -- 户口迁移单位
	hukou_address  text NOT NULL DEFAULT '' CHECK (wq.clean_text(hukou_address, 200, false)),
	-- the school's, copied in when the agreement is generated
	handler        text NOT NULL DEFAULT '' CHECK (wq.clean_text(handler, 50, false)),
	phone          text NOT NULL DEFAULT '' CHECK (wq.clean_text(phone, 24, false)),
	address        text NOT NULL DEFAULT '' CHECK (wq.clean_text(address, 200, false)),
	postcode       text NOT NULL DEFAULT '' CHECK (wq.clean_text(postcode, 6, false)),
	valid_until    timestamptz,                                                  -- an invitation's
	reason_category text CHECK (wq.clean_text(reason_category, 32, false)),      -- the last 退回 / 不通过
	reason         text CHECK (wq.clean_text(reason, 500, true)),
	version        integer NOT NULL DEFAULT 1,
	created_at     timestamptz NOT NULL DEFAULT now(),
	updated_at     timestamptz NOT NULL DEFAULT now(),
	updated_by     text NOT NULL DEFAULT session_user CHECK (wq.clean_text(updated_by, 64, false)),
	CHECK (kind = 'online' OR initiator = 'student'),
	CHECK (kind <> 'online' OR valid_until IS NOT NULL),
	CONSTRAINT agreement_state_known CHECK (wq.item_state_label(kind, state) IS NOT NULL)
);
-- The queues: a school's (or a 院系's) items the longest waiting first, and
-- those in a review (what waits for someone) on their own.
CREATE INDEX agreement_school_updated ON wq.agreement (school_code, updated_at, id);
CREATE INDEX agreement_dept_updated ON wq.agreement (school_code, dept, updated_at, id);
CREATE INDEX agreement_school_review ON wq.agreement (school_code, updated_at, id)
	WHERE state IN ('pending_review', 'draft_review', 'signing_review', 'reg_review');
CREATE INDEX agreement_dept_review ON wq.agreement (school_code, dept, updated_at, id)
	WHERE state IN ('pending_review', 'draft_review', 'signing_review', 'reg_review');
CREATE INDEX agreement_student ON wq.agreement (student_id);
CREATE INDEX agreement_employer ON wq.agreement (employer_code);
-- A graduate holds at most one valid agreement (signed; termination, next,
-- moves it out of this state).
CREATE UNIQUE INDEX agreement_one_valid ON wq.agreement (student_id) WHERE state = 'signed';
-- An employer has at most one open invitation to a graduate.
CREATE UNIQUE INDEX agreement_one_open_invitation ON wq.agreement (employer_code, student_id)
	WHERE kind = 'online' AND state IN ('invited', 'pending_review');

-- The graduates' notices: one per decision that concerns them.
CREATE TABLE wq.notice (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	student_id bigint NOT NULL REFERENCES wq.student,
	item_id    bigint NOT NULL,
	school_code text NOT NULL REFERENCES wq.school CHECK (wq.clean_text(school_code, 16, false)),
	dept       text NOT NULL CHECK (wq.clean_text(dept, 100, false)),
	at         timestamptz NOT NULL DEFAULT now(),
	text       text NOT NULL CHECK (wq.clean_text(text, 1000, true))
);
CREATE INDEX notice_student ON wq.notice (student_id, id);
CREATE INDEX notice_item ON wq.notice (item_id, id);

-- Attachments: the stamped agreement an offline signing sends back (stamped)
-- and the paper agreement of a 补登 (paper).  JPEG, PNG or PDF, recognised by
-- their bytes, at most 10 MiB, with size and SHA-256 (the database's own).
CREATE FUNCTION wq.attachment_type(p bytea) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE
		WHEN substr(p, 1, 3) = '\xffd8ff'::bytea THEN 'image/jpeg'
		WHEN substr(p, 1, 8) = '\x89504e470d0a1a0a'::bytea THEN 'image/png'
		WHEN substr(p, 1, 5) = '\x255044462d'::bytea THEN 'application/pdf'
	END
$$;

CREATE TABLE wq.attachment (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	item_id     bigint NOT NULL REFERENCES wq.agreement,
	school_code text NOT NULL REFERENCES wq.school CHECK (wq.clean_text(school_code, 16, false)),
	dept        text NOT NULL CHECK (wq.clean_text(dept, 100, false)),
	role        text NOT NULL CHECK (role IN ('stamped', 'paper')),
	file_name   text NOT NULL CHECK (file_name <> '' AND wq.clean_text(file_name, 200, false)),
	mime        text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'application/pdf')),
	size        integer NOT NULL CHECK (size BETWEEN 1 AND 10485760),
	sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	data        bytea NOT NULL,
	uploaded_by text NOT NULL DEFAULT session_user CHECK (wq.clean_text(uploaded_by, 64, false)),
	uploaded_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT attachment_whole CHECK (octet_length(data) = size AND wq.attachment_type(data) = mime
	                                   AND sha256 = encode(sha256(data), 'hex'))
);
CREATE INDEX attachment_item ON wq.attachment (item_id, id);

-- ---------------------------------------------------------------------------
-- The transitions
-- ---------------------------------------------------------------------------
-- actor: who takes the action: 'employer' or 'student' (through the portal),
-- 'reviewer' (a school or department user at from_level), 'system'.
-- to_level: NULL (not under review), 'school' (a 院系 pass), 'first' (a new
-- review: the 院系 or the school, as the school's 审核方式 says).
CREATE TABLE wq.transition (
	kind         text NOT NULL CHECK (kind IN ('online', 'offline', 'registration')),
	from_state   text NOT NULL CHECK (wq.item_state_label(kind, from_state) IS NOT NULL),
	from_level   text NOT NULL DEFAULT '' CHECK (from_level IN ('', 'dept', 'school')),
	action       text NOT NULL CHECK (action IN ('accept', 'decline', 'withdraw', 'expire', 'resubmit',
	                                             'upload', 'pass', 'return', 'reject')),
	actor        text NOT NULL CHECK (actor IN ('employer', 'student', 'reviewer', 'system')),
	to_state     text NOT NULL CHECK (wq.item_state_label(kind, to_state) IS NOT NULL),
	to_level     text CHECK (to_level IN ('school', 'first')),
	needs_reason boolean NOT NULL DEFAULT false,
	PRIMARY KEY (kind, from_state, from_level, action, actor)
);

-- the reviews: a 院系 pass goes up, a school pass goes on; 退回 and 不通过 at either level
CREATE FUNCTION pg_temp.review_rows(p_kind text, p_state text, p_passed text, p_returned text, p_rejected text)
RETURNS SETOF wq.transition LANGUAGE sql AS $$
	SELECT p_kind, p_state, 'dept', 'pass', 'reviewer', p_state, 'school', false
	UNION ALL SELECT p_kind, p_state, 'school', 'pass', 'reviewer', p_passed, NULL, false
	UNION ALL SELECT p_kind, p_state, l, 'return', 'reviewer', p_returned, NULL, true
	  FROM unnest(ARRAY['dept', 'school']) l WHERE p_returned IS NOT NULL
	UNION ALL SELECT p_kind, p_state, l, 'reject', 'reviewer', p_rejected, NULL, true
	  FROM unnest(ARRAY['dept', 'school']) l
$$;
INSERT INTO wq.transition VALUES
	-- 线上签约
	('online', 'invited', '', 'accept', 'student', 'pending_review', 'first', false),
	('online', 'invited', '', 'decline', 'student', 'declined', NULL, false),
	('online', 'invited', '', 'withdraw', 'employer', 'withdrawn', NULL, false),
	('online', 'invited', '', 'expire', 'system', 'expired', NULL, false),
	-- 线下签约
	('offline', 'draft_returned', '', 'resubmit', 'student', 'draft_review', 'first', false),
	('offline', 'issued', '', 'upload', 'student', 'signing_review', 'first', false),
	('offline', 'issued', '', 'upload', 'employer', 'signing_review', 'first', false),
	('offline', 'signing_returned', '', 'resubmit', 'student', 'signing_review', 'first', false),
	('offline', 'signing_rejected', '', 'resubmit', 'student', 'signing_review', 'first', false),
	-- 补登
	('registration', 'reg_returned', '', 'resubmit', 'student', 'reg_review', 'first', false);
INSERT INTO wq.transition SELECT * FROM pg_temp.review_rows('online', 'pending_review', 'signed', NULL, 'failed');
INSERT INTO wq.transition SELECT * FROM pg_temp.review_rows('offline', 'draft_review', 'issued', 'draft_returned', 'voided');
INSERT INTO wq.transition SELECT * FROM pg_temp.review_rows('offline', 'signing_review', 'signed', 'signing_returned', 'signing_rejected');
INSERT INTO wq.transition SELECT * FROM pg_temp.review_rows('registration', 'reg_review', 'signed', 'reg_returned', 'reg_rejected');

-- The state an item of a kind starts in when it is made.
CREATE FUNCTION wq.item_start_state(p_kind text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_kind WHEN 'online' THEN 'invited' WHEN 'offline' THEN 'draft_review'
	                   WHEN 'registration' THEN 'reg_review' END
$$;


-- A label with the verb of the school's agreement type: 鉴证 under 两方协议
-- (two_party), 审核 under 三方协议.  The states stay; the word changes.
CREATE FUNCTION wq.verb_label(p_label text, p_school text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN (SELECT p.agreement_type FROM wq.school s JOIN wq.province p ON p.code = s.province_code
	                   WHERE s.code = p_school) = 'two_party'
	            THEN replace(p_label, '审核', '鉴证') ELSE p_label END
$$;

-- Where a review stands under 先院系再校级审核: NULL when not under review or
-- reviewed by the school alone.
CREATE FUNCTION wq.item_level_label(p_level text, p_mode text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p_mode = 'dept_then_school' THEN
		CASE p_level WHEN 'dept' THEN '院系审核中' WHEN 'school' THEN '院系已通过，等待学校审核' END END
$$;

-- The reasons a clerk picks for 退回修改 and 不通过, by kind.
CREATE TABLE wq.review_reason (
	kind  text NOT NULL CHECK (kind IN ('online', 'offline', 'registration')),
	code  text NOT NULL CHECK (code ~ '^[a-z_]{1,32}$'),
	label text NOT NULL CHECK (wq.clean_text(label, 32, false)),
	sort  integer NOT NULL,
	PRIMARY KEY (kind, code)
);
INSERT INTO wq.review_reason VALUES
	('online', 'employer_untrue', '单位信息不实', 1),
	('online', 'terms_wrong', '协议内容有误', 2),
	('online', 'not_eligible', '学生不符合签约条件', 3),
	('online', 'missing', '材料不全', 8),
	('online', 'other', '其他', 9),
	('offline', 'employer_untrue', '单位信息不实', 1),
	('offline', 'terms_wrong', '协议内容有误', 2),
	('offline', 'stamp_unclear', '协议书盖章不清晰或缺失', 3),
	('offline', 'missing', '材料不全', 8),
	('offline', 'other', '其他', 9),
	('registration', 'employer_untrue', '单位信息不实', 1),
	('registration', 'terms_wrong', '协议内容有误', 2),
	('registration', 'scan_unclear', '协议书扫描件不清晰', 3),
	('registration', 'missing', '材料不全', 8),
	('registration', 'other', '其他', 9);

-- Row security: the tables are read and written only through the functions
-- below (owned by wq_owner), under these policies.
ALTER TABLE wq.employer ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.employer FORCE ROW LEVEL SECURITY;
CREATE POLICY employer_read ON wq.employer FOR SELECT TO wq_owner USING (true);
CREATE POLICY employer_write ON wq.employer TO wq_owner
	USING ((SELECT wq.is_operator()) OR (SELECT wq.caller_kind()) = 'portal')
	WITH CHECK ((SELECT wq.is_operator()) OR (SELECT wq.caller_kind()) = 'portal');

ALTER TABLE wq.agreement ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.agreement FORCE ROW LEVEL SECURITY;
CREATE POLICY agreement_scope ON wq.agreement TO wq_owner
	USING ((SELECT wq.is_operator()) OR (SELECT wq.caller_kind()) = 'portal'
	       OR (school_code = (SELECT wq.caller_school())
	           AND ((SELECT wq.caller_dept()) IS NULL OR dept = (SELECT wq.caller_dept()))))
	WITH CHECK ((SELECT wq.is_operator()) OR (SELECT wq.caller_kind()) = 'portal'
	       OR (school_code = (SELECT wq.caller_school())
	           AND ((SELECT wq.caller_dept()) IS NULL OR dept = (SELECT wq.caller_dept()))));

ALTER TABLE wq.notice ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.notice FORCE ROW LEVEL SECURITY;
CREATE POLICY notice_scope ON wq.notice TO wq_owner
	USING ((SELECT wq.is_operator()) OR (SELECT wq.caller_kind()) = 'portal'
	       OR (school_code = (SELECT wq.caller_school())
	           AND ((SELECT wq.caller_dept()) IS NULL OR dept = (SELECT wq.caller_dept()))))
	WITH CHECK ((SELECT wq.is_operator()) OR (SELECT wq.caller_kind()) = 'portal'
	       OR (school_code = (SELECT wq.caller_school())
	           AND ((SELECT wq.caller_dept()) IS NULL OR dept = (SELECT wq.caller_dept()))));

ALTER TABLE wq.attachment ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.attachment FORCE ROW LEVEL SECURITY;
CREATE POLICY attachment_scope ON wq.attachment TO wq_owner
	USING ((SELECT wq.is_operator()) OR (SELECT wq.caller_kind()) = 'portal'
	       OR (school_code = (SELECT wq.caller_school())
	           AND ((SELECT wq.caller_dept()) IS NULL OR dept = (SELECT wq.caller_dept()))))
	WITH CHECK ((SELECT wq.is_operator()) OR (SELECT wq.caller_kind()) = 'portal');

-- The portal starts items of any school: it reads each school's switches and 审核方式.
CREATE POLICY portal_read ON wq.school_settings FOR SELECT TO wq_owner
	USING ((SELECT wq.caller_kind()) = 'portal');

ALTER TABLE wq.transition ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.transition FORCE ROW LEVEL SECURITY;
CREATE POLICY transition_read ON wq.transition FOR SELECT TO wq_owner USING (true);
ALTER TABLE wq.review_reason ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.review_reason FORCE ROW LEVEL SECURITY;
CREATE POLICY review_reason_read ON wq.review_reason FOR SELECT TO wq_owner USING (true);

REVOKE ALL ON wq.employer, wq.agreement, wq.notice, wq.transition, wq.review_reason, wq.attachment FROM PUBLIC;
REVOKE ALL ON SEQUENCE wq.item_id FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- The engine
-- ---------------------------------------------------------------------------

-- The level a review waiting at p_level is decided at now: one at the 院系
-- of a school that reviews at school level alone is the school's.
CREATE FUNCTION wq.item_effective_level(p_level text, p_mode text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p_level = 'dept' AND p_mode IS DISTINCT FROM 'dept_then_school' THEN 'school' ELSE p_level END
$$;

-- Who the caller is toward an item: 'reviewer' at a level, or a portal actor.
-- Returns the caller's level ('dept', 'school') for a reviewer, NULL if the
-- caller reviews nothing.
CREATE FUNCTION wq.caller_review_level() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE wq.caller_kind() WHEN 'school' THEN 'school' WHEN 'dept' THEN 'dept' END
$$;

-- The actions the caller may take on agreement p now, as reviewer (the
-- portal's are its own functions).  Read under the policies: nothing for an
-- item out of scope.
CREATE FUNCTION wq.agreement_reviewer_actions(p wq.agreement) RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(array_agg(t.action ORDER BY CASE t.action WHEN 'pass' THEN 1 WHEN 'return' THEN 2 ELSE 3 END), '{}')
	  FROM wq.transition t, wq.school_settings st
	 WHERE st.school_code = p.school_code
	   AND t.kind = p.kind AND t.from_state = p.state AND t.actor = 'reviewer'
	   AND t.from_level = wq.item_effective_level(p.review_level, st.review_mode)
	   AND t.from_level = wq.caller_review_level()
	   AND p.school_code = wq.caller_school()
	   AND (wq.caller_dept() IS NULL OR p.dept = wq.caller_dept())
$$;

-- Applies action p_action by p_actor to agreement p_id.  p_version: the
-- version the caller saw (NULL: any, for the portal's own actions);
-- p_request_id: the client's id of this request, kept across a retry: a
-- request already applied returns its first outcome and changes nothing.
-- p_changes: fields a resubmission changes.  Returns {id, state, label,
-- level, level_label, version, replayed}.
CREATE FUNCTION wq.agreement_act(p_id bigint, p_action text, p_actor text, p_version integer,
	p_request_id uuid, p_category text, p_reason text, p_changes jsonb DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
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
	v_caller_dept text;
BEGIN
	PERFORM wq.check_arg(p_action, 16, '操作');
	PERFORM wq.check_arg(p_category, 32, '原因类别');
	PERFORM wq.check_arg(p_reason, 500, '具体问题');
	SELECT * INTO a FROM wq.agreement WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION '没有编号为 % 的协议，或不在您的范围内', p_id USING ERRCODE = 'no_data_found';
	END IF;
	-- a request seen before (committed, perhaps while this one waited for the
	-- lock: a new snapshot sees it) returns its first outcome
	IF p_request_id IS NOT NULL THEN
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
		v_caller_dept := wq.caller_dept();
		IF wq.caller_review_level() IS DISTINCT FROM v_level OR a.school_code IS DISTINCT FROM wq.caller_school()
		   OR (v_caller_dept IS NOT NULL AND a.dept IS DISTINCT FROM v_caller_dept) THEN
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

-- Refuses unless the student may start a signing of kind p_kind now: on the
-- roster, eligible (培养方式), 核对 passed, the school's switch on, and no
-- valid agreement (other than p_self).
CREATE FUNCTION wq.agreement_may_start(p_student bigint, p_kind text, p_self bigint DEFAULT NULL) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s  record;
	st wq.school_settings;
BEGIN
	SELECT x.school_code, x.in_roster, x.eligible, x.verify_status INTO s
	  FROM wq.student x WHERE x.id = p_student;
	IF NOT FOUND OR NOT s.in_roster THEN
		RAISE EXCEPTION '该毕业生不在学校的学生名单中' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT s.eligible THEN
		RAISE EXCEPTION '该毕业生的培养方式不可网签' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF s.verify_status <> 'verified' THEN
		RAISE EXCEPTION '该毕业生尚未通过信息核对' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT * INTO st FROM wq.school_settings WHERE school_code = s.school_code;
	IF p_kind IN ('online', 'offline') AND NOT coalesce(st.online_signing, false) THEN
		RAISE EXCEPTION '学校尚未开启在线签约' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_kind = 'registration' AND NOT coalesce(st.registration, false) THEN
		RAISE EXCEPTION '学校尚未开启补登' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = p_student AND a.state = 'signed'
	           AND a.id IS DISTINCT FROM p_self) THEN
		RAISE EXCEPTION '该毕业生已有有效的就业协议' USING ERRCODE = 'unique_violation';
	END IF;
END
$$;

-- The portal may act for graduates and employers; the operator for anyone.
CREATE FUNCTION wq.require_portal() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF wq.caller_kind() IS DISTINCT FROM 'portal' AND NOT wq.is_operator() THEN
		RAISE EXCEPTION '只有门户账号可以执行此操作' USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;

-- The student of a school's roster by 学号 (the portal's and the operator's view).
CREATE FUNCTION wq.roster_student(p_school text, p_student_no text) RETURNS wq.student
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s wq.student;
BEGIN
	PERFORM wq.check_arg(p_school, 16, '学校代码');
	PERFORM wq.check_arg(p_student_no, 32, '学号');
	SELECT * INTO s FROM wq.student WHERE school_code = p_school AND student_no = p_student_no AND in_roster;
	IF NOT FOUND THEN
		RAISE EXCEPTION '学校 % 的学生名单中没有学号 %', p_school, p_student_no USING ERRCODE = 'no_data_found';
	END IF;
	RETURN s;
END
$$;

-- ---------------------------------------------------------------------------
-- wq_api: the portal's side
-- ---------------------------------------------------------------------------

-- Adds an employer, or updates it (same 统一社会信用代码).  p_status: 存续,
-- 注销, 吊销, 停业 (or active, cancelled, revoked, suspended).
CREATE FUNCTION wq_api.employer_add(p_code text, p_name text, p_nature text DEFAULT NULL,
	p_industry text DEFAULT NULL, p_location text DEFAULT NULL, p_status text DEFAULT NULL,
	p_contact_name text DEFAULT NULL, p_contact_phone text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_status text;
	v_old    wq.employer;
	v_new    wq.employer;
BEGIN
	PERFORM wq.require_portal();
	PERFORM wq.check_arg(p_code, 18, '统一社会信用代码');
	PERFORM wq.check_arg(p_name, 100, '单位名称');
	PERFORM wq.check_arg(p_nature, 8, '单位性质');
	PERFORM wq.check_arg(p_industry, 8, '单位行业');
	PERFORM wq.check_arg(p_location, 8, '单位所在地');
	PERFORM wq.check_arg(p_status, 16, '经营状态');
	PERFORM wq.check_arg(p_contact_name, 50, '联系人');
	PERFORM wq.check_arg(p_contact_phone, 24, '联系电话');
	IF NOT coalesce(wq.credit_code_valid(p_code), false) THEN
		RAISE EXCEPTION '统一社会信用代码“%”不正确：应为 18 位（数字与大写字母，不含 I、O、S、V、Z），且校验位正确', p_code
			USING ERRCODE = 'check_violation';
	END IF;
	IF coalesce(btrim(p_name), '') = '' THEN
		RAISE EXCEPTION '单位名称不能为空' USING ERRCODE = 'check_violation';
	END IF;
	IF p_nature IS NOT NULL AND NOT EXISTS (SELECT 1 FROM wq.code WHERE kind = 'unit_nature' AND code = p_nature) THEN
		RAISE EXCEPTION '单位性质代码“%”不在代码表中', p_nature USING ERRCODE = 'check_violation';
	END IF;
	IF p_industry IS NOT NULL AND NOT EXISTS (SELECT 1 FROM wq.code WHERE kind = 'industry' AND code = p_industry) THEN
		RAISE EXCEPTION '单位行业代码“%”不在代码表中', p_industry USING ERRCODE = 'check_violation';
	END IF;
	IF p_location IS NOT NULL AND p_location !~ '^[0-9]{6}$' THEN
		RAISE EXCEPTION '单位所在地应为 6 位行政区划代码：%', p_location USING ERRCODE = 'check_violation';
	END IF;
	v_status := CASE p_status WHEN '存续' THEN 'active' WHEN '注销' THEN 'cancelled' WHEN '吊销' THEN 'revoked'
		WHEN '停业' THEN 'suspended' ELSE p_status END;
	IF v_status IS NOT NULL AND v_status NOT IN ('active', 'cancelled', 'revoked', 'suspended') THEN
		RAISE EXCEPTION '经营状态应为 存续、注销、吊销 或 停业：%', p_status USING ERRCODE = 'check_violation';
	END IF;
	SELECT * INTO v_old FROM wq.employer WHERE credit_code = p_code FOR UPDATE;
	IF FOUND THEN
		UPDATE wq.employer SET name = btrim(p_name), nature = coalesce(p_nature, nature),
			industry = coalesce(p_industry, industry), location = coalesce(p_location, location),
			status = coalesce(v_status, status), contact_name = coalesce(p_contact_name, contact_name),
			contact_phone = coalesce(p_contact_phone, contact_phone),
			version = version + 1, updated_at = now(), updated_by = session_user
		 WHERE credit_code = p_code RETURNING * INTO v_new;
		PERFORM wq.log_event('employer', p_code, 'update', NULL, NULL,
			to_jsonb(v_old) - 'updated_at' - 'updated_by', to_jsonb(v_new) - 'updated_at' - 'updated_by');
	ELSE
		INSERT INTO wq.employer (credit_code, name, nature, industry, location, status, contact_name, contact_phone)
		VALUES (p_code, btrim(p_name), p_nature, p_industry, p_location, coalesce(v_status, 'active'),
		        coalesce(p_contact_name, ''), coalesce(p_contact_phone, ''))
		RETURNING * INTO v_new;
		PERFORM wq.log_event('employer', p_code, 'create', NULL, NULL, NULL,
			to_jsonb(v_new) - 'updated_at' - 'updated_by');
	END IF;
	RETURN p_code;
END
$$;

-- A new agreement of kind p_kind for the student p_student_no of p_school
-- with employer p_employer; p_job: position, work_location, salary,
-- job_category, archive_unit, archive_address, archive_postcode, hukou_unit,
-- hukou_address.  Returns its id.
CREATE FUNCTION wq.agreement_new(p_kind text, p_school text, p_student_no text, p_employer text,
	p_job jsonb, p_valid_days integer) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s     wq.student;
	e     wq.employer;
	st    wq.school_settings;
	v_id  bigint := nextval('wq.item_id');
	v_key text;
	a     wq.agreement;
BEGIN
	PERFORM wq.check_arg(p_job::text, 4000, '协议字段');
	PERFORM wq.check_arg(p_employer, 18, '统一社会信用代码');
	PERFORM wq.check_arg(p_school, 16, '学校代码');
	PERFORM wq.check_arg(p_student_no, 32, '学号');
	PERFORM wq.require_portal();
	s := wq.roster_student(p_school, p_student_no);
	SELECT * INTO e FROM wq.employer WHERE credit_code = p_employer;
	IF NOT FOUND THEN
		RAISE EXCEPTION '没有统一社会信用代码为 % 的单位', p_employer USING ERRCODE = 'no_data_found';
	END IF;
	IF e.status <> 'active' THEN
		RAISE EXCEPTION '单位“%”的经营状态为%，不能签约', e.name, wq.employer_status_label(e.status)
			USING ERRCODE = 'check_violation';
	END IF;
	FOR v_key IN SELECT jsonb_object_keys(coalesce(p_job, '{}')) LOOP
		IF v_key NOT IN ('position', 'work_location', 'salary', 'job_category', 'archive_unit',
		                 'archive_address', 'archive_postcode', 'hukou_unit', 'hukou_address') THEN
			RAISE EXCEPTION '未知的协议字段 %', v_key USING ERRCODE = 'invalid_parameter_value';
		END IF;
		PERFORM wq.check_arg(p_job->>v_key, 200, v_key);
	END LOOP;
	IF p_job->>'job_category' IS NOT NULL
	   AND NOT EXISTS (SELECT 1 FROM wq.code WHERE kind = 'job_category' AND code = p_job->>'job_category') THEN
		RAISE EXCEPTION '工作职位类别代码“%”不在代码表中', p_job->>'job_category' USING ERRCODE = 'check_violation';
	END IF;
	IF p_kind <> 'online' THEN
		PERFORM wq.agreement_may_start(s.id, p_kind);
	ELSE
		-- an invitation: the student must be one who may sign, and the school open to it
		PERFORM wq.agreement_may_invite(s.id);
	END IF;
	SELECT * INTO st FROM wq.school_settings WHERE school_code = s.school_code;
	INSERT INTO wq.agreement (id, kind, initiator, school_code, dept, student_id, employer_code, state,
		review_level, protocol_no, job_category, position, work_location, salary, archive_unit,
		archive_address, archive_postcode, hukou_unit, hukou_address, handler, phone, address, postcode,
		valid_until)
	VALUES (v_id, p_kind, CASE p_kind WHEN 'online' THEN 'employer' ELSE 'student' END, s.school_code, s.dept,
		s.id, e.credit_code, wq.item_start_state(p_kind),
		CASE WHEN p_kind = 'online' THEN NULL WHEN st.review_mode = 'dept_then_school' THEN 'dept' ELSE 'school' END,
		to_char(now(), 'YYYY') || s.school_code || lpad(v_id::text, 10, '0'),
		p_job->>'job_category', coalesce(p_job->>'position', ''), coalesce(p_job->>'work_location', ''),
		(p_job->>'salary')::integer, coalesce(p_job->>'archive_unit', ''), coalesce(p_job->>'archive_address', ''),
		coalesce(p_job->>'archive_postcode', ''), coalesce(p_job->>'hukou_unit', ''),
		coalesce(p_job->>'hukou_address', ''), st.handler, st.phone, st.address, st.postcode,
		CASE WHEN p_kind = 'online' THEN now() + make_interval(days => coalesce(p_valid_days, 30)) END)
	RETURNING * INTO a;
	INSERT INTO wq.event (school_code, dept, entity, entity_id, action, to_state, after)
	VALUES (a.school_code, a.dept, 'agreement', a.id::text, 'create', a.state,
	        jsonb_build_object('id', a.id, 'kind', a.kind, 'state', a.state, 'level', a.review_level,
	                           'employer', a.employer_code, 'protocol_no', a.protocol_no));
	INSERT INTO wq.notice (student_id, item_id, school_code, dept, text)
	VALUES (a.student_id, a.id, a.school_code, a.dept,
	        format('您的就业协议（%s）：%s', a.protocol_no, wq.item_state_label(a.kind, a.state)));
	PERFORM pg_notify('wq_items_' || a.school_code, '');
	RETURN a.id;
EXCEPTION
	WHEN unique_violation THEN
		RAISE EXCEPTION '%', CASE
			WHEN SQLERRM LIKE '%agreement_one_open_invitation%' THEN '该单位对该毕业生已有未结束的签约邀请'
			ELSE SQLERRM END USING ERRCODE = 'unique_violation';
	WHEN invalid_text_representation OR numeric_value_out_of_range THEN
		RAISE EXCEPTION '月薪应为 0 到 10000000 的整数（元）' USING ERRCODE = 'check_violation';
	WHEN check_violation THEN
		RAISE EXCEPTION '%', CASE
			WHEN SQLERRM LIKE '%salary%' THEN '月薪应为 0 到 10000000 的整数（元）'
			WHEN SQLERRM LIKE '%archive_postcode%' THEN '档案接收单位的邮政编码应为 6 位数字'
			WHEN SQLERRM LIKE '%job_category%' THEN '工作职位类别代码格式不正确'
			WHEN SQLERRM LIKE '%clean%' THEN '协议字段含有控制字符或过长'
			ELSE SQLERRM END USING ERRCODE = 'check_violation';
END
$$;

-- An employer may invite only a graduate who may sign (as for starting one,
-- but an existing valid agreement does not stop an invitation: it stops the
-- acceptance).
CREATE FUNCTION wq.agreement_may_invite(p_student bigint) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s  record;
BEGIN
	SELECT x.school_code, x.eligible, x.verify_status INTO s FROM wq.student x WHERE x.id = p_student;
	IF NOT coalesce(s.eligible, false) THEN
		RAISE EXCEPTION '该毕业生的培养方式不可网签' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF s.verify_status <> 'verified' THEN
		RAISE EXCEPTION '该毕业生尚未通过信息核对' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT coalesce((SELECT online_signing FROM wq.school_settings WHERE school_code = s.school_code), false) THEN
		RAISE EXCEPTION '学校尚未开启在线签约' USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;

CREATE FUNCTION wq_api.invite(p_employer text, p_school text, p_student_no text,
	p_job jsonb DEFAULT NULL, p_valid_days integer DEFAULT 30) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF p_valid_days IS NOT NULL AND p_valid_days NOT BETWEEN 1 AND 365 THEN
		RAISE EXCEPTION '邀请有效天数应为 1 到 365' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN wq.agreement_new('online', p_school, p_student_no, p_employer, p_job, p_valid_days);
END
$$;

CREATE FUNCTION wq_api.offline_apply(p_school text, p_student_no text, p_employer text,
	p_job jsonb DEFAULT NULL) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT wq.agreement_new('offline', p_school, p_student_no, p_employer, p_job, NULL)
$$;

CREATE FUNCTION wq_api.registration_submit(p_school text, p_student_no text, p_employer text,
	p_job jsonb DEFAULT NULL) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT wq.agreement_new('registration', p_school, p_student_no, p_employer, p_job, NULL)
$$;

-- A graduate's or employer's action through the portal: p_as 'student'
-- (accept, decline, resubmit, upload) or 'employer' (withdraw, upload).
-- An invitation past its validity turns 签约邀请已失效 first: the outcome
-- then says expired.
CREATE FUNCTION wq_api.portal_act(p_id bigint, p_action text, p_as text,
	p_changes jsonb DEFAULT NULL, p_request_id uuid DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	a wq.agreement;
BEGIN
	PERFORM wq.check_arg(p_as, 16, '身份');
	PERFORM wq.check_arg(p_action, 16, '操作');
	PERFORM wq.check_arg(p_changes::text, 4000, '修改的字段');
	PERFORM wq.require_portal();
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

-- Stores a file of agreement a (role stamped or paper) and its event.
CREATE FUNCTION wq.attachment_store(a wq.agreement, p_role text, p_file_name text, p_data bytea) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_mime text := wq.attachment_type(p_data);
	v_id   bigint;
BEGIN
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
	VALUES (a.id, a.school_code, a.dept, p_role, coalesce(nullif(btrim(p_file_name), ''), 'attachment'), v_mime,
	        octet_length(p_data), encode(sha256(p_data), 'hex'), p_data)
	RETURNING id INTO v_id;
	INSERT INTO wq.event (school_code, dept, entity, entity_id, action, after)
	VALUES (a.school_code, a.dept, 'agreement', a.id::text, 'attach',
	        jsonb_build_object('attachment', v_id, 'role', p_role, 'file_name', p_file_name, 'mime', v_mime,
	                           'size', octet_length(p_data), 'sha256', encode(sha256(p_data), 'hex')));
	RETURN v_id;
END
$$;

-- The graduate (or employer) sends a file: the stamped agreement of an
-- offline signing (待回传协议书, or again after 签约退回修改 / 签约审核不通过),
-- which starts its signing review, or the paper agreement of a 补登 (while
-- it is reviewed or returned; a returned one goes back to review).
CREATE FUNCTION wq_api.portal_upload(p_id bigint, p_as text, p_file_name text, p_data bytea,
	p_request_id uuid DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	a   wq.agreement;
	v_ev wq.event;
BEGIN
	PERFORM wq.check_arg(p_as, 16, '身份');
	PERFORM wq.check_arg(p_file_name, 200, '文件名');
	PERFORM wq.require_portal();
	IF p_request_id IS NOT NULL THEN
		SELECT * INTO v_ev FROM wq.event e
		 WHERE e.request_id = p_request_id AND e.entity = 'agreement' AND e.entity_id = p_id::text;
		IF FOUND THEN
			RETURN v_ev.after || jsonb_build_object('replayed', true);
		END IF;
	END IF;
	SELECT * INTO a FROM wq.agreement WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION '没有编号为 % 的协议', p_id USING ERRCODE = 'no_data_found';
	END IF;
	IF a.kind = 'offline' AND a.state IN ('issued', 'signing_returned', 'signing_rejected') THEN
		PERFORM wq.attachment_store(a, 'stamped', p_file_name, p_data);
		RETURN wq.agreement_act(p_id, CASE WHEN a.state = 'issued' THEN 'upload' ELSE 'resubmit' END,
			CASE WHEN a.state = 'issued' THEN p_as ELSE 'student' END, NULL, p_request_id, NULL, NULL);
	END IF;
	IF a.kind = 'registration' AND a.state IN ('reg_review', 'reg_returned') THEN
		PERFORM wq.attachment_store(a, 'paper', p_file_name, p_data);
		IF a.state = 'reg_returned' THEN
			RETURN wq.agreement_act(p_id, 'resubmit', 'student', NULL, p_request_id, NULL, NULL);
		END IF;
		PERFORM pg_notify('wq_items_' || a.school_code, '');
		RETURN jsonb_build_object('id', a.id, 'state', a.state, 'label', wq.item_state_label(a.kind, a.state),
			'version', a.version, 'replayed', false);
	END IF;
	RAISE EXCEPTION '当前状态（%）下不能上传协议书', wq.item_state_label(a.kind, a.state)
		USING ERRCODE = 'invalid_parameter_value';
END
$$;

-- An item's files, for its reviewers: no data, only what they are.
CREATE FUNCTION wq_api.agreement_attachments(p_id bigint)
RETURNS TABLE (id bigint, role text, role_label text, file_name text, mime text, size integer, sha256 text,
	uploaded_at timestamptz, uploaded_by text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF wq.caller_review_level() IS NULL AND NOT wq.is_operator() THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看附件' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN QUERY
	SELECT x.id, x.role, CASE x.role WHEN 'stamped' THEN '盖章的就业协议书' ELSE '已签的就业协议书' END,
	       x.file_name, x.mime, x.size, x.sha256, x.uploaded_at, (SELECT w.name FROM wq.actor_of(x.uploaded_by) w)
	  FROM wq.attachment x JOIN wq.agreement a ON a.id = x.item_id
	 WHERE x.item_id = p_id ORDER BY x.id;
END
$$;

-- One file's bytes, for its item's reviewers (nothing out of scope).
CREATE FUNCTION wq_api.attachment_data(p_attachment bigint) RETURNS bytea
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v bytea;
BEGIN
	IF wq.caller_review_level() IS NULL AND NOT wq.is_operator() THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看附件' USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT x.data INTO v FROM wq.attachment x JOIN wq.agreement a ON a.id = x.item_id WHERE x.id = p_attachment;
	IF v IS NULL THEN
		RAISE EXCEPTION '没有这个附件，或不在您的范围内' USING ERRCODE = 'no_data_found';
	END IF;
	RETURN v;
END
$$;

-- Invitations past their validity turn 签约邀请已失效 (run by the portal or
-- the operator, for example daily).  Returns how many.
CREATE FUNCTION wq_api.invitations_expire() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_id bigint;
	n    integer := 0;
BEGIN
	PERFORM wq.require_portal();
	FOR v_id IN SELECT id FROM wq.agreement WHERE kind = 'online' AND state = 'invited' AND valid_until < now()
	            ORDER BY id FOR UPDATE SKIP LOCKED LOOP
		PERFORM wq.agreement_act(v_id, 'expire', 'system', NULL, NULL, NULL, NULL);
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;

-- ---------------------------------------------------------------------------
-- wq_api: the school's and the departments' side
-- ---------------------------------------------------------------------------

-- 通过 (pass), 退回修改 (return), 不通过 (reject) of agreement p_id at the
-- caller's level; p_version: the version the clerk saw; p_request_id: the
-- client's, kept across a retry; p_category (wq.review_reason's code) and
-- p_reason (具体问题) for 退回修改 and 不通过.
CREATE FUNCTION wq_api.review_decide(p_id bigint, p_action text, p_version integer,
	p_request_id uuid DEFAULT NULL, p_category text DEFAULT NULL, p_reason text DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM wq.check_arg(p_action, 16, '审核操作');
	PERFORM wq.check_arg(p_category, 32, '原因类别');
	PERFORM wq.check_arg(p_reason, 500, '具体问题');
	IF wq.caller_review_level() IS NULL AND NOT wq.is_operator() THEN
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

-- The reasons for 退回修改 and 不通过 of a kind of item, in order.
CREATE FUNCTION wq_api.review_reasons(p_kind text)
RETURNS TABLE (code text, label text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM wq.check_arg(p_kind, 16, '类型');
	RETURN QUERY SELECT r.code, r.label FROM wq.review_reason r WHERE r.kind = p_kind ORDER BY r.sort;
END
$$;

-- The caller's agreements, newest change last: p_queue 'signing' (online and
-- offline) or 'registration' (补登); p_state one state or NULL; p_waiting:
-- only those the caller may decide now; after id p_after_id, at most p_limit.
CREATE FUNCTION wq_api.agreements(p_queue text, p_state text DEFAULT NULL, p_initiator text DEFAULT NULL,
	p_waiting boolean DEFAULT false, p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 200)
RETURNS TABLE (id bigint, kind text, initiator text, state text, state_label text, review_level text,
	level_label text, version integer, protocol_no text, student_no text, student_name text, dept text,
	employer_code text, employer_name text, employer_status text, updated_at timestamptz, actions text[])
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 200 SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM wq.check_arg(p_queue, 16, '队列');
	PERFORM wq.check_arg(p_state, 32, '状态');
	PERFORM wq.check_arg(p_initiator, 16, '签约发起方');
	IF wq.caller_review_level() IS NULL AND NOT wq.is_operator() THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看审核队列' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_queue NOT IN ('signing', 'registration') OR p_limit NOT BETWEEN 1 AND 10000 THEN
		RAISE EXCEPTION '队列应为 signing 或 registration' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	SELECT a.id, a.kind, a.initiator, a.state, wq.verb_label(wq.item_state_label(a.kind, a.state), a.school_code),
	       a.review_level, wq.verb_label(wq.item_level_label(a.review_level, st.review_mode), a.school_code),
	       a.version, a.protocol_no, s.student_no, s.name,
	       a.dept, e.credit_code, e.name, wq.employer_status_label(e.status), a.updated_at,
	       wq.agreement_reviewer_actions(a)
	  FROM wq.agreement a
	  JOIN wq.student s ON s.id = a.student_id
	  JOIN wq.employer e ON e.credit_code = a.employer_code
	  JOIN wq.school_settings st ON st.school_code = a.school_code
	 WHERE (CASE WHEN p_queue = 'registration' THEN a.kind = 'registration' ELSE a.kind <> 'registration' END)
	   AND (p_state IS NULL OR a.state = p_state)
	   AND (p_initiator IS NULL OR a.initiator = p_initiator)
	   AND (p_after_id IS NULL OR a.id > p_after_id)
	   AND (NOT p_waiting OR cardinality(wq.agreement_reviewer_actions(a)) > 0)
	 ORDER BY a.id
	 LIMIT p_limit;
END
$$;

-- One agreement's history, oldest first: when, who (name, kind), what.
CREATE FUNCTION wq_api.agreement_history(p_id bigint)
RETURNS TABLE (at timestamptz, actor_name text, actor_kind text, action text, from_state text,
	to_state text, to_label text, category text, reason text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT e.at, who.name, who.kind, e.action, e.from_state, e.to_state,
	       wq.verb_label(wq.item_state_label(a.kind, e.to_state), a.school_code), e.after->>'category', e.reason
	  FROM wq.agreement a
	  JOIN wq.event e ON e.entity = 'agreement' AND e.entity_id = a.id::text
	 CROSS JOIN LATERAL wq.actor_of(e.actor) who
	 WHERE a.id = p_id AND (wq.caller_review_level() IS NOT NULL OR wq.is_operator())
	 ORDER BY e.id
$$;

-- The notices of one item (the portal shows them to the graduate).
CREATE FUNCTION wq_api.item_notices(p_id bigint)
RETURNS TABLE (at timestamptz, text text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT n.at, n.text FROM wq.notice n WHERE n.item_id = p_id ORDER BY n.id
$$;

DO $$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'wq.credit_code_valid(text)', 'wq.employer_status_label(text)', 'wq.item_start_state(text)',
		'wq.item_state_label(text, text)', 'wq.item_level_label(text, text)', 'wq.verb_label(text, text)',
		'wq.item_effective_level(text, text)', 'wq.caller_review_level()',
		'wq.agreement_reviewer_actions(wq.agreement)',
		'wq.agreement_act(bigint, text, text, integer, uuid, text, text, jsonb)',
		'wq.agreement_may_start(bigint, text, bigint)', 'wq.agreement_may_invite(bigint)',
		'wq.require_portal()', 'wq.roster_student(text, text)',
		'wq.agreement_new(text, text, text, text, jsonb, integer)',
		'wq_api.employer_add(text, text, text, text, text, text, text, text)',
		'wq_api.invite(text, text, text, jsonb, integer)', 'wq_api.offline_apply(text, text, text, jsonb)',
		'wq_api.registration_submit(text, text, text, jsonb)',
		'wq_api.portal_act(bigint, text, text, jsonb, uuid)', 'wq_api.invitations_expire()',
		'wq_api.review_decide(bigint, text, integer, uuid, text, text)', 'wq_api.review_reasons(text)',
		'wq_api.agreements(text, text, text, boolean, bigint, integer)', 'wq_api.agreement_history(bigint)',
		'wq_api.item_notices(bigint)', 'wq.attachment_type(bytea)',
		'wq.attachment_store(wq.agreement, text, text, bytea)',
		'wq_api.portal_upload(bigint, text, text, bytea, uuid)', 'wq_api.agreement_attachments(bigint)',
		'wq_api.attachment_data(bigint)']
	LOOP
		EXECUTE 'REVOKE ALL ON FUNCTION ' || f || ' FROM PUBLIC';
	END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION wq_api.employer_add(text, text, text, text, text, text, text, text),
	wq_api.invite(text, text, text, jsonb, integer), wq_api.offline_apply(text, text, text, jsonb),
	wq_api.registration_submit(text, text, text, jsonb), wq_api.portal_act(bigint, text, text, jsonb, uuid),
	wq_api.invitations_expire(), wq_api.item_notices(bigint),
	wq_api.portal_upload(bigint, text, text, bytea, uuid)
	TO wq_portal, wq_operator;
GRANT EXECUTE ON FUNCTION wq_api.review_decide(bigint, text, integer, uuid, text, text),
	wq_api.review_reasons(text), wq_api.agreements(text, text, text, boolean, bigint, integer),
	wq_api.agreement_history(bigint), wq_api.agreement_attachments(bigint), wq_api.attachment_data(bigint)
	TO wq_school, wq_dept, wq_operator;
GRANT EXECUTE ON FUNCTION wq_api.item_notices(bigint) TO wq_school, wq_dept;

RESET ROLE;
