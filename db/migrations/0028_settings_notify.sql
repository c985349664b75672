-- 0028_settings_notify: a change of a province's agreement type (协议类型) is
-- announced, so that every wq logged in under that province (its schools'
-- and departments' clerks, and its other province users) shows the new verb
-- (鉴证 under 两方协议, 审核 under 三方协议) without logging in again.
--
-- A change sends NOTIFY wq_settings_<province code> (no payload), delivered
-- when it commits; an unchanged save, a refused one (a stale version, a
-- caller who is not a province user, a type that is none) sends nothing.
-- The operator's wq_api.province_set sends the same when it changes an
-- existing province's type.
--
-- Anyone may NOTIFY any channel in PostgreSQL, a clerk of another school
-- included: a notification here is only a hint.  The client reads the type
-- again from wq_api.me and changes nothing when it is the same.
--
-- Both functions are 0020's, word for word, but for the NOTIFY; CREATE OR
-- REPLACE keeps their owner (wq_owner) and their grants.

SET LOCAL ROLE wq_owner;

CREATE OR REPLACE FUNCTION wq_api.province_agreement_type_set(p_type text, p_version integer) RETURNS integer
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
	-- delivered when this commits: the province's sessions read the type again
	PERFORM pg_catalog.pg_notify('wq_settings_' || v_code, '');
	RETURN p.version + 1;
END
$$;

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
	-- a new province has no sessions yet; an existing one's hear of a new type
	IF v_before IS NOT NULL AND v_before->>'agreement_type' <> v_after->>'agreement_type' THEN
		PERFORM pg_catalog.pg_notify('wq_settings_' || p_code, '');
	END IF;
END
$$;

RESET ROLE;
