/*
 * queue.c: the review queues as the screens read them (see queue.h).  Every
 * value goes as a parameter; the database applies the caller's scope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "util.h"

const struct queue_col_info queue_cols[QC_COUNT] = {
#define QUEUE_COL_ROW(id, label, expr, sort, filterable) [QC_##id] = { label, expr, sort, filterable },
	QUEUE_COLS(QUEUE_COL_ROW)
#undef QUEUE_COL_ROW
};

void
queue_query_init(struct queue_query *q, const char *queue)
{
	memset(q, 0, sizeof(*q));
	q->queue = queue;
	q->sort = QC_WAITED;
}

void
queue_query_fini(struct queue_query *q)
{
	free(q->initiator);
	free(q->dept);
	free(q->state);
	q->initiator = q->dept = q->state = NULL;
}

void
queue_query_set_field(struct queue_query *q, enum queue_col col, const char *value)
{
	char **slot = col == QC_DEPT ? &q->dept : col == QC_INITIATOR ? &q->initiator
		: col == QC_STATE ? &q->state : NULL;

	if (!slot)
		return;
	free(*slot);
	*slot = value ? xstrdup(value) : NULL;
}

/* The filter arguments of agreement_page / agreement_count, in their order. */
static void
add_filter_args(struct query *out, const struct queue_query *q)
{
	query_param(out, q->queue, "text");
	query_add(out, ", ");
	query_param(out, q->text[0] ? q->text : NULL, "text");
	query_add(out, ", ");
	query_param(out, q->state ? q->state : q->tab, "text");
	query_add(out, ", ");
	query_param(out, q->initiator, "text");
	query_add(out, ", ");
	query_param(out, q->dept, "text");
	query_add(out, ", ");
	query_param(out, q->waiting ? "true" : "false", "boolean");
}

void
queue_page_sql(const struct queue_query *q, const char *key_sort, const char *key_id,
	bool backward, int limit, struct query *out)
{
	const char *sort = queue_cols[q->sort].sort[0] ? queue_cols[q->sort].sort : "waiting";
	bool desc = q->desc != backward;
	int i;

	/* the page's ids once, then their rows in the page's order */
	query_init(out, "WITH p AS MATERIALIZED (SELECT * FROM wq_api.agreement_page(");
	add_filter_args(out, q);
	query_add(out, ", ");
	query_param(out, sort, "text");
	query_add(out, ", ");
	query_param(out, desc ? "true" : "false", "boolean");
	query_add(out, ", ");
	query_param(out, key_id ? key_sort : NULL, "text");
	query_add(out, ", ");
	query_param(out, key_id, "bigint");
	query_add(out, ", ");
	query_param_int(out, limit, "integer");
	query_add(out, ") WITH ORDINALITY AS p(id, sort_value, n)) SELECT r.id, p.sort_value");
	for (i = 0; i < QC_COUNT; i++) {
		query_add(out, ", ");
		query_add(out, queue_cols[i].expr);
	}
	query_add(out, " FROM p JOIN wq_api.agreement_rows(ARRAY(SELECT id FROM p ORDER BY n)) r ON r.id = p.id"
		" ORDER BY p.n");
}

void
queue_count_sql(const struct queue_query *q, struct query *out)
{
	query_init(out, "SELECT wq_api.agreement_count(");
	add_filter_args(out, q);
	query_add(out, ")");
}

struct wq_rows *
queue_values(struct wq_db *db, const struct queue_query *q, enum queue_col col, struct wq_err *err)
{
	struct query qy;
	struct wq_rows *r;

	switch (col) {
	case QC_DEPT:
		query_init(&qy, "SELECT v, label FROM wq_api.student_values('dept')");
		break;
	case QC_INITIATOR:
		query_init(&qy, "SELECT v, label FROM (VALUES ('employer', '单位'), ('student', '学生')) x(v, label)");
		break;
	case QC_STATE:
		query_init(&qy, "SELECT state, label FROM wq_api.agreement_states(");
		query_param(&qy, q->queue, "text");
		query_add(&qy, ")");
		break;
	default:
		wq_err_set(err, WQ_ERR_USAGE, "不能按此列筛选");
		return NULL;
	}
	r = query_run(db, &qy, err);
	query_fini(&qy);
	return r;
}

/* A query of one bigint parameter: sql_before $1 sql_after. */
static struct wq_rows *
run_with_id(struct wq_db *db, const char *before, const char *id, const char *after, struct wq_err *err)
{
	struct query qy;
	struct wq_rows *r;

	query_init(&qy, before);
	query_param(&qy, id, "bigint");
	query_add(&qy, after);
	r = query_run(db, &qy, err);
	query_fini(&qy);
	return r;
}

struct wq_rows *
queue_detail(struct wq_db *db, const char *id, struct wq_err *err)
{
	return run_with_id(db, "SELECT section, label, value FROM wq_api.agreement_detail(", id, ")", err);
}

struct wq_rows *
queue_item(struct wq_db *db, const char *id, struct wq_err *err)
{
	return run_with_id(db, "SELECT id, kind, state, state_label, coalesce(level_label, '') AS level_label, "
		"version, array_to_string(actions, ',') AS actions, pdf, student_name, student_no, employer_name, protocol_no "
		"FROM wq_api.agreement_rows(ARRAY[", id, "])", err);
}

struct wq_rows *
queue_history(struct wq_db *db, const char *id, struct wq_err *err)
{
	return run_with_id(db, "SELECT to_char(at, 'YYYY-MM-DD HH24:MI') AS at, actor_name, actor_kind, action, "
		"coalesce(to_label, '') AS to_label, coalesce(category, '') AS category, coalesce(reason, '') AS reason "
		"FROM wq_api.agreement_history(", id, ")", err);
}

bool
queue_waiting(struct wq_db *db, long *signing, long *registration, struct wq_err *err)
{
	struct wq_rows *r = db_query(db, "SELECT signing, registration FROM wq_api.review_waiting()", 0, NULL, err);

	if (!r)
		return false;
	*signing = r->nrows == 1 ? atol(rows_get(r, 0, 0)) : 0;
	*registration = r->nrows == 1 ? atol(rows_get(r, 0, 1)) : 0;
	rows_free(r);
	return true;
}
