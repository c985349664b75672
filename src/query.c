/* query.c: SQL text with numbered parameters. */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void
query_init(struct query *q, const char *sql)
{
	memset(q, 0, sizeof(*q));
	q->cap = 256;
	q->sql = xmalloc(q->cap);
	q->sql[0] = '\0';
	if (sql)
		query_add(q, sql);
}

void
query_add(struct query *q, const char *sql)
{
	size_t n = strlen(sql);

	if (q->len + n + 1 > q->cap) {
		q->cap = (q->len + n + 1) * 2;
		q->sql = xrealloc(q->sql, q->cap);
	}
	memcpy(q->sql + q->len, sql, n + 1);
	q->len += n;
}

int
query_param(struct query *q, const char *value, const char *type)
{
	char ref[80];

	if (q->nparams == q->pcap) {
		q->pcap = q->pcap ? q->pcap * 2 : 8;
		q->params = xrealloc(q->params, (size_t)q->pcap * sizeof(*q->params));
	}
	q->params[q->nparams++] = value ? xstrdup(value) : NULL;
	if (type)
		snprintf(ref, sizeof(ref), "$%d::%s", q->nparams, type);
	else
		snprintf(ref, sizeof(ref), "$%d", q->nparams);
	query_add(q, ref);
	return q->nparams;
}

int
query_param_int(struct query *q, long value, const char *type)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%ld", value);
	return query_param(q, buf, type);
}

void
query_fini(struct query *q)
{
	int i;

	for (i = 0; i < q->nparams; i++)
		free((char *)q->params[i]);
	free(q->params);
	free(q->sql);
	memset(q, 0, sizeof(*q));
}

struct wq_rows *
query_run(struct wq_db *db, const struct query *q, struct wq_err *err)
{
	return db_query(db, q->sql, q->nparams, q->params, err);
}

bool
query_exec(struct wq_db *db, const struct query *q, struct wq_err *err)
{
	return db_exec(db, q->sql, q->nparams, q->params, err);
}

bool
query_send(struct wq_db *db, const struct query *q, struct wq_err *err)
{
	return db_send(db, q->sql, q->nparams, q->params, err);
}
