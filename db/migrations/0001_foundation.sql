-- 0001_foundation: roles, schemas, identity, the event log, provinces, schools,
-- departments, accounts and school settings.
--
-- Run by `wq db migrate` inside one transaction, as a role that may create
-- roles (the cluster's superuser in the demo).
--
-- Security model (see README "安全模型"):
--   * schema wq      tables; no privileges for anyone but wq_owner.  Every table
--                    has row-level security enabled and FORCED, so even the
--                    owner (and so every view and SECURITY DEFINER function)
--                    sees only what the caller may see.
--   * schema wq_api  what the group roles may use: views to read, functions to
--                    write.  EXECUTE is never left to PUBLIC.
--   * identity       session_user, mapped through wq.account to (kind,
--                    province, school, department).  Never a setting the
--                    client can change; SET ROLE does not change session_user.
--   * wq_identity    a NOLOGIN role that owns only the identity functions, so
--                    that account policies can call them without recursion.

-- Roles are cluster-wide: create them only when missing, so that several
-- databases (tests, demo) can share one cluster.
DO $$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['wq_owner', 'wq_identity', 'wq_operator',
	                         'wq_province', 'wq_school', 'wq_dept', 'wq_portal']
	LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', r);
		END IF;
	END LOOP;
END
$$;

-- The migrating role operates the platform (wq admin ...).
GRANT wq_operator TO CURRENT_USER;

-- Nobody but the group roles may connect; nobody may create in public.
DO $$
BEGIN
	EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
	EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO wq_operator, wq_province, wq_school, wq_dept, wq_portal',
	               current_database());
END
$$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

CREATE SCHEMA wq AUTHORIZATION wq_owner;
CREATE SCHEMA wq_api AUTHORIZATION wq_owner;
ALTER DEFAULT PRIVILEGES FOR ROLE wq_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE wq_identity REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT USAGE ON SCHEMA wq_api TO wq_operator, wq_province, wq_school, wq_dept, wq_portal;
-- wq_identity reads the account table and owns functions in wq.
GRANT USAGE, CREATE ON SCHEMA wq TO wq_identity;

SET LOCAL ROLE wq_owner;

-- Applied migrations.  The runner inserts a row after each file.
CREATE TABLE wq.schema_migration (
	version    integer PRIMARY KEY,
	name       text NOT NULL,
	checksum   text NOT NULL,            -- sha256 of the file, hex
	applied_at timestamptz NOT NULL DEFAULT now(),
	applied_by text NOT NULL DEFAULT session_user
);

CREATE TABLE wq.province (
	code           text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
	name           text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 50),
	agreement_type text NOT NULL DEFAULT 'three_party'
	               CHECK (agreement_type IN ('two_party', 'three_party'))
);

CREATE TABLE wq.school (
	code          text PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),
	name          text NOT NULL UNIQUE CHECK (btrim(name) <> '' AND length(name) <= 100),
	province_code text NOT NULL REFERENCES wq.province
);
CREATE INDEX ON wq.school (province_code);

-- A 院系 of a school; its name must equal the roster's 院系 field exactly.
CREATE TABLE wq.department (
	school_code text NOT NULL REFERENCES wq.school,
	name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
	PRIMARY KEY (school_code, name)
);

-- One row per login role.
CREATE TABLE wq.account (
	login         text PRIMARY KEY CHECK (login ~ '^[a-z_][a-z0-9_.-]{1,62}$'
	                                      AND login NOT LIKE 'pg\_%' AND login NOT LIKE 'wq\_%'),
	kind          text NOT NULL CHECK (kind IN ('province', 'school', 'dept', 'portal')),
	province_code text REFERENCES wq.province,
	school_code   text REFERENCES wq.school,
	dept          text,
	name          text NOT NULL DEFAULT '' CHECK (length(name) <= 50),
	locked        boolean NOT NULL DEFAULT false,
	created_at    timestamptz NOT NULL DEFAULT now(),
	created_by    text NOT NULL DEFAULT session_user,
	FOREIGN KEY (school_code, dept) REFERENCES wq.department (school_code, name),
	CHECK (CASE kind
		WHEN 'province' THEN province_code IS NOT NULL AND school_code IS NULL AND dept IS NULL
		WHEN 'school'   THEN province_code IS NULL AND school_code IS NOT NULL AND dept IS NULL
		WHEN 'dept'     THEN province_code IS NULL AND school_code IS NOT NULL AND dept IS NOT NULL
		WHEN 'portal'   THEN province_code IS NULL AND dept IS NULL
	END)
);
CREATE INDEX ON wq.account (school_code, dept);

-- 签约设置: one row per school, created with the school.
CREATE TABLE wq.school_settings (
	school_code      text PRIMARY KEY REFERENCES wq.school,
	online_signing   boolean NOT NULL DEFAULT false,   -- 在线签约开关
	registration     boolean NOT NULL DEFAULT false,   -- 补登开关
	destination      boolean NOT NULL DEFAULT false,   -- 填报去向登记开关
	review_mode      text NOT NULL DEFAULT 'school'    -- 审核方式
	                 CHECK (review_mode IN ('school', 'dept_then_school')),
	max_terminations integer NOT NULL DEFAULT 1        -- 毕业生可提交解约申请最大次数
	                 CHECK (max_terminations BETWEEN 0 AND 99),
	handler          text NOT NULL DEFAULT '' CHECK (length(handler) <= 50),     -- 就业协议经办人
	phone            text NOT NULL DEFAULT ''                                    -- 联系电话
	                 CHECK (phone = '' OR phone ~ '^[0-9][0-9 ()+-]{5,23}$'),
	address          text NOT NULL DEFAULT '' CHECK (length(address) <= 200),   -- 学校通讯地址
	postcode         text NOT NULL DEFAULT ''                                    -- 邮政编码
	                 CHECK (postcode = '' OR postcode ~ '^[0-9]{6}$'),
	version          integer NOT NULL DEFAULT 1,
	updated_at       timestamptz NOT NULL DEFAULT now(),
	updated_by       text NOT NULL DEFAULT session_user
);

-- The event log: every write leaves a row.  Append-only, even for the owner.
CREATE TABLE wq.event (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at          timestamptz NOT NULL DEFAULT now(),
	actor       text NOT NULL DEFAULT session_user,
	school_code text,             -- scope of the item, for reading rights
	dept        text,
	entity      text NOT NULL,    -- 'province', 'school', 'account', 'settings', ...
	entity_id   text NOT NULL,
	action      text NOT NULL,
	from_state  text,
	to_state    text,
	before      jsonb,
	after       jsonb,
	reason      text,
	request_id  uuid
);
CREATE INDEX ON wq.event (entity, entity_id, id);
CREATE INDEX ON wq.event (school_code, id);
CREATE UNIQUE INDEX ON wq.event (request_id, entity, entity_id) WHERE request_id IS NOT NULL;

CREATE FUNCTION wq.event_refuse_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'wq.event is append-only: % refused', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON wq.event
	FOR EACH ROW EXECUTE FUNCTION wq.event_refuse_change();
CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON wq.event
	FOR EACH STATEMENT EXECUTE FUNCTION wq.event_refuse_change();
-- The owner gives up its own right to change or remove events; the triggers
-- stop everyone else (a superuser included).
REVOKE UPDATE, DELETE, TRUNCATE ON wq.event FROM wq_owner;

GRANT SELECT ON wq.account, wq.school TO wq_identity;

-- ---------------------------------------------------------------------------
-- Identity.  Owned by wq_identity, so the policies that call these functions
-- are the wq_identity ones below (no recursion through wq_owner's policies).
-- A locked account has no identity: it sees nothing.
-- ---------------------------------------------------------------------------
RESET ROLE;
SET LOCAL ROLE wq_identity;

CREATE FUNCTION wq.caller_kind() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT a.kind FROM wq.account a WHERE a.login = session_user AND NOT a.locked
$$;

-- The caller's school (school and dept accounts), else NULL.
CREATE FUNCTION wq.caller_school() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT a.school_code FROM wq.account a
	 WHERE a.login = session_user AND NOT a.locked AND a.kind IN ('school', 'dept')
$$;

-- The caller's 院系 (dept accounts), else NULL.
CREATE FUNCTION wq.caller_dept() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT a.dept FROM wq.account a
	 WHERE a.login = session_user AND NOT a.locked AND a.kind = 'dept'
$$;

-- The caller's province (province accounts), else NULL.
CREATE FUNCTION wq.caller_province() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT a.province_code FROM wq.account a
	 WHERE a.login = session_user AND NOT a.locked AND a.kind = 'province'
$$;

-- The platform operator: members of wq_operator (the role that migrated).
CREATE FUNCTION wq.is_operator() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT pg_catalog.pg_has_role(session_user, 'wq_operator', 'MEMBER')
$$;

-- Functions in a view or policy run with the caller's EXECUTE right, so the
-- group roles may run these; they reveal only the caller's own identity.
REVOKE ALL ON FUNCTION wq.caller_kind(), wq.caller_school(), wq.caller_dept(),
	wq.caller_province(), wq.is_operator() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq.caller_kind(), wq.caller_school(), wq.caller_dept(),
	wq.caller_province(), wq.is_operator()
	TO wq_owner, wq_operator, wq_province, wq_school, wq_dept, wq_portal;

RESET ROLE;
SET LOCAL ROLE wq_owner;

-- The one definition of "in the caller's scope" for rows that carry a school
-- and a 院系: the operator sees all; a school user its school; a department
-- user its school's 院系; a province user the schools of its province.  Each
-- identity lookup is a scalar sub-select, so it runs once per statement (an
-- InitPlan), not once per row.  Policies are created from this text by
-- wq.create_scope_policy, so later tables get exactly the same rule.
CREATE FUNCTION wq.scope_expr(p_school text, p_dept text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT format('(SELECT wq.is_operator())'
		' OR (%1$s = (SELECT wq.caller_school())'
		'     AND ((SELECT wq.caller_dept()) IS NULL OR %2$s = (SELECT wq.caller_dept())))'
		' OR %1$s IN (SELECT s.code FROM wq.school s'
		'              WHERE s.province_code = (SELECT wq.caller_province()))',
		p_school, coalesce(p_dept, 'NULL'))
$$;

-- Creates the read policy "scoped_read" on a table from wq.scope_expr;
-- extra is OR-ed to it (e.g. the caller's own rows).
CREATE FUNCTION wq.create_scope_policy(p_table regclass, p_school text, p_dept text,
	p_extra text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	EXECUTE format('CREATE POLICY scoped_read ON %s FOR SELECT TO wq_owner USING (%s%s)',
		p_table, wq.scope_expr(p_school, p_dept),
		CASE WHEN p_extra IS NULL THEN '' ELSE ' OR ' || p_extra END);
END
$$;
REVOKE ALL ON FUNCTION wq.scope_expr(text, text), wq.create_scope_policy(regclass, text, text, text) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- Row-level security: enabled and forced on every table.
-- ---------------------------------------------------------------------------
ALTER TABLE wq.schema_migration ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.schema_migration FORCE ROW LEVEL SECURITY;
CREATE POLICY operator_all ON wq.schema_migration TO wq_owner
	USING ((SELECT wq.is_operator())) WITH CHECK ((SELECT wq.is_operator()));

ALTER TABLE wq.province ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.province FORCE ROW LEVEL SECURITY;
CREATE POLICY read_all ON wq.province FOR SELECT TO wq_owner USING (true);
CREATE POLICY operator_write ON wq.province FOR ALL TO wq_owner
	USING ((SELECT wq.is_operator())) WITH CHECK ((SELECT wq.is_operator()));

ALTER TABLE wq.school ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.school FORCE ROW LEVEL SECURITY;
CREATE POLICY identity_read ON wq.school FOR SELECT TO wq_identity USING (true);
CREATE POLICY scoped_read ON wq.school FOR SELECT TO wq_owner
	USING ((SELECT wq.is_operator())
	    OR code = (SELECT wq.caller_school())
	    OR province_code = (SELECT wq.caller_province()));
CREATE POLICY operator_write ON wq.school FOR ALL TO wq_owner
	USING ((SELECT wq.is_operator())) WITH CHECK ((SELECT wq.is_operator()));

ALTER TABLE wq.department ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.department FORCE ROW LEVEL SECURITY;
SELECT wq.create_scope_policy('wq.department', 'school_code', 'name');
CREATE POLICY operator_write ON wq.department FOR ALL TO wq_owner
	USING ((SELECT wq.is_operator())) WITH CHECK ((SELECT wq.is_operator()));

ALTER TABLE wq.account ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.account FORCE ROW LEVEL SECURITY;
CREATE POLICY identity_self ON wq.account FOR SELECT TO wq_identity
	USING (login = session_user);
-- Province and portal accounts carry no school: only the operator (and the
-- account itself) sees them.
SELECT wq.create_scope_policy('wq.account', 'school_code', 'dept', 'login = session_user');
CREATE POLICY operator_write ON wq.account FOR ALL TO wq_owner
	USING ((SELECT wq.is_operator())) WITH CHECK ((SELECT wq.is_operator()));

ALTER TABLE wq.school_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.school_settings FORCE ROW LEVEL SECURITY;
-- A department reads its school's settings too (read-only).
SELECT wq.create_scope_policy('wq.school_settings', 'school_code', NULL,
	'school_code = (SELECT wq.caller_school())');
CREATE POLICY operator_write ON wq.school_settings FOR ALL TO wq_owner
	USING ((SELECT wq.is_operator())) WITH CHECK ((SELECT wq.is_operator()));

ALTER TABLE wq.event ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.event FORCE ROW LEVEL SECURITY;
SELECT wq.create_scope_policy('wq.event', 'school_code', 'dept', 'actor = session_user');
-- Inserts come only from wq_owner's functions (clerks hold no privilege on
-- the table); the row must name its true actor.
CREATE POLICY append ON wq.event FOR INSERT TO wq_owner
	WITH CHECK (actor = session_user);

-- ---------------------------------------------------------------------------
-- Internal helpers (not granted to anyone).
-- ---------------------------------------------------------------------------

-- Appends one event; returns its id.
CREATE FUNCTION wq.log_event(p_entity text, p_entity_id text, p_action text,
	p_school text, p_dept text, p_before jsonb, p_after jsonb,
	p_reason text DEFAULT NULL, p_request_id uuid DEFAULT NULL,
	p_from text DEFAULT NULL, p_to text DEFAULT NULL) RETURNS bigint
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
	INSERT INTO wq.event (school_code, dept, entity, entity_id, action,
	                      from_state, to_state, before, after, reason, request_id)
	VALUES (p_school, p_dept, p_entity, p_entity_id, p_action,
	        p_from, p_to, p_before, p_after, p_reason, p_request_id)
	RETURNING id
$$;
REVOKE ALL ON FUNCTION wq.log_event(text, text, text, text, text, jsonb, jsonb, text, uuid, text, text) FROM PUBLIC;

-- Refuses unless the caller operates the platform.
CREATE FUNCTION wq.require_operator() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT wq.is_operator() THEN
		RAISE EXCEPTION '只有平台管理员可以执行此操作'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;
REVOKE ALL ON FUNCTION wq.require_operator() FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- wq_api: reading.  Plain views owned by wq_owner: the policies above decide
-- what each caller sees.  security_barrier keeps callers' functions from
-- seeing rows the view's own conditions remove.
-- ---------------------------------------------------------------------------

-- Who am I: one row for a logged-in account, none for a locked or unknown one.
CREATE VIEW wq_api.me WITH (security_barrier) AS
SELECT a.login, a.name, a.kind,
       coalesce(a.province_code, s.province_code) AS province_code,
       p.name AS province_name, p.agreement_type,
       a.school_code, s.name AS school_name, a.dept
  FROM wq.account a
  LEFT JOIN wq.school s ON s.code = a.school_code
  LEFT JOIN wq.province p ON p.code = coalesce(a.province_code, s.province_code)
 WHERE a.login = session_user AND NOT a.locked;

CREATE VIEW wq_api.provinces AS
SELECT code, name, agreement_type FROM wq.province;

CREATE VIEW wq_api.schools AS
SELECT s.code, s.name, s.province_code, p.agreement_type
  FROM wq.school s JOIN wq.province p ON p.code = s.province_code;

CREATE VIEW wq_api.departments AS
SELECT school_code, name FROM wq.department;

CREATE VIEW wq_api.accounts AS
SELECT login, kind, province_code, school_code, dept, name, locked, created_at, created_by
  FROM wq.account;

CREATE VIEW wq_api.school_settings AS
SELECT school_code, online_signing, registration, destination, review_mode,
       max_terminations, handler, phone, address, postcode, version, updated_at, updated_by
  FROM wq.school_settings;

CREATE VIEW wq_api.events AS
SELECT id, at, actor, school_code, dept, entity, entity_id, action,
       from_state, to_state, before, after, reason, request_id
  FROM wq.event;

GRANT SELECT ON wq_api.me, wq_api.provinces, wq_api.schools, wq_api.departments,
	wq_api.accounts, wq_api.school_settings, wq_api.events
	TO wq_operator, wq_province, wq_school, wq_dept, wq_portal;

-- ---------------------------------------------------------------------------
-- wq_api: administration, for the platform operator.  Login roles are
-- created by the client in the same transaction (CREATE ROLE needs a role
-- that may create roles; wq_owner may not).
-- ---------------------------------------------------------------------------

CREATE FUNCTION wq_api.province_set(p_code text, p_name text, p_agreement_type text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_before jsonb;
	v_after  jsonb;
BEGIN
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

CREATE FUNCTION wq_api.school_add(p_code text, p_name text, p_province text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
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
-- is created for the school when it is not there yet.
CREATE FUNCTION wq_api.account_add(p_login text, p_kind text, p_province text,
	p_school text, p_dept text, p_name text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_group text := 'wq_' || p_kind;
BEGIN
	PERFORM wq.require_operator();
	IF p_kind NOT IN ('province', 'school', 'dept', 'portal') THEN
		RAISE EXCEPTION '未知的账号类型 %', p_kind USING ERRCODE = 'check_violation';
	END IF;
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
	PERFORM wq.log_event('account', p_login, 'create', p_school, p_dept, NULL,
		jsonb_build_object('login', p_login, 'kind', p_kind, 'province_code', p_province,
		                   'school_code', p_school, 'dept', p_dept, 'name', p_name));
END
$$;

CREATE FUNCTION wq_api.account_set_locked(p_login text, p_locked boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_acc wq.account;
BEGIN
	PERFORM wq.require_operator();
	SELECT * INTO v_acc FROM wq.account WHERE login = p_login FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION '账号 % 不存在', p_login USING ERRCODE = 'no_data_found';
	END IF;
	IF v_acc.locked = p_locked THEN
		RETURN;
	END IF;
	UPDATE wq.account SET locked = p_locked WHERE login = p_login;
	PERFORM wq.log_event('account', p_login, CASE WHEN p_locked THEN 'lock' ELSE 'unlock' END,
		v_acc.school_code, v_acc.dept,
		jsonb_build_object('locked', v_acc.locked), jsonb_build_object('locked', p_locked),
		NULL, NULL,
		CASE WHEN v_acc.locked THEN 'locked' ELSE 'active' END,
		CASE WHEN p_locked THEN 'locked' ELSE 'active' END);
END
$$;

REVOKE ALL ON FUNCTION wq_api.province_set(text, text, text),
	wq_api.school_add(text, text, text),
	wq_api.account_add(text, text, text, text, text, text),
	wq_api.account_set_locked(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.province_set(text, text, text),
	wq_api.school_add(text, text, text),
	wq_api.account_add(text, text, text, text, text, text),
	wq_api.account_set_locked(text, boolean) TO wq_operator;
