/*
 * settings.h: 签约设置, a school's signing settings.  The database enforces
 * every bound (wq.school_settings, wq_api.settings_set); the checks here
 * only let a form say what is wrong while the user types.
 */
#ifndef WQ_SETTINGS_H
#define WQ_SETTINGS_H

#include <stdbool.h>

#include "err.h"
#include "pg.h"

enum settings_type { SET_SWITCH, SET_REVIEW_MODE, SET_COUNT, SET_TEXT, SET_PHONE, SET_POSTCODE };

/* _(key, 中文名, type, max length in characters) */
#define SETTINGS_KEYS(_) \
	_(online_signing,   "在线签约开关",                 SET_SWITCH,      0) \
	_(registration,     "补登开关",                     SET_SWITCH,      0) \
	_(destination,      "填报去向登记开关",             SET_SWITCH,      0) \
	_(review_mode,      "审核方式",                     SET_REVIEW_MODE, 0) \
	_(max_terminations, "毕业生可提交解约申请最大次数", SET_COUNT,       2) \
	_(handler,          "就业协议经办人",               SET_TEXT,        50) \
	_(phone,            "联系电话",                     SET_PHONE,       24) \
	_(address,          "学校通讯地址",                 SET_TEXT,        200) \
	_(postcode,         "邮政编码",                     SET_POSTCODE,    6)

enum settings_key {
#define SETTINGS_ENUM(key, label, type, max) SETTING_##key,
	SETTINGS_KEYS(SETTINGS_ENUM)
#undef SETTINGS_ENUM
	SETTING_COUNT
};

struct settings_key_info {
	const char *key;
	const char *label;
	enum settings_type type;
	int max;
};

extern const struct settings_key_info settings_keys[SETTING_COUNT];

/* One school's settings as text ("on"/"off", "school"/"dept_then_school", digits, text). */
struct school_settings {
	char *value[SETTING_COUNT];
	int version;
	char *updated_by;
	char *updated_at;      /* "YYYY-MM-DD HH:MM" */
	/* the province's agreement type is me.agreement_type (me.h), read again when it changes */
};

/* The key by name, or -1. */
int settings_key_find(const char *key);

/* Loads the caller's school's settings (a dept user reads its school's). */
bool settings_load(struct wq_db *db, struct school_settings *s, struct wq_err *err);
void settings_fini(struct school_settings *s);

/*
 * Normalises and checks one value as the database will (on/off and 开/关
 * for switches, 仅校级审核 / 先院系再校级审核 for the review mode, 0–99,
 * phone, six-digit postcode).  *out (caller frees) gets the normalised text.
 */
bool settings_check(enum settings_key key, const char *value, char **out, struct wq_err *err);

/*
 * Saves the changed keys in one call; version is the one the user saw (-1:
 * don't check).  A stale version fails with WQ_ERR_STALE and says who
 * changed the settings first.  *new_version may be NULL.  One call is one
 * user action: it makes a request id (wq_request_id) for it.
 */
bool settings_save(struct wq_db *db, int n, const enum settings_key *keys, const char *const *values,
	int version, int *new_version, struct wq_err *err);

/*
 * settings_save with the caller's request id.  After a lost connection it
 * reconnects once and sends the write again unless the database already has
 * it; a write whose id the database already has (sent again) succeeds
 * without a second change.
 */
bool settings_save_request(struct wq_db *db, int n, const enum settings_key *keys,
	const char *const *values, int version, const char *request_id, int *new_version, struct wq_err *err);

/* The label of a value as shown to users: 开启/关闭, 仅校级审核/先院系再校级审核, or the value. */
const char *settings_value_label(enum settings_key key, const char *value);

/* A province user's 签约设置: its province's agreement type. */
struct province_settings {
	char *code;
	char *name;
	char *agreement_type;   /* two_party | three_party */
	int version;
	char *updated_at;       /* "YYYY-MM-DD HH:MM" */
	char *updated_by;       /* who changed it last, by name */
};

/* Loads the caller's province's settings (province users only). */
bool province_settings_load(struct wq_db *db, struct province_settings *p, struct wq_err *err);
void province_settings_fini(struct province_settings *p);

/*
 * Sets the agreement type: type two_party or three_party (or 两方协议,
 * 三方协议, two-party, three-party); version the one loaded.  *new_version
 * (may be NULL) gets the version after the save.  A stale version fails
 * with WQ_ERR_STALE naming who saved first.
 */
bool province_agreement_type_set(struct wq_db *db, const char *type, int version, int *new_version,
	struct wq_err *err);

#endif
