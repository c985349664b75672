/*
 * codes.h: the national code tables (wq_api.codes) held in memory.
 *
 * The caller fills a table row by row (the importer reads wq_api.codes
 * ordered by kind, sort; tests add a few rows of their own), then looks
 * values up as often as it likes: every look-up is a hash probe, so
 * validating 100,000 roster rows costs no more than reading them.
 *
 * codes_find() follows wq.code_find() in the database: a value matches a
 * row of the kind when it equals the row's code, its name or its short
 * name; a code wins over a name, a name over a short name.  Comparison is
 * exact (the caller trims).  When two rows of one kind would give the same
 * answer the one added first wins.
 *
 * Every string returned is borrowed from the table and lives until
 * codes_fini().  A table may be read from several threads at once, but
 * codes_add() must not run alongside anything else.
 */
#ifndef WQ_CODES_H
#define WQ_CODES_H

#include <stdbool.h>
#include <stddef.h>

struct codes_row {
	char *kind;        /* "education_level", "training_mode", "province", … */
	char *code;        /* "01", "21", "32", … */
	char *name;        /* "博士生毕业", "定向（不可网签）", "江苏省", … */
	char *short_name;  /* "江苏", … or NULL */
	bool eligible;     /* training_mode only: 网签资格; false elsewhere */
};

struct codes_slot;

struct codes {
	struct codes_row *rows;    /* in the order added */
	size_t nrows, cap;
	struct codes_slot *slots;  /* open addressing over (kind, code|name|short_name) */
	size_t nslots, nused;
	size_t max_key;            /* longest name or short name, in bytes */
};

/* An empty table.  Free with codes_fini(). */
void codes_init(struct codes *codes);

/* Frees every row and the index; codes is left empty (codes_fini twice is harmless). */
void codes_fini(struct codes *codes);

/*
 * Adds one row; the strings are copied.  short_name may be NULL or "" (none).
 * eligible is kept for every kind but only means something for training_mode.
 */
void codes_add(struct codes *codes, const char *kind, const char *code,
	const char *name, const char *short_name, bool eligible);

/*
 * The code of the row of kind whose code, name or short name equals value
 * (in that order of preference), or NULL.  Borrowed.
 */
const char *codes_find(const struct codes *codes, const char *kind, const char *value);

/* The row of kind with exactly this code, or NULL.  Borrowed. */
const struct codes_row *codes_get(const struct codes *codes, const char *kind, const char *code);

/* The name of the row of kind with this code, or NULL.  Borrowed. */
const char *codes_name(const struct codes *codes, const char *kind, const char *code);

/* The eligible flag of the row of kind with this code; false when there is no such row. */
bool codes_eligible(const struct codes *codes, const char *kind, const char *code);

/*
 * The code of the row of kind whose name or short name is the longest
 * prefix of text (whole UTF-8 characters), or NULL; *len (may be NULL)
 * gets the bytes matched.  Codes are not matched.  For "内蒙古自治区呼和浩特市"
 * the name 内蒙古自治区 wins over the short name 内蒙古.  Borrowed.
 */
const char *codes_find_prefix(const struct codes *codes, const char *kind, const char *text,
	size_t *len);

/* All rows in the order added; *n gets their number.  Borrowed. */
const struct codes_row *codes_rows(const struct codes *codes, size_t *n);

#endif
