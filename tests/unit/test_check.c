/* test_check.c: unit tests for src/check.c (ID numbers, credit codes, dates, phones, postcodes). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "check.h"

#define SHEET_SCI "可能被电子表格改写为科学计数法，请把该列设为文本格式后重新录入"
#define SHEET_ZEROS "末尾是 000，可能被电子表格截成 15 位有效数字后补了零，请把该列设为文本格式后重新录入"

typedef bool (*check_fn)(const char *, struct wq_err *);

/* Asserts fn(s) succeeds and leaves err cleared. */
static void
ok(check_fn fn, const char *s)
{
	struct wq_err err;

	memset(&err, 'Z', sizeof(err));
	if (!fn(s, &err))
		fail_msg("\"%s\" rejected: %s", s, err.msg);
	assert_int_equal(err.code, WQ_ERR_OK);
	assert_string_equal(err.msg, "");
}

/* Asserts fn(s) fails with WQ_ERR_INPUT and exactly the message want. */
static void
bad(check_fn fn, const char *s, const char *want)
{
	struct wq_err err;

	wq_err_clear(&err);
	assert_false(fn(s, &err));
	assert_int_equal(err.code, WQ_ERR_INPUT);
	assert_string_equal(err.msg, want);
	/* err may be NULL */
	assert_false(fn(s, NULL));
}

static void
test_id_char(void **state)
{
	(void)state;
	assert_int_equal(check_id_number_char("11010519491231002"), 'X');
	assert_int_equal(check_id_number_char("44052418800101001"), '4');
	assert_int_equal(check_id_number_char("11010519491231002X"), 'X');  /* only 17 read */
	assert_int_equal(check_id_number_char("41010519900101000"), '3');
	assert_int_equal(check_id_number_char("1101051949123100A"), 0);
	assert_int_equal(check_id_number_char("123"), 0);
	assert_int_equal(check_id_number_char(""), 0);
	assert_int_equal(check_id_number_char(NULL), 0);
}

static void
test_id_valid(void **state)
{
	(void)state;
	ok(check_id_number, "11010519491231002X");
	ok(check_id_number, "11010519491231002x");
	ok(check_id_number, "440524188001010014");
	ok(check_id_number, "110105194912310011");
	ok(check_id_number, "110105200002290021");      /* 2000-02-29: leap year */
}

static void
test_id_check_char(void **state)
{
	(void)state;
	bad(check_id_number, "110105194912310021", "身份证号码校验位应为 X，实际为 1");
	bad(check_id_number, "440524188001010015", "身份证号码校验位应为 4，实际为 5");
	bad(check_id_number, "11010519491231001X", "身份证号码校验位应为 1，实际为 X");
	bad(check_id_number, "11010519491231001x", "身份证号码校验位应为 1，实际为 x");
}

static void
test_id_birth_not_real(void **state)
{
	(void)state;
	/* check characters are right: only the date is wrong */
	bad(check_id_number, "110105194902300020",
		"身份证号码中的出生日期 1949-02-30 不存在：1949 年 2 月只有 28 天");
	bad(check_id_number, "110105194902290029",
		"身份证号码中的出生日期 1949-02-29 不存在：1949 年 2 月只有 28 天");
	bad(check_id_number, "110105190002290025",
		"身份证号码中的出生日期 1900-02-29 不存在：1900 年 2 月只有 28 天");
	bad(check_id_number, "110105194913010029",
		"身份证号码中的出生日期 1949-13-01 不存在：没有 13 月");
	bad(check_id_number, "110105179901010026",
		"身份证号码中的出生日期 1799-01-01 不存在：年份 1799 不合理");
	bad(check_id_number, "110105209901010020",
		"身份证号码中的出生日期 2099-01-01 不存在：晚于今天");
}

static void
test_id_spreadsheet(void **state)
{
	(void)state;
	bad(check_id_number, "4.10105E+17",
		"身份证号码“4.10105E+17”不是 18 位：" SHEET_SCI);
	bad(check_id_number, "4.10105199001010E+17",
		"身份证号码“4.10105199001010E+17”不是 18 位：" SHEET_SCI);
	bad(check_id_number, "4.10E+17", "身份证号码“4.10E+17”不是 18 位：" SHEET_SCI);
	bad(check_id_number, "4.10105e+17", "身份证号码“4.10105e+17”不是 18 位：" SHEET_SCI);
	bad(check_id_number, "410105199001010000",
		"身份证号码校验位应为 3，实际为 0；" SHEET_ZEROS);
}

static void
test_id_length(void **state)
{
	(void)state;
	bad(check_id_number, "11010519491231002", "身份证号码应为 18 位，实际为 17 位");
	bad(check_id_number, "1101051949123100211", "身份证号码应为 18 位，实际为 19 位");
	bad(check_id_number, "110105491231002", "身份证号码是 15 位的旧号码，请改用 18 位号码");
	bad(check_id_number, "", "身份证号码为空");
	bad(check_id_number, NULL, "身份证号码为空");
}

static void
test_id_bad_char(void **state)
{
	(void)state;
	bad(check_id_number, "1101051949123100A2", "身份证号码第 17 位“A”不是数字");
	bad(check_id_number, "11010519491231002Y", "身份证号码第 18 位“Y”应为数字或 X");
	bad(check_id_number, "1101051949123100X2",
		"身份证号码第 17 位是“X”：X 只能是 18 位号码的最后一位");
	bad(check_id_number, "１10105194912310011",
		"身份证号码第 1 位是全角字符“１”，请改用半角字符");
	bad(check_id_number, "110105 194912310011", "身份证号码第 7 位是空格，请删去");
	bad(check_id_number, "11010519491231002X ", "身份证号码第 19 位是空格，请删去");
	bad(check_id_number, "张110105194912310011", "身份证号码第 1 位“张”不是数字");
	bad(check_id_number, "11010519491231001\x1b", "身份证号码第 18 位是不可见字符 U+001B，请删去");
	bad(check_id_number, "110105\xe2\x80\x8b" "194912310011",
		"身份证号码第 7 位是不可见字符 U+200B，请删去");
	bad(check_id_number, "110105\xff" "194912310011",
		"身份证号码第 7 位不是有效的 UTF-8 文字（字节 0xFF），请检查文件编码");
}

static void
test_id_birth_date_and_sex(void **state)
{
	char out[11];

	(void)state;
	assert_true(check_id_birth_date("11010519491231002X", out));
	assert_string_equal(out, "1949-12-31");
	assert_true(check_id_birth_date("440524188001010014", out));
	assert_string_equal(out, "1880-01-01");
	assert_true(check_id_birth_date("110105194912310021", out));  /* check char not verified */
	assert_string_equal(out, "1949-12-31");
	memset(out, 'Z', sizeof(out));
	assert_false(check_id_birth_date("110105194902300020", out));
	assert_string_equal(out, "");
	assert_false(check_id_birth_date("11010519491231002", out));
	assert_string_equal(out, "");
	assert_false(check_id_birth_date("4.10105E+17", out));
	assert_false(check_id_birth_date(NULL, out));

	assert_int_equal(check_id_sex("11010519491231002X"), 2);    /* 17th digit 2 */
	assert_int_equal(check_id_sex("440524188001010014"), 1);    /* 17th digit 1 */
	assert_int_equal(check_id_sex("110105194912310011"), 1);
	assert_int_equal(check_id_sex("11010519491231002"), 0);
	assert_int_equal(check_id_sex("1101051949123100A2"), 0);
	assert_int_equal(check_id_sex(NULL), 0);
}

static void
test_credit_char(void **state)
{
	(void)state;
	assert_int_equal(check_credit_code_char("91350100M000100Y4"), '3');
	assert_int_equal(check_credit_code_char("91440300708461136"), 'T');
	assert_int_equal(check_credit_code_char("91110108551385082"), 'Q');
	assert_int_equal(check_credit_code_char("91350200M00000051"), 'D');
	assert_int_equal(check_credit_code_char("91350128M00000019"), 'F');
	assert_int_equal(check_credit_code_char("91350100000000000"), 'H');
	assert_int_equal(check_credit_code_char("91350100m000100Y4"), 0);  /* lower case */
	assert_int_equal(check_credit_code_char("91350100I000100Y4"), 0);  /* I not used */
	assert_int_equal(check_credit_code_char("9135"), 0);
	assert_int_equal(check_credit_code_char(NULL), 0);
}

static void
test_credit_valid(void **state)
{
	(void)state;
	ok(check_credit_code, "91350100M000100Y43");
	ok(check_credit_code, "91440300708461136T");
	ok(check_credit_code, "91110108551385082Q");
	ok(check_credit_code, "91350200M00000051D");
	ok(check_credit_code, "91350128M00000019F");
}

static void
test_credit_invalid(void **state)
{
	(void)state;
	bad(check_credit_code, "91350200M000000510", "统一社会信用代码校验位应为 D，实际为 0");
	bad(check_credit_code, "91350128M00000019A", "统一社会信用代码校验位应为 F，实际为 A");
	bad(check_credit_code, "91350100M000100Y44", "统一社会信用代码校验位应为 3，实际为 4");
	bad(check_credit_code, "91350100M000100Y4", "统一社会信用代码应为 18 位，实际为 17 位");
	bad(check_credit_code, "350100400000012", "这是 15 位的旧工商注册号，请改填 18 位统一社会信用代码");
	bad(check_credit_code, "91350100m000100Y43", "统一社会信用代码第 9 位“m”应为大写字母“M”");
	bad(check_credit_code, "91350100M000I00Y43",
		"统一社会信用代码第 13 位“I”不可能出现（代码不使用 I、O、S、V、Z，请核对是否为数字 1、0、5 或 2）");
	bad(check_credit_code, "91350100M0001O0Y43",
		"统一社会信用代码第 14 位“O”不可能出现（代码不使用 I、O、S、V、Z，请核对是否为数字 1、0、5 或 2）");
	bad(check_credit_code, "91350100-000100Y43", "统一社会信用代码第 9 位“-”不是数字或大写字母");
	bad(check_credit_code, "91A50100M000100Y43",
		"统一社会信用代码第 3 位“A”应为数字（第 3 至 8 位是行政区划码）");
	bad(check_credit_code, "91350100M000100Y4３", "统一社会信用代码第 18 位是全角字符“３”，请改用半角字符");
	bad(check_credit_code, "", "统一社会信用代码为空");
	bad(check_credit_code, NULL, "统一社会信用代码为空");
}

static void
test_credit_spreadsheet(void **state)
{
	(void)state;
	bad(check_credit_code, "9.13501E+17", "统一社会信用代码“9.13501E+17”不是 18 位：" SHEET_SCI);
	bad(check_credit_code, "913501000000001000",
		"统一社会信用代码校验位应为 7，实际为 0；" SHEET_ZEROS);
}

static void
test_date(void **state)
{
	static const char format[] =
		"日期格式不对：应为 YYYY-MM-DD（如 2024-07-01），也可写作 YYYYMMDD 或 YYYY/MM/DD";

	(void)state;
	ok(check_date, "2024-02-29");
	ok(check_date, "20240229");
	ok(check_date, "2024/02/29");
	ok(check_date, "2000-02-29");
	ok(check_date, "1999-12-31");
	ok(check_date, "2024-07-01");

	bad(check_date, "2023-02-29", "日期 2023-02-29 不存在：2023 年 2 月只有 28 天");
	bad(check_date, "20230229", "日期 2023-02-29 不存在：2023 年 2 月只有 28 天");
	bad(check_date, "1900/02/29", "日期 1900-02-29 不存在：1900 年 2 月只有 28 天");
	bad(check_date, "2024-13-01", "日期 2024-13-01 不存在：没有 13 月");
	bad(check_date, "2024-00-10", "日期 2024-00-10 不存在：没有 0 月");
	bad(check_date, "2024-04-31", "日期 2024-04-31 不存在：2024 年 4 月只有 30 天");
	bad(check_date, "2024-01-00", "日期 2024-01-00 不存在：没有 0 日");
	bad(check_date, "0024-01-01", "日期 0024-01-01 不存在：年份 24 不合理");

	bad(check_date, "2024-1-1", format);
	bad(check_date, "2024.01.01", format);
	bad(check_date, "2024-01/01", format);
	bad(check_date, "abcd-ef-gh", format);
	bad(check_date, "2024-01-011", format);
	bad(check_date, "2024年1月1日", format);
	bad(check_date, "", "日期为空");
	bad(check_date, NULL, "日期为空");
}

static void
test_mobile(void **state)
{
	(void)state;
	ok(check_mobile, "13800138000");
	ok(check_mobile, "19912345678");

	bad(check_mobile, "1380013800", "手机号码应为 11 位，实际为 10 位");
	bad(check_mobile, "138001380001", "手机号码应为 11 位，实际为 12 位");
	bad(check_mobile, "23800138000", "手机号码应以 1 开头，实际以 2 开头");
	bad(check_mobile, "138-0013-8000", "手机号码第 4 位“-”不是数字");
	bad(check_mobile, "138 0013 8000", "手机号码第 4 位是空格，请删去");
	bad(check_mobile, "13800l38000", "手机号码第 6 位“l”不是数字");
	bad(check_mobile, "１3800138000", "手机号码第 1 位是全角字符“１”，请改用半角字符");
	bad(check_mobile, "+8613800138000", "手机号码请去掉开头的 +86，只填 11 位号码");
	bad(check_mobile, "", "手机号码为空");
	bad(check_mobile, NULL, "手机号码为空");
}

static void
test_postcode(void **state)
{
	(void)state;
	ok(check_postcode, "100084");
	ok(check_postcode, "230026");

	bad(check_postcode, "10008", "邮政编码应为 6 位数字，实际为 5 位");
	bad(check_postcode, "1000845", "邮政编码应为 6 位数字，实际为 7 位");
	bad(check_postcode, "10008A", "邮政编码第 6 位“A”不是数字");
	bad(check_postcode, "", "邮政编码为空");
	bad(check_postcode, NULL, "邮政编码为空");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_char),
		cmocka_unit_test(test_id_valid),
		cmocka_unit_test(test_id_check_char),
		cmocka_unit_test(test_id_birth_not_real),
		cmocka_unit_test(test_id_spreadsheet),
		cmocka_unit_test(test_id_length),
		cmocka_unit_test(test_id_bad_char),
		cmocka_unit_test(test_id_birth_date_and_sex),
		cmocka_unit_test(test_credit_char),
		cmocka_unit_test(test_credit_valid),
		cmocka_unit_test(test_credit_invalid),
		cmocka_unit_test(test_credit_spreadsheet),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_mobile),
		cmocka_unit_test(test_postcode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
