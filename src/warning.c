/* warning.c: 预警单位, through wq_api (0017). */
#include "warning.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "str.h"
#include "util.h"

static const struct {
	const char *code;
	const char *label;
} categories[] = {
#define WARNING_CATEGORY_ROW(code, label) { #code, label },
	WARNING_CATEGORIES(WARNING_CATEGORY_ROW)
#undef WARNING_CATEGORY_ROW
};

const char *
warning_category_code(const char *s)
{
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(categories); i++)
		if (strcmp(s, categories[i].label) == 0 || strcmp(s, categories[i].code) == 0)
			return categories[i].code;
	return NULL;
}

const char *
warning_category_label(const char *code)
{
	size_t i;

	if (!code)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(categories); i++)
		if (strcmp(code, categories[i].code) == 0)
			return categories[i].label;
	return NULL;
}

/* A bidi control: what wq.clean_text refuses besides the controls. */
static bool
is_bidi(unsigned int cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e)
		|| (cp >= 0x2066 && cp <= 0x2069);
}

bool
warning_note_check(const char *note, struct wq_err *err)
{
	size_t len, off = 0, n = 0;
	bool blank = true;

	if (str_empty(note))
		return wq_err_set(err, WQ_ERR_INPUT, "请填写备注（标记的原因）");
	len = strlen(note);
	while (off < len) {
		unsigned int cp;
		int k = str_utf8_decode(note + off, len - off, &cp);

		if (cp == (unsigned int)-1)
			return wq_err_set(err, WQ_ERR_INPUT, "备注不是有效的 UTF-8 文字");
		if (cp == '\n' || cp == '\r')
			return wq_err_set(err, WQ_ERR_INPUT, "备注只能是一行文字，不能换行");
		if (str_is_control(cp) || is_bidi(cp))
			return wq_err_set(err, WQ_ERR_INPUT, "备注不能含有控制字符或文字方向控制字符");
		if (cp != ' ')
			blank = false;
		off += (size_t)k;
		n++;
	}
	if (blank)
		return wq_err_set(err, WQ_ERR_INPUT, "请填写备注（标记的原因）");
	if (n > WARNING_NOTE_MAX)
		return wq_err_set(err, WQ_ERR_INPUT, "备注过长：最多 %d 个字符（现有 %zu 个）", WARNING_NOTE_MAX, n);
	return true;
}

bool
warning_add(struct wq_db *db, const char *credit_code, const char *category, const char *note,
	struct warning_outcome *out, struct wq_err *err)
{
	const char *code = warning_category_code(category);
	const char *params[3] = { credit_code, code, note };
	struct wq_rows *rows;
	const char *v;

	if (!check_credit_code(credit_code, err))
		return false;
	if (!code)
		return wq_err_set(err, WQ_ERR_INPUT, "预警类别应为 违规单位、虚假单位、就业歧视 或 虚假宣传");
	if (!warning_note_check(note, err))
		return false;
	rows = db_query(db, "SELECT r->>'action' AS action, r->'before'->>'category' AS before_category, "
		"       (r->>'national')::boolean AS national, (r->>'schools')::integer AS schools "
		"  FROM wq_api.warning_add($1, $2, $3) r", 3, params, err);
	if (!rows)
		return false;
	if (out) {
		memset(out, 0, sizeof(*out));
		snprintf(out->action, sizeof(out->action), "%s", rows_getn(rows, 0, "action"));
		v = warning_category_label(rows_getn(rows, 0, "before_category"));
		snprintf(out->before_label, sizeof(out->before_label), "%s", v ? v : "");
		v = rows_getn(rows, 0, "national");
		out->national = v && strcmp(v, "t") == 0;
		v = rows_getn(rows, 0, "schools");
		out->schools = v ? atoi(v) : 0;
	}
	rows_free(rows);
	return true;
}

bool
warning_remove(struct wq_db *db, const char *credit_code, struct wq_err *err)
{
	const char *params[1] = { credit_code };

	if (!check_credit_code(credit_code, err))
		return false;
	return db_exec(db, "SELECT wq_api.warning_remove($1)", 1, params, err);
}

#define WARNING_COLUMNS \
	"credit_code, employer_name, employer_status, category, category_label, note, marked_by, " \
	"marked_by_name, to_char(marked_at, 'YYYY-MM-DD HH24:MI') AS marked_at, is_national, schools, categories"

struct wq_rows *
warning_list(struct wq_db *db, bool national, struct wq_err *err)
{
	const char *params[1] = { national ? "true" : "false" };

	return db_query(db, "SELECT " WARNING_COLUMNS " FROM wq_api.warnings($1::boolean)", 1, params, err);
}

struct wq_rows *
warning_of_employer(struct wq_db *db, const char *credit_code, struct wq_err *err)
{
	const char *params[1] = { credit_code };

	if (!check_credit_code(credit_code, err))
		return NULL;
	return db_query(db, "SELECT " WARNING_COLUMNS " FROM wq_api.employer_warnings($1)", 1, params, err);
}
