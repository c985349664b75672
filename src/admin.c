/* admin.c: the platform operator's commands, each one transaction. */
#include "admin.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static bool
begin(struct wq_db *db, struct wq_err *err)
{
	return db_exec(db, "BEGIN", 0, NULL, err);
}

static bool
finish(struct wq_db *db, bool ok, struct wq_err *err)
{
	if (ok)
		return db_exec(db, "COMMIT", 0, NULL, err);
	db_exec(db, "ROLLBACK", 0, NULL, NULL);
	return false;
}

bool
admin_province_set(struct wq_db *db, const char *code, const char *name,
	const char *agreement_type, struct wq_err *err)
{
	const char *type;
	const char *params[3];

	if (strcmp(agreement_type, "two-party") == 0 || strcmp(agreement_type, "two_party") == 0)
		type = "two_party";
	else if (strcmp(agreement_type, "three-party") == 0 || strcmp(agreement_type, "three_party") == 0)
		type = "three_party";
	else
		return wq_err_set(err, WQ_ERR_USAGE,
			"--agreement-type 应为 two-party（两方协议）或 three-party（三方协议），而不是 %s",
			agreement_type);
	params[0] = code;
	params[1] = name;
	params[2] = type;
	return db_exec(db, "SELECT wq_api.province_set($1, $2, $3)", 3, params, err);
}

bool
admin_school_add(struct wq_db *db, const char *code, const char *name,
	const char *province, struct wq_err *err)
{
	const char *params[3] = { code, name, province };

	return db_exec(db, "SELECT wq_api.school_add($1, $2, $3)", 3, params, err);
}

bool
admin_account_add(struct wq_db *db, const struct admin_account *a, struct wq_err *err)
{
	char *ident = NULL, *group = NULL, *verifier = NULL, *literal = NULL, *sql = NULL;
	const char *params[6];
	bool ok = false;

	if (strcmp(a->kind, "province") != 0 && strcmp(a->kind, "school") != 0
	    && strcmp(a->kind, "dept") != 0 && strcmp(a->kind, "portal") != 0)
		return wq_err_set(err, WQ_ERR_USAGE, "--kind 应为 province、school、dept 或 portal，而不是 %s", a->kind);
	if (strcmp(a->kind, "province") == 0 && str_empty(a->province))
		return wq_err_set(err, WQ_ERR_USAGE, "省级用户需要 --province CODE");
	if ((strcmp(a->kind, "school") == 0 || strcmp(a->kind, "dept") == 0) && str_empty(a->school))
		return wq_err_set(err, WQ_ERR_USAGE, "学校用户和院系用户需要 --school CODE");
	if (strcmp(a->kind, "dept") == 0 && str_empty(a->dept))
		return wq_err_set(err, WQ_ERR_USAGE, "院系用户需要 --dept 院系");
	if (strcmp(a->kind, "dept") != 0 && !str_empty(a->dept))
		return wq_err_set(err, WQ_ERR_USAGE, "只有院系用户（--kind dept）才有 --dept");

	ident = db_quote_ident(db, a->login);
	group = xasprintf("wq_%s", a->kind);
	if (a->password) {
		verifier = db_password_verifier(db, a->login, a->password, err);
		if (!verifier)
			goto out;
		literal = db_quote_literal(db, verifier);
	}
	if (!ident || (verifier && !literal)) {
		wq_err_set(err, WQ_ERR_INPUT, "登录名或密码包含无法使用的字符");
		goto out;
	}
	sql = xasprintf("CREATE ROLE %s LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS%s%s IN ROLE %s",
		ident, literal ? " PASSWORD " : "", literal ? literal : "", group);
	params[0] = a->login;
	params[1] = a->kind;
	params[2] = str_empty(a->province) ? NULL : a->province;
	params[3] = str_empty(a->school) ? NULL : a->school;
	params[4] = str_empty(a->dept) ? NULL : a->dept;
	params[5] = a->name;
	if (!begin(db, err))
		goto out;
	ok = db_exec(db, sql, 0, NULL, err)
	  && db_exec(db, "SELECT wq_api.account_add($1, $2, $3, $4, $5, $6)", 6, params, err);
	ok = finish(db, ok, err);
	if (!ok && err && strcmp(err->sqlstate, "42710") == 0)
		wq_err_set(err, WQ_ERR_INPUT, "登录名 %s 已被使用", a->login);
out:
	if (verifier)
		memset(verifier, 0, strlen(verifier));
	free(ident);
	free(group);
	free(verifier);
	free(literal);
	free(sql);
	return ok;
}

bool
admin_account_set_locked(struct wq_db *db, const char *login, bool locked, struct wq_err *err)
{
	const char *params[2] = { login, locked ? "true" : "false" };
	struct wq_rows *rows;
	char *ident, *sql;
	bool ok;

	/* Only roles with an account row may be changed here. */
	rows = db_query(db, "SELECT 1 FROM wq_api.accounts WHERE login = $1", 1, params, err);
	if (!rows)
		return false;
	ok = rows->nrows == 1;
	rows_free(rows);
	if (!ok)
		return wq_err_set(err, WQ_ERR_INPUT, "账号 %s 不存在", login);
	ident = db_quote_ident(db, login);
	sql = xasprintf("ALTER ROLE %s %s", ident, locked ? "NOLOGIN" : "LOGIN");
	ok = begin(db, err)
	  && db_exec(db, sql, 0, NULL, err)
	  && db_exec(db, "SELECT wq_api.account_set_locked($1, $2::boolean)", 2, params, err);
	ok = finish(db, ok, err);
	free(ident);
	free(sql);
	/* A locked account's open sessions end too. */
	if (ok && locked)
		db_exec(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
			1, params, NULL);
	return ok;
}
