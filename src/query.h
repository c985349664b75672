/*
 * query.h: the one way src/ builds a statement.  SQL text comes from fixed
 * pieces; every value is appended as the next numbered parameter ($1, $2,
 * ...), copied into the query, never pasted into the text.
 *
 *	struct query q;
 *	query_init(&q, "SELECT * FROM wq_api.students WHERE school_code = ");
 *	query_param(&q, code, "text");           -- appends "$1::text"
 *	query_add(&q, " ORDER BY student_no");
 *	rows = query_run(db, &q, err);
 *	query_fini(&q);
 */
#ifndef WQ_QUERY_H
#define WQ_QUERY_H

#include <stdbool.h>

#include "err.h"
#include "pg.h"

struct query {
	char *sql;              /* the text so far (never NULL after query_init) */
	const char **params;    /* nparams values, owned copies; NULL = SQL NULL */
	int nparams;
	/* private */
	size_t len, cap;
	int pcap;
};

/* Starts a query with fixed text (may be NULL or ""). */
void query_init(struct query *q, const char *sql);

/* Appends fixed SQL text (never a value). */
void query_add(struct query *q, const char *sql);

/*
 * Appends a copy of value as the next parameter and its reference "$N" to
 * the text, with "::type" when type is not NULL (value NULL: SQL NULL).
 * Returns N.
 */
int query_param(struct query *q, const char *value, const char *type);

/* query_param with an integer value. */
int query_param_int(struct query *q, long value, const char *type);

/* Frees everything; the query may then be initialised again. */
void query_fini(struct query *q);

/* The statement run with its parameters (db_query, db_exec, db_send). */
struct wq_rows *query_run(struct wq_db *db, const struct query *q, struct wq_err *err);
bool query_exec(struct wq_db *db, const struct query *q, struct wq_err *err);
bool query_send(struct wq_db *db, const struct query *q, struct wq_err *err);

#endif
