/*
 * accounts.c: 账号管理, a school user's department clerk accounts.
 *
 * The list has one row per account and one per department without any
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
	int sel, top;
	int visible;                    /* list rows that fit, as last drawn */
	char error[512];                /* the last load failure, or "" */
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

/*
 * Reads the list again and the departments from it (it is ordered by
 * department).  select_login, when given, selects that account's row.
 */
static void
acc_reload(struct shell *sh, struct accounts *a, const char *select_login)
{
	struct wq_err err;
	struct wq_rows *rows;
	int i;

	wq_err_clear(&err);
	rows = account_dept_list(shell_app(sh)->db, &err);
	if (!rows) {
		snprintf(a->error, sizeof(a->error), "无法读取院系账号：%s", err.msg);
		return;
	}
	acc_free_rows(a);
	a->error[0] = '\0';
	a->rows = rows;
	a->depts = xcalloc(rows->nrows ? (size_t)rows->nrows : 1, sizeof(*a->depts));
	for (i = 0; i < rows->nrows; i++)
		if (!a->ndepts || strcmp(a->depts[a->ndepts - 1], acc_get(a, i, C_DEPT)) != 0)
			a->depts[a->ndepts++] = acc_get(a, i, C_DEPT);
	for (i = 0; select_login && i < rows->nrows; i++)
		if (strcmp(acc_get(a, i, C_LOGIN), select_login) == 0)
			a->sel = i;
	if (a->sel >= rows->nrows)
		a->sel = rows->nrows - 1;
	if (a->sel < 0)
		a->sel = 0;
}

/* Opening (and 刷新) closes any form and reads the list again. */
static void
acc_open(struct shell *sh, void *priv)
{
	struct accounts *a = priv;

	acc_wipe(a);
	a->mode = ACC_LIST;
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

/* The list: 院系, 登录名, 姓名, 状态; the selected row marked and highlighted. */
static void
acc_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct accounts *a = priv;
	const struct me *me = &shell_app(sh)->me;
	int n = acc_count(a), accounts = 0, locked = 0, i, r;
	int cw_state = 8, cw_name = 14, cw_login = 18, cw_dept;
	char buf[512];
	enum ui_style st;

	for (i = 0; i < n; i++) {
		if (!acc_has_login(a, i))
			continue;
		accounts++;
		locked += strcmp(acc_get(a, i, C_LOCKED), "t") == 0;
	}
	snprintf(buf, sizeof(buf), "账号管理 · %s · 院系账号 %d 个（已锁定 %d 个）",
		me->school_name ? me->school_name : "", accounts, locked);
	ui_put(y, x, w, buf, UI_NORMAL, false);
	if (a->error[0])
		ui_put(y + 1, x, w, a->error, UI_ERROR, false);
	cw_dept = w - 2 - cw_login - cw_name - cw_state - 3;
	if (cw_dept > 30) {
		/* room to spare goes to the other columns too */
		cw_login += (cw_dept - 30) / 2;
		cw_name += (cw_dept - 30) - (cw_dept - 30) / 2;
		cw_dept = 30;
	}
	r = y + 2;
	ui_put(r, x + 2, cw_dept, "院系", UI_DIM, true);
	ui_put(r, x + 3 + cw_dept, cw_login, "登录名", UI_DIM, true);
	ui_put(r, x + 4 + cw_dept + cw_login, cw_name, "姓名", UI_DIM, true);
	ui_put(r, x + 5 + cw_dept + cw_login + cw_name, cw_state, "状态", UI_DIM, true);
	r++;
	a->visible = y + h - r;
	if (a->visible < 1)
		a->visible = 1;
	if (a->sel < a->top)
		a->top = a->sel;
	if (a->sel >= a->top + a->visible)
		a->top = a->sel - a->visible + 1;
	if (!n && !a->error[0])
		ui_put(r, x + 2, w - 2, "本校还没有院系：导入学生名单后，名单中的院系会列在这里。", UI_DIM, false);
	for (i = a->top; i < n && r < y + h; i++, r++) {
		st = i == a->sel ? UI_SELECTED : UI_NORMAL;
		ui_put(r, x, 2, i == a->sel ? ui_glyph_marker() : " ", UI_NORMAL, true);
		ui_put(r, x + 2, w - 2, "", st, true);
		ui_put(r, x + 2, cw_dept, acc_get(a, i, C_DEPT), st, false);
		if (!acc_has_login(a, i)) {
			ui_put(r, x + 3 + cw_dept, w - 3 - cw_dept, "（尚无院系账号）", i == a->sel ? st : UI_DIM, false);
			continue;
		}
		ui_put(r, x + 3 + cw_dept, cw_login, acc_get(a, i, C_LOGIN), st, false);
		ui_put(r, x + 4 + cw_dept + cw_login, cw_name, acc_get(a, i, C_NAME), st, false);
		ui_put(r, x + 5 + cw_dept + cw_login + cw_name, cw_state,
			strcmp(acc_get(a, i, C_LOCKED), "t") == 0 ? "已锁定" : "正常",
			i == a->sel ? st : strcmp(acc_get(a, i, C_LOCKED), "t") == 0 ? UI_ERROR : UI_NORMAL, false);
	}
	if (a->mode == ACC_ADD)
		acc_draw_add(a, y + 1, x, h - 1, w);
	else if (a->mode == ACC_PASSWORD)
		acc_draw_password(a, y + 1, x, h - 1, w);
	else if (a->mode == ACC_LOCK)
		dialog_draw(&a->lock, y, x, h, w);
}

/* ---- actions ------------------------------------------------------------- */

/* Remembers the selected account for the lock question or the password form. */
static bool
acc_take_target(struct shell *sh, struct accounts *a)
{
	const char *name;

	if (!acc_has_login(a, a->sel)) {
		shell_say(sh, true, "%s", acc_count(a) ? "这个院系还没有账号，按 a 添加" : "没有可选的院系账号");
		return false;
	}
	name = acc_get(a, a->sel, C_NAME);
	snprintf(a->target, sizeof(a->target), "%s", acc_get(a, a->sel, C_LOGIN));
	if (str_empty(name))
		snprintf(a->target_label, sizeof(a->target_label), "%s（%s）", a->target, acc_get(a, a->sel, C_DEPT));
	else
		snprintf(a->target_label, sizeof(a->target_label), "%s（%s，%s）", a->target, name,
			acc_get(a, a->sel, C_DEPT));
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
		if (a->sel < acc_count(a) && strcmp(a->depts[i], acc_get(a, a->sel, C_DEPT)) == 0)
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
	a->lock_to = strcmp(acc_get(a, a->sel, C_LOCKED), "t") != 0;
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

/* Moves the selection, stopping at the first and last row. */
static void
acc_move(struct accounts *a, int delta)
{
	int n = acc_count(a);

	a->sel += delta;
	if (a->sel >= n)
		a->sel = n - 1;
	if (a->sel < 0)
		a->sel = 0;
}

/* The table's actions: moving, a (add), L (lock/unlock), p (password). */
static void
acc_act(struct shell *sh, void *priv, enum action act)
{
	struct accounts *a = priv;

	switch (act) {
	case ACT_MOVE_UP:
		acc_move(a, -1);
		break;
	case ACT_MOVE_DOWN:
		acc_move(a, 1);
		break;
	case ACT_PAGE_UP:
		acc_move(a, -a->visible);
		break;
	case ACT_PAGE_DOWN:
		acc_move(a, a->visible);
		break;
	case ACT_TOP:
		a->sel = 0;
		break;
	case ACT_BOTTOM:
		acc_move(a, acc_count(a));
		break;
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
	if (!acc_has_login(a, a->sel))
		return "↑/↓ 移动   a 添加院系账号   : 命令   ? 帮助   q 返回";
	return NULL;
}

static void
acc_fini(void *priv)
{
	struct accounts *a = priv;

	acc_wipe(a);
	acc_free_rows(a);
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
