/*
 * test_keymap.c: the action table (tui/action.h) is one consistent keymap:
 * no key names two actions of one context, every action that writes asks
 * first, and the keys: section of the configuration rebinds actions and
 * refuses unknown names, unknown keys and keys bound twice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "conf.h"

static void
test_no_key_bound_twice(void **state)
{
	char *conflict;

	(void)state;
	conflict = action_find_conflict(actions, action_count);
	if (conflict)
		fail_msg("a key names two actions of one context: %s", conflict);
}

/* The check itself finds a conflict when there is one. */
static void
test_conflict_is_found(void **state)
{
	struct action_info t[2];
	char *conflict;

	(void)state;
	memset(t, 0, sizeof(t));
	t[0].name = "ONE";
	t[0].ctx = CTX_STUDENTS | CTX_ACCOUNTS;
	t[0].keys[0] = 'x';
	t[1].name = "TWO";
	t[1].ctx = CTX_ACCOUNTS;
	t[1].keys[0] = 'y';
	t[1].keys[1] = 'x';
	conflict = action_find_conflict(t, 2);
	assert_non_null(conflict);
	assert_non_null(strstr(conflict, "ONE/TWO"));
	free(conflict);
	t[1].ctx = CTX_DETAIL;
	assert_null(action_find_conflict(t, 2));
}

/*
 * A form is in several contexts at once (form_context: CTX_FORM and the
 * focused field's kind), and a view's dialog in CTX_DIALOG: in each such
 * combination, too, a key names one action.
 */
static void
test_no_key_bound_twice_in_a_form(void **state)
{
	static const int combos[] = {
		CTX_FORM | CTX_FORM_LINE, CTX_FORM | CTX_FORM_LINE | CTX_FORM_CHOICE,
		CTX_FORM | CTX_FORM_MULTI, CTX_FORM | CTX_FORM_BUTTON, CTX_FORM_READ, CTX_DIALOG,
	};
	size_t c;
	int i, j;
	const int *k, *m;

	(void)state;
	for (c = 0; c < sizeof(combos) / sizeof(combos[0]); c++)
		for (i = 0; i < action_count; i++)
			for (j = i + 1; j < action_count; j++) {
				if (!(actions[i].ctx & combos[c]) || !(actions[j].ctx & combos[c]))
					continue;
				for (k = actions[i].keys; *k; k++)
					for (m = actions[j].keys; *m; m++)
						if (*k == *m)
							fail_msg("key %d names %s and %s in a form", *k, actions[i].name, actions[j].name);
			}
	/* and each has a way out and a way on */
	assert_int_equal(action_for_key(false, 27, CTX_FORM | CTX_FORM_LINE), ACT_FORM_CANCEL);
	assert_int_equal(action_for_key(false, 19, CTX_FORM | CTX_FORM_MULTI), ACT_FORM_SUBMIT);
	assert_int_equal(action_for_key(false, 'y', CTX_DIALOG), ACT_DIALOG_YES);
	assert_int_equal(action_for_key(false, 'L', CTX_DIALOG), ACT_NONE);   /* the key that opened it */
	assert_int_equal(action_for_key(false, 'q', CTX_DIALOG), ACT_DIALOG_NO);
}

static void
test_writes_confirm(void **state)
{
	int i, writes = 0;

	(void)state;
	for (i = 0; i < action_count; i++) {
		if (!(actions[i].flags & A_WRITES))
			continue;
		writes++;
		if (!(actions[i].flags & A_CONFIRMS))
			fail_msg("%s writes without asking first", actions[i].name);
	}
	assert_true(writes >= 4);   /* SAVE, ADD, LOCK, PASSWORD at least */
}

static void
test_table_in_order(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < action_count; i++) {
		assert_int_equal(actions[i].id, i + 1);
		assert_true(actions[i].keys[0] != 0);
		assert_true(actions[i].ctx != 0);
		assert_non_null(actions[i].help);
	}
	assert_int_equal(action_count, ACT_COUNT - 1);
}

/*
 * Each context is a bit of its own, so a view's keys never leak into
 * another's; and 预警单位管理 marks, removes and switches with its own keys,
 * the writing ones asking first.
 */
static void
test_contexts_and_warning_keys(void **state)
{
	static const int bits[] = {
		CTX_SIDEBAR, CTX_HOME, CTX_PENDING, CTX_STUDENTS, CTX_DETAIL, CTX_SETTINGS, CTX_ACCOUNTS,
		CTX_PICKER, CTX_COLUMNS, CTX_FILTER_EDIT, CTX_REVIEW, CTX_HELP, CTX_COMMAND_LINE, CTX_DIALOG,
		CTX_FORM, CTX_FORM_LINE, CTX_FORM_MULTI, CTX_FORM_CHOICE, CTX_FORM_BUTTON, CTX_FORM_READ,
		CTX_REVIEW_DETAIL, CTX_WARNING, CTX_IMAGE, CTX_DEST_DETAIL, CTX_DEST_SCHOOL, CTX_STATS,
		CTX_TERM_DETAIL, CTX_TERM_SCHOOL,
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		assert_int_equal(bits[i] & (bits[i] - 1), 0);   /* one bit */
		for (j = i + 1; j < sizeof(bits) / sizeof(bits[0]); j++)
			if (bits[i] == bits[j])
				fail_msg("contexts %zu and %zu share a bit", i, j);
	}
	assert_int_equal(action_for_key(false, 'a', CTX_WARNING), ACT_WARNING_ADD);
	assert_int_equal(action_for_key(false, 'd', CTX_WARNING), ACT_WARNING_REMOVE);
	assert_int_equal(action_for_key(false, 't', CTX_WARNING), ACT_WARNING_SWITCH);
	assert_int_equal(action_for_key(false, 'j', CTX_WARNING), ACT_MOVE_DOWN);
	assert_int_equal(action_for_key(false, 'q', CTX_WARNING), ACT_BACK);
	assert_int_equal(actions[ACT_WARNING_ADD - 1].flags & (A_WRITES | A_CONFIRMS), A_WRITES | A_CONFIRMS);
	assert_int_equal(actions[ACT_WARNING_REMOVE - 1].flags & (A_WRITES | A_CONFIRMS), A_WRITES | A_CONFIRMS);
	assert_int_equal(actions[ACT_WARNING_SWITCH - 1].flags & A_WRITES, 0);
	/* elsewhere the keys are not these */
	assert_int_not_equal(action_for_key(false, 'd', CTX_ACCOUNTS), ACT_WARNING_REMOVE);
	assert_int_not_equal(action_for_key(false, 'a', CTX_ACCOUNTS), ACT_WARNING_ADD);
}

static void
test_parse_keys(void **state)
{
	int keys[ACTION_MAX_KEYS + 1];

	(void)state;
	assert_true(action_parse_keys("F F4 Ctrl-E", keys, ACTION_MAX_KEYS));
	assert_int_equal(keys[0], 'F');
	assert_int_equal(keys[1], KEY_F(4));
	assert_int_equal(keys[2], 5);
	assert_int_equal(keys[3], 0);
	assert_true(action_parse_keys("Enter", keys, ACTION_MAX_KEYS));
	assert_int_equal(keys[0], '\r');
	assert_int_equal(keys[1], '\n');
	assert_false(action_parse_keys("Hyper-X", keys, ACTION_MAX_KEYS));
	assert_false(action_parse_keys("", keys, ACTION_MAX_KEYS));
	assert_false(action_parse_keys("F13", keys, ACTION_MAX_KEYS));
}

/* The keys: section through the real configuration loader. */
static void
test_conf_keys(void **state)
{
	struct wq_conf conf;
	struct wq_err err;

	(void)state;
	conf_keys_check = action_check_binding;
	conf_init_defaults(&conf);
	assert_true(conf_merge_string(&conf, "a.yaml", "keys:\n  FILTER: \"F F4\"\n", &err));
	assert_int_equal(conf.keys.n, 1);
	action_apply_bindings(&conf.keys);
	assert_int_equal(action_for_key(false, 'F', CTX_STUDENTS), ACT_FILTER);
	assert_int_equal(action_for_key(false, '/', CTX_STUDENTS), ACT_NONE);
	assert_string_equal(actions[ACT_FILTER - 1].key_label, "F/F4");

	/* an unknown action, with FILE:LINE:COL */
	assert_false(conf_merge_string(&conf, "b.yaml", "keys:\n  FILTRE: \"F\"\n", &err));
	assert_non_null(strstr(err.msg, "b.yaml:2:"));
	assert_non_null(strstr(err.msg, "FILTRE"));
	/* a key that already does something else there */
	assert_false(conf_merge_string(&conf, "c.yaml", "keys:\n  FILTER: \"s\"\n", &err));
	assert_non_null(strstr(err.msg, "c.yaml:2:"));
	assert_non_null(strstr(err.msg, "SORT"));
	/* two actions of this file on one key */
	assert_false(conf_merge_string(&conf, "d.yaml", "keys: { FILTER: \"x\", COLUMNS: \"x\" }\n", &err));
	assert_non_null(strstr(err.msg, "d.yaml:1:"));
	/* an unknown key */
	assert_false(conf_merge_string(&conf, "e.yaml", "keys:\n  FILTER: \"Hyper-X\"\n", &err));
	assert_non_null(strstr(err.msg, "e.yaml:2:"));
	/* a key used in another context only is fine */
	assert_true(conf_merge_string(&conf, "f.yaml", "keys:\n  ADD: \"n\"\n", &err));
	conf_fini(&conf);
}

/* A detail page's moving keys scroll it, never above its top; other actions are not theirs. */
static void
test_page_scroll(void **state)
{
	int scroll = 0;

	(void)state;
	assert_true(action_scroll(ACT_MOVE_UP, &scroll));
	assert_int_equal(scroll, 0);
	assert_true(action_scroll(ACT_PAGE_DOWN, &scroll));
	assert_true(action_scroll(ACT_HALF_DOWN, &scroll));
	assert_true(action_scroll(ACT_MOVE_DOWN, &scroll));
	assert_int_equal(scroll, 16);
	assert_true(action_scroll(ACT_HALF_UP, &scroll));
	assert_int_equal(scroll, 11);
	assert_true(action_scroll(ACT_PAGE_UP, &scroll));
	assert_int_equal(scroll, 1);
	assert_true(action_scroll(ACT_PAGE_UP, &scroll));
	assert_int_equal(scroll, 0);
	assert_false(action_scroll(ACT_NEXT_ITEM, &scroll));
	assert_false(action_scroll(ACT_REVIEW_PASS, &scroll));
	assert_int_equal(scroll, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_key_bound_twice),
		cmocka_unit_test(test_no_key_bound_twice_in_a_form),
		cmocka_unit_test(test_conflict_is_found),
		cmocka_unit_test(test_writes_confirm),
		cmocka_unit_test(test_table_in_order),
		cmocka_unit_test(test_contexts_and_warning_keys),
		cmocka_unit_test(test_parse_keys),
		cmocka_unit_test(test_conf_keys),
		cmocka_unit_test(test_page_scroll),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
