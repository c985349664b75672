/*
 * check.c: check characters and field formats from the national standards.
 *
 * The algorithms are those of GB 11643-1999 (ISO 7064 MOD 11-2) and
 * GB 32100-2015 (mod 31), as summed up in section 4 of
 * shared/reference/domain-research.md.  Every failure says what is wrong in Chinese, including the
 * usual damage done by a spreadsheet to a long number: scientific notation
 * ("4.10105E+17") or the digits after the fifteenth replaced by zeros.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "str.h"
#include "util.h"

#define YEAR_MIN 1800
#define YEAR_MAX 2999

static const char CREDIT_CHARSET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static const char SPREADSHEET_SCI[] =
	"可能被电子表格改写为科学计数法，请把该列设为文本格式后重新录入";
static const char SPREADSHEET_ZEROS[] =
	"末尾是 000，可能被电子表格截成 15 位有效数字后补了零，"
	"请把该列设为文本格式后重新录入";

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Characters (code points; an invalid byte counts one) in s. */
static size_t
char_count(const char *s)
{
	size_t n = 0;
	size_t len = strlen(s);
	unsigned int cp;

	while (len > 0) {
		int k = str_utf8_decode(s, len, &cp);
		s += k;
		len -= (size_t)k;
		n++;
	}
	return n;
}

bool
check_all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_digit(*s))
			return false;
	return true;
}

bool
check_looks_scientific(const char *s)
{
	const char *p = s;

	if (!is_digit(*p))
		return false;
	while (is_digit(*p))
		p++;
	if (*p == '.') {
		p++;
		if (!is_digit(*p))
			return false;
		while (is_digit(*p))
			p++;
	}
	if (*p != 'E' && *p != 'e')
		return false;
	p++;
	if (*p == '+')
		p++;
	if (!is_digit(*p))
		return false;
	while (is_digit(*p))
		p++;
	return *p == '\0';
}

/* True when the last three characters of s are "000". */
static bool
ends_in_000(const char *s)
{
	size_t len = strlen(s);

	return len >= 3 && strcmp(s + len - 3, "000") == 0;
}

/*
 * Sets err for the bad character at p (the pos-th character of the field).
 * Spaces, full-width forms, controls and invalid bytes get their own
 * message; any other character is quoted and followed by tail ("不是数字").
 */
static bool
bad_char(struct wq_err *err, const char *field, size_t pos, const char *p,
	const char *tail)
{
	unsigned int cp;
	int n = str_utf8_decode(p, 4, &cp);

	if (cp == (unsigned int)-1)
		return wq_err_set(err, WQ_ERR_INPUT,
			"%s第 %zu 位不是有效的 UTF-8 文字（字节 0x%02X），请检查文件编码",
			field, pos, (unsigned int)(unsigned char)*p);
	if (cp == ' ' || cp == 0x3000 || cp == 0xA0)
		return wq_err_set(err, WQ_ERR_INPUT, "%s第 %zu 位是空格，请删去",
			field, pos);
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return wq_err_set(err, WQ_ERR_INPUT,
			"%s第 %zu 位是全角字符“%.*s”，请改用半角字符",
			field, pos, n, p);
	if (str_cp_width(cp) == 0 || cp < 0x20 || cp == 0x7F
	    || (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F)
	    || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F)
	    || cp == 0x061C || cp == 0xFEFF)
		return wq_err_set(err, WQ_ERR_INPUT,
			"%s第 %zu 位是不可见字符 U+%04X，请删去", field, pos, cp);
	return wq_err_set(err, WQ_ERR_INPUT, "%s第 %zu 位“%.*s”%s",
		field, pos, n, p, tail);
}

static bool
leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/*
 * True when y-m-d is a real date with YEAR_MIN <= y <= YEAR_MAX; otherwise
 * writes the reason ("2023 年 2 月只有 28 天") into why.
 */
static bool
date_real(int y, int m, int d, char *why, size_t whysize)
{
	if (y < YEAR_MIN || y > YEAR_MAX) {
		snprintf(why, whysize, "年份 %d 不合理", y);
		return false;
	}
	if (m < 1 || m > 12) {
		snprintf(why, whysize, "没有 %d 月", m);
		return false;
	}
	if (d < 1) {
		snprintf(why, whysize, "没有 %d 日", d);
		return false;
	}
	if (d > days_in_month(y, m)) {
		snprintf(why, whysize, "%d 年 %d 月只有 %d 天", y, m, days_in_month(y, m));
		return false;
	}
	return true;
}

/* The number written by n ASCII digits at s (the caller checked they are digits). */
static int
digits_value(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* True when y-m-d is after today (local time). */
static bool
after_today(int y, int m, int d)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm))
		return false;
	return y * 10000 + m * 100 + d
		> (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* 18 ASCII characters: 17 digits, then a digit or X (x). */
static bool
id_format_ok(const char *id)
{
	int i;

	if (!id || strlen(id) != 18)
		return false;
	for (i = 0; i < 17; i++)
		if (!is_digit(id[i]))
			return false;
	return is_digit(id[17]) || id[17] == 'X' || id[17] == 'x';
}

/*
 * The birth date (positions 7 to 14) of a well-formed ID number, when it is
 * real and not in the future; else false and the reason in why.
 */
static bool
id_birth_real(const char *id, char *why, size_t whysize)
{
	int y = digits_value(id + 6, 4);
	int m = digits_value(id + 10, 2);
	int d = digits_value(id + 12, 2);

	if (!date_real(y, m, d, why, whysize))
		return false;
	if (after_today(y, m, d)) {
		snprintf(why, whysize, "晚于今天");
		return false;
	}
	return true;
}

/*
 * check_id_number_char: ISO 7064 MOD 11-2 over the first 17 digits.
 * Returns '0'..'9' or 'X', or 0 when one of the 17 is not a digit.
 */
char
check_id_number_char(const char *first17)
{
	static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char map[] = "10X98765432";
	int sum = 0;
	int i;

	if (!first17)
		return 0;
	for (i = 0; i < 17; i++) {
		if (!is_digit(first17[i]))
			return 0;
		sum += (first17[i] - '0') * weights[i];
	}
	return map[sum % 11];
}

/*
 * check_id_number: a full 18-character 公民身份号码.  Checked in the order
 * that gives the most useful message: spreadsheet damage, bad characters,
 * length, birth date, check character.  A lower-case 'x' is accepted.
 */
bool
check_id_number(const char *id, struct wq_err *err)
{
	static const char field[] = "身份证号码";
	char why[128];
	const char *p;
	size_t pos, n;
	char want, got;
	unsigned int cp;

	if (str_empty(id))
		return wq_err_set(err, WQ_ERR_INPUT, "身份证号码为空");
	if (check_looks_scientific(id))
		return wq_err_set(err, WQ_ERR_INPUT, "身份证号码“%s”不是 18 位：%s",
			id, SPREADSHEET_SCI);

	n = char_count(id);
	for (p = id, pos = 1; *p; pos++) {
		if (!is_digit(*p)) {
			if ((*p == 'X' || *p == 'x') && pos != 18)
				return wq_err_set(err, WQ_ERR_INPUT,
					"身份证号码第 %zu 位是“%c”：X 只能是 18 位号码的最后一位",
					pos, *p);
			if (!(*p == 'X' || *p == 'x'))
				return bad_char(err, field, pos, p,
					pos == 18 ? "应为数字或 X" : "不是数字");
		}
		p += str_utf8_decode(p, 4, &cp);
	}
	if (n != 18) {
		if (n == 15)
			return wq_err_set(err, WQ_ERR_INPUT,
				"身份证号码是 15 位的旧号码，请改用 18 位号码");
		return wq_err_set(err, WQ_ERR_INPUT, "身份证号码应为 18 位，实际为 %zu 位", n);
	}
	if (!id_birth_real(id, why, sizeof(why)))
		return wq_err_set(err, WQ_ERR_INPUT,
			"身份证号码中的出生日期 %.4s-%.2s-%.2s 不存在：%s",
			id + 6, id + 10, id + 12, why);
	want = check_id_number_char(id);
	got = id[17] == 'x' ? 'X' : id[17];
	if (want != got) {
		if (ends_in_000(id))
			return wq_err_set(err, WQ_ERR_INPUT,
				"身份证号码校验位应为 %c，实际为 %c；%s", want, id[17],
				SPREADSHEET_ZEROS);
		return wq_err_set(err, WQ_ERR_INPUT, "身份证号码校验位应为 %c，实际为 %c",
			want, id[17]);
	}
	wq_err_clear(err);
	return true;
}

/*
 * check_id_birth_date: "YYYY-MM-DD" from positions 7 to 14 of a well-formed
 * ID number (the check character is not verified).  False, and out = "",
 * when the format is wrong or the date is not a real one up to today.
 */
bool
check_id_birth_date(const char *id, char out[11])
{
	char why[128];

	out[0] = '\0';
	if (!id_format_ok(id) || !id_birth_real(id, why, sizeof(why)))
		return false;
	snprintf(out, 11, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
	return true;
}

/*
 * check_id_sex: from the 17th digit (the last of the 顺序码): odd is male
 * (1), even female (2); 0 when id is not well-formed.
 */
int
check_id_sex(const char *id)
{
	if (!id_format_ok(id))
		return 0;
	return (id[16] - '0') % 2 == 1 ? 1 : 2;
}

/* The value 0..30 of c in the credit code charset, or -1. */
static int
credit_value(char c)
{
	const char *q;

	if (c == '\0')
		return -1;
	q = strchr(CREDIT_CHARSET, c);
	return q ? (int)(q - CREDIT_CHARSET) : -1;
}

/*
 * check_credit_code_char: C18 = 31 - (sum of value * 3^(i-1) mod 31), 31 -> 0.
 * Returns the character, or 0 when one of the 17 is not in the charset
 * (upper case only).
 */
char
check_credit_code_char(const char *first17)
{
	int sum = 0;
	int weight = 1;
	int i, v;

	if (!first17)
		return 0;
	for (i = 0; i < 17; i++) {
		v = credit_value(first17[i]);
		if (v < 0)
			return 0;
		sum += v * weight;
		weight = weight * 3 % 31;
	}
	v = 31 - sum % 31;
	return CREDIT_CHARSET[v == 31 ? 0 : v];
}

/*
 * check_credit_code: a full 18-character 统一社会信用代码: charset (upper
 * case; no I, O, S, V, Z), length, positions 3 to 8 digits (the
 * administrative division code), check character.  The organization code
 * inside (positions 9 to 17, GB 11714) is not checked on its own.
 */
bool
check_credit_code(const char *code, struct wq_err *err)
{
	static const char field[] = "统一社会信用代码";
	const char *p;
	size_t pos, n;
	char want;
	unsigned int cp;

	if (str_empty(code))
		return wq_err_set(err, WQ_ERR_INPUT, "统一社会信用代码为空");
	if (check_looks_scientific(code))
		return wq_err_set(err, WQ_ERR_INPUT, "统一社会信用代码“%s”不是 18 位：%s",
			code, SPREADSHEET_SCI);

	n = char_count(code);
	for (p = code, pos = 1; *p; pos++) {
		char c = *p;

		if (credit_value(c) < 0) {
			char up = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;

			if (c != up && credit_value(up) >= 0)
				return wq_err_set(err, WQ_ERR_INPUT,
					"统一社会信用代码第 %zu 位“%c”应为大写字母“%c”",
					pos, c, up);
			if (up == 'I' || up == 'O' || up == 'S' || up == 'V' || up == 'Z')
				return wq_err_set(err, WQ_ERR_INPUT,
					"统一社会信用代码第 %zu 位“%c”不可能出现（代码不使用 I、O、S、V、Z，"
					"请核对是否为数字 1、0、5 或 2）", pos, c);
			return bad_char(err, field, pos, p, "不是数字或大写字母");
		}
		p += str_utf8_decode(p, 4, &cp);
	}
	if (n != 18) {
		if (n == 15 && check_all_digits(code))
			return wq_err_set(err, WQ_ERR_INPUT,
				"这是 15 位的旧工商注册号，请改填 18 位统一社会信用代码");
		return wq_err_set(err, WQ_ERR_INPUT, "统一社会信用代码应为 18 位，实际为 %zu 位", n);
	}
	for (pos = 3; pos <= 8; pos++)
		if (!is_digit(code[pos - 1]))
			return wq_err_set(err, WQ_ERR_INPUT,
				"统一社会信用代码第 %zu 位“%c”应为数字（第 3 至 8 位是行政区划码）",
				pos, code[pos - 1]);
	want = check_credit_code_char(code);
	if (want != code[17]) {
		if (check_all_digits(code) && ends_in_000(code))
			return wq_err_set(err, WQ_ERR_INPUT,
				"统一社会信用代码校验位应为 %c，实际为 %c；%s", want, code[17],
				SPREADSHEET_ZEROS);
		return wq_err_set(err, WQ_ERR_INPUT, "统一社会信用代码校验位应为 %c，实际为 %c",
			want, code[17]);
	}
	wq_err_clear(err);
	return true;
}

/*
 * check_date: a real date written YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD, two
 * digits for month and day, years YEAR_MIN to YEAR_MAX.
 */
bool
check_date(const char *s, struct wq_err *err)
{
	static const char format[] =
		"日期格式不对：应为 YYYY-MM-DD（如 2024-07-01），也可写作 YYYYMMDD 或 YYYY/MM/DD";
	char digits[9];
	char why[128];
	int y, m, d;

	if (str_empty(s))
		return wq_err_set(err, WQ_ERR_INPUT, "日期为空");
	if (strlen(s) == 8) {
		memcpy(digits, s, 8);
	} else if (strlen(s) == 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4]) {
		memcpy(digits, s, 4);
		memcpy(digits + 4, s + 5, 2);
		memcpy(digits + 6, s + 8, 2);
	} else {
		return wq_err_set(err, WQ_ERR_INPUT, "%s", format);
	}
	digits[8] = '\0';
	if (!check_all_digits(digits))
		return wq_err_set(err, WQ_ERR_INPUT, "%s", format);
	y = digits_value(digits, 4);
	m = digits_value(digits + 4, 2);
	d = digits_value(digits + 6, 2);
	if (!date_real(y, m, d, why, sizeof(why)))
		return wq_err_set(err, WQ_ERR_INPUT, "日期 %.4s-%.2s-%.2s 不存在：%s",
			digits, digits + 4, digits + 6, why);
	wq_err_clear(err);
	return true;
}

/* check_mobile: 11 ASCII digits, the first one 1 (no "+86", spaces or dashes). */
bool
check_mobile(const char *s, struct wq_err *err)
{
	static const char field[] = "手机号码";
	const char *p;
	size_t pos, n;
	unsigned int cp;

	if (str_empty(s))
		return wq_err_set(err, WQ_ERR_INPUT, "手机号码为空");
	if (strncmp(s, "+86", 3) == 0)
		return wq_err_set(err, WQ_ERR_INPUT, "手机号码请去掉开头的 +86，只填 11 位号码");
	n = char_count(s);
	for (p = s, pos = 1; *p; pos++) {
		if (!is_digit(*p))
			return bad_char(err, field, pos, p, "不是数字");
		p += str_utf8_decode(p, 4, &cp);
	}
	if (n != 11)
		return wq_err_set(err, WQ_ERR_INPUT, "手机号码应为 11 位，实际为 %zu 位", n);
	if (s[0] != '1')
		return wq_err_set(err, WQ_ERR_INPUT, "手机号码应以 1 开头，实际以 %c 开头", s[0]);
	wq_err_clear(err);
	return true;
}

/* check_postcode: 6 ASCII digits. */
bool
check_postcode(const char *s, struct wq_err *err)
{
	static const char field[] = "邮政编码";
	const char *p;
	size_t pos, n;
	unsigned int cp;

	if (str_empty(s))
		return wq_err_set(err, WQ_ERR_INPUT, "邮政编码为空");
	n = char_count(s);
	for (p = s, pos = 1; *p; pos++) {
		if (!is_digit(*p))
			return bad_char(err, field, pos, p, "不是数字");
		p += str_utf8_decode(p, 4, &cp);
	}
	if (n != 6)
		return wq_err_set(err, WQ_ERR_INPUT, "邮政编码应为 6 位数字，实际为 %zu 位", n);
	wq_err_clear(err);
	return true;
}
