-- 0012_roster_columns: an import never loses data it was not given.
--
-- A column that the file does not have must not change the stored values of
-- its field.  The client stages a column that the file has with '' for an
-- empty value and a column that it lacks with NULL in every row, so the
-- database can tell them apart itself: a staged column that is NULL in every
-- row is absent.  A client that sends fewer columns (COPY of some of them)
-- gets the same treatment.  An absent optional column keeps every stored
-- value of its field, and new students get the field empty; an absent or
-- NULL required value is refused.
--
-- The report names the absent columns ("absent_columns"), tells departments
-- whose every account is locked ("departments_locked") from those that have
-- none ("departments_without_clerk"), and each student's roster_update event
-- holds the changed fields' values before and after.
--
-- wq_api.student_history(id) gives a student's history with each actor's
-- name and kind (read through a definer function: a clerk may see who acted
-- on a student in scope, not list the accounts of the platform).

SET LOCAL ROLE wq_owner;

CREATE OR REPLACE FUNCTION wq_api.roster_apply(p_file text, p_request_id uuid DEFAULT NULL, p_school text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_school   text;
	v_province text;
	v_added    int;
	v_updated  int;
	v_rows     int;
	v_missing  jsonb;
	v_earlier  jsonb;
	v_changed  jsonb;
	v_nodept   jsonb;
	v_locked   jsonb;
	v_report   jsonb;
	v_problems text;
	v_nproblems int;
	-- absent optional columns (NULL in every staged row)
	a_exam  boolean; a_years boolean; a_entry boolean; a_grad boolean;
	a_mobile boolean; a_email boolean;
	v_absent text[];
BEGIN
	-- bounds first, then the caller's school (0007)
	PERFORM wq.check_arg(p_file, 1000, '文件名');
	PERFORM wq.check_arg(p_school, 16, '学校代码');
	v_school := wq.import_school(p_school);
	IF to_regclass('pg_temp.wq_roster_stage') IS NULL THEN
		RAISE EXCEPTION '没有待导入的名单（先调用 wq_api.roster_begin）' USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	-- one import at a time per school, on a lock only that school can take (0007)
	PERFORM wq.roster_lock(v_school);
	SELECT province_code INTO v_province FROM wq.school WHERE code = v_school;
	-- the planner knows nothing of a fresh temporary table: index and analyze it,
	-- so the joins below with the school's students are hash or index joins
	CREATE INDEX ON pg_temp.wq_roster_stage (student_no);
	ANALYZE pg_temp.wq_roster_stage;

	-- a required value may not be missing, whichever client staged the rows
	WITH p AS (
		SELECT st.line, x.col
		  FROM pg_temp.wq_roster_stage st
		 CROSS JOIN LATERAL (VALUES
			('姓名', st.name), ('性别', st.sex), ('身份证号', st.id_number), ('民族', st.ethnicity),
			('政治面貌', st.political_status), ('出生日期', st.birth_date), ('毕业院校', st.school_name),
			('院系', st.dept), ('学历层次', st.level), ('专业', st.major), ('培养方式', st.training_mode),
			('生源所在地', st.origin_code), ('学号', st.student_no)) AS x(col, v)
		 WHERE x.v IS NULL OR x.v = ''
	)
	SELECT (SELECT count(*) FROM p),
	       (SELECT string_agg(format('第 %s 行: %s: 不能为空', line, col), E'\n' ORDER BY line, col)
	          FROM (SELECT * FROM p ORDER BY line, col LIMIT 200) x)
	  INTO v_nproblems, v_problems;
	IF v_nproblems > 0 THEN
		RAISE EXCEPTION '名单有 % 处错误，未导入任何数据', v_nproblems
			USING ERRCODE = 'check_violation', DETAIL = v_problems;
	END IF;
	PERFORM wq.roster_check_stage(v_school);
	PERFORM wq.roster_check_text();   -- as the table will check them (0007)

	SELECT count(*), coalesce(bool_and(exam_no IS NULL), true), coalesce(bool_and(years IS NULL), true),
	       coalesce(bool_and(entry_date IS NULL), true), coalesce(bool_and(grad_date IS NULL), true),
	       coalesce(bool_and(mobile IS NULL), true), coalesce(bool_and(email IS NULL), true)
	  INTO v_rows, a_exam, a_years, a_entry, a_grad, a_mobile, a_email
	  FROM pg_temp.wq_roster_stage;
	v_absent := array_remove(ARRAY[
		CASE WHEN a_exam THEN '考生号' END, CASE WHEN a_years THEN '学制' END,
		CASE WHEN a_entry THEN '入学时间' END, CASE WHEN a_grad THEN '毕业时间' END,
		CASE WHEN a_mobile THEN '手机号码' END, CASE WHEN a_email THEN '电子邮箱' END], NULL);

	INSERT INTO wq.department (school_code, name)
	SELECT DISTINCT v_school, dept FROM pg_temp.wq_roster_stage
	ON CONFLICT DO NOTHING;

	-- changed students: the fields that changed, with their values before and
	-- after; an absent column is never compared (its stored value stays)
	CREATE TEMP TABLE wq_roster_diff ON COMMIT DROP AS
	SELECT s.id, st.*,
	       array_remove(ARRAY[
	         CASE WHEN NOT a_exam AND s.exam_no IS DISTINCT FROM nullif(st.exam_no, '') THEN '考生号' END,
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
	         CASE WHEN NOT a_years AND s.years IS DISTINCT FROM nullif(st.years, '') THEN '学制' END,
	         CASE WHEN NOT a_entry AND s.entry_date IS DISTINCT FROM nullif(st.entry_date, '')::date THEN '入学时间' END,
	         CASE WHEN NOT a_grad AND s.grad_date IS DISTINCT FROM nullif(st.grad_date, '')::date THEN '毕业时间' END,
	         CASE WHEN NOT a_mobile AND s.mobile IS DISTINCT FROM nullif(st.mobile, '') THEN '手机号码' END,
	         CASE WHEN NOT a_email AND s.email IS DISTINCT FROM nullif(st.email, '') THEN '电子邮箱' END,
	         CASE WHEN NOT s.in_roster THEN '重新列入名单' END
	       ], NULL) AS fields
	  FROM pg_temp.wq_roster_stage st
	  JOIN wq.student s ON s.school_code = v_school AND s.student_no = st.student_no;
	DELETE FROM pg_temp.wq_roster_diff WHERE cardinality(fields) = 0;

	-- the events first, while the old values are still in the table
	INSERT INTO wq.event (school_code, dept, entity, entity_id, action, before, after, request_id)
	SELECT v_school, d.dept, 'student', d.id::text, 'roster_update',
	       coalesce(v.before, '{}'),
	       coalesce(v.after, '{}') || jsonb_build_object('fields', to_jsonb(d.fields), 'file', p_file),
	       p_request_id
	  FROM pg_temp.wq_roster_diff d
	  JOIN wq.student s ON s.id = d.id
	  LEFT JOIN LATERAL (
		SELECT jsonb_object_agg(f.col, coalesce(f.old, '')) AS before,
		       jsonb_object_agg(f.col, coalesce(f.new, '')) AS after
		  FROM (VALUES
			('考生号', s.exam_no, nullif(d.exam_no, '')), ('姓名', s.name, d.name),
			('性别', s.sex, d.sex), ('身份证号', s.id_number, d.id_number),
			('民族', s.ethnicity, d.ethnicity), ('政治面貌', s.political_status, d.political_status),
			('出生日期', s.birth_date::text, d.birth_date), ('院系', s.dept, d.dept),
			('学历层次', s.level, d.level), ('专业', s.major, d.major),
			('培养方式', s.training_mode, d.training_mode),
			('生源所在地', concat_ws(' ', s.origin_code, nullif(s.origin_name, '')),
			              concat_ws(' ', d.origin_code, nullif(d.origin_name, ''))),
			('学制', s.years, nullif(d.years, '')),
			('入学时间', s.entry_date::text, nullif(d.entry_date, '')::date::text),
			('毕业时间', s.grad_date::text, nullif(d.grad_date, '')::date::text),
			('手机号码', s.mobile, nullif(d.mobile, '')), ('电子邮箱', s.email, nullif(d.email, ''))
		  ) AS f(col, old, new)
		 WHERE f.col = ANY (d.fields)
	  ) v ON true;

	UPDATE wq.student s SET
		exam_no = CASE WHEN a_exam THEN s.exam_no ELSE nullif(d.exam_no, '') END,
		name = d.name, sex = d.sex, id_number = d.id_number,
		ethnicity = d.ethnicity, political_status = d.political_status,
		birth_date = d.birth_date::date, dept = d.dept, level = d.level, major = d.major,
		training_mode = d.training_mode, origin_code = d.origin_code,
		origin_name = coalesce(d.origin_name, ''),
		years = CASE WHEN a_years THEN s.years ELSE nullif(d.years, '') END,
		entry_date = CASE WHEN a_entry THEN s.entry_date ELSE nullif(d.entry_date, '')::date END,
		grad_date = CASE WHEN a_grad THEN s.grad_date ELSE nullif(d.grad_date, '')::date END,
		mobile = CASE WHEN a_mobile THEN s.mobile ELSE nullif(d.mobile, '') END,
		email = CASE WHEN a_email THEN s.email ELSE nullif(d.email, '') END,
		in_roster = true,
		-- corrected identity data lets the graduate verify again
		verify_status = CASE WHEN s.verify_status = 'mismatch'
		                      AND d.fields && ARRAY['姓名', '身份证号', '学历层次']
		                     THEN 'unverified' ELSE s.verify_status END,
		version = s.version + 1, updated_at = now()
	  FROM pg_temp.wq_roster_diff d
	 WHERE s.id = d.id;
	GET DIAGNOSTICS v_updated = ROW_COUNT;

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

	-- departments nobody can work for: no account at all, or only locked ones
	SELECT coalesce(jsonb_agg(d.name ORDER BY d.name COLLATE "zh-Hans-x-icu")
	                FILTER (WHERE NOT EXISTS (SELECT 1 FROM wq.account a
	                                           WHERE a.school_code = v_school AND a.dept = d.name)), '[]'),
	       coalesce(jsonb_agg(d.name ORDER BY d.name COLLATE "zh-Hans-x-icu")
	                FILTER (WHERE EXISTS (SELECT 1 FROM wq.account a
	                                       WHERE a.school_code = v_school AND a.dept = d.name)), '[]')
	  INTO v_nodept, v_locked
	  FROM wq.department d
	 WHERE d.school_code = v_school
	   AND NOT EXISTS (SELECT 1 FROM wq.account a WHERE a.school_code = v_school AND a.dept = d.name AND NOT a.locked);

	v_report := jsonb_build_object('rows', v_rows, 'added', v_added, 'updated', v_updated,
		'unchanged', v_rows - v_added - v_updated, 'missing', v_missing, 'changed', v_changed,
		'absent_columns', to_jsonb(v_absent),
		'departments_without_clerk', v_nodept, 'departments_locked', v_locked);
	PERFORM wq.log_event('roster', v_school, 'import', v_school, NULL, NULL,
		jsonb_build_object('file', p_file, 'rows', v_rows, 'added', v_added, 'updated', v_updated,
		                   'missing', jsonb_array_length(v_missing), 'absent_columns', to_jsonb(v_absent)),
		NULL, p_request_id);
	DROP TABLE pg_temp.wq_roster_diff;
	-- no ANALYZE wq.student here: it waits for (and holds up) other schools'
	-- imports; autovacuum analyzes the table after a large load (0007)
	RETURN v_report;
END
$$;

-- The kind of an account as the screens say it.
CREATE FUNCTION wq.kind_label(p_kind text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE p_kind WHEN 'province' THEN '省级用户' WHEN 'school' THEN '学校用户'
	                   WHEN 'dept' THEN '院系用户' WHEN 'portal' THEN '门户账号'
	                   ELSE '平台管理员' END
$$;
REVOKE ALL ON FUNCTION wq.kind_label(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq.kind_label(text) TO wq_search;

RESET ROLE;

-- Who an event's actor is, for a history line: the account's name and kind.
-- Owned by wq_search (which bypasses row security) and callable only by
-- wq_owner's definer functions, which show it only for events the caller may
-- read; a clerk cannot look up accounts with it.
GRANT SELECT (login, name, kind) ON wq.account TO wq_search;
GRANT CREATE ON SCHEMA wq TO wq_search;
SET LOCAL ROLE wq_search;
CREATE FUNCTION wq.actor_of(p_login text, OUT name text, OUT kind text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(a.name, p_login), CASE WHEN a.login IS NULL THEN '平台管理员' ELSE wq.kind_label(a.kind) END
	  FROM (SELECT p_login AS l) x LEFT JOIN wq.account a ON a.login = x.l
$$;
REVOKE ALL ON FUNCTION wq.actor_of(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq.actor_of(text) TO wq_owner;
RESET ROLE;
REVOKE CREATE ON SCHEMA wq FROM wq_search;
SET LOCAL ROLE wq_owner;

-- A student's history, newest first: when, who (name and kind), what (with
-- the values before and after).  Nothing for a student out of the caller's
-- scope: the student and the events are read under the policies.
CREATE FUNCTION wq_api.student_history(p_student bigint, p_limit int DEFAULT 50)
RETURNS TABLE (at timestamptz, actor text, actor_name text, actor_kind text, action text, what text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT e.at, e.actor, who.name, who.kind, e.action,
	       CASE e.action
	       WHEN 'roster_update' THEN '名单更新：' || coalesce(
	            (SELECT string_agg(CASE WHEN e.before ? f THEN
	                                    f || ' ' || CASE WHEN e.before->>f = '' THEN '（空）' ELSE e.before->>f END
	                                      || ' → ' || CASE WHEN e.after->>f = '' THEN '（空）' ELSE e.after->>f END
	                                    ELSE f END, '；' ORDER BY o)
	               FROM jsonb_array_elements_text(e.after->'fields') WITH ORDINALITY AS x(f, o)), '')
	       WHEN 'verify' THEN '核对：' || CASE e.after->>'verify_status' WHEN 'verified' THEN '已核对'
	            ELSE '信息不一致（' || coalesce((SELECT string_agg(f, '、')
	                                            FROM jsonb_array_elements_text(e.after->'fields') f), '') || '）' END
	       ELSE e.action END
	  FROM wq.event e
	 CROSS JOIN LATERAL wq.actor_of(e.actor) who
	 WHERE e.entity = 'student' AND e.entity_id = p_student::text
	   AND EXISTS (SELECT 1 FROM wq.student s WHERE s.id = p_student)
	 ORDER BY e.id DESC
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
REVOKE ALL ON FUNCTION wq_api.student_history(bigint, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.student_history(bigint, int) TO wq_operator, wq_province, wq_school, wq_dept;

RESET ROLE;
