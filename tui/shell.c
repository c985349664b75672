/*
 * shell.c: the main screen: status bar, module sidebar, the open module,
 * the message line and the hint bar; help, the command line and quitting.
 */
#include <curses.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "account.h"
#include "action.h"
#include "app.h"
#include "dialog.h"
#include "password_form.h"
#include "queue.h"
#include "shell.h"
#include "str.h"
#include "ui.h"
#include "util.h"

/* Who may open a module. */
enum {
	K_PROVINCE = 1 << 0,
	K_SCHOOL   = 1 << 1,
	K_DEPT     = 1 << 2,
	K_CAMPUS   = K_SCHOOL | K_DEPT,
	K_ALL      = K_PROVINCE | K_SCHOOL | K_DEPT,
};

/* _(id, label, command, who, ops); a command may name one module per kind of user */
#define MODULE_INFO(_) \
	_(HOME,         "首页",     "home",         K_ALL,    &home_module) \
	_(STUDENTS,     "学生名单", "students",     K_ALL,    &students_module) \
	_(SIGNING,      "在线签约", "signing",      K_CAMPUS, &signing_module) \
	_(REGISTRATION, "补登管理", "registration", K_CAMPUS, &registration_module) \
	_(TERMINATION,  "解约管理", "termination",  K_CAMPUS, &termination_module) \
	_(DESTINATION,  "去向登记", "destination",  K_CAMPUS, &destination_module) \
	_(WARNING,      "预警单位", "warning",      K_SCHOOL, &warnings_module) \
	_(STATS,        "数据统计", "stats",        K_ALL,    &stats_module) \
	_(SETTINGS,     "签约设置", "settings",     K_CAMPUS, &settings_module) \
	_(PROVINCE,     "签约设置", "settings",     K_PROVINCE, &province_settings_module) \
	_(ACCOUNTS,     "账号管理", "accounts",     K_SCHOOL, &accounts_module)

enum module_id {
#define MODULE_ENUM(id, label, cmd, who, ops) MOD_##id,
	MODULE_INFO(MODULE_ENUM)
#undef MODULE_ENUM
	MOD_COUNT
};

struct module_info {
	enum module_id id;
	const char *label;
	const char *cmd;
	int who;
	const struct module_ops *ops;
};

static const struct module_info modules[MOD_COUNT] = {
#define MODULE_ROW(id, label, cmd, who, ops) \
	[MOD_##id] = { MOD_##id, label, cmd, who, ops },
	MODULE_INFO(MODULE_ROW)
#undef MODULE_ROW
};

enum mode { MODE_NORMAL, MODE_HELP, MODE_COMMAND, MODE_CONFIRM_QUIT, MODE_PASSWD };

/* One view of the stack: the open module at the bottom, pushed pages over it. */
struct view {
	const struct module_ops *ops;
	void *priv;
	bool need_open;             /* pushed, not opened yet */
};

#define STACK_MAX 8
#define INTERRUPTED_MAX 8
#define LISTEN_MAX 16

struct shell {
	struct app *app;
	int visible[MOD_COUNT];     /* module ids this user may open, in order */
	int nvisible;
	int sel;                    /* index into visible */
	int open;                   /* open module id */
	int focus;                  /* CTX_SIDEBAR, or CTX_CONTENT when a module has it */
	enum mode mode;
	struct ui_field cmd;
	char message[512];
	bool message_is_error;
	time_t last_check;
	void *priv[MOD_COUNT];      /* each module's private state, made on first open */
	struct view stack[STACK_MAX];   /* stack[0] is the open module */
	int depth;
	/* the asynchronous query in flight and the view that sent it (NULL: gone) */
	bool q_running;
	void *q_owner;
	int q_tag;
	/* views whose query another one cancelled: told when the connection is free */
	struct { void *owner; int tag; } interrupted[INTERRUPTED_MAX];
	int ninterrupted;
	/* the channels views listen on (LISTEN), until they close */
	struct { void *owner; char channel[64]; } listens[LISTEN_MAX];
	int nlistens;
	int help_scroll;
	/* the account was locked (ME_LOCK_CHANNEL): who did it, once read */
	bool lock_announced;
	char *lock_msg;
	/* what waits for the user in the review queues, for the sidebar: re-read
	 * when the school's channel says an item moved */
	char items_channel[64];     /* "" for a user who reviews nothing */
	long waiting[QW_COUNT];     /* 在线签约, 补登管理, 去向登记, 解约管理 */
	bool waiting_stale;
	/* the province's agreement type (鉴证/审核 everywhere): read again when
	 * the province's channel says it may have changed */
	char settings_channel[64];  /* "" for a user without a province */
	bool settings_stale;
	bool quit;
	bool overlaid;       /* the top view wrote to the terminal behind curses' back (overlay) */
	struct dialog quit_ask;     /* q on the module list */
	struct password_form passwd; /* :passwd, the user's own password */
};

static int
kind_bit(const char *kind)
{
	if (!kind)
		return 0;
	if (strcmp(kind, "province") == 0)
		return K_PROVINCE;
	if (strcmp(kind, "school") == 0)
		return K_SCHOOL;
	if (strcmp(kind, "dept") == 0)
		return K_DEPT;
	return 0;
}

#define say shell_say

struct app *
shell_app(struct shell *sh)
{
	return sh->app;
}

void
shell_leave(struct shell *sh)
{
	sh->focus = CTX_SIDEBAR;
}

void
shell_say(struct shell *sh, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sh->message, sizeof(sh->message), fmt, ap);
	va_end(ap);
	sh->message_is_error = error;
}

/* ---- the view stack and the queries ------------------------------------- */

static struct view *
top_view(struct shell *sh)
{
	return &sh->stack[sh->depth - 1];
}

static struct view *
view_of(struct shell *sh, const void *priv)
{
	int i;

	for (i = 0; priv && i < sh->depth; i++)
		if (sh->stack[i].priv == priv)
			return &sh->stack[i];
	return NULL;
}

static void
forget_interrupted(struct shell *sh, const void *priv)
{
	int i, n = 0;

	for (i = 0; i < sh->ninterrupted; i++)
		if (sh->interrupted[i].owner != priv)
			sh->interrupted[n++] = sh->interrupted[i];
	sh->ninterrupted = n;
}

static void
add_interrupted(struct shell *sh, void *owner, int tag)
{
	int i;

	if (!owner)
		return;
	for (i = 0; i < sh->ninterrupted; i++)
		if (sh->interrupted[i].owner == owner && sh->interrupted[i].tag == tag)
			return;
	if (sh->ninterrupted < INTERRUPTED_MAX) {
		sh->interrupted[sh->ninterrupted].owner = owner;
		sh->interrupted[sh->ninterrupted].tag = tag;
		sh->ninterrupted++;
	}
}

/* A view goes away (or out of sight): its query is cancelled and its result dropped. */
static void
drop_queries_of(struct shell *sh, const void *priv)
{
	if (sh->q_running && sh->q_owner == priv) {
		db_cancel(sh->app->db);
		sh->q_running = false;
		sh->q_owner = NULL;
	}
	forget_interrupted(sh, priv);
}

bool
shell_send(struct shell *sh, void *priv, int tag, const char *sql, int nparams,
	const char *const *params, struct wq_err *err)
{
	if (!sh->app->connected)
		return wq_err_set(err, WQ_ERR_PG_CONN, "与数据库的连接已断开，按 R 重新连接");
	if (sh->q_running && sh->q_owner != priv)
		add_interrupted(sh, sh->q_owner, sh->q_tag);
	sh->q_running = false;
	if (!db_send(sh->app->db, sql, nparams, params, err)) {
		shell_lost(sh);
		return false;
	}
	sh->q_running = true;
	sh->q_owner = priv;
	sh->q_tag = tag;
	forget_interrupted(sh, priv);
	return true;
}

bool
shell_waiting(const struct shell *sh, const void *priv)
{
	return sh->q_running && sh->q_owner == priv;
}

void
shell_lost(struct shell *sh)
{
	/* the views still waiting ask again after reconnecting */
	if (sh->q_running)
		add_interrupted(sh, sh->q_owner, sh->q_tag);
	sh->app->connected = false;
	sh->q_running = false;
	sh->q_owner = NULL;
	if (sh->lock_msg)
		say(sh, true, "%s，连接已结束；请联系学校管理员", sh->lock_msg);
	else
		say(sh, true, "与数据库的连接已断开（服务器结束了会话），按 R 重新连接");
}

/* The lock of this user's account was announced: read who did it while the session stands. */
static void
read_lock(struct shell *sh)
{
	sh->lock_announced = false;
	if (sh->lock_msg || !sh->app->connected)
		return;
	sh->lock_msg = me_lock_message(sh->app->db);
	if (sh->lock_msg)
		say(sh, true, "%s", sh->lock_msg);
}

/* The result of the query in flight, when it has come: to its view, or dropped. */
static void
take_result(struct shell *sh)
{
	struct wq_rows *rows = NULL;
	struct wq_err err;
	struct view *v;
	void *owner = sh->q_owner;
	int tag = sh->q_tag;

	wq_err_clear(&err);
	if (!db_poll(sh->app->db, &rows, &err))
		return;   /* not complete yet */
	sh->q_running = false;
	sh->q_owner = NULL;
	v = view_of(sh, owner);
	if (v && v->ops->on_result)
		v->ops->on_result(sh, v->priv, tag, rows, rows ? NULL : &err);
	rows_free(rows);
	if (!rows && err.code == WQ_ERR_PG_CONN)
		shell_lost(sh);
}

/*
 * Keeps the promise that every query's view hears of it: a query that a
 * synchronous one (or a cancel) ended is reported as interrupted, once the
 * connection is free, to views still on the stack.
 */
static void
settle_queries(struct shell *sh)
{
	struct view *v;
	void *owner;
	int tag;

	if (sh->q_running && !db_busy(sh->app->db)) {
		add_interrupted(sh, sh->q_owner, sh->q_tag);
		sh->q_running = false;
		sh->q_owner = NULL;
	}
	while (!sh->q_running && sh->ninterrupted > 0 && sh->app->connected) {
		owner = sh->interrupted[0].owner;
		tag = sh->interrupted[0].tag;
		memmove(sh->interrupted, sh->interrupted + 1, sizeof(sh->interrupted[0]) * (size_t)--sh->ninterrupted);
		v = view_of(sh, owner);
		if (v && v->ops->on_result)
			v->ops->on_result(sh, v->priv, tag, NULL, NULL);
	}
}

static bool
listened(const struct shell *sh, const char *channel)
{
	int i;

	if (sh->items_channel[0] && strcmp(sh->items_channel, channel) == 0)
		return true;   /* the shell's own, for the sidebar */
	if (sh->settings_channel[0] && strcmp(sh->settings_channel, channel) == 0)
		return true;   /* the shell's own, for the agreement type */
	for (i = 0; i < sh->nlistens; i++)
		if (strcmp(sh->listens[i].channel, channel) == 0)
			return true;
	return false;
}

bool
shell_listen(struct shell *sh, void *priv, const char *channel, struct wq_err *err)
{
	int i;

	for (i = 0; i < sh->nlistens; i++)
		if (sh->listens[i].owner == priv && strcmp(sh->listens[i].channel, channel) == 0)
			return true;
	if (sh->nlistens == LISTEN_MAX || strlen(channel) >= sizeof(sh->listens[0].channel))
		return wq_err_set(err, WQ_ERR_USAGE, "监听的频道过多");
	if (!listened(sh, channel) && !db_listen(sh->app->db, channel, true, err))
		return false;
	sh->listens[sh->nlistens].owner = priv;
	snprintf(sh->listens[sh->nlistens].channel, sizeof(sh->listens[0].channel), "%s", channel);
	sh->nlistens++;
	return true;
}

/* A view closes: it hears no more, and a channel nobody listens on is let go. */
static void
forget_listens(struct shell *sh, const void *priv)
{
	char channel[64];
	int i = 0;

	while (i < sh->nlistens) {
		if (sh->listens[i].owner != priv) {
			i++;
			continue;
		}
		snprintf(channel, sizeof(channel), "%s", sh->listens[i].channel);
		sh->listens[i] = sh->listens[--sh->nlistens];
		if (!listened(sh, channel) && sh->app->connected)
			db_listen(sh->app->db, channel, false, NULL);
	}
}

/* After a reconnection: LISTEN again on every channel a view listens on. */
static void
relisten(struct shell *sh)
{
	int i, j;

	db_listen(sh->app->db, ME_LOCK_CHANNEL, true, NULL);
	if (sh->items_channel[0]) {
		db_listen(sh->app->db, sh->items_channel, true, NULL);
		sh->waiting_stale = true;
	}
	if (sh->settings_channel[0]) {
		/* a change may have been announced while the session was gone */
		db_listen(sh->app->db, sh->settings_channel, true, NULL);
		sh->settings_stale = true;
	}
	for (i = 0; i < sh->nlistens; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(sh->listens[j].channel, sh->listens[i].channel) == 0)
				break;
		if (j == i)
			db_listen(sh->app->db, sh->listens[i].channel, true, NULL);
	}
}

/* A notification: to every view on the stack that listens on its channel. */
static void
hand_notify(void *arg, const char *channel, const char *payload)
{
	struct shell *sh = arg;
	struct view *v;
	int i;

	if (strcmp(channel, ME_LOCK_CHANNEL) == 0) {
		/* anyone may NOTIFY: the database says whether it is true (read_lock) */
		if (sh->app->me.login && strcmp(payload, sh->app->me.login) == 0)
			sh->lock_announced = true;
		return;
	}
	if (sh->settings_channel[0] && strcmp(channel, sh->settings_channel) == 0) {
		/* anyone may NOTIFY: the type is read again (reread_agreement_type) */
		sh->settings_stale = true;
		return;
	}
	if (sh->items_channel[0] && strcmp(channel, sh->items_channel) == 0)
		sh->waiting_stale = true;
	for (i = 0; i < sh->nlistens; i++) {
		if (strcmp(sh->listens[i].channel, channel) != 0)
			continue;
		v = view_of(sh, sh->listens[i].owner);
		if (v && v->ops->on_notify)
			v->ops->on_notify(sh, v->priv, channel, payload);
	}
}

/*
 * The province's agreement type may have changed: reads it again from the
 * database (a notification is only a hint), and when it did change, says
 * so and tells every view on the stack, whose database labels carry the
 * verb.  The status bar and every label drawn from me follow by themselves.
 */
static void
reread_agreement_type(struct shell *sh)
{
	struct me *me = &sh->app->me;
	char *was = me->agreement_type ? xstrdup(me->agreement_type) : NULL;
	struct wq_err err;
	int i;

	sh->settings_stale = false;
	wq_err_clear(&err);
	if (!me_reload_agreement_type(sh->app->db, me, &err)) {
		if (err.code == WQ_ERR_PG_CONN)
			shell_lost(sh);
		free(was);
		return;
	}
	if (strcmp(was ? was : "", me->agreement_type ? me->agreement_type : "") != 0) {
		say(sh, false, "省级签约设置已修改：协议类型 %s，%s学校、院系%s", agreement_label(me->agreement_type),
			me->school_code ? "" : "本省", agreement_verb(me->agreement_type));
		for (i = 0; i < sh->depth; i++)
			if (sh->stack[i].ops->on_agreement_type)
				sh->stack[i].ops->on_agreement_type(sh, sh->stack[i].priv);
	}
	free(was);
}

static void
close_view(struct shell *sh, struct view *v)
{
	forget_listens(sh, v->priv);
	drop_queries_of(sh, v->priv);
	if (v->ops->close)
		v->ops->close(sh, v->priv);
}

void *
shell_push(struct shell *sh, const struct module_ops *ops)
{
	struct view *v;

	if (sh->depth >= STACK_MAX)
		return NULL;
	v = &sh->stack[sh->depth++];
	v->ops = ops;
	v->priv = xcalloc(1, ops->priv_size ? ops->priv_size : 1);
	v->need_open = true;
	return v->priv;
}

void
shell_pop(struct shell *sh)
{
	struct view *v;

	if (sh->depth <= 1)
		return;
	v = top_view(sh);
	close_view(sh, v);
	if (v->ops->fini)
		v->ops->fini(v->priv);
	free(v->priv);
	memset(v, 0, sizeof(*v));
	sh->depth--;
}

static void
open_module(struct shell *sh, int id)
{
	int i;

	while (sh->depth > 1)
		shell_pop(sh);
	if (sh->depth == 1)
		close_view(sh, &sh->stack[0]);
	for (i = 0; i < sh->nvisible; i++)
		if (sh->visible[i] == id)
			sh->sel = i;
	sh->open = id;
	sh->focus = CTX_CONTENT;
	sh->message[0] = '\0';
	if (!sh->priv[id] && modules[id].ops->priv_size)
		sh->priv[id] = xcalloc(1, modules[id].ops->priv_size);
	sh->stack[0].ops = modules[id].ops;
	sh->stack[0].priv = sh->priv[id];
	sh->stack[0].need_open = false;
	sh->depth = 1;
	if (modules[id].ops->open)
		modules[id].ops->open(sh, sh->priv[id]);
}

/* The context of the sidebar's or the top view's actions (a dialog's, when one is open). */
static int
view_ctx(struct shell *sh)
{
	struct view *v;
	int c;

	if (sh->focus == CTX_SIDEBAR)
		return CTX_SIDEBAR;
	v = top_view(sh);
	c = v->ops->context ? v->ops->context(sh, v->priv) : 0;
	return c ? c : v->ops->ctx;
}

/* The context whose keys work now: help's, the command line's, or the view's. */
static int
current_ctx(struct shell *sh)
{
	if (sh->mode == MODE_HELP)
		return CTX_HELP;
	if (sh->mode == MODE_COMMAND)
		return CTX_COMMAND_LINE;
	return view_ctx(sh);
}

/* The actions the shell itself carries out; the others go to the view. */
static bool
shell_action(enum action a)
{
	switch (a) {
	case ACT_NEXT:
	case ACT_PREV:
	case ACT_REFRESH:
	case ACT_REDRAW:
	case ACT_COMMAND:
	case ACT_HELP:
	case ACT_BACK:
	case ACT_QUIT:
		return true;
	default:
		return false;
	}
}

/* ---- drawing ------------------------------------------------------------- */

#define SIDEBAR_W 14

static void
draw_status(struct shell *sh)
{
	const struct me *me = &sh->app->me;
	char buf[512], conn[64];
	int right;

	snprintf(conn, sizeof(conn), "%s %s", sh->app->connected ? ui_glyph_dot() : ui.ascii ? "o" : "○",
		sh->app->connected ? "已连接" : "连接已断开");
	if (me->dept)
		snprintf(buf, sizeof(buf), " 网签 %s %s · %s（%s）· %s · %s", ui_glyph_vline(), me->dept,
			str_empty(me->name) ? me->login : me->name, kind_label(me->kind),
			me->school_name ? me->school_name : "", agreement_label(me->agreement_type));
	else if (me->school_name)
		snprintf(buf, sizeof(buf), " 网签 %s %s · %s（%s）· %s", ui_glyph_vline(), me->school_name,
			str_empty(me->name) ? me->login : me->name, kind_label(me->kind),
			agreement_label(me->agreement_type));
	else
		snprintf(buf, sizeof(buf), " 网签 %s %s · %s（%s）· %s", ui_glyph_vline(),
			me->province_name ? me->province_name : "",
			str_empty(me->name) ? me->login : me->name, kind_label(me->kind),
			agreement_label(me->agreement_type));
	right = (int)str_width(conn) + 2;
	ui_put(0, 0, COLS - right, buf, UI_TITLE, true);
	ui_put(0, COLS - right, right, conn, sh->app->connected ? UI_TITLE : UI_ERROR, true);
}

static void
draw_sidebar(struct shell *sh, int top, int h)
{
	char buf[64];
	int i, id;

	for (i = 0; i < sh->nvisible && i < h; i++) {
		id = sh->visible[i];
		long n = id == MOD_SIGNING ? sh->waiting[QW_SIGNING] : id == MOD_REGISTRATION ? sh->waiting[QW_REGISTRATION]
			: id == MOD_DESTINATION ? sh->waiting[QW_DESTINATION] : id == MOD_TERMINATION ? sh->waiting[QW_TERMINATION]
			: 0;

		if (n > 0)
			snprintf(buf, sizeof(buf), "%s%s %ld", i == sh->sel ? ui_glyph_marker() : " ", modules[id].label, n);
		else
			snprintf(buf, sizeof(buf), "%s%s", i == sh->sel ? ui_glyph_marker() : " ", modules[id].label);
		ui_put(top + i, 0, SIDEBAR_W, buf,
			i == sh->sel && sh->focus == CTX_SIDEBAR ? UI_SELECTED : UI_NORMAL, true);
	}
	for (i = 0; i < h; i++)
		ui_put(top + i, SIDEBAR_W, 1, ui_glyph_vline(), UI_DIM, false);
}

/* The hint bar: only the keys that work here, from the action table. */
static void
draw_hints(struct shell *sh)
{
	char buf[512];
	size_t n = 0;
	int i;

	buf[0] = '\0';
	if (sh->mode == MODE_CONFIRM_QUIT) {
		snprintf(buf, sizeof(buf), " %s", dialog_hints(&sh->quit_ask));
	} else if (sh->mode == MODE_PASSWD) {
		snprintf(buf, sizeof(buf), " %s", form_hints(&sh->passwd.form));
	} else if (sh->mode == MODE_NORMAL && sh->focus != CTX_SIDEBAR && top_view(sh)->ops->hints
	           && top_view(sh)->ops->hints(sh, top_view(sh)->priv)) {
		snprintf(buf, sizeof(buf), " %s", top_view(sh)->ops->hints(sh, top_view(sh)->priv));
	} else {
		/* when not all fit, the view's own keys give way, last first, so
		 * that :, ? and q always show */
		int ctx = current_ctx(sh), used = 0;
		char item[ACT_COUNT][128];
		bool shown[ACT_COUNT];

		for (i = 0; i < action_count; i++) {
			shown[i] = actions[i].hint && (actions[i].ctx & ctx);
			if (!shown[i])
				continue;
			snprintf(item[i], sizeof(item[i]), " %s %s  ", actions[i].key_label,
				actions[i].id == ACT_BACK && sh->focus == CTX_SIDEBAR ? "退出" :
				actions[i].id == ACT_BACK && sh->depth > 1 ? "返回列表" :
				actions[i].id == ACT_BACK ? "返回" : actions[i].help);
			used += (int)str_width(item[i]);
		}
		for (i = action_count - 1; i >= 0 && used > COLS; i--) {
			if (!shown[i] || shell_action(actions[i].id))
				continue;
			shown[i] = false;
			used -= (int)str_width(item[i]);
		}
		for (i = 0; i < action_count && n < sizeof(buf); i++)
			if (shown[i])
				n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", item[i]);
	}
	ui_put(LINES - 1, 0, COLS, buf, UI_HINT, true);
}

/* One line of help: a key (or command) column and its meaning. */
static void
help_line(struct shell *sh, int *line, int *r, int top, int h, const char *key, const char *text,
	enum ui_style style)
{
	if (*line >= sh->help_scroll && *r < top + h) {
		if (key) {
			ui_put(*r, 4, 16, key, UI_NORMAL, true);
			ui_put(*r, 20, COLS - 22, text, UI_NORMAL, false);
		} else {
			ui_put(*r, 2, COLS - 4, text, style, false);
		}
		(*r)++;
	}
	(*line)++;
}

/* Help is generated: the action table, then the module commands. */
static void
draw_help(struct shell *sh, int top, int h)
{
	char key[64], text[128];
	int line = 0, i, r = top;
	int total = action_count + MOD_COUNT + 7, ctx = view_ctx(sh);

	if (sh->help_scroll > total - h)
		sh->help_scroll = total - h > 0 ? total - h : 0;
	help_line(sh, &line, &r, top, h, NULL, sh->focus == CTX_SIDEBAR ? "帮助：按键（模块列表）" :
		sh->depth > 1 ? "帮助：按键（详情页）" : "帮助：按键（本页）", UI_TITLE);
	for (i = 0; i < action_count; i++)
		if (actions[i].ctx & ctx)
			help_line(sh, &line, &r, top, h, actions[i].key_label, actions[i].help, UI_NORMAL);
	help_line(sh, &line, &r, top, h, NULL, "", UI_NORMAL);
	help_line(sh, &line, &r, top, h, NULL, "命令（按 : 输入，Tab 补全）", UI_TITLE);
	for (i = 0; i < MOD_COUNT; i++) {
		if (!(modules[i].who & kind_bit(sh->app->me.kind)))
			continue;
		snprintf(key, sizeof(key), ":%s", modules[i].cmd);
		snprintf(text, sizeof(text), "打开「%s」", modules[i].label);
		help_line(sh, &line, &r, top, h, key, text, UI_NORMAL);
	}
	help_line(sh, &line, &r, top, h, ":passwd", "修改本人密码", UI_NORMAL);
	help_line(sh, &line, &r, top, h, ":q", "退出", UI_NORMAL);
	help_line(sh, &line, &r, top, h, ":help", "帮助", UI_NORMAL);
}

static void
draw(struct shell *sh)
{
	int top = 2, h = LINES - 4, cx = SIDEBAR_W + 2;
	bool repainted;

	if (ui_too_small())
		return;
	erase();
	curs_set(0);
	draw_status(sh);
	ui_hline(1, 0, COLS);
	if (sh->mode == MODE_HELP) {
		draw_help(sh, top, h);
	} else {
		draw_sidebar(sh, top, h);
		top_view(sh)->ops->draw(sh, top_view(sh)->priv, top, cx, h - 1, COLS - cx - 1);
	}
	if (sh->mode == MODE_CONFIRM_QUIT)
		dialog_draw(&sh->quit_ask, top, 0, h, COLS);
	if (sh->mode != MODE_COMMAND && sh->message[0])
		ui_put(LINES - 2, 0, COLS, sh->message, sh->message_is_error ? UI_ERROR : UI_OK, true);
	draw_hints(sh);
	if (sh->mode == MODE_PASSWD)
		form_draw(&sh->passwd.form, top + 1, cx + 2, form_height(&sh->passwd.form), COLS - cx - 5 > 72 ? 72 : COLS - cx - 5);
	if (sh->mode == MODE_COMMAND) {
		ui_put(LINES - 2, 0, 1, ":", UI_NORMAL, false);
		ui_field_draw(&sh->cmd, LINES - 2, 1, COLS - 2, true);
	}
	/* a view's overlay (an attachment's sixel image) under help or a dialog: repaint it all */
	if (sh->overlaid && (sh->mode != MODE_NORMAL || !top_view(sh)->ops->overlay)) {
		clearok(curscr, TRUE);
		sh->overlaid = false;
	}
	repainted = ui_refresh();
	if (sh->mode == MODE_NORMAL && top_view(sh)->ops->overlay) {
		top_view(sh)->ops->overlay(sh, top_view(sh)->priv, repainted);
		sh->overlaid = true;
	}
}

/* ---- commands ------------------------------------------------------------ */

/* :passwd: the password form for the logged-in user. */
static void
open_passwd(struct shell *sh)
{
	const struct me *me = &sh->app->me;
	char label[256];

	if (str_empty(me->name))
		snprintf(label, sizeof(label), "%s（本人）", me->login);
	else
		snprintf(label, sizeof(label), "%s（%s，本人）", me->login, me->name);
	password_form_open(&sh->passwd, "修改本人密码", label);
	sh->mode = MODE_PASSWD;
	sh->message[0] = '\0';
}

/* Sets the new password through the database; a refusal stays in the form. */
static void
submit_passwd(struct shell *sh)
{
	struct wq_err err;

	wq_err_clear(&err);
	if (!account_own_password(sh->app->db, password_form_value(&sh->passwd), &err)) {
		password_form_refused(&sh->passwd, err.msg);
		return;
	}
	password_form_wipe(&sh->passwd);
	sh->mode = MODE_NORMAL;
	say(sh, false, "已修改本人（%s）的密码，下次登录请使用新密码", sh->app->me.login);
}

static void
run_command(struct shell *sh, const char *line)
{
	char word[64];
	int i, found;

	while (*line == ' ')
		line++;
	snprintf(word, sizeof(word), "%s", line);
	for (i = (int)strlen(word) - 1; i >= 0 && word[i] == ' '; i--)
		word[i] = '\0';
	if (!word[0])
		return;
	if (strcmp(word, "q") == 0 || strcmp(word, "quit") == 0 || strcmp(word, "q!") == 0) {
		sh->quit = true;
		return;
	}
	if (strcmp(word, "passwd") == 0) {
		open_passwd(sh);
		return;
	}
	if (strcmp(word, "help") == 0 || strcmp(word, "h") == 0) {
		sh->mode = MODE_HELP;
		return;
	}
	for (i = 0, found = -1; i < MOD_COUNT; i++) {
		if (strcmp(word, modules[i].cmd) != 0)
			continue;
		if (modules[i].who & kind_bit(sh->app->me.kind)) {
			open_module(sh, i);
			return;
		}
		found = i;
	}
	if (found >= 0)
		say(sh, true, "%s不能使用「%s」", kind_label(sh->app->me.kind), modules[found].label);
	else
		say(sh, true, "未知命令：%s（按 ? 查看可用命令）", word);
}

/* Completes the command line to the one module command it begins. */
static void
complete_command(struct shell *sh)
{
	int i, found = -1, count = 0;

	for (i = 0; i < MOD_COUNT; i++) {
		if (!(modules[i].who & kind_bit(sh->app->me.kind)))
			continue;
		if (strncmp(modules[i].cmd, sh->cmd.buf, sh->cmd.len) == 0) {
			found = i;
			count++;
		}
	}
	if (count == 1) {
		snprintf(sh->cmd.buf, sizeof(sh->cmd.buf), "%s", modules[found].cmd);
		sh->cmd.len = sh->cmd.cursor = strlen(sh->cmd.buf);
	}
}

/* ---- keys ---------------------------------------------------------------- */

static void
move_sel(struct shell *sh, int delta)
{
	sh->sel = (sh->sel + delta + sh->nvisible) % sh->nvisible;
}

/* R: checks the connection (reconnecting when it was lost), then reloads the top view. */
static void
refresh_module(struct shell *sh)
{
	struct view *v = top_view(sh);
	bool was = sh->app->connected;

	if (sh->q_running)
		add_interrupted(sh, sh->q_owner, sh->q_tag);
	sh->q_running = false;
	sh->q_owner = NULL;
	sh->app->connected = db_check(sh->app->db);
	sh->last_check = time(NULL);
	if (!sh->app->connected) {
		if (sh->lock_msg)
			say(sh, true, "%s，不能再登录；请联系学校管理员", sh->lock_msg);
		else
			say(sh, true, "与数据库的连接已断开，按 R 重试");
		return;
	}
	if (!was)
		relisten(sh);   /* a new session listens on nothing */
	if (sh->settings_channel[0])
		reread_agreement_type(sh);   /* R reads everything again, the province's type too */
	if (v->ops->on_refresh)
		v->ops->on_refresh(sh, v->priv);
	else if (v->ops->open)
		v->ops->open(sh, v->priv);
	say(sh, false, was ? "已刷新" : "已重新连接数据库，已刷新");
}

static void
key_normal(struct shell *sh, int rc, wint_t ch)
{
	const struct module_ops *ops = top_view(sh)->ops;
	void *priv = top_view(sh)->priv;
	enum action a;

	if (sh->focus != CTX_SIDEBAR && ops->key && ops->key(sh, priv, rc, ch))
		return;
	if (rc == OK && ch == 3)    /* Ctrl-C with nothing running: the same as q */
		ch = 'q';
	a = action_for_key(rc == KEY_CODE_YES, (int)ch, current_ctx(sh));
	/* the module's own actions go to the module; the shell keeps the global ones */
	if (sh->focus != CTX_SIDEBAR && ops->act && a != ACT_NONE && !shell_action(a)) {
		ops->act(sh, priv, a);
		return;
	}
	switch (a) {
	case ACT_MOVE_UP:
		move_sel(sh, -1);
		break;
	case ACT_MOVE_DOWN:
		move_sel(sh, 1);
		break;
	case ACT_OPEN:
		open_module(sh, sh->visible[sh->sel]);
		break;
	case ACT_NEXT:
		move_sel(sh, 1);
		open_module(sh, sh->visible[sh->sel]);
		break;
	case ACT_PREV:
		move_sel(sh, -1);
		open_module(sh, sh->visible[sh->sel]);
		break;
	case ACT_REFRESH:
		refresh_module(sh);
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		break;
	case ACT_COMMAND:
		sh->mode = MODE_COMMAND;
		ui_field_clear(&sh->cmd);
		break;
	case ACT_HELP:
		sh->mode = MODE_HELP;
		sh->help_scroll = 0;
		break;
	case ACT_BACK:
		if (sh->focus != CTX_SIDEBAR && sh->depth > 1)
			shell_pop(sh);
		else if (sh->focus != CTX_SIDEBAR)
			sh->focus = CTX_SIDEBAR;
		else {
			dialog_open(&sh->quit_ask, " 退出 ", "退出");
			dialog_add(&sh->quit_ask, "确定退出 wq？");
			sh->mode = MODE_CONFIRM_QUIT;
		}
		break;
	case ACT_QUIT:
		sh->quit = true;
		break;
	default:
		/* a module action while the module list has focus, or none */
		break;
	}
}

static void
handle_key(struct shell *sh, int rc, wint_t ch)
{
	enum action a;

	if (rc == KEY_CODE_YES && ch == KEY_F(10)) {   /* 直接退出, from anywhere */
		sh->quit = true;
		return;
	}
	switch (sh->mode) {
	case MODE_PASSWD:
		switch (password_form_key(&sh->passwd, rc == KEY_CODE_YES, (unsigned int)ch)) {
		case FORM_SUBMIT:
			submit_passwd(sh);
			break;
		case FORM_CANCEL:
			password_form_wipe(&sh->passwd);
			sh->mode = MODE_NORMAL;
			say(sh, false, "已取消修改密码");
			break;
		case FORM_NONE:
		case FORM_UNUSED:
			break;
		}
		return;
	case MODE_HELP:
		switch (action_for_key(rc == KEY_CODE_YES, (int)ch, CTX_HELP)) {
		case ACT_MOVE_DOWN:
			sh->help_scroll++;
			break;
		case ACT_MOVE_UP:
			if (sh->help_scroll > 0)
				sh->help_scroll--;
			break;
		case ACT_PAGE_DOWN:
		case ACT_SPACE_PAGE:
			sh->help_scroll += LINES / 2;
			break;
		case ACT_PAGE_UP:
			sh->help_scroll = sh->help_scroll > LINES / 2 ? sh->help_scroll - LINES / 2 : 0;
			break;
		case ACT_HELP_CLOSE:
			sh->mode = MODE_NORMAL;
			break;
		case ACT_REDRAW:
			clearok(curscr, TRUE);
			break;
		case ACT_QUIT:
			sh->quit = true;
			break;
		default:
			break;
		}
		return;
	case MODE_CONFIRM_QUIT:
		switch (dialog_key(&sh->quit_ask, rc == KEY_CODE_YES, (unsigned int)ch)) {
		case DIALOG_YES:
			sh->quit = true;
			break;
		case DIALOG_NO:
			sh->mode = MODE_NORMAL;
			break;
		case DIALOG_OPEN:
			break;
		}
		return;
	case MODE_COMMAND:
		a = action_for_key(rc == KEY_CODE_YES, (int)ch, CTX_COMMAND_LINE);
		if (a == ACT_COMMAND_CANCEL) {
			sh->mode = MODE_NORMAL;
		} else if (a == ACT_COMMAND_RUN) {
			sh->mode = MODE_NORMAL;
			run_command(sh, sh->cmd.buf);
		} else if (a == ACT_COMMAND_COMPLETE) {
			complete_command(sh);
		} else if ((rc == OK && (ch == 127 || ch == 8) && sh->cmd.len == 0)
		           || (rc == KEY_CODE_YES && ch == KEY_BACKSPACE && sh->cmd.len == 0)) {
			sh->mode = MODE_NORMAL;
		} else {
			ui_field_key(&sh->cmd, rc == KEY_CODE_YES, (unsigned int)ch);
		}
		return;
	case MODE_NORMAL:
		key_normal(sh, rc, ch);
		return;
	}
}

void
shell_run(struct app *app)
{
	struct shell sh;
	struct pollfd fds[2];
	wint_t ch;
	int rc, i, keys, bit = kind_bit(app->me.kind);
	time_t now;

	memset(&sh, 0, sizeof(sh));
	sh.app = app;
	for (i = 0; i < MOD_COUNT; i++)
		if (modules[i].who & bit)
			sh.visible[sh.nvisible++] = i;
	app->connected = true;
	sh.last_check = time(NULL);
	db_listen(app->db, ME_LOCK_CHANNEL, true, NULL);   /* told when this account is locked */
	if (bit & (K_SCHOOL | K_DEPT) && app->me.school_code) {
		/* the sidebar counts what waits in the review queues, live */
		snprintf(sh.items_channel, sizeof(sh.items_channel), "wq_items_%s", app->me.school_code);
		db_listen(app->db, sh.items_channel, true, NULL);
		sh.waiting_stale = true;
	}
	/* every label with 鉴证/审核 follows the province's agreement type, live */
	me_settings_channel(&app->me, sh.settings_channel, sizeof(sh.settings_channel));
	if (sh.settings_channel[0])
		db_listen(app->db, sh.settings_channel, true, NULL);
	open_module(&sh, MOD_HOME);
	sh.focus = CTX_SIDEBAR;
	timeout(0);
	while (!sh.quit) {
		settle_queries(&sh);
		if (top_view(&sh)->need_open) {
			top_view(&sh)->need_open = false;
			if (top_view(&sh)->ops->open)
				top_view(&sh)->ops->open(&sh, top_view(&sh)->priv);
			continue;
		}
		draw(&sh);
		/*
		 * Wait for a key or the database.  The socket is watched while idle
		 * too: it becomes readable when the server ends the session.  A lost
		 * connection is not watched (its socket would always be readable).
		 */
		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		fds[1].fd = app->connected ? db_socket(app->db) : -1;
		fds[1].events = POLLIN;
		fds[0].revents = fds[1].revents = 0;
		poll(fds, fds[1].fd >= 0 ? 2 : 1, 1000);
		if (fds[1].fd >= 0 && (fds[1].revents & (POLLIN | POLLERR | POLLHUP))) {
			if (sh.q_running)
				take_result(&sh);
			else if (db_busy(app->db))
				db_cancel(app->db);   /* nobody's query: read and drop it */
			/* notifications (some may have come with a result), or the end of the session */
			if (app->connected && !db_busy(app->db) && !db_idle_check(app->db, hand_notify, &sh))
				shell_lost(&sh);
		}
		if (sh.lock_announced && !db_busy(app->db))
			read_lock(&sh);
		if (sh.waiting_stale && app->connected && !db_busy(app->db)) {
			struct wq_err err;

			wq_err_clear(&err);
			sh.waiting_stale = false;
			if (!queue_waiting(app->db, sh.waiting, &err))
				memset(sh.waiting, 0, sizeof(sh.waiting));
		}
		if (sh.settings_stale && app->connected && !db_busy(app->db))
			reread_agreement_type(&sh);
		if (app->connected && !db_busy(app->db) && !top_view(&sh)->need_open && top_view(&sh)->ops->idle)
			top_view(&sh)->ops->idle(&sh, top_view(&sh)->priv);
		now = time(NULL);
		if (now - sh.last_check >= 15 && !db_busy(app->db) && app->connected) {
			if (!db_check(app->db))
				shell_lost(&sh);
			sh.last_check = now;
		}
		keys = 0;
		while (!sh.quit && (rc = get_wch(&ch)) != ERR) {
			keys++;
			if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
				continue;
			if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) {
				if (rc == OK && (ch == 'Q' || ch == 3))
					sh.quit = true;
				continue;
			}
			handle_key(&sh, rc, ch);
		}
		/* the terminal is gone: end, rather than wait in a busy loop */
		if (!sh.quit && ui_input_lost(keys > 0 || !(fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))))
			sh.quit = true;
	}
	password_form_wipe(&sh.passwd);
	while (sh.depth > 1)
		shell_pop(&sh);
	for (i = 0; i < MOD_COUNT; i++) {
		if (sh.priv[i] && modules[i].ops->fini)
			modules[i].ops->fini(sh.priv[i]);
		free(sh.priv[i]);
	}
	free(sh.lock_msg);
}
