/* test_validate.c: unit tests for src/codes.c (code tables) and src/validate.c (one roster row). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "roster.h"
#include "validate.h"

#define SCHOOL_CODE "19999"
#define SCHOOL_NAME "北京示例大学"

/* A small copy of the national tables (db/migrations/0002_code_tables.sql). */
static void
load_codes(struct codes *codes)
{
	static const char *const rows[][4] = {
		{ "sex", "0", "未知的性别", NULL },
		{ "sex", "1", "男", NULL },
		{ "sex", "2", "女", NULL },
		{ "sex", "9", "未说明的性别", NULL },
		{ "ethnicity", "01", "汉族", NULL },
		{ "ethnicity", "02", "蒙古族", NULL },
		{ "ethnicity", "03", "回族", NULL },
		{ "ethnicity", "05", "维吾尔族", NULL },
		{ "ethnicity", "11", "满族", NULL },
		{ "political_status", "01", "中共党员", NULL },
		{ "political_status", "02", "中共预备党员", NULL },
		{ "political_status", "03", "共青团员", NULL },
		{ "political_status", "13", "群众", NULL },
		{ "education_level", "01", "博士生毕业", NULL },
		{ "education_level", "11", "硕士生毕业", NULL },
		{ "education_level", "21", "硕班毕业", NULL },
		{ "education_level", "31", "本科生毕业", NULL },
		{ "education_level", "41", "专科生毕业", NULL },
		{ "province", "11", "北京市", "北京" },
		{ "province", "15", "内蒙古自治区", "内蒙古" },
		{ "province", "32", "江苏省", "江苏" },
		{ "province", "45", "广西壮族自治区", "广西" },
		{ "province", "65", "新疆维吾尔自治区", "新疆" },
		{ "province", "81", "香港特别行政区", "香港" },
	};
	static const struct { const char *code, *name; bool eligible; } modes[] = {
		{ "1", "非定向", true },
		{ "21", "定向（不可网签）", false },
		{ "22", "定向（可网签）", true },
		{ "3", "在职", true },
		{ "41", "委培（不可网签）", false },
		{ "42", "委培（可网签）", true },
		{ "5", "自筹", true },
	};
	size_t i;

	codes_init(codes);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		codes_add(codes, rows[i][0], rows[i][1], rows[i][2], rows[i][3], false);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		codes_add(codes, "training_mode", modes[i].code, modes[i].name, NULL, modes[i].eligible);
}

/* A fully valid row, as a spreadsheet export might give it (spaces, lower-case x, 4年, …). */
static void
base_row(const char *v[RF_COUNT])
{
	v[RF_EXAM_NO] = "24110105123456";
	v[RF_NAME] = "  张三\xE3\x80\x80";        /* trailing U+3000 */
	v[RF_SEX] = "女";
	v[RF_ID_NUMBER] = "11010519491231002x";
	v[RF_ETHNICITY] = "汉族";
	v[RF_POLITICAL] = "共青团员";
	v[RF_BIRTH_DATE] = "1949-12-31";
	v[RF_SCHOOL] = "北京示例大学";
	v[RF_DEPT] = "计算机学院";
	v[RF_LEVEL] = "本科生毕业";
	v[RF_MAJOR] = "\t计算机科学与技术 ";
	v[RF_TRAINING] = "非定向";
	v[RF_ORIGIN] = "北京市海淀区";
	v[RF_STUDENT_NO] = "2020010001";
	v[RF_YEARS] = "4年";
	v[RF_ENTRY_DATE] = "2020-09";
	v[RF_GRAD_DATE] = "2024/6/30";
	v[RF_MOBILE] = "13800138000";
	v[RF_EMAIL] = "Zhang.San@Example.COM";
}

struct fixture {
	struct codes codes;
	struct roster_row row;
	struct validate_problems problems;
	const char *v[RF_COUNT];
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	load_codes(&fx->codes);
	roster_row_init(&fx->row);
	validate_problems_init(&fx->problems);
	base_row(fx->v);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	roster_row_fini(&fx->row);
	validate_problems_fini(&fx->problems);
	codes_fini(&fx->codes);
	free(fx);
	return 0;
}

static bool
run(struct fixture *fx)
{
	return validate_row(&fx->codes, SCHOOL_CODE, SCHOOL_NAME, fx->v, &fx->row, &fx->problems);
}

/* Prints the problems (shown by cmocka when an assertion fails). */
static void
dump(const struct fixture *fx)
{
	size_t i;

	for (i = 0; i < fx->problems.n; i++)
		print_message("  %s: %s\n", roster_fields[fx->problems.items[i].field].header,
			fx->problems.items[i].msg);
}

/* The base row with field f set to in is valid, and f normalises to want. */
static void
ok_field(struct fixture *fx, enum roster_field f, const char *in, const char *want)
{
	base_row(fx->v);
	fx->v[f] = in;
	if (!run(fx)) {
		dump(fx);
		fail_msg("%s “%s” rejected", roster_fields[f].header, in ? in : "(null)");
	}
	if (want)
		assert_string_equal(fx->row.value[f], want);
	else
		assert_null(fx->row.value[f]);
}

/* The base row with field f set to in has exactly one problem: on f, with message want. */
static void
bad_field(struct fixture *fx, enum roster_field f, const char *in, const char *want)
{
	base_row(fx->v);
	fx->v[f] = in;
	assert_false(run(fx));
	if (fx->problems.n != 1) {
		dump(fx);
		fail_msg("%s “%s”: %zu problems, want 1", roster_fields[f].header, in, fx->problems.n);
	}
	assert_int_equal(fx->problems.items[0].field, f);
	assert_string_equal(fx->problems.items[0].msg, want);
}

/* ---- codes ---- */

static void
test_codes_find(void **state)
{
	struct fixture *fx = *state;
	struct codes c;
	size_t n, len;
	int i;

	/* code, name, short name; kinds are separate */
	assert_string_equal(codes_find(&fx->codes, "province", "32"), "32");
	assert_string_equal(codes_find(&fx->codes, "province", "江苏省"), "32");
	assert_string_equal(codes_find(&fx->codes, "province", "江苏"), "32");
	assert_null(codes_find(&fx->codes, "province", "江苏省 "));
	assert_null(codes_find(&fx->codes, "province", "苏"));
	assert_null(codes_find(&fx->codes, "province", ""));
	assert_null(codes_find(&fx->codes, "province", NULL));
	assert_string_equal(codes_find(&fx->codes, "ethnicity", "01"), "01");
	assert_string_equal(codes_find(&fx->codes, "political_status", "01"), "01");
	assert_null(codes_find(&fx->codes, "ethnicity", "中共党员"));
	assert_null(codes_find(&fx->codes, "nope", "01"));

	assert_string_equal(codes_name(&fx->codes, "training_mode", "21"), "定向（不可网签）");
	assert_null(codes_name(&fx->codes, "training_mode", "非定向"));  /* code only */
	assert_true(codes_eligible(&fx->codes, "training_mode", "1"));
	assert_false(codes_eligible(&fx->codes, "training_mode", "21"));
	assert_false(codes_eligible(&fx->codes, "training_mode", "41"));
	assert_true(codes_eligible(&fx->codes, "training_mode", "42"));
	assert_false(codes_eligible(&fx->codes, "training_mode", "99"));
	assert_string_equal(codes_get(&fx->codes, "province", "15")->short_name, "内蒙古");
	assert_null(codes_get(&fx->codes, "sex", "1")->short_name);

	/* longest prefix: the full name beats the short name */
	assert_string_equal(codes_find_prefix(&fx->codes, "province", "内蒙古自治区呼和浩特市", &len), "15");
	assert_int_equal(len, strlen("内蒙古自治区"));
	assert_string_equal(codes_find_prefix(&fx->codes, "province", "内蒙古呼和浩特市", &len), "15");
	assert_int_equal(len, strlen("内蒙古"));
	assert_string_equal(codes_find_prefix(&fx->codes, "province", "江苏", NULL), "32");
	assert_null(codes_find_prefix(&fx->codes, "province", "32南京", &len));  /* codes are not names */
	assert_int_equal(len, 0);
	assert_null(codes_find_prefix(&fx->codes, "province", "南京市", NULL));
	assert_null(codes_find_prefix(&fx->codes, "ethnicity", "江苏省", NULL));

	/* a code wins over a name, a name over a short name, the first added over a later one */
	codes_init(&c);
	assert_null(codes_find(&c, "x", "1"));
	assert_null(codes_find_prefix(&c, "x", "abc", NULL));
	codes_add(&c, "x", "1", "2", "3", false);
	codes_add(&c, "x", "2", "3", "1", false);
	codes_add(&c, "x", "9", "3", "", true);
	codes_add(&c, "y", "1", "one", NULL, false);
	assert_string_equal(codes_find(&c, "x", "1"), "1");
	assert_string_equal(codes_find(&c, "x", "2"), "2");
	assert_string_equal(codes_find(&c, "x", "3"), "2");
	assert_string_equal(codes_find(&c, "y", "one"), "1");
	assert_null(codes_find(&c, "y", "2"));
	assert_true(codes_eligible(&c, "x", "9"));
	assert_null(codes_get(&c, "x", "9")->short_name);
	codes_rows(&c, &n);
	assert_int_equal(n, 4);

	/* many rows: the index grows and every row is still found */
	for (i = 0; i < 20000; i++) {
		char code[16], name[32];

		snprintf(code, sizeof(code), "%d", i);
		snprintf(name, sizeof(name), "名称%d", i);
		codes_add(&c, "big", code, name, NULL, i % 2 == 0);
	}
	for (i = 0; i < 20000; i++) {
		char code[16], name[32];

		snprintf(code, sizeof(code), "%d", i);
		snprintf(name, sizeof(name), "名称%d", i);
		assert_string_equal(codes_find(&c, "big", name), code);
		assert_string_equal(codes_name(&c, "big", code), name);
		assert_int_equal(codes_eligible(&c, "big", code), i % 2 == 0);
	}
	assert_string_equal(codes_find(&c, "x", "3"), "2");
	codes_fini(&c);
	codes_fini(&c);  /* harmless */
}

static void
test_trim(void **state)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "  a b  ", "a b" },
		{ "\t\r\n x\n", "x" },
		{ "\xE3\x80\x80张三\xE3\x80\x80\xE3\x80\x80", "张三" },
		{ "\xC2\xA0" "1\xC2\xA0", "1" },
		{ "  ", "" },
		{ "\xE3\x80\x80", "" },
		{ "", "" },
		{ "中\xE3\x80\x80文", "中\xE3\x80\x80文" },  /* inside: kept */
	};
	size_t i;
	char *t;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = validate_trim(cases[i].in);
		assert_string_equal(t, cases[i].want);
		free(t);
	}
	t = validate_trim(NULL);
	assert_string_equal(t, "");
	free(t);
}

/* ---- a whole row ---- */

static void
test_valid_row(void **state)
{
	struct fixture *fx = *state;
	static const char *const want[RF_COUNT] = {
		[RF_EXAM_NO] = "24110105123456",
		[RF_NAME] = "张三",
		[RF_SEX] = "2",
		[RF_ID_NUMBER] = "11010519491231002X",
		[RF_ETHNICITY] = "01",
		[RF_POLITICAL] = "03",
		[RF_BIRTH_DATE] = "1949-12-31",
		[RF_SCHOOL] = "北京示例大学",
		[RF_DEPT] = "计算机学院",
		[RF_LEVEL] = "31",
		[RF_MAJOR] = "计算机科学与技术",
		[RF_TRAINING] = "1",
		[RF_ORIGIN] = "110000",
		[RF_STUDENT_NO] = "2020010001",
		[RF_YEARS] = "4",
		[RF_ENTRY_DATE] = "2020-09-01",
		[RF_GRAD_DATE] = "2024-06-30",
		[RF_MOBILE] = "13800138000",
		[RF_EMAIL] = "Zhang.San@example.com",
	};
	int i;

	if (!run(fx)) {
		dump(fx);
		fail_msg("the valid row was rejected");
	}
	assert_int_equal(fx->problems.n, 0);
	for (i = 0; i < RF_COUNT; i++) {
		assert_non_null(want[i]);
		assert_string_equal(fx->row.value[i], want[i]);
	}
	assert_string_equal(fx->row.origin_name, "北京市海淀区");
	assert_true(fx->row.eligible);

	/* codes instead of names give the same row */
	fx->v[RF_SEX] = "2";
	fx->v[RF_ETHNICITY] = "1";
	fx->v[RF_POLITICAL] = "03";
	fx->v[RF_LEVEL] = "31";
	fx->v[RF_TRAINING] = "1";
	fx->v[RF_ORIGIN] = "110108";
	fx->v[RF_SCHOOL] = SCHOOL_CODE;
	fx->v[RF_ID_NUMBER] = "11010519491231002X";
	assert_true(run(fx));
	for (i = 0; i < RF_COUNT; i++)
		if (i != RF_ORIGIN)
			assert_string_equal(fx->row.value[i], want[i]);
	assert_string_equal(fx->row.value[RF_ORIGIN], "110108");
	assert_string_equal(fx->row.origin_name, "北京市");
}

static void
test_optional_empty(void **state)
{
	struct fixture *fx = *state;
	int i;

	for (i = 0; i < RF_COUNT; i++)
		if (!roster_fields[i].required) {
			ok_field(fx, (enum roster_field)i, NULL, NULL);
			ok_field(fx, (enum roster_field)i, "", NULL);
			ok_field(fx, (enum roster_field)i, " \xE3\x80\x80 ", NULL);
		}
}

static void
test_required_empty(void **state)
{
	struct fixture *fx = *state;
	const char *none[RF_COUNT] = { 0 };
	size_t i, n = 0;

	for (i = 0; i < RF_COUNT; i++)
		if (roster_fields[i].required)
			bad_field(fx, (enum roster_field)i, " \xE3\x80\x80", "不能为空");

	/* a row of absent columns: one problem per required field, in column order */
	assert_false(validate_row(&fx->codes, SCHOOL_CODE, SCHOOL_NAME, none, &fx->row, &fx->problems));
	for (i = 0; i < RF_COUNT; i++) {
		assert_null(fx->row.value[i]);
		if (!roster_fields[i].required)
			continue;
		assert_true(n < fx->problems.n);
		assert_int_equal(fx->problems.items[n].field, i);
		assert_string_equal(fx->problems.items[n].msg, "不能为空");
		n++;
	}
	assert_int_equal(n, 13);
	assert_int_equal(fx->problems.n, 13);
	assert_null(fx->row.origin_name);
	assert_false(fx->row.eligible);
}

static void
test_many_problems(void **state)
{
	struct fixture *fx = *state;
	static const struct { enum roster_field f; const char *msg; } want[] = {
		{ RF_SEX, "应为男或女（也可填代码 1 或 2），而不是“M”" },
		{ RF_ID_NUMBER, "身份证号码校验位应为 X，实际为 1" },
		{ RF_ETHNICITY, "“火星族”不是有效的民族：应填代码（如 01）或名称（如 汉族）" },
		{ RF_SCHOOL, "应为本校（北京示例大学），而不是“清华大学”" },
		{ RF_DEPT, "不能为空" },
		{ RF_ORIGIN, "应为六位行政区划代码或以省级行政区名称开头的地名（如 320102 或 江苏省南京市玄武区），而不是“南京市玄武区”" },
		{ RF_GRAD_DATE, "毕业时间 2019-06-30 早于入学时间 2020-09-01" },
		{ RF_MOBILE, "手机号码应为 11 位，实际为 10 位" },
		{ RF_EMAIL, "缺少 @，应为 name@example.com 的形式" },
	};
	size_t i;

	/* set in reverse column order: the problems still come sorted */
	fx->v[RF_EMAIL] = "zhangsan.example.com";
	fx->v[RF_MOBILE] = "1380013800";
	fx->v[RF_GRAD_DATE] = "2019-06-30";
	fx->v[RF_ORIGIN] = "南京市玄武区";
	fx->v[RF_DEPT] = "";
	fx->v[RF_SCHOOL] = "清华大学";
	fx->v[RF_ETHNICITY] = "火星族";
	fx->v[RF_ID_NUMBER] = "110105194912310021";
	fx->v[RF_SEX] = "M";
	assert_false(run(fx));
	if (fx->problems.n != sizeof(want) / sizeof(want[0]))
		dump(fx);
	assert_int_equal(fx->problems.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < fx->problems.n; i++) {
		assert_int_equal(fx->problems.items[i].field, want[i].f);
		assert_string_equal(fx->problems.items[i].msg, want[i].msg);
	}
	/* a field with a problem keeps its trimmed text; the others are normalised */
	assert_string_equal(fx->row.value[RF_SEX], "M");
	assert_string_equal(fx->row.value[RF_ETHNICITY], "火星族");
	assert_string_equal(fx->row.value[RF_POLITICAL], "03");

	/* the same out and problems serve the next row */
	base_row(fx->v);
	assert_true(run(fx));
	assert_int_equal(fx->problems.n, 0);
	assert_string_equal(fx->row.value[RF_SEX], "2");
}

/* ---- single fields ---- */

static void
test_id_number(void **state)
{
	struct fixture *fx = *state;

	ok_field(fx, RF_ID_NUMBER, "11010519491231002X", "11010519491231002X");
	ok_field(fx, RF_ID_NUMBER, " 11010519491231002x ", "11010519491231002X");

	/* check_id_number's messages pass through */
	bad_field(fx, RF_ID_NUMBER, "110105194912310021", "身份证号码校验位应为 X，实际为 1");
	bad_field(fx, RF_ID_NUMBER, "4.10E+17",
		"身份证号码“4.10E+17”不是 18 位：可能被电子表格改写为科学计数法，请把该列设为文本格式后重新录入");
	bad_field(fx, RF_ID_NUMBER, "110105194912310000",
		"身份证号码校验位应为 3，实际为 0；末尾是 000，可能被电子表格截成 15 位有效数字后补了零，"
		"请把该列设为文本格式后重新录入");
	bad_field(fx, RF_ID_NUMBER, "11010519491231002", "身份证号码应为 18 位，实际为 17 位");

	/* birth date and sex must agree with the other columns */
	base_row(fx->v);
	fx->v[RF_BIRTH_DATE] = "1999-05-01";
	assert_false(run(fx));
	assert_int_equal(fx->problems.n, 1);
	assert_int_equal(fx->problems.items[0].field, RF_ID_NUMBER);
	assert_string_equal(fx->problems.items[0].msg,
		"号码中的出生日期为 1949-12-31，与出生日期 1999-05-01 不一致");

	base_row(fx->v);
	fx->v[RF_SEX] = "男";
	assert_false(run(fx));
	assert_int_equal(fx->problems.n, 1);
	assert_int_equal(fx->problems.items[0].field, RF_ID_NUMBER);
	assert_string_equal(fx->problems.items[0].msg, "第 17 位表示女，与性别“男”不一致");

	base_row(fx->v);
	fx->v[RF_SEX] = "2";
	fx->v[RF_ID_NUMBER] = "110105194912310011";  /* male */
	fx->v[RF_BIRTH_DATE] = "1950-01-01";
	assert_false(run(fx));
	assert_int_equal(fx->problems.n, 2);
	assert_string_equal(fx->problems.items[0].msg,
		"号码中的出生日期为 1949-12-31，与出生日期 1950-01-01 不一致");
	assert_string_equal(fx->problems.items[1].msg, "第 17 位表示男，与性别“女”不一致");

	/* a male ID with 男 is fine */
	base_row(fx->v);
	fx->v[RF_SEX] = "1";
	fx->v[RF_ID_NUMBER] = "110105194912310011";
	assert_true(run(fx));

	/* no comparison when the other side is itself wrong: one problem each */
	base_row(fx->v);
	fx->v[RF_SEX] = "X";
	fx->v[RF_BIRTH_DATE] = "1949-13-01";
	assert_false(run(fx));
	assert_int_equal(fx->problems.n, 2);
	assert_int_equal(fx->problems.items[0].field, RF_SEX);
	assert_int_equal(fx->problems.items[1].field, RF_BIRTH_DATE);
}

static void
test_sex(void **state)
{
	struct fixture *fx = *state;

	ok_field(fx, RF_SEX, "女", "2");
	ok_field(fx, RF_SEX, "2", "2");
	ok_field(fx, RF_SEX, "女性", "2");
	bad_field(fx, RF_SEX, "F", "应为男或女（也可填代码 1 或 2），而不是“F”");
	bad_field(fx, RF_SEX, "0", "应为男或女（也可填代码 1 或 2），而不是“0”");
	bad_field(fx, RF_SEX, "未说明的性别", "应为男或女（也可填代码 1 或 2），而不是“未说明的性别”");
}

static void
test_code_fields(void **state)
{
	struct fixture *fx = *state;

	ok_field(fx, RF_ETHNICITY, "01", "01");
	ok_field(fx, RF_ETHNICITY, "1", "01");
	ok_field(fx, RF_ETHNICITY, "汉", "01");
	ok_field(fx, RF_ETHNICITY, "维吾尔族", "05");
	ok_field(fx, RF_ETHNICITY, "11", "11");
	bad_field(fx, RF_ETHNICITY, "火星族", "“火星族”不是有效的民族：应填代码（如 01）或名称（如 汉族）");
	bad_field(fx, RF_ETHNICITY, "001", "“001”不是有效的民族：应填代码（如 01）或名称（如 汉族）");
	bad_field(fx, RF_ETHNICITY, "4", "“4”不是有效的民族：应填代码（如 01）或名称（如 汉族）");

	ok_field(fx, RF_POLITICAL, "中共党员", "01");
	ok_field(fx, RF_POLITICAL, "2", "02");
	ok_field(fx, RF_POLITICAL, "13", "13");
	bad_field(fx, RF_POLITICAL, "团员",
		"“团员”不是有效的政治面貌：应填代码（如 01）或名称（如 中共党员）");

	ok_field(fx, RF_LEVEL, "硕士生毕业", "11");
	ok_field(fx, RF_LEVEL, "硕班毕业", "21");
	ok_field(fx, RF_LEVEL, "1", "01");
	bad_field(fx, RF_LEVEL, "本科",
		"“本科”不是有效的学历层次：应填代码（如 01）或名称（如 博士生毕业）");

	/* an empty code table cannot confirm anything */
	{
		struct codes empty;

		codes_init(&empty);
		base_row(fx->v);
		assert_false(validate_row(&empty, SCHOOL_CODE, SCHOOL_NAME, fx->v, &fx->row, &fx->problems));
		assert_int_equal(fx->problems.items[1].field, RF_ETHNICITY);
		assert_string_equal(fx->problems.items[1].msg, "“汉族”无法核对：代码表中没有民族");
		codes_fini(&empty);
	}
}

static void
test_training(void **state)
{
	struct fixture *fx = *state;
	static const char list[] =
		"应为 1 非定向、21 定向（不可网签）、22 定向（可网签）、3 在职、41 委培（不可网签）、"
		"42 委培（可网签）、5 自筹 之一（填代码或名称）";
	static const struct { const char *in, *code; bool eligible; } cases[] = {
		{ "1", "1", true }, { "21", "21", false }, { "22", "22", true }, { "3", "3", true },
		{ "41", "41", false }, { "42", "42", true }, { "5", "5", true },
		{ "非定向", "1", true }, { "定向（不可网签）", "21", false }, { "委培（可网签）", "42", true },
		{ "自筹", "5", true },
	};
	size_t i;
	char *want;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ok_field(fx, RF_TRAINING, cases[i].in, cases[i].code);
		assert_int_equal(fx->row.eligible, cases[i].eligible);
	}
	want = malloc(strlen(list) + 64);
	assert_non_null(want);
	sprintf(want, "“6”不是有效的培养方式：%s", list);
	bad_field(fx, RF_TRAINING, "6", want);
	assert_false(fx->row.eligible);
	sprintf(want, "“01”不是有效的培养方式：%s", list);
	bad_field(fx, RF_TRAINING, "01", want);
	sprintf(want, "“定向”不是有效的培养方式：%s", list);
	bad_field(fx, RF_TRAINING, "定向", want);
	free(want);
}

static void
test_dates(void **state)
{
	struct fixture *fx = *state;

	/* 出生日期: full dates only, in the usual spellings */
	ok_field(fx, RF_BIRTH_DATE, "19491231", "1949-12-31");
	ok_field(fx, RF_BIRTH_DATE, "1949/12/31", "1949-12-31");
	ok_field(fx, RF_BIRTH_DATE, "1949.12.31", "1949-12-31");
	ok_field(fx, RF_BIRTH_DATE, "1949年12月31日", "1949-12-31");
	ok_field(fx, RF_BIRTH_DATE, "1949-12-31 00:00:00", "1949-12-31");
	ok_field(fx, RF_BIRTH_DATE, "1949/12/31 0:00", "1949-12-31");
	bad_field(fx, RF_BIRTH_DATE, "1949-02-30", "日期 1949-02-30 不存在：1949 年 2 月只有 28 天");
	bad_field(fx, RF_BIRTH_DATE, "1949-12", "应为完整的年月日（如 1999-05-01），不能只有年月");
	bad_field(fx, RF_BIRTH_DATE, "31/12/1949",
		"日期格式不对：应为 YYYY-MM-DD（如 2024-07-01），也可写作 YYYYMMDD 或 YYYY/MM/DD，"
		"而不是“31/12/1949”");
	bad_field(fx, RF_BIRTH_DATE, "1949-12-31 08:00",
		"日期格式不对：应为 YYYY-MM-DD（如 2024-07-01），也可写作 YYYYMMDD 或 YYYY/MM/DD，"
		"而不是“1949-12-31 08:00”");
	bad_field(fx, RF_BIRTH_DATE, "18263",
		"“18263”像是电子表格的日期序号：请把该列设为文本格式，填写 YYYY-MM-DD（如 2024-07-01）");
	bad_field(fx, RF_BIRTH_DATE, "2999-01-01", "2999-01-01 晚于今天");

	/* 入学时间, 毕业时间: also a month, which becomes its first day */
	ok_field(fx, RF_ENTRY_DATE, "2020-09-01", "2020-09-01");
	ok_field(fx, RF_ENTRY_DATE, "202009", "2020-09-01");
	ok_field(fx, RF_ENTRY_DATE, "2020/9", "2020-09-01");
	ok_field(fx, RF_ENTRY_DATE, "2020.09", "2020-09-01");
	ok_field(fx, RF_ENTRY_DATE, "2020年9月", "2020-09-01");
	ok_field(fx, RF_GRAD_DATE, "2024-06", "2024-06-01");
	ok_field(fx, RF_GRAD_DATE, "20240701", "2024-07-01");
	bad_field(fx, RF_ENTRY_DATE, "2020-13", "年月 2020-13 不存在：没有 13 月");
	bad_field(fx, RF_ENTRY_DATE, "1700-09", "年月 1700-09 不存在：年份 1700 不合理");
	bad_field(fx, RF_GRAD_DATE, "2024-06-31", "日期 2024-06-31 不存在：2024 年 6 月只有 30 天");
	bad_field(fx, RF_GRAD_DATE, "六月",
		"日期格式不对：应为 YYYY-MM-DD（如 2024-07-01）或 YYYY-MM（如 2024-07），"
		"也可写作 YYYYMMDD 或 YYYY/MM/DD，而不是“六月”");
	bad_field(fx, RF_GRAD_DATE, "2024-6/30",
		"日期格式不对：应为 YYYY-MM-DD（如 2024-07-01）或 YYYY-MM（如 2024-07），"
		"也可写作 YYYYMMDD 或 YYYY/MM/DD，而不是“2024-6/30”");

	/* 毕业时间 not before 入学时间; the same day is allowed */
	base_row(fx->v);
	fx->v[RF_ENTRY_DATE] = "2024-06-30";
	assert_true(run(fx));
	fx->v[RF_ENTRY_DATE] = "2024-07";
	assert_false(run(fx));
	assert_int_equal(fx->problems.n, 1);
	assert_int_equal(fx->problems.items[0].field, RF_GRAD_DATE);
	assert_string_equal(fx->problems.items[0].msg, "毕业时间 2024-06-30 早于入学时间 2024-07-01");
	/* only one of the two: nothing to compare */
	fx->v[RF_ENTRY_DATE] = NULL;
	assert_true(run(fx));
}

static void
test_origin(void **state)
{
	struct fixture *fx = *state;
	static const struct { const char *in, *code, *name; } cases[] = {
		{ "江苏省南京市玄武区", "320000", "江苏省南京市玄武区" },
		{ "北京市海淀区", "110000", "北京市海淀区" },
		{ "内蒙古自治区呼和浩特市", "150000", "内蒙古自治区呼和浩特市" },
		{ "内蒙古呼和浩特市", "150000", "内蒙古呼和浩特市" },
		{ "广西壮族自治区南宁市", "450000", "广西壮族自治区南宁市" },
		{ "新疆乌鲁木齐市", "650000", "新疆乌鲁木齐市" },
		{ "江苏", "320000", "江苏" },
		{ " 香港特别行政区 ", "810000", "香港特别行政区" },
		{ "320102", "320102", "江苏省" },
		{ "110000", "110000", "北京市" },
	};
	static const char expected[] =
		"应为六位行政区划代码或以省级行政区名称开头的地名（如 320102 或 江苏省南京市玄武区）";
	char want[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ok_field(fx, RF_ORIGIN, cases[i].in, cases[i].code);
		assert_string_equal(fx->row.origin_name, cases[i].name);
	}
	bad_field(fx, RF_ORIGIN, "990102", "行政区划代码 990102 的前两位 99 不是省级行政区代码");
	snprintf(want, sizeof(want), "%s，而不是 5 位数字“32010”", expected);
	bad_field(fx, RF_ORIGIN, "32010", want);
	snprintf(want, sizeof(want), "%s，而不是“南京市玄武区”", expected);
	bad_field(fx, RF_ORIGIN, "南京市玄武区", want);
	snprintf(want, sizeof(want), "%s，而不是“苏州”", expected);
	bad_field(fx, RF_ORIGIN, "苏州", want);
	assert_null(fx->row.origin_name);
}

static void
test_mobile_email(void **state)
{
	struct fixture *fx = *state;
	char long_mail[300];

	ok_field(fx, RF_MOBILE, "19912345678", "19912345678");
	bad_field(fx, RF_MOBILE, "+8613800138000", "手机号码请去掉开头的 +86，只填 11 位号码");
	bad_field(fx, RF_MOBILE, "23800138000", "手机号码应以 1 开头，实际以 2 开头");
	bad_field(fx, RF_MOBILE, "138-0013-8000", "手机号码第 4 位“-”不是数字");

	ok_field(fx, RF_EMAIL, "a@b.cn", "a@b.cn");
	ok_field(fx, RF_EMAIL, "First.Last+tag@Mail.PKU.edu.cn", "First.Last+tag@mail.pku.edu.cn");
	bad_field(fx, RF_EMAIL, "zhangsan", "缺少 @，应为 name@example.com 的形式");
	bad_field(fx, RF_EMAIL, "a@b@c.cn", "含有 2 个 @，只能有一个，应为 name@example.com 的形式");
	bad_field(fx, RF_EMAIL, "@qq.com", "@ 前面缺少用户名，应为 name@example.com 的形式");
	bad_field(fx, RF_EMAIL, "abc@", "@ 后面缺少域名，应为 name@example.com 的形式");
	bad_field(fx, RF_EMAIL, "abc@qq", "域名“qq”缺少点（.），应为 name@example.com 的形式");
	bad_field(fx, RF_EMAIL, "abc@qq..com",
		"域名“qq..com”格式不对：点不能在开头、结尾或连续出现，应为 name@example.com 的形式");
	bad_field(fx, RF_EMAIL, "abc@qq.com.",
		"域名“qq.com.”格式不对：点不能在开头、结尾或连续出现，应为 name@example.com 的形式");
	bad_field(fx, RF_EMAIL, "ab c@qq.com", "不能含有空格（第 3 个字符）");
	bad_field(fx, RF_EMAIL, "abc＠qq.com", "第 4 个字符是全角字符“＠”，请改用半角字符");
	bad_field(fx, RF_EMAIL, "abc@qq。com", "第 7 个字符是全角字符“。”，请改用半角字符");
	bad_field(fx, RF_EMAIL, "abc@qq,com",
		"域名中的“,”不是字母、数字、- 或 .，应为 name@example.com 的形式");
	memset(long_mail, 'a', sizeof(long_mail));
	memcpy(long_mail + 240, "@example.com", 13);  /* 252 characters */
	ok_field(fx, RF_EMAIL, long_mail, long_mail);
	memcpy(long_mail + 243, "@example.com", 13);  /* 255 characters */
	bad_field(fx, RF_EMAIL, long_mail, "不能超过 254 个字符，实际为 255 个");
}

static void
test_school(void **state)
{
	struct fixture *fx = *state;

	ok_field(fx, RF_SCHOOL, "北京示例大学", "北京示例大学");
	ok_field(fx, RF_SCHOOL, " 19999 ", "北京示例大学");
	bad_field(fx, RF_SCHOOL, "清华大学", "应为本校（北京示例大学），而不是“清华大学”");
	bad_field(fx, RF_SCHOOL, "10003", "应为本校（北京示例大学），而不是“10003”");

	/* ASCII and full-width brackets are the same */
	base_row(fx->v);
	fx->v[RF_SCHOOL] = "中国矿业大学(北京)";
	assert_true(validate_row(&fx->codes, "11413", "中国矿业大学（北京）", fx->v, &fx->row,
		&fx->problems));
	assert_string_equal(fx->row.value[RF_SCHOOL], "中国矿业大学（北京）");
	fx->v[RF_SCHOOL] = "中国矿业大学";
	assert_false(validate_row(&fx->codes, "11413", "中国矿业大学（北京）", fx->v, &fx->row,
		&fx->problems));
	assert_string_equal(fx->problems.items[0].msg,
		"应为本校（中国矿业大学（北京）），而不是“中国矿业大学”");

	/* no school given: any non-empty name */
	fx->v[RF_SCHOOL] = "某某学院";
	assert_true(validate_row(&fx->codes, NULL, NULL, fx->v, &fx->row, &fx->problems));
	assert_string_equal(fx->row.value[RF_SCHOOL], "某某学院");
}

static void
test_numbers(void **state)
{
	struct fixture *fx = *state;

	ok_field(fx, RF_STUDENT_NO, "S2020-001", "S2020-001");
	ok_field(fx, RF_STUDENT_NO, "12345678901234567890123456789012", "12345678901234567890123456789012");
	bad_field(fx, RF_STUDENT_NO, "123456789012345678901234567890123", "不能超过 32 个字符，实际为 33 个");
	bad_field(fx, RF_STUDENT_NO, "2020 0001", "不能含有空格（第 5 个字符）");
	bad_field(fx, RF_STUDENT_NO, "2020\xE3\x80\x80" "0001", "不能含有空格（第 5 个字符）");
	bad_field(fx, RF_STUDENT_NO, "2.02E+11",
		"“2.02E+11”可能被电子表格改写为科学计数法，请把该列设为文本格式后重新录入");
	bad_field(fx, RF_STUDENT_NO, "2020\x01" "01", "第 5 个字符是不可见的控制字符 U+0001，请删去");

	ok_field(fx, RF_EXAM_NO, "24110105123456", "24110105123456");
	ok_field(fx, RF_EXAM_NO, "AB12cd", "AB12cd");
	bad_field(fx, RF_EXAM_NO, "2411-0105", "只能由数字和字母组成，第 5 个字符“-”不是");
	bad_field(fx, RF_EXAM_NO, "考生24", "只能由数字和字母组成，第 1 个字符“考”不是");
	bad_field(fx, RF_EXAM_NO, "2.4110E+13",
		"“2.4110E+13”可能被电子表格改写为科学计数法，请把该列设为文本格式后重新录入");
	bad_field(fx, RF_EXAM_NO, "123456789012345678901234567890123", "不能超过 32 个字符，实际为 33 个");

	ok_field(fx, RF_YEARS, "4", "4");
	ok_field(fx, RF_YEARS, "3年", "3");
	ok_field(fx, RF_YEARS, "5.0", "5");
	ok_field(fx, RF_YEARS, "9", "9");
	bad_field(fx, RF_YEARS, "0", "应为 1 到 9 的整数年数（如 4 或 4年），而不是“0”");
	bad_field(fx, RF_YEARS, "10", "应为 1 到 9 的整数年数（如 4 或 4年），而不是“10”");
	bad_field(fx, RF_YEARS, "2.5", "应为 1 到 9 的整数年数（如 4 或 4年），而不是“2.5”");
	bad_field(fx, RF_YEARS, "四年", "应为 1 到 9 的整数年数（如 4 或 4年），而不是“四年”");
}

static void
test_name(void **state)
{
	struct fixture *fx = *state;
	static const char *const dots[] = {
		"\xE2\x80\xA2",  /* U+2022 */
		"\xE3\x83\xBB",  /* U+30FB */
		"\xEF\xBC\x8E",  /* U+FF0E */
		"\xEF\xBD\xA5",  /* U+FF65 */
		"\xE2\x80\xA7",  /* U+2027 */
		"\xCE\x87",      /* U+0387 */
		"\xC2\xB7",      /* U+00B7 itself */
	};
	char in[64], name51[256];
	size_t i;

	for (i = 0; i < sizeof(dots) / sizeof(dots[0]); i++) {
		snprintf(in, sizeof(in), "阿卜杜拉%s艾力", dots[i]);
		ok_field(fx, RF_NAME, in, "阿卜杜拉\xC2\xB7艾力");
	}
	ok_field(fx, RF_NAME, "买买提\xE2\x80\xA2吐尔逊\xE3\x83\xBB阿不都", "买买提·吐尔逊·阿不都");
	ok_field(fx, RF_NAME, "王\xF0\xA0\x80\x80", "王\xF0\xA0\x80\x80");   /* U+20000, Extension B */
	ok_field(fx, RF_NAME, "John Smith", "John Smith");
	ok_field(fx, RF_NAME, "李", "李");

	name51[0] = '\0';
	for (i = 0; i < 50; i++)
		strcat(name51, "张");
	ok_field(fx, RF_NAME, name51, name51);
	strcat(name51, "张");
	bad_field(fx, RF_NAME, name51, "不能超过 50 个字符，实际为 51 个");
	bad_field(fx, RF_NAME, "张\n三", "第 2 个字符是不可见的控制字符 U+000A，请删去");
	bad_field(fx, RF_NAME, "张\xE2\x80\x8B三", "第 2 个字符是不可见的控制字符 U+200B，请删去");
	bad_field(fx, RF_NAME, "张\xEF\xBF\xBF三", "第 2 个字符 U+FFFF 是 Unicode 非字符，不是文字，请删去");
	bad_field(fx, RF_NAME, "张\xEF\xB7\x90", "第 2 个字符 U+FDD0 是 Unicode 非字符，不是文字，请删去");
	bad_field(fx, RF_NAME, "张\xFF三", "第 2 个字符不是有效的 UTF-8 文字（字节 0xFF），请检查文件编码");
	bad_field(fx, RF_NAME, "\xE2\x80\xA2艾力", "间隔号“·”不能在开头或结尾");
}

static void
test_dept_major(void **state)
{
	struct fixture *fx = *state;
	char text[512];
	size_t i;

	ok_field(fx, RF_DEPT, "信息科学技术学院（软件学院）", "信息科学技术学院（软件学院）");
	ok_field(fx, RF_MAJOR, "  软件工程 ", "软件工程");
	text[0] = '\0';
	for (i = 0; i < 100; i++)
		strcat(text, "专");
	ok_field(fx, RF_MAJOR, text, text);
	strcat(text, "业");
	bad_field(fx, RF_MAJOR, text, "不能超过 100 个字符，实际为 101 个");
	bad_field(fx, RF_DEPT, text, "不能超过 100 个字符，实际为 101 个");
	bad_field(fx, RF_DEPT, "计算机\x1b[31m学院", "第 4 个字符是不可见的控制字符 U+001B，请删去");
	bad_field(fx, RF_MAJOR, "软件\xE2\x80\xAE工程", "第 3 个字符是不可见的控制字符 U+202E，请删去");
}

static void
test_quoting(void **state)
{
	struct fixture *fx = *state;
	char in[256];
	size_t i;

	/* user text in a message is escaped and shortened */
	bad_field(fx, RF_SEX, "男\x1b[2J", "应为男或女（也可填代码 1 或 2），而不是“男\\u001b[2J”");
	bad_field(fx, RF_SEX, "\xC0男", "应为男或女（也可填代码 1 或 2），而不是“\\xc0男”");
	in[0] = '\0';
	for (i = 0; i < 45; i++)
		strcat(in, "x");
	bad_field(fx, RF_SEX, in,
		"应为男或女（也可填代码 1 或 2），而不是“xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…”");
}

static void
test_seen(void **state)
{
	struct validate_seen seen;
	char key[32];
	size_t i;

	(void)state;
	validate_seen_init(&seen);
	assert_int_equal(validate_seen_add(&seen, "2020010001", 2), 0);
	assert_int_equal(validate_seen_add(&seen, "2020010002", 3), 0);
	assert_int_equal(validate_seen_add(&seen, "2020010001", 7), 2);
	assert_int_equal(validate_seen_add(&seen, "2020010001", 9), 2);
	assert_int_equal(validate_seen_add(&seen, "", 10), 0);
	assert_int_equal(validate_seen_add(&seen, NULL, 11), 0);
	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "S%zu", i);
		assert_int_equal(validate_seen_add(&seen, key, i + 100), 0);
	}
	for (i = 0; i < 100000; i += 997) {
		snprintf(key, sizeof(key), "S%zu", i);
		assert_int_equal(validate_seen_add(&seen, key, 1), i + 100);
	}
	assert_int_equal(validate_seen_add(&seen, "2020010002", 12), 3);
	validate_seen_fini(&seen);
	validate_seen_fini(&seen);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_codes_find, setup, teardown),
		cmocka_unit_test(test_trim),
		cmocka_unit_test_setup_teardown(test_valid_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_optional_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_required_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_problems, setup, teardown),
		cmocka_unit_test_setup_teardown(test_id_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sex, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_training, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mobile_email, setup, teardown),
		cmocka_unit_test_setup_teardown(test_school, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dept_major, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quoting, setup, teardown),
		cmocka_unit_test(test_seen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
