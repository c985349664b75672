-- 0010_own_password: a user sets their own password.
--
-- wq_api.own_password(verifier) sets the SCRAM-SHA-256 verifier of the
-- calling login (session_user, never an argument) and leaves an event.  The
-- client computes the verifier (PQencryptPasswordConn), so the clear
-- password never reaches the server or its logs; anything that is not a
-- well-formed verifier is refused (wq.require_verifier), so nobody can
-- store a clear-text or md5 password through it.  A locked account has no
-- identity (wq.caller_kind() is NULL) and may not call it; neither may a
-- login without an account row.

SET LOCAL ROLE wq_owner;

-- The verifier is checked by wq.require_verifier (0007), as for department
-- accounts.

-- The event of a password change by its own account (no verifier in it).
CREATE FUNCTION wq.own_password_event() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_acc wq.account;
BEGIN
	SELECT * INTO v_acc FROM wq.account WHERE login = session_user AND NOT locked;
	IF NOT FOUND THEN
		RAISE EXCEPTION '当前登录名没有可用的账号，不能在此修改密码' USING ERRCODE = 'insufficient_privilege';
	END IF;
	PERFORM wq.log_event('account', v_acc.login, 'own_password', v_acc.school_code, v_acc.dept, NULL, NULL);
END
$$;
REVOKE ALL ON FUNCTION wq.own_password_event() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq.own_password_event() TO wq_account_admin;

RESET ROLE;
SET LOCAL ROLE wq_account_admin;

CREATE FUNCTION wq_api.own_password(p_verifier text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM wq.check_arg(p_verifier, 1000, '密码摘要');
	PERFORM wq.require_verifier(p_verifier);
	PERFORM wq.own_password_event();
	EXECUTE format('ALTER ROLE %I PASSWORD %L', session_user, p_verifier);
END
$$;
REVOKE ALL ON FUNCTION wq_api.own_password(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.own_password(text) TO wq_province, wq_school, wq_dept;

RESET ROLE;
