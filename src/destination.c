/*
 * destination.c: destination registrations (去向登记), see destination.h.
 * Every value goes as a parameter; the fields travel as one jsonb built by
 * the server from them (jsonb_build_object), so nothing is quoted here.
 */
#include "destination.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "str.h"
#include "util.h"

const struct destination_field_info destination_fields[DF_COUNT] = {
#define DEST_FIELD_ROW(key, option, label, codes) [DF_##key] = { #key, option, label, codes },
	DESTINATION_FIELDS(DEST_FIELD_ROW)
#undef DEST_FIELD_ROW
};

static const char *
given(const char *s)
{
	return s && *s ? s : NULL;
}

bool
destination_input_given(const struct destination_input *in)
{
	int i;

	if (given(in->code))
		return true;
	for (i = 0; i < DF_COUNT; i++)
		if (given(in->field[i]))
			return true;
	return false;
}

/*
 * Appends the input as a jsonb: the given fields (and the code when
 * with_code and given), or SQL NULL when none is.
 */
static void
add_fields(struct query *q, const struct destination_input *in, bool with_code)
{
	int i;

	query_add(q, "nullif(jsonb_strip_nulls(jsonb_build_object(");
	for (i = 0; i < DF_COUNT; i++) {
		query_add(q, i ? ", '" : "'");
		query_add(q, destination_fields[i].key);
		query_add(q, "', ");
		query_param(q, given(in->field[i]), "text");
	}
	if (with_code) {
		query_add(q, ", 'code', ");
		query_param(q, given(in->code), "text");
	}
	query_add(q, ")), '{}')");
}

/* Runs q, whose one row's one column is the new id. */
static bool
run_id(struct wq_db *db, const struct query *q, long *id, struct wq_err *err)
{
	struct wq_rows *rows = agreement_run(db, q, true, err);

	if (!rows)
		return false;
	*id = atol(rows_get(rows, 0, 0));
	rows_free(rows);
	return true;
}

static bool
need_code(const struct destination_input *in, struct wq_err *err)
{
	if (!given(in->code))
		return wq_err_set(err, WQ_ERR_INPUT, "缺少毕业去向代码（--code）");
	return true;
}

bool
destination_submit(struct wq_db *db, const char *school, const char *student_no,
	const struct destination_input *in, const char *file, long *id, struct wq_err *err)
{
	char rid[WQ_REQUEST_ID_SIZE], *bytes = NULL, *name = NULL;
	struct query q;
	bool ok;

	if (!need_code(in, err) || (file && !agreement_file_param(file, &bytes, &name, err)))
		return false;
	wq_request_id(rid);
	query_init(&q, "SELECT wq_api.destination_submit(");
	query_param(&q, school, "text");
	query_add(&q, ", ");
	query_param(&q, student_no, "text");
	query_add(&q, ", ");
	query_param(&q, in->code, "text");
	query_add(&q, ", ");
	add_fields(&q, in, false);
	query_add(&q, ", ");
	query_param(&q, name, "text");
	query_add(&q, ", ");
	query_param(&q, bytes, "bytea");
	query_add(&q, ", ");
	query_param(&q, rid, "uuid");
	query_add(&q, ")");
	ok = run_id(db, &q, id, err);
	query_fini(&q);
	free(bytes);
	free(name);
	return ok;
}

bool
destination_resubmit(struct wq_db *db, long id, const struct destination_input *in, const char *file,
	const char *request_id, struct agreement_outcome *out, struct wq_err *err)
{
	char rid[WQ_REQUEST_ID_SIZE], *bytes = NULL, *name = NULL;
	struct agreement_outcome o;
	struct query q;
	struct wq_rows *rows;

	if (out)
		memset(out, 0, sizeof(*out));
	if (file && !agreement_file_param(file, &bytes, &name, err))
		return false;
	if (!request_id) {
		wq_request_id(rid);
		request_id = rid;
	}
	query_init(&q, "SELECT " AGREEMENT_OUTCOME_COLS " FROM wq_api.destination_resubmit(");
	query_param_int(&q, id, "bigint");
	query_add(&q, ", ");
	add_fields(&q, in, true);
	query_add(&q, ", ");
	query_param(&q, name, "text");
	query_add(&q, ", ");
	query_param(&q, bytes, "bytea");
	query_add(&q, ", ");
	query_param(&q, request_id, "uuid");
	query_add(&q, ") r");
	rows = agreement_run(db, &q, true, err);
	query_fini(&q);
	free(bytes);
	free(name);
	if (!rows)
		return false;
	agreement_outcome_from(rows, &o);
	rows_free(rows);
	if (out)
		*out = o;
	else
		agreement_outcome_fini(&o);
	return true;
}

bool
destination_change(struct wq_db *db, const char *student_no, const struct destination_input *in,
	bool agreed, const char *request_id, long *id, struct wq_err *err)
{
	char rid[WQ_REQUEST_ID_SIZE];
	struct query q;
	bool ok;

	if (str_empty(student_no))
		return wq_err_set(err, WQ_ERR_INPUT, "缺少学号");
	if (!need_code(in, err))
		return false;
	if (!agreed)
		return wq_err_set(err, WQ_ERR_INPUT,
			"修改毕业去向前须与毕业生协商一致，并确认（--agreed-with-student）");
	if (!request_id) {
		wq_request_id(rid);
		request_id = rid;
	}
	query_init(&q, "SELECT wq_api.destination_change(");
	query_param(&q, student_no, "text");
	query_add(&q, ", ");
	query_param(&q, in->code, "text");
	query_add(&q, ", coalesce(");
	add_fields(&q, in, false);
	query_add(&q, ", '{}'), true, ");
	query_param(&q, request_id, "uuid");
	query_add(&q, ")");
	ok = run_id(db, &q, id, err);
	query_fini(&q);
	return ok;
}

struct wq_rows *
destination_codes(struct wq_db *db, struct wq_err *err)
{
	return db_query(db, "SELECT code, code || ' ' || name AS label FROM wq_api.codes "
		"WHERE kind = 'destination' AND parent IS NULL AND code <> '10' ORDER BY sort", 0, NULL, err);
}

#define DEST_COLS "id, state, state_label, review_level, level_label, version, code, code_name, what, " \
	"student_no, student_name, dept, source, to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS') AS updated_at, " \
	"array_to_string(actions, ',') AS actions"

struct wq_rows *
destination_list(struct wq_db *db, const char *state, bool waiting, long after_id, int limit, struct wq_err *err)
{
	struct query q;
	struct wq_rows *rows;

	if (state && (strlen(state) > 32 || strspn(state, "abcdefghijklmnopqrstuvwxyz_") != strlen(state))) {
		wq_err_set(err, WQ_ERR_INPUT, "状态应为状态代码（pending、returned、rejected、approved、voided），而不是“%s”",
			state);
		return NULL;
	}
	if (limit < 0 || limit > 10000) {
		wq_err_set(err, WQ_ERR_INPUT, "每次最多列出 10000 项");
		return NULL;
	}
	query_init(&q, "SELECT " DEST_COLS " FROM wq_api.destinations(");
	query_param(&q, state, "text");
	query_add(&q, ", ");
	query_param(&q, waiting ? "true" : "false", "boolean");
	query_add(&q, ", ");
	if (after_id > 0)
		query_param_int(&q, after_id, "bigint");
	else
		query_param(&q, NULL, "bigint");
	query_add(&q, ", ");
	query_param_int(&q, limit ? limit : 200, "integer");
	query_add(&q, ") ORDER BY id");
	rows = agreement_run(db, &q, false, err);
	query_fini(&q);
	return rows;
}

bool
destination_show(struct wq_db *db, long id, struct wq_rows **item, struct wq_rows **history, struct wq_err *err)
{
	struct query q;

	*item = NULL;
	if (history)
		*history = NULL;
	/* the one registration: read from just before its id */
	if (!(*item = destination_list(db, NULL, false, id - 1, 1, err)))
		return false;
	if ((*item)->nrows != 1 || atol(rows_getn(*item, 0, "id")) != id) {
		rows_free(*item);
		*item = NULL;
		return wq_err_set(err, WQ_ERR_INPUT, "没有编号为 %ld 的去向登记，或不在您的范围内", id);
	}
	if (!history)
		return true;
	query_init(&q, "SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS') AS at, actor_name, actor_kind, action, "
		"from_state, to_state, to_label, category, reason FROM wq_api.item_history(");
	query_param_int(&q, id, "bigint");
	query_add(&q, ")");
	*history = agreement_run(db, &q, false, err);
	query_fini(&q);
	if (!*history) {
		rows_free(*item);
		*item = NULL;
		return false;
	}
	return true;
}
