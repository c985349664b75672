/*
 * test_agreement_pdf.c: unit tests for src/agreement_pdf.c.
 *
 * The PDF is read back with poppler's pdftotext (poppler-utils, installed by
 * ./dev): every value and label must come out as text.  A missing pdftotext
 * fails the tests; nothing is skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agreement_pdf.h"
#include "unittest.h"
#include "util.h"

#define PROTOCOL_NO "XY2026110300123"

/* The per-test scratch directory. */
static char tmpdir[PATH_MAX];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_agreement_pdf.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	remove_tree(tmpdir);
	return 0;
}

static const char *const two_reviews[] = {
	"2026-11-28 09:15 学生 张三：提交就业协议",
	"2026-11-30 10:02 计算机学院 李四：审核通过",
};

/* A document with every field filled, each value distinct. */
static struct agreement_doc
full_doc(void)
{
	struct agreement_doc d = {
		.protocol_no = PROTOCOL_NO,
		.verb = "审核",
		.title = "全国普通高等学校毕业生就业协议书",
		.name = "张三",
		.sex = "男",
		.student_no = "2022011234",
		.id_number = "11010519491231002X",
		.school_name = "北京示例大学",
		.dept = "计算机学院",
		.major = "软件工程",
		.level = "本科",
		.training_mode = "非定向",
		.mobile = "13800138000",
		.email = "zhangsan@example.edu.cn",
		.employer_name = "示例科技股份有限公司",
		.uscc = "91330106MA2B3C4D5E",
		.nature = "民营企业",
		.industry = "软件和信息技术服务业",
		.location = "浙江省杭州市",
		.contact_name = "王经理",
		.contact_phone = "0571-88886666",
		.position_category = "软件开发人员",
		.position = "后端开发工程师",
		.work_location = "杭州市西湖区",
		.salary = "12000元",
		.archive_unit = "杭州市人才服务中心",
		.archive_address = "杭州市文三路100号",
		.archive_postcode = "310012",
		.hukou_unit = "杭州市公安局西湖分局",
		.hukou_address = "杭州市西湖区集体户口",
		.handler = "赵老师",
		.phone = "010-62780000",
		.address = "北京市海淀区示例路1号",
		.postcode = "100084",
		.review_lines = two_reviews,
		.n_review_lines = 2,
	};

	return d;
}

/* Every value of full_doc() (the review lines apart). */
static const char *const *
full_values(void)
{
	static const char *const v[] = {
		PROTOCOL_NO, "全国普通高等学校毕业生就业协议书", "张三", "男", "2022011234",
		"11010519491231002X", "北京示例大学", "计算机学院", "软件工程", "本科", "非定向",
		"13800138000", "zhangsan@example.edu.cn", "示例科技股份有限公司",
		"91330106MA2B3C4D5E", "民营企业", "软件和信息技术服务业", "浙江省杭州市", "王经理",
		"0571-88886666", "软件开发人员", "后端开发工程师", "杭州市西湖区", "12000元",
		"杭州市人才服务中心", "杭州市文三路100号", "310012", "杭州市公安局西湖分局",
		"杭州市西湖区集体户口", "赵老师", "010-62780000", "北京市海淀区示例路1号", "100084",
		NULL,
	};

	return v;
}

static const char *const labels[] = {
	"学生信息", "用人单位信息", "协议内容", "学校信息",
	"协议书编号", "姓名", "性别", "学号", "身份证号", "学校名称", "院系", "专业", "学历层次",
	"培养方式", "手机号码", "电子邮箱", "单位名称", "统一社会信用代码", "单位性质",
	"单位行业", "单位所在地", "联系人", "联系电话", "工作职位类别", "岗位名称", "工作地点",
	"月薪", "档案转寄单位", "档案转寄地址", "档案邮政编码", "户口迁移单位", "户口迁移地址",
	"就业协议经办人", "学校通讯地址", "邮政编码",
};

/* ---- reading the PDF back ---- */

/* pdftotext -layout of path (the caller frees it); fails the test when pdftotext fails. */
static char *
pdf_text(const char *path)
{
	char *cmd = xasprintf("pdftotext -layout '%s' - 2>&1", path);
	FILE *p = popen(cmd, "r");
	char *out = NULL;
	size_t len = 0, cap = 0;
	int c, status;

	if (!p)
		fail_msg("cannot run %s", cmd);
	while ((c = fgetc(p)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 4096;
			out = xrealloc(out, cap);
		}
		out[len++] = (char)c;
	}
	status = pclose(p);
	if (!out)
		out = xstrdup("");
	else
		out[len] = '\0';
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("%s failed (status %d; is poppler-utils installed?): %s", cmd, status, out);
	free(cmd);
	return out;
}

/* s without any space, tab, line end or form feed (pdftotext spaces columns out). */
static char *
squeeze(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != '\f')
			*o++ = *s;
	*o = '\0';
	return out;
}

/* Asserts the squeezed text holds want (squeezed too). */
static void
has(const char *text, const char *want)
{
	char *t = squeeze(text), *w = squeeze(want);

	if (!strstr(t, w))
		fail_msg("\"%s\" not in the PDF's text:\n%s", want, text);
	free(t);
	free(w);
}

static void
lacks(const char *text, const char *unwanted)
{
	char *t = squeeze(text), *w = squeeze(unwanted);

	if (strstr(t, w))
		fail_msg("\"%s\" unexpectedly in the PDF's text:\n%s", unwanted, text);
	free(t);
	free(w);
}

/* text without the footer lines (协议书编号 … 第 N 页，共 M 页), so a page break joins up. */
static char *
without_footers(const char *text)
{
	char *out = xmalloc(strlen(text) + 1), *o = out;
	const char *line = text;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) + 1 : strlen(line);
		char *copy = xstrndup(line, n);

		if (!strstr(copy, "页，共")) {
			memcpy(o, line, n);
			o += n;
		}
		free(copy);
		line += n;
	}
	*o = '\0';
	return out;
}

/* Pages in pdftotext's output (each page ends with a form feed). */
static int
page_count(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\f';
	return n;
}

/* Writes d to tmpdir/name and returns its text (the caller frees it). */
static char *
write_and_read(const struct agreement_doc *d, const char *name)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	struct wq_err err;
	char *text;

	wq_err_clear(&err);
	if (!agreement_pdf_write(d, path, &err))
		fail_msg("writing %s: %s", path, err.msg);
	assert_int_equal(err.code, WQ_ERR_OK);
	text = pdf_text(path);
	free(path);
	return text;
}

/* Entries in tmpdir. */
static int
dir_count(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* ---- tests ---- */

/* Every value and every label of a full document, on one A4 page. */
static void
test_full_doc(void **state)
{
	struct agreement_doc d = full_doc();
	const char *const *v;
	char *text, *path;
	size_t i;
	FILE *f;
	char magic[6] = "";

	(void)state;
	text = write_and_read(&d, "agreement.pdf");
	for (v = full_values(); *v; v++)
		has(text, *v);
	for (i = 0; i < ARRAY_SIZE(labels); i++)
		has(text, labels[i]);
	has(text, "审核记录");
	for (i = 0; i < ARRAY_SIZE(two_reviews); i++)
		has(text, two_reviews[i]);
	has(text, "第 1 页，共 1 页");
	assert_int_equal(page_count(text), 1);
	free(text);

	/* a PDF, and no temporary file left beside it */
	path = xasprintf("%s/agreement.pdf", tmpdir);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, 5, f), 5);
	fclose(f);
	assert_string_equal(magic, "%PDF-");
	assert_int_equal(dir_count(), 1);
	free(path);
}

/* A long review record goes on to more pages, each line whole and in order. */
static void
test_long_review(void **state)
{
	enum { N = 120 };
	struct agreement_doc d = full_doc();
	char *lines[N];
	char *text, *sq, *prev;
	int i;

	(void)state;
	for (i = 0; i < N; i++)
		lines[i] = xasprintf("2026-11-%02d 10:%02d 计算机学院 李四：第%03d条审核意见，"
			"材料齐全，同意", 1 + i % 28, i % 60, i);
	d.review_lines = (const char *const *)lines;
	d.n_review_lines = N;
	text = write_and_read(&d, "long.pdf");
	assert_true(page_count(text) >= 2);
	has(text, "第 2 页");
	has(text, "审核记录");
	sq = squeeze(text);
	prev = sq;
	for (i = 0; i < N; i++) {
		char *w = squeeze(lines[i]);
		char *at = strstr(prev, w);

		if (!at)
			fail_msg("review line %d \"%s\" missing or out of order:\n%s", i, lines[i], text);
		prev = at + strlen(w);
		free(w);
		free(lines[i]);
	}
	/* every value of the first page is still there */
	for (i = 0; full_values()[i]; i++)
		has(text, full_values()[i]);
	free(sq);
	free(text);
}

/* 鉴证 (两方协议) and 审核 (三方协议) name the record; anything else is 审核. */
static void
test_verb(void **state)
{
	struct agreement_doc d = full_doc();
	char *text;

	(void)state;
	d.verb = "鉴证";
	text = write_and_read(&d, "two-party.pdf");
	has(text, "鉴证记录");
	lacks(text, "审核记录");
	free(text);

	d.verb = "审核";
	text = write_and_read(&d, "three-party.pdf");
	has(text, "审核记录");
	lacks(text, "鉴证记录");
	free(text);

	d.verb = NULL;
	d.n_review_lines = 0;
	text = write_and_read(&d, "no-verb.pdf");
	has(text, "审核记录");
	has(text, "暂无记录");
	free(text);
}

static void
test_qr_payload(void **state)
{
	char buf[64], small[4];

	(void)state;
	assert_string_equal(agreement_qr_payload(PROTOCOL_NO, buf, sizeof(buf)), PROTOCOL_NO);
	assert_ptr_equal(agreement_qr_payload(PROTOCOL_NO, buf, sizeof(buf)), buf);
	assert_string_equal(agreement_qr_payload(NULL, buf, sizeof(buf)), "");
	assert_string_equal(agreement_qr_payload("XY\x01" "20\x7f" "26\n", buf, sizeof(buf)), "XY2026");
	/* too small: cut before a whole character, never inside one */
	assert_string_equal(agreement_qr_payload("XY2026", small, sizeof(small)), "XY2");
	assert_string_equal(agreement_qr_payload("协议", small, sizeof(small)), "协");
	assert_string_equal(agreement_qr_payload("X协议", small, sizeof(small)), "X");
	assert_string_equal(agreement_qr_payload(PROTOCOL_NO, NULL, 0), "");
}

/* A folder that does not exist: a Chinese message with the path and the cause, no file. */
static void
test_missing_folder(void **state)
{
	struct agreement_doc d = full_doc();
	char *path = xasprintf("%s/no-such-folder/agreement.pdf", tmpdir);
	struct wq_err err;

	(void)state;
	wq_err_clear(&err);
	assert_false(agreement_pdf_write(&d, path, &err));
	assert_int_equal(err.code, WQ_ERR_IO);
	if (!strstr(err.msg, path) || !strstr(err.msg, "文件或目录不存在"))
		fail_msg("message: %s", err.msg);
	assert_true(wq_text_is_chinese(strstr(err.msg, ": ") + 2));
	assert_int_equal(access(path, F_OK), -1);
	assert_false(agreement_pdf_write(&d, path, NULL));
	free(path);
}

static void
test_bad_arguments(void **state)
{
	struct agreement_doc d = full_doc();
	struct wq_err err;

	(void)state;
	wq_err_clear(&err);
	assert_false(agreement_pdf_write(NULL, "/tmp/x.pdf", &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	assert_true(wq_text_is_chinese(err.msg));
	assert_false(agreement_pdf_write(&d, "", &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	assert_false(agreement_pdf_write(&d, NULL, &err));
}

/* Control and bidi characters are dropped; bad bytes become U+FFFD; nothing else changes. */
static void
test_control_chars_dropped(void **state)
{
	struct agreement_doc d = full_doc();
	char *text;

	(void)state;
	d.name = "张\x01三\x7f";
	d.employer_name = "示例\xe2\x80\xae科技\x1b[31m有限公司";   /* RLO, an escape sequence */
	d.position = "后端\xc2\x85开发\t工程师\n";                   /* NEL (C1), TAB, LF */
	d.major = "软件\xff工程";
	text = write_and_read(&d, "controls.pdf");
	has(text, "张三");
	has(text, "示例科技[31m有限公司");
	has(text, "后端开发工程师");
	has(text, "软件\xef\xbf\xbd工程");
	assert_null(strchr(text, '\x01'));
	assert_null(strchr(text, '\x1b'));
	assert_null(strchr(text, '\x7f'));
	assert_null(strstr(text, "\xe2\x80\xae"));
	free(text);
}

/* Long values wrap inside their column and are printed whole. */
static void
test_wrapping(void **state)
{
	struct agreement_doc d = full_doc();
	char *long_name = NULL, *text;
	int i;

	(void)state;
	long_name = xstrdup("");
	for (i = 0; i < 12; i++) {
		char *next = xasprintf("%s第%02d分公司", long_name, i);

		free(long_name);
		long_name = next;
	}
	d.employer_name = long_name;          /* a whole row, wider than the page */
	d.hukou_address = "浙江省杭州市西湖区文三路一百号示例科技股份有限公司集体户口"
		"（由单位统一办理迁移手续，请于报到后三十日内持报到证办理）";
	text = write_and_read(&d, "wrapped.pdf");
	has(text, long_name);
	has(text, d.hukou_address);
	free(text);
	free(long_name);
}

/* A value taller than a page goes on over the page break, every piece of it printed in order. */
static void
test_value_longer_than_a_page(void **state)
{
	enum { N = 700 };
	struct agreement_doc d = full_doc();
	char *value = xstrdup(""), *text, *body, *sq, *prev;
	int i;

	(void)state;
	for (i = 0; i < N; i++) {
		char *next = xasprintf("%s迁移说明第%03d段。", value, i);

		free(value);
		value = next;
	}
	d.hukou_address = value;
	d.archive_address = value;            /* a half-width one too */
	text = write_and_read(&d, "tall.pdf");
	assert_true(page_count(text) >= 3);
	body = without_footers(text);
	sq = squeeze(body);
	free(body);
	prev = sq;
	for (i = 0; i < N; i++) {
		char *piece = xasprintf("第%03d段。", i);
		char *at = strstr(prev, piece);

		if (!at)
			fail_msg("piece %d missing or out of order", i);
		prev = at + strlen(piece);
		free(piece);
	}
	has(text, "审核记录");
	has(text, two_reviews[1]);
	free(sq);
	free(text);
	free(value);
}

/* An empty document still has every label; an existing file is replaced whole. */
static void
test_empty_doc_replaces(void **state)
{
	struct agreement_doc empty;
	struct agreement_doc d = full_doc();
	char *text;
	size_t i;

	(void)state;
	memset(&empty, 0, sizeof(empty));
	text = write_and_read(&d, "same.pdf");
	has(text, "张三");
	free(text);
	text = write_and_read(&empty, "same.pdf");
	for (i = 0; i < ARRAY_SIZE(labels); i++)
		has(text, labels[i]);
	lacks(text, "张三");
	assert_int_equal(page_count(text), 1);
	free(text);
	assert_int_equal(dir_count(), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_doc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_review, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verb, setup, teardown),
		cmocka_unit_test(test_qr_payload),
		cmocka_unit_test_setup_teardown(test_missing_folder, setup, teardown),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test_setup_teardown(test_control_chars_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_longer_than_a_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_doc_replaces, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
