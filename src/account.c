/* account.c: department accounts, through wq_api. */
#include "account.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

bool
account_password_check(const char *password, struct wq_err *err)
{
	if (str_empty(password))
		return wq_err_set(err, WQ_ERR_INPUT, "密码不能为空");
	if (strlen(password) < ACCOUNT_PASSWORD_MIN)
		return wq_err_set(err, WQ_ERR_INPUT, "密码至少 %d 个字符", ACCOUNT_PASSWORD_MIN);
	return true;
}

/* Calls fn(login, ..., verifier) with the password turned into a verifier first. */
static bool
with_verifier(struct wq_db *db, const char *sql, const char *login, const char *password,
	int nparams, const char **params, struct wq_err *err)
{
	char *verifier;
	bool ok;

	if (!account_password_check(password, err))
		return false;
	verifier = db_password_verifier(db, login, password, err);
	if (!verifier)
		return false;
	params[nparams - 1] = verifier;
	ok = db_exec(db, sql, nparams, params, err);
	memset(verifier, 0, strlen(verifier));
	free(verifier);
	return ok;
}

bool
account_dept_add(struct wq_db *db, const char *login, const char *dept, const char *name,
	const char *password, struct wq_err *err)
{
	const char *params[4] = { login, dept, name ? name : "", NULL };

	return with_verifier(db, "SELECT wq_api.dept_account_add($1, $2, $3, $4)", login, password,
		4, params, err);
}

bool
account_dept_set_locked(struct wq_db *db, const char *login, bool locked, struct wq_err *err)
{
	const char *params[2] = { login, locked ? "true" : "false" };
	struct timespec pause = { 0, 300 * 1000 * 1000 };

	if (!db_exec(db, "SELECT wq_api.dept_account_set_locked($1, $2::boolean)", 2, params, err))
		return false;
	if (!locked)
		return true;
	/* the lock is committed and announced: a clerk's wq that is logged in
	 * reads who locked it; then its sessions end */
	nanosleep(&pause, NULL);
	return db_exec(db, "SELECT wq_api.dept_account_end_sessions($1)", 1, params, err);
}

bool
account_dept_password(struct wq_db *db, const char *login, const char *password, struct wq_err *err)
{
	const char *params[2] = { login, NULL };

	return with_verifier(db, "SELECT wq_api.dept_account_password($1, $2)", login, password,
		2, params, err);
}

bool
account_own_password(struct wq_db *db, const char *password, struct wq_err *err)
{
	const char *params[1] = { NULL };

	return with_verifier(db, "SELECT wq_api.own_password($1)", db_user(db), password, 1, params, err);
}

struct wq_rows *
account_dept_list(struct wq_db *db, struct wq_err *err)
{
	return db_query(db,
		"SELECT d.name AS dept, a.login, a.name, CASE WHEN a.locked THEN 't' ELSE 'f' END AS locked "
		"  FROM wq_api.departments d "
		"  LEFT JOIN wq_api.accounts a ON a.school_code = d.school_code AND a.dept = d.name AND a.kind = 'dept' "
		" ORDER BY d.name COLLATE \"zh-Hans-x-icu\", a.login", 0, NULL, err);
}
