/*
 * test_session.c: the database session's asynchronous side (src/pg.c), as
 * the screens use it: a session the server ends is noticed while idle and
 * while a query runs (in Chinese), notifications arrive, and a synchronous
 * query replaces an asynchronous one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbtest.h"
#include "util.h"

static int
setup(void **state)
{
	if (!dbtest_init())
		return -1;
	*state = must_connect(NULL);
	return *state ? 0 : -1;
}

/* Ends the session of db from the superuser's connection su. */
static void
terminate(struct wq_db *su, struct wq_db *db)
{
	char *pid = scalar(db, "SELECT pg_backend_pid()"), *sql;

	sql = xasprintf("SELECT pg_terminate_backend(%s)", pid);
	assert_scalar(su, sql, "t");
	free(sql);
	free(pid);
}

/* Waits up to 5 s for db's socket to be readable. */
static bool
readable(struct wq_db *db)
{
	struct pollfd p = { .fd = db_socket(db), .events = POLLIN };

	return poll(&p, 1, 5000) == 1;
}

static void
test_ended_while_idle(void **state)
{
	struct wq_db *su = *state, *db = must_connect(NULL);

	assert_true(db_idle_check(db, NULL, NULL));
	terminate(su, db);
	assert_true(readable(db));
	assert_false(db_idle_check(db, NULL, NULL));
	/* R: a reset brings it back */
	assert_true(db_check(db));
	assert_true(db_idle_check(db, NULL, NULL));
	db_close(db);
}

static void
test_ended_during_a_query(void **state)
{
	struct wq_db *su = *state, *db = must_connect(NULL);
	struct wq_rows *rows = NULL;
	struct wq_err err;
	char *pid = scalar(db, "SELECT pg_backend_pid()"), *sql;
	int done = 0, i;

	wq_err_clear(&err);
	assert_true(db_send(db, "SELECT pg_sleep(10)", 0, NULL, &err));
	sql = xasprintf("SELECT pg_terminate_backend(%s)", pid);
	assert_scalar(su, sql, "t");
	for (i = 0; i < 10 && !done; i++) {
		assert_true(readable(db));
		done = db_poll(db, &rows, &err);
	}
	assert_int_equal(done, 1);
	assert_null(rows);
	assert_int_equal(err.code, WQ_ERR_PG_CONN);
	/* in Chinese: the server ended the session */
	assert_string_equal(err.msg, "服务器已结束本次会话");
	free(sql);
	free(pid);
	db_close(db);
}

struct heard {
	int n;
	char channel[64], payload[64];
};

static void
hear(void *arg, const char *channel, const char *payload)
{
	struct heard *h = arg;

	h->n++;
	snprintf(h->channel, sizeof(h->channel), "%s", channel);
	snprintf(h->payload, sizeof(h->payload), "%s", payload);
}

static void
test_notifications(void **state)
{
	struct wq_db *su = *state, *db = must_connect(NULL);
	struct heard h = { 0 };
	struct wq_err err;

	wq_err_clear(&err);
	assert_true(db_listen(db, "wq \"odd\" channel", true, &err));
	must_exec(su, "NOTIFY \"wq \"\"odd\"\" channel\", '10001'");
	assert_true(readable(db));
	assert_true(db_idle_check(db, hear, &h));
	assert_int_equal(h.n, 1);
	assert_string_equal(h.channel, "wq \"odd\" channel");
	assert_string_equal(h.payload, "10001");
	/* after UNLISTEN nothing more comes */
	assert_true(db_listen(db, "wq \"odd\" channel", false, &err));
	must_exec(su, "NOTIFY \"wq \"\"odd\"\" channel\", 'again'");
	assert_true(db_idle_check(db, hear, &h));
	assert_int_equal(h.n, 1);
	db_close(db);
}

static void
test_sync_query_replaces_async(void **state)
{
	struct wq_db *db = must_connect(NULL);

	(void)state;
	assert_true(db_send(db, "SELECT pg_sleep(10)", 0, NULL, NULL));
	assert_true(db_busy(db));
	/* cancelled and read, not "another command is already in progress" */
	assert_scalar(db, "SELECT 41 + 1", "42");
	assert_false(db_busy(db));
	db_close(db);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ended_while_idle),
		cmocka_unit_test(test_ended_during_a_query),
		cmocka_unit_test(test_notifications),
		cmocka_unit_test(test_sync_query_replaces_async),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("session", tests, setup, dbtest_teardown);
}
