/*
 * termination.c: 解约 from the client (termination.h).
 */
#include "termination.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "query.h"
#include "str.h"
#include "util.h"

static bool
valid_as(const char *as, struct wq_err *err)
{
	if (as && (strcmp(as, "student") == 0 || strcmp(as, "employer") == 0))
		return true;
	return wq_err_set(err, WQ_ERR_INPUT, "身份应为 student（毕业生）或 employer（用人单位）");
}

/* Adds ", name, bytes" of file (or ", NULL, NULL") to q; false (err) when the file cannot be read. */
static bool
add_file(struct query *q, const char *file, char **text, char **name, struct wq_err *err)
{
	struct attachment at;

	*text = *name = NULL;
	if (file) {
		if (!attach_read(file, &at, err))
			return false;
		*text = attach_bytea_text(&at);
		*name = attach_base_name(file);
		attach_free(&at);
	}
	query_add(q, ", ");
	query_param(q, *name, "text");
	query_add(q, ", ");
	query_param(q, *text, "bytea");
	return true;
}

/* Runs q into out (agreement_run_outcome) and finishes it. */
static bool
run_outcome(struct wq_db *db, struct query *q, struct agreement_outcome *out, struct wq_err *err)
{
	bool ok = agreement_run_outcome(db, q, out, err);

	query_fini(q);
	return ok;
}

bool
termination_start(struct wq_db *db, long agreement_id, const char *as, const char *reason, const char *file,
	long *id, struct wq_err *err)
{
	char rid[WQ_REQUEST_ID_SIZE], *text, *name;
	struct query q;
	struct wq_rows *rows;
	bool ok;

	if (!valid_as(as, err))
		return false;
	if (reason && str_utf8_count(reason) > 500)
		return wq_err_set(err, WQ_ERR_INPUT, "解约理由最多 500 个字");
	wq_request_id(rid);
	query_init(&q, "SELECT wq_api.termination_start(");
	query_param_int(&q, agreement_id, "bigint");
	query_add(&q, ", ");
	query_param(&q, as, "text");
	query_add(&q, ", ");
	query_param(&q, reason, "text");
	ok = add_file(&q, file, &text, &name, err);
	if (ok) {
		query_add(&q, ", ");
		query_param(&q, rid, "uuid");
		query_add(&q, ") AS id");
		rows = query_run(db, &q, err);
		ok = rows != NULL;
		if (ok) {
			*id = atol(rows_get(rows, 0, 0));
			rows_free(rows);
		}
	}
	query_fini(&q);
	free(text);
	free(name);
	return ok;
}

bool
termination_answer(struct wq_db *db, long id, const char *as, bool agree, struct agreement_outcome *out,
	struct wq_err *err)
{
	char rid[WQ_REQUEST_ID_SIZE];
	struct query q;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!valid_as(as, err))
		return false;
	wq_request_id(rid);
	query_init(&q, "SELECT " AGREEMENT_OUTCOME_COLS " FROM wq_api.termination_answer(");
	query_param_int(&q, id, "bigint");
	query_add(&q, ", ");
	query_param(&q, as, "text");
	query_add(&q, agree ? ", true, " : ", false, ");
	query_param(&q, rid, "uuid");
	query_add(&q, ") r");
	return run_outcome(db, &q, out, err);
}

bool
termination_force(struct wq_db *db, long id, const char *note, const char *file, struct agreement_outcome *out,
	struct wq_err *err)
{
	char rid[WQ_REQUEST_ID_SIZE], *text, *name;
	struct query q;
	bool ok;

	if (out)
		memset(out, 0, sizeof(*out));
	if (str_empty(note) || strspn(note, " \t\n") == strlen(note))
		return wq_err_set(err, WQ_ERR_INPUT, "强制解约须填写说明（--note）");
	if (str_utf8_count(note) > 500)
		return wq_err_set(err, WQ_ERR_INPUT, "强制解约说明最多 500 个字");
	wq_request_id(rid);
	query_init(&q, "SELECT " AGREEMENT_OUTCOME_COLS " FROM wq_api.termination_force(");
	query_param_int(&q, id, "bigint");
	query_add(&q, ", ");
	query_param(&q, note, "text");
	if (!add_file(&q, file, &text, &name, err)) {
		query_fini(&q);
		return false;
	}
	query_add(&q, ", ");
	query_param(&q, rid, "uuid");
	query_add(&q, ") r");
	ok = run_outcome(db, &q, out, err);
	free(text);
	free(name);
	return ok;
}

#define TERMINATION_COLS "id, kind, state, state_label, review_level, level_label, version, agreement_id, " \
	"agreement_kind, protocol_no, initiator, apply_reason, cause, cause_label, force_note, student_no, " \
	"student_name, dept, employer_code, employer_name, employer_status, " \
	"to_char(updated_at, 'YYYY-MM-DD HH24:MI') AS updated_at, array_to_string(actions, ',') AS actions"

struct wq_rows *
termination_list(struct wq_db *db, const char *state, bool waiting, long after_id, int limit, struct wq_err *err)
{
	struct query q;
	struct wq_rows *rows;

	query_init(&q, "SELECT " TERMINATION_COLS " FROM wq_api.terminations(");
	query_param(&q, state, "text");
	query_add(&q, waiting ? ", true, " : ", false, ");
	if (after_id > 0)
		query_param_int(&q, after_id, "bigint");
	else
		query_add(&q, "NULL");
	query_add(&q, ", ");
	query_param_int(&q, limit, "integer");
	query_add(&q, ")");
	rows = query_run(db, &q, err);
	query_fini(&q);
	return rows;
}

struct wq_rows *
termination_get(struct wq_db *db, long id, struct wq_err *err)
{
	struct wq_rows *rows = termination_list(db, NULL, false, id - 1, 1, err);

	if (rows && (rows->nrows != 1 || atol(rows_get(rows, 0, 0)) != id)) {
		rows_free(rows);
		wq_err_set(err, WQ_ERR_INPUT, "没有编号为 %ld 的解约申请，或不在您的范围内", id);
		return NULL;
	}
	return rows;
}
