/* test_warning.c: unit tests for the client's checks of src/warning.c (categories, notes). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "warning.h"

static void
test_categories(void **state)
{
	(void)state;
	assert_string_equal(warning_category_code("违规单位"), "violation");
	assert_string_equal(warning_category_code("虚假单位"), "fake");
	assert_string_equal(warning_category_code("就业歧视"), "discrimination");
	assert_string_equal(warning_category_code("虚假宣传"), "false_ad");
	assert_string_equal(warning_category_code("false_ad"), "false_ad");
	assert_null(warning_category_code("黑名单"));
	assert_null(warning_category_code(""));
	assert_null(warning_category_code(NULL));
	assert_string_equal(warning_category_label("discrimination"), "就业歧视");
	assert_null(warning_category_label("就业歧视"));
}

static void
bad_note(const char *note, const char *want)
{
	struct wq_err err;

	wq_err_clear(&err);
	assert_false(warning_note_check(note, &err));
	assert_int_equal(err.code, WQ_ERR_INPUT);
	if (!strstr(err.msg, want))
		fail_msg("\"%s\" does not contain \"%s\"", err.msg, want);
}

static void
test_notes(void **state)
{
	char note[WARNING_NOTE_MAX * 3 + 4];
	int i;

	(void)state;
	assert_true(warning_note_check("招聘启事限定性别", NULL));
	assert_true(warning_note_check(" 收取求职押金 500 元 ", NULL));
	bad_note(NULL, "请填写备注");
	bad_note("", "请填写备注");
	bad_note("   ", "请填写备注");
	bad_note("第一行\n第二行", "只能是一行");
	bad_note("a\rb", "只能是一行");
	bad_note("a\tb", "控制字符");
	bad_note("a\033[2Jb", "控制字符");
	bad_note("a\xc2\x9b" "b", "控制字符");          /* C1 CSI */
	bad_note("a\xe2\x80\xae" "b", "文字方向");      /* U+202E */
	bad_note("a\xe2\x81\xa6" "b", "文字方向");      /* U+2066 */
	bad_note("a\xff" "b", "UTF-8");
	/* 200 characters (600 bytes) are taken, 201 are not */
	note[0] = '\0';
	for (i = 0; i < WARNING_NOTE_MAX; i++)
		strcat(note, "长");
	assert_true(warning_note_check(note, NULL));
	strcat(note, "a");
	bad_note(note, "最多 200 个字符");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_notes),
	};

	return cmocka_run_group_tests_name("warning", tests, NULL, NULL);
}
