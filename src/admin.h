/*
 * admin.h: what the platform operator does (wq admin ...): provinces,
 * schools, and accounts with their PostgreSQL login roles.  Each call is one
 * transaction: the login role and its account row exist together or not at all.
 */
#ifndef WQ_ADMIN_H
#define WQ_ADMIN_H

#include <stdbool.h>

#include "err.h"
#include "pg.h"

/* agreement_type: "two-party" or "three-party" (also two_party / three_party). */
bool admin_province_set(struct wq_db *db, const char *code, const char *name,
	const char *agreement_type, struct wq_err *err);

bool admin_school_add(struct wq_db *db, const char *code, const char *name,
	const char *province, struct wq_err *err);

struct admin_account {
	const char *login;     /* becomes the PostgreSQL role name */
	const char *kind;      /* province | school | dept | portal */
	const char *province;  /* province accounts */
	const char *school;    /* school and dept accounts (portal: optional) */
	const char *dept;      /* dept accounts: the 院系, exactly as in the roster */
	const char *name;      /* 姓名, may be NULL */
	const char *password;  /* NULL: no password (peer, certificates, set later) */
};

bool admin_account_add(struct wq_db *db, const struct admin_account *a, struct wq_err *err);

/* Locks (the role may no longer log in; its sessions end) or unlocks. */
bool admin_account_set_locked(struct wq_db *db, const char *login, bool locked, struct wq_err *err);

#endif
