/*
 * queue.h: the review queues (在线签约管理, 补登管理, 去向登记管理, 解约管理)
 * as the screens read them: keyset pages and counts of wq_api.agreement_page
 * / agreement_count (destination_page / destination_count, termination_page
 * / termination_count),
 * an item's detail and history, and what waits for the user.  Decisions and
 * their reasons are src/agreement.h's.  SQL and values only: nothing here
 * draws.
 */
#ifndef WQ_QUEUE_H
#define WQ_QUEUE_H

#include <stdbool.h>

#include "err.h"
#include "pg.h"
#include "query.h"

/*
 * The columns of a queue row, after id and sort value:
 * _(id, 列名, over wq_api.agreement_rows, over wq_api.destination_rows,
 *   over wq_api.termination_rows, sort key, filterable).  An expression
 * NULL: the column is not in that queue (去向登记管理 has no 单位名称; the
 * agreements' queues no 毕业去向).
 */
#define QUEUE_COLS(_) \
	_(WAITED,     "等待",     "waited",          "waited",        "waited",          "waiting",     false) \
	_(STUDENT_NO, "学号",     "student_no",      "student_no",    "student_no",      "student_no",  false) \
	_(NAME,       "姓名",     "student_name",    "student_name",  "student_name",    "name",        false) \
	_(DEPT,       "院系",     "dept",            "dept",          "dept",            "dept",        true)  \
	_(EMPLOYER,   "单位名称", "employer_name",   NULL,            "employer_name",   "employer",    false) \
	_(DEST,       "毕业去向", NULL,              "what",          NULL,              "code",        false) \
	_(WARNING,    "预警",     "coalesce(warning, '')", NULL,      "coalesce(warning, '')", "",      false) \
	_(INITIATOR,  "发起方",   "initiator_label", NULL,            "initiator_label", "",            true)  \
	_(KIND,       "签约方式", "kind_label",      NULL,            NULL,              "",            false) \
	_(TERM_KIND,  "解约方式", NULL,              NULL,            "kind_label",      "",            false) \
	_(STATE,      "状态",     "state_label",     "state_label",   "state_label",     "state",       true)  \
	_(LEVEL,      "审核层级", "coalesce(level_label, '')", "coalesce(level_label, '')", "coalesce(level_label, '')", "", false) \
	_(SOURCE,     "来源",     NULL,              "source_label",  NULL,              "",            true)  \
	_(PROTOCOL,   "协议书编号", "protocol_no",   NULL,            "protocol_no",     "protocol_no", false) \
	_(STATUS,     "经营状态", "employer_status", NULL,            "employer_status", "",            false) \
	_(CAUSE,      "解约原因", NULL,              NULL,            "coalesce(cause_label, '')", "",  false)

/* Where a queue's rows come from: wq_api.agreement_*, destination_* or termination_*. */
enum queue_source { QS_AGREEMENT, QS_DESTINATION, QS_TERMINATION, QS_COUNT };

enum queue_col {
#define QUEUE_COL_ENUM(id, label, expr, dest_expr, term_expr, sort, filterable) QC_##id,
	QUEUE_COLS(QUEUE_COL_ENUM)
#undef QUEUE_COL_ENUM
	QC_COUNT
};

struct queue_col_info {
	const char *label;
	const char *expr[QS_COUNT];   /* over each source's rows, or NULL */
	const char *sort;       /* the page function's p_sort, "" when not sortable */
	bool filterable;
};
extern const struct queue_col_info queue_cols[QC_COUNT];

/*
 * The queues: 在线签约管理 ("signing"), 补登管理 ("registration"),
 * 去向登记管理 ("destination") and 解约管理 ("termination").  Each has its columns (a page's rows have
 * them in this order after id and sort value) and its tabs (t).
 */
struct queue_kind {
	const char *queue;
	enum queue_source source;          /* the functions it reads */
	const char *fn;                    /* their prefix: "agreement", "destination", "termination" */
	const enum queue_col *order;       /* its columns in this order (NULL: QUEUE_COLS'), norder of them */
	int norder;
	enum queue_col cols[QC_COUNT];
	int ncols;
	const char *const *tabs;           /* the page function's p_state for each tab */
	const char *const *tab_labels;
	int ntabs;                         /* 0: no tabs */
};

/* The queue named queue ("signing" when it is none of them). */
const struct queue_kind *queue_kind_of(const char *queue);
/* Where column col is among the queue's, or -1. */
int queue_kind_index(const struct queue_kind *k, enum queue_col col);

struct queue_query {
	const char *queue;      /* "signing", "registration", "destination" or "termination" */
	char text[256];         /* the / filter: 姓名, 学号, 单位名称, 协议书编号 (去向: 单位、学校名称) */
	const char *tab;        /* NULL or one of the queue's tabs */
	char *initiator;        /* "employer" / "student" or NULL (签约, 解约) */
	char *source;           /* 去向登记: "student" / "school" or NULL */
	char *dept;             /* one 院系 or NULL */
	char *state;            /* one state or NULL */
	bool waiting;           /* only what the user may decide now */
	enum queue_col sort;
	bool desc;
};

void queue_query_init(struct queue_query *q, const char *queue);
void queue_query_fini(struct queue_query *q);
/* A field filter of column col (value NULL: none); only 院系, 发起方, 状态 and 来源 filter. */
void queue_query_set_field(struct queue_query *q, enum queue_col col, const char *value);

/* The page after (or, backward, before) the row (key_sort, key_id): id, sort value, the queue's columns. */
void queue_page_sql(const struct queue_query *q, const char *key_sort, const char *key_id,
	bool backward, int limit, struct query *out);
/* One row, one column: how many the filters show. */
void queue_count_sql(const struct queue_query *q, struct query *out);
/* The values a filterable column may take, as rows of (value, label). */
struct wq_rows *queue_values(struct wq_db *db, const struct queue_query *q, enum queue_col col,
	struct wq_err *err);

/* One item of any queue: rows of (section, label, value) in order; none when out of scope. */
struct wq_rows *queue_detail(struct wq_db *db, const char *id, struct wq_err *err);
/*
 * One item's row from the row function of source (its queue's), as the
 * queue shows it (id, kind, state, state_label, level_label, version,
 * actions, pdf, student_name, student_no, what (the employer, or the
 * 毕业去向), protocol_no, needs_cause (a termination's 通过 that must carry
 * its 解约原因)), or no row (another kind's item, or out of scope).
 */
struct wq_rows *queue_item(struct wq_db *db, enum queue_source source, const char *id, struct wq_err *err);
/* One item's history, of any kind: at, actor_name, actor_kind, action, to_label, category, reason. */
struct wq_rows *queue_history(struct wq_db *db, const char *id, struct wq_err *err);
/* How many items wait for the user in each queue (在线签约, 补登, 去向登记, 解约); false on an error. */
enum { QW_SIGNING, QW_REGISTRATION, QW_DESTINATION, QW_TERMINATION, QW_COUNT };
bool queue_waiting(struct wq_db *db, long waiting[QW_COUNT], struct wq_err *err);

#endif
