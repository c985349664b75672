/*
 * warnings.c: 预警单位管理, a school user's warning units.
 *
 * Two lists of the list widget, each read at once through src/warning.h:
 * the school's own marks, and (t) the national warning units, employers
 * marked by 5 or more schools, with how many schools chose each category
 * (never which).  a marks an employer in a form (统一社会信用代码, checked
 * as it is typed; 预警类别, one of the four; 备注, one line), then asks in
 * the confirm dialog; d removes the school's own mark of the selected row
 * after the dialog.  A mark of a code the school already marked replaces
 * its own (the form says so before it is sent).  The database checks
 * everything again, and refuses a department user whichever client asks;
 * its messages go beside the field they are about, and the form stays open.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dialog.h"
#include "form.h"
#include "list.h"
#include "shell.h"
#include "str.h"
#include "ui.h"
#include "util.h"
#include "warning.h"

enum warn_mode {
	WM_LIST,
	WM_ADD,        /* the 标记预警单位 form */
	WM_ADD_ASK,    /* the dialog over the form: mark it? */
	WM_REMOVE,     /* the dialog: remove the school's own mark of the selected row? */
};

/* The categories for the form's choice: codes as values, labels as shown. */
static const char *const category_codes[] = {
#define WARNING_CATEGORY_CODE(code, label) #code,
	WARNING_CATEGORIES(WARNING_CATEGORY_CODE)
#undef WARNING_CATEGORY_CODE
};
static const char *const category_labels[] = {
#define WARNING_CATEGORY_LABEL(code, label) label,
	WARNING_CATEGORIES(WARNING_CATEGORY_LABEL)
#undef WARNING_CATEGORY_LABEL
};

struct warnings {
	bool ready;
	bool national;                  /* the national list is shown */
	struct list own, nat;           /* 本校标记, 全国预警单位 */
	struct wq_rows *own_rows;       /* warning_list as read, for what a row is about */
	struct wq_rows *nat_rows;
	enum warn_mode mode;
	struct form add;
	int f_code, f_category, f_note;
	struct dialog ask;
	char target[32];                /* the code the dialog is about */
};

#define NOT_ON_PLATFORM "（未在平台登记）"
#define ASK_CELLS 44   /* a note or name in the dialog: cut to this, with … */

/* s cut to ASK_CELLS cells for a dialog line (a 200-character note would not fit a line). */
static const char *
ask_fit(const char *s, char out[STR_FIT_BUFSIZE(ASK_CELLS)])
{
	str_fit(s ? s : "", 0, ASK_CELLS, ui.ascii ? STR_FIT_ASCII : STR_FIT_ELLIPSIS, out,
		STR_FIT_BUFSIZE(ASK_CELLS));
	return out;
}

/* ---- the two sources ------------------------------------------------------ */

static const struct list_col own_cols[] = {
	{ "CREDIT_CODE", "统一社会信用代码", 18, false, false, false },
	{ "EMPLOYER", "单位名称", 24, false, false, false },
	{ "CATEGORY", "预警类别", 8, false, false, false },
	{ "NOTE", "备注", 24, false, false, false },
	{ "MARKED_BY", "标记人", 8, false, false, false },
	{ "MARKED_AT", "标记时间", 16, false, false, false },
	{ "NATIONAL", "全国预警单位", 14, false, false, false },
};
enum { O_CODE, O_EMPLOYER, O_CATEGORY, O_NOTE, O_MARKED_BY, O_MARKED_AT, O_NATIONAL };

static const struct list_col nat_cols[] = {
	{ "CREDIT_CODE", "统一社会信用代码", 18, false, false, false },
	{ "EMPLOYER", "单位名称", 18, false, false, false },   /* 各类别 takes the room */
	{ "SCHOOLS", "标记学校数", 10, false, false, false },
	{ "CATEGORIES", "各类别", -48, false, false, false },
	{ "OWN", "本校标记", 8, false, false, false },
};
enum { N_CODE, N_EMPLOYER, N_SCHOOLS, N_CATEGORIES, N_OWN };

/* An empty result of nrows rows in the list's columns (id, sort value, cells). */
static struct wq_rows *
list_rows_new(int nrows, int ncells)
{
	struct wq_rows *out = xcalloc(1, sizeof(*out));
	int i;

	out->nrows = nrows;
	out->ncols = ncells + 2;
	out->names = xcalloc((size_t)out->ncols, sizeof(*out->names));
	for (i = 0; i < out->ncols; i++)
		out->names[i] = xasprintf("c%d", i);
	out->values = xcalloc((size_t)(out->nrows * out->ncols) + 1, sizeof(*out->values));
	return out;
}

/* Sets a cell (col -2: the row's id, -1: its sort value) of a list_rows_new result. */
static void
list_rows_set(struct wq_rows *r, int row, int col, const char *v)
{
	free(r->values[row * r->ncols + col + 2]);
	r->values[row * r->ncols + col + 2] = xstrdup(v ? v : "");
}

static const char *
employer_name(const struct wq_rows *r, int row)
{
	const char *name = rows_getn(r, row, "employer_name");

	return str_empty(name) ? NOT_ON_PLATFORM : name;
}

/* The row of rows about code, or -1. */
static int
find_code(const struct wq_rows *r, const char *code)
{
	int i;

	for (i = 0; r && code && i < r->nrows; i++)
		if (strcmp(rows_getn(r, i, "credit_code"), code) == 0)
			return i;
	return -1;
}

/* The school's marks, newest first; kept in w->own_rows as read. */
static struct wq_rows *
own_load(void *ctx, struct shell *sh, struct wq_err *err)
{
	struct warnings *w = ctx;
	struct wq_rows *r, *out;
	int i;

	r = warning_list(shell_app(sh)->db, false, err);
	if (!r)
		return NULL;
	rows_free(w->own_rows);
	w->own_rows = r;
	out = list_rows_new(r->nrows, (int)ARRAY_SIZE(own_cols));
	for (i = 0; i < r->nrows; i++) {
		const char *by = rows_getn(r, i, "marked_by_name"), *nat = rows_getn(r, i, "is_national");
		char *national = nat && strcmp(nat, "t") == 0
			? xasprintf("是（%s 所学校）", rows_getn(r, i, "schools")) : xstrdup("否");

		list_rows_set(out, i, -2, rows_getn(r, i, "credit_code"));
		list_rows_set(out, i, -1, "");
		list_rows_set(out, i, O_CODE, rows_getn(r, i, "credit_code"));
		list_rows_set(out, i, O_EMPLOYER, employer_name(r, i));
		list_rows_set(out, i, O_CATEGORY, rows_getn(r, i, "category_label"));
		list_rows_set(out, i, O_NOTE, rows_getn(r, i, "note"));
		list_rows_set(out, i, O_MARKED_BY, str_empty(by) ? rows_getn(r, i, "marked_by") : by);
		list_rows_set(out, i, O_MARKED_AT, rows_getn(r, i, "marked_at"));
		list_rows_set(out, i, O_NATIONAL, national);
		free(national);
	}
	return out;
}

/* The national warning units, most schools first; kept in w->nat_rows. */
static struct wq_rows *
nat_load(void *ctx, struct shell *sh, struct wq_err *err)
{
	struct warnings *w = ctx;
	struct wq_rows *r, *out;
	int i;

	r = warning_list(shell_app(sh)->db, true, err);
	if (!r)
		return NULL;
	rows_free(w->nat_rows);
	w->nat_rows = r;
	out = list_rows_new(r->nrows, (int)ARRAY_SIZE(nat_cols));
	for (i = 0; i < r->nrows; i++) {
		const char *own = rows_getn(r, i, "category_label");

		list_rows_set(out, i, -2, rows_getn(r, i, "credit_code"));
		list_rows_set(out, i, -1, "");
		list_rows_set(out, i, N_CODE, rows_getn(r, i, "credit_code"));
		list_rows_set(out, i, N_EMPLOYER, employer_name(r, i));
		list_rows_set(out, i, N_SCHOOLS, rows_getn(r, i, "schools"));
		list_rows_set(out, i, N_CATEGORIES, rows_getn(r, i, "categories"));
		list_rows_set(out, i, N_OWN, str_empty(own) ? "—" : own);
	}
	return out;
}

static enum ui_style
own_style(void *ctx, const struct list_row *row, int col)
{
	(void)ctx;
	if ((col == O_EMPLOYER && strcmp(row->cell[col], NOT_ON_PLATFORM) == 0)
	    || (col == O_NATIONAL && strcmp(row->cell[col], "否") == 0))
		return UI_DIM;
	if (col == O_CATEGORY || (col == O_NATIONAL && strcmp(row->cell[col], "否") != 0))
		return UI_ERROR;
	return UI_NORMAL;
}

static enum ui_style
nat_style(void *ctx, const struct list_row *row, int col)
{
	(void)ctx;
	if ((col == N_EMPLOYER && strcmp(row->cell[col], NOT_ON_PLATFORM) == 0)
	    || (col == N_OWN && strcmp(row->cell[col], "—") == 0))
		return UI_DIM;
	if (col == N_SCHOOLS || col == N_OWN)
		return UI_ERROR;
	return UI_NORMAL;
}

static const struct list_source own_source = {
	.name = "warnings",
	.cols = own_cols,
	.ncols = (int)ARRAY_SIZE(own_cols),
	.frozen = 2,
	.load = own_load,
	.style = own_style,
	.title = "本校标记",
	.noun = "预警单位",
	.empty = "本校尚未标记预警单位：按 a 标记一个单位。",
};

static const struct list_source nat_source = {
	.name = "warnings_national",
	.cols = nat_cols,
	.ncols = (int)ARRAY_SIZE(nat_cols),
	.frozen = 2,
	.load = nat_load,
	.style = nat_style,
	.title = "全国预警单位（被 5 所及以上学校标记）",
	.noun = "全国预警单位",
	.empty = "目前没有全国预警单位：被 5 所及以上学校标记的单位会列在这里。",
};

/* The list shown now. */
static struct list *
cur_list(struct warnings *w)
{
	return w->national ? &w->nat : &w->own;
}

/* Reads both lists again (the counts of both are in the title); select, when given, selects that code. */
static void
warn_reload(struct shell *sh, struct warnings *w, const char *select)
{
	struct list *lists[2] = { &w->own, &w->nat };
	int i, k;

	for (k = 0; k < 2; k++) {
		list_requery(sh, lists[k]);
		for (i = 0; select && i < lists[k]->nrows; i++)
			if (strcmp(lists[k]->rows[i].id, select) == 0)
				lists[k]->sel = i;
		list_move(lists[k], 0);
	}
}

/* Opening (and 刷新) closes any form or question and reads both lists again. */
static void
warn_open(struct shell *sh, void *priv)
{
	struct warnings *w = priv;
	const char *login = shell_app(sh)->me.login;

	if (!w->ready) {
		list_init(&w->own, &own_source, w, w);
		list_init(&w->nat, &nat_source, w, w);
		w->ready = true;
	}
	form_wipe(&w->add);
	w->mode = WM_LIST;
	list_columns_load(&w->own, login);
	list_columns_load(&w->nat, login);
	warn_reload(sh, w, NULL);
}

/* ---- the add form --------------------------------------------------------- */

/* The code as typed, upper-cased (the check character is a capital letter). */
static void
code_of(const char *value, char *out, size_t size)
{
	size_t i;

	for (i = 0; value[i] && i + 1 < size; i++)
		out[i] = value[i] >= 'a' && value[i] <= 'z' ? (char)(value[i] - 'a' + 'A') : value[i];
	out[i] = '\0';
}

/*
 * 统一社会信用代码: the client check (length, characters, check character);
 * a good code also says, as a note, what the school and the country already
 * know of it.
 */
static bool
check_code(struct form *form, int field, const char *value, char *msg, size_t size)
{
	struct warnings *w = form->ctx;
	struct form_field *f = &form->field[field];
	struct wq_err err;
	char code[64];
	int r;

	f->note[0] = '\0';
	if (str_empty(value)) {
		snprintf(msg, size, "请输入统一社会信用代码（18 位）");
		return false;
	}
	code_of(value, code, sizeof(code));
	wq_err_clear(&err);
	if (!check_credit_code(code, &err)) {
		snprintf(msg, size, "%s", err.msg);
		return false;
	}
	if ((r = find_code(w->own_rows, code)) >= 0)
		snprintf(f->note, sizeof(f->note), "本校已标记为%s，将替换",
			rows_getn(w->own_rows, r, "category_label"));
	else if ((r = find_code(w->nat_rows, code)) >= 0)
		snprintf(f->note, sizeof(f->note), "全国预警：%s 所学校标记", rows_getn(w->nat_rows, r, "schools"));
	return true;
}

static bool
check_note(struct form *form, int field, const char *value, char *msg, size_t size)
{
	struct wq_err err;

	(void)form;
	(void)field;
	wq_err_clear(&err);
	if (warning_note_check(value, &err))
		return true;
	snprintf(msg, size, "%s", err.msg);
	return false;
}

/* a: the form; from the national list the selected employer's code is filled in. */
static void
warn_start_add(struct shell *sh, struct warnings *w)
{
	struct form *f = &w->add;
	const struct list_row *row = list_current(&w->nat);
	int own;

	form_init(f, " 标记预警单位 ", "标记");
	f->ctx = w;
	w->f_code = form_add(f, FORM_TEXT, "统一社会信用代码");
	f->field[w->f_code].width = 20;
	f->field[w->f_code].digits = true;
	f->field[w->f_code].max_chars = 18;
	f->field[w->f_code].check = check_code;
	w->f_category = form_add(f, FORM_CHOICE, "预警类别");
	f->field[w->f_category].values = category_codes;
	f->field[w->f_category].labels = category_labels;
	f->field[w->f_category].nchoices = (int)ARRAY_SIZE(category_codes);
	w->f_note = form_add(f, FORM_TEXT, "备注");
	f->field[w->f_note].max_chars = WARNING_NOTE_MAX;
	f->field[w->f_note].check = check_note;
	if (w->national && row) {
		form_set_text(f, w->f_code, row->id);
		form_check(f, w->f_code);
		f->focus = w->f_category;
	}
	/* a code the school marked already: its category and note to start from */
	own = row && w->national ? find_code(w->own_rows, row->id) : -1;
	if (own >= 0) {
		const char *code = warning_category_code(rows_getn(w->own_rows, own, "category"));
		size_t i;

		for (i = 0; code && i < ARRAY_SIZE(category_codes); i++)
			if (strcmp(category_codes[i], code) == 0)
				form_set_choice(f, w->f_category, (int)i, true);
		form_set_text(f, w->f_note, rows_getn(w->own_rows, own, "note"));
	}
	snprintf(f->status, sizeof(f->status), "一个单位本校只有一个标记：再次标记会替换本校原标记");
	w->mode = WM_ADD;
	shell_say(sh, false, "%s", "");
}

/* The form was submitted (every check passed): ask before sending. */
static void
warn_ask_add(struct shell *sh, struct warnings *w)
{
	char code[64];
	const char *label = category_labels[w->add.field[w->f_category].choice];
	char fit[STR_FIT_BUFSIZE(ASK_CELLS)], fit2[STR_FIT_BUFSIZE(ASK_CELLS)];
	int own, nat;

	code_of(form_value(&w->add, w->f_code), code, sizeof(code));
	snprintf(w->target, sizeof(w->target), "%s", code);
	own = find_code(w->own_rows, code);
	nat = find_code(w->nat_rows, code);
	dialog_open(&w->ask, " 标记预警单位 ", "标记");
	dialog_add(&w->ask, "确定将以下单位标记为预警单位？");
	dialog_add(&w->ask, "统一社会信用代码  %s", code);
	if (own >= 0)
		dialog_add(&w->ask, "单位名称          %s", ask_fit(employer_name(w->own_rows, own), fit));
	else if (nat >= 0)
		dialog_add(&w->ask, "单位名称          %s", ask_fit(employer_name(w->nat_rows, nat), fit));
	dialog_add(&w->ask, "预警类别          %s", label);
	dialog_add(&w->ask, "备注              %s", ask_fit(form_value(&w->add, w->f_note), fit));
	if (own >= 0) {
		dialog_add(&w->ask, "将替换本校原标记：%s", rows_getn(w->own_rows, own, "category_label"));
		dialog_add(&w->ask, "原备注            %s", ask_fit(rows_getn(w->own_rows, own, "note"), fit2));
	}
	w->mode = WM_ADD_ASK;
	shell_say(sh, false, "%s", "");
}

/* A refusal goes beside the field it is about, else under the fields; the form stays. */
static void
warn_add_refused(struct warnings *w, const char *msg)
{
	struct form *f = &w->add;
	int i = -1;

	if (strstr(msg, "统一社会信用代码") || strstr(msg, "校验位"))
		i = w->f_code;
	else if (strstr(msg, "类别"))
		i = w->f_category;
	else if (strstr(msg, "备注"))
		i = w->f_note;
	w->mode = WM_ADD;
	if (i < 0) {
		snprintf(f->status, sizeof(f->status), "%s", msg);
		f->status_error = true;
		return;
	}
	snprintf(f->field[i].msg, sizeof(f->field[i].msg), "%s", msg);
	f->focus = i;
}

/* y to the question: marks, then reads the lists again with the code selected. */
static void
warn_do_add(struct shell *sh, struct warnings *w)
{
	struct warning_outcome out;
	struct wq_err err;
	const char *label = category_labels[w->add.field[w->f_category].choice];
	char code[sizeof(w->target)], msg[512];

	snprintf(code, sizeof(code), "%s", w->target);
	wq_err_clear(&err);
	if (!warning_add(shell_app(sh)->db, code, form_value(&w->add, w->f_category),
		    form_value(&w->add, w->f_note), &out, &err)) {
		warn_add_refused(w, err.msg);
		shell_say(sh, true, "未能标记：%s", err.msg);
		return;
	}
	if (strcmp(out.action, "replace") == 0)
		snprintf(msg, sizeof(msg), "已更新本校对 %s 的预警标记：%s → %s", code, out.before_label, label);
	else if (strcmp(out.action, "unchanged") == 0)
		snprintf(msg, sizeof(msg), "本校对 %s 的预警标记没有变化（%s）", code, label);
	else
		snprintf(msg, sizeof(msg), "已标记预警单位 %s（%s）", code, label);
	form_wipe(&w->add);
	w->mode = WM_LIST;
	w->national = false;
	warn_reload(sh, w, code);
	if (out.national)
		shell_say(sh, false, "%s；该单位已被 %d 所学校标记，是全国预警单位", msg, out.schools);
	else
		shell_say(sh, false, "%s", msg);
}

/* ---- removing ------------------------------------------------------------- */

/* d: asks before removing the school's own mark of the selected row. */
static void
warn_start_remove(struct shell *sh, struct warnings *w)
{
	const struct list_row *row = list_current(cur_list(w));
	char fit[STR_FIT_BUFSIZE(ASK_CELLS)];
	int own;

	if (!row) {
		shell_say(sh, true, "%s", w->national ? "没有可选的单位" : "本校还没有标记，按 a 标记预警单位");
		return;
	}
	own = find_code(w->own_rows, row->id);
	if (own < 0) {
		shell_say(sh, true, "本校没有标记 %s，只能取消本校自己的标记", row->id);
		return;
	}
	snprintf(w->target, sizeof(w->target), "%s", row->id);
	dialog_open(&w->ask, " 取消预警标记 ", "取消标记");
	dialog_add(&w->ask, "确定取消本校对以下单位的预警标记？");
	dialog_add(&w->ask, "统一社会信用代码  %s", row->id);
	dialog_add(&w->ask, "单位名称          %s", ask_fit(employer_name(w->own_rows, own), fit));
	dialog_add(&w->ask, "预警类别          %s", rows_getn(w->own_rows, own, "category_label"));
	dialog_add(&w->ask, "备注              %s", ask_fit(rows_getn(w->own_rows, own, "note"), fit));
	dialog_add(&w->ask, "其他学校的标记不受影响。");
	w->mode = WM_REMOVE;
	shell_say(sh, false, "%s", "");
}

/* y to the question: removes the mark, then reads the lists again. */
static void
warn_do_remove(struct shell *sh, struct warnings *w)
{
	struct wq_err err;
	char code[sizeof(w->target)];

	w->mode = WM_LIST;
	snprintf(code, sizeof(code), "%s", w->target);
	wq_err_clear(&err);
	if (!warning_remove(shell_app(sh)->db, code, &err)) {
		shell_say(sh, true, "未能取消标记：%s", err.msg);
		warn_reload(sh, w, code);
		return;
	}
	warn_reload(sh, w, NULL);
	shell_say(sh, false, "已取消本校对 %s 的预警标记", code);
}

/* ---- drawing -------------------------------------------------------------- */

/* The title, the two lists as tabs with their counts, the list shown, a form or question over it. */
static void
warn_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct warnings *wn = priv;
	const struct me *me = &shell_app(sh)->me;
	char buf[256];
	int cx = x, bw;

	snprintf(buf, sizeof(buf), "预警单位管理 · %s", me->school_name ? me->school_name : "");
	ui_put(y, x, w, buf, UI_NORMAL, true);
	snprintf(buf, sizeof(buf), "%s本校标记 %d ", !wn->national ? ui_glyph_marker() : " ", wn->own.nrows);
	cx += ui_put(y + 1, cx, w, buf, !wn->national ? UI_SELECTED : UI_DIM, false) + 1;
	snprintf(buf, sizeof(buf), "%s全国预警单位 %d ", wn->national ? ui_glyph_marker() : " ", wn->nat.nrows);
	cx += ui_put(y + 1, cx, w - (cx - x), buf, wn->national ? UI_SELECTED : UI_DIM, false) + 1;
	ui_put(y + 1, cx, w - (cx - x), "（t 切换）", UI_DIM, true);
	list_draw(sh, cur_list(wn), y + 2, x, h - 2, w);
	if (wn->mode == WM_ADD || wn->mode == WM_ADD_ASK) {
		bw = w > 76 ? 76 : w;
		form_draw(&wn->add, y + 2, x + (w - bw) / 2,
			form_height(&wn->add) < h - 2 ? form_height(&wn->add) : h - 2, bw);
	}
	if (wn->mode == WM_ADD_ASK || wn->mode == WM_REMOVE)
		dialog_draw(&wn->ask, y, x, h, w);
}

static int
warn_context(struct shell *sh, void *priv)
{
	struct warnings *w = priv;

	(void)sh;
	switch (w->mode) {
	case WM_ADD:
		return form_context(&w->add);
	case WM_ADD_ASK:
	case WM_REMOVE:
		return CTX_DIALOG;
	case WM_LIST:
		break;
	}
	return list_context(cur_list(w));
}

static const char *
warn_hints(struct shell *sh, void *priv)
{
	struct warnings *w = priv;

	(void)sh;
	switch (w->mode) {
	case WM_ADD:
		return form_hints(&w->add);
	case WM_ADD_ASK:
	case WM_REMOVE:
		return dialog_hints(&w->ask);
	case WM_LIST:
		break;
	}
	return NULL;
}

/* ---- keys ----------------------------------------------------------------- */

/* Raw keys: the form and the questions take every key while open. */
static bool
warn_key(struct shell *sh, void *priv, int rc, wint_t ch)
{
	struct warnings *w = priv;
	bool kc = rc == KEY_CODE_YES;
	enum form_result r;

	switch (w->mode) {
	case WM_ADD:
		r = form_key(&w->add, kc, (unsigned int)ch);
		if (r == FORM_SUBMIT) {
			warn_ask_add(sh, w);
		} else if (r == FORM_CANCEL) {
			form_wipe(&w->add);
			w->mode = WM_LIST;
			shell_say(sh, false, "已取消标记预警单位");
		}
		return true;
	case WM_ADD_ASK:
		switch (dialog_key(&w->ask, kc, (unsigned int)ch)) {
		case DIALOG_YES:
			warn_do_add(sh, w);
			break;
		case DIALOG_NO:
			w->mode = WM_ADD;   /* back to the form, as it was typed */
			shell_say(sh, false, "未提交：可继续修改，Esc 放弃");
			break;
		case DIALOG_OPEN:
			break;
		}
		return true;
	case WM_REMOVE:
		switch (dialog_key(&w->ask, kc, (unsigned int)ch)) {
		case DIALOG_YES:
			warn_do_remove(sh, w);
			break;
		case DIALOG_NO:
			w->mode = WM_LIST;
			shell_say(sh, false, "已取消，标记未改变");
			break;
		case DIALOG_OPEN:
			break;
		}
		return true;
	case WM_LIST:
		break;
	}
	return list_key(sh, cur_list(w), rc, ch);
}

static void
warn_act(struct shell *sh, void *priv, enum action act)
{
	struct warnings *w = priv;

	switch (act) {
	case ACT_WARNING_ADD:
		warn_start_add(sh, w);
		break;
	case ACT_WARNING_REMOVE:
		warn_start_remove(sh, w);
		break;
	case ACT_WARNING_SWITCH:
		w->national = !w->national;
		shell_say(sh, false, "%s", "");
		break;
	default:
		list_act(sh, cur_list(w), act);
		break;
	}
}

static void
warn_close(struct shell *sh, void *priv)
{
	struct warnings *w = priv;

	(void)sh;
	list_close(&w->own);
	list_close(&w->nat);
}

static void
warn_fini(void *priv)
{
	struct warnings *w = priv;

	form_wipe(&w->add);
	rows_free(w->own_rows);
	rows_free(w->nat_rows);
	list_fini(&w->own);
	list_fini(&w->nat);
}

const struct module_ops warnings_module = {
	.ctx = CTX_WARNING,
	.priv_size = sizeof(struct warnings),
	.open = warn_open,
	.draw = warn_draw,
	.key = warn_key,
	.act = warn_act,
	.close = warn_close,
	.fini = warn_fini,
	.hints = warn_hints,
	.context = warn_context,
};
