/*
 * stats.h: 数据统计, the figures of the user's scope (wq_api.stats, 0024) as
 * one table: a row per group (院系, 专业, 学历层次, 性别, 生源地 or 学校), then
 * 合计; the columns 毕业生, 有网签资格, 已核对, 线上签约, 线下签约, 补登, one
 * per 毕业去向 code ("80 升学"), 未登记, 解约, 落实率.  The same table is
 * printed by `wq stats`, exported (CSV, XLSX) and drawn by the screen.
 *
 * 毕业去向落实率 is placed / graduates (which codes count is the database's
 * wq.destination_placed), as a percentage with one decimal, rounded half up:
 * the one place that turns the figures into a rate is stats_rate().
 */
#ifndef WQ_STATS_H
#define WQ_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "pg.h"

/* _(id, name, label) */
#define STATS_BY_INFO(_) \
	_(DEPT,   "dept",   "院系") \
	_(MAJOR,  "major",  "专业") \
	_(LEVEL,  "level",  "学历层次") \
	_(GENDER, "gender", "性别") \
	_(ORIGIN, "origin", "生源地") \
	_(SCHOOL, "school", "学校")

enum stats_by {
#define STATS_BY_ENUM(id, name, label) STATS_BY_##id,
	STATS_BY_INFO(STATS_BY_ENUM)
#undef STATS_BY_ENUM
	STATS_BY_COUNT
};

extern const char *const stats_by_names[STATS_BY_COUNT];   /* "dept", … */
extern const char *const stats_by_labels[STATS_BY_COUNT];  /* "院系", … */

/* Parses a --by word; false for anything else (NULL included). */
bool stats_by_parse(const char *name, enum stats_by *out);

/* A user's first breakdown: a province user's by school, everyone else's by 院系. */
enum stats_by stats_default_by(const char *kind);

/* The fixed columns around the destination codes. */
enum {
	STATS_COL_GROUP,        /* the group's label */
	STATS_COL_GRADUATES,    /* 毕业生 */
	STATS_COL_ELIGIBLE,     /* 有网签资格 */
	STATS_COL_VERIFIED,     /* 已核对 */
	STATS_COL_ONLINE,       /* 线上签约 */
	STATS_COL_OFFLINE,      /* 线下签约 */
	STATS_COL_REGISTRATION, /* 补登 */
	STATS_COL_CODES,        /* the first destination code; then 未登记, 解约, 落实率 */
};

struct stats {
	enum stats_by by;
	int ncodes;           /* destination codes (columns STATS_COL_CODES …) */
	int ncols;            /* STATS_COL_CODES + ncodes + 3 */
	char **headers;       /* ncols */
	int nrows;            /* the groups, then 合计 (always the last row) */
	char **cells;         /* nrows * ncols: labels, counts in plain digits, rates "78.4%" */
	long *values;         /* nrows * ncols: the counts (0 for the label and the rate) */
	long *placed;         /* nrows: those 落实率 counts */
};

/* The column of 未登记, 解约 and 落实率. */
int stats_col_unregistered(const struct stats *s);
int stats_col_terminated(const struct stats *s);
int stats_col_rate(const struct stats *s);

/* The figures of the connected user's scope by by; false with err set. */
bool stats_load(struct wq_db *db, enum stats_by by, struct stats *s, struct wq_err *err);
void stats_fini(struct stats *s);

const char *stats_cell(const struct stats *s, int row, int col);
long stats_value(const struct stats *s, int row, int col);

/*
 * 落实率 as text: "78.4%" (one decimal, half up), "—" without graduates.
 * Returns per mille (784), or -1 without graduates.
 */
int stats_rate(char *buf, size_t size, long placed, long graduates);

/* n with thousands separators: 4812 → "4,812". */
void stats_thousands(char *buf, size_t size, long n);

/* The table with its header row, columns aligned by display width. */
void stats_print(const struct stats *s, FILE *out);

/* Writes the table (header row, the groups, 合计) to path ("-": standard output) as fmt ("csv" or "xlsx"). */
bool stats_export(const struct stats *s, const char *path, const char *fmt, struct wq_err *err);

/*
 * The review queues of the scope (wq_api.stats_queues): columns label,
 * waiting, oldest ("YYYY-MM-DD HH24:MI", NULL when none waits) and days (the
 * whole days the oldest has waited).
 */
struct wq_rows *stats_queues(struct wq_db *db, struct wq_err *err);

#endif
