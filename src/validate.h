/*
 * validate.h: checks and normalises one row of the graduate roster.
 *
 * validate_row() takes the raw strings of one file row (already UTF-8, one
 * per roster field), trims them, checks every field against the rules of
 * domain.md ("Validation") and the national code tables, and writes the
 * normalised values into a struct roster_row.  It collects every problem of
 * the row, not only the first, as (field, Chinese message) pairs, so the
 * caller can print "FILE:LINE: 列名: message" for each; a message never
 * repeats the column name and says what was expected.
 *
 * Normalised forms (value[] of struct roster_row):
 *   性别                           "1" or "2" (from 男/女/男性/女性/1/2)
 *   民族, 政治面貌, 学历层次       the two-digit code ("01"; from the code, a
 *                                  one-digit "1", the name or the short name;
 *                                  民族 also without the final 族: "汉")
 *   培养方式                       the code ("1", "21", …; from the code or name),
 *                                  and eligible = the code's 网签资格
 *   身份证号                       18 characters, final x upper-cased
 *   出生日期, 入学时间, 毕业时间   "YYYY-MM-DD" (from YYYY-MM-DD, YYYY/M/D,
 *                                  YYYY.M.D, YYYYMMDD, YYYY年M月D日, with or
 *                                  without a time of 00:00:00); 入学时间 and
 *                                  毕业时间 may be a month (YYYY-MM, YYYYMM,
 *                                  YYYY/M, YYYY.M, YYYY年M月): "YYYY-MM-01"
 *   生源所在地                     the six-digit division code: as given when
 *                                  the text is six digits, else the province's
 *                                  code + "0000"; origin_name holds the place
 *                                  name (the text, or the province's name)
 *   毕业院校                       the school's name (also from its code)
 *   学制                           "1".."9" (from "4", "4年", "4.0")
 *   姓名                           the middle-dot look-alikes • ・ ． ･ ‧ ∙ ⋅
 *                                  and U+0387 become · (U+00B7)
 *   电子邮箱                       the domain in lower case
 *   other fields                   trimmed
 * Trimming removes ASCII white space, U+3000 and U+00A0 at both ends.
 */
#ifndef WQ_VALIDATE_H
#define WQ_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "codes.h"
#include "roster.h"

/* One roster row as it goes into the database.  Strings are owned by the row. */
struct roster_row {
	char *value[RF_COUNT];  /* normalised value per field; NULL when empty */
	char *origin_name;      /* 生源所在地名称 (value[RF_ORIGIN] is its code), or NULL */
	bool eligible;          /* 网签资格 from 培养方式 (false when 培养方式 is invalid) */
};

/* One problem: the field it belongs to and a Chinese message (owned). */
struct validate_problem {
	enum roster_field field;
	char *msg;
};

/* The problems of one row, in column order (several per field possible). */
struct validate_problems {
	struct validate_problem *items;
	size_t n, cap;
};

/* An empty row. */
void roster_row_init(struct roster_row *row);

/* Frees every string of row and leaves it empty (calling it twice is harmless). */
void roster_row_fini(struct roster_row *row);

/* An empty list. */
void validate_problems_init(struct validate_problems *problems);

/* Frees the messages and empties the list; the array is kept for reuse. */
void validate_problems_clear(struct validate_problems *problems);

/* Frees everything; the list is left empty. */
void validate_problems_fini(struct validate_problems *problems);

/*
 * Validates and normalises one row.
 *
 * values[i] is the raw text of roster field i, or NULL when the file has no
 * such column.  school_name and school_code (the five-digit 院校代码) are
 * those of the importing school: 毕业院校 must be one of them; when both are
 * NULL or "", 毕业院校 is only required to be non-empty.
 *
 * out must be initialised (roster_row_init) or hold an earlier result: it is
 * emptied first.  It receives every normalised value; a field with a problem
 * keeps its trimmed text instead.  problems must be initialised; it is
 * cleared first and receives every problem, ordered by field.
 *
 * Returns true when the row has no problem.  The caller checks what needs
 * more than one row (a 学号 or 身份证号 twice in a file: validate_seen).
 */
bool validate_row(const struct codes *codes, const char *school_code, const char *school_name,
	const char *const values[RF_COUNT], struct roster_row *out,
	struct validate_problems *problems);

/* A copy of s without white space (ASCII, U+3000, U+00A0) at either end; NULL gives "".  Caller frees. */
char *validate_trim(const char *s);

/* The set of keys seen so far in a file, each with the line it was first seen on. */
struct validate_seen_slot;

struct validate_seen {
	struct validate_seen_slot *slots;
	size_t nslots, nused;
};

/* An empty set. */
void validate_seen_init(struct validate_seen *seen);

/* Frees every key; the set is left empty. */
void validate_seen_fini(struct validate_seen *seen);

/*
 * Records key (copied) as seen on line (> 0).  Returns 0 when key is new,
 * else the line it was first recorded on (the set is not changed).  An
 * empty or NULL key is never recorded and returns 0.
 */
size_t validate_seen_add(struct validate_seen *seen, const char *key, size_t line);

#endif
