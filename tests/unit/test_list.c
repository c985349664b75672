/*
 * test_list.c: the list widget's logic (tui/list.c) without a database or a
 * terminal: the window of rows, marks kept by id, the cursor and paging, the
 * column choices saved per login.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "list.h"
#include "unittest.h"
#include "util.h"

static const struct list_col cols[] = {
	{ "NO", "学号", 10, true, false, false },
	{ "NAME", "姓名", 10, true, false, false },
	{ "DEPT", "院系", 10, false, true, false },
	{ "MOBILE", "手机号码", 12, false, false, true },
};

static const struct list_source src = {
	.name = "test",
	.cols = cols,
	.ncols = 4,
	.frozen = 2,
	.markable = true,
	.title = "测试",
	.noun = "行",
	.empty = "",
};

/* A result of n rows whose ids are first, first + 1, ... (columns as a page). */
static struct wq_rows *
page(int first, int n)
{
	struct wq_rows *r = xcalloc(1, sizeof(*r));
	int i, c;

	r->nrows = n;
	r->ncols = 2 + 4;
	r->names = xcalloc((size_t)r->ncols, sizeof(char *));
	for (c = 0; c < r->ncols; c++)
		r->names[c] = xasprintf("c%d", c);
	r->values = xcalloc((size_t)(n * r->ncols) + 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		r->values[i * r->ncols + 0] = xasprintf("%d", first + i);
		r->values[i * r->ncols + 1] = xasprintf("%08d", first + i);
		for (c = 2; c < r->ncols; c++)
			r->values[i * r->ncols + c] = xasprintf("v%d-%d", first + i, c);
	}
	return r;
}

static void
add(struct list *l, int first, int n, bool at_front, bool reversed)
{
	struct wq_rows *r = page(first, n);

	list_add_rows(l, r, at_front, reversed);
	rows_free(r);
}

/* The window keeps LIST_WINDOW_ROWS rows and slides with the cursor. */
static void
test_window_slides(void **state)
{
	struct list l;
	int i;

	(void)state;
	list_init(&l, &src, NULL, NULL);
	for (i = 0; i < 5; i++)
		add(&l, 1 + i * 200, 200, false, false);
	assert_int_equal(l.nrows, 1000);
	assert_true(l.at_start);
	l.sel = 990;
	add(&l, 1001, 200, false, false);
	assert_int_equal(l.nrows, LIST_WINDOW_ROWS);
	assert_false(l.at_start);
	/* the cursor stays on the same row as rows drop off the front */
	assert_string_equal(l.rows[l.sel].id, "991");
	assert_string_equal(l.rows[0].id, "201");
	/* a page before the window (walked backwards) drops rows at the end */
	l.sel = 0;
	add(&l, 1, 200, true, false);
	assert_string_equal(l.rows[0].id, "1");
	assert_string_equal(l.rows[199].id, "200");
	assert_string_equal(l.rows[l.sel].id, "201");
	assert_int_equal(l.nrows, LIST_WINDOW_ROWS);
	assert_true(l.more);
	list_fini(&l);
}

/* Marks are kept by id: they survive the rows leaving and coming back. */
static void
test_marks_survive_paging(void **state)
{
	struct list l;

	(void)state;
	list_init(&l, &src, NULL, NULL);
	add(&l, 1, 200, false, false);
	list_mark(&l, l.rows[3].id, true);
	list_mark(&l, l.rows[7].id, true);
	list_mark(&l, l.rows[7].id, true);   /* twice is once */
	assert_int_equal(l.nmarks, 2);
	/* another page replaces the rows */
	list_clear_rows(&l);
	add(&l, 201, 200, false, false);
	assert_false(list_is_marked(&l, l.rows[3].id));
	assert_true(list_is_marked(&l, "4"));
	assert_true(list_is_marked(&l, "8"));
	/* and back */
	list_clear_rows(&l);
	add(&l, 1, 200, false, false);
	assert_true(list_is_marked(&l, l.rows[3].id));
	list_mark(&l, "4", false);
	assert_false(list_is_marked(&l, l.rows[3].id));
	assert_int_equal(l.nmarks, 1);
	assert_int_equal(list_mark_window(&l), 200);
	list_unmark_all(&l);
	assert_int_equal(l.nmarks, 0);
	list_fini(&l);
}

/* The cursor stays inside the window; near an edge the list asks for a page. */
static void
test_cursor_and_paging(void **state)
{
	struct list l;

	(void)state;
	list_init(&l, &src, NULL, NULL);
	assert_int_equal(list_wants(&l), LP_NONE);
	assert_null(list_current(&l));
	add(&l, 1, 200, false, false);
	l.more = true;
	l.visible = 20;
	list_move(&l, -5);
	assert_int_equal(l.sel, 0);
	list_move(&l, 19);
	assert_int_equal(l.sel, 19);
	assert_int_equal(list_wants(&l), LP_NONE);
	list_move(&l, 1000);
	assert_int_equal(l.sel, 199);
	assert_string_equal(list_current(&l)->id, "200");
	assert_int_equal(list_wants(&l), LP_MORE);
	l.sel = 179;
	assert_int_equal(list_wants(&l), LP_MORE);   /* within a screen of the end */
	l.sel = 170;
	assert_int_equal(list_wants(&l), LP_NONE);
	l.more = false;
	l.at_start = false;
	l.sel = 5;
	assert_int_equal(list_wants(&l), LP_BEFORE);
	list_fini(&l);
}

/* The sort skips the columns that cannot be sorted by. */
static void
test_next_sort(void **state)
{
	struct list l;

	(void)state;
	list_init(&l, &src, NULL, NULL);
	assert_int_equal(l.sort, 0);
	assert_int_equal(list_next_sort(&l, 1), 1);
	l.sort = 1;
	assert_int_equal(list_next_sort(&l, 1), 0);
	assert_int_equal(list_next_sort(&l, -1), 0);
	list_fini(&l);
}

/* Shown columns: the frozen ones always, hidden ones never, scrolled from hscroll. */
static void
test_shown_columns(void **state)
{
	struct list l;
	int shown[8], n;

	(void)state;
	list_init(&l, &src, NULL, NULL);
	n = list_shown_columns(&l, 200, shown);
	assert_int_equal(n, 3);   /* MOBILE is hidden until shown */
	l.hidden[3] = false;
	l.hscroll = 1;
	n = list_shown_columns(&l, 200, shown);
	assert_int_equal(n, 3);
	assert_int_equal(shown[0], 0);
	assert_int_equal(shown[1], 1);
	assert_int_equal(shown[2], 3);
	/* too narrow: still the frozen columns */
	n = list_shown_columns(&l, 5, shown);
	assert_int_equal(n, 2);
	list_fini(&l);
}

/* Column choices are saved per login. */
static void
test_columns_per_login(void **state)
{
	char dir[] = "/tmp/wq-test-list.XXXXXX", *path;
	struct list l;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("XDG_STATE_HOME", dir, 1);
	list_init(&l, &src, NULL, NULL);
	list_columns_load(&l, "zhang");
	l.hidden[2] = true;
	l.hidden[3] = false;
	l.order[2] = 3;
	l.order[3] = 2;
	assert_true(list_columns_save(&l));
	path = list_columns_path(&l);
	assert_non_null(strstr(path, "/wq/zhang/test.columns"));
	free(path);
	list_fini(&l);

	list_init(&l, &src, NULL, NULL);
	list_columns_load(&l, "zhang");
	assert_true(l.hidden[2]);
	assert_false(l.hidden[3]);
	assert_int_equal(l.order[2], 3);
	/* another login has its own (here: the defaults) */
	list_columns_load(&l, "lisi");
	assert_false(l.hidden[2]);
	assert_true(l.hidden[3]);
	assert_int_equal(l.order[2], 2);
	/* a login is never a path */
	list_columns_load(&l, "../x");
	path = list_columns_path(&l);
	assert_null(strstr(path, "../"));
	free(path);
	list_fini(&l);
	remove_tree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_slides),
		cmocka_unit_test(test_marks_survive_paging),
		cmocka_unit_test(test_cursor_and_paging),
		cmocka_unit_test(test_next_sort),
		cmocka_unit_test(test_shown_columns),
		cmocka_unit_test(test_columns_per_login),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
