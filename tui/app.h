/* app.h: the state shared by the screens of one run. */
#ifndef WQ_APP_H
#define WQ_APP_H

#include <stdbool.h>

#include "cli.h"
#include "conf.h"
#include "pg.h"

/* Who is logged in, from wq_api.me. */
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

struct app {
	const struct wq_conf *conf;
	const struct wq_opts *opts;
	struct wq_db *db;
	struct me me;
	bool connected;
};

/* Shows the login screen until a login succeeds (true) or the user quits (false). */
bool login_run(struct app *app);

/* The main screen; returns when the user quits. */
void shell_run(struct app *app);

/* Loads app->me from the database; false with a message when the account is unusable. */
bool me_load(struct app *app, struct wq_err *err);
void me_fini(struct me *me);

/* 学校用户 / 院系用户 / 省级用户 / 门户账号 */
const char *kind_label(const char *kind);

/* 两方协议 / 三方协议, and its verb 鉴证 / 审核 */
const char *agreement_label(const char *type);
const char *agreement_verb(const char *type);

#endif
