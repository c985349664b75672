-- 0013_account_lock_notice: a clerk whose account is locked is told so, and by whom.
--
-- Locking a department account used to end its sessions in the same
-- transaction, so the clerk's wq saw only a lost connection, and could not
-- log in again to ask why.  Now the lock commits first and sends
-- NOTIFY wq_account_locked with the login; the clerk's wq (which listens)
-- reads wq_api.my_lock() (who locked the account, when) while its session
-- still stands, and shows it.  The school's wq then ends the sessions with
-- wq_api.dept_account_end_sessions(login).  Between the two steps a locked
-- account has no identity (wq.caller_* return nothing for it), so its
-- sessions see and change nothing; and its role can no longer log in.

SET LOCAL ROLE wq_account_admin;

CREATE OR REPLACE FUNCTION wq_api.dept_account_set_locked(p_login text, p_locked boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM wq.check_arg(p_login, 63, '登录名');
	PERFORM wq.dept_account_row(p_login, NULL, NULL, 'lock', p_locked);
	EXECUTE format('ALTER ROLE %I %s', p_login, CASE WHEN p_locked THEN 'NOLOGIN' ELSE 'LOGIN' END);
	IF p_locked THEN
		-- delivered when this commits; the sessions end in a second step
		PERFORM pg_catalog.pg_notify('wq_account_locked', p_login);
	END IF;
END
$$;

RESET ROLE;
SET LOCAL ROLE wq_owner;

-- Is p_login a locked department account of the caller's school?
CREATE FUNCTION wq.locked_dept_account(p_login text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM wq.account a
	                WHERE a.login = p_login AND a.kind = 'dept' AND a.locked
	                  AND a.school_code = wq.require_school_user())
$$;
REVOKE ALL ON FUNCTION wq.locked_dept_account(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq.locked_dept_account(text) TO wq_account_admin;

RESET ROLE;
SET LOCAL ROLE wq_account_admin;

-- Ends every session of a locked department account of the caller's
-- school; returns how many.  Refused for any other login.
CREATE FUNCTION wq_api.dept_account_end_sessions(p_login text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM wq.check_arg(p_login, 63, '登录名');
	IF NOT wq.locked_dept_account(p_login) THEN
		RAISE EXCEPTION '只能结束本校已锁定的院系账号的会话' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN (SELECT count(*) FILTER (WHERE pg_catalog.pg_terminate_backend(a.pid))
	          FROM pg_catalog.pg_stat_activity a WHERE a.usename = p_login);
END
$$;
REVOKE ALL ON FUNCTION wq_api.dept_account_end_sessions(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.dept_account_end_sessions(text) TO wq_school;

RESET ROLE;

-- Who locked the caller's own account, and when: one row while it is
-- locked, none otherwise.  Run as wq_search (the caller has no identity
-- once locked, so row security would show it nothing); only the caller's
-- own account is read.
GRANT SELECT (login, locked) ON wq.account TO wq_search;
GRANT SELECT (id, at, actor, entity, entity_id, action) ON wq.event TO wq_search;
GRANT CREATE ON SCHEMA wq_api TO wq_search;
SET LOCAL ROLE wq_search;
CREATE FUNCTION wq_api.my_lock(OUT locked_by text, OUT locked_by_kind text, OUT locked_at timestamptz)
RETURNS SETOF record
LANGUAGE sql STABLE SECURITY DEFINER ROWS 1 SET search_path = pg_catalog, pg_temp AS $$
	SELECT who.name, who.kind, e.at
	  FROM wq.account a
	  JOIN LATERAL (SELECT e.at, e.actor FROM wq.event e
	                 WHERE e.entity = 'account' AND e.entity_id = a.login AND e.action = 'lock'
	                 ORDER BY e.id DESC LIMIT 1) e ON true
	 CROSS JOIN LATERAL wq.actor_of(e.actor) who
	 WHERE a.login = session_user AND a.locked
$$;
REVOKE ALL ON FUNCTION wq_api.my_lock() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wq_api.my_lock() TO wq_province, wq_school, wq_dept, wq_portal;
RESET ROLE;
REVOKE CREATE ON SCHEMA wq_api FROM wq_search;
