/*
 * review_bench.c: the review queues (在线签约管理) and their decisions,
 * measured the way the screens do them (tests/bench/README.md, issue 8).
 *
 *   review_bench --dsn CONNINFO queue [--runs N] [--warmup N] LABEL KIND SORT TEXT ...
 *   review_bench queue --explain LABEL KIND SORT TEXT ...
 *       KIND: first (the queue opened: queue_page_sql, no key, forward),
 *       last (G, 末行: no key, backward, as tui/list.c's LP_LAST) or count
 *       (queue_count_sql); SORT: a column's key of queue_cols[].sort
 *       (waiting, student_no, name, ...); TEXT: the / filter ("" for none).
 *       The query is the screen's: queue "signing", only what waits for the
 *       user (tui/review.c opens with waiting on), 200 rows a page.  Timed
 *       from just before db_send to the rows copied out (poll on db_socket,
 *       db_poll), like list_bench.  One line per case:
 *         label kind sort rows median_ms p90_ms min_ms max_ms text
 *
 *   review_bench --dsn CONNINFO batch --items N
 *       tui/review.c's rv_batch: the first N waiting items of the queue
 *       (read page by page, untimed) are "marked"; then, timed as a whole,
 *       each in turn: queue_item (its version) and agreement_decide pass with
 *       a fresh request id.  One line:
 *         items passed failed total_s median_ms p90_ms
 *
 *   review_bench --dsn CONNINFO decide --clerks N --each M [--warmup W] [--bare]
 *       N clerk processes (fork), each with its own connection: CONNINFO
 *       with "%d" replaced by the clerk's number 1..N (its own login), or
 *       the same CONNINFO for all.  Untimed: clerk 1 reads the waiting queue
 *       (queue_page_sql pages) and gives each clerk W + M distinct items; each
 *       clerk reads its items' versions with queue_item, as the item's page
 *       does.  Then all start together and each decides its items one after
 *       another: agreement_decide(id, "pass", version, fresh request id), the
 *       screen's call of wq_api.review_decide.  The first W are a warm-up
 *       (plans cached, as in a session that has decided before), the next M
 *       are timed one by one.  --bare: the same loop calls
 *       bench.bare_decide(id, version, request id) instead (a function that
 *       updates one row and inserts one), on bench.item ids
 *       --first-id .. + N * (W + M) - 1, version 1; --bare-notify: the same
 *       with the API's pg_notify on the school's channel too
 *       (bench.bare_notify_decide); --floor: the queue's items, as for the
 *       API, through bench.floor_decide(id, version, request id), which
 *       makes a decision's writes (the agreement's row, the event, the
 *       notice, the NOTIFY) and none of its checks.  One line:
 *         label clerks decisions median_ms p90_ms min_ms max_ms per_s wall_s
 *       where per_s is decisions / (last clerk done - first clerk started).
 *
 * The password comes from libpq's environment (PGPASSWORD).  Not a test: it
 * reports numbers and fails only when a query fails.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agreement.h"
#include "bench.h"
#include "pg.h"
#include "query.h"
#include "queue.h"
#include "util.h"

/* tui/list.h: LIST_PAGE_ROWS, the rows of one page */
#define SCREEN_PAGE_ROWS 200

static void
die(const char *what, const struct wq_err *err)
{
	fprintf(stderr, "review_bench: %s: %s %s\n", what, err->msg, err->detail);
	exit(1);
}

static struct wq_db *
connect_as(const char *dsn)
{
	struct wq_conn_spec spec = { 0 };
	struct wq_err err;
	struct wq_db *db;

	spec.dsn = dsn;
	wq_err_clear(&err);
	db = db_connect(&spec, NULL, &err);
	if (!db)
		die("connect", &err);
	return db;
}

/* One query, the screen's way: db_send, poll() on the socket, db_poll. */
static void
usage(void)
{
	fprintf(stderr, "usage: review_bench --dsn CONNINFO queue [--runs N] [--warmup N] [--explain] "
		"LABEL first|last|count SORT TEXT ...\n"
		"       review_bench --dsn CONNINFO batch --items N\n"
		"       review_bench --dsn CONNINFO decide --clerks N --each M [--warmup W] [--bare | --bare-notify | --floor] [--first-id ID]\n");
	exit(64);
}

/* The screen's queue: 在线签约管理, what waits for the user. */
static void
screen_query(struct queue_query *q, const char *sort, const char *text)
{
	queue_query_init(q, "signing");
	q->waiting = true;
	for (q->sort = 0; q->sort < QC_COUNT && strcmp(sort, queue_cols[q->sort].sort) != 0; q->sort++)
		;
	if (q->sort == QC_COUNT || !queue_cols[q->sort].sort[0])
		usage();
	snprintf(q->text, sizeof(q->text), "%s", text);
}

/* ---- queue -------------------------------------------------------------------- */

static int
cmd_queue(struct wq_db *db, int runs, int warmup, bool explain, int argc, char **argv)
{
	int i, ncase = 0;

	if (argc % 4 != 0 || argc == 0)
		usage();
	for (i = 0; i < argc; i += 4, ncase++) {
		const char *label = argv[i], *kind = argv[i + 1], *sort = argv[i + 2], *text = argv[i + 3];
		struct queue_query q;
		struct query s;

		screen_query(&q, sort, text);
		if (strcmp(kind, "first") == 0)
			queue_page_sql(&q, NULL, NULL, false, SCREEN_PAGE_ROWS, &s);
		else if (strcmp(kind, "last") == 0)
			queue_page_sql(&q, NULL, NULL, true, SCREEN_PAGE_ROWS, &s);   /* LP_LAST */
		else if (strcmp(kind, "count") == 0)
			queue_count_sql(&q, &s);
		else
			usage();
		bench_case(db, &s, explain, ncase, runs, warmup, label, kind, sort, text);
		query_fini(&s);
		queue_query_fini(&q);
	}
	return 0;
}

/* The ids of the first n waiting items of the screen's queue, page by page as the list reads them. */
static char **
waiting_ids(struct wq_db *db, int n)
{
	struct queue_query q;
	char **ids = xcalloc((size_t)n, sizeof(*ids));
	char *key_sort = NULL, *key_id = NULL;
	int got = 0, i;

	screen_query(&q, "waiting", "");
	while (got < n) {
		struct query s;
		struct wq_rows *rows;
		struct wq_err err;

		wq_err_clear(&err);
		queue_page_sql(&q, key_sort, key_id, false, SCREEN_PAGE_ROWS, &s);
		rows = query_run(db, &s, &err);
		query_fini(&s);
		if (!rows)
			die("the queue", &err);
		if (rows->nrows == 0) {
			fprintf(stderr, "review_bench: the queue holds %d waiting items, %d wanted\n", got, n);
			exit(1);
		}
		for (i = 0; i < rows->nrows && got < n; i++)
			ids[got++] = xstrdup(rows_get(rows, i, 0));
		free(key_sort);
		free(key_id);
		key_id = xstrdup(rows_get(rows, rows->nrows - 1, 0));
		key_sort = xstrdup(rows_get(rows, rows->nrows - 1, 1));
		rows_free(rows);
	}
	free(key_sort);
	free(key_id);
	queue_query_fini(&q);
	return ids;
}

/* ---- batch -------------------------------------------------------------------- */

static int
cmd_batch(struct wq_db *db, int n)
{
	char **ids = waiting_ids(db, n);
	double *t = xcalloc((size_t)n, sizeof(*t)), t0, t1, ti;
	int i, ok = 0, failed = 0;

	t0 = now_ms();
	for (i = 0; i < n; i++) {   /* as rv_batch */
		struct wq_rows *item;
		struct agreement_outcome out = { 0 };
		struct wq_err err;
		char request_id[WQ_REQUEST_ID_SIZE];
		bool done = false;

		ti = now_ms();
		wq_err_clear(&err);
		wq_request_id(request_id);
		item = queue_item(db, QS_AGREEMENT, ids[i], &err);
		if (item && item->nrows == 1)
			done = agreement_decide(db, atol(ids[i]), "pass", atoi(rows_getn(item, 0, "version")),
				request_id, NULL, NULL, &out, &err);
		agreement_outcome_fini(&out);
		if (done)
			ok++;
		else {
			if (!failed)
				fprintf(stderr, "review_bench: batch: item %s: %s\n", ids[i], err.msg);
			failed++;
		}
		rows_free(item);
		t[i] = now_ms() - ti;
		free(ids[i]);
	}
	t1 = now_ms();
	free(ids);
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("%d\t%d\t%d\t%.3f\t%.2f\t%.2f\n", n, ok, failed, (t1 - t0) / 1e3, percentile(t, n, 50),
		percentile(t, n, 90));
	free(t);
	return failed ? 1 : 0;
}

/* ---- decide ------------------------------------------------------------------- */

static void
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			perror("review_bench: write");
			exit(1);
		}
		p += w;
		len -= (size_t)w;
	}
}

static bool
read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t r = read(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		len -= (size_t)r;
	}
	return true;
}

/* One clerk: W + M decisions of ids[0..]; the timed ones' ms and the start and end to fd. */
/* --bare-notify: bench.bare_notify_decide, the bare one with the API's pg_notify */
static bool bare_notify;
/* --floor: bench.floor_decide on the queue's items (their versions read as for the API) */
static bool floor_writes;

static void
clerk(const char *dsn, int k, char **ids, int warmup, int each, bool bare, int ready_fd, int go_fd, int out_fd)
{
	char conninfo[1024], request_id[WQ_REQUEST_ID_SIZE], c = 'r';
	const char *pct = strstr(dsn, "%d");
	int n = warmup + each, i, *version = xcalloc((size_t)n, sizeof(int));
	double *t = xcalloc((size_t)each, sizeof(*t)), span[2], ti;
	struct wq_db *db;
	struct wq_err err;

	if (pct)
		snprintf(conninfo, sizeof(conninfo), "%.*s%d%s", (int)(pct - dsn), dsn, k, pct + 2);
	else
		snprintf(conninfo, sizeof(conninfo), "%s", dsn);
	db = connect_as(conninfo);
	/* the versions, as the item's page reads them (untimed) */
	for (i = 0; i < n; i++) {
		struct wq_rows *item;

		if (bare) {
			version[i] = 1;
			continue;
		}
		wq_err_clear(&err);
		item = queue_item(db, QS_AGREEMENT, ids[i], &err);
		if (!item || item->nrows != 1) {
			fprintf(stderr, "review_bench: clerk %d: item %s not in the queue: %s\n", k, ids[i], err.msg);
			exit(1);
		}
		version[i] = atoi(rows_getn(item, 0, "version"));
		rows_free(item);
	}
	write_all(ready_fd, &c, 1);
	close(ready_fd);
	(void)read(go_fd, &c, 1);   /* EOF: everyone starts */
	close(go_fd);
	span[0] = now_ms();
	for (i = 0; i < n; i++) {
		bool done;

		wq_err_clear(&err);
		wq_request_id(request_id);   /* a fresh request id: one user action */
		ti = now_ms();
		if (bare || floor_writes) {
			struct query q;
			struct wq_rows *r;

			query_init(&q, floor_writes ? "SELECT bench.floor_decide("
				: bare_notify ? "SELECT bench.bare_notify_decide(" : "SELECT bench.bare_decide(");
			query_param(&q, ids[i], "bigint");
			query_add(&q, ", ");
			query_param_int(&q, version[i], "integer");
			query_add(&q, ", ");
			query_param(&q, request_id, "uuid");
			query_add(&q, ")");
			r = query_run(db, &q, &err);
			query_fini(&q);
			done = r != NULL;
			rows_free(r);
		} else {
			struct agreement_outcome out = { 0 };

			done = agreement_decide(db, atol(ids[i]), "pass", version[i], request_id, NULL, NULL, &out, &err);
			agreement_outcome_fini(&out);
		}
		if (!done) {
			fprintf(stderr, "review_bench: clerk %d: item %s: %s %s\n", k, ids[i], err.msg, err.detail);
			exit(1);
		}
		if (i >= warmup)
			t[i - warmup] = now_ms() - ti;
		if (i + 1 == warmup)
			span[0] = now_ms();   /* the timed part starts after the warm-up */
	}
	span[1] = now_ms();
	db_close(db);
	write_all(out_fd, span, sizeof(span));
	write_all(out_fd, t, (size_t)each * sizeof(*t));
	close(out_fd);
	exit(0);
}

static int
cmd_decide(const char *dsn, int clerks, int each, int warmup, bool bare, long first_id, const char *label)
{
	int n = warmup + each, total = clerks * n, k, i, ready[2], go[2], status, rc = 0;
	int *out = xcalloc((size_t)clerks, sizeof(int));
	pid_t *pid = xcalloc((size_t)clerks, sizeof(pid_t));
	double *all = xcalloc((size_t)clerks * (size_t)each, sizeof(double)), first = 0, last = 0, span[2];
	char **ids, c;

	if (bare) {
		ids = xcalloc((size_t)total, sizeof(*ids));
		for (i = 0; i < total; i++) {
			char buf[32];

			snprintf(buf, sizeof(buf), "%ld", first_id + i);
			ids[i] = xstrdup(buf);
		}
	} else {
		char conninfo[1024];
		const char *pct = strstr(dsn, "%d");
		struct wq_db *db;

		if (pct)
			snprintf(conninfo, sizeof(conninfo), "%.*s1%s", (int)(pct - dsn), dsn, pct + 2);
		else
			snprintf(conninfo, sizeof(conninfo), "%s", dsn);
		db = connect_as(conninfo);
		ids = waiting_ids(db, total);
		db_close(db);
	}
	if (pipe(ready) != 0 || pipe(go) != 0) {
		perror("review_bench: pipe");
		return 1;
	}
	fflush(stdout);
	for (k = 0; k < clerks; k++) {
		int o[2];

		if (pipe(o) != 0) {
			perror("review_bench: pipe");
			return 1;
		}
		pid[k] = fork();
		if (pid[k] < 0) {
			perror("review_bench: fork");
			return 1;
		}
		if (pid[k] == 0) {
			close(ready[0]);
			close(go[1]);
			close(o[0]);
			/* clerk k takes every clerks-th item: the queue's order, shared out */
			char **mine = xcalloc((size_t)n, sizeof(*mine));
			for (i = 0; i < n; i++)
				mine[i] = ids[k + i * clerks];
			clerk(dsn, k + 1, mine, warmup, each, bare, ready[1], go[0], o[1]);
		}
		close(o[1]);
		out[k] = o[0];
	}
	close(ready[1]);
	close(go[0]);
	for (k = 0; k < clerks; k++)
		if (!read_all(ready[0], &c, 1)) {
			fprintf(stderr, "review_bench: a clerk did not get ready\n");
			return 1;
		}
	close(go[1]);   /* go */
	for (k = 0; k < clerks; k++) {
		if (!read_all(out[k], span, sizeof(span)) ||
		    !read_all(out[k], all + (size_t)k * (size_t)each, (size_t)each * sizeof(double))) {
			fprintf(stderr, "review_bench: clerk %d gave no figures\n", k + 1);
			rc = 1;
			continue;
		}
		if (k == 0 || span[0] < first)
			first = span[0];
		if (k == 0 || span[1] > last)
			last = span[1];
		close(out[k]);
	}
	for (k = 0; k < clerks; k++)
		if (waitpid(pid[k], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rc = 1;
	if (rc)
		return rc;
	total = clerks * each;
	qsort(all, (size_t)total, sizeof(*all), cmp_double);
	printf("%s\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.0f\t%.3f\n", label, clerks, total, percentile(all, total, 50),
		percentile(all, total, 90), all[0], all[total - 1], total / ((last - first) / 1e3), (last - first) / 1e3);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *dsn = NULL, *cmd, *label = NULL;
	int i = 1, runs = 21, warmup = -1, items = 500, clerks = 1, each = 100;
	bool explain = false, bare = false;
	long first_id = 1;
	struct wq_db *db = NULL;
	int rc;

	bench_name = "review_bench";
	if (i + 1 < argc && strcmp(argv[i], "--dsn") == 0) {
		dsn = argv[i + 1];
		i += 2;
	}
	if (i >= argc)
		usage();
	cmd = argv[i++];
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--explain") == 0) {
			explain = true;
			continue;
		}
		if (strcmp(argv[i], "--bare") == 0 || strcmp(argv[i], "--bare-notify") == 0) {
			bare = true;
			bare_notify = argv[i][6] == '-';
			continue;
		}
		if (strcmp(argv[i], "--floor") == 0) {
			floor_writes = true;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--warmup") == 0)
			warmup = atoi(argv[++i]);
		else if (strcmp(argv[i], "--items") == 0)
			items = atoi(argv[++i]);
		else if (strcmp(argv[i], "--clerks") == 0)
			clerks = atoi(argv[++i]);
		else if (strcmp(argv[i], "--each") == 0)
			each = atoi(argv[++i]);
		else if (strcmp(argv[i], "--first-id") == 0)
			first_id = atol(argv[++i]);
		else if (strcmp(argv[i], "--label") == 0)
			label = argv[++i];
		else
			usage();
	}
	if (runs < 1 || items < 1 || clerks < 1 || each < 1)
		usage();
	if (strcmp(cmd, "queue") == 0) {
		if (!explain) {
			if (!dsn)
				usage();
			db = connect_as(dsn);
		}
		rc = cmd_queue(db, runs, warmup < 0 ? 1 : warmup, explain, argc - i, argv + i);
		db_close(db);
		return rc;
	}
	if (!dsn || i != argc)
		usage();
	if (strcmp(cmd, "batch") == 0) {
		db = connect_as(dsn);
		rc = cmd_batch(db, items);
		db_close(db);
		return rc;
	}
	if (strcmp(cmd, "decide") == 0)
		return cmd_decide(dsn, clerks, each, warmup < 0 ? 5 : warmup, bare, first_id,
			label ? label : bare ? "bare" : floor_writes ? "floor" : "api");
	usage();
	return 64;
}
