/*
 * app.c: the state shared by the screens of one run: who is logged in
 * (wq_api.me) and the labels of their kind and agreement type.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "util.h"

const char *
kind_label(const char *kind)
{
	if (!kind)
		return "";
	if (strcmp(kind, "province") == 0)
		return "省级用户";
	if (strcmp(kind, "school") == 0)
		return "学校用户";
	if (strcmp(kind, "dept") == 0)
		return "院系用户";
	if (strcmp(kind, "portal") == 0)
		return "门户账号";
	return kind;
}

const char *
agreement_label(const char *type)
{
	return type && strcmp(type, "two_party") == 0 ? "两方协议" : "三方协议";
}

const char *
agreement_verb(const char *type)
{
	return type && strcmp(type, "two_party") == 0 ? "鉴证" : "审核";
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
me_fini(struct me *me)
{
	free(me->login);
	free(me->name);
	free(me->kind);
	free(me->province_code);
	free(me->province_name);
	free(me->agreement_type);
	free(me->school_code);
	free(me->school_name);
	free(me->dept);
	memset(me, 0, sizeof(*me));
}

bool
me_load(struct app *app, struct wq_err *err)
{
	struct wq_rows *rows;

	rows = db_query(app->db, "SELECT login, name, kind, province_name, agreement_type, "
		"school_code, school_name, dept, province_code FROM wq_api.me", 0, NULL, err);
	if (!rows) {
		if (err && (err->code == WQ_ERR_PG_DENIED || strcmp(err->sqlstate, "42P01") == 0
		            || strcmp(err->sqlstate, "3F000") == 0))
			wq_err_set(err, WQ_ERR_PG_DENIED, "此数据库用户没有 wq 账号，或数据库尚未迁移");
		return false;
	}
	if (rows->nrows != 1) {
		rows_free(rows);
		return wq_err_set(err, WQ_ERR_PG_DENIED, "此数据库用户没有 wq 账号");
	}
	me_fini(&app->me);
	app->me.login = dup_or_null(rows_get(rows, 0, 0));
	app->me.name = dup_or_null(rows_get(rows, 0, 1));
	app->me.kind = dup_or_null(rows_get(rows, 0, 2));
	app->me.province_name = dup_or_null(rows_get(rows, 0, 3));
	app->me.agreement_type = dup_or_null(rows_get(rows, 0, 4));
	app->me.school_code = dup_or_null(rows_get(rows, 0, 5));
	app->me.school_name = dup_or_null(rows_get(rows, 0, 6));
	app->me.dept = dup_or_null(rows_get(rows, 0, 7));
	app->me.province_code = dup_or_null(rows_get(rows, 0, 8));
	rows_free(rows);
	if (strcmp(app->me.kind, "portal") == 0) {
		me_fini(&app->me);
		return wq_err_set(err, WQ_ERR_PG_DENIED, "门户账号只能通过门户使用，不能登录本程序");
	}
	return true;
}
