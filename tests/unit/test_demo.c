/* test_demo.c: unit tests for src/demo.c (synthetic graduate rosters). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "demo.h"
#include "roster.h"
#include "util.h"

#define NROWS 20000

static const struct demo_school school = { "10001", "北京大学" };

/* ---------------------------------------------------------------------------
 * A small CSV splitter (RFC 4180: quoted fields, doubled quotes, LF rows)
 * ------------------------------------------------------------------------- */

#define MAX_FIELDS 32

struct csv_row {
	int nf;
	char *f[MAX_FIELDS];
	bool quoted[MAX_FIELDS];  /* the field was written in quotes */
};

struct table {
	size_t nrows;             /* rows[0] is the header */
	struct csv_row *rows;
};

/* Splits text (len bytes) into t; fails the test on a CR, a stray quote or an unterminated field. */
static void
split_csv(const char *text, size_t len, struct table *t)
{
	size_t cap = 1024, pos = 0;
	char *field = xmalloc(len + 1);

	t->nrows = 0;
	t->rows = xmalloc(cap * sizeof(*t->rows));
	while (pos < len) {
		struct csv_row *r;

		if (t->nrows == cap) {
			cap *= 2;
			t->rows = xrealloc(t->rows, cap * sizeof(*t->rows));
		}
		r = &t->rows[t->nrows++];
		r->nf = 0;
		for (;;) {
			size_t n = 0;
			bool q = false;

			if (pos < len && text[pos] == '"') {
				q = true;
				pos++;
				for (;;) {
					if (pos >= len)
						fail_msg("row %zu: unterminated quoted field", t->nrows);
					if (text[pos] == '"') {
						if (pos + 1 < len && text[pos + 1] == '"') {
							field[n++] = '"';
							pos += 2;
							continue;
						}
						pos++;
						break;
					}
					field[n++] = text[pos++];
				}
			} else {
				while (pos < len && text[pos] != ',' && text[pos] != '\n') {
					if (text[pos] == '"' || text[pos] == '\r')
						fail_msg("row %zu: stray quote or CR", t->nrows);
					field[n++] = text[pos++];
				}
			}
			if (r->nf == MAX_FIELDS)
				fail_msg("row %zu: too many fields", t->nrows);
			r->quoted[r->nf] = q;
			r->f[r->nf++] = xstrndup(field, n);
			if (pos >= len)
				fail_msg("row %zu: no LF at the end", t->nrows);
			if (text[pos] == '\n') {
				pos++;
				break;
			}
			if (text[pos] != ',')
				fail_msg("row %zu: text after a closing quote", t->nrows);
			pos++;
		}
	}
	free(field);
}

static void
free_table(struct table *t)
{
	size_t i;
	int k;

	for (i = 0; i < t->nrows; i++)
		for (k = 0; k < t->rows[i].nf; k++)
			free(t->rows[i].f[k]);
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

/* The roster as written, into a malloc'd buffer. */
static char *
write_roster(int n, unsigned seed, size_t *len)
{
	struct wq_err err;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	if (!demo_write_roster(f, &school, n, seed, &err))
		fail_msg("demo_write_roster: %s", err.msg);
	assert_int_equal(err.code, WQ_ERR_OK);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* The 20,000-row roster of seed 1, written and split once for every test. */
static char *text;
static size_t text_len;
static struct table tab;

static int
setup(void **state)
{
	(void)state;
	text = write_roster(NROWS, 1, &text_len);
	split_csv(text, text_len, &tab);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free_table(&tab);
	free(text);
	return 0;
}

/* Field f of data row i (0-based, the header not counted). */
static const char *
cell(size_t i, enum roster_field f)
{
	return tab.rows[i + 1].f[f];
}

/* ---------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Asserts the values of field f are pairwise distinct over all rows. */
static void
assert_unique(enum roster_field f)
{
	const char **v = xmalloc(NROWS * sizeof(*v));
	size_t i;

	for (i = 0; i < NROWS; i++)
		v[i] = cell(i, f);
	qsort(v, NROWS, sizeof(*v), cmp_str);
	for (i = 1; i < NROWS; i++)
		if (strcmp(v[i - 1], v[i]) == 0)
			fail_msg("%s \"%s\" occurs twice", roster_fields[f].header, v[i]);
	free(v);
}

/* Rows whose field f equals s. */
static size_t
count_value(enum roster_field f, const char *s)
{
	size_t i, n = 0;

	for (i = 0; i < NROWS; i++)
		n += strcmp(cell(i, f), s) == 0;
	return n;
}

/* Distinct values of field f (at most max) into out; returns how many. */
static size_t
distinct(enum roster_field f, const char **out, size_t max)
{
	size_t i, k, n = 0;

	for (i = 0; i < NROWS; i++) {
		for (k = 0; k < n; k++)
			if (strcmp(out[k], cell(i, f)) == 0)
				break;
		if (k == n) {
			if (n == max)
				fail_msg("more than %zu distinct %s", max, roster_fields[f].header);
			out[n++] = cell(i, f);
		}
	}
	return n;
}

static bool
all_digits(const char *s, size_t len)
{
	size_t k;

	if (strlen(s) != len)
		return false;
	for (k = 0; k < len; k++)
		if (s[k] < '0' || s[k] > '9')
			return false;
	return true;
}

/* ---------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------- */

static void
test_header(void **state)
{
	struct csv_row *h = &tab.rows[0];
	int f;

	(void)state;
	assert_int_equal(h->nf, RF_COUNT);
	assert_int_equal(RF_COUNT, 19);
	for (f = 0; f < RF_COUNT; f++)
		assert_string_equal(h->f[f], roster_fields[f].header);
	/* plain UTF-8: no BOM, LF only, nothing quoted */
	assert_memory_equal(text, "考生号,姓名,性别,身份证号,", strlen("考生号,姓名,性别,身份证号,"));
	assert_null(memchr(text, '\r', text_len));
	assert_int_equal(text[text_len - 1], '\n');
	assert_int_equal(tab.nrows, NROWS + 1);
}

/* The file holds exactly demo_roster_row's values; quoting round-trips. */
static void
test_rows_match_row_api(void **state)
{
	struct demo_row row;
	size_t i, nquoted = 0;
	int f;

	(void)state;
	for (i = 0; i < NROWS; i++) {
		struct csv_row *r = &tab.rows[i + 1];

		assert_int_equal(r->nf, RF_COUNT);
		demo_roster_row(&school, 1, (int)i, &row);
		for (f = 0; f < RF_COUNT; f++) {
			assert_non_null(row.v[f]);
			assert_true(row.v[f][0] != '\0');
			if (strcmp(r->f[f], row.v[f]) != 0)
				fail_msg("row %zu %s: file \"%s\", row \"%s\"", i,
					roster_fields[f].header, r->f[f], row.v[f]);
			/* quoted exactly when needed */
			assert_int_equal(r->quoted[f], strpbrk(row.v[f], ",\"\r\n") != NULL);
			nquoted += r->quoted[f];
		}
		assert_string_equal(cell(i, RF_SCHOOL), school.name);
	}
	/* majors with a comma and with double quotes exercise the quoting */
	assert_true(count_value(RF_MAJOR, "计算机科学与技术（图灵班,拔尖计划）") > 0);
	assert_true(count_value(RF_MAJOR, "数学与应用数学（\"强基计划\"）") > 0);
	assert_true(nquoted > 0);
}

static void
test_id_numbers(void **state)
{
	const char *origins[128];
	size_t i;

	(void)state;
	for (i = 0; i < NROWS; i++) {
		const char *id = cell(i, RF_ID_NUMBER);
		struct wq_err err;
		char birth[11];

		if (!check_id_number(id, &err))
			fail_msg("row %zu: %s: %s", i, id, err.msg);
		assert_true(check_id_birth_date(id, birth));
		assert_string_equal(birth, cell(i, RF_BIRTH_DATE));
		assert_int_equal(check_id_sex(id),
			strcmp(cell(i, RF_SEX), "男") == 0 ? 1 : 2);
		assert_memory_equal(id, cell(i, RF_ORIGIN), 6);
		assert_true(all_digits(cell(i, RF_ORIGIN), 6));
		assert_int_equal(id[17], check_id_number_char(id));
	}
	assert_true(distinct(RF_ORIGIN, origins, ARRAY_SIZE(origins)) >= 30);
}

static void
test_unique(void **state)
{
	(void)state;
	assert_unique(RF_ID_NUMBER);
	assert_unique(RF_STUDENT_NO);
	assert_unique(RF_EXAM_NO);
	assert_unique(RF_EMAIL);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Uniqueness is structural: a million rows have a million ID numbers. */
static void
test_unique_million(void **state)
{
	enum { N = 1000000 };
	uint64_t *v = xmalloc(N * sizeof(*v));
	struct demo_row row;
	int i, k;

	(void)state;
	for (i = 0; i < N; i++) {
		uint64_t x = 0;

		demo_roster_row(&school, 7, i, &row);
		for (k = 0; k < 17; k++)
			x = x * 10 + (uint64_t)(row.v[RF_ID_NUMBER][k] - '0');
		v[i] = x;
	}
	qsort(v, N, sizeof(*v), cmp_u64);
	for (i = 1; i < N; i++)
		if (v[i - 1] == v[i])
			fail_msg("ID number %017llu occurs twice", (unsigned long long)v[i]);
	free(v);
}

static void
test_departments(void **state)
{
	const char *depts[64], *majors[16];
	size_t nd, d, i, nm;

	(void)state;
	nd = distinct(RF_DEPT, depts, ARRAY_SIZE(depts));
	assert_true(nd >= 12);
	assert_true(count_value(RF_DEPT, "计算机学院") > 0);
	assert_true(count_value(RF_DEPT, "化学与分子工程学院") > 0);
	assert_true(count_value(RF_DEPT, "医学部") > 0);
	/* every department has 2 to 4 majors, and a major belongs to one department */
	for (d = 0; d < nd; d++) {
		nm = 0;
		for (i = 0; i < NROWS; i++) {
			size_t k;

			if (strcmp(cell(i, RF_DEPT), depts[d]) != 0)
				continue;
			for (k = 0; k < nm; k++)
				if (strcmp(majors[k], cell(i, RF_MAJOR)) == 0)
					break;
			if (k == nm) {
				assert_true(nm < ARRAY_SIZE(majors));
				majors[nm++] = cell(i, RF_MAJOR);
			}
		}
		if (nm < 2 || nm > 4)
			fail_msg("%s has %zu majors", depts[d], nm);
	}
}

/* Every 学历层次 code, with 学制, birth year and entry date to match. */
static void
test_levels(void **state)
{
	static const struct {
		const char *code, *years;
		int born_min, born_max;
	} want[] = {
		{ "01", "4", 1995, 1999 }, { "03", "4", 1995, 1999 },
		{ "11", "3", 2000, 2002 }, { "13", "3", 2000, 2002 },
		{ "19", "3", 2000, 2002 }, { "21", "2", 1998, 2001 },
		{ "25", "2", 2001, 2003 }, { "26", "2", 2001, 2003 },
		{ "31", "4", 2003, 2005 }, { "33", "4", 2003, 2005 },
		{ "39", "4", 2003, 2005 }, { "41", "3", 2004, 2006 },
		{ "43", "3", 2004, 2006 }, { "49", "3", 2004, 2006 },
		{ "61", "3", 2004, 2006 },
	};
	size_t counts[ARRAY_SIZE(want)] = { 0 };
	size_t i, k;

	(void)state;
	for (i = 0; i < NROWS; i++) {
		char entry[32];
		int born;

		for (k = 0; k < ARRAY_SIZE(want); k++)
			if (strcmp(cell(i, RF_LEVEL), want[k].code) == 0)
				break;
		if (k == ARRAY_SIZE(want))
			fail_msg("row %zu: 学历层次 \"%s\" is not in the code table", i, cell(i, RF_LEVEL));
		counts[k]++;
		assert_string_equal(cell(i, RF_YEARS), want[k].years);
		born = atoi(cell(i, RF_BIRTH_DATE));
		if (born < want[k].born_min || born > want[k].born_max)
			fail_msg("row %zu: level %s born %d", i, want[k].code, born);
		snprintf(entry, sizeof(entry), "%d-09-01", DEMO_GRAD_YEAR - atoi(want[k].years));
		assert_string_equal(cell(i, RF_ENTRY_DATE), entry);
		assert_string_equal(cell(i, RF_GRAD_DATE), "2026-06-30");
		/* 学号 = school code + entry year + row number */
		assert_memory_equal(cell(i, RF_STUDENT_NO), "10001", 5);
		assert_memory_equal(cell(i, RF_STUDENT_NO) + 5, entry, 4);
		assert_int_equal(atoi(cell(i, RF_STUDENT_NO) + 9), (int)i + 1);
		assert_true(all_digits(cell(i, RF_STUDENT_NO), 14));
	}
	for (k = 0; k < ARRAY_SIZE(want); k++)
		if (counts[k] == 0)
			fail_msg("学历层次 %s never appears", want[k].code);
	/* mostly 本科, then 硕士, then 博士 and 专科 */
	assert_true(counts[8] > NROWS / 2);
	assert_true(counts[2] > counts[0] && counts[2] > counts[11]);
	assert_true(counts[0] > counts[1] && counts[11] > counts[12]);
}

static void
test_training_modes(void **state)
{
	static const char *const modes[] = { "1", "21", "22", "3", "41", "42", "5" };
	size_t k, total = 0, n;

	(void)state;
	for (k = 0; k < ARRAY_SIZE(modes); k++) {
		n = count_value(RF_TRAINING, modes[k]);
		if (n == 0)
			fail_msg("培养方式 %s never appears", modes[k]);
		total += n;
	}
	assert_int_equal(total, NROWS);
	assert_true(count_value(RF_TRAINING, "1") > NROWS * 8 / 10);
	/* about 2% 21, 1% 41 */
	n = count_value(RF_TRAINING, "21");
	assert_true(n > NROWS / 100 && n < NROWS * 3 / 100);
	n = count_value(RF_TRAINING, "41");
	assert_true(n > NROWS / 200 && n < NROWS * 2 / 100);
}

static void
test_codes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NROWS; i++) {
		const char *eth = cell(i, RF_ETHNICITY), *pol = cell(i, RF_POLITICAL);
		const char *sex = cell(i, RF_SEX);
		int e = atoi(eth), p = atoi(pol);

		assert_true(all_digits(eth, 2) && ((e >= 1 && e <= 56) || e == 97 || e == 98));
		assert_true(all_digits(pol, 2) && p >= 1 && p <= 13);
		assert_true(strcmp(sex, "男") == 0 || strcmp(sex, "女") == 0);
	}
	/* 共青团员 (03) first, then 中共党员 (01) and 群众 (13) */
	assert_true(count_value(RF_POLITICAL, "03") > NROWS / 2);
	assert_true(count_value(RF_POLITICAL, "01") > NROWS / 20);
	assert_true(count_value(RF_POLITICAL, "13") > NROWS / 20);
	assert_true(count_value(RF_ETHNICITY, "01") > NROWS * 8 / 10);
	assert_true(count_value(RF_SEX, "男") > NROWS * 4 / 10);
	assert_true(count_value(RF_SEX, "女") > NROWS * 4 / 10);
}

static void
test_names(void **state)
{
	static const char *const compound[] = { "欧阳", "司马", "诸葛", "上官", "司徒" };
	size_t i, k, ndot = 0, ncompound = 0, nwide = 0;

	(void)state;
	for (i = 0; i < NROWS; i++) {
		const char *name = cell(i, RF_NAME);
		size_t len = strlen(name);

		assert_true(len >= 6 && len <= 60);
		if (strstr(name, "\xC2\xB7")) {
			ndot++;
			if (strcmp(cell(i, RF_ETHNICITY), "01") == 0)
				fail_msg("row %zu: %s is 汉族", i, name);
			/* one dot between two parts */
			assert_true(strncmp(name, "\xC2\xB7", 2) != 0);
			assert_true(strcmp(name + len - 2, "\xC2\xB7") != 0);
			assert_null(strstr(strstr(name, "\xC2\xB7") + 2, "\xC2\xB7"));
		}
		/* no look-alike dots */
		assert_null(strstr(name, "\xE2\x80\xA2"));   /* U+2022 */
		assert_null(strstr(name, "\xE3\x83\xBB"));   /* U+30FB */
		for (k = 0; k < ARRAY_SIZE(compound); k++)
			if (strncmp(name, compound[k], strlen(compound[k])) == 0)
				ncompound++;
		for (k = 0; k < len; k++)
			if ((unsigned char)name[k] >= 0xF0)
				nwide++;
	}
	/* about 3% with a dot, some compound surnames, some outside the BMP */
	assert_true(ndot > NROWS / 100 && ndot < NROWS * 6 / 100);
	assert_true(ncompound > 0);
	assert_true(nwide > 0);
	assert_true(count_value(RF_ETHNICITY, "05") > 0);
	assert_true(count_value(RF_ETHNICITY, "04") > 0);
	assert_true(count_value(RF_ETHNICITY, "17") > 0);
}

static void
test_contacts(void **state)
{
	size_t i, nqq = 0, nedu = 0, n163 = 0;

	(void)state;
	for (i = 0; i < NROWS; i++) {
		const char *m = cell(i, RF_MOBILE), *mail = cell(i, RF_EMAIL);
		const char *at = strchr(mail, '@');
		struct wq_err err;
		size_t k;

		assert_true(check_mobile(m, &err));
		assert_true(all_digits(m, 11));
		assert_true(strncmp(m, "13", 2) == 0 || strncmp(m, "15", 2) == 0
			|| strncmp(m, "18", 2) == 0 || strncmp(m, "19", 2) == 0);
		assert_true(all_digits(cell(i, RF_EXAM_NO), 14));
		assert_true(check_date(cell(i, RF_BIRTH_DATE), &err));
		assert_true(check_date(cell(i, RF_ENTRY_DATE), &err));
		assert_true(check_date(cell(i, RF_GRAD_DATE), &err));

		assert_non_null(at);
		assert_null(strchr(at + 1, '@'));
		assert_true(at > mail);
		for (k = 0; mail[k]; k++)
			assert_true((unsigned char)mail[k] < 0x80);
		if (strcmp(at, "@qq.com") == 0)
			nqq++;
		else if (strcmp(at, "@163.com") == 0)
			n163++;
		else if (strcmp(at, "@example.edu.cn") == 0)
			nedu++;
		else
			fail_msg("row %zu: mail %s", i, mail);
	}
	assert_true(nqq > 0 && n163 > 0 && nedu > nqq);
}

static void
test_deterministic(void **state)
{
	size_t la, lb, lc;
	char *a = write_roster(3000, 42, &la);
	char *b = write_roster(3000, 42, &lb);
	char *c = write_roster(3000, 43, &lc);
	struct demo_row r1, r2;
	int f;

	(void)state;
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_true(la != lc || memcmp(a, c, la) != 0);
	/* a shorter roster is a prefix of a longer one */
	free(c);
	c = write_roster(100, 42, &lc);
	assert_true(lc < la);
	assert_memory_equal(a, c, lc);
	/* the seed changes most rows, not just a few */
	demo_roster_row(&school, 42, 5, &r1);
	demo_roster_row(&school, 43, 5, &r2);
	assert_string_not_equal(r1.v[RF_ID_NUMBER], r2.v[RF_ID_NUMBER]);
	for (f = 0; f < RF_COUNT; f++) {
		demo_roster_row(&school, 42, 5, &r2);
		assert_string_equal(r1.v[f], r2.v[f]);
	}
	free(a);
	free(b);
	free(c);
}

static void
test_errors(void **state)
{
	struct demo_school empty = { "", "北京大学" };
	struct wq_err err;
	size_t len;
	char *buf;
	FILE *f;

	(void)state;
	/* n = 0: the header only */
	buf = write_roster(0, 1, &len);
	assert_int_equal(len, strchr(buf, '\n') - buf + 1);
	free(buf);

	f = fopen("/dev/null", "w");
	assert_non_null(f);
	assert_false(demo_write_roster(f, &school, -1, 1, &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	assert_false(demo_write_roster(f, &school, DEMO_ROWS_MAX + 1, 1, &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	assert_false(demo_write_roster(f, &empty, 10, 1, &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	assert_false(demo_write_roster(f, &school, -1, 1, NULL));
	fclose(f);

	/* a full disk */
	f = fopen("/dev/full", "w");
	if (!f)
		skip();
	assert_false(demo_write_roster(f, &school, 1000, 1, &err));
	assert_int_equal(err.code, WQ_ERR_IO);
	assert_non_null(strstr(err.msg, "写入学生名单失败"));
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_rows_match_row_api),
		cmocka_unit_test(test_id_numbers),
		cmocka_unit_test(test_unique),
		cmocka_unit_test(test_unique_million),
		cmocka_unit_test(test_departments),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_training_modes),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_contacts),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
