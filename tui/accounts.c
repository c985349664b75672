/*
 * accounts.c: 账号管理, a school user's department clerk accounts.
 *
 * The list (the list widget, read at once) has one row per account and one
 * per department without any (from account_dept_list).  a adds an account in a small form (the 院系
 * picked from the roster's departments), L locks or unlocks the selected
 * account after a y/n question, p sets a new password.  The database
 * checks everything again and its messages are shown in the form, which
 * stays open.  Passwords live only in the form's fields and are wiped as
 * soon as the form closes or they have been used.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "list.h"
#include "shell.h"
#include "str.h"
#include "ui.h"
#include "util.h"

enum acc_mode {
	ACC_LIST,
	ACC_ADD,       /* the 添加院系账号 form */
	ACC_LOCK,      /* y/n: lock or unlock the selected account */
	ACC_PASSWORD,  /* the 重设密码 form */
};

/* The fields of the add form, in order. */
enum { F_LOGIN, F_DEPT, F_NAME, F_PW1, F_PW2, F_COUNT };

/* Columns of account_dept_list. */
enum { C_DEPT, C_LOGIN, C_NAME, C_LOCKED };

struct accounts {
	struct wq_rows *rows;           /* account_dept_list, or NULL */
	const char **depts;             /* the distinct departments (borrowed from rows) */
	int ndepts;
	bool ready;
	struct list list;               /* its rows are those of rows, in order */
	enum acc_mode mode;
	/* the add and password forms */
	struct ui_field login, name, pw1, pw2;
	int dept;                       /* index into depts */
	int focus;                      /* F_*; the password form uses F_PW1 and F_PW2 */
	char form_error[512];
	/* the account the lock question or the password form is about */
	char target[128];
	char target_label[256];         /* login（姓名，院系） */
	bool lock_to;
	char hint[256];
};

static const char *
acc_get(const struct accounts *a, int row, int col)
{
	const char *v = a->rows ? rows_get(a->rows, row, col) : NULL;

	return v ? v : "";
}

static int
acc_count(const struct accounts *a)
{
	return a->rows ? a->rows->nrows : 0;
}

static bool
acc_has_login(const struct accounts *a, int row)
{
	return row >= 0 && row < acc_count(a) && a->rows && rows_get(a->rows, row, C_LOGIN);
}

/* Wipes the form fields, passwords first. */
static void
acc_wipe(struct accounts *a)
{
	ui_field_clear(&a->pw1);
	ui_field_clear(&a->pw2);
	ui_field_clear(&a->login);
	ui_field_clear(&a->name);
	a->form_error[0] = '\0';
}

static void
acc_free_rows(struct accounts *a)
{
	rows_free(a->rows);
	a->rows = NULL;
	free(a->depts);
	a->depts = NULL;
	a->ndepts = 0;
}

/* The list's columns. */
static const struct list_col acc_cols[] = {
	{ "DEPT", "院系", -30, false, false, false },
	{ "LOGIN", "登录名", 18, false, false, false },
	{ "NAME", "姓名", 14, false, false, false },
	{ "STATE", "状态", 8, false, false, false },
};
enum { L_DEPT, L_LOGIN, L_NAME, L_STATE };

static void
rows_set(struct wq_rows *r, int row, int col, const char *v)
{
	r->values[row * r->ncols + col] = xstrdup(v);
}

/*
 * The source's load: account_dept_list, kept in a->rows (with the
 * departments from it: it is ordered by department), and as the list's rows
 * (id, sort value, 院系, 登录名, 姓名, 状态).
 */
static struct wq_rows *
acc_load(void *ctx, struct shell *sh, struct wq_err *err)
{
	struct accounts *a = ctx;
	struct wq_rows *rows, *out;
	int i;
	static const char *const names[] = { "id", "sort", "院系", "登录名", "姓名", "状态" };

	rows = account_dept_list(shell_app(sh)->db, err);
	if (!rows)
		return NULL;
	acc_free_rows(a);
	a->rows = rows;
	a->depts = xcalloc(rows->nrows ? (size_t)rows->nrows : 1, sizeof(*a->depts));
	for (i = 0; i < rows->nrows; i++)
		if (!a->ndepts || strcmp(a->depts[a->ndepts - 1], acc_get(a, i, C_DEPT)) != 0)
			a->depts[a->ndepts++] = acc_get(a, i, C_DEPT);
	out = xcalloc(1, sizeof(*out));
	out->nrows = rows->nrows;
	out->ncols = (int)ARRAY_SIZE(names);
	out->names = xcalloc(ARRAY_SIZE(names), sizeof(*out->names));
	for (i = 0; i < out->ncols; i++)
		out->names[i] = xstrdup(names[i]);
	out->values = xcalloc((size_t)(out->nrows * out->ncols) + 1, sizeof(*out->values));
	for (i = 0; i < rows->nrows; i++) {
		bool has = acc_has_login(a, i);
		char *id = has ? xstrdup(acc_get(a, i, C_LOGIN)) : xasprintf("院系:%s", acc_get(a, i, C_DEPT));

		rows_set(out, i, 0, id);
		free(id);
		rows_set(out, i, 1, "");
		rows_set(out, i, 2 + L_DEPT, acc_get(a, i, C_DEPT));
		rows_set(out, i, 2 + L_LOGIN, has ? acc_get(a, i, C_LOGIN) : "（尚无院系账号）");
		rows_set(out, i, 2 + L_NAME, acc_get(a, i, C_NAME));
		rows_set(out, i, 2 + L_STATE, !has ? "" : strcmp(acc_get(a, i, C_LOCKED), "t") == 0 ? "已锁定" : "正常");
	}
	return out;
}

static enum ui_style
acc_style(void *ctx, const struct list_row *row, int col)
{
	(void)ctx;
	if (col == L_LOGIN && strcmp(row->cell[col], "（尚无院系账号）") == 0)
		return UI_DIM;
	if (col == L_STATE && strcmp(row->cell[col], "已锁定") == 0)
		return UI_ERROR;
	return UI_NORMAL;
}

static const struct list_source accounts_source = {
	.name = "accounts",
	.cols = acc_cols,
	.ncols = (int)ARRAY_SIZE(acc_cols),
	.frozen = 4,
	.load = acc_load,
	.style = acc_style,
	.title = "院系账号",
	.noun = "院系",
	.empty = "本校还没有院系：导入学生名单后，名单中的院系会列在这里。",
};

/* Reads the list again; select_login, when given, selects that account's row. */
static void
acc_reload(struct shell *sh, struct accounts *a, const char *select_login)
{
	int i;

	list_requery(sh, &a->list);
	for (i = 0; select_login && i < acc_count(a); i++)
		if (strcmp(acc_get(a, i, C_LOGIN), select_login) == 0)
			a->list.sel = i;
	list_move(&a->list, 0);
}

/* Opening (and 刷新) closes any form and reads the list again. */
static void
acc_open(struct shell *sh, void *priv)
{
	struct accounts *a = priv;

	if (!a->ready) {
		list_init(&a->list, &accounts_source, a, a);
		a->ready = true;
	}
	acc_wipe(a);
	a->mode = ACC_LIST;
	list_columns_load(&a->list, shell_app(sh)->me.login);
	acc_reload(sh, a, NULL);
}

/* ---- drawing ------------------------------------------------------------- */


/* A labelled text field of a form, between brackets. */
static void
acc_field(int y, int x, int fw, const char *label, const struct ui_field *f, bool focused)
{
	ui_put(y, x, 10, label, focused ? UI_SELECTED : UI_NORMAL, true);
	ui_put(y, x + 10, 1, "[", UI_DIM, false);
	ui_put(y, x + 11 + fw, 1, "]", UI_DIM, false);
	ui_field_draw(f, y, x + 11, fw, false);
}

/*
 * The add form: 登录名, 院系 (a pick list of the roster's departments,
 * shown under the fields while the 院系 field has the focus), 姓名, 密码,
 * 确认密码, and the last error.
 */
static void
acc_draw_add(struct accounts *a, int y, int x, int h, int w)
{
	int bw = w > 70 ? 70 : w, bh, bx = x + (w - bw) / 2, fx, fw, r, i, first, nlist;
	const struct ui_field *focused = NULL;
	char buf[512];
	int fy[F_COUNT];

	nlist = a->ndepts < 8 ? a->ndepts : 8;
	bh = 10 + nlist;
	if (bh > h)
		bh = h;
	nlist = bh - 10 > 0 ? bh - 10 : 0;
	ui_box(y, bx, bh, bw, " 添加院系账号 ");
	fx = bx + 2;
	fw = bw - 16 < 32 ? bw - 16 : 32;
	for (i = 0; i < F_COUNT; i++)
		fy[i] = y + 1 + i;
	acc_field(fy[F_LOGIN], fx, fw, "登录名", &a->login, a->focus == F_LOGIN);
	ui_put(fy[F_DEPT], fx, 10, "院系", a->focus == F_DEPT ? UI_SELECTED : UI_NORMAL, true);
	if (a->ndepts) {
		snprintf(buf, sizeof(buf), "%s %s %s（%d/%d）", ui.ascii ? "<" : "◂", a->depts[a->dept],
			ui.ascii ? ">" : "▸", a->dept + 1, a->ndepts);
		ui_put(fy[F_DEPT], fx + 11, bw - 14, buf, UI_NORMAL, false);
	}
	acc_field(fy[F_NAME], fx, fw, "姓名", &a->name, a->focus == F_NAME);
	acc_field(fy[F_PW1], fx, fw, "密码", &a->pw1, a->focus == F_PW1);
	acc_field(fy[F_PW2], fx, fw, "确认密码", &a->pw2, a->focus == F_PW2);
	r = y + 1 + F_COUNT;
	if (a->form_error[0])
		ui_put(r, fx, bw - 4, a->form_error, UI_ERROR, false);
	else
		ui_put(r, fx, bw - 4, "登录名用于登录，密码至少 8 个字符", UI_DIM, false);
	r += 2;
	if (a->focus == F_DEPT && nlist) {
		/* the pick list, scrolled so that the chosen department shows */
		first = a->dept - nlist / 2;
		if (first > a->ndepts - nlist)
			first = a->ndepts - nlist;
		if (first < 0)
			first = 0;
		for (i = first; i < first + nlist && i < a->ndepts; i++) {
			snprintf(buf, sizeof(buf), "%s%s", i == a->dept ? ui_glyph_marker() : " ", a->depts[i]);
			ui_put(r++, fx + 11, bw - 14, buf, i == a->dept ? UI_SELECTED : UI_NORMAL, true);
		}
	}
	/* the terminal cursor goes to the focused text field */
	switch (a->focus) {
	case F_LOGIN:
		focused = &a->login;
		break;
	case F_NAME:
		focused = &a->name;
		break;
	case F_PW1:
		focused = &a->pw1;
		break;
	case F_PW2:
		focused = &a->pw2;
		break;
	default:
		break;
	}
	if (focused)
		ui_field_draw(focused, fy[a->focus], fx + 11, fw, true);
}

/* The password form: whose, 新密码, 确认密码, and the last error. */
static void
acc_draw_password(struct accounts *a, int y, int x, int w)
{
	int bw = w > 70 ? 70 : w, bx = x + (w - bw) / 2, fx = bx + 2, fw = bw - 16 < 32 ? bw - 16 : 32;

	ui_box(y, bx, 8, bw, " 重设密码 ");
	ui_put(y + 1, fx, 10, "账号", UI_NORMAL, true);
	ui_put(y + 1, fx + 11, bw - 14, a->target_label, UI_NORMAL, false);
	acc_field(y + 2, fx, fw, "新密码", &a->pw1, a->focus == F_PW1);
	acc_field(y + 3, fx, fw, "确认密码", &a->pw2, a->focus == F_PW2);
	if (a->form_error[0])
		ui_put(y + 5, fx, bw - 4, a->form_error, UI_ERROR, false);
	else
		ui_put(y + 5, fx, bw - 4, "密码至少 8 个字符", UI_DIM, false);
	ui_field_draw(a->focus == F_PW1 ? &a->pw1 : &a->pw2, a->focus == F_PW1 ? y + 2 : y + 3, fx + 11, fw, true);
}

/* The summary, then the list: 院系, 登录名, 姓名, 状态. */
static void
acc_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct accounts *a = priv;
	const struct me *me = &shell_app(sh)->me;
	int n = acc_count(a), accounts = 0, locked = 0, i;
	char buf[512];

	for (i = 0; i < n; i++) {
		if (!acc_has_login(a, i))
			continue;
		accounts++;
		locked += strcmp(acc_get(a, i, C_LOCKED), "t") == 0;
	}
	snprintf(buf, sizeof(buf), "账号管理 · %s · 院系账号 %d 个（已锁定 %d 个）",
		me->school_name ? me->school_name : "", accounts, locked);
	ui_put(y, x, w, buf, UI_NORMAL, false);
	list_draw(sh, &a->list, y + 1, x, h - 1, w);
	if (a->mode == ACC_ADD)
		acc_draw_add(a, y + 1, x, h - 1, w);
	else if (a->mode == ACC_PASSWORD)
		acc_draw_password(a, y + 1, x, w);
}

/* ---- actions ------------------------------------------------------------- */

/* Remembers the selected account for the lock question or the password form. */
static bool
acc_take_target(struct shell *sh, struct accounts *a)
{
	const char *name;

	if (!acc_has_login(a, a->list.sel)) {
		shell_say(sh, true, "%s", acc_count(a) ? "这个院系还没有账号，按 a 添加" : "没有可选的院系账号");
		return false;
	}
	name = acc_get(a, a->list.sel, C_NAME);
	snprintf(a->target, sizeof(a->target), "%s", acc_get(a, a->list.sel, C_LOGIN));
	if (str_empty(name))
		snprintf(a->target_label, sizeof(a->target_label), "%s（%s）", a->target, acc_get(a, a->list.sel, C_DEPT));
	else
		snprintf(a->target_label, sizeof(a->target_label), "%s（%s，%s）", a->target, name,
			acc_get(a, a->list.sel, C_DEPT));
	return true;
}

/* a: the add form, its 院系 the selected row's. */
static void
acc_start_add(struct shell *sh, struct accounts *a)
{
	int i;

	if (!a->ndepts) {
		shell_say(sh, true, "本校学生名单中还没有院系，请先导入学生名单");
		return;
	}
	acc_wipe(a);
	a->dept = 0;
	for (i = 0; i < a->ndepts; i++)
		if (a->list.sel < acc_count(a) && strcmp(a->depts[i], acc_get(a, a->list.sel, C_DEPT)) == 0)
			a->dept = i;
	a->login.secret = a->name.secret = false;
	a->pw1.secret = a->pw2.secret = true;
	a->focus = F_LOGIN;
	a->mode = ACC_ADD;
	shell_say(sh, false, "%s", "");
}

/* Checks what the database cannot: the two passwords are the same. */
static bool
acc_passwords_match(struct accounts *a)
{
	if (a->pw1.len == a->pw2.len && memcmp(a->pw1.buf, a->pw2.buf, a->pw1.len) == 0)
		return true;
	snprintf(a->form_error, sizeof(a->form_error), "两次输入的密码不一致");
	ui_field_clear(&a->pw1);
	ui_field_clear(&a->pw2);
	return false;
}

/*
 * Submits the add form.  An error stays in the form with the focus on the
 * field it is about (a password error also empties both password fields);
 * success closes it, wipes it and reloads the list.
 */
static void
acc_submit_add(struct shell *sh, struct accounts *a)
{
	struct wq_err err;
	char login[sizeof(a->login.buf)], dept[512];

	if (!a->login.len) {
		snprintf(a->form_error, sizeof(a->form_error), "请输入登录名");
		a->focus = F_LOGIN;
		return;
	}
	if (str_width(a->name.buf) > 100) {
		snprintf(a->form_error, sizeof(a->form_error), "姓名最多 50 个字");
		a->focus = F_NAME;
		return;
	}
	if (!acc_passwords_match(a)) {
		a->focus = F_PW1;
		return;
	}
	wq_err_clear(&err);
	if (!account_dept_add(shell_app(sh)->db, a->login.buf, a->depts[a->dept], a->name.buf, a->pw1.buf, &err)) {
		snprintf(a->form_error, sizeof(a->form_error), "%s", err.msg);
		if (strstr(err.msg, "密码")) {
			ui_field_clear(&a->pw1);
			ui_field_clear(&a->pw2);
			a->focus = F_PW1;
		} else if (strstr(err.msg, "登录名")) {
			a->focus = F_LOGIN;
		} else if (strstr(err.msg, "院系")) {
			a->focus = F_DEPT;
		}
		return;
	}
	snprintf(login, sizeof(login), "%s", a->login.buf);
	snprintf(dept, sizeof(dept), "%s", a->depts[a->dept]);
	acc_wipe(a);
	a->mode = ACC_LIST;
	acc_reload(sh, a, login);
	shell_say(sh, false, "已添加院系账号 %s（%s）", login, dept);
}

/* p: the password form for the selected account. */
static void
acc_start_password(struct shell *sh, struct accounts *a)
{
	if (!acc_take_target(sh, a))
		return;
	acc_wipe(a);
	a->pw1.secret = a->pw2.secret = true;
	a->focus = F_PW1;
	a->mode = ACC_PASSWORD;
	shell_say(sh, false, "%s", "");
}

/* Submits the password form; an error empties both fields and stays. */
static void
acc_submit_password(struct shell *sh, struct accounts *a)
{
	struct wq_err err;

	if (!acc_passwords_match(a)) {
		a->focus = F_PW1;
		return;
	}
	wq_err_clear(&err);
	if (!account_dept_password(shell_app(sh)->db, a->target, a->pw1.buf, &err)) {
		snprintf(a->form_error, sizeof(a->form_error), "%s", err.msg);
		ui_field_clear(&a->pw1);
		ui_field_clear(&a->pw2);
		a->focus = F_PW1;
		return;
	}
	acc_wipe(a);
	a->mode = ACC_LIST;
	shell_say(sh, false, "已重设 %s 的密码", a->target);
}

/* L: asks before locking (or unlocking) the selected account. */
static void
acc_start_lock(struct shell *sh, struct accounts *a)
{
	if (!acc_take_target(sh, a))
		return;
	a->lock_to = strcmp(acc_get(a, a->list.sel, C_LOCKED), "t") != 0;
	a->mode = ACC_LOCK;
	shell_say(sh, true, "确定%s %s？ y 确定 n 取消", a->lock_to ? "锁定" : "解锁", a->target_label);
}

/* y to the lock question: locks or unlocks, then reloads the list. */
static void
acc_do_lock(struct shell *sh, struct accounts *a)
{
	struct wq_err err;
	char login[sizeof(a->target)];

	a->mode = ACC_LIST;
	snprintf(login, sizeof(login), "%s", a->target);
	wq_err_clear(&err);
	if (!account_dept_set_locked(shell_app(sh)->db, login, a->lock_to, &err)) {
		shell_say(sh, true, "%s失败：%s", a->lock_to ? "锁定" : "解锁", err.msg);
		return;
	}
	acc_reload(sh, a, login);
	if (a->lock_to)
		shell_say(sh, false, "已锁定 %s，该账号不能再登录", login);
	else
		shell_say(sh, false, "已解锁 %s", login);
}

/* ---- keys ---------------------------------------------------------------- */

static bool
is_enter(int rc, wint_t ch)
{
	return (rc == OK && (ch == '\r' || ch == '\n')) || (rc == KEY_CODE_YES && ch == KEY_ENTER);
}

static struct ui_field *
acc_add_field(struct accounts *a, int focus)
{
	switch (focus) {
	case F_LOGIN:
		return &a->login;
	case F_NAME:
		return &a->name;
	case F_PW1:
		return &a->pw1;
	case F_PW2:
		return &a->pw2;
	default:
		return NULL;
	}
}

/*
 * Keys of the add form: Enter/Tab next field (Enter on the last submits),
 * Shift-Tab previous, ↑/↓ choose the 院系 on its field and move between
 * fields elsewhere, Ctrl-S submits, Esc cancels.
 */
static void
acc_add_key(struct shell *sh, struct accounts *a, int rc, wint_t ch)
{
	struct ui_field *f = acc_add_field(a, a->focus);

	if (rc == OK && (ch == 27 || ch == 3)) {
		acc_wipe(a);
		a->mode = ACC_LIST;
		shell_say(sh, false, "已取消添加院系账号");
	} else if (rc == OK && ch == 19) {
		acc_submit_add(sh, a);
	} else if (is_enter(rc, ch) && a->focus == F_PW2) {
		acc_submit_add(sh, a);
	} else if (is_enter(rc, ch) || (rc == OK && ch == '\t')) {
		a->focus = (a->focus + 1) % F_COUNT;
	} else if (rc == KEY_CODE_YES && ch == KEY_BTAB) {
		a->focus = (a->focus + F_COUNT - 1) % F_COUNT;
	} else if (a->focus == F_DEPT && rc == KEY_CODE_YES && (ch == KEY_UP || ch == KEY_DOWN)) {
		a->dept = (a->dept + (ch == KEY_UP ? a->ndepts - 1 : 1)) % a->ndepts;
	} else if (a->focus == F_DEPT && rc == KEY_CODE_YES && (ch == KEY_HOME || ch == KEY_END)) {
		a->dept = ch == KEY_HOME ? 0 : a->ndepts - 1;
	} else if (rc == KEY_CODE_YES && ch == KEY_UP) {
		a->focus = (a->focus + F_COUNT - 1) % F_COUNT;
	} else if (rc == KEY_CODE_YES && ch == KEY_DOWN) {
		a->focus = (a->focus + 1) % F_COUNT;
	} else if (f) {
		ui_field_key(f, rc == KEY_CODE_YES, (unsigned int)ch);
	}
}

/* Keys of the password form: the same moves over its two fields. */
static void
acc_password_key(struct shell *sh, struct accounts *a, int rc, wint_t ch)
{
	if (rc == OK && (ch == 27 || ch == 3)) {
		acc_wipe(a);
		a->mode = ACC_LIST;
		shell_say(sh, false, "已取消重设密码");
	} else if ((rc == OK && ch == 19) || (is_enter(rc, ch) && a->focus == F_PW2)) {
		acc_submit_password(sh, a);
	} else if (is_enter(rc, ch) || (rc == OK && ch == '\t')
	           || (rc == KEY_CODE_YES && (ch == KEY_BTAB || ch == KEY_UP || ch == KEY_DOWN))) {
		a->focus = a->focus == F_PW1 ? F_PW2 : F_PW1;
	} else {
		ui_field_key(a->focus == F_PW1 ? &a->pw1 : &a->pw2, rc == KEY_CODE_YES, (unsigned int)ch);
	}
}

/* Raw keys: the forms and the lock question take every key while open. */
static bool
acc_key(struct shell *sh, void *priv, int rc, wint_t ch)
{
	struct accounts *a = priv;

	switch (a->mode) {
	case ACC_ADD:
		acc_add_key(sh, a, rc, ch);
		return true;
	case ACC_PASSWORD:
		acc_password_key(sh, a, rc, ch);
		return true;
	case ACC_LOCK:
		if (rc == OK && (ch == 'y' || ch == 'Y')) {
			acc_do_lock(sh, a);
		} else if (rc == OK && (ch == 'n' || ch == 'N' || ch == 27 || ch == 'q' || ch == 3)) {
			a->mode = ACC_LIST;
			shell_say(sh, false, "已取消");
		}
		return true;
	case ACC_LIST:
		break;
	}
	return false;
}

/* The table's actions: moving, a (add), L (lock/unlock), p (password). */
static void
acc_act(struct shell *sh, void *priv, enum action act)
{
	struct accounts *a = priv;

	switch (act) {
	case ACT_ADD:
		acc_start_add(sh, a);
		break;
	case ACT_LOCK:
		acc_start_lock(sh, a);
		break;
	case ACT_PASSWORD:
		acc_start_password(sh, a);
		break;
	default:
		list_act(sh, &a->list, act);   /* moving */
		break;
	}
}

/* The keys of the form or question that is open, or of a row without an account. */
static const char *
acc_hints(struct shell *sh, void *priv)
{
	struct accounts *a = priv;

	(void)sh;
	switch (a->mode) {
	case ACC_ADD:
		if (a->focus == F_DEPT)
			return "↑/↓ 选择院系   Enter/Tab 下一项   Ctrl-S 添加   Esc 取消";
		if (a->focus == F_PW2)
			return "Enter/Ctrl-S 添加   Tab 下一项   Esc 取消";
		return "Enter/Tab 下一项   S-Tab 上一项   Ctrl-S 添加   Esc 取消";
	case ACC_PASSWORD:
		return a->focus == F_PW2 ? "Enter/Ctrl-S 确定   Tab 上一项   Esc 取消"
			: "Enter/Tab 下一项   Ctrl-S 确定   Esc 取消";
	case ACC_LOCK:
		snprintf(a->hint, sizeof(a->hint), "y %s   n/Esc 取消", a->lock_to ? "确定锁定" : "确定解锁");
		return a->hint;
	case ACC_LIST:
		break;
	}
	if (!acc_has_login(a, a->list.sel))
		return "↑/↓ 移动   a 添加院系账号   : 命令   ? 帮助   q 返回";
	return NULL;
}

static void
acc_fini(void *priv)
{
	struct accounts *a = priv;

	acc_wipe(a);
	acc_free_rows(a);
	list_fini(&a->list);
}

const struct module_ops accounts_module = {
	.ctx = CTX_ACCOUNTS,
	.priv_size = sizeof(struct accounts),
	.open = acc_open,
	.draw = acc_draw,
	.key = acc_key,
	.act = acc_act,
	.fini = acc_fini,
	.hints = acc_hints,
};
