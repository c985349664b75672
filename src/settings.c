/* settings.c: 签约设置, read and changed through wq_api. */
#include "settings.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
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
		"SELECT CASE WHEN st.online_signing THEN 'on' ELSE 'off' END, "
		"       CASE WHEN st.registration THEN 'on' ELSE 'off' END, "
		"       CASE WHEN st.destination THEN 'on' ELSE 'off' END, "
		"       st.review_mode, st.max_terminations::text, st.handler, st.phone, st.address, st.postcode, "
		"       st.version, st.updated_by, to_char(st.updated_at, 'YYYY-MM-DD HH24:MI'), sc.agreement_type "
		"  FROM wq_api.school_settings st JOIN wq_api.schools sc ON sc.code = st.school_code",
		0, NULL, err);
	if (!rows)
		return false;
	if (rows->nrows != 1) {
		rows_free(rows);
		return wq_err_set(err, WQ_ERR_PG_DENIED, "没有可查看的签约设置（只有学校和院系用户有）");
	}
	for (i = 0; i < SETTING_COUNT; i++)
		s->value[i] = xstrdup((v = rows_get(rows, 0, i)) ? v : "");
	s->version = atoi(rows_get(rows, 0, SETTING_COUNT));
	s->updated_by = xstrdup(rows_get(rows, 0, SETTING_COUNT + 1));
	s->updated_at = xstrdup(rows_get(rows, 0, SETTING_COUNT + 2));
	s->agreement_type = xstrdup(rows_get(rows, 0, SETTING_COUNT + 3));
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
	free(s->agreement_type);
	memset(s, 0, sizeof(*s));
}

static bool
all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
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
		if (!all_digits(value) || strlen(value) > 2)
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

bool
settings_save(struct wq_db *db, int n, const enum settings_key *keys, const char *const *values,
	int version, int *new_version, struct wq_err *err)
{
	char *karr, *varr, version_s[16];
	size_t klen = 2, vlen = 2;
	const char *params[3];
	struct wq_rows *rows;
	int i;

	/* text arrays built from quoted literals: {"k1","k2"} */
	for (i = 0; i < n; i++) {
		klen += strlen(settings_keys[keys[i]].key) + 4;
		vlen += strlen(values[i]) * 2 + 4;
	}
	karr = xmalloc(klen);
	varr = xmalloc(vlen);
	strcpy(karr, "{");
	strcpy(varr, "{");
	for (i = 0; i < n; i++) {
		const char *v;
		char *q = varr + strlen(varr);

		strcat(karr, i ? ",\"" : "\"");
		strcat(karr, settings_keys[keys[i]].key);
		strcat(karr, "\"");
		if (i)
			*q++ = ',';
		*q++ = '"';
		for (v = values[i]; *v; v++) {
			if (*v == '"' || *v == '\\')
				*q++ = '\\';
			*q++ = *v;
		}
		*q++ = '"';
		*q = '\0';
	}
	strcat(karr, "}");
	strcat(varr, "}");
	snprintf(version_s, sizeof(version_s), "%d", version);
	params[0] = karr;
	params[1] = varr;
	params[2] = version >= 0 ? version_s : NULL;
	rows = db_query(db, "SELECT wq_api.settings_set(jsonb_object($1::text[], $2::text[]), $3::int, gen_random_uuid())",
		3, params, err);
	free(karr);
	free(varr);
	if (!rows) {
		if (err && strcmp(err->sqlstate, "40001") == 0)
			err->code = WQ_ERR_STALE;
		else if (err && strcmp(err->sqlstate, "23514") == 0)
			err->code = WQ_ERR_INPUT;
		return false;
	}
	if (new_version)
		*new_version = atoi(rows_get(rows, 0, 0));
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
