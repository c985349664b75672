-- 0011_student_keys: a student's school, province and 院系, checked once per
-- statement instead of once per row.
--
-- The three foreign keys of wq.student (school, province, (school, 院系))
-- each ran a query per inserted or updated row: on a 100,000-row import they
-- took more time than every index of the table together.  Statement-level
-- triggers with transition tables check the same thing with one set-based
-- query per statement: every new or changed row names an existing
-- department of an existing school, and the school's own province (which the
-- foreign keys did not check).  The other side is kept too: a department or
-- school that students name cannot be deleted or renamed, nor a school moved
-- to another province.  The triggers run as wq_search (which bypasses row
-- security), so that they see every department whoever writes.

ALTER TABLE wq.student
	DROP CONSTRAINT student_school_code_fkey,
	DROP CONSTRAINT student_province_code_fkey,
	DROP CONSTRAINT student_school_code_dept_fkey;

GRANT SELECT (school_code, name) ON wq.department TO wq_search;
GRANT SELECT (code, province_code) ON wq.school TO wq_search;
GRANT CREATE ON SCHEMA wq TO wq_search;
SET LOCAL ROLE wq_search;

CREATE FUNCTION wq.student_keys_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_bad record;
BEGIN
	SELECT n.student_no, n.school_code, n.province_code, n.dept,
	       sc.code IS NOT NULL AS school_ok, sc.province_code AS school_province
	  INTO v_bad
	  FROM wq_new_students n
	  LEFT JOIN wq.school sc ON sc.code = n.school_code
	 WHERE sc.code IS NULL OR sc.province_code IS DISTINCT FROM n.province_code
	    OR NOT EXISTS (SELECT 1 FROM wq.department d WHERE d.school_code = n.school_code AND d.name = n.dept)
	 LIMIT 1;
	IF FOUND THEN
		IF NOT v_bad.school_ok THEN
			RAISE EXCEPTION '学生 % 的学校 % 不存在', v_bad.student_no, v_bad.school_code
				USING ERRCODE = 'foreign_key_violation';
		ELSIF v_bad.school_province IS DISTINCT FROM v_bad.province_code THEN
			RAISE EXCEPTION '学生 % 的省份 % 与学校所在省份 % 不一致', v_bad.student_no,
				v_bad.province_code, v_bad.school_province USING ERRCODE = 'foreign_key_violation';
		END IF;
		RAISE EXCEPTION '学生 % 的院系“%”不是学校 % 的院系', v_bad.student_no, v_bad.dept, v_bad.school_code
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION wq.student_keys_check() FROM PUBLIC;

-- A department or school that students name stays as it is.
CREATE FUNCTION wq.student_keys_referenced() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_what text;
BEGIN
	IF TG_TABLE_NAME = 'department' THEN
		SELECT format('院系“%s”（学校 %s）', o.name, o.school_code) INTO v_what
		  FROM wq_old_keys o
		 WHERE NOT EXISTS (SELECT 1 FROM wq.department d WHERE d.school_code = o.school_code AND d.name = o.name)
		   AND EXISTS (SELECT 1 FROM wq.student s WHERE s.school_code = o.school_code AND s.dept = o.name)
		 LIMIT 1;
	ELSE
		SELECT format('学校 %s', o.code) INTO v_what
		  FROM wq_old_keys o
		 WHERE NOT EXISTS (SELECT 1 FROM wq.school sc WHERE sc.code = o.code AND sc.province_code = o.province_code)
		   AND EXISTS (SELECT 1 FROM wq.student s WHERE s.school_code = o.code)
		 LIMIT 1;
	END IF;
	IF v_what IS NOT NULL THEN
		RAISE EXCEPTION '% 仍有学生，不能删除或修改', v_what USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION wq.student_keys_referenced() FROM PUBLIC;

RESET ROLE;
REVOKE CREATE ON SCHEMA wq FROM wq_search;

CREATE TRIGGER student_keys_insert AFTER INSERT ON wq.student
	REFERENCING NEW TABLE AS wq_new_students
	FOR EACH STATEMENT EXECUTE FUNCTION wq.student_keys_check();
CREATE TRIGGER student_keys_update AFTER UPDATE ON wq.student
	REFERENCING NEW TABLE AS wq_new_students
	FOR EACH STATEMENT EXECUTE FUNCTION wq.student_keys_check();
CREATE TRIGGER student_keys_referenced_update AFTER UPDATE ON wq.department
	REFERENCING OLD TABLE AS wq_old_keys
	FOR EACH STATEMENT EXECUTE FUNCTION wq.student_keys_referenced();
CREATE TRIGGER student_keys_referenced_delete AFTER DELETE ON wq.department
	REFERENCING OLD TABLE AS wq_old_keys
	FOR EACH STATEMENT EXECUTE FUNCTION wq.student_keys_referenced();
CREATE TRIGGER student_keys_referenced_update AFTER UPDATE ON wq.school
	REFERENCING OLD TABLE AS wq_old_keys
	FOR EACH STATEMENT EXECUTE FUNCTION wq.student_keys_referenced();
CREATE TRIGGER student_keys_referenced_delete AFTER DELETE ON wq.school
	REFERENCING OLD TABLE AS wq_old_keys
	FOR EACH STATEMENT EXECUTE FUNCTION wq.student_keys_referenced();
