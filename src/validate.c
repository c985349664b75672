/*
 * validate.c: one roster row, checked and normalised.
 *
 * Each field is trimmed, then checked on its own (a required field that is
 * empty gets "不能为空" and nothing else); then the fields that depend on
 * each other are compared, but only when both sides are valid: 身份证号
 * against 出生日期 and 性别, 毕业时间 against 入学时间.  Check digits and
 * the formats of dates and mobile numbers come from check.c; the code
 * tables from codes.c.  Messages never repeat the column name (the caller
 * prints it) and quote the user's text through quoted(), which escapes
 * control characters and bad bytes and shortens long values.
 */
#include "validate.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "check.h"
#include "str.h"
#include "util.h"

#define NAME_MAX_CHARS 50
#define TEXT_MAX_CHARS 100
#define STUDENT_NO_MAX 32
#define EXAM_NO_MAX 32
#define EMAIL_MAX 254
#define QUOTE_MAX 40

static const char SPREADSHEET_SCI[] =
	"可能被电子表格改写为科学计数法，请把该列设为文本格式后重新录入";

/* What validate_row works with. */
struct vctx {
	const struct codes *codes;
	struct roster_row *out;
	struct validate_problems *problems;
	bool ok[RF_COUNT];  /* present (non-empty) and valid */
};

/* ---- small text helpers ---- */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}


/* Bytes of the white space character (ASCII, U+3000, U+00A0) at p, or 0. */
static size_t
space_at(const char *p)
{
	unsigned char c = (unsigned char)p[0];

	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return 1;
	if (c == 0xE3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80)
		return 3;
	if (c == 0xC2 && (unsigned char)p[1] == 0xA0)
		return 2;
	return 0;
}

/* Bytes of the white space character that ends s[0..end), or 0. */
static size_t
space_before(const char *s, size_t end)
{
	if (end >= 1 && space_at(s + end - 1) == 1)
		return 1;
	if (end >= 2 && space_at(s + end - 2) == 2)
		return 2;
	if (end >= 3 && space_at(s + end - 3) == 3)
		return 3;
	return 0;
}

/* True for a character that is never visible: controls, format characters, line separators. */
static bool
is_invisible(unsigned int cp)
{
	utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);

	return cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF
		|| cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

/*
 * A copy of s fit to quote in a message: at most QUOTE_MAX characters (then
 * "…"); invalid bytes become "\xNN", invisible characters "\uNNNN".
 */
static char *
quoted(const char *s)
{
	size_t len = strlen(s);
	char *out = xmalloc(QUOTE_MAX * 10 + 8);
	size_t o = 0;
	size_t n = 0;
	unsigned int cp;

	while (len > 0) {
		int k = str_utf8_decode(s, len, &cp);

		if (n == QUOTE_MAX) {
			memcpy(out + o, "…", strlen("…"));
			o += strlen("…");
			break;
		}
		if (cp == (unsigned int)-1)
			o += (size_t)sprintf(out + o, "\\x%02x", (unsigned int)(unsigned char)*s);
		else if (is_invisible(cp))
			o += (size_t)sprintf(out + o, "\\u%04x", cp);
		else {
			memcpy(out + o, s, (size_t)k);
			o += (size_t)k;
		}
		s += k;
		len -= (size_t)k;
		n++;
	}
	out[o] = '\0';
	return out;
}


/* ---- problems ---- */

static void problem(struct vctx *c, enum roster_field f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records one problem of field f; the field is no longer valid. */
static void
problem(struct vctx *c, enum roster_field f, const char *fmt, ...)
{
	struct validate_problems *p = c->problems;
	va_list ap;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->items = xrealloc(p->items, p->cap * sizeof(*p->items));
	}
	va_start(ap, fmt);
	p->items[p->n].field = f;
	p->items[p->n].msg = xvasprintf(fmt, ap);
	va_end(ap);
	p->n++;
	c->ok[f] = false;
}

/* Sorts the problems by field, keeping the order within a field (insertion sort: few items). */
static void
sort_problems(struct validate_problems *p)
{
	size_t i, j;

	for (i = 1; i < p->n; i++) {
		struct validate_problem item = p->items[i];

		for (j = i; j > 0 && p->items[j - 1].field > item.field; j--)
			p->items[j] = p->items[j - 1];
		p->items[j] = item;
	}
}

/* Replaces the value of field f with v (owned now). */
static void
set_value(struct vctx *c, enum roster_field f, char *v)
{
	free(c->out->value[f]);
	c->out->value[f] = v;
}

/*
 * Free text: valid UTF-8, nothing invisible, at most max characters.
 * Reports the first problem of the text.
 */
static bool
check_text(struct vctx *c, enum roster_field f, const char *s, size_t max)
{
	size_t len = strlen(s);
	size_t pos = 0;
	size_t n = 0;
	unsigned int cp;

	while (pos < len) {
		int k = str_utf8_decode(s + pos, len - pos, &cp);

		n++;
		if (cp == (unsigned int)-1) {
			problem(c, f, "第 %zu 个字符不是有效的 UTF-8 文字（字节 0x%02X），请检查文件编码",
				n, (unsigned int)(unsigned char)s[pos]);
			return false;
		}
		if (is_invisible(cp)) {
			problem(c, f, "第 %zu 个字符是不可见的控制字符 U+%04X，请删去", n, cp);
			return false;
		}
		if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
			problem(c, f, "第 %zu 个字符 U+%04X 是 Unicode 非字符，不是文字，请删去", n, cp);
			return false;
		}
		pos += (size_t)k;
	}
	if (n > max) {
		problem(c, f, "不能超过 %zu 个字符，实际为 %zu 个", max, n);
		return false;
	}
	return true;
}

/* ---- fields ---- */

/* True for the characters that are written instead of the middle dot · in names. */
static bool
is_dot_variant(unsigned int cp)
{
	switch (cp) {
	case 0x0387:  /* GREEK ANO TELEIA (canonically ·) */
	case 0x2022:  /* BULLET */
	case 0x2027:  /* HYPHENATION POINT */
	case 0x2219:  /* BULLET OPERATOR */
	case 0x22C5:  /* DOT OPERATOR */
	case 0x30FB:  /* KATAKANA MIDDLE DOT */
	case 0xFF0E:  /* FULLWIDTH FULL STOP */
	case 0xFF65:  /* HALFWIDTH KATAKANA MIDDLE DOT */
		return true;
	default:
		return false;
	}
}

/* 姓名: free text of at most NAME_MAX_CHARS; dot look-alikes become U+00B7. */
static void
v_name(struct vctx *c, enum roster_field f, const char *s)
{
	size_t len = strlen(s);
	char *out = xmalloc(len + 1);  /* · (2 bytes) replaces 2 or 3 bytes */
	size_t pos = 0, o = 0;
	unsigned int cp;

	while (pos < len) {
		int k = str_utf8_decode(s + pos, len - pos, &cp);

		if (cp != (unsigned int)-1 && is_dot_variant(cp)) {
			memcpy(out + o, "\xC2\xB7", 2);
			o += 2;
		} else {
			memcpy(out + o, s + pos, (size_t)k);
			o += (size_t)k;
		}
		pos += (size_t)k;
	}
	out[o] = '\0';
	set_value(c, f, out);
	if (!check_text(c, f, out, NAME_MAX_CHARS))
		return;
	if (strncmp(out, "\xC2\xB7", 2) == 0 || (o >= 2 && strcmp(out + o - 2, "\xC2\xB7") == 0))
		problem(c, f, "间隔号“·”不能在开头或结尾");
}

/* The first row of kind in the table, for an example in a message; NULL if none. */
static const struct codes_row *
first_of_kind(const struct codes *codes, const char *kind)
{
	size_t i, n;
	const struct codes_row *rows = codes_rows(codes, &n);

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].kind, kind) == 0)
			return &rows[i];
	return NULL;
}

/*
 * A code field (民族, 政治面貌, 学历层次, 性别): the code, the name or the
 * short name; with pad2 a lone digit is read as "0" + digit.
 */
static void
v_code(struct vctx *c, enum roster_field f, const char *kind, const char *s, bool pad2)
{
	const struct codes_row *example;
	const char *code = codes_find(c->codes, kind, s);
	char *q;

	if (!code && pad2 && is_digit(s[0]) && s[1] == '\0') {
		char padded[3] = { '0', s[0], '\0' };

		code = codes_find(c->codes, kind, padded);
	}
	if (!code && strcmp(kind, "ethnicity") == 0) {
		char *t = xasprintf("%s族", s);

		code = codes_find(c->codes, kind, t);
		free(t);
	}
	if (code) {
		set_value(c, f, xstrdup(code));
		return;
	}
	q = quoted(s);
	example = first_of_kind(c->codes, kind);
	if (example)
		problem(c, f, "“%s”不是有效的%s：应填代码（如 %s）或名称（如 %s）",
			q, roster_fields[f].header, example->code, example->name);
	else
		problem(c, f, "“%s”无法核对：代码表中没有%s", q, roster_fields[f].header);
	free(q);
}

/* 性别: 男/女 (also 男性/女性) or 1/2; normalised to "1"/"2". */
static void
v_sex(struct vctx *c, enum roster_field f, const char *s)
{
	const char *code;
	char *q;

	if (strcmp(s, "男性") == 0)
		s = "男";
	else if (strcmp(s, "女性") == 0)
		s = "女";
	code = codes_find(c->codes, "sex", s);
	if (code && (strcmp(code, "1") == 0 || strcmp(code, "2") == 0)) {
		set_value(c, f, xstrdup(code));
		return;
	}
	q = quoted(s);
	problem(c, f, "应为男或女（也可填代码 1 或 2），而不是“%s”", q);
	free(q);
}

/* 培养方式: a training_mode code or name; out->eligible from the table. */
static void
v_training(struct vctx *c, enum roster_field f, const char *s)
{
	const char *code = codes_find(c->codes, "training_mode", s);
	const struct codes_row *rows;
	size_t i, n;
	char *list = xstrdup("");
	char *q;

	if (code) {
		set_value(c, f, xstrdup(code));
		c->out->eligible = codes_eligible(c->codes, "training_mode", code);
		free(list);
		return;
	}
	rows = codes_rows(c->codes, &n);
	for (i = 0; i < n; i++) {
		char *t;

		if (strcmp(rows[i].kind, "training_mode") != 0)
			continue;
		t = xasprintf("%s%s%s %s", list, *list ? "、" : "", rows[i].code, rows[i].name);
		free(list);
		list = t;
	}
	q = quoted(s);
	if (*list)
		problem(c, f, "“%s”不是有效的培养方式：应为 %s 之一（填代码或名称）", q, list);
	else
		problem(c, f, "“%s”无法核对：代码表中没有培养方式", q);
	free(q);
	free(list);
}

/* 身份证号: check_id_number (its message as is); a final x becomes X. */
static void
v_id(struct vctx *c, enum roster_field f, const char *s)
{
	struct wq_err err;

	if (!check_id_number(s, &err)) {
		problem(c, f, "%s", err.msg);
		return;
	}
	if (s[17] == 'x')
		c->out->value[f][17] = 'X';
}

/* True when p is "" or a time of day that is zero: " 00:00:00", " 0:00", "T00:00:00.000". */
static bool
zero_time(const char *p)
{
	bool colon = false;

	if (*p == '\0')
		return true;
	if (*p != ' ' && *p != 'T')
		return false;
	for (p++; *p; p++) {
		if (*p == ':')
			colon = true;
		else if (*p != '0' && *p != '.')
			return false;
	}
	return colon;
}

/* Reads min..max ASCII digits at *p into *v and advances; false when there are fewer or more. */
static bool
read_num(const char **p, int min, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (is_digit(**p) && n < max) {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n >= min && !is_digit(**p);
}

/* Advances *p past lit when it starts with it. */
static bool
skip(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

enum date_form { DATE_NONE, DATE_DAY, DATE_MONTH };

/*
 * Reads a date (YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD, YYYY年M月D日[日]
 * with an optional zero time) or a year and month (YYYY-MM, YYYY/M, YYYY.M,
 * YYYYMM, YYYY年M月).  The numbers are not checked here.
 */
static enum date_form
parse_date(const char *s, int *y, int *m, int *d)
{
	static const char *const seps[] = { "-", "/", ".", "年" };
	const char *p = s;
	const char *sep = NULL;
	size_t i;

	*y = *m = *d = 0;
	if (!is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3]))
		return DATE_NONE;
	*y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
	p += 4;
	if (is_digit(*p)) {
		if (!is_digit(p[1]))
			return DATE_NONE;
		*m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (*p == '\0')
			return DATE_MONTH;
		if (!read_num(&p, 2, 2, d))
			return DATE_NONE;
		return zero_time(p) ? DATE_DAY : DATE_NONE;
	}
	for (i = 0; i < ARRAY_SIZE(seps) && !sep; i++)
		if (skip(&p, seps[i]))
			sep = seps[i];
	if (!sep || !read_num(&p, 1, 2, m))
		return DATE_NONE;
	if (strcmp(sep, "年") == 0) {
		if (!skip(&p, "月"))
			return DATE_NONE;
		if (*p == '\0')
			return DATE_MONTH;
		if (!read_num(&p, 1, 2, d))
			return DATE_NONE;
		skip(&p, "日");
		return zero_time(p) ? DATE_DAY : DATE_NONE;
	}
	if (*p == '\0')
		return DATE_MONTH;
	if (!skip(&p, sep) || !read_num(&p, 1, 2, d))
		return DATE_NONE;
	return zero_time(p) ? DATE_DAY : DATE_NONE;
}

/* True when the date "YYYY-MM-DD" is after today (local time). */
static bool
after_today(const char *date)
{
	time_t now = time(NULL);
	struct tm tm;
	char today[40];

	if (!localtime_r(&now, &tm))
		return false;
	snprintf(today, sizeof(today), "%04d-%02d-%02d",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return strcmp(date, today) > 0;
}

/* 出生日期, 入学时间, 毕业时间: normalised to YYYY-MM-DD; month_ok lets YYYY-MM stand for YYYY-MM-01. */
static void
v_date(struct vctx *c, enum roster_field f, const char *s, bool month_ok)
{
	struct wq_err err;
	char buf[32];
	int y, m, d;
	char *q;

	switch (parse_date(s, &y, &m, &d)) {
	case DATE_DAY:
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
		if (!check_date(buf, &err)) {
			problem(c, f, "%s", err.msg);
			return;
		}
		if (f == RF_BIRTH_DATE && after_today(buf)) {
			problem(c, f, "%s 晚于今天", buf);
			return;
		}
		set_value(c, f, xstrdup(buf));
		return;
	case DATE_MONTH:
		if (!month_ok) {
			problem(c, f, "应为完整的年月日（如 1999-05-01），不能只有年月");
			return;
		}
		if (y < 1800 || y > 2999) {
			problem(c, f, "年月 %04d-%02d 不存在：年份 %d 不合理", y, m, y);
			return;
		}
		if (m < 1 || m > 12) {
			problem(c, f, "年月 %04d-%02d 不存在：没有 %d 月", y, m, m);
			return;
		}
		snprintf(buf, sizeof(buf), "%04d-%02d-01", y, m);
		set_value(c, f, xstrdup(buf));
		return;
	case DATE_NONE:
		break;
	}
	q = quoted(s);
	if (strlen(s) == 5 && check_all_digits(s))
		problem(c, f, "“%s”像是电子表格的日期序号：请把该列设为文本格式，"
			"填写 YYYY-MM-DD（如 2024-07-01）", q);
	else if (!month_ok)
		problem(c, f, "日期格式不对：应为 YYYY-MM-DD（如 2024-07-01），"
			"也可写作 YYYYMMDD 或 YYYY/MM/DD，而不是“%s”", q);
	else
		problem(c, f, "日期格式不对：应为 YYYY-MM-DD（如 2024-07-01）或 YYYY-MM（如 2024-07），"
			"也可写作 YYYYMMDD 或 YYYY/MM/DD，而不是“%s”", q);
	free(q);
}

/* 生源所在地: six digits with a known province prefix, or a place name that starts with a province. */
static void
v_origin(struct vctx *c, enum roster_field f, const char *s)
{
	static const char expected[] =
		"应为六位行政区划代码或以省级行政区名称开头的地名（如 320102 或 江苏省南京市玄武区）";
	const struct codes_row *prov;
	const char *code;
	char *q;

	if (check_all_digits(s)) {
		char prefix[3];

		if (strlen(s) != 6) {
			problem(c, f, "%s，而不是 %zu 位数字“%s”", expected, strlen(s), s);
			return;
		}
		memcpy(prefix, s, 2);
		prefix[2] = '\0';
		prov = codes_get(c->codes, "province", prefix);
		if (!prov) {
			problem(c, f, "行政区划代码 %s 的前两位 %s 不是省级行政区代码", s, prefix);
			return;
		}
		free(c->out->origin_name);
		c->out->origin_name = xstrdup(prov->name);
		return;
	}
	code = codes_find_prefix(c->codes, "province", s, NULL);
	if (code) {
		free(c->out->origin_name);
		c->out->origin_name = xstrdup(s);
		set_value(c, f, xasprintf("%s0000", code));
		return;
	}
	q = quoted(s);
	problem(c, f, "%s，而不是“%s”", expected, q);
	free(q);
}

/* Compares two school names, taking ASCII ( ) as equal to full-width （ ）. */
static bool
same_school(const char *a, const char *b)
{
	while (*a && *b) {
		bool la = *a == '(' || strncmp(a, "（", 3) == 0;
		bool lb = *b == '(' || strncmp(b, "（", 3) == 0;
		bool ra = *a == ')' || strncmp(a, "）", 3) == 0;
		bool rb = *b == ')' || strncmp(b, "）", 3) == 0;

		if ((la && lb) || (ra && rb)) {
			a += *a == '(' || *a == ')' ? 1 : 3;
			b += *b == '(' || *b == ')' ? 1 : 3;
			continue;
		}
		if (*a != *b)
			return false;
		a++;
		b++;
	}
	return *a == *b;
}

/* 毕业院校: the school's name or code, normalised to the name. */
static void
v_school(struct vctx *c, enum roster_field f, const char *s, const char *school_code,
	const char *school_name)
{
	char *q;

	if (str_empty(school_code) && str_empty(school_name)) {
		check_text(c, f, s, TEXT_MAX_CHARS);
		return;
	}
	if ((!str_empty(school_name) && same_school(s, school_name))
	    || (!str_empty(school_code) && strcmp(s, school_code) == 0)) {
		if (!str_empty(school_name))
			set_value(c, f, xstrdup(school_name));
		return;
	}
	q = quoted(s);
	problem(c, f, "应为本校（%s），而不是“%s”",
		str_empty(school_name) ? school_code : school_name, q);
	free(q);
}

/* A number a spreadsheet rewrote in scientific notation: says so; true when it was one. */
static bool
reject_scientific(struct vctx *c, enum roster_field f, const char *s)
{
	char *q;

	if (!check_looks_scientific(s))
		return false;
	q = quoted(s);
	problem(c, f, "“%s”%s", q, SPREADSHEET_SCI);
	free(q);
	return true;
}

/* 学号: at most STUDENT_NO_MAX characters, no white space, nothing invisible. */
static void
v_student_no(struct vctx *c, enum roster_field f, const char *s)
{
	size_t len = strlen(s);
	size_t pos = 0, n = 0;
	unsigned int cp;

	if (reject_scientific(c, f, s))
		return;
	while (pos < len) {
		n++;
		if (space_at(s + pos)) {
			problem(c, f, "不能含有空格（第 %zu 个字符）", n);
			return;
		}
		pos += (size_t)str_utf8_decode(s + pos, len - pos, &cp);
	}
	check_text(c, f, s, STUDENT_NO_MAX);
}

/* 考生号: ASCII letters and digits, at most EXAM_NO_MAX. */
static void
v_exam_no(struct vctx *c, enum roster_field f, const char *s)
{
	size_t len = strlen(s);
	size_t pos = 0, n = 0;
	unsigned int cp;
	char *q;

	if (reject_scientific(c, f, s))
		return;
	while (pos < len) {
		int k = str_utf8_decode(s + pos, len - pos, &cp);

		n++;
		if (!is_alnum(s[pos])) {
			char *one = xstrndup(s + pos, (size_t)k);

			q = quoted(one);
			problem(c, f, "只能由数字和字母组成，第 %zu 个字符“%s”不是", n, q);
			free(q);
			free(one);
			return;
		}
		pos += (size_t)k;
	}
	if (n > EXAM_NO_MAX)
		problem(c, f, "不能超过 %d 个字符，实际为 %zu 个", EXAM_NO_MAX, n);
}

/* 学制: 1 to 9 whole years: "4", "4年", "4.0". */
static void
v_years(struct vctx *c, enum roster_field f, const char *s)
{
	const char *p = s;
	char *q;

	if (*p >= '1' && *p <= '9') {
		p++;
		if (*p == '.' && p[1] == '0') {
			for (p++; *p == '0'; p++)
				;
		}
		skip(&p, "年");
		if (*p == '\0') {
			set_value(c, f, xstrndup(s, 1));
			return;
		}
	}
	q = quoted(s);
	problem(c, f, "应为 1 到 9 的整数年数（如 4 或 4年），而不是“%s”", q);
	free(q);
}

/* 手机号码: check_mobile (its message as is). */
static void
v_mobile(struct vctx *c, enum roster_field f, const char *s)
{
	struct wq_err err;

	if (!check_mobile(s, &err))
		problem(c, f, "%s", err.msg);
}

/* 电子邮箱: one @, a user name before it, a domain with a dot after it; domain lower-cased. */
static void
v_email(struct vctx *c, enum roster_field f, const char *s)
{
	static const char form[] = "应为 name@example.com 的形式";
	size_t len = strlen(s);
	size_t pos = 0, n = 0, ats = 0;
	const char *at = NULL;
	const char *dom;
	unsigned int cp;
	char *q, *out;

	while (pos < len) {
		int k = str_utf8_decode(s + pos, len - pos, &cp);

		n++;
		if (space_at(s + pos)) {
			problem(c, f, "不能含有空格（第 %zu 个字符）", n);
			return;
		}
		if (cp == (unsigned int)-1) {
			problem(c, f, "第 %zu 个字符不是有效的 UTF-8 文字（字节 0x%02X），请检查文件编码",
				n, (unsigned int)(unsigned char)s[pos]);
			return;
		}
		if (is_invisible(cp)) {
			problem(c, f, "第 %zu 个字符是不可见的控制字符 U+%04X，请删去", n, cp);
			return;
		}
		if ((cp >= 0xFF01 && cp <= 0xFF5E) || cp == 0x3002) {
			problem(c, f, "第 %zu 个字符是全角字符“%.*s”，请改用半角字符", n, k, s + pos);
			return;
		}
		if (cp == '@') {
			ats++;
			if (!at)
				at = s + pos;
		}
		pos += (size_t)k;
	}
	if (n > EMAIL_MAX) {
		problem(c, f, "不能超过 %d 个字符，实际为 %zu 个", EMAIL_MAX, n);
		return;
	}
	if (ats == 0) {
		problem(c, f, "缺少 @，%s", form);
		return;
	}
	if (ats > 1) {
		problem(c, f, "含有 %zu 个 @，只能有一个，%s", ats, form);
		return;
	}
	if (at == s) {
		problem(c, f, "@ 前面缺少用户名，%s", form);
		return;
	}
	dom = at + 1;
	if (*dom == '\0') {
		problem(c, f, "@ 后面缺少域名，%s", form);
		return;
	}
	for (pos = 0; dom[pos]; pos++) {
		if (!is_alnum(dom[pos]) && dom[pos] != '-' && dom[pos] != '.') {
			char *one;
			int k = str_utf8_decode(dom + pos, strlen(dom + pos), &cp);

			one = xstrndup(dom + pos, (size_t)k);
			q = quoted(one);
			problem(c, f, "域名中的“%s”不是字母、数字、- 或 .，%s", q, form);
			free(q);
			free(one);
			return;
		}
	}
	q = quoted(dom);
	if (!strchr(dom, '.'))
		problem(c, f, "域名“%s”缺少点（.），%s", q, form);
	else if (dom[0] == '.' || dom[strlen(dom) - 1] == '.' || strstr(dom, ".."))
		problem(c, f, "域名“%s”格式不对：点不能在开头、结尾或连续出现，%s", q, form);
	free(q);
	if (!c->ok[f])
		return;
	out = xstrdup(s);
	for (pos = (size_t)(dom - s); out[pos]; pos++)
		if (out[pos] >= 'A' && out[pos] <= 'Z')
			out[pos] = (char)(out[pos] - 'A' + 'a');
	set_value(c, f, out);
}

/* ---- cross-field checks ---- */

/* 身份证号 against 出生日期 and 性别. */
static void
cross_id(struct vctx *c)
{
	const char *id = c->out->value[RF_ID_NUMBER];
	char birth[11];
	int sex;

	if (!c->ok[RF_ID_NUMBER])
		return;
	if (c->ok[RF_BIRTH_DATE] && check_id_birth_date(id, birth)
	    && strcmp(birth, c->out->value[RF_BIRTH_DATE]) != 0)
		problem(c, RF_ID_NUMBER, "号码中的出生日期为 %s，与出生日期 %s 不一致",
			birth, c->out->value[RF_BIRTH_DATE]);
	sex = check_id_sex(id);
	if (c->ok[RF_SEX] && sex != 0 && sex != c->out->value[RF_SEX][0] - '0') {
		const char *said = codes_name(c->codes, "sex", c->out->value[RF_SEX]);

		problem(c, RF_ID_NUMBER, "第 17 位表示%s，与性别“%s”不一致",
			sex == 1 ? "男" : "女", said ? said : c->out->value[RF_SEX]);
	}
}

/* 毕业时间 not before 入学时间. */
static void
cross_dates(struct vctx *c)
{
	if (c->ok[RF_ENTRY_DATE] && c->ok[RF_GRAD_DATE]
	    && strcmp(c->out->value[RF_GRAD_DATE], c->out->value[RF_ENTRY_DATE]) < 0)
		problem(c, RF_GRAD_DATE, "毕业时间 %s 早于入学时间 %s",
			c->out->value[RF_GRAD_DATE], c->out->value[RF_ENTRY_DATE]);
}

/* ---- exported ---- */

/* validate_trim: a new string (the caller frees it) without surrounding white space. */
char *
validate_trim(const char *s)
{
	size_t end, n;

	if (!s)
		return xstrdup("");
	while ((n = space_at(s)) > 0)
		s += n;
	end = strlen(s);
	while ((n = space_before(s, end)) > 0)
		end -= n;
	return xstrndup(s, end);
}

/* roster_row_init: an empty row; nothing to free until validate_row fills it. */
void
roster_row_init(struct roster_row *row)
{
	memset(row, 0, sizeof(*row));
}

/* roster_row_fini: frees every value and origin_name; row is left empty. */
void
roster_row_fini(struct roster_row *row)
{
	int i;

	if (!row)
		return;
	for (i = 0; i < RF_COUNT; i++)
		free(row->value[i]);
	free(row->origin_name);
	memset(row, 0, sizeof(*row));
}

/* validate_problems_init: an empty list. */
void
validate_problems_init(struct validate_problems *problems)
{
	memset(problems, 0, sizeof(*problems));
}

/* validate_problems_clear: frees the messages; the array stays for the next row. */
void
validate_problems_clear(struct validate_problems *problems)
{
	size_t i;

	for (i = 0; i < problems->n; i++)
		free(problems->items[i].msg);
	problems->n = 0;
}

/* validate_problems_fini: frees messages and array; the list is left empty. */
void
validate_problems_fini(struct validate_problems *problems)
{
	if (!problems)
		return;
	validate_problems_clear(problems);
	free(problems->items);
	memset(problems, 0, sizeof(*problems));
}

/*
 * validate_row: trims every value into out, checks each field, then the
 * pairs that depend on each other; problems sorted by field.  out and
 * problems belong to the caller (see validate.h).
 */
bool
validate_row(const struct codes *codes, const char *school_code, const char *school_name,
	const char *const values[RF_COUNT], struct roster_row *out,
	struct validate_problems *problems)
{
	struct vctx c;
	int i;

	roster_row_fini(out);
	validate_problems_clear(problems);
	memset(&c, 0, sizeof(c));
	c.codes = codes;
	c.out = out;
	c.problems = problems;

	for (i = 0; i < RF_COUNT; i++) {
		enum roster_field f = (enum roster_field)i;
		char *v = validate_trim(values ? values[i] : NULL);

		if (*v == '\0') {
			free(v);
			if (roster_fields[i].required)
				problem(&c, f, "不能为空");
			continue;
		}
		out->value[i] = v;
		c.ok[i] = true;
		switch (f) {
		case RF_EXAM_NO:    v_exam_no(&c, f, v); break;
		case RF_NAME:       v_name(&c, f, v); break;
		case RF_SEX:        v_sex(&c, f, v); break;
		case RF_ID_NUMBER:  v_id(&c, f, v); break;
		case RF_ETHNICITY:  v_code(&c, f, "ethnicity", v, true); break;
		case RF_POLITICAL:  v_code(&c, f, "political_status", v, true); break;
		case RF_BIRTH_DATE: v_date(&c, f, v, false); break;
		case RF_SCHOOL:     v_school(&c, f, v, school_code, school_name); break;
		case RF_DEPT:       check_text(&c, f, v, TEXT_MAX_CHARS); break;
		case RF_LEVEL:      v_code(&c, f, "education_level", v, true); break;
		case RF_MAJOR:      check_text(&c, f, v, TEXT_MAX_CHARS); break;
		case RF_TRAINING:   v_training(&c, f, v); break;
		case RF_ORIGIN:     v_origin(&c, f, v); break;
		case RF_STUDENT_NO: v_student_no(&c, f, v); break;
		case RF_YEARS:      v_years(&c, f, v); break;
		case RF_ENTRY_DATE: v_date(&c, f, v, true); break;
		case RF_GRAD_DATE:  v_date(&c, f, v, true); break;
		case RF_MOBILE:     v_mobile(&c, f, v); break;
		case RF_EMAIL:      v_email(&c, f, v); break;
		case RF_COUNT:      break;
		}
	}
	cross_id(&c);
	cross_dates(&c);
	sort_problems(problems);
	return problems->n == 0;
}

/* ---- keys seen in a file ---- */

struct validate_seen_slot {
	char *key;    /* NULL = empty */
	size_t line;
};

static uint64_t
seen_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3u;
	}
	return h;
}

/* validate_seen_init: an empty set. */
void
validate_seen_init(struct validate_seen *seen)
{
	memset(seen, 0, sizeof(*seen));
}

/* validate_seen_fini: frees every key and the table; the set is left empty. */
void
validate_seen_fini(struct validate_seen *seen)
{
	size_t i;

	if (!seen)
		return;
	for (i = 0; i < seen->nslots; i++)
		free(seen->slots[i].key);
	free(seen->slots);
	memset(seen, 0, sizeof(*seen));
}

/* validate_seen_add: 0 for a new key (now recorded with line), else its first line. */
size_t
validate_seen_add(struct validate_seen *seen, const char *key, size_t line)
{
	size_t i;

	if (str_empty(key))
		return 0;
	if ((seen->nused + 1) * 2 > seen->nslots) {
		size_t n = seen->nslots ? seen->nslots * 2 : 256;
		struct validate_seen_slot *slots = xcalloc(n, sizeof(*slots));

		for (i = 0; i < seen->nslots; i++) {
			size_t j;

			if (!seen->slots[i].key)
				continue;
			for (j = (size_t)seen_hash(seen->slots[i].key) & (n - 1); slots[j].key;
			     j = (j + 1) & (n - 1))
				;
			slots[j] = seen->slots[i];
		}
		free(seen->slots);
		seen->slots = slots;
		seen->nslots = n;
	}
	for (i = (size_t)seen_hash(key) & (seen->nslots - 1); seen->slots[i].key;
	     i = (i + 1) & (seen->nslots - 1))
		if (strcmp(seen->slots[i].key, key) == 0)
			return seen->slots[i].line;
	seen->slots[i].key = xstrdup(key);
	seen->slots[i].line = line;
	seen->nused++;
	return 0;
}
