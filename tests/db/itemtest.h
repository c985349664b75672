/*
 * itemtest.h: the fixture and helpers of the item suites (itemtest.c).
 */
#ifndef WQ_ITEMTEST_H
#define WQ_ITEMTEST_H

#include "dbtest.h"

#define EMP_A "91350100M000100Y43"
#define EMP_B "91440300708461136T"
/* a 1x1 PNG: a scan */
#define PNG_BYTEA "decode('89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55" \
	"0000000a49444154789c63f80f0001010100b138f6140000000049454e44ae426082', 'hex')"

extern struct wq_db *pt, *sa, *sb, *da, *dx;   /* portal, schools 10001 / 10002, 院系 clerks of 10001 */
extern char stu[8][64];                         /* 学号 of da's students */
extern char stu_x[64];                          /* one of dx's */

/* cmocka group setup and teardown: the fixture above (state: the superuser's connection) */
int items_setup(void **state);
int items_teardown(void **state);

/* Fails unless the formatted statement is refused with a message containing want. */
void refused_with(struct wq_db *db, const char *want, const char *fmt, ...);
/* Fails unless have (freed) equals want. */
void eq(char *have, const char *want);
/* 审核方式 of school 10001: school | dept_then_school. */
void set_mode(struct wq_db *su, const char *mode);

/*
 * Decides item id as db (category and reason may be NULL) at the version db
 * sees in wq_api.LIST_FN (destinations, terminations); the new state (caller frees).
 */
char *item_decide(struct wq_db *db, const char *list_fn, const char *id, const char *action, const char *category,
	const char *reason);

#endif
