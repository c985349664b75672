/*
 * shell.c: the main screen: status bar, module sidebar, the open module,
 * the message line and the hint bar; help, the command line and quitting.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "app.h"
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

struct shell;

struct module_ops {
	void (*open)(struct shell *sh);                               /* (re)load data; may be NULL */
	void (*draw)(struct shell *sh, int y, int x, int h, int w);
};

/* _(id, label, command, who) */
#define MODULE_INFO(_) \
	_(HOME,         "首页",     "home",         K_ALL) \
	_(STUDENTS,     "学生名单", "students",     K_CAMPUS) \
	_(SIGNING,      "在线签约", "signing",      K_CAMPUS) \
	_(REGISTRATION, "补登管理", "registration", K_CAMPUS) \
	_(TERMINATION,  "解约管理", "termination",  K_CAMPUS) \
	_(DESTINATION,  "去向登记", "destination",  K_CAMPUS) \
	_(WARNING,      "预警单位", "warning",      K_SCHOOL) \
	_(STATS,        "数据统计", "stats",        K_ALL) \
	_(SETTINGS,     "签约设置", "settings",     K_ALL) \
	_(ACCOUNTS,     "账号管理", "accounts",     K_SCHOOL)

enum module_id {
#define MODULE_ENUM(id, label, cmd, who) MOD_##id,
	MODULE_INFO(MODULE_ENUM)
#undef MODULE_ENUM
	MOD_COUNT
};

static void home_open(struct shell *sh);
static void home_draw(struct shell *sh, int y, int x, int h, int w);
static void pending_draw(struct shell *sh, int y, int x, int h, int w);

static const struct module_ops home_ops = { .open = home_open, .draw = home_draw };
static const struct module_ops pending_ops = { .open = NULL, .draw = pending_draw };

struct module_info {
	enum module_id id;
	const char *label;
	const char *cmd;
	int who;
	const struct module_ops *ops;
};

static const struct module_info modules[MOD_COUNT] = {
#define MODULE_ROW(id, label, cmd, who) \
	[MOD_##id] = { MOD_##id, label, cmd, who, MOD_##id == MOD_HOME ? &home_ops : &pending_ops },
	MODULE_INFO(MODULE_ROW)
#undef MODULE_ROW
};

enum mode { MODE_NORMAL, MODE_HELP, MODE_COMMAND, MODE_CONFIRM_QUIT };

struct shell {
	struct app *app;
	int visible[MOD_COUNT];     /* module ids this user may open, in order */
	int nvisible;
	int sel;                    /* index into visible */
	int open;                   /* open module id */
	int focus;                  /* CTX_SIDEBAR or CTX_CONTENT */
	enum mode mode;
	struct ui_field cmd;
	char message[512];
	bool message_is_error;
	time_t last_check;
	struct wq_rows *home;       /* the home module's data */
	char home_error[512];
	int help_scroll;
	bool quit;
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

static void
say(struct shell *sh, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
say(struct shell *sh, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sh->message, sizeof(sh->message), fmt, ap);
	va_end(ap);
	sh->message_is_error = error;
}

static void
open_module(struct shell *sh, int id)
{
	int i;

	for (i = 0; i < sh->nvisible; i++)
		if (sh->visible[i] == id)
			sh->sel = i;
	sh->open = id;
	sh->focus = CTX_CONTENT;
	sh->message[0] = '\0';
	if (modules[id].ops->open)
		modules[id].ops->open(sh);
}

/* ---- home ---------------------------------------------------------------- */

static void
home_open(struct shell *sh)
{
	struct wq_err err;

	rows_free(sh->home);
	sh->home = NULL;
	sh->home_error[0] = '\0';
	if (!sh->app->me.school_code)
		return;
	wq_err_clear(&err);
	sh->home = db_query(sh->app->db,
		"SELECT s.online_signing, s.registration, s.destination, s.review_mode, "
		"       s.max_terminations, s.handler, s.phone, s.address, s.postcode, "
		"       (SELECT count(*) FROM wq_api.departments) AS departments "
		"  FROM wq_api.school_settings s", 0, NULL, &err);
	if (!sh->home)
		snprintf(sh->home_error, sizeof(sh->home_error), "无法读取签约设置：%s", err.msg);
}

static void
home_row(int y, int x, int w, const char *label, const char *value)
{
	ui_put(y, x, 18, label, UI_DIM, true);
	ui_put(y, x + 18, w - 18, value, UI_NORMAL, false);
}

static const char *
on_off(const char *v)
{
	return v && strcmp(v, "t") == 0 ? "开启" : "关闭";
}

static void
home_draw(struct shell *sh, int y, int x, int h, int w)
{
	const struct me *me = &sh->app->me;
	char buf[512];
	int r = y;
	const char *v;

	snprintf(buf, sizeof(buf), "欢迎，%s（%s）", str_empty(me->name) ? me->login : me->name,
		kind_label(me->kind));
	ui_put(r++, x, w, buf, UI_NORMAL, false);
	r++;
	if (me->school_name) {
		snprintf(buf, sizeof(buf), "%s（%s）", me->school_name, me->school_code);
		home_row(r++, x, w, "学校", buf);
	}
	if (me->dept)
		home_row(r++, x, w, "院系", me->dept);
	if (me->province_name)
		home_row(r++, x, w, "省份", me->province_name);
	snprintf(buf, sizeof(buf), "%s：学校、院系%s", agreement_label(me->agreement_type),
		agreement_verb(me->agreement_type));
	home_row(r++, x, w, "协议类型", buf);
	r++;
	if (sh->home_error[0]) {
		ui_put(r, x, w, sh->home_error, UI_ERROR, false);
		return;
	}
	if (!sh->home || sh->home->nrows == 0 || r + 8 > y + h)
		return;
	ui_put(r++, x, w, "签约设置", UI_TITLE, false);
	home_row(r++, x + 2, w - 2, "在线签约开关", on_off(rows_getn(sh->home, 0, "online_signing")));
	home_row(r++, x + 2, w - 2, "补登开关", on_off(rows_getn(sh->home, 0, "registration")));
	home_row(r++, x + 2, w - 2, "填报去向登记开关", on_off(rows_getn(sh->home, 0, "destination")));
	v = rows_getn(sh->home, 0, "review_mode");
	home_row(r++, x + 2, w - 2, "审核方式",
		v && strcmp(v, "dept_then_school") == 0 ? "先院系再校级审核" : "仅校级审核");
	home_row(r++, x + 2, w - 2, "解约申请最大次数", rows_getn(sh->home, 0, "max_terminations"));
	v = rows_getn(sh->home, 0, "handler");
	home_row(r++, x + 2, w - 2, "就业协议经办人", str_empty(v) ? "（未填写）" : v);
	if (me->dept == NULL) {
		home_row(r++, x + 2, w - 2, "院系数", rows_getn(sh->home, 0, "departments"));
	}
}

static void
pending_draw(struct shell *sh, int y, int x, int h, int w)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "「%s」模块尚未开放，将在后续版本中提供。", modules[sh->open].label);
	ui_put(y, x, w, buf, UI_NORMAL, false);
	ui_put(y + 2, x, w, "按 q 返回模块列表，: 输入命令，? 查看帮助。", UI_DIM, false);
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
	if (sh->mode == MODE_COMMAND) {
		snprintf(buf, sizeof(buf), " Enter 执行   Esc 取消   Tab 补全");
	} else if (sh->mode == MODE_HELP) {
		snprintf(buf, sizeof(buf), " ↑/↓ 滚动   q/Esc/? 关闭帮助");
	} else if (sh->mode == MODE_CONFIRM_QUIT) {
		snprintf(buf, sizeof(buf), " y 退出   n/Esc 取消");
	} else {
		for (i = 0; i < action_count; i++) {
			if (!actions[i].hint || !(actions[i].ctx & sh->focus))
				continue;
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s %s  ", actions[i].key_label,
				actions[i].id == ACT_BACK && sh->focus == CTX_SIDEBAR ? "退出" :
				actions[i].id == ACT_BACK ? "返回" : actions[i].help);
			if (n >= sizeof(buf))
				break;
		}
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
	int total = action_count + MOD_COUNT + 6;

	if (sh->help_scroll > total - h)
		sh->help_scroll = total - h > 0 ? total - h : 0;
	help_line(sh, &line, &r, top, h, NULL, "帮助：按键", UI_TITLE);
	for (i = 0; i < action_count; i++)
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
	help_line(sh, &line, &r, top, h, ":q", "退出", UI_NORMAL);
	help_line(sh, &line, &r, top, h, ":help", "帮助", UI_NORMAL);
}

static void
draw(struct shell *sh)
{
	int top = 2, h = LINES - 4, cx = SIDEBAR_W + 2;

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
		modules[sh->open].ops->draw(sh, top, cx, h - 1, COLS - cx - 1);
	}
	if (sh->mode == MODE_CONFIRM_QUIT)
		ui_put(LINES - 2, 0, COLS, "确定退出 wq？（y 退出，n 取消）", UI_ERROR, true);
	else if (sh->mode != MODE_COMMAND && sh->message[0])
		ui_put(LINES - 2, 0, COLS, sh->message, sh->message_is_error ? UI_ERROR : UI_OK, true);
	draw_hints(sh);
	if (sh->mode == MODE_COMMAND) {
		ui_put(LINES - 2, 0, 1, ":", UI_NORMAL, false);
		ui_field_draw(&sh->cmd, LINES - 2, 1, COLS - 2, true);
	}
	refresh();
}

/* ---- commands ------------------------------------------------------------ */

static void
run_command(struct shell *sh, const char *line)
{
	char word[64];
	int i;

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
	if (strcmp(word, "help") == 0 || strcmp(word, "h") == 0) {
		sh->mode = MODE_HELP;
		return;
	}
	for (i = 0; i < MOD_COUNT; i++) {
		if (strcmp(word, modules[i].cmd) != 0)
			continue;
		if (!(modules[i].who & kind_bit(sh->app->me.kind))) {
			say(sh, true, "%s不能使用「%s」", kind_label(sh->app->me.kind), modules[i].label);
			return;
		}
		open_module(sh, i);
		return;
	}
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

static void
key_normal(struct shell *sh, int key)
{
	switch (action_for_key(key, sh->focus)) {
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
		sh->app->connected = db_check(sh->app->db);
		if (modules[sh->open].ops->open)
			modules[sh->open].ops->open(sh);
		if (sh->app->connected)
			say(sh, false, "已刷新");
		else
			say(sh, true, "与数据库的连接已断开，按 R 重试");
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
		if (sh->focus == CTX_CONTENT)
			sh->focus = CTX_SIDEBAR;
		else
			sh->mode = MODE_CONFIRM_QUIT;
		break;
	case ACT_QUIT:
		sh->quit = true;
		break;
	case ACT_NONE:
	case ACT_COUNT:
		break;
	}
}

static void
handle_key(struct shell *sh, int rc, wint_t ch)
{
	int key = (int)ch;

	switch (sh->mode) {
	case MODE_HELP:
		if (rc == KEY_CODE_YES && ch == KEY_DOWN)
			sh->help_scroll++;
		else if (rc == KEY_CODE_YES && ch == KEY_UP && sh->help_scroll > 0)
			sh->help_scroll--;
		else if (rc == OK && (ch == 'j'))
			sh->help_scroll++;
		else if (rc == OK && ch == 'k' && sh->help_scroll > 0)
			sh->help_scroll--;
		else if ((rc == OK && (ch == 'q' || ch == 27 || ch == '?')) || (rc == KEY_CODE_YES && ch == KEY_F(1)))
			sh->mode = MODE_NORMAL;
		else if (rc == OK && ch == 'Q')
			sh->quit = true;
		return;
	case MODE_CONFIRM_QUIT:
		if (rc == OK && (ch == 'y' || ch == 'Y'))
			sh->quit = true;
		else if (rc == OK && (ch == 'n' || ch == 'N' || ch == 27 || ch == 'q'))
			sh->mode = MODE_NORMAL;
		return;
	case MODE_COMMAND:
		if (rc == OK && ch == 27) {
			sh->mode = MODE_NORMAL;
		} else if ((rc == OK && (ch == '\r' || ch == '\n')) || (rc == KEY_CODE_YES && ch == KEY_ENTER)) {
			sh->mode = MODE_NORMAL;
			run_command(sh, sh->cmd.buf);
		} else if (rc == OK && ch == '\t') {
			complete_command(sh);
		} else if ((rc == OK && (ch == 127 || ch == 8) && sh->cmd.len == 0)
		           || (rc == KEY_CODE_YES && ch == KEY_BACKSPACE && sh->cmd.len == 0)) {
			sh->mode = MODE_NORMAL;
		} else {
			ui_field_key(&sh->cmd, rc == KEY_CODE_YES, (unsigned int)ch);
		}
		return;
	case MODE_NORMAL:
		if (rc == OK && ch == 3) { /* Ctrl-C: nothing runs in the background yet; same as q */
			key = 'q';
		}
		key_normal(sh, key);
		return;
	}
}

void
shell_run(struct app *app)
{
	struct shell sh;
	wint_t ch;
	int rc, i, bit = kind_bit(app->me.kind);
	time_t now;

	memset(&sh, 0, sizeof(sh));
	sh.app = app;
	for (i = 0; i < MOD_COUNT; i++)
		if (modules[i].who & bit)
			sh.visible[sh.nvisible++] = i;
	sh.focus = CTX_SIDEBAR;
	app->connected = true;
	sh.last_check = time(NULL);
	open_module(&sh, MOD_HOME);
	sh.focus = CTX_SIDEBAR;
	timeout(1000);
	while (!sh.quit) {
		draw(&sh);
		rc = get_wch(&ch);
		now = time(NULL);
		if (now - sh.last_check >= 15) {
			app->connected = db_check(app->db);
			sh.last_check = now;
		}
		if (rc == ERR)
			continue;
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
			continue;
		if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) {
			if (rc == OK && (ch == 'Q' || ch == 3))
				sh.quit = true;
			continue;
		}
		handle_key(&sh, rc, ch);
	}
	rows_free(sh.home);
}
