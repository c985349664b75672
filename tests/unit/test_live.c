/*
 * test_live.c: the rate limit of the screens' live re-reads (tui/live.c):
 * nothing is due without a hint; the first hint after a quiet spell is due
 * at once; a burst within the interval makes one more read when it has
 * passed, not one per hint; any read (opening, R) counts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "live.h"

static void
test_no_hint_nothing_due(void **state)
{
	struct live lv;

	(void)state;
	live_init(&lv, 3000);
	assert_false(live_due(&lv, 0));
	assert_false(live_due(&lv, 1000000));
	live_read(&lv, 10000);
	assert_false(live_due(&lv, 20000));
}

static void
test_first_hint_due_at_once(void **state)
{
	struct live lv;

	(void)state;
	live_init(&lv, 3000);
	/* not read yet: due at once */
	live_hint(&lv);
	assert_true(live_due(&lv, 5));
	live_read(&lv, 5);
	assert_false(live_due(&lv, 5));
	/* a quiet spell longer than the interval, then a hint: due at once */
	live_hint(&lv);
	assert_true(live_due(&lv, 60000));
}

/* Twenty decisions 100 ms apart, the loop turning every 100 ms: a read at once, then one per interval, the last after the burst. */
static void
test_burst_reads_once_per_interval(void **state)
{
	struct live lv;
	long long t, reads[16];
	int n = 0, i;

	(void)state;
	live_init(&lv, 3000);
	live_read(&lv, 0);              /* opened */
	for (t = 10000; t <= 20000; t += 100) {
		if (t < 12000)
			live_hint(&lv);     /* a decision, 10 000 .. 11 900 */
		if (live_due(&lv, t)) {
			assert_true(n < 16);
			reads[n++] = t;
			live_read(&lv, t);
		}
	}
	/* at once, then once more 3 s later for the hints that came after it */
	assert_int_equal(n, 2);
	assert_int_equal(reads[0], 10000);
	assert_int_equal(reads[1], 13000);
	for (i = 1; i < n; i++)
		assert_true(reads[i] - reads[i - 1] >= 3000);
	assert_false(lv.pending);      /* the screen ended on what is there */
}

static void
test_any_read_counts(void **state)
{
	struct live lv;

	(void)state;
	live_init(&lv, 3000);
	live_read(&lv, 1000);          /* opened */
	live_hint(&lv);
	assert_false(live_due(&lv, 1500));
	assert_false(live_due(&lv, 3999));
	assert_true(live_due(&lv, 4000));
	/* R read it all meanwhile: the hint is answered */
	live_read(&lv, 3500);
	assert_false(live_due(&lv, 9000));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_hint_nothing_due),
		cmocka_unit_test(test_first_hint_due_at_once),
		cmocka_unit_test(test_burst_reads_once_per_interval),
		cmocka_unit_test(test_any_read_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
