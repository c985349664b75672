/*
 * review.h: the review queues (review.c) and the item page pushed over
 * them (review_item.c).
 */
#ifndef WQ_REVIEW_H
#define WQ_REVIEW_H

#include <stdbool.h>

#include "action.h"
#include "dialog.h"
#include "list.h"
#include "query.h"
#include "queue.h"

struct shell;

/* One queue: 在线签约管理 ("signing") or 补登管理 ("registration"). */
struct review {
	bool ready;
	const char *queue;            /* "signing" or "registration" */
	struct list list;
	struct queue_query q;
	struct query sql;             /* the query in flight, alive while it runs */
	int tab;                      /* 补登管理: 签约审核中 / 签约审核不通过 / 签约审核通过 */
	bool batch;                   /* the batch pass question is open */
	struct dialog ask;
	bool report;                  /* the batch's outcome is shown */
};

/*
 * Pushes the page of the queue's current item over it; with a decision
 * action (ACT_REVIEW_PASS, _RETURN, _REJECT) that decision starts at once.
 */
void review_item_push(struct shell *sh, struct review *r, enum action a);

#endif
