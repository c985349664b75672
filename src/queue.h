/*
 * queue.h: the review queues (在线签约管理, 补登管理) as the screens read
 * them: keyset pages and counts of wq_api.agreement_page / agreement_count,
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

/* The columns of a queue row, after id and sort value. */
#define QUEUE_COLS(_) \
	_(WAITED,     "等待",     "waited",          "waiting",     false) \
	_(STUDENT_NO, "学号",     "student_no",      "student_no",  false) \
	_(NAME,       "姓名",     "student_name",    "name",        false) \
	_(DEPT,       "院系",     "dept",            "dept",        true)  \
	_(EMPLOYER,   "单位名称", "employer_name",   "employer",    false) \
	_(WARNING,    "预警",     "coalesce(warning, '')", "",      false) \
	_(INITIATOR,  "发起方",   "initiator_label", "",            true)  \
	_(KIND,       "签约方式", "kind_label",      "",            false) \
	_(STATE,      "状态",     "state_label",     "state",       true)  \
	_(LEVEL,      "审核层级", "coalesce(level_label, '')", "",  false) \
	_(PROTOCOL,   "协议书编号", "protocol_no",   "protocol_no", false) \
	_(STATUS,     "经营状态", "employer_status", "",            false)

enum queue_col {
#define QUEUE_COL_ENUM(id, label, expr, sort, filterable) QC_##id,
	QUEUE_COLS(QUEUE_COL_ENUM)
#undef QUEUE_COL_ENUM
	QC_COUNT
};

struct queue_col_info {
	const char *label;
	const char *expr;       /* over wq_api.agreement_rows */
	const char *sort;       /* wq_api.agreement_page's p_sort, "" when not sortable */
	bool filterable;
};
extern const struct queue_col_info queue_cols[QC_COUNT];

struct queue_query {
	const char *queue;      /* "signing" or "registration" */
	char text[256];         /* the / filter: 姓名, 学号, 单位名称, 协议书编号 */
	const char *tab;        /* NULL, "review", "rejected", "passed" (补登管理's tabs) */
	char *initiator;        /* "employer" / "student" or NULL */
	char *dept;             /* one 院系 or NULL */
	char *state;            /* one state or NULL */
	bool waiting;           /* only what the user may decide now */
	enum queue_col sort;
	bool desc;
};

void queue_query_init(struct queue_query *q, const char *queue);
void queue_query_fini(struct queue_query *q);
/* A field filter of column col (value NULL: none); only 院系, 发起方 and 状态 filter. */
void queue_query_set_field(struct queue_query *q, enum queue_col col, const char *value);

/* The page after (or, backward, before) the row (key_sort, key_id): id, sort value, the columns. */
void queue_page_sql(const struct queue_query *q, const char *key_sort, const char *key_id,
	bool backward, int limit, struct query *out);
/* One row, one column: how many the filters show. */
void queue_count_sql(const struct queue_query *q, struct query *out);
/* The values a filterable column may take, as rows of (value, label). */
struct wq_rows *queue_values(struct wq_db *db, const struct queue_query *q, enum queue_col col,
	struct wq_err *err);

/* One item: rows of (section, label, value) in order; none when out of scope. */
struct wq_rows *queue_detail(struct wq_db *db, const char *id, struct wq_err *err);
/* One item's row as a queue shows it (kind, state_label, version, actions …), or no row. */
struct wq_rows *queue_item(struct wq_db *db, const char *id, struct wq_err *err);
/* One item's history: at, actor_name, actor_kind, action, to_label, category, reason. */
struct wq_rows *queue_history(struct wq_db *db, const char *id, struct wq_err *err);
/* How many items wait for the user in each queue; false on an error. */
bool queue_waiting(struct wq_db *db, long *signing, long *registration, struct wq_err *err);

#endif
