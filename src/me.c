/* me.c: the logged-in user, read through wq_api. */
#include "me.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
me_load(struct wq_db *db, struct me *me, struct wq_err *err)
{
	struct wq_rows *rows;

	rows = db_query(db, "SELECT login, name, kind, province_name, agreement_type, "
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
	me_fini(me);
	me->login = dup_or_null(rows_getn(rows, 0, "login"));
	me->name = dup_or_null(rows_getn(rows, 0, "name"));
	me->kind = dup_or_null(rows_getn(rows, 0, "kind"));
	me->province_name = dup_or_null(rows_getn(rows, 0, "province_name"));
	me->agreement_type = dup_or_null(rows_getn(rows, 0, "agreement_type"));
	me->school_code = dup_or_null(rows_getn(rows, 0, "school_code"));
	me->school_name = dup_or_null(rows_getn(rows, 0, "school_name"));
	me->dept = dup_or_null(rows_getn(rows, 0, "dept"));
	me->province_code = dup_or_null(rows_getn(rows, 0, "province_code"));
	rows_free(rows);
	if (!me->kind || strcmp(me->kind, "portal") == 0) {
		me_fini(me);
		return wq_err_set(err, WQ_ERR_PG_DENIED, "门户账号只能通过门户使用，不能登录本程序");
	}
	return true;
}

bool
me_reload_agreement_type(struct wq_db *db, struct me *me, struct wq_err *err)
{
	struct me fresh = { 0 };

	/* the one reading of wq_api.me, with its checks; only the type is taken */
	if (!me_load(db, &fresh, err))
		return false;
	free(me->agreement_type);
	me->agreement_type = fresh.agreement_type;
	fresh.agreement_type = NULL;
	me_fini(&fresh);
	return true;
}

void
me_settings_channel(const struct me *me, char *buf, size_t size)
{
	if (me->province_code && me->province_code[0])
		snprintf(buf, size, "%s%s", ME_SETTINGS_CHANNEL_PREFIX, me->province_code);
	else if (size)
		buf[0] = '\0';
}

bool
me_counts(struct wq_db *db, struct me_counts *c, struct wq_err *err)
{
	struct wq_rows *rows;

	memset(c, 0, sizeof(*c));
	/* the list's own counts, each found by index in the caller's scope
	 * (wq_api.students would read every row of a province) */
	rows = db_query(db,
		"SELECT wq_api.student_count(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL) AS students, "
		"       wq_api.student_count(NULL, NULL, NULL, NULL, NULL, 'true', NULL, NULL) AS eligible, "
		"       wq_api.student_count(NULL, NULL, NULL, NULL, NULL, NULL, 'unverified', NULL) AS unverified, "
		"       wq_api.student_count(NULL, NULL, NULL, NULL, NULL, NULL, 'verified', NULL) AS verified, "
		"       wq_api.student_count(NULL, NULL, NULL, NULL, NULL, NULL, 'mismatch', NULL) AS mismatch",
		0, NULL, err);
	if (!rows)
		return false;
	c->students = atol(rows_getn(rows, 0, "students"));
	c->eligible = atol(rows_getn(rows, 0, "eligible"));
	c->unverified = atol(rows_getn(rows, 0, "unverified"));
	c->verified = atol(rows_getn(rows, 0, "verified"));
	c->mismatch = atol(rows_getn(rows, 0, "mismatch"));
	rows_free(rows);
	return true;
}

char *
me_lock_message(struct wq_db *db)
{
	struct wq_rows *rows = db_query(db,
		"SELECT locked_by, locked_by_kind, to_char(locked_at, 'YYYY-MM-DD HH24:MI') AS locked_at "
		"  FROM wq_api.my_lock()", 0, NULL, NULL);
	char *msg = NULL;

	if (rows && rows->nrows == 1)
		msg = xasprintf("账号已被 %s（%s）于 %s 锁定", rows_getn(rows, 0, "locked_by"),
			rows_getn(rows, 0, "locked_by_kind"), rows_getn(rows, 0, "locked_at"));
	rows_free(rows);
	return msg;
}
