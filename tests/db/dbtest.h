/*
 * dbtest.h: helpers shared by the database suites.  The cluster comes from
 * tests/db/run.sh: WQ_TEST_SOCK names its socket directory, WQ_TEST_DB the
 * database.  Every login role made by add_account has the password "pw-LOGIN".
 */
#ifndef WQ_DBTEST_H
#define WQ_DBTEST_H

#include <stdbool.h>

#include "pg.h"

/* Reads the environment; false (with a message) when run outside run.sh. */
bool dbtest_init(void);

/* A group setup's first step: dbtest_init, a superuser connection, and the
 * migrations; NULL (with a message) when any fails. */
struct wq_db *dbtest_migrated(void);

/*
 * dbtest_migrated, then what the fixture needs, one line each: a province
 * "11 北京市 three-party" (a two-digit code, its name and agreement type) or
 * a school "10001 北京甲大学 11" (code, name, province); the list ends with
 * NULL.  NULL (with a message) when any fails.
 */
struct wq_db *dbtest_fixture(const char *const *lines);

/* A group teardown: closes the superuser connection a setup left in *state. */
int dbtest_teardown(void **state);

/* Connects as login (password "pw-" + login unless given), or as the superuser when login is NULL. */
struct wq_db *connect_as(const char *login, const char *password, struct wq_err *err);

/* Connects or fails the test. */
struct wq_db *must_connect(const char *login);

/* The single value of a one-row query (caller frees), or NULL; fails the test on an error. */
char *scalar(struct wq_db *db, const char *sql);

void assert_scalar(struct wq_db *db, const char *sql, const char *expected);

/* The statement fails with the given SQLSTATE (NULL: any); a failed transaction is rolled back. */
void assert_refused(struct wq_db *db, const char *sql, const char *sqlstate);

void must_exec(struct wq_db *db, const char *sql);

/* wq admin account add, as the superuser connection su. */
void add_account(struct wq_db *su, const char *login, const char *kind, const char *province,
	const char *school, const char *dept);

/*
 * Imports n rows of the generated roster of school (demo_write_roster with
 * seed) through the real import, as db: for the caller's own school, or, with
 * as_operator, naming it (db is then the operator).
 */
struct demo_school;
bool demo_import(struct wq_db *db, const struct demo_school *school, int n, unsigned seed,
	bool as_operator, struct wq_err *err);
/* demo_import of the caller's own school with seed 7; fails the test on an error. */
void import_demo(struct wq_db *db, const struct demo_school *school, int n);
/* The scalar of a formatted query (caller frees). */
char *q(struct wq_db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The message of a refused formatted statement; fails the test if it succeeds (caller frees). */
char *refusal(struct wq_db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
