/* live.c: a re-read that notifications ask for, at most once every interval (see live.h). */
#include "live.h"

#include <time.h>

void
live_init(struct live *lv, long interval_ms)
{
	lv->interval_ms = interval_ms;
	lv->pending = false;
	lv->read = false;
	lv->last_ms = 0;
}

void
live_hint(struct live *lv)
{
	lv->pending = true;
}

bool
live_due(const struct live *lv, long long now_ms)
{
	return lv->pending && (!lv->read || now_ms - lv->last_ms >= lv->interval_ms);
}

void
live_read(struct live *lv, long long now_ms)
{
	lv->pending = false;
	lv->read = true;
	lv->last_ms = now_ms;
}

long long
live_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}
