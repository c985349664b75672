/*
 * live.h: a re-read that notifications ask for, at most once every interval.
 *
 * A notification (LISTEN) is only a hint that something may have changed:
 * anyone may NOTIFY any channel, and a burst of decisions sends one each.
 * The view reads the truth again from the database, but not for every
 * hint: a hint is due once the interval since the view's last read has
 * passed (at once after a quiet spell); the hints of a burst within the
 * interval make one more read when it has passed, so a burst costs at most
 * one read every interval and the screen ends on what is there.  Every read
 * the view does (opening, R, the due one) counts.  Times are milliseconds of a monotonic
 * clock (live_now_ms), passed in so that tests choose them.
 */
#ifndef WQ_LIVE_H
#define WQ_LIVE_H

#include <stdbool.h>

struct live {
	long interval_ms;
	bool pending;          /* a hint came since the last read */
	bool read;             /* the view has read at least once */
	long long last_ms;     /* when it last read */
};

void live_init(struct live *lv, long interval_ms);

/* A notification came. */
void live_hint(struct live *lv);

/* Is a re-read due at now_ms (a hint came and the interval has passed)? */
bool live_due(const struct live *lv, long long now_ms);

/* The view read at now_ms: what it shows is as of then. */
void live_read(struct live *lv, long long now_ms);

/* Milliseconds of CLOCK_MONOTONIC. */
long long live_now_ms(void);

#endif
