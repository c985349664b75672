/* login.c: the login screen (用户名, 密码), with a growing wait after repeated failures. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "app.h"
#include "str.h"
#include "ui.h"
#include "util.h"

struct login {
	struct ui_field user;
	struct ui_field pass;
	int focus;              /* 0 user, 1 password */
	char message[512];
	bool message_is_error;
	int failures;
	time_t wait_until;      /* no attempt before this time */
	char *target;           /* server, as shown */
};

static const char *const login_title = "网上签约与毕业去向登记 · 学校/院系端";

static void
login_draw(struct login *l, const struct app *app)
{
	int w = 52, x, y, line;
	const char *notice = app->conf->ui_login_notice;
	char buf[256];
	time_t now = time(NULL);

	if (ui_too_small())
		return;
	erase();
	curs_set(0);
	x = (COLS - w) / 2;
	y = LINES / 2 - 7;
	if (y < 1)
		y = 1;
	ui_put(y, x, w, login_title, UI_TITLE, true);
	ui_put(y + 2, x + 4, 8, "用户名", UI_NORMAL, false);
	ui_put(y + 4, x + 4, 8, "密  码", UI_NORMAL, false);
	snprintf(buf, sizeof(buf), "服务器  %s", l->target);
	ui_put(y + 6, x + 4, w - 4, buf, UI_DIM, false);
	if (l->wait_until > now) {
		snprintf(buf, sizeof(buf), "登录失败次数过多，请等待 %ld 秒后重试", (long)(l->wait_until - now));
		ui_put(y + 8, x + 4, COLS - x - 5, buf, UI_ERROR, false);
	} else if (l->message[0]) {
		ui_put(y + 8, x + 4, COLS - x - 5, l->message, l->message_is_error ? UI_ERROR : UI_NORMAL, false);
	}
	/* The demo accounts, when the configuration lists them. */
	if (!str_empty(notice)) {
		const char *p = notice, *nl;
		for (line = 0; *p && y + 10 + line < LINES - 2; line++) {
			char one[256];
			size_t n;

			nl = strchr(p, '\n');
			n = nl ? (size_t)(nl - p) : strlen(p);
			if (n >= sizeof(one))
				n = sizeof(one) - 1;
			memcpy(one, p, n);
			one[n] = '\0';
			ui_put(y + 10 + line, x + 4, w + 8, one, UI_DIM, false);
			p = nl ? nl + 1 : p + n;
		}
	}
	ui_put(LINES - 1, 0, COLS, " Enter 登录   Tab 切换   Ctrl-C 退出", UI_HINT, true);
	ui_put(y + 2, x + 12, 1, "[", UI_DIM, false);
	ui_put(y + 2, x + 43, 1, "]", UI_DIM, false);
	ui_put(y + 4, x + 12, 1, "[", UI_DIM, false);
	ui_put(y + 4, x + 43, 1, "]", UI_DIM, false);
	ui_field_draw(&l->pass, y + 4, x + 13, 30, l->focus == 1);
	ui_field_draw(&l->user, y + 2, x + 13, 30, l->focus == 0);
	refresh();
}

/* Connects and loads who the user is; on success app->db is set. */
static bool
login_connect(struct app *app, const struct wq_conn_spec *spec, bool *needs_password, struct wq_err *err)
{
	wq_err_clear(err);
	app->db = db_connect(spec, needs_password, err);
	if (!app->db)
		return false;
	if (me_load(app->db, &app->me, err))
		return true;
	db_close(app->db);
	app->db = NULL;
	return false;
}

/* Seconds to wait after the n-th failure, once past the allowed count. */
static int
login_delay(int failures, int allowed)
{
	int over = failures - allowed, d = 5;

	if (over < 0)
		return 0;
	while (over-- > 0 && d < 300)
		d *= 2;
	return d;
}

static bool
login_try(struct login *l, struct app *app)
{
	struct wq_conn_spec spec = { app->conf, app->opts->dsn, l->user.buf, l->pass.buf };
	struct wq_err err;
	int delay;
	bool ok;

	if (!l->user.len) {
		snprintf(l->message, sizeof(l->message), "请输入用户名");
		l->message_is_error = true;
		l->focus = 0;
		return false;
	}
	snprintf(l->message, sizeof(l->message), "正在连接…");
	l->message_is_error = false;
	login_draw(l, app);
	ok = login_connect(app, &spec, NULL, &err);
	memset(l->pass.buf, 0, sizeof(l->pass.buf));
	ui_field_clear(&l->pass);
	if (ok)
		return true;
	l->message_is_error = true;
	if (err.code == WQ_ERR_PG_AUTH || err.code == WQ_ERR_PG_LOCKED) {
		l->failures++;
		delay = login_delay(l->failures, app->conf->ui_login_delay_after);
		if (delay > 0)
			l->wait_until = time(NULL) + delay;
		if (err.code == WQ_ERR_PG_AUTH && l->failures < app->conf->ui_login_delay_after)
			snprintf(l->message, sizeof(l->message), "用户名或密码错误，请重试（还可尝试 %d 次）",
				app->conf->ui_login_delay_after - l->failures);
		else
			snprintf(l->message, sizeof(l->message), "%s", err.msg);
	} else {
		snprintf(l->message, sizeof(l->message), "%s", err.msg[0] ? err.msg : wq_err_text(err.code));
	}
	l->focus = err.code == WQ_ERR_PG_AUTH ? 1 : l->focus;
	return false;
}

/* A configured user (or service) may log in without a password (peer, .pgpass). */
static bool
login_passwordless(struct app *app, struct login *l)
{
	struct wq_conn_spec spec = { app->conf, app->opts->dsn, NULL, NULL };
	const struct wq_conf *c = app->conf;
	struct wq_err err;
	bool needs_password = false;
	char *dsn_user = NULL;

	if (str_empty(c->conn_user) && str_empty(c->conn_service) && !getenv("PGUSER")
	    && !getenv("PGSERVICE") && !(app->opts->dsn && strstr(app->opts->dsn, "user"))
	    && !(c->conn_dsn && strstr(c->conn_dsn, "user")))
		return false;
	if (login_connect(app, &spec, &needs_password, &err))
		return true;
	if (!needs_password) {
		snprintf(l->message, sizeof(l->message), "%s", err.msg);
		l->message_is_error = true;
	}
	if (!str_empty(c->conn_user))
		dsn_user = xstrdup(c->conn_user);
	else if (getenv("PGUSER"))
		dsn_user = xstrdup(getenv("PGUSER"));
	if (dsn_user) {
		snprintf(l->user.buf, sizeof(l->user.buf), "%s", dsn_user);
		l->user.len = l->user.cursor = strlen(l->user.buf);
		l->focus = 1;
		free(dsn_user);
	}
	return false;
}

bool
login_run(struct app *app)
{
	struct login l;
	struct wq_conn_spec spec = { app->conf, app->opts->dsn, NULL, NULL };
	wint_t ch;
	int rc;
	bool done = false, ok = false;

	memset(&l, 0, sizeof(l));
	l.pass.secret = true;
	l.target = db_describe_target(&spec);
	if (login_passwordless(app, &l)) {
		free(l.target);
		return true;
	}
	timeout(1000);
	while (!done) {
		login_draw(&l, app);
		rc = get_wch(&ch);
		if (ui_input_lost(rc != ERR)) {
			done = true;   /* the terminal is gone */
			break;
		}
		if (rc == ERR)
			continue;
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
			continue;
		if (rc == OK && ch == 3) { /* Ctrl-C */
			done = true;
			break;
		}
		if (ui_too_small()) {
			if (rc == OK && ch == 'Q')
				done = true;
			continue;
		}
		if (l.wait_until > time(NULL))
			continue;   /* keys are ignored while the user must wait */
		if (rc == OK && ch == '\t') {
			l.focus = !l.focus;
		} else if ((rc == KEY_CODE_YES && (ch == KEY_UP || ch == KEY_DOWN || ch == KEY_BTAB))) {
			l.focus = !l.focus;
		} else if ((rc == OK && (ch == '\r' || ch == '\n')) || (rc == KEY_CODE_YES && ch == KEY_ENTER)) {
			if (l.focus == 0 && l.user.len) {
				l.focus = 1;
			} else if (login_try(&l, app)) {
				ok = done = true;
			}
		} else {
			ui_field_key(l.focus ? &l.pass : &l.user, rc == KEY_CODE_YES, (unsigned int)ch);
		}
	}
	memset(&l.pass, 0, sizeof(l.pass));
	free(l.target);
	return ok;
}
