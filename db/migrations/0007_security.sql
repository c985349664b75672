-- 0007_security: what a hostile clerk with psql could learn, stall or store.
--
--   * Reads.  A plan tells what row security hides: EXPLAIN (ANALYZE) over a
--     view on a table prints "Rows Removed by Filter" for the rows the policy
--     removed, and its estimates come from statistics over every school.  So
--     every relation a clerk may read is now a view over a SECURITY DEFINER
--     set-returning function (never inlined: its inner plan is not shown to
--     the caller), which returns only the rows in the caller's scope, and the
--     list reads the rows of a page by id (wq_api.student_rows).
--   * Bounds.  Every text parameter of every wq_api function is checked for
--     length first (wq.check_arg, SQLSTATE 22001); clerk login roles get a
--     statement_timeout and an idle_in_transaction_session_timeout.
--   * 核对 answers one way for every attempt that does not match a roster row
--     by 身份证号 and 姓名, returns nothing then and changes nothing.
--   * An import is serialised on its own school's row (wq.roster_lock), which
--     only that school (or the operator) can lock, and no longer ends with
--     ANALYZE wq.student, which waited for other schools' imports.
--   * Every text column of every table refuses control and bidi characters
--     and has a length bound (wq.clean_text); event payloads have a bound.
--   * Accounts: only well-formed SCRAM verifiers, only ordinary login names;
--     a school may not unlock what the platform operator locked.

SET LOCAL ROLE wq_owner;

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------

-- Text a screen may show as it is: at most p_max characters, no C0 control
-- (a line feed only when p_multiline), no DEL, no C1 control, no bidi
-- control.  One plain expression: the planner inlines it into each CHECK
-- constraint, where p_multiline is a constant and the CASE folds away.
CREATE FUNCTION wq.clean_text(p text, p_max integer, p_multiline boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT pg_catalog.length(p) OPERATOR(pg_catalog.<=) p_max
	   AND p OPERATOR(pg_catalog.!~) CASE WHEN p_multiline
		THEN '[\x01-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]'
		ELSE '[\x01-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]' END
$$;

-- Refuses an over-long argument before anything else looks at it.
CREATE FUNCTION wq.check_arg(p text, p_max integer, p_what text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF length(p) > p_max THEN
		RAISE EXCEPTION '%过长：最多 % 个字符', p_what, p_max
			USING ERRCODE = 'string_data_right_truncation';
	END IF;
END
$$;

-- A SCRAM-SHA-256 verifier as PostgreSQL stores it:
-- SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>,
-- each key 32 bytes.  Anything else given as a role's password would be
-- taken as a clear password and hashed.
CREATE FUNCTION wq.scram_verifier_valid(p text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT coalesce(p OPERATOR(pg_catalog.~) ('^SCRAM-SHA-256\$[1-9][0-9]{0,8}:'
		'([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)'
		'\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$'), false)
$$;

-- An ordinary login name: lower-case letters, digits and underscores,
-- beginning with a letter, 2–32 characters; not pg_… or wq_…, and not a
-- word that means something else where a role is named (current_user,
-- session_user, current_role, all, public, none, and every other keyword
-- that is not unreserved).
CREATE FUNCTION wq.login_name_valid(p text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(p ~ '^[a-z][a-z0-9_]{1,31}$'
		AND p NOT LIKE 'pg\_%' AND p NOT LIKE 'wq\_%'
		AND p NOT IN ('public', 'none', 'current_user', 'session_user', 'current_role', 'all', 'user')
		AND NOT EXISTS (SELECT 1 FROM pg_get_keywords() k WHERE k.word = p AND k.catcode <> 'U'), false)
$$;

CREATE FUNCTION wq.require_login_name(p text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT wq.login_name_valid(p) THEN
		RAISE EXCEPTION '登录名“%”无效：应为 2–32 位小写字母、数字或下划线，以字母开头，且不能是保留字', p
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;

CREATE FUNCTION wq.require_verifier(p text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT wq.scram_verifier_valid(p) THEN
		RAISE EXCEPTION '密码必须以 SCRAM-SHA-256 摘要提交（格式不正确）' USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;

REVOKE ALL ON FUNCTION wq.clean_text(text, integer, boolean), wq.check_arg(text, integer, text),
	wq.scram_verifier_valid(text), wq.login_name_valid(text), wq.require_login_name(text),
	wq.require_verifier(text) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- Text columns: no control or bidi character, a length bound.  Columns whose
-- CHECK already allows only digits, ASCII letters or a fixed list need
-- nothing more (the import stays fast: these run for every student row).
-- ---------------------------------------------------------------------------
DO $$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT * FROM (VALUES
		('account', 'login', 63, false), ('account', 'name', 50, false), ('account', 'created_by', 63, false),
		('account', 'province_code', 16, false), ('account', 'school_code', 16, false),
		('account', 'dept', 100, false), ('code', 'kind', 32, false), ('code', 'parent', 16, false),
		('department', 'school_code', 16, false), ('school', 'province_code', 16, false),
		('school_settings', 'school_code', 16, false),
		('student', 'school_code', 16, false), ('student', 'province_code', 16, false),
		('student', 'dept', 100, false),
		('code', 'name', 200, false), ('code', 'short_name', 50, false), ('code', 'note', 2000, true),
		('code_kind', 'name', 100, false), ('code_kind', 'kind', 32, false), ('code', 'code', 16, false),
		('department', 'name', 100, false),
		('event', 'actor', 63, false), ('event', 'school_code', 16, false), ('event', 'dept', 100, false),
		('event', 'entity', 32, false), ('event', 'entity_id', 100, false), ('event', 'action', 32, false),
		('event', 'from_state', 32, false), ('event', 'to_state', 32, false), ('event', 'reason', 2000, true),
		('province', 'name', 50, false),
		('schema_migration', 'name', 200, false), ('schema_migration', 'checksum', 64, false),
		('schema_migration', 'applied_by', 63, false),
		('school', 'name', 100, false),
		('school_settings', 'handler', 50, false), ('school_settings', 'address', 200, false),
		('school_settings', 'updated_by', 63, false),
		('student', 'student_no', 32, false), ('student', 'name', 50, false), ('student', 'major', 100, false),
		('student', 'origin_name', 100, false), ('student', 'email', 254, false),
		('student', 'destination_code', 16, false)
	) AS v(tab, col, max_len, multiline) LOOP
		EXECUTE format('ALTER TABLE wq.%I ADD CONSTRAINT %I CHECK (wq.clean_text(%I, %s, %s)) NOT VALID',
			r.tab, r.tab || '_' || r.col || '_clean', r.col, r.max_len,
			CASE WHEN r.multiline THEN 'true' ELSE 'false' END);
		EXECUTE format('ALTER TABLE wq.%I VALIDATE CONSTRAINT %I', r.tab, r.tab || '_' || r.col || '_clean');
	END LOOP;
END
$$;
-- the fields that differed at a 核对: names of fields
ALTER TABLE wq.student ADD CONSTRAINT student_verify_fields_clean
	CHECK (wq.clean_text(array_to_string(verify_fields, '|'), 200, false)) NOT VALID;
ALTER TABLE wq.student VALIDATE CONSTRAINT student_verify_fields_clean;
-- event payloads: bounded (a file name of megabytes went into one)
ALTER TABLE wq.event ADD CONSTRAINT event_payload_bound
	CHECK (octet_length(before::text) <= 65536 AND octet_length(after::text) <= 65536) NOT VALID;
ALTER TABLE wq.event VALIDATE CONSTRAINT event_payload_bound;

-- ---------------------------------------------------------------------------
-- Accounts: who locked it.  A school may unlock only what a school locked.
-- ---------------------------------------------------------------------------
ALTER TABLE wq.account ADD COLUMN locked_by_kind text
	CHECK (locked_by_kind IS NULL OR (locked_by_kind IN ('operator', 'school') AND locked));
-- accounts locked before: by whoever locked them last (a school account, or else the operator)
UPDATE wq.account a SET locked_by_kind = CASE WHEN EXISTS (
		SELECT 1 FROM wq.account s WHERE s.kind = 'school' AND s.login = (
			SELECT e.actor FROM wq.event e WHERE e.entity = 'account' AND e.entity_id = a.login
			   AND e.action = 'lock' ORDER BY e.id DESC LIMIT 1))
	THEN 'school' ELSE 'operator' END
 WHERE a.locked;

-- ---------------------------------------------------------------------------
-- Imports: one at a time per school, on a lock only that school can take.
-- A school user may lock its own school's row, never change it.
-- ---------------------------------------------------------------------------
CREATE POLICY school_import_lock ON wq.school FOR UPDATE TO wq_owner
	USING (code = (SELECT wq.caller_school()) AND (SELECT wq.caller_kind()) = 'school')
	WITH CHECK (false);

-- Waits for the school's other import, if one runs; never for another school.
-- FOR NO KEY UPDATE does not conflict with the key-share locks that rows
-- referencing the school take.
CREATE FUNCTION wq.roster_lock(p_school text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM 1 FROM wq.school WHERE code = p_school FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION '只能导入本校的学生名单' USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;
REVOKE ALL ON FUNCTION wq.roster_lock(text) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- Reading: every relation a clerk may read is a view over a SECURITY DEFINER
-- function of wq_owner's that returns only the caller's rows (row security
-- applies inside, as before).  The caller's plan shows one Function Scan,
-- whose rows are the caller's and whose estimate is the function's ROWS, so
-- neither a filter's removed rows nor the statistics tell about other rows.
-- ---------------------------------------------------------------------------

-- The students the caller may see: those of p_ids, in that order (a page of
-- wq_api.student_page, at most 10,000), or all of them when p_ids is NULL.
-- The portal reads none (it verifies through wq_api.student_verify only).
CREATE FUNCTION wq_api.student_rows(p_ids bigint[] DEFAULT NULL)
RETURNS TABLE (id bigint, school_code text, school_name text, province_code text, student_no text,
	exam_no text, name text, sex text, sex_name text, id_number text, ethnicity text,
	ethnicity_name text, political_status text, political_status_name text, birth_date date,
	dept text, level text, level_name text, major text, training_mode text, training_mode_name text,
	origin_code text, origin_name text, years text, entry_date date, grad_date date, mobile text,
	email text, eligible boolean, verify_status text, verify_fields text[],
	verified_at timestamp with time zone, in_roster boolean, destination_code text, version integer,
	updated_at timestamp with time zone)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 200 SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
	IF cardinality(p_ids) > 10000 THEN
		RAISE EXCEPTION '一次最多读取 10000 名学生' USING ERRCODE = 'program_limit_exceeded';
	END IF;
	IF wq.caller_kind() IS NOT DISTINCT FROM 'portal' THEN
		RETURN;
	END IF;
	IF p_ids IS NULL THEN
		RETURN QUERY
		SELECT s.id, s.school_code, sc.name, s.province_code, s.student_no, s.exam_no,
		       s.name, s.sex, sx.name, s.id_number,
		       s.ethnicity, eth.name, s.political_status, pol.name,
		       s.birth_date, s.dept, s.level, lv.name, s.major,
		       s.training_mode, tm.name, s.origin_code, s.origin_name,
		       s.years, s.entry_date, s.grad_date, s.mobile, s.email, s.eligible,
		       s.verify_status, s.verify_fields, s.verified_at, s.in_roster, s.destination_code,
		       s.version, s.updated_at
		  FROM wq.student s
		  JOIN wq.school sc ON sc.code = s.school_code
		  LEFT JOIN wq.code sx ON sx.kind = 'sex' AND sx.code = s.sex
		  LEFT JOIN wq.code eth ON eth.kind = 'ethnicity' AND eth.code = s.ethnicity
		  LEFT JOIN wq.code pol ON pol.kind = 'political_status' AND pol.code = s.political_status
		  LEFT JOIN wq.code lv ON lv.kind = 'education_level' AND lv.code = s.level
		  LEFT JOIN wq.code tm ON tm.kind = 'training_mode' AND tm.code = s.training_mode;
		RETURN;
	END IF;
	RETURN QUERY
	SELECT s.id, s.school_code, sc.name, s.province_code, s.student_no, s.exam_no,
	       s.name, s.sex, sx.name, s.id_number,
	       s.ethnicity, eth.name, s.political_status, pol.name,
	       s.birth_date, s.dept, s.level, lv.name, s.major,
	       s.training_mode, tm.name, s.origin_code, s.origin_name,
	       s.years, s.entry_date, s.grad_date, s.mobile, s.email, s.eligible,
	       s.verify_status, s.verify_fields, s.verified_at, s.in_roster, s.destination_code,
	       s.version, s.updated_at
	  FROM unnest(p_ids) WITH ORDINALITY AS u(id, n)
	  JOIN wq.student s ON s.id = u.id
	  JOIN wq.school sc ON sc.code = s.school_code
	  LEFT JOIN wq.code sx ON sx.kind = 'sex' AND sx.code = s.sex
	  LEFT JOIN wq.code eth ON eth.kind = 'ethnicity' AND eth.code = s.ethnicity
	  LEFT JOIN wq.code pol ON pol.kind = 'political_status' AND pol.code = s.political_status
	  LEFT JOIN wq.code lv ON lv.kind = 'education_level' AND lv.code = s.level
	  LEFT JOIN wq.code tm ON tm.kind = 'training_mode' AND tm.code = s.training_mode
	 ORDER BY u.n;
END
$$;

-- The events the caller may see.  The portal sees none (not even its own
-- 核对 events, which name students).
CREATE FUNCTION wq_api.read_events()
RETURNS TABLE (id bigint, at timestamp with time zone, actor text, school_code text, dept text,
	entity text, entity_id text, action text, from_state text, to_state text, before jsonb,
	after jsonb, reason text, request_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT e.id, e.at, e.actor, e.school_code, e.dept, e.entity, e.entity_id, e.action,
	       e.from_state, e.to_state, e.before, e.after, e.reason, e.request_id
	  FROM wq.event e
	 WHERE (SELECT wq.caller_kind()) IS DISTINCT FROM 'portal'
$$;

-- One student's history is wq_api.student_history (0012).

CREATE OR REPLACE VIEW wq_api.students AS SELECT * FROM wq_api.student_rows(NULL);
CREATE OR REPLACE VIEW wq_api.events AS SELECT * FROM wq_api.read_events();
REVOKE ALL ON wq_api.events FROM wq_portal;
REVOKE ALL ON FUNCTION wq_api.student_rows(bigint[]), wq_api.read_events()
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.student_rows(bigint[]), wq_api.read_events()
	TO wq_operator, wq_province, wq_school, wq_dept;

-- The other views, each the same way: its query becomes the body of
-- wq_api.read_<view>() (a SECURITY DEFINER function of wq_owner's, run with
-- the same policies as the view was), and the view reads that function.
-- Functions in a view run with the caller's EXECUTE right: whoever may read
-- the view may run its function.
DO $$
DECLARE
	v     record;
	cols  text;
	fn    text;
	def   text;
	path  text := current_setting('search_path');
BEGIN
	PERFORM set_config('search_path', 'pg_catalog', true);   -- so pg_get_viewdef qualifies every name
	FOR v IN SELECT c.oid, c.relname FROM pg_class c
	          WHERE c.relnamespace = 'wq_api'::regnamespace AND c.relkind = 'v'
	            AND c.relname IN ('me', 'provinces', 'schools', 'departments', 'accounts',
	                              'school_settings', 'code_kinds', 'codes')
	          ORDER BY c.relname LOOP
		SELECT string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum)
		  INTO cols FROM pg_attribute a WHERE a.attrelid = v.oid AND a.attnum > 0 AND NOT a.attisdropped;
		fn := 'read_' || v.relname;
		def := pg_get_viewdef(v.oid);
		EXECUTE format('CREATE FUNCTION wq_api.%I() RETURNS TABLE (%s) LANGUAGE sql STABLE SECURITY DEFINER'
			' SET search_path = pg_catalog, pg_temp AS %L', fn, cols, def);
		EXECUTE format('REVOKE ALL ON FUNCTION wq_api.%I() FROM PUBLIC', fn);
		EXECUTE format('CREATE OR REPLACE VIEW wq_api.%I AS SELECT * FROM wq_api.%I()', v.relname, fn);
		EXECUTE (SELECT format('GRANT EXECUTE ON FUNCTION wq_api.%I() TO %s', fn,
		                       string_agg(quote_ident(r.rolname), ', '))
		           FROM aclexplode((SELECT relacl FROM pg_class WHERE oid = v.oid)) x
		           JOIN pg_roles r ON r.oid = x.grantee
		          WHERE x.privilege_type = 'SELECT' AND r.rolname <> 'wq_owner');
	END LOOP;
	PERFORM set_config('search_path', path, true);
END
$$;

-- ---------------------------------------------------------------------------
-- Writing: the same functions, each checking its arguments' lengths first.
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION wq_api.province_set(p_code text, p_name text, p_agreement_type text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_before jsonb;
	v_after  jsonb;
BEGIN
	PERFORM wq.check_arg(p_code, 16, '省份代码');
	PERFORM wq.check_arg(p_name, 50, '省份名称');
	PERFORM wq.check_arg(p_agreement_type, 32, '协议类型');
	PERFORM wq.require_operator();
	SELECT to_jsonb(p) INTO v_before FROM wq.province p WHERE p.code = p_code FOR UPDATE;
	INSERT INTO wq.province (code, name, agreement_type)
	VALUES (p_code, p_name, p_agreement_type)
	ON CONFLICT (code) DO UPDATE SET name = excluded.name,
	                                 agreement_type = excluded.agreement_type;
	SELECT to_jsonb(p) INTO v_after FROM wq.province p WHERE p.code = p_code;
	IF v_before IS DISTINCT FROM v_after THEN
		PERFORM wq.log_event('province', p_code,
			CASE WHEN v_before IS NULL THEN 'create' ELSE 'update' END,
			NULL, NULL, v_before, v_after);
	END IF;
END
$$;

CREATE OR REPLACE FUNCTION wq_api.school_add(p_code text, p_name text, p_province text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM wq.check_arg(p_code, 16, '学校代码');
	PERFORM wq.check_arg(p_name, 100, '学校名称');
	PERFORM wq.check_arg(p_province, 16, '省份代码');
	PERFORM wq.require_operator();
	IF NOT EXISTS (SELECT 1 FROM wq.province WHERE code = p_province) THEN
		RAISE EXCEPTION '省份 % 不存在', p_province
			USING ERRCODE = 'foreign_key_violation',
			      HINT = '先运行 wq admin province set ' || p_province;
	END IF;
	INSERT INTO wq.school (code, name, province_code) VALUES (p_code, p_name, p_province);
	INSERT INTO wq.school_settings (school_code) VALUES (p_code);
	PERFORM wq.log_event('school', p_code, 'create', p_code, NULL, NULL,
		jsonb_build_object('code', p_code, 'name', p_name, 'province_code', p_province));
END
$$;

-- Adds the account row for an existing login role.  A dept account's 院系
-- is created for the school when it is not there yet.  The role gets the
-- clerks' time limits (wq.login_limits).
CREATE OR REPLACE FUNCTION wq_api.account_add(p_login text, p_kind text, p_province text,
	p_school text, p_dept text, p_name text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_group text;
BEGIN
	PERFORM wq.check_arg(p_login, 63, '登录名');
	PERFORM wq.check_arg(p_kind, 16, '账号类型');
	PERFORM wq.check_arg(p_province, 16, '省份代码');
	PERFORM wq.check_arg(p_school, 16, '学校代码');
	PERFORM wq.check_arg(p_dept, 100, '院系');
	PERFORM wq.check_arg(p_name, 50, '姓名');
	PERFORM wq.require_operator();
	PERFORM wq.require_login_name(p_login);
	IF p_kind NOT IN ('province', 'school', 'dept', 'portal') THEN
		RAISE EXCEPTION '未知的账号类型 %', p_kind USING ERRCODE = 'check_violation';
	END IF;
	v_group := 'wq_' || p_kind;
	IF NOT pg_catalog.pg_has_role(p_login, v_group, 'MEMBER') THEN
		RAISE EXCEPTION '登录角色 % 不是 % 的成员', p_login, v_group
			USING ERRCODE = 'invalid_grant_operation';
	END IF;
	IF p_kind = 'dept' THEN
		INSERT INTO wq.department (school_code, name) VALUES (p_school, p_dept)
		ON CONFLICT DO NOTHING;
	END IF;
	INSERT INTO wq.account (login, kind, province_code, school_code, dept, name)
	VALUES (p_login, p_kind, p_province, p_school, p_dept, coalesce(p_name, ''));
	PERFORM wq.login_limits(p_login);
	PERFORM wq.log_event('account', p_login, 'create', p_school, p_dept, NULL,
		jsonb_build_object('login', p_login, 'kind', p_kind, 'province_code', p_province,
		                   'school_code', p_school, 'dept', p_dept, 'name', p_name));
END
$$;

-- The operator locks and unlocks any account; what the operator locked,
-- only the operator unlocks.
CREATE OR REPLACE FUNCTION wq_api.account_set_locked(p_login text, p_locked boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_acc wq.account;
BEGIN
	PERFORM wq.check_arg(p_login, 63, '登录名');
	PERFORM wq.require_operator();
	SELECT * INTO v_acc FROM wq.account WHERE login = p_login FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION '账号 % 不存在', p_login USING ERRCODE = 'no_data_found';
	END IF;
	IF v_acc.locked = p_locked THEN
		-- locked by a school: from now on the operator's lock
		IF p_locked AND v_acc.locked_by_kind IS DISTINCT FROM 'operator' THEN
			UPDATE wq.account SET locked_by_kind = 'operator' WHERE login = p_login;
		END IF;
		RETURN;
	END IF;
	UPDATE wq.account SET locked = p_locked,
	       locked_by_kind = CASE WHEN p_locked THEN 'operator' END
	 WHERE login = p_login;
	PERFORM wq.log_event('account', p_login, CASE WHEN p_locked THEN 'lock' ELSE 'unlock' END,
		v_acc.school_code, v_acc.dept,
		jsonb_build_object('locked', v_acc.locked), jsonb_build_object('locked', p_locked),
		NULL, NULL,
		CASE WHEN v_acc.locked THEN 'locked' ELSE 'active' END,
		CASE WHEN p_locked THEN 'locked' ELSE 'active' END);
END
$$;

CREATE OR REPLACE FUNCTION wq_api.roster_begin(p_school text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM wq.check_arg(p_school, 16, '学校代码');
	PERFORM wq.import_school(p_school);
	DROP TABLE IF EXISTS pg_temp.wq_roster_stage;
	CREATE TEMP TABLE wq_roster_stage (
		line int NOT NULL, exam_no text, name text, sex text, id_number text,
		ethnicity text, political_status text, birth_date text, school_name text,
		dept text, level text, major text, training_mode text, origin_code text,
		origin_name text, student_no text, years text, entry_date text,
		grad_date text, mobile text, email text
	) ON COMMIT DROP;
	EXECUTE format('GRANT INSERT ON pg_temp.wq_roster_stage TO %I', session_user);
END
$$;

-- The staged roster's text fields, as the table will check them: every
-- problem by line and field (one pattern per row; the fields of the rows
-- that fail are looked at one by one).
CREATE FUNCTION wq.roster_check_text() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_count    int;
	v_problems text;
BEGIN
	WITH bad AS (
		SELECT st.* FROM pg_temp.wq_roster_stage st
		 WHERE NOT wq.clean_text(concat(st.name, st.dept, st.major, st.origin_name, st.student_no,
		                                st.email, st.school_name, st.exam_no), 1000000, false)
		    OR length(st.name) > 50 OR length(st.dept) > 100 OR length(st.major) > 100
		    OR length(st.origin_name) > 100 OR length(st.student_no) > 32 OR length(st.email) > 254
		    OR length(st.school_name) > 100 OR length(st.exam_no) > 32
	), p AS (
		SELECT b.line, f.label, f.max_len
		  FROM bad b
		 CROSS JOIN LATERAL (VALUES ('姓名', b.name, 50), ('院系', b.dept, 100), ('专业', b.major, 100),
		        ('生源所在地', b.origin_name, 100), ('学号', b.student_no, 32), ('电子邮箱', b.email, 254),
		        ('毕业院校', b.school_name, 100), ('考生号', b.exam_no, 32)) AS f(label, v, max_len)
		 WHERE NOT wq.clean_text(f.v, f.max_len, false)
	)
	SELECT (SELECT count(*) FROM p),
	       (SELECT string_agg(format('第 %s 行: %s: 含有控制字符或文字方向控制字符，或超过 %s 个字符', line, label, max_len),
	                          E'\n' ORDER BY line, label)
	          FROM (SELECT * FROM p ORDER BY line, label LIMIT 200) x)
	  INTO v_count, v_problems;
	IF v_count > 0 THEN
		RAISE EXCEPTION '名单有 % 处错误，未导入任何数据', v_count
			USING ERRCODE = 'check_violation', DETAIL = v_problems;
	END IF;
END
$$;
REVOKE ALL ON FUNCTION wq.roster_check_text() FROM PUBLIC;

-- wq_api.roster_apply takes the same bounds, the lock (wq.roster_lock), the
-- text check (wq.roster_check_text) and no ANALYZE in 0012, which redefines it.

-- ---------------------------------------------------------------------------
-- 核对.  Only a roster row with this 身份证号 and this 姓名 in the school is
-- an answer: every other attempt gets {"status": "not_found"}, with nothing
-- else, and changes nothing.  A match whose 学历层次 differs is recorded as
-- 信息不一致 (学历层次).  Returns
-- {"status": "verified"|"mismatch", "fields": [...], "student_no": ..., "school_name": ...}.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION wq_api.student_verify(p_school text, p_name text, p_id_number text, p_level text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_s      wq.student;
	v_level  text;
	v_fields text[] := '{}';
	v_status text;
	v_school_name text;
BEGIN
	PERFORM wq.check_arg(p_school, 16, '学校代码');
	PERFORM wq.check_arg(p_name, 50, '姓名');
	PERFORM wq.check_arg(p_id_number, 32, '身份证号');
	PERFORM wq.check_arg(p_level, 50, '学历层次');
	IF wq.caller_kind() IS DISTINCT FROM 'portal' AND NOT wq.is_operator() THEN
		RAISE EXCEPTION '只有门户账号可以核对学生信息' USING ERRCODE = 'insufficient_privilege';
	END IF;
	v_level := coalesce((SELECT code FROM wq.code WHERE kind = 'education_level'
	                      AND (code = btrim(p_level) OR name = btrim(p_level))), btrim(p_level));
	-- the same person may be on the roster twice (two levels): the one of this level first
	SELECT * INTO v_s FROM wq.student
	 WHERE school_code = p_school AND id_number = upper(btrim(p_id_number)) AND name = btrim(p_name)
	 ORDER BY level IS NOT DISTINCT FROM v_level DESC, id
	 LIMIT 1
	   FOR UPDATE;
	IF NOT FOUND THEN
		RETURN jsonb_build_object('status', 'not_found');
	END IF;
	SELECT name INTO v_school_name FROM wq.school WHERE code = p_school;
	IF v_s.level IS DISTINCT FROM v_level THEN
		v_fields := v_fields || '学历层次'::text;
	END IF;
	v_status := CASE WHEN cardinality(v_fields) = 0 THEN 'verified' ELSE 'mismatch' END;
	UPDATE wq.student SET verify_status = v_status, verify_fields = v_fields, verified_at = now(),
	       version = version + 1, updated_at = now()
	 WHERE id = v_s.id;
	PERFORM wq.log_event('student', v_s.id::text, 'verify', v_s.school_code, v_s.dept,
		jsonb_build_object('verify_status', v_s.verify_status),
		jsonb_build_object('verify_status', v_status, 'fields', to_jsonb(v_fields)),
		NULL, NULL, v_s.verify_status, v_status);
	RETURN jsonb_build_object('status', v_status, 'fields', to_jsonb(v_fields),
		'student_no', v_s.student_no, 'school_name', v_school_name);
END
$$;

CREATE OR REPLACE FUNCTION wq_api.settings_set(p_changes jsonb, p_version integer, p_request_id uuid DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_school text;
	v_old    wq.school_settings;
	v_new    wq.school_settings;
	v_key    text;
BEGIN
	PERFORM wq.check_arg(p_changes::text, 10000, '设置内容');
	v_school := wq.require_school_user();
	FOR v_key IN SELECT jsonb_object_keys(p_changes) LOOP
		IF v_key NOT IN ('online_signing', 'registration', 'destination', 'review_mode',
		                 'max_terminations', 'handler', 'phone', 'address', 'postcode') THEN
			RAISE EXCEPTION '未知的设置项 %', v_key USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END LOOP;
	SELECT * INTO v_old FROM wq.school_settings WHERE school_code = v_school FOR UPDATE;
	IF p_version IS NOT NULL AND v_old.version <> p_version THEN
		RAISE EXCEPTION '签约设置已被 % 于 % 修改，请刷新后重试', v_old.updated_by,
			to_char(v_old.updated_at, 'MM-DD HH24:MI')
			USING ERRCODE = 'serialization_failure';
	END IF;
	v_new := v_old;
	v_new.online_signing := coalesce((p_changes->>'online_signing')::boolean, v_old.online_signing);
	v_new.registration := coalesce((p_changes->>'registration')::boolean, v_old.registration);
	v_new.destination := coalesce((p_changes->>'destination')::boolean, v_old.destination);
	-- Turning 在线签约 on turns 补登 and 去向登记 on too, unless this change says otherwise.
	IF v_new.online_signing AND NOT v_old.online_signing THEN
		v_new.registration := coalesce((p_changes->>'registration')::boolean, true);
		v_new.destination := coalesce((p_changes->>'destination')::boolean, true);
	END IF;
	v_new.review_mode := coalesce(p_changes->>'review_mode', v_old.review_mode);
	v_new.max_terminations := coalesce((p_changes->>'max_terminations')::integer, v_old.max_terminations);
	v_new.handler := coalesce(p_changes->>'handler', v_old.handler);
	v_new.phone := coalesce(p_changes->>'phone', v_old.phone);
	v_new.address := coalesce(p_changes->>'address', v_old.address);
	v_new.postcode := coalesce(p_changes->>'postcode', v_old.postcode);
	IF (v_new.online_signing, v_new.registration, v_new.destination, v_new.review_mode,
	    v_new.max_terminations, v_new.handler, v_new.phone, v_new.address, v_new.postcode)
	   IS NOT DISTINCT FROM
	   (v_old.online_signing, v_old.registration, v_old.destination, v_old.review_mode,
	    v_old.max_terminations, v_old.handler, v_old.phone, v_old.address, v_old.postcode) THEN
		RETURN v_old.version;
	END IF;
	UPDATE wq.school_settings SET
		online_signing = v_new.online_signing, registration = v_new.registration,
		destination = v_new.destination, review_mode = v_new.review_mode,
		max_terminations = v_new.max_terminations, handler = v_new.handler, phone = v_new.phone,
		address = v_new.address, postcode = v_new.postcode,
		version = v_old.version + 1, updated_at = now(), updated_by = session_user
	 WHERE school_code = v_school
	RETURNING * INTO v_new;
	PERFORM wq.log_event('settings', v_school, 'update', v_school, NULL,
		to_jsonb(v_old) - 'updated_at' - 'updated_by' - 'version',
		to_jsonb(v_new) - 'updated_at' - 'updated_by' - 'version', NULL, p_request_id);
	RETURN v_new.version;
EXCEPTION
	WHEN check_violation THEN
		RAISE EXCEPTION '%', CASE
			WHEN SQLERRM LIKE '%max_terminations%' THEN '毕业生可提交解约申请最大次数应为 0 到 99 的整数'
			WHEN SQLERRM LIKE '%postcode%' THEN '邮政编码应为 6 位数字'
			WHEN SQLERRM LIKE '%phone%' THEN '联系电话格式不正确'
			WHEN SQLERRM LIKE '%review_mode%' THEN '审核方式应为 仅校级审核 或 先院系再校级审核'
			WHEN SQLERRM LIKE '%handler%' THEN '就业协议经办人最多 50 个字符，且不能含有控制字符'
			WHEN SQLERRM LIKE '%address%' THEN '学校通讯地址最多 200 个字符，且不能含有控制字符或换行'
			ELSE SQLERRM END
			USING ERRCODE = 'check_violation';
	WHEN invalid_text_representation OR numeric_value_out_of_range THEN
		RAISE EXCEPTION '设置值的格式不正确：%', SQLERRM USING ERRCODE = 'check_violation';
END
$$;

-- Department account rows, for the school user (0003), now with who locked:
-- a school may not unlock an account the platform operator locked.
CREATE OR REPLACE FUNCTION wq.dept_account_row(p_login text, p_dept text, p_name text, p_action text,
	p_locked boolean DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_school text := wq.require_school_user();
	v_acc    wq.account;
BEGIN
	IF p_action = 'create' THEN
		IF NOT EXISTS (SELECT 1 FROM wq.department WHERE school_code = v_school AND name = p_dept) THEN
			RAISE EXCEPTION '院系“%”不在本校学生名单中', p_dept
				USING ERRCODE = 'foreign_key_violation', HINT = '院系名称必须与学生名单的院系字段完全一致';
		END IF;
		INSERT INTO wq.account (login, kind, school_code, dept, name)
		VALUES (p_login, 'dept', v_school, p_dept, coalesce(p_name, ''));
		PERFORM wq.log_event('account', p_login, 'create', v_school, p_dept, NULL,
			jsonb_build_object('login', p_login, 'kind', 'dept', 'dept', p_dept, 'name', p_name));
		RETURN;
	END IF;
	SELECT * INTO v_acc FROM wq.account
	 WHERE login = p_login AND kind = 'dept' AND school_code = v_school FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION '本校没有院系账号 %', p_login USING ERRCODE = 'no_data_found';
	END IF;
	IF p_action = 'lock' THEN
		IF v_acc.locked AND v_acc.locked_by_kind = 'operator' THEN
			RAISE EXCEPTION '账号 % 已被平台管理员锁定，学校不能更改', p_login
				USING ERRCODE = 'insufficient_privilege';
		END IF;
		IF v_acc.locked = p_locked THEN
			RETURN;
		END IF;
		UPDATE wq.account SET locked = p_locked, locked_by_kind = CASE WHEN p_locked THEN 'school' END
		 WHERE login = p_login;
		PERFORM wq.log_event('account', p_login, CASE WHEN p_locked THEN 'lock' ELSE 'unlock' END,
			v_school, v_acc.dept, jsonb_build_object('locked', v_acc.locked),
			jsonb_build_object('locked', p_locked), NULL, NULL,
			CASE WHEN v_acc.locked THEN 'locked' ELSE 'active' END,
			CASE WHEN p_locked THEN 'locked' ELSE 'active' END);
	ELSIF p_action = 'password' THEN
		PERFORM wq.log_event('account', p_login, 'password', v_school, v_acc.dept, NULL, NULL);
	END IF;
END
$$;

-- ---------------------------------------------------------------------------
-- Login roles: created by wq_account_admin's functions (it may create roles).
-- ---------------------------------------------------------------------------
RESET ROLE;
GRANT CREATE ON SCHEMA wq TO wq_account_admin;
GRANT EXECUTE ON FUNCTION wq.check_arg(text, integer, text), wq.require_login_name(text),
	wq.require_verifier(text), wq.login_name_valid(text), wq.scram_verifier_valid(text)
	TO wq_account_admin;
GRANT EXECUTE ON FUNCTION wq.check_arg(text, integer, text) TO wq_search;
SET LOCAL ROLE wq_account_admin;

-- A clerk's login role: no statement runs longer than 30 s, no transaction
-- stays idle longer than 5 minutes (a clerk may still change these for a
-- session of their own; they are the defaults every login starts with).
CREATE FUNCTION wq.login_limits(p_login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', p_login, '30s');
	EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', p_login, '5min');
END
$$;
REVOKE ALL ON FUNCTION wq.login_limits(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq.login_limits(text) TO wq_owner;

-- p_verifier is a SCRAM-SHA-256 verifier computed by the client, never a clear password.
CREATE OR REPLACE FUNCTION wq_api.dept_account_add(p_login text, p_dept text, p_name text, p_verifier text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM wq.check_arg(p_login, 63, '登录名');
	PERFORM wq.check_arg(p_dept, 100, '院系');
	PERFORM wq.check_arg(p_name, 50, '姓名');
	PERFORM wq.check_arg(p_verifier, 1000, '密码摘要');
	PERFORM wq.require_login_name(p_login);
	PERFORM wq.require_verifier(p_verifier);
	IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_login) THEN
		RAISE EXCEPTION '登录名 % 已被使用', p_login USING ERRCODE = 'duplicate_object';
	END IF;
	PERFORM wq.dept_account_row(p_login, p_dept, p_name, 'create');
	EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD %L IN ROLE wq_dept',
		p_login, p_verifier);
	PERFORM wq.login_limits(p_login);
END
$$;

-- dept_account_set_locked takes the same bound in 0013, which redefines it
-- (the lock announces itself before the sessions end).

CREATE OR REPLACE FUNCTION wq_api.dept_account_password(p_login text, p_verifier text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM wq.check_arg(p_login, 63, '登录名');
	PERFORM wq.check_arg(p_verifier, 1000, '密码摘要');
	PERFORM wq.require_verifier(p_verifier);
	PERFORM wq.dept_account_row(p_login, NULL, NULL, 'password');
	EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_verifier);
END
$$;

RESET ROLE;
REVOKE CREATE ON SCHEMA wq FROM wq_account_admin;

-- Every existing clerk login gets the same limits.
DO $$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT a.login FROM wq.account a JOIN pg_catalog.pg_roles ro ON ro.rolname = a.login LOOP
		PERFORM wq.login_limits(r.login);
	END LOOP;
END
$$;

-- ---------------------------------------------------------------------------
-- The student list's counts (0005), with bounds first: a long filter made
-- the grams condition quadratic.
-- ---------------------------------------------------------------------------
GRANT USAGE, CREATE ON SCHEMA wq_api TO wq_search;
SET LOCAL ROLE wq_search;

-- student_page takes the same bounds in 0008, which redefines it for pinyin.

CREATE OR REPLACE FUNCTION wq_api.student_count(p_text text, p_dept text, p_major text, p_level text,
	p_training_mode text, p_eligible text, p_verify_status text) RETURNS bigint
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

RESET ROLE;
REVOKE CREATE ON SCHEMA wq_api FROM wq_search;
