/* test_table.c: unit tests for src/table.c (the command line's tables) and str_visible. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"
#include "table.h"

static void
test_visible(void **state)
{
	char *v;

	(void)state;
	v = str_visible("a\x1b]52;c;aGk=\x07" "b");
	assert_string_equal(v, "a\\x1b]52;c;aGk=\\x07b");
	free(v);
	v = str_visible("计算机\xe2\x80\xae学院\xff");
	assert_string_equal(v, "计算机\\u202e学院\\xff");
	free(v);
	v = str_visible(NULL);
	assert_string_equal(v, "");
	free(v);
}

static void
test_columns_line_up_by_width(void **state)
{
	struct table t;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	table_init(&t, 3);
	table_addv(&t, "online_signing", "在线签约", "开启");
	table_addv(&t, "handler", "就业协议经办人", "张\x1b[2J老师");
	table_addv(&t, "x", NULL, NULL);
	table_print(&t, f);
	table_fini(&t);
	fclose(f);
	assert_string_equal(buf,
		"online_signing  在线签约        开启\n"
		"handler         就业协议经办人  张\\x1b[2J老师\n"
		"x\n");
	free(buf);
}

static void
test_visible_lines(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	print_visible_lines(f, "  S001 王堃：姓名\n  S002 \x1b[31m李四\r：专业");
	print_visible_lines(f, NULL);
	fclose(f);
	assert_string_equal(buf, "  S001 王堃：姓名\n  S002 \\x1b[31m李四\\r：专业");
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_columns_line_up_by_width),
		cmocka_unit_test(test_visible_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
