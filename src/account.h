/*
 * account.h: a school user's department accounts (账号管理).  The login
 * role and the account row are made together by wq_api functions; the
 * password travels only as a SCRAM-SHA-256 verifier computed here.
 */
#ifndef WQ_ACCOUNT_H
#define WQ_ACCOUNT_H

#include <stdbool.h>

#include "err.h"
#include "pg.h"

/* The shortest password accepted (bytes). */
#define ACCOUNT_PASSWORD_MIN 8

/* The client's own check of a new password: not empty, long enough. */
bool account_password_check(const char *password, struct wq_err *err);

/*
 * Sets the logged-in user's own password (wq_api.own_password, which leaves
 * an event): the verifier is computed here, the clear text never sent.
 */
bool account_own_password(struct wq_db *db, const char *password, struct wq_err *err);

/* Adds a department clerk; dept must be one of the school's roster departments. */
bool account_dept_add(struct wq_db *db, const char *login, const char *dept, const char *name,
	const char *password, struct wq_err *err);

bool account_dept_set_locked(struct wq_db *db, const char *login, bool locked, struct wq_err *err);

bool account_dept_password(struct wq_db *db, const char *login, const char *password, struct wq_err *err);

/*
 * The school's departments with their clerk accounts: one row per account,
 * and one row (login NULL) per department that has none.  Columns: dept,
 * login, name, locked ("t"/"f").  Caller frees with rows_free.
 */
struct wq_rows *account_dept_list(struct wq_db *db, struct wq_err *err);

#endif
