/* settings.c: 签约设置, read and changed through wq_api. */
#include "settings.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "query.h"
#include "str.h"
#include "util.h"

const struct settings_key_info settings_keys[SETTING_COUNT] = {
#define SETTINGS_ROW(key, label, type, max) [SETTING_##key] = { #key, label, type, max },
	SETTINGS_KEYS(SETTINGS_ROW)
#undef SETTINGS_ROW
};

int
settings_key_find(const char *key)
{
	int i;

	for (i = 0; i < SETTING_COUNT; i++)
		if (strcmp(settings_keys[i].key, key) == 0 || strcmp(settings_keys[i].label, key) == 0)
			return i;
	return -1;
}

bool
settings_load(struct wq_db *db, struct school_settings *s, struct wq_err *err)
{
	struct wq_rows *rows;
	const char *v;
	int i;

	memset(s, 0, sizeof(*s));
	rows = db_query(db,
		"SELECT CASE WHEN st.online_signing THEN 'on' ELSE 'off' END AS online_signing, "
		"       CASE WHEN st.registration THEN 'on' ELSE 'off' END AS registration, "
		"       CASE WHEN st.destination THEN 'on' ELSE 'off' END AS destination, "
		"       st.review_mode, st.max_terminations::text AS max_terminations, st.handler, st.phone, "
		"       st.address, st.postcode, st.version, st.updated_by, "
		"       to_char(st.updated_at, 'YYYY-MM-DD HH24:MI') AS updated_at "
		"  FROM wq_api.school_settings st",
		0, NULL, err);
	if (!rows)
		return false;
	if (rows->nrows != 1) {
		rows_free(rows);
		return wq_err_set(err, WQ_ERR_PG_DENIED, "没有可查看的签约设置（只有学校和院系用户有）");
	}
	for (i = 0; i < SETTING_COUNT; i++)
		s->value[i] = xstrdup((v = rows_getn(rows, 0, settings_keys[i].key)) ? v : "");
	s->version = atoi(rows_getn(rows, 0, "version"));
	s->updated_by = xstrdup(rows_getn(rows, 0, "updated_by"));
	s->updated_at = xstrdup(rows_getn(rows, 0, "updated_at"));
	rows_free(rows);
	return true;
}

void
settings_fini(struct school_settings *s)
{
	int i;

	for (i = 0; i < SETTING_COUNT; i++)
		free(s->value[i]);
	free(s->updated_by);
	free(s->updated_at);
	memset(s, 0, sizeof(*s));
}

bool
settings_check(enum settings_key key, const char *value, char **out, struct wq_err *err)
{
	const struct settings_key_info *k = &settings_keys[key];
	const char *norm = value;
	const char *p;

	*out = NULL;
	switch (k->type) {
	case SET_SWITCH:
		if (!strcmp(value, "on") || !strcmp(value, "开") || !strcmp(value, "开启") || !strcmp(value, "true"))
			norm = "on";
		else if (!strcmp(value, "off") || !strcmp(value, "关") || !strcmp(value, "关闭") || !strcmp(value, "false"))
			norm = "off";
		else
			return wq_err_set(err, WQ_ERR_INPUT, "%s应为 on（开启）或 off（关闭）", k->label);
		break;
	case SET_REVIEW_MODE:
		if (!strcmp(value, "school") || !strcmp(value, "仅校级审核"))
			norm = "school";
		else if (!strcmp(value, "dept_then_school") || !strcmp(value, "先院系再校级审核"))
			norm = "dept_then_school";
		else
			return wq_err_set(err, WQ_ERR_INPUT,
				"%s应为 school（仅校级审核）或 dept_then_school（先院系再校级审核）", k->label);
		break;
	case SET_COUNT:
		if (!check_all_digits(value) || strlen(value) > 2)
			return wq_err_set(err, WQ_ERR_INPUT, "%s应为 0 到 99 的整数", k->label);
		break;
	case SET_TEXT:
		for (p = value; *p; p++)
			if ((unsigned char)*p < 0x20)
				return wq_err_set(err, WQ_ERR_INPUT, "%s不能包含控制字符", k->label);
		if (str_width(value) > (size_t)k->max * 2)
			return wq_err_set(err, WQ_ERR_INPUT, "%s最多 %d 个字", k->label, k->max);
		break;
	case SET_PHONE:
		if (*value) {
			if (!isdigit((unsigned char)value[0]) || strlen(value) < 6 || strlen(value) > 24)
				return wq_err_set(err, WQ_ERR_INPUT, "%s格式不正确（例如 010-62751234）", k->label);
			for (p = value; *p; p++)
				if (!isdigit((unsigned char)*p) && !strchr(" ()+-", *p))
					return wq_err_set(err, WQ_ERR_INPUT, "%s只能包含数字、空格、括号、+ 和 -", k->label);
		}
		break;
	case SET_POSTCODE:
		if (*value && !check_postcode(value, NULL))
			return wq_err_set(err, WQ_ERR_INPUT, "%s应为 6 位数字", k->label);
		break;
	}
	*out = xstrdup(norm);
	return true;
}

/* The settings' version now when the write with this request id is already in the database, else 0. */
static int
request_applied(struct wq_db *db, const char *request_id)
{
	struct query q;
	struct wq_rows *rows;
	int version = 0;

	query_init(&q, "SELECT st.version FROM wq_api.school_settings st WHERE EXISTS "
		"(SELECT 1 FROM wq_api.events e WHERE e.entity = 'settings' AND e.request_id = ");
	query_param(&q, request_id, "uuid");
	query_add(&q, ")");
	rows = query_run(db, &q, NULL);
	query_fini(&q);
	if (rows && rows->nrows == 1)
		version = atoi(rows_getn(rows, 0, "version"));
	rows_free(rows);
	return version;
}

bool
settings_save(struct wq_db *db, int n, const enum settings_key *keys, const char *const *values,
	int version, int *new_version, struct wq_err *err)
{
	char request_id[WQ_REQUEST_ID_SIZE];

	wq_request_id(request_id);
	return settings_save_request(db, n, keys, values, version, request_id, new_version, err);
}

bool
settings_save_request(struct wq_db *db, int n, const enum settings_key *keys, const char *const *values,
	int version, const char *request_id, int *new_version, struct wq_err *err)
{
	struct query q;
	struct wq_rows *rows;
	struct wq_err e2;
	int i, done = 0;

	query_init(&q, "SELECT wq_api.settings_set(jsonb_build_object(");
	for (i = 0; i < n; i++) {
		query_add(&q, i ? ", " : "");
		query_param(&q, settings_keys[keys[i]].key, "text");
		query_add(&q, ", ");
		query_param(&q, values[i], "text");
	}
	query_add(&q, "), ");
	if (version >= 0)
		query_param_int(&q, version, "int");
	else
		query_param(&q, NULL, "int");
	query_add(&q, ", ");
	query_param(&q, request_id, "uuid");
	query_add(&q, ") AS version");
	wq_err_clear(&e2);
	rows = query_run(db, &q, &e2);
	if (!rows && e2.code == WQ_ERR_PG_CONN && db_check(db)) {
		/* the connection was lost: unless the write got through, send it again, with the same id */
		done = request_applied(db, request_id);
		if (!done)
			rows = query_run(db, &q, &e2);
	}
	/* the same request sent again finds the version moved on, by itself */
	if (!rows && !done && (strcmp(e2.sqlstate, "40001") == 0 || strcmp(e2.sqlstate, "23505") == 0))
		done = request_applied(db, request_id);
	query_fini(&q);
	if (!rows && !done) {
		if (strcmp(e2.sqlstate, "40001") == 0)
			e2.code = WQ_ERR_STALE;
		else if (strcmp(e2.sqlstate, "23514") == 0)
			e2.code = WQ_ERR_INPUT;
		if (err)
			*err = e2;
		return false;
	}
	if (new_version)
		*new_version = rows ? atoi(rows_getn(rows, 0, "version")) : done;
	rows_free(rows);
	return true;
}

const char *
settings_value_label(enum settings_key key, const char *value)
{
	switch (settings_keys[key].type) {
	case SET_SWITCH:
		return value && strcmp(value, "on") == 0 ? "开启" : "关闭";
	case SET_REVIEW_MODE:
		return value && strcmp(value, "dept_then_school") == 0 ? "先院系再校级审核" : "仅校级审核";
	case SET_COUNT:
	case SET_TEXT:
	case SET_PHONE:
	case SET_POSTCODE:
		break;
	}
	return value ? value : "";
}

bool
province_settings_load(struct wq_db *db, struct province_settings *p, struct wq_err *err)
{
	struct wq_rows *rows;

	memset(p, 0, sizeof(*p));
	rows = db_query(db, "SELECT code, name, agreement_type, version, "
		"to_char(updated_at, 'YYYY-MM-DD HH24:MI') AS updated_at, coalesce(updated_by_name, updated_by) AS updated_by "
		"FROM wq_api.province_settings()", 0, NULL, err);
	if (!rows)
		return false;
	if (rows->nrows != 1) {
		rows_free(rows);
		return wq_err_set(err, WQ_ERR_PG_DENIED, "没有可查看的省级签约设置");
	}
	p->code = xstrdup(rows_getn(rows, 0, "code"));
	p->name = xstrdup(rows_getn(rows, 0, "name"));
	p->agreement_type = xstrdup(rows_getn(rows, 0, "agreement_type"));
	p->version = atoi(rows_getn(rows, 0, "version"));
	p->updated_at = xstrdup(rows_getn(rows, 0, "updated_at"));
	p->updated_by = xstrdup(rows_getn(rows, 0, "updated_by"));
	rows_free(rows);
	return true;
}

void
province_settings_fini(struct province_settings *p)
{
	free(p->code);
	free(p->name);
	free(p->agreement_type);
	free(p->updated_at);
	free(p->updated_by);
	memset(p, 0, sizeof(*p));
}

bool
province_agreement_type_set(struct wq_db *db, const char *type, int version, int *new_version, struct wq_err *err)
{
	char vbuf[16];
	const char *params[2] = { type, vbuf };
	struct wq_rows *rows;

	snprintf(vbuf, sizeof(vbuf), "%d", version);
	rows = db_query(db, "SELECT wq_api.province_agreement_type_set($1::text, $2::integer)", 2, params, err);
	if (!rows) {
		if (err && strcmp(err->sqlstate, "40001") == 0)
			err->code = WQ_ERR_STALE;
		return false;
	}
	if (new_version)
		*new_version = atoi(rows_get(rows, 0, 0));
	rows_free(rows);
	return true;
}
