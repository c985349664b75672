/* app.h: the state shared by the screens of one run. */
#ifndef WQ_APP_H
#define WQ_APP_H

#include <stdbool.h>

#include "cli.h"
#include "conf.h"
#include "me.h"
#include "pg.h"

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

#endif
