/*
 * warning.h: 预警单位 (warning units), through wq_api (0017).  A school user
 * marks an employer by its 统一社会信用代码 as 违规单位, 虚假单位, 就业歧视
 * or 虚假宣传 with a one-line note, and removes its own marks; an employer
 * marked by 5 or more schools is a national warning unit.  Department users
 * read their school's marks.  The database enforces every rule; the checks
 * here only say what is wrong before anything is sent.
 */
#ifndef WQ_WARNING_H
#define WQ_WARNING_H

#include <stdbool.h>

#include "err.h"
#include "pg.h"

/* The longest note (characters); a note is one line. */
#define WARNING_NOTE_MAX 200

/* _(code, label) */
#define WARNING_CATEGORIES(_) \
	_(violation,      "违规单位") \
	_(fake,           "虚假单位") \
	_(discrimination, "就业歧视") \
	_(false_ad,       "虚假宣传")

/* The code of a category given by its label or its code, or NULL. */
const char *warning_category_code(const char *s);

/* The label of a category code, or NULL. */
const char *warning_category_label(const char *code);

/* A note as the database takes it: not blank, one line, no control or bidi character, not too long. */
bool warning_note_check(const char *note, struct wq_err *err);

/* What warning_add did. */
struct warning_outcome {
	char action[16];         /* "create", "replace" or "unchanged" */
	char before_label[32];   /* after a replace: the category it had, else "" */
	bool national;           /* the employer is now a national warning unit */
	int schools;             /* how many schools marked it, when national; else 0 */
};

/*
 * Marks employer credit_code as category (a label or a code) with note, for
 * the caller's school, replacing the school's own earlier mark.  The code,
 * the category and the note are checked here first (WQ_ERR_INPUT).  out may
 * be NULL.
 */
bool warning_add(struct wq_db *db, const char *credit_code, const char *category, const char *note,
	struct warning_outcome *out, struct wq_err *err);

/* Removes the caller's school's own mark of credit_code. */
bool warning_remove(struct wq_db *db, const char *credit_code, struct wq_err *err);

/*
 * The caller's school's marks, newest first, or (national) the national
 * warning units, most schools first.  Columns: credit_code, employer_name
 * (NULL when the employer is not on the platform), employer_status,
 * category, category_label, note, marked_by, marked_by_name, marked_at
 * ("YYYY-MM-DD HH:MM"; these six NULL where the school has no mark of its
 * own), is_national ("t"/"f"), schools and categories (only for a national
 * warning unit: how many schools, and "违规单位 3、虚假宣传 2").  Caller
 * frees with rows_free.
 */
struct wq_rows *warning_list(struct wq_db *db, bool national, struct wq_err *err);

/* The same columns for one employer, always one row: what a reviewer sees beside it. */
struct wq_rows *warning_of_employer(struct wq_db *db, const char *credit_code, struct wq_err *err);

#endif
