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
#define QUEUE_COL_ROW(id, label, expr, dest_expr, term_expr, sort, filterable) \
	[QC_##id] = { label, { expr, dest_expr, term_expr }, sort, filterable },
	QUEUE_COLS(QUEUE_COL_ROW)
#undef QUEUE_COL_ROW
};

static const char *const reg_tabs[] = { "review", "rejected", "passed" };
static const char *const reg_tab_labels[] = { "签约审核中", "签约审核不通过", "签约审核通过" };
/* 去向登记审核中 holds those returned to the graduate too (their state says so) */
static const char *const dest_tabs[] = { "review", "rejected", "passed", "voided" };
static const char *const dest_tab_labels[] = { "去向登记审核中", "去向登记审核不通过", "去向登记审核通过", "已作废" };

/* 解约管理: the state says most (who must act now), so it comes before the employer */
static const enum queue_col term_order[] = {
	QC_WAITED, QC_STUDENT_NO, QC_NAME, QC_STATE, QC_EMPLOYER, QC_WARNING, QC_INITIATOR, QC_TERM_KIND, QC_DEPT,
	QC_LEVEL, QC_CAUSE, QC_PROTOCOL, QC_STATUS,
};

static struct queue_kind kinds[] = {
	{ .queue = "signing", .source = QS_AGREEMENT, .fn = "agreement" },
	{ .queue = "registration", .source = QS_AGREEMENT, .fn = "agreement", .tabs = reg_tabs,
	  .tab_labels = reg_tab_labels, .ntabs = 3 },
	{ .queue = "destination", .source = QS_DESTINATION, .fn = "destination", .tabs = dest_tabs,
	  .tab_labels = dest_tab_labels, .ntabs = 4 },
	/* 解约管理: the state filter (f) tells 已同意解约等待学校（院系）审核 from 解约中 */
	{ .queue = "termination", .source = QS_TERMINATION, .fn = "termination", .order = term_order,
	  .norder = (int)ARRAY_SIZE(term_order) },
};

const struct queue_kind *
queue_kind_of(const char *queue)
{
	size_t i;
	int c;

	if (!kinds[0].ncols)   /* each queue's columns: those with an expression over its rows */
		for (i = 0; i < ARRAY_SIZE(kinds); i++)
			for (c = 0; c < (kinds[i].order ? kinds[i].norder : QC_COUNT); c++) {
				enum queue_col col = kinds[i].order ? kinds[i].order[c] : (enum queue_col)c;

				if (queue_cols[col].expr[kinds[i].source])
					kinds[i].cols[kinds[i].ncols++] = col;
			}
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (queue && strcmp(queue, kinds[i].queue) == 0)
			return &kinds[i];
	return &kinds[0];
}

int
queue_kind_index(const struct queue_kind *k, enum queue_col col)
{
	int i;

	for (i = 0; i < k->ncols; i++)
		if (k->cols[i] == col)
			return i;
	return -1;
}

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
	free(q->source);
	free(q->dept);
	free(q->state);
	q->initiator = q->source = q->dept = q->state = NULL;
}

void
queue_query_set_field(struct queue_query *q, enum queue_col col, const char *value)
{
	char **slot = col == QC_DEPT ? &q->dept : col == QC_INITIATOR ? &q->initiator
		: col == QC_STATE ? &q->state : col == QC_SOURCE ? &q->source : NULL;

	if (!slot)
		return;
	free(*slot);
	*slot = value ? xstrdup(value) : NULL;
}

/*
 * The filter arguments of the page and count functions, in their order:
 * agreement_page's (queue, text, state, initiator, dept, waiting),
 * destination_page's (text, state, source, dept, waiting) or
 * termination_page's (text, state, initiator, dept, waiting).
 */
static void
add_filter_args(struct query *out, const struct queue_query *q, enum queue_source source)
{
	bool destination = source == QS_DESTINATION;

	if (source == QS_AGREEMENT) {
		query_param(out, q->queue, "text");
		query_add(out, ", ");
	}
	query_param(out, q->text[0] ? q->text : NULL, "text");
	query_add(out, ", ");
	query_param(out, q->state ? q->state : q->tab, "text");
	query_add(out, ", ");
	query_param(out, destination ? q->source : q->initiator, "text");
	query_add(out, ", ");
	query_param(out, q->dept, "text");
	query_add(out, ", ");
	query_param(out, q->waiting ? "true" : "false", "boolean");
}

void
queue_page_sql(const struct queue_query *q, const char *key_sort, const char *key_id,
	bool backward, int limit, struct query *out)
{
	const struct queue_kind *k = queue_kind_of(q->queue);
	const char *fn = k->fn;
	const char *sort = queue_cols[q->sort].sort[0] && queue_kind_index(k, q->sort) >= 0
		? queue_cols[q->sort].sort : "waiting";
	bool desc = q->desc != backward;
	int i;

	/* the page's ids once, then their rows in the page's order */
	query_init(out, "WITH p AS MATERIALIZED (SELECT * FROM wq_api.");
	query_add(out, fn);
	query_add(out, "_page(");
	add_filter_args(out, q, k->source);
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
	for (i = 0; i < k->ncols; i++) {
		query_add(out, ", ");
		query_add(out, queue_cols[k->cols[i]].expr[k->source]);
	}
	query_add(out, " FROM p JOIN wq_api.");
	query_add(out, fn);
	query_add(out, "_rows(ARRAY(SELECT id FROM p ORDER BY n)) r ON r.id = p.id ORDER BY p.n");
}

void
queue_count_sql(const struct queue_query *q, struct query *out)
{
	const struct queue_kind *k = queue_kind_of(q->queue);

	query_init(out, "SELECT wq_api.");
	query_add(out, k->fn);
	query_add(out, "_count(");
	add_filter_args(out, q, k->source);
	query_add(out, ")");
}

struct wq_rows *
queue_values(struct wq_db *db, const struct queue_query *q, enum queue_col col, struct wq_err *err)
{
	enum queue_source source = queue_kind_of(q->queue)->source;
	struct query qy;
	struct wq_rows *r;

	switch (col) {
	case QC_DEPT:
		query_init(&qy, "SELECT v, label FROM wq_api.student_values('dept')");
		break;
	case QC_INITIATOR:
		query_init(&qy, "SELECT v, label FROM (VALUES ('employer', '单位'), ('student', '学生')) x(v, label)");
		break;
	case QC_SOURCE:
		query_init(&qy, "SELECT v, label FROM (VALUES ('student', '学生登记'), ('school', '学校修改')) x(v, label)");
		break;
	case QC_STATE:
		if (source == QS_DESTINATION) {
			query_init(&qy, "SELECT state, label FROM wq_api.destination_states()");
			break;
		}
		if (source == QS_TERMINATION) {
			query_init(&qy, "SELECT state, label FROM wq_api.termination_states()");
			break;
		}
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

/* Ids are unique across the kinds (one sequence): an item is in one of them. */
struct wq_rows *
queue_detail(struct wq_db *db, const char *id, struct wq_err *err)
{
	struct query qy;
	struct wq_rows *r;

	query_init(&qy, "SELECT section, label, value FROM wq_api.agreement_detail(");
	query_param(&qy, id, "bigint");
	query_add(&qy, ") UNION ALL SELECT section, label, value FROM wq_api.destination_detail($1)"
		" UNION ALL SELECT section, label, value FROM wq_api.termination_detail($1)");
	r = query_run(db, &qy, err);
	query_fini(&qy);
	return r;
}

/* See queue.h.  The columns each source has not: a constant. */
struct wq_rows *
queue_item(struct wq_db *db, enum queue_source source, const char *id, struct wq_err *err)
{
	static const struct { const char *fn, *pdf, *what, *protocol_no, *needs_cause; } src[QS_COUNT] = {
		[QS_AGREEMENT] = { "agreement", "pdf", "employer_name", "protocol_no", "false" },
		[QS_DESTINATION] = { "destination", "false", "what", "''", "false" },
		[QS_TERMINATION] = { "termination", "false", "employer_name", "protocol_no", "needs_cause" },
	};
	char *before = xasprintf("SELECT id, kind, state, state_label, coalesce(level_label, '') AS level_label, "
		"version, array_to_string(actions, ',') AS actions, %s AS pdf, student_name, student_no, %s AS what, "
		"%s AS protocol_no, %s AS needs_cause FROM wq_api.%s_rows(ARRAY[", src[source].pdf, src[source].what,
		src[source].protocol_no, src[source].needs_cause, src[source].fn);
	struct wq_rows *r = run_with_id(db, before, id, "])", err);

	free(before);
	return r;
}

struct wq_rows *
queue_history(struct wq_db *db, const char *id, struct wq_err *err)
{
	return run_with_id(db, "SELECT to_char(at, 'YYYY-MM-DD HH24:MI') AS at, actor_name, actor_kind, action, "
		"coalesce(to_label, '') AS to_label, coalesce(category, '') AS category, coalesce(reason, '') AS reason "
		"FROM wq_api.item_history(", id, ")", err);
}

bool
queue_waiting(struct wq_db *db, long waiting[QW_COUNT], struct wq_err *err)
{
	struct wq_rows *r = db_query(db, "SELECT signing, registration, "
		"wq_api.destination_count(NULL, NULL, NULL, NULL, true) AS destination, "
		"wq_api.termination_count(NULL, NULL, NULL, NULL, true) AS termination FROM wq_api.review_waiting()",
		0, NULL, err);
	int i;

	if (!r)
		return false;
	for (i = 0; i < QW_COUNT; i++)
		waiting[i] = r->nrows == 1 ? atol(rows_get(r, 0, i)) : 0;
	rows_free(r);
	return true;
}
