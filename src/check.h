/*
 * check.h: check digits and field formats from the national standards.
 *
 *  - 公民身份号码 (GB 11643-1999), check character ISO 7064 MOD 11-2.
 *  - 统一社会信用代码 (GB 32100-2015), check character mod 31.
 *  - dates, 手机号码, 邮政编码.
 *
 * Each check_* returns true when valid; on failure it fills err with a
 * Chinese message that says what is wrong (for example
 * "校验位应为 X，实际为 1", or "不是 18 位：可能被电子表格改写为科学计数法").
 */
#ifndef WQ_CHECK_H
#define WQ_CHECK_H

#include <stdbool.h>

#include "err.h"

/* The check character for the first 17 characters of an ID number, or 0 if they are not digits. */
char check_id_number_char(const char *first17);

/*
 * A full 18-character ID number: digits, check character (a lower-case 'x'
 * is accepted as X), real birth date not after today.
 */
bool check_id_number(const char *id, struct wq_err *err);

/*
 * Birth date of a valid-format ID number (check character not verified) as
 * YYYY-MM-DD into out[11]; false (out = "") if not a real date up to today.
 */
bool check_id_birth_date(const char *id, char out[11]);

/* 1 for male (odd sequence digit), 2 for female (even), 0 if id is malformed. */
int check_id_sex(const char *id);

/* The check character for the first 17 characters of a credit code, or 0 if any is not allowed. */
char check_credit_code_char(const char *first17);

/*
 * A full 18-character 统一社会信用代码: upper-case charset (no I O S V Z),
 * positions 3 to 8 digits, check character.
 */
bool check_credit_code(const char *code, struct wq_err *err);

/* A real calendar date written YYYY-MM-DD (also YYYYMMDD and YYYY/MM/DD), years 1800 to 2999. */
bool check_date(const char *s, struct wq_err *err);

/* True when s is all ASCII digits (and not empty). */
bool check_all_digits(const char *s);

/* True when s looks like a number a spreadsheet rewrote in scientific notation ("4.10105E+17"). */
bool check_looks_scientific(const char *s);

/* 11 digits beginning with 1. */
bool check_mobile(const char *s, struct wq_err *err);

/* 6 digits. */
bool check_postcode(const char *s, struct wq_err *err);

#endif
