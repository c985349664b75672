-- 0020_province_settings: a province user's own 签约设置, the agreement
-- type of its province (两方协议: schools and departments 鉴证; 三方协议: they
-- 审核).  Every school of the province reads it through wq_api.me, so the
-- verb of every screen, command and 就业协议书 follows the change.
--
-- The province row gets what a school's settings have: a version (a save
-- names the version it saw; a stale one is refused, naming who saved first
-- and when) and who changed it last.  The operator's wq_api.province_set
-- moves the same version.

SET LOCAL ROLE wq_owner;

ALTER TABLE wq.province
	ADD COLUMN version    integer NOT NULL DEFAULT 1 CHECK (version >= 1),
	ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
	ADD COLUMN updated_by text NOT NULL DEFAULT session_user CHECK (wq.clean_text(updated_by, 63, false));

-- A province user may change its own province's row (the operator: any, 0001).
CREATE POLICY province_write ON wq.province FOR UPDATE TO wq_owner
	USING (code = (SELECT wq.caller_province())) WITH CHECK (code = (SELECT wq.caller_province()));

-- The operator's (0007), with the version and who changed it.
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
	SELECT jsonb_build_object('code', p.code, 'name', p.name, 'agreement_type', p.agreement_type) INTO v_before
	  FROM wq.province p WHERE p.code = p_code FOR UPDATE;
	INSERT INTO wq.province (code, name, agreement_type)
	VALUES (p_code, p_name, p_agreement_type)
	ON CONFLICT (code) DO UPDATE SET name = excluded.name, agreement_type = excluded.agreement_type,
		version = wq.province.version + 1, updated_at = now(), updated_by = session_user
	 WHERE (wq.province.name, wq.province.agreement_type) IS DISTINCT FROM (excluded.name, excluded.agreement_type);
	SELECT jsonb_build_object('code', p.code, 'name', p.name, 'agreement_type', p.agreement_type) INTO v_after
	  FROM wq.province p WHERE p.code = p_code;
	IF v_before IS DISTINCT FROM v_after THEN
		PERFORM wq.log_event('province', p_code,
			CASE WHEN v_before IS NULL THEN 'create' ELSE 'update' END,
			NULL, NULL, v_before, v_after);
	END IF;
END
$$;

-- 两方协议 / 三方协议 for two_party / three_party.
CREATE FUNCTION wq.agreement_type_label(p_type text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_type WHEN 'two_party' THEN '两方协议' WHEN 'three_party' THEN '三方协议' END
$$;

-- The caller's province: its agreement type (and label), version, and who
-- changed it last (by name; by login when the account has no name).
-- Province users only.
CREATE FUNCTION wq_api.province_settings()
RETURNS TABLE (code text, name text, agreement_type text, agreement_label text, version integer,
	updated_at timestamptz, updated_by text, updated_by_name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_code text := wq.caller_province();
BEGIN
	IF v_code IS NULL THEN
		RAISE EXCEPTION '只有省级用户有省级签约设置' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN QUERY
	SELECT p.code, p.name, p.agreement_type, wq.agreement_type_label(p.agreement_type), p.version,
	       p.updated_at, p.updated_by, (SELECT coalesce(nullif(w.name, ''), p.updated_by) FROM wq.actor_of(p.updated_by) w)
	  FROM wq.province p WHERE p.code = v_code;
END
$$;

-- Sets the caller's province's agreement type: p_type two_party or
-- three_party (or 两方协议, 三方协议, two-party, three-party); p_version the
-- version the user saw.  Returns the new version (the same when nothing
-- changed: no event then).
CREATE FUNCTION wq_api.province_agreement_type_set(p_type text, p_version integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_code text;
	v_type text;
	p      wq.province;
	v_who  record;
BEGIN
	PERFORM wq.check_arg(p_type, 32, '协议类型');
	v_code := wq.caller_province();
	IF v_code IS NULL THEN
		RAISE EXCEPTION '只有省级用户可以设置协议类型' USING ERRCODE = 'insufficient_privilege';
	END IF;
	v_type := CASE p_type WHEN '两方协议' THEN 'two_party' WHEN '三方协议' THEN 'three_party'
		WHEN 'two-party' THEN 'two_party' WHEN 'three-party' THEN 'three_party' ELSE p_type END;
	IF v_type IS NULL OR v_type NOT IN ('two_party', 'three_party') THEN
		RAISE EXCEPTION '协议类型应为 两方协议 或 三方协议' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_version IS NULL THEN
		RAISE EXCEPTION '缺少所见的版本号' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT * INTO p FROM wq.province x WHERE x.code = v_code FOR UPDATE;
	IF p.version <> p_version THEN
		SELECT * INTO v_who FROM wq.actor_of(p.updated_by);
		RAISE EXCEPTION '省级签约设置已被 %（%）于 % 修改，当前协议类型：%',
			coalesce(nullif(v_who.name, ''), p.updated_by), v_who.kind,
			to_char(p.updated_at, 'YYYY-MM-DD HH24:MI:SS'), wq.agreement_type_label(p.agreement_type)
			USING ERRCODE = 'serialization_failure', HINT = '请刷新后重试';
	END IF;
	IF p.agreement_type = v_type THEN
		RETURN p.version;
	END IF;
	UPDATE wq.province x SET agreement_type = v_type, version = x.version + 1, updated_at = now(),
		updated_by = session_user
	 WHERE x.code = v_code;
	PERFORM wq.log_event('province', v_code, 'update', NULL, NULL,
		jsonb_build_object('agreement_type', p.agreement_type, 'version', p.version),
		jsonb_build_object('agreement_type', v_type, 'version', p.version + 1));
	RETURN p.version + 1;
END
$$;

REVOKE ALL ON FUNCTION wq.agreement_type_label(text), wq_api.province_settings(),
	wq_api.province_agreement_type_set(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.province_settings(), wq_api.province_agreement_type_set(text, integer)
	TO wq_province;

RESET ROLE;
