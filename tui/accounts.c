/*
 * accounts.c: 账号管理, a school user's department clerk accounts.
 *
 * The list (the list widget, read at once) has one row per account and one per department without any
 * (from account_dept_list).  a adds an account in a form (the 院系
 * chosen from the roster's departments), L locks or unlocks the selected
 * account after the confirm dialog, p sets a new password (the password
 * form).  The database checks everything again and its messages are shown
 * beside the field they are about, in the form, which stays open.  Passwords live only in the form's fields and are wiped as
 * soon as the form closes or they have been used.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "list.h"
#include "dialog.h"
#include "form.h"
#include "password_form.h"
#include "shell.h"
#include "str.h"
#include "ui.h"
#include "util.h"

enum acc_mode {
	ACC_LIST,
	ACC_ADD,       /* the 添加院系账号 form */
	ACC_LOCK,      /* the confirm dialog: lock or unlock the selected account */
	ACC_PASSWORD,  /* the 重设密码 form */
};

/* Columns of account_dept_list. */
enum { C_DEPT, C_LOGIN, C_NAME, C_LOCKED };

struct accounts {
	struct wq_rows *rows;           /* account_dept_list, or NULL */
	const char **depts;             /* the distinct departments (borrowed from rows) */
	int ndepts;
	bool ready;
	struct list list;               /* its rows are those of rows, in order */
	enum acc_mode mode;
	/* the add form, the password form and the lock question */
	struct form add;
	int f_login, f_dept, f_name, f_pw1, f_pw2;
	struct password_form pw;
	struct dialog lock;
	/* the account the lock question or the password form is about */
	char target[128];
	char target_label[256];         /* login（姓名，院系） */
	bool lock_to;
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

/* Wipes the forms, passwords and all. */
static void
acc_wipe(struct accounts *a)
{
	form_wipe(&a->add);
	password_form_wipe(&a->pw);
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


/* The add form in a frame over the list, as tall as it needs. */
static void
acc_draw_add(struct accounts *a, int y, int x, int h, int w)
{
	int bw = w > 72 ? 72 : w, bh = form_height(&a->add);

	form_draw(&a->add, y, x + (w - bw) / 2, bh < h ? bh : h, bw);
}

/* The password form, likewise. */
static void
acc_draw_password(struct accounts *a, int y, int x, int h, int w)
{
	int bw = w > 72 ? 72 : w, bh = form_height(&a->pw.form);

	form_draw(&a->pw.form, y, x + (w - bw) / 2, bh < h ? bh : h, bw);
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
		acc_draw_password(a, y + 1, x, h - 1, w);
	else if (a->mode == ACC_LOCK)
		dialog_draw(&a->lock, y, x, h, w);
}

/* The keys that work now: the open form's or dialog's, else the list's. */
static int
acc_context(struct shell *sh, void *priv)
{
	struct accounts *a = priv;

	(void)sh;
	switch (a->mode) {
	case ACC_ADD:
		return form_context(&a->add);
	case ACC_PASSWORD:
		return form_context(&a->pw.form);
	case ACC_LOCK:
		return CTX_DIALOG;
	default:
		return list_context(&a->list);
	}
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

/* 登录名 may not be empty (the database checks its form). */
static bool
check_login(struct form *form, int field, const char *value, char *msg, size_t size)
{
	(void)form;
	(void)field;
	if (!str_empty(value))
		return true;
	snprintf(msg, size, "请输入登录名");
	return false;
}

static bool
check_name(struct form *form, int field, const char *value, char *msg, size_t size)
{
	(void)form;
	(void)field;
	if (str_utf8_count(value) <= 50)
		return true;
	snprintf(msg, size, "姓名最多 50 个字");
	return false;
}

/* a: the add form, its 院系 the selected row's. */
static void
acc_start_add(struct shell *sh, struct accounts *a)
{
	struct form *f = &a->add;
	int i;

	if (!a->ndepts) {
		shell_say(sh, true, "本校学生名单中还没有院系，请先导入学生名单");
		return;
	}
	acc_wipe(a);
	form_init(f, " 添加院系账号 ", "添加");
	a->f_login = form_add(f, FORM_TEXT, "登录名");
	f->field[a->f_login].width = 32;
	f->field[a->f_login].check = check_login;
	a->f_dept = form_add(f, FORM_CHOICE, "院系");
	f->field[a->f_dept].values = a->depts;
	f->field[a->f_dept].nchoices = a->ndepts;
	for (i = 0; i < a->ndepts; i++)
		if (a->list.sel < acc_count(a) && strcmp(a->depts[i], acc_get(a, a->list.sel, C_DEPT)) == 0)
			form_set_choice(f, a->f_dept, i, true);
	a->f_name = form_add(f, FORM_TEXT, "姓名");
	f->field[a->f_name].width = 32;
	f->field[a->f_name].check = check_name;
	a->f_pw1 = form_add(f, FORM_SECRET, "密码");
	f->field[a->f_pw1].width = 32;
	f->field[a->f_pw1].check = password_check_new;
	a->f_pw2 = form_add(f, FORM_SECRET, "确认密码");
	f->field[a->f_pw2].width = 32;
	f->field[a->f_pw2].check = password_check_again;
	snprintf(f->status, sizeof(f->status), "登录名用于登录，密码至少 %d 个字符", ACCOUNT_PASSWORD_MIN);
	a->mode = ACC_ADD;
	shell_say(sh, false, "%s", "");
}

/* A database refusal goes beside the field it is about, else under the fields. */
static void
acc_add_refused(struct accounts *a, const char *msg)
{
	struct form *f = &a->add;
	int i = -1;

	if (strstr(msg, "密码"))
		i = a->f_pw1;
	else if (strstr(msg, "登录名"))
		i = a->f_login;
	else if (strstr(msg, "院系"))
		i = a->f_dept;
	else if (strstr(msg, "姓名"))
		i = a->f_name;
	if (i == a->f_pw1) {
		/* both password fields are typed again */
		form_set_text(f, a->f_pw1, "");
		form_set_text(f, a->f_pw2, "");
	}
	if (i < 0) {
		snprintf(f->status, sizeof(f->status), "%s", msg);
		f->status_error = true;
		return;
	}
	snprintf(f->field[i].msg, sizeof(f->field[i].msg), "%s", msg);
	f->focus = i;
}

/* Submits the add form: success closes it, wipes it and reloads the list. */
static void
acc_submit_add(struct shell *sh, struct accounts *a)
{
	struct wq_err err;
	char login[FORM_TEXT_MAX], dept[512];

	snprintf(login, sizeof(login), "%s", form_value(&a->add, a->f_login));
	snprintf(dept, sizeof(dept), "%s", form_value(&a->add, a->f_dept));
	wq_err_clear(&err);
	if (!account_dept_add(shell_app(sh)->db, login, dept, form_value(&a->add, a->f_name),
		    form_value(&a->add, a->f_pw1), &err)) {
		acc_add_refused(a, err.msg);
		return;
	}
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
	password_form_open(&a->pw, "重设密码", a->target_label);
	a->mode = ACC_PASSWORD;
	shell_say(sh, false, "%s", "");
}

/* Submits the password form; a refusal empties both fields and stays. */
static void
acc_submit_password(struct shell *sh, struct accounts *a)
{
	struct wq_err err;

	wq_err_clear(&err);
	if (!account_dept_password(shell_app(sh)->db, a->target, password_form_value(&a->pw), &err)) {
		password_form_refused(&a->pw, err.msg);
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
	dialog_open(&a->lock, a->lock_to ? " 锁定院系账号 " : " 解锁院系账号 ", a->lock_to ? "锁定" : "解锁");
	dialog_add(&a->lock, "确定%s %s？", a->lock_to ? "锁定" : "解锁", a->target_label);
	dialog_add(&a->lock, "%s", a->lock_to ? "锁定后该账号不能再登录，已登录的会话随即结束。"
		: "解锁后该账号可以再次登录。");
	a->mode = ACC_LOCK;
	shell_say(sh, false, "%s", "");
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

/* Raw keys: the forms and the lock question take every key while open. */
static bool
acc_key(struct shell *sh, void *priv, int rc, wint_t ch)
{
	struct accounts *a = priv;
	bool kc = rc == KEY_CODE_YES;
	enum form_result r;

	switch (a->mode) {
	case ACC_ADD:
		r = form_key(&a->add, kc, (unsigned int)ch);
		password_fields_after_key(&a->add, a->f_pw1, r);
		if (r == FORM_SUBMIT) {
			acc_submit_add(sh, a);
		} else if (r == FORM_CANCEL) {
			acc_wipe(a);
			a->mode = ACC_LIST;
			shell_say(sh, false, "已取消添加院系账号");
		}
		return true;
	case ACC_PASSWORD:
		r = password_form_key(&a->pw, kc, (unsigned int)ch);
		if (r == FORM_SUBMIT) {
			acc_submit_password(sh, a);
		} else if (r == FORM_CANCEL) {
			acc_wipe(a);
			a->mode = ACC_LIST;
			shell_say(sh, false, "已取消重设密码");
		}
		return true;
	case ACC_LOCK:
		switch (dialog_key(&a->lock, kc, (unsigned int)ch)) {
		case DIALOG_YES:
			acc_do_lock(sh, a);
			break;
		case DIALOG_NO:
			a->mode = ACC_LIST;
			shell_say(sh, false, "已取消");
			break;
		case DIALOG_OPEN:
			break;
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
		return form_hints(&a->add);
	case ACC_PASSWORD:
		return form_hints(&a->pw.form);
	case ACC_LOCK:
		return dialog_hints(&a->lock);
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
	.context = acc_context,
};
