/*
 * students.h: the student list (学生名单) as a query: columns, the text
 * filter, field filters, sort, and keyset pages.  Used by the screen (page
 * by page, asynchronously) and by export (everything the filter shows).
 *
 * SQL is built from fixed pieces only (query.h); everything the user typed
 * travels as a parameter.  The builders below initialise the query; the
 * caller runs it and frees it with query_fini().  Each query says which school (or department, or province) it
 * wants, so the planner can walk the (school, 姓名) or (school, 学号) index;
 * row security still decides what the caller may see.
 */
#ifndef WQ_STUDENTS_H
#define WQ_STUDENTS_H

#include <stdbool.h>

#include "err.h"
#include "pg.h"
#include "query.h"

/*
 * _(id, 列名, value expression, sort expression, key, filterable)
 * Every one of the 19 roster fields (roster.h) is a column, and three of
 * ours (网签资格, 核对状态, 毕业去向).  A column with an empty key cannot be
 * sorted by.  The expressions are over wq_api.students.  key names the column to
 * wq_api.student_page (its sort) and, for a filterable column, a field filter
 * holds the column's stored value, which is its sort expression's value
 * (毕业去向: the code, or none for 未登记).  The filterable columns, in this
 * order, are student_page's and student_count's field parameters.
 */
/* 毕业去向 in words over wq_api.students: "11 签劳动合同形式就业", or 未登记. */
#define STUDENT_DESTINATION_NAME "(SELECT c.name FROM wq_api.codes c WHERE c.kind = 'destination' " \
	"AND c.code = destination_code)"
#define STUDENT_DESTINATION_TEXT "coalesce(destination_code || ' ' || " STUDENT_DESTINATION_NAME ", '未登记')"

#define STUDENT_COLS(_) \
	_(STUDENT_NO,  "学号",     "student_no",                       "student_no",                       "student_no",    false) \
	_(NAME,        "姓名",     "name",                             "name COLLATE \"zh-Hans-x-icu\"",   "name",          false) \
	_(SEX,         "性别",     "sex_name",                         "sex",                              "sex",           false) \
	_(DEPT,        "院系",     "dept",                             "dept COLLATE \"zh-Hans-x-icu\"",   "dept",          true)  \
	_(MAJOR,       "专业",     "major",                            "major COLLATE \"zh-Hans-x-icu\"",  "major",         true)  \
	_(LEVEL,       "学历层次", "level_name",                       "level",                            "level",         true)  \
	_(TRAINING,    "培养方式", "training_mode_name",               "training_mode",                    "training_mode", true)  \
	_(ELIGIBLE,    "网签资格", "CASE WHEN eligible THEN '是' ELSE '否（无网签资格）' END", "eligible::text", "eligible", true) \
	_(VERIFY,      "核对状态", "CASE verify_status WHEN 'verified' THEN '已核对' WHEN 'mismatch' THEN '信息不一致' ELSE '未核对' END", "verify_status", "verify_status", true) \
	_(DESTINATION, "毕业去向", STUDENT_DESTINATION_TEXT,           "coalesce(destination_code, '')",   "destination",   true)  \
	_(EXAM_NO,     "考生号",   "coalesce(exam_no, '')",            "", "", false) \
	_(ID_NUMBER,   "身份证号", "id_number",                        "", "", false) \
	_(ETHNICITY,   "民族",     "ethnicity_name",                   "", "", false) \
	_(POLITICAL,   "政治面貌", "political_status_name",            "", "", false) \
	_(BIRTH_DATE,  "出生日期", "to_char(birth_date, 'YYYY-MM-DD')", "", "", false) \
	_(SCHOOL,      "毕业院校", "school_name",                      "", "", false) \
	_(ORIGIN,      "生源所在地", "origin_code || CASE WHEN origin_name <> '' THEN ' ' || origin_name ELSE '' END", "", "", false) \
	_(YEARS,       "学制",     "coalesce(years::text, '')",        "", "", false) \
	_(ENTRY_DATE,  "入学时间", "coalesce(to_char(entry_date, 'YYYY-MM-DD'), '')", "", "", false) \
	_(GRAD_DATE,   "毕业时间", "coalesce(to_char(grad_date, 'YYYY-MM-DD'), '')", "", "", false) \
	_(MOBILE,      "手机号码", "coalesce(mobile, '')",             "", "", false) \
	_(EMAIL,       "电子邮箱", "coalesce(email, '')",              "", "", false)

enum student_col {
#define STUDENT_COL_ENUM(id, label, expr, sort, key, filterable) SC_##id,
	STUDENT_COLS(STUDENT_COL_ENUM)
#undef STUDENT_COL_ENUM
	SC_COUNT
};

struct student_col_info {
	const char *label;
	const char *expr;
	const char *sort;
	const char *key;
	bool filterable;
};

extern const struct student_col_info student_cols[SC_COUNT];

/* What the list shows. */
struct student_query {
	char text[256];              /* the / filter as typed (normalised when the SQL is built) */
	char *field[SC_COUNT];       /* exact field filters (stored values), NULL = any; owned */
	char *field_label[SC_COUNT]; /* what they show as (display values); owned */
	int sort;                    /* enum student_col */
	bool desc;
	/* scope, for the field value lists (the database applies the caller's
	 * own scope to everything): one of these */
	char *school_code;           /* a school or department user's school */
	char *dept;                  /* a department user's 院系 */
	char *province_code;         /* a province user's province */
};

void student_query_init(struct student_query *q);
void student_query_fini(struct student_query *q);

/* Sets (value non-NULL, shown as label) or clears a field filter. */
void student_query_set_field(struct student_query *q, enum student_col col, const char *value,
	const char *label);

/*
 * Normalises filter text: full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ)
 * to ASCII, ideographic space to space, surrounding spaces removed.
 * Writes at most size bytes (NUL-terminated).
 */
void students_normalise_filter(const char *in, char *out, size_t size);

/*
 * A query for one page of at most limit rows after the row whose sort value
 * and id are key_sort and key_id (both NULL: from the start).  With
 * backward, the rows before the key instead, nearest first (NULL key: the
 * last page, last row first); the caller reverses them.  Columns: id, the
 * sort value, then SC_COUNT display columns.
 */
void students_page_sql(const struct student_query *q, const char *key_sort, const char *key_id,
	bool backward, int limit, struct query *out);

/*
 * The distinct values of a filterable column in the user's scope: rows of
 * (stored value, display value), in the column's sort order.
 */
void students_values_sql(const struct student_query *q, enum student_col col, struct query *out);

/* A query for the number of rows the filter shows: one row, one column. */
void students_count_sql(const struct student_query *q, struct query *out);

/* One student, every field, for the detail page (by id).  Caller frees. */
struct wq_rows *students_detail(struct wq_db *db, const char *id, struct wq_err *err);

/* The student's history (events), newest first.  Caller frees. */
struct wq_rows *students_history(struct wq_db *db, const char *id, struct wq_err *err);

/*
 * Writes every row the query shows, with all 19 roster fields and the 网签资格
 * and 核对状态 columns, to path as CSV or XLSX (export.c: defanged, 身份证号
 * and 学号 as text).  *count gets the rows written.
 */
bool students_export(struct wq_db *db, const struct student_query *q, const char *path,
	const char *format, int *count, struct wq_err *err);

#endif
