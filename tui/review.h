/*
 * review.h: the review queues (review.c) and the item page pushed over
 * them (review_item.c): 在线签约管理, 补登管理, 去向登记管理 and 解约管理.
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

/* One queue: 在线签约管理 ("signing"), 补登管理 ("registration"), 去向登记管理 ("destination") or 解约管理 ("termination"). */
struct review {
	bool ready;
	const char *queue;            /* "signing", "registration", "destination" or "termination" */
	const struct queue_kind *kind;  /* its columns and tabs */
	struct list_col cols[QC_COUNT]; /* the list's columns: the queue's */
	struct list_source src;
	struct list list;
	struct queue_query q;
	struct query sql;             /* the query in flight, alive while it runs */
	int tab;                      /* one of the queue's tabs (补登管理, 去向登记管理) */
	bool batch;                   /* the batch pass question is open */
	struct dialog ask;
	bool report;                  /* the batch's outcome is shown */
	bool stale;                   /* read again once the batch question closes */
};

/* The cell of column col in a row of the queue ("" when the queue has no such column). */
const char *review_cell(const struct review *r, const struct list_row *row, enum queue_col col);

/*
 * Pushes the page of the queue's current item over it; with a decision
 * action (ACT_REVIEW_PASS, _RETURN, _REJECT) that decision starts at once.
 */
void review_item_push(struct shell *sh, struct review *r, enum action a);

#endif
