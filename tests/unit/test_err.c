/* test_err.c: unit tests for src/err.c (SQLSTATE and errno texts, server errors). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "err.h"

static void
want_state(const char *sqlstate, const char *text)
{
	char buf[128];

	wq_sqlstate_message(sqlstate, buf, sizeof(buf));
	if (strcmp(buf, text) != 0)
		fail_msg("%s: got %s, want %s", sqlstate, buf, text);
}

static void
test_sqlstate_table(void **state)
{
	(void)state;
	want_state("42501", "没有权限执行此操作");
	want_state("57P01", "服务器已结束本次会话");
	want_state("08006", "与数据库的连接已断开");
	want_state("08001", "与数据库的连接已断开");
	want_state("22001", "输入过长");
	want_state("23505", "已存在相同的记录");
	want_state("23514", "数据不符合要求");
	want_state("40001", "并发冲突，请重试");
	want_state("40P01", "并发冲突，请重试");
	want_state("57014", "查询超时或已取消");
	want_state("53100", "服务器资源不足");
	want_state("53200", "服务器资源不足");
	want_state("P0001", "数据库错误（SQLSTATE P0001）");
	want_state("HV000", "数据库错误（SQLSTATE HV000）");
	want_state("", "数据库错误");
	want_state(NULL, "数据库错误");
	assert_int_equal(wq_sqlstate_code("42501"), WQ_ERR_PG_DENIED);
	assert_int_equal(wq_sqlstate_code("57P01"), WQ_ERR_PG_CONN);
	assert_int_equal(wq_sqlstate_code("08006"), WQ_ERR_PG_CONN);
	assert_int_equal(wq_sqlstate_code("23505"), WQ_ERR_PG_QUERY);
}

static void
test_chinese_kept_english_replaced(void **state)
{
	struct wq_err err;

	(void)state;
	assert_true(wq_text_is_chinese("只有学校用户可以执行此操作"));
	assert_true(wq_text_is_chinese(" 院系“x”不在本校学生名单中"));
	assert_true(wq_text_is_chinese("“引号”开头"));
	assert_true(wq_text_is_chinese("\xf0\xa0\x80\x80 (U+20000)"));
	assert_false(wq_text_is_chinese("permission denied for function settings_set"));
	assert_false(wq_text_is_chinese("invalid input syntax for type integer: \"三\""));
	assert_false(wq_text_is_chinese(""));
	assert_false(wq_text_is_chinese(NULL));

	wq_err_from_server(&err, "42501", "permission denied for function settings_set", NULL, NULL);
	assert_string_equal(err.msg, "没有权限执行此操作");
	assert_string_equal(err.sqlstate, "42501");
	assert_int_equal(err.code, WQ_ERR_PG_DENIED);
	assert_non_null(strstr(err.server, "permission denied"));

	/* the English detail goes with the English message */
	wq_err_from_server(&err, "23505", "duplicate key value violates unique constraint \"x\"",
		"Key (login)=(王) already exists.", NULL);
	assert_string_equal(err.msg, "已存在相同的记录");
	assert_string_equal(err.detail, "");
	assert_non_null(strstr(err.server, "already exists"));

	/* the project's own message, detail and hint stay */
	wq_err_from_server(&err, "23514", "名单有 2 处错误，未导入任何数据", "第 2 行: 姓名: 为空", "提示");
	assert_string_equal(err.msg, "名单有 2 处错误，未导入任何数据");
	assert_string_equal(err.detail, "第 2 行: 姓名: 为空");
	assert_string_equal(err.hint, "提示");
	assert_int_equal(err.code, WQ_ERR_PG_QUERY);
	wq_err_from_server(NULL, "42501", "x", NULL, NULL);
}

static void
test_errno_text(void **state)
{
	(void)state;
	assert_string_equal(wq_errno_text(ENOENT), "文件或目录不存在");
	assert_string_equal(wq_errno_text(EACCES), "没有权限");
	assert_string_equal(wq_errno_text(ENOSPC), "磁盘空间不足");
	assert_string_equal(wq_errno_text(EISDIR), "是一个目录");
	assert_string_equal(wq_errno_text(EEXIST), "已存在");
	assert_string_equal(wq_errno_text(ENOTSUP), "系统错误（errno 95）");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqlstate_table),
		cmocka_unit_test(test_chinese_kept_english_replaced),
		cmocka_unit_test(test_errno_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
