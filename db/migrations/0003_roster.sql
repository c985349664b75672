-- 0003_roster: the graduate roster (学生名单), its import, the graduate's
-- identity check (核对), school settings changes, and department accounts
-- managed by the school.

-- A NOLOGIN role that may create roles: it owns only the functions with which
-- a school user manages its departments' login roles.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'wq_account_admin') THEN
		CREATE ROLE wq_account_admin NOLOGIN NOSUPERUSER NOCREATEDB CREATEROLE NOBYPASSRLS;
	END IF;
END
$$;
GRANT wq_dept TO wq_account_admin WITH ADMIN OPTION;
-- so that locking an account also ends its open sessions (only through the
-- function below, which names the locked department account itself)
GRANT pg_signal_backend TO wq_account_admin;
GRANT USAGE, CREATE ON SCHEMA wq_api TO wq_account_admin;
GRANT USAGE ON SCHEMA wq TO wq_account_admin;
ALTER DEFAULT PRIVILEGES FOR ROLE wq_account_admin REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
-- The import stages rows in a temporary table created by wq_owner's function.
DO $$
BEGIN
	EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO wq_owner', current_database());
END
$$;

SET LOCAL ROLE wq_owner;

-- ---------------------------------------------------------------------------
-- Check digits, in the database too: the database is the authority.
-- ---------------------------------------------------------------------------

-- GB 11643 公民身份号码: 18 characters, ISO 7064 MOD 11-2 check character, a
-- real birth date.  One plain expression (no sub-query, no exception block,
-- not STRICT): the planner inlines it into the CHECK constraint of every
-- student row and into the import's checks.  CASE keeps the casts from
-- running on malformed input.
CREATE FUNCTION wq.id_number_valid(p text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE
	WHEN p IS NULL THEN NULL
	WHEN p !~ '^[0-9]{17}[0-9X]$' THEN false
	WHEN substr(p, 7, 4)::int NOT BETWEEN 1800 AND 2100 THEN false
	WHEN substr(p, 11, 2)::int NOT BETWEEN 1 AND 12 THEN false
	WHEN substr(p, 13, 2)::int < 1
	  OR substr(p, 13, 2)::int > extract(day FROM make_date(substr(p, 7, 4)::int, substr(p, 11, 2)::int, 1)
	                                          + interval '1 month' - interval '1 day') THEN false
	ELSE substr('10X98765432', (substr(p, 1, 1)::int * 7 + substr(p, 2, 1)::int * 9 + substr(p, 3, 1)::int * 10 + substr(p, 4, 1)::int * 5
	              + substr(p, 5, 1)::int * 8 + substr(p, 6, 1)::int * 4 + substr(p, 7, 1)::int * 2 + substr(p, 8, 1)::int * 1
	              + substr(p, 9, 1)::int * 6 + substr(p, 10, 1)::int * 3 + substr(p, 11, 1)::int * 7 + substr(p, 12, 1)::int * 9
	              + substr(p, 13, 1)::int * 10 + substr(p, 14, 1)::int * 5 + substr(p, 15, 1)::int * 8 + substr(p, 16, 1)::int * 4
	              + substr(p, 17, 1)::int * 2) % 11 + 1, 1) = substr(p, 18, 1)
	END
$$;

-- ---------------------------------------------------------------------------
-- Students
-- ---------------------------------------------------------------------------

CREATE TABLE wq.student (
	id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	school_code      text NOT NULL REFERENCES wq.school,
	province_code    text NOT NULL REFERENCES wq.province,   -- the school's, for province-wide lists
	student_no       text NOT NULL CHECK (student_no ~ '^[^[:space:]]{1,32}$'),     -- 学号
	exam_no          text CHECK (exam_no ~ '^[0-9A-Za-z]{1,32}$'),                   -- 考生号
	name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),            -- 姓名
	sex              text NOT NULL CHECK (sex IN ('1', '2')),                        -- 性别
	id_number        text NOT NULL CHECK (wq.id_number_valid(id_number)),           -- 身份证号
	ethnicity        text NOT NULL CHECK (ethnicity ~ '^[0-9]{2}$'),                 -- 民族
	political_status text NOT NULL CHECK (political_status ~ '^[0-9]{2}$'),          -- 政治面貌
	birth_date       date NOT NULL,                                                  -- 出生日期
	dept             text NOT NULL,                                                  -- 院系
	level            text NOT NULL CHECK (level ~ '^[0-9]{2}$'),                     -- 学历层次
	major            text NOT NULL CHECK (length(major) BETWEEN 1 AND 100),          -- 专业
	training_mode    text NOT NULL CHECK (training_mode IN ('1', '21', '22', '3', '41', '42', '5')), -- 培养方式
	origin_code      text NOT NULL CHECK (origin_code ~ '^[0-9]{6}$'),               -- 生源所在地
	origin_name      text NOT NULL DEFAULT '',
	years            text CHECK (years ~ '^[1-9]$'),                                 -- 学制
	entry_date       date,                                                           -- 入学时间
	grad_date        date CHECK (grad_date >= entry_date),                           -- 毕业时间
	mobile           text CHECK (mobile ~ '^1[0-9]{10}$'),                           -- 手机号码
	email            text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' AND length(email) <= 254),
	eligible         boolean GENERATED ALWAYS AS (training_mode NOT IN ('21', '41')) STORED, -- 网签资格
	verify_status    text NOT NULL DEFAULT 'unverified'                              -- 核对状态
	                 CHECK (verify_status IN ('unverified', 'verified', 'mismatch')),
	verify_fields    text[],          -- the fields that differed at the last 核对
	verified_at      timestamptz,
	in_roster        boolean NOT NULL DEFAULT true,   -- false: not in the latest imported file
	destination_code text,            -- 毕业去向, filled by later modules
	version          integer NOT NULL DEFAULT 1,
	created_at       timestamptz NOT NULL DEFAULT now(),
	updated_at       timestamptz NOT NULL DEFAULT now(),
	UNIQUE (school_code, student_no),
	FOREIGN KEY (school_code, dept) REFERENCES wq.department (school_code, name)
);
-- Lists are read in pages (keyset) in 学号 order or 姓名 (pinyin) order,
-- for a school or a whole province.
CREATE INDEX student_school_name ON wq.student (school_code, name COLLATE "zh-Hans-x-icu", id);
CREATE INDEX student_province_name ON wq.student (province_code, name COLLATE "zh-Hans-x-icu", id);
CREATE INDEX student_province_no ON wq.student (province_code, student_no, id);
CREATE INDEX student_school_dept ON wq.student (school_code, dept, student_no);
CREATE INDEX student_id_number ON wq.student (id_number);
-- No index serves the / filter's fragments (LIKE '%…%'): under row-level
-- security a condition that is not LEAKPROOF (LIKE, &&) is applied after the
-- policy and cannot drive an index scan.  Short fragments are found by
-- walking the list's own index; see tests/bench/README.md.

ALTER TABLE wq.student ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.student FORCE ROW LEVEL SECURITY;
SELECT wq.create_scope_policy('wq.student', 'school_code', 'dept');
CREATE POLICY school_write ON wq.student FOR ALL TO wq_owner
	USING ((SELECT wq.is_operator())
	    OR (school_code = (SELECT wq.caller_school()) AND (SELECT wq.caller_kind()) = 'school'))
	WITH CHECK ((SELECT wq.is_operator())
	    OR (school_code = (SELECT wq.caller_school()) AND (SELECT wq.caller_kind()) = 'school'));
-- The portal (graduates' 核对) reads and updates through its own function only.
CREATE POLICY portal_verify ON wq.student FOR ALL TO wq_owner
	USING ((SELECT wq.caller_kind()) = 'portal')
	WITH CHECK ((SELECT wq.caller_kind()) = 'portal');

-- A school user may add departments (from the roster) to its own school.
CREATE POLICY school_write ON wq.department FOR INSERT TO wq_owner
	WITH CHECK (school_code = (SELECT wq.caller_school()) AND (SELECT wq.caller_kind()) = 'school');

-- A school user writes its own settings; a department user only reads them.
CREATE POLICY school_write ON wq.school_settings FOR UPDATE TO wq_owner
	USING (school_code = (SELECT wq.caller_school()) AND (SELECT wq.caller_kind()) = 'school')
	WITH CHECK (school_code = (SELECT wq.caller_school()) AND (SELECT wq.caller_kind()) = 'school');

-- A school user manages the accounts of its departments.
CREATE POLICY school_write ON wq.account FOR ALL TO wq_owner
	USING (kind = 'dept' AND school_code = (SELECT wq.caller_school()) AND (SELECT wq.caller_kind()) = 'school')
	WITH CHECK (kind = 'dept' AND school_code = (SELECT wq.caller_school()) AND (SELECT wq.caller_kind()) = 'school');

-- ---------------------------------------------------------------------------
-- Reading: the roster with its labels, under row security.  A client that
-- pages through a list also says which school (or province) it wants, so the
-- planner can walk an index in 姓名 or 学号 order; the policy still decides
-- which rows it may see.
-- ---------------------------------------------------------------------------

CREATE VIEW wq_api.students AS
SELECT s.id, s.school_code, sc.name AS school_name, s.province_code, s.student_no, s.exam_no,
       s.name, s.sex, sx.name AS sex_name, s.id_number,
       s.ethnicity, eth.name AS ethnicity_name, s.political_status, pol.name AS political_status_name,
       s.birth_date, s.dept, s.level, lv.name AS level_name, s.major,
       s.training_mode, tm.name AS training_mode_name, s.origin_code, s.origin_name,
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

GRANT SELECT ON wq_api.students TO wq_operator, wq_province, wq_school, wq_dept;

-- ---------------------------------------------------------------------------
-- Import: roster_begin() makes a staging table the caller may fill (COPY),
-- roster_apply() checks every staged row again and merges, in the caller's
-- transaction.  A dry run is the same transaction rolled back.
-- ---------------------------------------------------------------------------

CREATE FUNCTION wq.require_school_user() RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_school text := wq.caller_school();
BEGIN
	IF wq.caller_kind() IS DISTINCT FROM 'school' THEN
		RAISE EXCEPTION '只有学校用户可以执行此操作' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN v_school;
END
$$;
REVOKE ALL ON FUNCTION wq.require_school_user() FROM PUBLIC;

-- The school an import is for: the caller's own (a school user), or the one
-- named by the platform operator (demo data, integration); nobody else.
CREATE FUNCTION wq.import_school(p_school text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF p_school IS NOT NULL AND wq.is_operator() THEN
		RETURN p_school;
	END IF;
	IF p_school IS NOT NULL AND p_school IS DISTINCT FROM wq.caller_school() THEN
		RAISE EXCEPTION '只能导入本校的学生名单' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN wq.require_school_user();
END
$$;
REVOKE ALL ON FUNCTION wq.import_school(text) FROM PUBLIC;

CREATE FUNCTION wq_api.roster_begin(p_school text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
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

-- Checks the staged rows; raises with every problem (up to 200), by line.
-- One pass: each row gets the array of its problems (the code tables are
-- hash-joined), then one more pass for duplicate 学号.
CREATE FUNCTION wq.roster_check_stage(p_school text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_problems text;
	v_count int;
	v_school_name text;
BEGIN
	SELECT name INTO v_school_name FROM wq.school WHERE code = p_school;
	WITH rowp AS (
		SELECT st.line, array_remove(ARRAY[
			CASE WHEN coalesce(st.student_no, '') = '' THEN '学号: 不能为空' END,
			CASE WHEN NOT coalesce(wq.id_number_valid(st.id_number), false) THEN '身份证号: 校验位或出生日期不正确' END,
			CASE WHEN st.birth_date IS DISTINCT FROM substr(st.id_number, 7, 4) || '-' || substr(st.id_number, 11, 2)
			          || '-' || substr(st.id_number, 13, 2) THEN '出生日期: 与身份证号不一致' END,
			CASE WHEN st.sex IS DISTINCT FROM CASE WHEN substr(st.id_number, 17, 1) IN ('1', '3', '5', '7', '9')
			          THEN '1' ELSE '2' END THEN '性别: 与身份证号第 17 位不一致' END,
			CASE WHEN eth.code IS NULL THEN '民族: 不是已知的代码' END,
			CASE WHEN pol.code IS NULL THEN '政治面貌: 不是已知的代码' END,
			CASE WHEN lvl.code IS NULL THEN '学历层次: 不是已知的代码' END,
			CASE WHEN trn.code IS NULL THEN '培养方式: 不是已知的代码' END,
			CASE WHEN prv.code IS NULL THEN '生源所在地: 省级代码未知' END,
			CASE WHEN st.school_name IS DISTINCT FROM v_school_name AND st.school_name IS DISTINCT FROM p_school
			     THEN '毕业院校: 应为本校（' || v_school_name || '）' END,
			CASE WHEN coalesce(st.dept, '') = '' THEN '院系: 不能为空' END
		], NULL) AS probs
		  FROM pg_temp.wq_roster_stage st
		  LEFT JOIN wq.code eth ON eth.kind = 'ethnicity' AND eth.code = st.ethnicity
		  LEFT JOIN wq.code pol ON pol.kind = 'political_status' AND pol.code = st.political_status
		  LEFT JOIN wq.code lvl ON lvl.kind = 'education_level' AND lvl.code = st.level
		  LEFT JOIN wq.code trn ON trn.kind = 'training_mode' AND trn.code = st.training_mode
		  LEFT JOIN wq.code prv ON prv.kind = 'province' AND prv.code = substr(st.origin_code, 1, 2)
	), p AS (
		SELECT r.line, x.prob FROM rowp r CROSS JOIN LATERAL unnest(r.probs) AS x(prob)
		 WHERE cardinality(r.probs) > 0
		UNION ALL
		SELECT st.line, '学号: 在文件中重复（' || st.student_no || '）'
		  FROM pg_temp.wq_roster_stage st
		  JOIN (SELECT student_no FROM pg_temp.wq_roster_stage GROUP BY student_no HAVING count(*) > 1) d
		    ON d.student_no = st.student_no
	)
	SELECT (SELECT count(*) FROM p),
	       (SELECT string_agg(format('第 %s 行: %s', line, prob), E'\n' ORDER BY line, prob)
	          FROM (SELECT * FROM p ORDER BY line, prob LIMIT 200) x)
	  INTO v_count, v_problems;
	IF v_count > 0 THEN
		RAISE EXCEPTION '名单有 % 处错误，未导入任何数据', v_count
			USING ERRCODE = 'check_violation', DETAIL = v_problems;
	END IF;
END
$$;
REVOKE ALL ON FUNCTION wq.roster_check_stage(text) FROM PUBLIC;

-- Merges the staged roster into the caller's school; returns a report:
-- {"added": n, "updated": n, "unchanged": n, "missing": [...], "changed": [...],
--  "departments_without_clerk": [...]}.  Nothing is deleted: students that
-- are not in the file are flagged (in_roster = false) and listed.
CREATE FUNCTION wq_api.roster_apply(p_file text, p_request_id uuid DEFAULT NULL, p_school text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_school   text := wq.import_school(p_school);
	v_province text;
	v_added    int;
	v_updated  int;
	v_rows     int;
	v_missing  jsonb;
	v_earlier  jsonb;
	v_changed  jsonb;
	v_nodept   jsonb;
	v_report   jsonb;
BEGIN
	IF to_regclass('pg_temp.wq_roster_stage') IS NULL THEN
		RAISE EXCEPTION '没有待导入的名单（先调用 wq_api.roster_begin）' USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	-- one import at a time per school
	PERFORM pg_advisory_xact_lock(hashtext('wq.roster_import'), hashtext(v_school));
	SELECT province_code INTO v_province FROM wq.school WHERE code = v_school;
	-- the planner knows nothing of a fresh temporary table: index and analyze it,
	-- so the joins below with the school's students are hash or index joins
	CREATE INDEX ON pg_temp.wq_roster_stage (student_no);
	ANALYZE pg_temp.wq_roster_stage;
	PERFORM wq.roster_check_stage(v_school);
	SELECT count(*) INTO v_rows FROM pg_temp.wq_roster_stage;

	INSERT INTO wq.department (school_code, name)
	SELECT DISTINCT v_school, dept FROM pg_temp.wq_roster_stage
	ON CONFLICT DO NOTHING;

	-- changed students: per-student events with the fields that changed
	CREATE TEMP TABLE wq_roster_diff ON COMMIT DROP AS
	SELECT s.id, st.*,
	       array_remove(ARRAY[
	         CASE WHEN s.exam_no IS DISTINCT FROM nullif(st.exam_no, '') THEN '考生号' END,
	         CASE WHEN s.name IS DISTINCT FROM st.name THEN '姓名' END,
	         CASE WHEN s.sex IS DISTINCT FROM st.sex THEN '性别' END,
	         CASE WHEN s.id_number IS DISTINCT FROM st.id_number THEN '身份证号' END,
	         CASE WHEN s.ethnicity IS DISTINCT FROM st.ethnicity THEN '民族' END,
	         CASE WHEN s.political_status IS DISTINCT FROM st.political_status THEN '政治面貌' END,
	         CASE WHEN s.birth_date IS DISTINCT FROM st.birth_date::date THEN '出生日期' END,
	         CASE WHEN s.dept IS DISTINCT FROM st.dept THEN '院系' END,
	         CASE WHEN s.level IS DISTINCT FROM st.level THEN '学历层次' END,
	         CASE WHEN s.major IS DISTINCT FROM st.major THEN '专业' END,
	         CASE WHEN s.training_mode IS DISTINCT FROM st.training_mode THEN '培养方式' END,
	         CASE WHEN s.origin_code IS DISTINCT FROM st.origin_code
	                OR s.origin_name IS DISTINCT FROM coalesce(st.origin_name, '') THEN '生源所在地' END,
	         CASE WHEN s.years IS DISTINCT FROM nullif(st.years, '') THEN '学制' END,
	         CASE WHEN s.entry_date IS DISTINCT FROM nullif(st.entry_date, '')::date THEN '入学时间' END,
	         CASE WHEN s.grad_date IS DISTINCT FROM nullif(st.grad_date, '')::date THEN '毕业时间' END,
	         CASE WHEN s.mobile IS DISTINCT FROM nullif(st.mobile, '') THEN '手机号码' END,
	         CASE WHEN s.email IS DISTINCT FROM nullif(st.email, '') THEN '电子邮箱' END,
	         CASE WHEN NOT s.in_roster THEN '重新列入名单' END
	       ], NULL) AS fields
	  FROM pg_temp.wq_roster_stage st
	  JOIN wq.student s ON s.school_code = v_school AND s.student_no = st.student_no;
	DELETE FROM pg_temp.wq_roster_diff WHERE cardinality(fields) = 0;

	UPDATE wq.student s SET
		exam_no = nullif(d.exam_no, ''), name = d.name, sex = d.sex, id_number = d.id_number,
		ethnicity = d.ethnicity, political_status = d.political_status,
		birth_date = d.birth_date::date, dept = d.dept, level = d.level, major = d.major,
		training_mode = d.training_mode, origin_code = d.origin_code,
		origin_name = coalesce(d.origin_name, ''), years = nullif(d.years, ''),
		entry_date = nullif(d.entry_date, '')::date, grad_date = nullif(d.grad_date, '')::date,
		mobile = nullif(d.mobile, ''), email = nullif(d.email, ''), in_roster = true,
		-- corrected identity data lets the graduate verify again
		verify_status = CASE WHEN s.verify_status = 'mismatch'
		                      AND d.fields && ARRAY['姓名', '身份证号', '学历层次']
		                     THEN 'unverified' ELSE s.verify_status END,
		version = s.version + 1, updated_at = now()
	  FROM pg_temp.wq_roster_diff d
	 WHERE s.id = d.id;
	GET DIAGNOSTICS v_updated = ROW_COUNT;

	INSERT INTO wq.event (school_code, dept, entity, entity_id, action, before, after, request_id)
	SELECT v_school, d.dept, 'student', d.id::text, 'roster_update',
	       NULL, jsonb_build_object('fields', to_jsonb(d.fields), 'file', p_file), p_request_id
	  FROM pg_temp.wq_roster_diff d;


	-- in the database, not in the file: flagged, listed, never deleted.  First
	-- those an earlier import flagged already, then those flagged now.
	SELECT coalesce(jsonb_agg(jsonb_build_object('student_no', s.student_no, 'name', s.name,
	                          'dept', s.dept, 'earlier', true) ORDER BY s.student_no), '[]')
	  INTO v_earlier
	  FROM wq.student s
	 WHERE s.school_code = v_school AND NOT s.in_roster
	   AND NOT EXISTS (SELECT 1 FROM pg_temp.wq_roster_stage st WHERE st.student_no = s.student_no);
	WITH m AS (
		UPDATE wq.student s SET in_roster = false, version = s.version + 1, updated_at = now()
		 WHERE s.school_code = v_school AND s.in_roster
		   AND NOT EXISTS (SELECT 1 FROM pg_temp.wq_roster_stage st WHERE st.student_no = s.student_no)
		RETURNING s.student_no, s.name, s.dept
	)
	SELECT coalesce(jsonb_agg(jsonb_build_object('student_no', student_no, 'name', name, 'dept', dept)
	                 ORDER BY student_no), '[]') || v_earlier INTO v_missing FROM m;

	INSERT INTO wq.student (school_code, province_code, student_no, exam_no, name, sex, id_number,
		ethnicity, political_status, birth_date, dept, level, major, training_mode,
		origin_code, origin_name, years, entry_date, grad_date, mobile, email)
	SELECT v_school, v_province, st.student_no, nullif(st.exam_no, ''), st.name, st.sex, st.id_number,
	       st.ethnicity, st.political_status, st.birth_date::date, st.dept, st.level, st.major,
	       st.training_mode, st.origin_code, coalesce(st.origin_name, ''), nullif(st.years, ''),
	       nullif(st.entry_date, '')::date, nullif(st.grad_date, '')::date,
	       nullif(st.mobile, ''), nullif(st.email, '')
	  FROM pg_temp.wq_roster_stage st
	 WHERE NOT EXISTS (SELECT 1 FROM wq.student s
	                    WHERE s.school_code = v_school AND s.student_no = st.student_no);
	GET DIAGNOSTICS v_added = ROW_COUNT;

	SELECT coalesce(jsonb_agg(jsonb_build_object('student_no', student_no, 'name', name, 'fields', fields)
	                 ORDER BY student_no), '[]') INTO v_changed FROM pg_temp.wq_roster_diff;

	SELECT coalesce(jsonb_agg(d.name ORDER BY d.name COLLATE "zh-Hans-x-icu"), '[]') INTO v_nodept
	  FROM wq.department d
	 WHERE d.school_code = v_school
	   AND NOT EXISTS (SELECT 1 FROM wq.account a WHERE a.school_code = v_school AND a.dept = d.name AND NOT a.locked);

	v_report := jsonb_build_object('rows', v_rows, 'added', v_added, 'updated', v_updated,
		'unchanged', v_rows - v_added - v_updated, 'missing', v_missing, 'changed', v_changed,
		'departments_without_clerk', v_nodept);
	PERFORM wq.log_event('roster', v_school, 'import', v_school, NULL, NULL,
		jsonb_build_object('file', p_file, 'rows', v_rows, 'added', v_added, 'updated', v_updated,
		                   'missing', jsonb_array_length(v_missing)),
		NULL, p_request_id);
	DROP TABLE pg_temp.wq_roster_diff;
	-- a large load changes the table's shape: let the next queries plan for it
	IF v_added > 1000 THEN
		ANALYZE wq.student;
	END IF;
	RETURN v_report;
END
$$;

-- ---------------------------------------------------------------------------
-- 核对: a graduate's first login, through the portal.
-- ---------------------------------------------------------------------------

-- Compares what the graduate entered with the roster; records 已核对 or
-- 信息不一致 with the fields that differ.  Returns
-- {"status": "verified"|"mismatch", "fields": [...], "student_no": ...}.
-- The student is found by school and 身份证号; a number that is not on the
-- roster gets the same answer as a mismatch of every field.
CREATE FUNCTION wq_api.student_verify(p_school text, p_name text, p_id_number text, p_level text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_s      wq.student;
	v_level  text;
	v_fields text[] := '{}';
	v_status text;
	v_school_name text;
BEGIN
	IF wq.caller_kind() IS DISTINCT FROM 'portal' AND NOT wq.is_operator() THEN
		RAISE EXCEPTION '只有门户账号可以核对学生信息' USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT name INTO v_school_name FROM wq.school WHERE code = p_school;
	SELECT * INTO v_s FROM wq.student
	 WHERE school_code = p_school AND id_number = upper(btrim(p_id_number)) FOR UPDATE;
	IF NOT FOUND THEN
		-- the roster may carry a wrong 身份证号: one student of that name in the school
		SELECT * INTO v_s FROM wq.student
		 WHERE school_code = p_school AND name = btrim(p_name)
		   AND (SELECT count(*) FROM wq.student WHERE school_code = p_school AND name = btrim(p_name)) = 1
		   FOR UPDATE;
		IF NOT FOUND THEN
			RETURN jsonb_build_object('status', 'not_found',
				'fields', jsonb_build_array('姓名', '身份证号', '毕业院校', '学历层次'),
				'school_name', v_school_name);
		END IF;
		v_fields := v_fields || '身份证号'::text;
	END IF;
	v_level := coalesce((SELECT code FROM wq.code WHERE kind = 'education_level'
	                      AND (code = btrim(p_level) OR name = btrim(p_level))), btrim(p_level));
	IF v_s.name IS DISTINCT FROM btrim(p_name) THEN
		v_fields := v_fields || '姓名'::text;
	END IF;
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

-- ---------------------------------------------------------------------------
-- 签约设置: a school user changes its settings; the version it saw guards
-- against a lost update, and every change is an event with before and after.
-- ---------------------------------------------------------------------------

CREATE FUNCTION wq_api.settings_set(p_changes jsonb, p_version integer, p_request_id uuid DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_school text := wq.require_school_user();
	v_old    wq.school_settings;
	v_new    wq.school_settings;
	v_key    text;
BEGIN
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
			ELSE SQLERRM END
			USING ERRCODE = 'check_violation';
	WHEN invalid_text_representation OR numeric_value_out_of_range THEN
		RAISE EXCEPTION '设置值的格式不正确：%', SQLERRM USING ERRCODE = 'check_violation';
END
$$;

-- ---------------------------------------------------------------------------
-- Department accounts, managed by the school user.  The login role is made
-- by functions owned by wq_account_admin (which may create roles); the
-- account row and the event by wq_owner's, under the policies above.
-- ---------------------------------------------------------------------------

CREATE FUNCTION wq.dept_account_row(p_login text, p_dept text, p_name text, p_action text,
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
		UPDATE wq.account SET locked = p_locked WHERE login = p_login;
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
REVOKE ALL ON FUNCTION wq.dept_account_row(text, text, text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq.dept_account_row(text, text, text, text, boolean) TO wq_account_admin;

RESET ROLE;
SET LOCAL ROLE wq_account_admin;

-- p_verifier is a SCRAM-SHA-256 verifier computed by the client, never a clear password.
CREATE FUNCTION wq_api.dept_account_add(p_login text, p_dept text, p_name text, p_verifier text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF p_login !~ '^[a-z_][a-z0-9_.-]{1,62}$' OR p_login LIKE 'pg\_%' OR p_login LIKE 'wq\_%' THEN
		RAISE EXCEPTION '登录名应为 2–63 位小写字母、数字、下划线、点或连字符，以字母或下划线开头'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_verifier !~ '^SCRAM-SHA-256\$' THEN
		RAISE EXCEPTION '密码必须以 SCRAM-SHA-256 摘要提交' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_login) THEN
		RAISE EXCEPTION '登录名 % 已被使用', p_login USING ERRCODE = 'duplicate_object';
	END IF;
	PERFORM wq.dept_account_row(p_login, p_dept, p_name, 'create');
	EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD %L IN ROLE wq_dept',
		p_login, p_verifier);
END
$$;

CREATE FUNCTION wq_api.dept_account_set_locked(p_login text, p_locked boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM wq.dept_account_row(p_login, NULL, NULL, 'lock', p_locked);
	EXECUTE format('ALTER ROLE %I %s', p_login, CASE WHEN p_locked THEN 'NOLOGIN' ELSE 'LOGIN' END);
	IF p_locked THEN
		PERFORM pg_catalog.pg_terminate_backend(a.pid)
		   FROM pg_catalog.pg_stat_activity a WHERE a.usename = p_login;
	END IF;
END
$$;

CREATE FUNCTION wq_api.dept_account_password(p_login text, p_verifier text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF p_verifier !~ '^SCRAM-SHA-256\$' THEN
		RAISE EXCEPTION '密码必须以 SCRAM-SHA-256 摘要提交' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM wq.dept_account_row(p_login, NULL, NULL, 'password');
	EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_verifier);
END
$$;

REVOKE ALL ON FUNCTION wq_api.dept_account_add(text, text, text, text),
	wq_api.dept_account_set_locked(text, boolean),
	wq_api.dept_account_password(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.dept_account_add(text, text, text, text),
	wq_api.dept_account_set_locked(text, boolean),
	wq_api.dept_account_password(text, text) TO wq_school;

RESET ROLE;
SET LOCAL ROLE wq_owner;

REVOKE ALL ON FUNCTION wq_api.roster_begin(text), wq_api.roster_apply(text, uuid, text),
	wq_api.student_verify(text, text, text, text),
	wq_api.settings_set(jsonb, integer, uuid), wq.id_number_valid(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.roster_begin(text), wq_api.roster_apply(text, uuid, text),
	wq_api.settings_set(jsonb, integer, uuid) TO wq_school, wq_operator;
GRANT EXECUTE ON FUNCTION wq_api.student_verify(text, text, text, text) TO wq_portal, wq_operator;
-- used by the CHECK constraint, evaluated as the caller's
GRANT EXECUTE ON FUNCTION wq.id_number_valid(text) TO wq_owner;
