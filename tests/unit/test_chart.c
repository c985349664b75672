/*
 * test_chart.c: the statistics' bars and numbers: a bar in eighths of a
 * cell (or '#' per cell under --ascii), rounded half up, never longer than
 * its width and never empty above zero; 落实率 with one decimal, rounded half
 * up; counts with thousands separators.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "chart.h"
#include "stats.h"
#include "str.h"

static void
test_block_bars(void **state)
{
	char buf[256];

	(void)state;
	/* full: every cell a full block */
	assert_int_equal(chart_bar(buf, sizeof(buf), 10, 10, 4, false), 4);
	assert_string_equal(buf, "████");
	/* half of 4 cells: two full blocks */
	assert_int_equal(chart_bar(buf, sizeof(buf), 5, 10, 4, false), 2);
	assert_string_equal(buf, "██");
	/* 913 of 1000 in 10 cells: 73.04 eighths, 9 full cells and one eighth */
	assert_int_equal(chart_bar(buf, sizeof(buf), 913, 1000, 10, false), 10);
	assert_string_equal(buf, "█████████▏");
	/* 3 eighths: ▍ */
	assert_int_equal(chart_bar(buf, sizeof(buf), 3, 8, 1, false), 1);
	assert_string_equal(buf, "▍");
	/* 742 of 1000 in 28 cells: 166.2 eighths → 20 full and ▊ (6/8) */
	assert_int_equal(chart_bar(buf, sizeof(buf), 742, 1000, 28, false), 21);
	assert_int_equal((int)str_width(buf), 21);
	assert_int_equal(strcmp(buf + strlen(buf) - strlen("▊"), "▊"), 0);
	/* nothing for zero, at least the smallest mark above zero */
	assert_int_equal(chart_bar(buf, sizeof(buf), 0, 10, 10, false), 0);
	assert_string_equal(buf, "");
	assert_int_equal(chart_bar(buf, sizeof(buf), 1, 100000, 10, false), 1);
	assert_string_equal(buf, "▏");
	/* above max: drawn as max; no max: nothing */
	assert_int_equal(chart_bar(buf, sizeof(buf), 50, 10, 3, false), 3);
	assert_int_equal(chart_bar(buf, sizeof(buf), 5, 0, 3, false), 0);
	/* a small buffer: cut at a whole glyph, still a string */
	assert_int_equal(chart_bar(buf, 8, 10, 10, 10, false), 2);
	assert_string_equal(buf, "██");
}

static void
test_ascii_bars(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(chart_bar(buf, sizeof(buf), 913, 1000, 10, true), 9);
	assert_string_equal(buf, "#########");
	assert_int_equal(chart_bar(buf, sizeof(buf), 5, 10, 5, true), 3);   /* 2.5 cells, half up */
	assert_string_equal(buf, "###");
	assert_int_equal(chart_bar(buf, sizeof(buf), 1, 1000, 10, true), 1);
	assert_string_equal(buf, "#");
	assert_int_equal(chart_bar(buf, sizeof(buf), 0, 1000, 10, true), 0);
}

static void
test_rates_and_numbers(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(stats_rate(buf, sizeof(buf), 3773, 4812), 784);
	assert_string_equal(buf, "78.4%");
	assert_int_equal(stats_rate(buf, sizeof(buf), 1, 8), 125);    /* 12.5 exactly */
	assert_string_equal(buf, "12.5%");
	assert_int_equal(stats_rate(buf, sizeof(buf), 1, 16), 63);    /* 6.25 → 6.3, half up */
	assert_string_equal(buf, "6.3%");
	assert_int_equal(stats_rate(buf, sizeof(buf), 0, 5), 0);
	assert_string_equal(buf, "0.0%");
	assert_int_equal(stats_rate(buf, sizeof(buf), 7, 7), 1000);
	assert_string_equal(buf, "100.0%");
	assert_int_equal(stats_rate(buf, sizeof(buf), 0, 0), -1);
	assert_string_equal(buf, "—");
	/* a province's figures do not overflow */
	assert_int_equal(stats_rate(buf, sizeof(buf), 799999, 1000000), 800);
	stats_thousands(buf, sizeof(buf), 0);
	assert_string_equal(buf, "0");
	stats_thousands(buf, sizeof(buf), 812);
	assert_string_equal(buf, "812");
	stats_thousands(buf, sizeof(buf), 4812);
	assert_string_equal(buf, "4,812");
	stats_thousands(buf, sizeof(buf), 1000000);
	assert_string_equal(buf, "1,000,000");
}

static void
test_breakdowns(void **state)
{
	enum stats_by by;

	(void)state;
	assert_true(stats_by_parse("origin", &by));
	assert_int_equal(by, STATS_BY_ORIGIN);
	assert_string_equal(stats_by_labels[by], "生源地");
	assert_false(stats_by_parse("Origin", &by));
	assert_false(stats_by_parse(NULL, &by));
	assert_int_equal(stats_default_by("province"), STATS_BY_SCHOOL);
	assert_int_equal(stats_default_by("school"), STATS_BY_DEPT);
	assert_int_equal(stats_default_by("dept"), STATS_BY_DEPT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_bars),
		cmocka_unit_test(test_ascii_bars),
		cmocka_unit_test(test_rates_and_numbers),
		cmocka_unit_test(test_breakdowns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
