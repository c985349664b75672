/*
 * queue.h: the review queues (在线签约管理, 补登管理, 去向登记管理) as the
 * screens read them: keyset pages and counts of wq_api.agreement_page /
 * agreement_count (destination_page / destination_count),
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
 *   sort key, filterable).  An expression NULL: the column is not in that
 * queue (去向登记管理 has no 单位名称; the agreements' queues no 毕业去向).
 */
#define QUEUE_COLS(_) \
	_(WAITED,     "等待",     "waited",          "waited",        "waiting",     false) \
	_(STUDENT_NO, "学号",     "student_no",      "student_no",    "student_no",  false) \
	_(NAME,       "姓名",     "student_name",    "student_name",  "name",        false) \
	_(DEPT,       "院系",     "dept",            "dept",          "dept",        true)  \
	_(EMPLOYER,   "单位名称", "employer_name",   NULL,            "employer",    false) \
	_(DEST,       "毕业去向", NULL,              "what",          "code",        false) \
	_(WARNING,    "预警",     "coalesce(warning, '')", NULL,      "",            false) \
	_(INITIATOR,  "发起方",   "initiator_label", NULL,            "",            true)  \
	_(KIND,       "签约方式", "kind_label",      NULL,            "",            false) \
	_(STATE,      "状态",     "state_label",     "state_label",   "state",       true)  \
	_(LEVEL,      "审核层级", "coalesce(level_label, '')", "coalesce(level_label, '')", "", false) \
	_(SOURCE,     "来源",     NULL,              "source_label",  "",            true)  \
	_(PROTOCOL,   "协议书编号", "protocol_no",   NULL,            "protocol_no", false) \
	_(STATUS,     "经营状态", "employer_status", NULL,            "",            false)

enum queue_col {
#define QUEUE_COL_ENUM(id, label, expr, dest_expr, sort, filterable) QC_##id,
	QUEUE_COLS(QUEUE_COL_ENUM)
#undef QUEUE_COL_ENUM
	QC_COUNT
};

struct queue_col_info {
	const char *label;
	const char *expr;       /* over wq_api.agreement_rows, or NULL */
	const char *dest_expr;  /* over wq_api.destination_rows, or NULL */
	const char *sort;       /* the page function's p_sort, "" when not sortable */
	bool filterable;
};
extern const struct queue_col_info queue_cols[QC_COUNT];

/*
 * The queues: 在线签约管理 ("signing"), 补登管理 ("registration") and
 * 去向登记管理 ("destination").  Each has its columns (a page's rows have
 * them in this order after id and sort value) and its tabs (t).
 */
struct queue_kind {
	const char *queue;
	bool destination;                  /* wq_api.destination_*, else wq_api.agreement_* */
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
	const char *queue;      /* "signing", "registration" or "destination" */
	char text[256];         /* the / filter: 姓名, 学号, 单位名称, 协议书编号 (去向: 单位、学校名称) */
	const char *tab;        /* NULL or one of the queue's tabs */
	char *initiator;        /* "employer" / "student" or NULL */
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
 * One item's row, of any queue, as its queue shows it (id, kind, state,
 * state_label, level_label, version, actions, pdf, student_name,
 * student_no, what (the employer, or the 毕业去向), protocol_no), or no row.
 */
struct wq_rows *queue_item(struct wq_db *db, const char *id, struct wq_err *err);
/* One item's history, of any kind: at, actor_name, actor_kind, action, to_label, category, reason. */
struct wq_rows *queue_history(struct wq_db *db, const char *id, struct wq_err *err);
/* How many items wait for the user in each queue; false on an error. */
bool queue_waiting(struct wq_db *db, long *signing, long *registration, long *destination, struct wq_err *err);

#endif
