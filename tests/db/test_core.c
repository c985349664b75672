/*
 * test_core.c: what the core library makes of the database's answers: the
 * Chinese message of every error a clerk can provoke (never the server's
 * English), request ids kept across a resent write, and the user's own
 * identity and counts (me.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "admin.h"
#include "dbtest.h"
#include "demo.h"
#include "import.h"
#include "me.h"
#include "settings.h"
#include "util.h"

static int
setup_fixture(void **state)
{
	static const char *const fixture[] = {
		"11 北京市 three-party",
		"10001 北京示例大学 11",
		NULL,
	};
	struct wq_db *db = dbtest_fixture(fixture);

	if (!db)
		return -1;
	add_account(db, "sa", "school", NULL, "10001", NULL);
	add_account(db, "da1", "dept", NULL, "10001", "计算机学院");
	*state = db;
	return 0;
}

/* The statement fails with this SQLSTATE and exactly this message, and no English text shows. */
static void
assert_message(struct wq_db *db, const char *sql, const char *sqlstate, const char *msg)
{
	struct wq_err err;

	wq_err_clear(&err);
	if (db_exec(db, sql, 0, NULL, &err))
		fail_msg("%s: succeeded", sql);
	if (strcmp(err.sqlstate, sqlstate) != 0 || strcmp(err.msg, msg) != 0)
		fail_msg("%s: got %s %s (server: %s), want %s %s", sql, err.sqlstate, err.msg, err.server,
			sqlstate, msg);
	assert_string_equal(err.detail, "");
	assert_string_equal(err.hint, "");
	assert_true(err.server[0] != '\0');   /* the original, for --verbose */
}

static void
test_errors_reach_the_clerk_in_chinese(void **state)
{
	struct wq_db *da = must_connect("da1"), *sa = must_connect("sa");
	enum settings_key key = SETTING_max_terminations;
	const char *value = "3";
	struct wq_err err;

	(void)state;
	/* a department clerk's wq settings set */
	wq_err_clear(&err);
	assert_false(settings_save(da, 1, &key, &value, -1, NULL, &err));
	assert_string_equal(err.msg, "没有权限执行此操作");
	assert_string_equal(err.sqlstate, "42501");
	assert_int_equal(err.code, WQ_ERR_PG_DENIED);
	assert_non_null(strstr(err.server, "permission denied"));
	/* a check violation in the server's English (the functions' own checks speak Chinese) */
	assert_message(sa, "DO $$ BEGIN RAISE check_violation USING MESSAGE = "
		"'new row for relation \"x\" violates check constraint \"x_check\"'; END $$", "23514", "数据不符合要求");
	/* a function's own check passes as it is */
	wq_err_clear(&err);
	assert_false(db_exec(sa, "SELECT wq_api.settings_set(jsonb_build_object('handler', repeat('经', 51)), NULL)",
		0, NULL, &err));
	assert_string_equal(err.sqlstate, "23514");
	assert_non_null(strstr(err.msg, "就业协议经办人最多 50 个字符"));
	/* the same request id twice: the event's unique index */
	must_exec(sa, "SELECT wq_api.settings_set('{\"handler\": \"张老师\"}', NULL, "
		"'00000000-0000-4000-8000-000000000001')");
	assert_message(sa, "SELECT wq_api.settings_set('{\"handler\": \"李老师\"}', NULL, "
		"'00000000-0000-4000-8000-000000000001')", "23505", "已存在相同的记录");
	/* a statement timeout */
	must_exec(da, "SET statement_timeout = '50ms'");
	assert_message(da, "SELECT pg_sleep(2)", "57014", "查询超时或已取消");
	must_exec(da, "RESET statement_timeout");
	/* bad input a clerk types into SQL */
	assert_message(da, "SELECT 'abc'::integer", "22P02", "输入的格式不正确");
	assert_message(da, "SELECT 1/0", "22012", "输入的数据不正确");
	/* the project's own Chinese messages pass as they are */
	wq_err_clear(&err);
	assert_false(db_exec(sa, "SELECT wq_api.settings_set('{\"max_terminations\": \"100\"}', NULL)", 0, NULL, &err));
	assert_string_equal(err.msg, "毕业生可提交解约申请最大次数应为 0 到 99 的整数");
	assert_string_equal(err.server, "");
	db_close(da);
	db_close(sa);
}

static void
test_session_ended_by_the_server(void **state)
{
	struct wq_db *sa = must_connect("sa");
	char *pid = scalar(sa, "SELECT pg_backend_pid()");
	char *sql = xasprintf("SELECT pg_terminate_backend(%s)", pid);
	struct wq_err err;

	must_exec(*state, sql);
	usleep(200 * 1000);
	wq_err_clear(&err);
	assert_false(db_exec(sa, "SELECT 1", 0, NULL, &err));
	assert_int_equal(err.code, WQ_ERR_PG_CONN);
	if (strcmp(err.msg, "服务器已结束本次会话") != 0)
		fail_msg("got %s", err.msg);
	assert_string_equal(err.sqlstate, "57P01");
	free(sql);
	free(pid);
	db_close(sa);
}

static void
test_request_ids(void **state)
{
	char a[WQ_REQUEST_ID_SIZE], b[WQ_REQUEST_ID_SIZE];
	struct wq_db *sa = must_connect("sa");
	enum settings_key key = SETTING_handler;
	const char *value = "王老师";
	struct wq_err err;
	char *sql, *pid, *v0;
	int v1, v2, v3;
	size_t i;

	wq_request_id(a);
	wq_request_id(b);
	assert_int_equal(strlen(a), 36);
	assert_string_not_equal(a, b);
	for (i = 0; i < 36; i++)
		assert_true(i == 8 || i == 13 || i == 18 || i == 23 ? a[i] == '-' : strchr("0123456789abcdef", a[i]) != NULL);
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));

	/* the id the client made is the one in the event row */
	v0 = scalar(sa, "SELECT version FROM wq_api.school_settings");
	wq_err_clear(&err);
	assert_true(settings_save_request(sa, 1, &key, &value, atoi(v0), a, &v1, &err));
	assert_int_equal(v1, atoi(v0) + 1);
	sql = xasprintf("SELECT count(*) FROM wq.event WHERE entity = 'settings' AND request_id = '%s'", a);
	assert_scalar(*state, sql, "1");
	/* the same write sent again is recognised: success, no second change */
	assert_true(settings_save_request(sa, 1, &key, &value, atoi(v0), a, &v2, &err));
	assert_int_equal(v2, v1);
	assert_scalar(*state, sql, "1");
	free(sql);

	/* a write after the server ended the session: reconnected and sent once, with its id */
	pid = scalar(sa, "SELECT pg_backend_pid()");
	sql = xasprintf("SELECT pg_terminate_backend(%s)", pid);
	must_exec(*state, sql);
	free(sql);
	usleep(200 * 1000);
	value = "赵老师";
	assert_true(settings_save_request(sa, 1, &key, &value, v1, b, &v3, &err));
	assert_int_equal(v3, v1 + 1);
	sql = xasprintf("SELECT count(*) FROM wq.event WHERE entity = 'settings' AND request_id = '%s'", b);
	assert_scalar(*state, sql, "1");
	free(sql);
	assert_scalar(sa, "SELECT handler FROM wq_api.school_settings", "赵老师");
	free(pid);
	free(v0);
	db_close(sa);
}

static void
test_import_sends_its_request_id(void **state)
{
	struct demo_school school = { "10001", "北京示例大学" };
	char path[] = "/tmp/wq-core-test-XXXXXX.csv";
	struct wq_db *sa = must_connect("sa");
	struct import_opts io = { 0 };
	struct import_result res;
	struct wq_err err;
	FILE *f, *devnull = fopen("/dev/null", "w");
	int fd = mkstemps(path, 4);

	(void)state;
	assert_true(fd >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	wq_err_clear(&err);
	assert_true(demo_write_roster(f, &school, 20, 7, &err));
	fclose(f);
	io.path = path;
	assert_int_equal(roster_import(sa, &io, devnull, devnull, &res, &err), 0);
	unlink(path);
	fclose(devnull);
	/* one import, one id, made by the client (not NULL) */
	assert_scalar(*state, "SELECT count(DISTINCT request_id) || ' ' || count(*) FILTER (WHERE request_id IS NULL) "
		"FROM wq.event WHERE entity = 'roster' AND action = 'import'", "1 0");
	db_close(sa);
}

/* Compares one count with the superuser's view of the same students. */
static void
assert_count(struct wq_db *su, long got, const char *where)
{
	char *sql = xasprintf("SELECT count(*) FROM wq.student WHERE school_code = '10001' AND %s", where);
	char *want = scalar(su, sql);

	if (atol(want) != got)
		fail_msg("%s: got %ld, want %s", where, got, want);
	free(want);
	free(sql);
}

static void
test_me_and_its_counts(void **state)
{
	struct wq_db *sa = must_connect("sa"), *da = must_connect("da1");
	struct me me = { 0 };
	struct me_counts c;
	struct wq_err err;

	wq_err_clear(&err);
	assert_true(me_load(sa, &me, &err));
	assert_string_equal(me.kind, "school");
	assert_string_equal(kind_label(me.kind), "学校用户");
	assert_string_equal(me.school_name, "北京示例大学");
	assert_string_equal(agreement_label(me.agreement_type), "三方协议");
	assert_null(me.dept);
	assert_true(me_counts(sa, &c, &err));
	assert_int_equal(c.students, 20);
	assert_count(*state, c.eligible, "training_mode NOT IN ('21', '41')");
	assert_count(*state, c.unverified, "verify_status = 'unverified'");
	assert_int_equal(c.verified + c.mismatch + c.unverified, c.students);
	assert_true(me_load(da, &me, &err));
	assert_string_equal(me.dept, "计算机学院");
	assert_string_equal(kind_label(me.kind), "院系用户");
	assert_true(me_counts(da, &c, &err));
	assert_count(*state, c.students, "dept = '计算机学院'");
	me_fini(&me);
	/* the superuser has no wq account */
	assert_false(me_load(*state, &me, &err));
	assert_string_equal(err.msg, "此数据库用户没有 wq 账号");
	db_close(sa);
	db_close(da);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors_reach_the_clerk_in_chinese),
		cmocka_unit_test(test_session_ended_by_the_server),
		cmocka_unit_test(test_request_ids),
		cmocka_unit_test(test_import_sends_its_request_id),
		cmocka_unit_test(test_me_and_its_counts),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("core", tests, setup_fixture, dbtest_teardown);
}
