/* test_csv.c: the CSV reader and writer (src/csv.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "util.h"

#ifndef FIXTURESDIR
#error "FIXTURESDIR must name tests/unit/fixtures"
#endif

#define FX(name) FIXTURESDIR "/" name

/* GBK bytes of a few names used below. */
#define GBK_ZHANGSAN "\xd5\xc5\xc8\xfd"                          /* 张三 */
#define GBK_JISUANJI "\xbc\xc6\xcb\xe3\xbb\xfa\xd1\xa7\xd4\xba"  /* 计算机学院 */
#define GBK_XINGMING "\xd0\xd5\xc3\xfb"                          /* 姓名 */
#define GBK_YUANXI   "\xd4\xba\xcf\xb5"                          /* 院系 */

/* Parses a string literal (its bytes, NULs included) and asserts success. */
#define PARSE_OK(lit, enc, c) parse_ok(lit, sizeof(lit) - 1, enc, c)
/* Parses a string literal and asserts failure with exactly msg. */
#define PARSE_FAIL(lit, enc, msg) parse_fail(lit, sizeof(lit) - 1, enc, msg)

static void
parse_ok(const char *data, size_t len, enum csv_encoding enc, struct csv *c)
{
	struct wq_err err;

	wq_err_clear(&err);
	if (!csv_parse(data, len, enc, c, &err))
		fail_msg("csv_parse failed: %s", err.msg);
	assert_int_equal(err.code, WQ_ERR_OK);
}

static void
parse_fail(const char *data, size_t len, enum csv_encoding enc, const char *msg)
{
	struct csv c;
	struct wq_err err;

	memset(&c, 0xAB, sizeof(c));
	assert_false(csv_parse(data, len, enc, &c, &err));
	assert_int_equal(err.code, WQ_ERR_INPUT);
	assert_string_equal(err.msg, msg);
	/* Left zeroed: freeing it is harmless. */
	assert_int_equal(c.nrecords, 0);
	assert_null(c.records);
	csv_free(&c);
}

/* Asserts record r starts on line and holds exactly the n strings that follow. */
static void
check_record(const struct csv_record *r, int line, int n, ...)
{
	va_list ap;
	int i;

	assert_int_equal(r->line, line);
	assert_int_equal(r->nfields, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_string_equal(r->fields[i], va_arg(ap, const char *));
	va_end(ap);
}

static void
test_quoted_commas(void **state)
{
	struct csv c;

	PARSE_OK("姓名,院系\n张三,\"计算机学院,软件工程系\"\n\"李,四\",\"\"\n", CSV_ENC_AUTO, &c);
	assert_int_equal(c.nrecords, 3);
	assert_int_equal(csv_nrows(&c), 2);
	check_record(&c.records[0], 1, 2, "姓名", "院系");
	check_record(&c.records[1], 2, 2, "张三", "计算机学院,软件工程系");
	check_record(&c.records[2], 3, 2, "李,四", "");
	assert_int_equal(c.encoding, CSV_ENC_UTF8);
	assert_false(c.had_bom);
	csv_free(&c);
	csv_free(&c);   /* twice is harmless */
	assert_null(c.records);
}

static void
test_doubled_quotes(void **state)
{
	struct csv c;

	PARSE_OK("a,b\n\"他说\"\"好\"\"\",\"\"\"\"\n\"x\"\"\",\"\"\"y\"\n", CSV_ENC_AUTO, &c);
	check_record(&c.records[1], 2, 2, "他说\"好\"", "\"");
	check_record(&c.records[2], 3, 2, "x\"", "\"y");
	csv_free(&c);
}

static void
test_quote_in_unquoted_field(void **state)
{
	struct csv c;

	PARSE_OK("a,b,c\n5\"3,x\"y\", \"z\"\n", CSV_ENC_AUTO, &c);
	check_record(&c.records[1], 2, 3, "5\"3", "x\"y\"", " \"z\"");
	csv_free(&c);
}

static void
test_embedded_newlines(void **state)
{
	struct csv c;

	/* LF, CRLF and a lone CR inside quotes all become "\n" and count as lines. */
	PARSE_OK("a,b\r\n"
		"\"第一行\n第二行\",x\r\n"
		"\"p\r\nq\r\n\",y\r\n"
		"\"r\rs\",z\r\n"
		"last,row\r\n", CSV_ENC_AUTO, &c);
	assert_int_equal(c.nrecords, 5);
	check_record(&c.records[1], 2, 2, "第一行\n第二行", "x");
	check_record(&c.records[2], 4, 2, "p\nq\n", "y");
	check_record(&c.records[3], 7, 2, "r\ns", "z");
	check_record(&c.records[4], 9, 2, "last", "row");
	csv_free(&c);
}

static void
test_bom(void **state)
{
	struct csv c;

	PARSE_OK("\xef\xbb\xbf姓名,学号\r\n张三,2021001\r\n", CSV_ENC_AUTO, &c);
	assert_true(c.had_bom);
	assert_int_equal(c.encoding, CSV_ENC_UTF8);
	assert_string_equal(csv_encoding_name(c.encoding), "UTF-8");
	check_record(&c.records[0], 1, 2, "姓名", "学号");
	check_record(&c.records[1], 2, 2, "张三", "2021001");
	csv_free(&c);

	/* Forced UTF-8 strips it as well. */
	PARSE_OK("\xef\xbb\xbf" "a\n1\n", CSV_ENC_UTF8, &c);
	assert_true(c.had_bom);
	check_record(&c.records[0], 1, 1, "a");
	csv_free(&c);

	/* A BOM cannot be GBK. */
	PARSE_FAIL("\xef\xbb\xbf" "a\n1\n", CSV_ENC_GBK, "文件以 UTF-8 的 BOM 开头，不是 GBK 编码");
}

static void
test_header_trim(void **state)
{
	struct csv c;

	/* Header fields lose BOMs and surrounding spaces (also U+3000); data fields keep them. */
	PARSE_OK(" 姓名 ,\"\xef\xbb\xbf学号\",\xe3\x80\x80院系\t, 专业\n"
		" 张三 ,\" 1 \",\xe3\x80\x80x\t,\n", CSV_ENC_AUTO, &c);
	check_record(&c.records[0], 1, 4, "姓名", "学号", "院系", "专业");
	check_record(&c.records[1], 2, 4, " 张三 ", " 1 ", "\xe3\x80\x80x\t", "");
	csv_free(&c);
}

static void
test_line_ends(void **state)
{
	struct csv c;

	PARSE_OK("h1,h2\r\na,b\r\nc,d\r\n", CSV_ENC_AUTO, &c);
	assert_int_equal(c.nrecords, 3);
	check_record(&c.records[2], 3, 2, "c", "d");
	csv_free(&c);

	PARSE_OK("h1,h2\na,b\nc,d\n", CSV_ENC_AUTO, &c);
	assert_int_equal(c.nrecords, 3);
	check_record(&c.records[2], 3, 2, "c", "d");
	csv_free(&c);

	PARSE_OK("h1,h2\ra,b\rc,d\r", CSV_ENC_AUTO, &c);
	assert_int_equal(c.nrecords, 3);
	check_record(&c.records[1], 2, 2, "a", "b");
	check_record(&c.records[2], 3, 2, "c", "d");
	csv_free(&c);

	/* Mixed, and a trailing comma makes an empty last field. */
	PARSE_OK("h1,h2\ra,\nc,d\r\ne,", CSV_ENC_AUTO, &c);
	assert_int_equal(c.nrecords, 4);
	check_record(&c.records[1], 2, 2, "a", "");
	check_record(&c.records[2], 3, 2, "c", "d");
	check_record(&c.records[3], 4, 2, "e", "");
	csv_free(&c);
}

static void
test_final_line_without_newline(void **state)
{
	struct csv c;

	PARSE_OK("a,b\n1,2", CSV_ENC_AUTO, &c);
	assert_int_equal(c.nrecords, 2);
	check_record(&c.records[1], 2, 2, "1", "2");
	csv_free(&c);

	PARSE_OK("a,b\n1,\"2\"", CSV_ENC_AUTO, &c);
	check_record(&c.records[1], 2, 2, "1", "2");
	csv_free(&c);

	PARSE_OK("a,b\n1,\"\"", CSV_ENC_AUTO, &c);
	check_record(&c.records[1], 2, 2, "1", "");
	csv_free(&c);
}

static void
test_blank_lines(void **state)
{
	struct csv c;

	PARSE_OK("\n\r\n姓名,学号\n\n张三,1\r\n\r\n\r李四,2\n\n\n", CSV_ENC_AUTO, &c);
	assert_int_equal(c.nrecords, 3);
	check_record(&c.records[0], 3, 2, "姓名", "学号");
	check_record(&c.records[1], 5, 2, "张三", "1");
	check_record(&c.records[2], 8, 2, "李四", "2");
	csv_free(&c);

	/* A spreadsheet's empty row is a record, not a blank line; csv_record_blank() tells. */
	PARSE_OK("a,b\n,\n\"\",x\n", CSV_ENC_AUTO, &c);
	assert_int_equal(c.nrecords, 3);
	check_record(&c.records[1], 2, 2, "", "");
	assert_true(csv_record_blank(&c.records[1]));
	assert_false(csv_record_blank(&c.records[2]));
	csv_free(&c);
}

static void
test_unterminated_quote(void **state)
{
	PARSE_FAIL("a,b\n1,2\n3,\"abc\n\ndef\n", CSV_ENC_AUTO, "第 3 行第 2 列：引号没有闭合");
	PARSE_FAIL("\"a", CSV_ENC_AUTO, "第 1 行第 1 列：引号没有闭合");
	/* An escaped quote at the very end does not close it. */
	PARSE_FAIL("a\r\n\r\n\"x\"\"", CSV_ENC_AUTO, "第 3 行第 1 列：引号没有闭合");
}

static void
test_junk_after_quote(void **state)
{
	PARSE_FAIL("a,b,c\n1,\"2\"x,3\n", CSV_ENC_AUTO, "第 2 行第 2 列：引号后有多余字符");
	PARSE_FAIL("a,b,c\n1,\"2\" ,3\n", CSV_ENC_AUTO, "第 2 行第 2 列：引号后有多余字符");
	/* The line is where the junk is, after the quoted line break. */
	PARSE_FAIL("a\n\"x\ny\"z\n", CSV_ENC_AUTO, "第 3 行第 1 列：引号后有多余字符");
}

static void
test_ragged_rows(void **state)
{
	struct csv c;
	struct wq_err err;

	PARSE_OK("a,b,c\n1,2\n1,2,3\n1,2,3,4\n\"x,y\"\n", CSV_ENC_AUTO, &c);
	assert_int_equal(c.nrecords, 5);
	assert_int_equal(c.records[0].nfields, 3);
	check_record(&c.records[1], 2, 2, "1", "2");
	check_record(&c.records[2], 3, 3, "1", "2", "3");
	check_record(&c.records[3], 4, 4, "1", "2", "3", "4");
	check_record(&c.records[4], 5, 1, "x,y");

	assert_false(csv_check_widths(&c, "roster.csv", &err));
	assert_int_equal(err.code, WQ_ERR_INPUT);
	assert_string_equal(err.msg,
		"roster.csv:2: 有 2 列，表头有 3 列\n"
		"roster.csv:4: 有 4 列，表头有 3 列\n"
		"roster.csv:5: 有 1 列，表头有 3 列");
	assert_false(csv_check_widths(&c, NULL, &err));
	assert_string_equal(err.msg,
		"第 2 行：有 2 列，表头有 3 列\n"
		"第 4 行：有 4 列，表头有 3 列\n"
		"第 5 行：有 1 列，表头有 3 列");
	assert_false(csv_check_widths(&c, NULL, NULL));
	csv_free(&c);

	PARSE_OK("a,b\n1,2\n3,4\n", CSV_ENC_AUTO, &c);
	wq_err_clear(&err);
	assert_true(csv_check_widths(&c, "f", &err));
	assert_int_equal(err.code, WQ_ERR_OK);
	assert_string_equal(err.msg, "");
	csv_free(&c);
}

static void
test_ragged_many(void **state)
{
	struct csv c;
	struct wq_err err;
	char *data = xstrdup("a,b\n"), *p;
	const char *last;
	int i;

	for (i = 0; i < 25; i++) {
		p = xasprintf("%s%d\n", data, i);
		free(data);
		data = p;
	}
	parse_ok(data, strlen(data), CSV_ENC_AUTO, &c);
	assert_false(csv_check_widths(&c, "f", &err));
	assert_true(strncmp(err.msg, "f:2: 有 1 列，表头有 2 列\n", strlen("f:2: 有 1 列，表头有 2 列\n")) == 0);
	last = strrchr(err.msg, '\n');
	assert_non_null(last);
	assert_string_equal(last + 1, "……另有 5 行列数与表头不同");
	assert_non_null(strstr(err.msg, "f:21: 有 1 列"));
	assert_null(strstr(err.msg, "f:22:"));
	csv_free(&c);
	free(data);
}

static void
test_gbk_auto(void **state)
{
	struct csv c;

	PARSE_OK(GBK_XINGMING "," GBK_YUANXI "\r\n" GBK_ZHANGSAN "," GBK_JISUANJI "\r\n",
		CSV_ENC_AUTO, &c);
	assert_int_equal(c.encoding, CSV_ENC_GBK);
	assert_string_equal(csv_encoding_name(c.encoding), "GBK");
	assert_false(c.had_bom);
	assert_int_equal(c.nrecords, 2);
	check_record(&c.records[0], 1, 2, "姓名", "院系");
	check_record(&c.records[1], 2, 2, "张三", "计算机学院");
	csv_free(&c);
}

static void
test_gbk_forced(void **state)
{
	struct csv c;

	/* Quoted GBK with a comma and a line break inside. */
	PARSE_OK("a,b\n\"" GBK_ZHANGSAN ",\n" GBK_ZHANGSAN "\"," GBK_JISUANJI "\n",
		CSV_ENC_GBK, &c);
	assert_int_equal(c.encoding, CSV_ENC_GBK);
	check_record(&c.records[1], 2, 2, "张三,\n张三", "计算机学院");
	csv_free(&c);

	/* Pure ASCII forced to GBK is still reported as GBK. */
	PARSE_OK("a\n1\n", CSV_ENC_GBK, &c);
	assert_int_equal(c.encoding, CSV_ENC_GBK);
	check_record(&c.records[1], 2, 1, "1");
	csv_free(&c);

	/* GB18030 four-byte sequences decode too (0x81308130 is U+0080). */
	PARSE_OK("a\n\x81\x30\x81\x30\n", CSV_ENC_GBK, &c);
	check_record(&c.records[1], 2, 1, "\xc2\x80");
	csv_free(&c);
}

static void
test_gbk_euro(void **state)
{
	struct csv c;

	/* A lone 0x80 is CP936's euro sign, anywhere; as a trail byte (0x81 0x80) it is not. */
	PARSE_OK("a,b\n\x80" "100," GBK_ZHANGSAN "\x80\n\x80,\x81\x80\n", CSV_ENC_AUTO, &c);
	assert_int_equal(c.encoding, CSV_ENC_GBK);
	check_record(&c.records[1], 2, 2, "€100", "张三€");
	check_record(&c.records[2], 3, 2, "€", "\xe4\xba\x90");
	csv_free(&c);

	PARSE_OK("\x80\x80", CSV_ENC_GBK, &c);
	check_record(&c.records[0], 1, 1, "€€");
	csv_free(&c);
}

static void
test_gbk_invalid(void **state)
{
	PARSE_FAIL("a,b\r\n" GBK_ZHANGSAN ",1\r\n\r\n\"x\ny\",\xff\r\n", CSV_ENC_AUTO,
		"第 5 行：不是有效的 GBK 编码（字节 0xFF）");
	PARSE_FAIL("a,b\r\n" GBK_ZHANGSAN ",1\r\n\xff\r\n", CSV_ENC_GBK,
		"第 3 行：不是有效的 GBK 编码（字节 0xFF）");
	/* A lead byte followed by a line end, and one cut off at the end of the file. */
	PARSE_FAIL("a\r" GBK_ZHANGSAN "\r\xd5\n", CSV_ENC_GBK,
		"第 3 行：不是有效的 GBK 编码（字节 0xD5）");
	PARSE_FAIL("a\n" GBK_ZHANGSAN "\xd5", CSV_ENC_GBK,
		"第 2 行：不是有效的 GBK 编码（字节 0xD5）");
	/* Past a euro sign the line still counts right. */
	PARSE_FAIL("\x80\n\x80\n\xff", CSV_ENC_GBK, "第 3 行：不是有效的 GBK 编码（字节 0xFF）");
}

static void
test_utf8_invalid(void **state)
{
	PARSE_FAIL("姓名\n张三\n\n李\xe5\x9b\n", CSV_ENC_UTF8, "第 4 行：不是有效的 UTF-8 编码（字节 0xE5）");
	PARSE_FAIL("a\r\nb\r\xc0\xaf\r\n", CSV_ENC_UTF8, "第 3 行：不是有效的 UTF-8 编码（字节 0xC0）");
	/* Valid GBK is not valid UTF-8. */
	PARSE_FAIL("a\n" GBK_ZHANGSAN "\n", CSV_ENC_UTF8, "第 2 行：不是有效的 UTF-8 编码（字节 0xD5）");
	/* A BOM means UTF-8, so the rest must be UTF-8. */
	PARSE_FAIL("\xef\xbb\xbf" "a\n\xff\n", CSV_ENC_AUTO, "第 2 行：不是有效的 UTF-8 编码（字节 0xFF）");
}

static void
test_auto_damaged_utf8(void **state)
{
	struct csv c;

	/* Mostly UTF-8 Chinese with one bad byte: reported as bad UTF-8, not read as GBK. */
	PARSE_FAIL("姓名,院系,专业\n张三,计算机学院,软件工程\n李四,外国语学院,日\xe8\xaf\n",
		CSV_ENC_AUTO, "第 3 行：不是有效的 UTF-8 编码（字节 0xE8）");
	/* The same bytes with little UTF-8 around them are read as GBK (e8af is 璇). */
	PARSE_OK("a\n\xe8\xaf\n", CSV_ENC_AUTO, &c);
	assert_int_equal(c.encoding, CSV_ENC_GBK);
	check_record(&c.records[1], 2, 1, "璇");
	csv_free(&c);
}

static void
test_not_csv(void **state)
{
	PARSE_FAIL("\xff\xfe" "a\0,\0b\0", CSV_ENC_AUTO,
		"文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”");
	PARSE_FAIL("PK\x03\x04\x14\0\x06\0", CSV_ENC_AUTO,
		"这是 Excel 工作簿（.xlsx），不是 CSV 文件：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”");
	PARSE_FAIL("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", CSV_ENC_GBK,
		"这是 Excel 工作簿（.xls），不是 CSV 文件：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”");
	PARSE_FAIL("a,b\n1,2\n3\0,4\n", CSV_ENC_AUTO, "第 3 行：含有空字节（0x00），不像是 CSV 文本文件");
}

static void
test_empty(void **state)
{
	struct csv c;
	struct wq_err err;

	PARSE_FAIL("", CSV_ENC_AUTO, "文件为空");
	PARSE_FAIL("", CSV_ENC_GBK, "文件为空");
	PARSE_FAIL("\xef\xbb\xbf", CSV_ENC_AUTO, "文件为空");
	PARSE_FAIL("\n\r\n\r\r\n", CSV_ENC_AUTO, "文件为空");
	PARSE_FAIL("\xef\xbb\xbf\r\n\r\n", CSV_ENC_UTF8, "文件为空");
	assert_false(csv_parse(NULL, 0, CSV_ENC_AUTO, &c, &err));
	assert_string_equal(err.msg, "文件为空");
	/* err may be NULL. */
	assert_false(csv_parse("", 0, CSV_ENC_AUTO, &c, NULL));
}

static void
test_header_only(void **state)
{
	struct csv c;
	struct wq_err err;

	PARSE_OK("姓名,学号\r\n", CSV_ENC_AUTO, &c);
	assert_int_equal(c.nrecords, 1);
	assert_int_equal(csv_nrows(&c), 0);
	check_record(&c.records[0], 1, 2, "姓名", "学号");
	assert_true(csv_check_widths(&c, "f", &err));
	csv_free(&c);
	assert_int_equal(csv_nrows(&c), 0);

	PARSE_OK("x", CSV_ENC_AUTO, &c);
	check_record(&c.records[0], 1, 1, "x");
	csv_free(&c);
}

/* Appends one roster-like row of 19 fields (some quoted) for row i. */
static size_t
big_row(char *p, int i)
{
	return (size_t)sprintf(p,
		"%012d,张三%d,男,11010519491231002X,汉族,共青团员,2001-01-01,某某大学,"
		"计算机学院,本科,\"软件工程,嵌入式\",非定向,北京市,2021%06d,4,2021-09-01,"
		"2025-06-30,1380013%04d,\"s%d@example.edu.cn\"\r\n",
		i, i, i, i % 10000, i);
}

static void
test_big(void **state)
{
	enum { ROWS = 100000 };
	struct csv c;
	char *data = xmalloc((size_t)ROWS * 400 + 1024), *p = data;
	const struct csv_record *r;
	int i;

	p += sprintf(p, "考生号,姓名,性别,身份证号,民族,政治面貌,出生日期,毕业院校,院系,学历层次,"
		"专业,培养方式,生源所在地,学号,学制,入学时间,毕业时间,手机号码,电子邮箱\r\n");
	for (i = 0; i < ROWS; i++)
		p += big_row(p, i);
	parse_ok(data, (size_t)(p - data), CSV_ENC_AUTO, &c);
	assert_int_equal(c.encoding, CSV_ENC_UTF8);
	assert_int_equal(c.nrecords, ROWS + 1);
	assert_int_equal(c.records[0].nfields, 19);
	assert_string_equal(c.records[0].fields[18], "电子邮箱");
	assert_true(csv_check_widths(&c, "big", NULL));
	r = &c.records[ROWS];
	assert_int_equal(r->line, ROWS + 1);
	assert_int_equal(r->nfields, 19);
	assert_string_equal(r->fields[0], "000000099999");
	assert_string_equal(r->fields[1], "张三99999");
	assert_string_equal(r->fields[10], "软件工程,嵌入式");
	assert_string_equal(r->fields[13], "2021099999");
	assert_string_equal(r->fields[18], "s99999@example.edu.cn");
	check_record(&c.records[5000], 5001, 19, "000000004999", "张三4999", "男",
		"11010519491231002X", "汉族", "共青团员", "2001-01-01", "某某大学", "计算机学院",
		"本科", "软件工程,嵌入式", "非定向", "北京市", "2021004999", "4", "2021-09-01",
		"2025-06-30", "13800134999", "s4999@example.edu.cn");
	csv_free(&c);
	free(data);
}

static void
test_big_gbk(void **state)
{
	enum { ROWS = 100000 };
	static const char row[] = GBK_ZHANGSAN ",\"" GBK_JISUANJI ",\x80\",1\r\n";
	struct csv c;
	char *data = xmalloc(ROWS * (sizeof(row) - 1) + 64), *p = data;
	int i;

	p += sprintf(p, "a,b,c\r\n");
	for (i = 0; i < ROWS; i++) {
		memcpy(p, row, sizeof(row) - 1);
		p += sizeof(row) - 1;
	}
	parse_ok(data, (size_t)(p - data), CSV_ENC_AUTO, &c);
	assert_int_equal(c.encoding, CSV_ENC_GBK);
	assert_int_equal(c.nrecords, ROWS + 1);
	check_record(&c.records[ROWS], ROWS + 1, 3, "张三", "计算机学院,€", "1");
	csv_free(&c);
	free(data);
}

static void
test_read_file(void **state)
{
	struct csv c;
	struct wq_err err;

	assert_true(csv_read_file(FX("csv_gbk.csv"), CSV_ENC_AUTO, &c, &err));
	assert_int_equal(c.encoding, CSV_ENC_GBK);
	assert_int_equal(c.nrecords, 3);
	check_record(&c.records[0], 1, 2, "姓名", "院系");
	check_record(&c.records[1], 2, 2, "张三", "计算机学院");
	check_record(&c.records[2], 3, 2, "李四", "外国语学院,日语系");
	csv_free(&c);

	assert_true(csv_read_file(FX("csv_bom.csv"), CSV_ENC_AUTO, &c, &err));
	assert_int_equal(c.encoding, CSV_ENC_UTF8);
	assert_true(c.had_bom);
	check_record(&c.records[0], 1, 2, "姓名", "学号");
	check_record(&c.records[1], 2, 2, "张三", "2021001");
	check_record(&c.records[2], 3, 2, "李四", "20\"21\n002");
	assert_int_equal(c.nrecords, 3);
	csv_free(&c);

	/* Every message names the file. */
	assert_false(csv_read_file(FX("csv_unterminated.csv"), CSV_ENC_AUTO, &c, &err));
	assert_int_equal(err.code, WQ_ERR_INPUT);
	assert_string_equal(err.msg, FX("csv_unterminated.csv") ": 第 2 行第 2 列：引号没有闭合");
	assert_null(c.records);

	assert_false(csv_read_file(FX("csv_gbk.csv"), CSV_ENC_UTF8, &c, &err));
	assert_string_equal(err.msg, FX("csv_gbk.csv") ": 第 1 行：不是有效的 UTF-8 编码（字节 0xD0）");

	assert_false(csv_read_file(FX("csv_no_such_file.csv"), CSV_ENC_AUTO, &c, &err));
	assert_int_equal(err.code, WQ_ERR_IO);
	assert_string_equal(err.msg, FX("csv_no_such_file.csv") ": 无法读取文件：文件或目录不存在");

	assert_false(csv_read_file(FIXTURESDIR, CSV_ENC_AUTO, &c, &err));
	assert_int_equal(err.code, WQ_ERR_IO);
	assert_string_equal(err.msg, FIXTURESDIR ": 是目录，不是 CSV 文件");

	assert_false(csv_read_file("/dev/null", CSV_ENC_AUTO, &c, &err));
	assert_int_equal(err.code, WQ_ERR_INPUT);
	assert_string_equal(err.msg, "/dev/null: 文件为空");
}

/* What csv_write_field(s) writes. */
static char *
written(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	csv_write_field(f, s);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
check_written(const char *s, const char *want)
{
	char *got = written(s);

	assert_string_equal(got, want);
	free(got);
}

static void
test_write_field(void **state)
{
	check_written("张三", "张三");
	check_written("", "");
	check_written(NULL, "");
	check_written("a,b", "\"a,b\"");
	check_written("他说\"好\"", "\"他说\"\"好\"\"\"");
	check_written("\"", "\"\"\"\"");
	check_written("a\nb", "\"a\nb\"");
	check_written("a\rb", "\"a\rb\"");
	check_written(" a", "\" a\"");
	check_written("a ", "\"a \"");
	check_written("\ta", "\"\ta\"");
	check_written("a b", "a b");
	check_written("5\"3", "\"5\"\"3\"");
	check_written("=1+1", "=1+1");   /* defanging formulas is the exporter's job */
}

static void
test_write_roundtrip(void **state)
{
	static const char *const header[] = { "姓名", "备注", "空", "引号" };
	static const char *const row[] = { " 张三 ", "第一行\n第二行,逗号", "", "\"x\"" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct csv c;
	int i;

	assert_non_null(f);
	csv_write_bom(f);
	csv_write_record(f, header, 4);
	csv_write_record(f, row, 4);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "\xef\xbb\xbf姓名,备注,空,引号\r\n"
		"\" 张三 \",\"第一行\n第二行,逗号\",,\"\"\"x\"\"\"\r\n");

	parse_ok(buf, len, CSV_ENC_AUTO, &c);
	assert_true(c.had_bom);
	assert_int_equal(c.nrecords, 2);
	for (i = 0; i < 4; i++) {
		assert_string_equal(c.records[0].fields[i], header[i]);
		assert_string_equal(c.records[1].fields[i], row[i]);
	}
	csv_free(&c);
	free(buf);
}

static void
test_encoding_names(void **state)
{
	enum csv_encoding e = CSV_ENC_UTF8;

	assert_string_equal(csv_encoding_name(CSV_ENC_AUTO), "自动");
	assert_string_equal(csv_encoding_name(CSV_ENC_UTF8), "UTF-8");
	assert_string_equal(csv_encoding_name(CSV_ENC_GBK), "GBK");
	assert_true(csv_encoding_from_name("GBK", &e));
	assert_int_equal(e, CSV_ENC_GBK);
	assert_true(csv_encoding_from_name("utf8", &e));
	assert_int_equal(e, CSV_ENC_UTF8);
	assert_true(csv_encoding_from_name("Auto", &e));
	assert_int_equal(e, CSV_ENC_AUTO);
	assert_true(csv_encoding_from_name("cp936", &e));
	assert_int_equal(e, CSV_ENC_GBK);
	assert_false(csv_encoding_from_name("latin1", &e));
	assert_false(csv_encoding_from_name(NULL, &e));
	assert_int_equal(e, CSV_ENC_GBK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoted_commas),
		cmocka_unit_test(test_doubled_quotes),
		cmocka_unit_test(test_quote_in_unquoted_field),
		cmocka_unit_test(test_embedded_newlines),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_header_trim),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_final_line_without_newline),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_junk_after_quote),
		cmocka_unit_test(test_ragged_rows),
		cmocka_unit_test(test_ragged_many),
		cmocka_unit_test(test_gbk_auto),
		cmocka_unit_test(test_gbk_forced),
		cmocka_unit_test(test_gbk_euro),
		cmocka_unit_test(test_gbk_invalid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_auto_damaged_utf8),
		cmocka_unit_test(test_not_csv),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_big_gbk),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_write_field),
		cmocka_unit_test(test_write_roundtrip),
		cmocka_unit_test(test_encoding_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
