-- 0017_warnings: 预警单位 (warning units).
--
-- A school user marks an employer, by its 统一社会信用代码, as 违规单位,
-- 虚假单位, 就业歧视 or 虚假宣传, with a one-line note; one mark per school
-- and employer (a new mark by the same school replaces its own), removed only
-- by the school that made it.  An employer marked by 5 or more schools is a
-- national warning unit (全国预警单位).  Department users read their school's
-- marks (they see them while reviewing) but never mark.
--
-- What a school may learn of other schools' marks: how many schools marked an
-- employer, and how many chose each category, once the employer is a national
-- warning unit; never which schools.  So the marks themselves (wq.warning) are
-- readable, even by wq_owner's definer functions, only for the caller's own
-- school (row security), and the counts live in a second table
-- (wq.warning_tally), kept by a trigger on the first, that holds no school at
-- all.  No function can leak another school's mark by a careless join: the
-- rows are not there to join.  Below 5 schools no count is shown: a count of 1
-- or 2 that a school did not make itself, next to what it knows of who
-- recruits where, would come close to naming the school; the threshold is also
-- what makes an employer a warning unit at all.
--
-- The employer need not be in wq.employer (no foreign key).  wq.employer is
-- filled by the portal when an employer acts on the platform; a school often
-- learns of a fraudulent or discriminating firm first (a complaint from its
-- graduates, a job fair, a notice from the authorities), before the firm has
-- ever invited anyone here, and the mark must be waiting when it does.  The
-- code is still checked (GB 32100 check character), so a mark names a real
-- code, and the name is shown whenever the employer is known.

SET LOCAL ROLE wq_owner;

-- The categories: codes in the tables, labels on every screen.
CREATE FUNCTION wq.warning_category_label(p text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE p WHEN 'violation' THEN '违规单位' WHEN 'fake' THEN '虚假单位'
	              WHEN 'discrimination' THEN '就业歧视' WHEN 'false_ad' THEN '虚假宣传' END
$$;

-- The code of a category given by its code or its label, else NULL.
CREATE FUNCTION wq.warning_category_code(p text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE btrim(p) WHEN '违规单位' THEN 'violation' WHEN '虚假单位' THEN 'fake'
	                     WHEN '就业歧视' THEN 'discrimination' WHEN '虚假宣传' THEN 'false_ad'
	                     WHEN 'violation' THEN 'violation' WHEN 'fake' THEN 'fake'
	                     WHEN 'discrimination' THEN 'discrimination' WHEN 'false_ad' THEN 'false_ad' END
$$;

-- The schools needed for a national warning unit.
CREATE FUNCTION wq.warning_national_min() RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$ SELECT 5 $$;

-- ---------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------

-- One school's mark of one employer.  note: one line (it stands in queue rows
-- and beside the employer in a review), at most 200 characters, required.
CREATE TABLE wq.warning (
	school_code text NOT NULL REFERENCES wq.school CHECK (wq.clean_text(school_code, 16, false)),
	credit_code text NOT NULL CONSTRAINT warning_credit_code_valid CHECK (wq.credit_code_valid(credit_code)),
	category    text NOT NULL CHECK (wq.warning_category_label(category) IS NOT NULL),
	note        text NOT NULL CONSTRAINT warning_note_clean
	            CHECK (btrim(note) <> '' AND wq.clean_text(note, 200, false)),
	marked_by   text NOT NULL DEFAULT session_user CHECK (wq.clean_text(marked_by, 64, false)),
	marked_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (school_code, credit_code)
);
CREATE INDEX warning_school_at ON wq.warning (school_code, marked_at DESC, credit_code);

-- How many schools marked an employer, by category: no school in it.  Kept by
-- the trigger below; a row goes when its last mark goes.
CREATE TABLE wq.warning_tally (
	credit_code    text PRIMARY KEY CONSTRAINT warning_tally_credit_code_valid
	               CHECK (wq.credit_code_valid(credit_code)),
	violation      integer NOT NULL DEFAULT 0 CHECK (violation >= 0),
	fake           integer NOT NULL DEFAULT 0 CHECK (fake >= 0),
	discrimination integer NOT NULL DEFAULT 0 CHECK (discrimination >= 0),
	false_ad       integer NOT NULL DEFAULT 0 CHECK (false_ad >= 0),
	schools        integer GENERATED ALWAYS AS (violation + fake + discrimination + false_ad) STORED
);
CREATE INDEX warning_tally_schools ON wq.warning_tally (schools DESC, credit_code);

CREATE FUNCTION wq.warning_tally_apply() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		UPDATE wq.warning_tally SET
			violation = violation - (OLD.category = 'violation')::integer,
			fake = fake - (OLD.category = 'fake')::integer,
			discrimination = discrimination - (OLD.category = 'discrimination')::integer,
			false_ad = false_ad - (OLD.category = 'false_ad')::integer
		 WHERE credit_code = OLD.credit_code;
		DELETE FROM wq.warning_tally WHERE credit_code = OLD.credit_code AND schools = 0;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO wq.warning_tally AS t (credit_code, violation, fake, discrimination, false_ad)
		VALUES (NEW.credit_code, (NEW.category = 'violation')::integer, (NEW.category = 'fake')::integer,
		        (NEW.category = 'discrimination')::integer, (NEW.category = 'false_ad')::integer)
		ON CONFLICT (credit_code) DO UPDATE SET
			violation = t.violation + excluded.violation, fake = t.fake + excluded.fake,
			discrimination = t.discrimination + excluded.discrimination,
			false_ad = t.false_ad + excluded.false_ad;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER warning_tally AFTER INSERT OR UPDATE OR DELETE ON wq.warning
	FOR EACH ROW EXECUTE FUNCTION wq.warning_tally_apply();

-- Row security: a school's marks are its own (its departments read them);
-- only a school user writes them, only its own school's.  The tallies are
-- read by every definer function and written (by the trigger) only while a
-- school user or the operator acts.
ALTER TABLE wq.warning ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.warning FORCE ROW LEVEL SECURITY;
CREATE POLICY warning_read ON wq.warning FOR SELECT TO wq_owner
	USING ((SELECT wq.is_operator()) OR school_code = (SELECT wq.caller_school()));
CREATE POLICY warning_insert ON wq.warning FOR INSERT TO wq_owner
	WITH CHECK ((SELECT wq.caller_kind()) = 'school' AND school_code = (SELECT wq.caller_school()));
CREATE POLICY warning_update ON wq.warning FOR UPDATE TO wq_owner
	USING ((SELECT wq.caller_kind()) = 'school' AND school_code = (SELECT wq.caller_school()))
	WITH CHECK ((SELECT wq.caller_kind()) = 'school' AND school_code = (SELECT wq.caller_school()));
CREATE POLICY warning_delete ON wq.warning FOR DELETE TO wq_owner
	USING ((SELECT wq.caller_kind()) = 'school' AND school_code = (SELECT wq.caller_school()));

ALTER TABLE wq.warning_tally ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.warning_tally FORCE ROW LEVEL SECURITY;
CREATE POLICY warning_tally_read ON wq.warning_tally FOR SELECT TO wq_owner USING (true);
CREATE POLICY warning_tally_write ON wq.warning_tally TO wq_owner
	USING ((SELECT wq.caller_kind()) = 'school' OR (SELECT wq.is_operator()))
	WITH CHECK ((SELECT wq.caller_kind()) = 'school' OR (SELECT wq.is_operator()));

REVOKE ALL ON wq.warning, wq.warning_tally FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------

-- The school of the caller, who must be a school user (the message says why
-- a department user may not).
CREATE FUNCTION wq.warning_require_school() RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF wq.caller_kind() IS NOT DISTINCT FROM 'dept' THEN
		RAISE EXCEPTION '院系用户不能标记或取消预警单位，请联系学校就业部门'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF wq.caller_kind() IS DISTINCT FROM 'school' THEN
		RAISE EXCEPTION '只有学校用户可以标记或取消预警单位' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN wq.caller_school();
END
$$;

-- Refuses readers other than school and department users.
CREATE FUNCTION wq.warning_require_reader() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF wq.caller_kind() IS DISTINCT FROM 'school' AND wq.caller_kind() IS DISTINCT FROM 'dept' THEN
		RAISE EXCEPTION '只有学校用户和院系用户可以查看预警单位' USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;

-- Refuses a code that is no 统一社会信用代码 (the message does not repeat it).
CREATE FUNCTION wq.warning_require_code(p text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT coalesce(wq.credit_code_valid(p), false) THEN
		RAISE EXCEPTION '统一社会信用代码不正确：应为 18 位（数字与大写字母，不含 I、O、S、V、Z），且校验位正确'
			USING ERRCODE = 'check_violation';
	END IF;
END
$$;

-- "违规单位 3、虚假宣传 2": a tally's categories with their counts, in the fixed order.
CREATE FUNCTION wq.warning_tally_text(t wq.warning_tally) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT string_agg(wq.warning_category_label(c) || ' ' || n, '、' ORDER BY o)
	  FROM (VALUES (1, 'violation', t.violation), (2, 'fake', t.fake),
	               (3, 'discrimination', t.discrimination), (4, 'false_ad', t.false_ad)) AS x(o, c, n)
	 WHERE n > 0
$$;

-- A mark as an event records it.
CREATE FUNCTION wq.warning_json(w wq.warning) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN w.credit_code IS NOT NULL THEN
		jsonb_build_object('credit_code', w.credit_code, 'category', w.category,
		                   'category_label', wq.warning_category_label(w.category), 'note', w.note,
		                   'marked_by', w.marked_by, 'marked_at', w.marked_at) END
$$;

-- ---------------------------------------------------------------------------
-- wq_api
-- ---------------------------------------------------------------------------

-- Marks employer p_code as p_category (违规单位, 虚假单位, 就业歧视, 虚假宣传,
-- or the codes violation, fake, discrimination, false_ad) with note p_note,
-- for the caller's school; replaces the school's own earlier mark.  Returns
-- {credit_code, category, category_label, action: create|replace|unchanged,
-- before: the replaced mark or null, national, schools (when national)}.
CREATE FUNCTION wq_api.warning_add(p_code text, p_category text, p_note text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_school   text;
	v_category text;
	v_note     text := btrim(p_note);
	v_old      wq.warning;
	v_new      wq.warning;
	v_action   text;
	v_schools  integer;
BEGIN
	PERFORM wq.check_arg(p_code, 18, '统一社会信用代码');
	PERFORM wq.check_arg(p_category, 16, '预警类别');
	PERFORM wq.check_arg(p_note, 200, '备注');
	v_school := wq.warning_require_school();
	PERFORM wq.warning_require_code(p_code);
	v_category := wq.warning_category_code(p_category);
	IF v_category IS NULL THEN
		RAISE EXCEPTION '预警类别应为 违规单位、虚假单位、就业歧视 或 虚假宣传' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF coalesce(v_note, '') = '' THEN
		RAISE EXCEPTION '请填写备注（标记的原因）' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT wq.clean_text(v_note, 200, false) THEN
		RAISE EXCEPTION '备注只能是一行文字，不能含有换行、控制字符或文字方向控制字符' USING ERRCODE = 'check_violation';
	END IF;
	LOOP
		SELECT * INTO v_old FROM wq.warning WHERE school_code = v_school AND credit_code = p_code FOR UPDATE;
		IF FOUND THEN
			IF v_old.category = v_category AND v_old.note = v_note THEN
				v_action := 'unchanged';
				v_new := v_old;
			ELSE
				UPDATE wq.warning SET category = v_category, note = v_note,
				       marked_by = session_user, marked_at = now()
				 WHERE school_code = v_school AND credit_code = p_code
				RETURNING * INTO v_new;
				v_action := 'replace';
			END IF;
			EXIT;
		END IF;
		-- another clerk of the school may mark it at the same moment: then replace theirs
		INSERT INTO wq.warning (school_code, credit_code, category, note)
		VALUES (v_school, p_code, v_category, v_note)
		ON CONFLICT (school_code, credit_code) DO NOTHING
		RETURNING * INTO v_new;
		IF v_new.credit_code IS NOT NULL THEN
			v_action := 'create';
			v_old := NULL;
			EXIT;
		END IF;
	END LOOP;
	IF v_action <> 'unchanged' THEN
		PERFORM wq.log_event('warning', p_code, v_action, v_school, NULL,
			wq.warning_json(v_old), wq.warning_json(v_new), NULL, NULL,
			v_old.category, v_new.category);
	END IF;
	SELECT t.schools INTO v_schools FROM wq.warning_tally t WHERE t.credit_code = p_code;
	RETURN jsonb_build_object('credit_code', p_code, 'category', v_new.category,
		'category_label', wq.warning_category_label(v_new.category), 'action', v_action,
		'before', CASE WHEN v_action = 'replace' THEN wq.warning_json(v_old) END,
		'national', coalesce(v_schools >= wq.warning_national_min(), false),
		'schools', CASE WHEN v_schools >= wq.warning_national_min() THEN v_schools END);
END
$$;

-- Removes the caller's school's own mark of employer p_code.  Returns the
-- removed mark ({credit_code, category, category_label, note, ...}).  Another
-- school's mark cannot be removed: for this school there is none.
CREATE FUNCTION wq_api.warning_remove(p_code text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_school text;
	v_old    wq.warning;
BEGIN
	PERFORM wq.check_arg(p_code, 18, '统一社会信用代码');
	v_school := wq.warning_require_school();
	PERFORM wq.warning_require_code(p_code);
	DELETE FROM wq.warning WHERE school_code = v_school AND credit_code = p_code
	RETURNING * INTO v_old;
	IF v_old.credit_code IS NULL THEN
		RAISE EXCEPTION '本校没有标记统一社会信用代码为 % 的单位', p_code USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM wq.log_event('warning', p_code, 'remove', v_school, NULL, wq.warning_json(v_old), NULL,
		NULL, NULL, v_old.category, NULL);
	RETURN wq.warning_json(v_old);
END
$$;

-- The caller's school's marks, newest first (p_national false or NULL), or the
-- national warning units, most schools first (p_national true).  One row per
-- employer: the employer's name and 经营状态 when it is known; this school's
-- own mark (category, label, note, who and when; NULL where the school has
-- none); and, for a national warning unit, how many schools marked it and
-- the categories they chose with their counts (never which schools).
CREATE FUNCTION wq_api.warnings(p_national boolean DEFAULT false)
RETURNS TABLE (credit_code text, employer_name text, employer_status text, category text,
	category_label text, note text, marked_by text, marked_by_name text, marked_at timestamptz,
	is_national boolean, schools integer, categories text)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 100 SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_school text;
	v_min    integer := wq.warning_national_min();
BEGIN
	PERFORM wq.warning_require_reader();
	v_school := wq.caller_school();
	IF coalesce(p_national, false) THEN
		RETURN QUERY
		SELECT t.credit_code, e.name, wq.employer_status_label(e.status), w.category,
		       wq.warning_category_label(w.category), w.note, w.marked_by, who.name, w.marked_at,
		       true, t.schools, wq.warning_tally_text(t)
		  FROM wq.warning_tally t
		  LEFT JOIN wq.employer e ON e.credit_code = t.credit_code
		  LEFT JOIN wq.warning w ON w.school_code = v_school AND w.credit_code = t.credit_code
		  LEFT JOIN LATERAL wq.actor_of(w.marked_by) who ON w.marked_by IS NOT NULL
		 WHERE t.schools >= v_min
		 ORDER BY t.schools DESC, t.credit_code;
		RETURN;
	END IF;
	RETURN QUERY
	SELECT w.credit_code, e.name, wq.employer_status_label(e.status), w.category,
	       wq.warning_category_label(w.category), w.note, w.marked_by, who.name, w.marked_at,
	       coalesce(t.schools >= v_min, false),
	       CASE WHEN t.schools >= v_min THEN t.schools END,
	       CASE WHEN t.schools >= v_min THEN wq.warning_tally_text(t) END
	  FROM wq.warning w
	  LEFT JOIN wq.employer e ON e.credit_code = w.credit_code
	  LEFT JOIN wq.warning_tally t ON t.credit_code = w.credit_code
	 CROSS JOIN LATERAL wq.actor_of(w.marked_by) who
	 WHERE w.school_code = v_school
	 ORDER BY w.marked_at DESC, w.credit_code;
END
$$;

-- What a reviewer sees of one employer: always one row, with this school's
-- mark (NULL columns when it has none) and whether the employer is a national
-- warning unit (with the count and categories only then).
CREATE FUNCTION wq_api.employer_warnings(p_code text)
RETURNS TABLE (credit_code text, employer_name text, employer_status text, category text,
	category_label text, note text, marked_by text, marked_by_name text, marked_at timestamptz,
	is_national boolean, schools integer, categories text)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 1 SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_min integer := wq.warning_national_min();
BEGIN
	PERFORM wq.check_arg(p_code, 18, '统一社会信用代码');
	PERFORM wq.warning_require_reader();
	PERFORM wq.warning_require_code(p_code);
	RETURN QUERY
	SELECT x.code, e.name, wq.employer_status_label(e.status), w.category,
	       wq.warning_category_label(w.category), w.note, w.marked_by, who.name, w.marked_at,
	       coalesce(t.schools >= v_min, false),
	       CASE WHEN t.schools >= v_min THEN t.schools END,
	       CASE WHEN t.schools >= v_min THEN wq.warning_tally_text(t) END
	  FROM (SELECT p_code AS code) x
	  LEFT JOIN wq.employer e ON e.credit_code = x.code
	  LEFT JOIN wq.warning w ON w.school_code = wq.caller_school() AND w.credit_code = x.code
	  LEFT JOIN wq.warning_tally t ON t.credit_code = x.code
	  LEFT JOIN LATERAL wq.actor_of(w.marked_by) who ON w.marked_by IS NOT NULL;
END
$$;

DO $$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'wq.warning_category_label(text)', 'wq.warning_category_code(text)', 'wq.warning_national_min()',
		'wq.warning_tally_apply()', 'wq.warning_require_school()', 'wq.warning_require_reader()',
		'wq.warning_require_code(text)', 'wq.warning_tally_text(wq.warning_tally)',
		'wq.warning_json(wq.warning)',
		'wq_api.warning_add(text, text, text)', 'wq_api.warning_remove(text)',
		'wq_api.warnings(boolean)', 'wq_api.employer_warnings(text)']
	LOOP
		EXECUTE 'REVOKE ALL ON FUNCTION ' || f || ' FROM PUBLIC';
	END LOOP;
END
$$;
-- Department users may call the writes too, so that they are told why not
-- (in Chinese) rather than given a bare permission error.
GRANT EXECUTE ON FUNCTION wq_api.warning_add(text, text, text), wq_api.warning_remove(text),
	wq_api.warnings(boolean), wq_api.employer_warnings(text)
	TO wq_school, wq_dept;

RESET ROLE;
