/*
 * me.h: who is logged in (wq_api.me), the labels of its kind and of its
 * province's agreement type, and the counts of its scope for 首页.
 */
#ifndef WQ_ME_H
#define WQ_ME_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "pg.h"

struct me {
	char *login;
	char *name;
	char *kind;            /* province | school | dept | portal */
	char *province_code;
	char *province_name;
	char *agreement_type;  /* two_party | three_party */
	char *school_code;
	char *school_name;
	char *dept;
};

/*
 * Loads the connected user.  False with a Chinese message when the login
 * has no wq account (or the database is not migrated) and for a portal
 * account (which may not use the program).
 */
bool me_load(struct wq_db *db, struct me *me, struct wq_err *err);
void me_fini(struct me *me);

/*
 * Reads the caller's agreement type again (its province's, which a province
 * user may change) into me->agreement_type, through me_load's reading of
 * wq_api.me; the rest of me stays.  False (me unchanged) when it cannot be
 * read.
 */
bool me_reload_agreement_type(struct wq_db *db, struct me *me, struct wq_err *err);

/*
 * The channel on which a change of the province's agreement type is
 * announced (0028): "wq_settings_<province code>" into buf, or "" for a
 * user without a province.  Anyone may NOTIFY it: a notification says only
 * that the type may have changed, and me_reload_agreement_type says what
 * it is.
 */
#define ME_SETTINGS_CHANNEL_PREFIX "wq_settings_"
void me_settings_channel(const struct me *me, char *buf, size_t size);

/* 学校用户 / 院系用户 / 省级用户 / 门户账号 */
const char *kind_label(const char *kind);

/* 两方协议 / 三方协议, and its verb 鉴证 / 审核 */
const char *agreement_label(const char *type);
const char *agreement_verb(const char *type);

/* The students of the user's scope, as 首页 shows them. */
struct me_counts {
	long students;
	long eligible;     /* 网签资格 */
	long unverified;   /* 未核对 */
	long verified;     /* 已核对 */
	long mismatch;     /* 信息不一致 */
};

/* Counts the students the user may see (the database applies the scope). */
bool me_counts(struct wq_db *db, struct me_counts *c, struct wq_err *err);

/* The channel on which a locked account's login is announced (0013). */
#define ME_LOCK_CHANNEL "wq_account_locked"

/*
 * "账号已被 张老师（学校用户）于 2026-12-01 09:20 锁定" while the caller's
 * own account is locked (caller frees), else NULL.
 */
char *me_lock_message(struct wq_db *db);

#endif
