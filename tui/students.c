/*
 * students.c: 学生名单, the roster of the user's scope, as a source for the
 * list widget (tui/list.c), and the student's detail page, a view pushed
 * over the list.
 *
 * Pages and counts are the keyset queries of src/students.c.  学号 and 姓名
 * stay in place while the other columns scroll sideways; every roster field
 * can be shown as a column (c).  Ctrl-S exports what the filter shows.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export_dialog.h"
#include "list.h"
#include "shell.h"
#include "str.h"
#include "students.h"
#include "query.h"
#include "ui.h"
#include "util.h"

struct students {
	bool ready;                   /* query scope set up */
	struct list list;
	struct student_query q;       /* the scope; filters and sort copied from the list */
	struct query sql;             /* the query in flight, alive while it runs */
	bool exporting;               /* Ctrl-S: the export dialog is open */
	struct export_dialog export;
};

/* The default widths, and the columns shown until the user chooses. */
static const int col_width[SC_COUNT] = {
	[SC_STUDENT_NO] = 16, [SC_NAME] = 18, [SC_SEX] = 5, [SC_DEPT] = 20, [SC_MAJOR] = 20,
	[SC_LEVEL] = 12, [SC_TRAINING] = 17, [SC_ELIGIBLE] = 17, [SC_VERIFY] = 11, [SC_DESTINATION] = 22,
	[SC_EXAM_NO] = 15, [SC_ID_NUMBER] = 19, [SC_ETHNICITY] = 10, [SC_POLITICAL] = 21,
	[SC_BIRTH_DATE] = 11, [SC_SCHOOL] = 20, [SC_ORIGIN] = 24, [SC_YEARS] = 5, [SC_ENTRY_DATE] = 11,
	[SC_GRAD_DATE] = 11, [SC_MOBILE] = 12, [SC_EMAIL] = 26,
};

static struct list_col student_list_cols[SC_COUNT];

static const char *const student_col_ids[SC_COUNT] = {
#define STUDENT_COL_ID(id, label, expr, sort, key, filterable) [SC_##id] = #id,
	STUDENT_COLS(STUDENT_COL_ID)
#undef STUDENT_COL_ID
};

static void
cols_init(void)
{
	int i;

	for (i = 0; i < SC_COUNT; i++) {
		student_list_cols[i].id = student_col_ids[i];
		student_list_cols[i].label = student_cols[i].label;
		student_list_cols[i].width = col_width[i];
		student_list_cols[i].sortable = student_cols[i].key[0] != '\0';
		student_list_cols[i].filterable = student_cols[i].filterable;
		student_list_cols[i].hidden = i > SC_DESTINATION;
	}
}

/* The list's filters and sort into the query. */
static void
sync_query(struct students *s, const struct list *l)
{
	int c;

	snprintf(s->q.text, sizeof(s->q.text), "%s", l->filter.buf);
	s->q.sort = l->sort;
	s->q.desc = l->desc;
	for (c = 0; c < SC_COUNT; c++)
		student_query_set_field(&s->q, (enum student_col)c, l->field[c], l->field_label[c]);
}

static void
take_sql(struct students *s, struct list_sql *out)
{
	out->sql = s->sql.sql;
	out->params = s->sql.params;
	out->nparams = s->sql.nparams;
}

static bool
src_page(void *ctx, const struct list *l, const char *key_sort, const char *key_id, bool backward,
	int limit, struct list_sql *out)
{
	struct students *s = ctx;

	sync_query(s, l);
	query_fini(&s->sql);
	students_page_sql(&s->q, key_sort, key_id, backward, limit, &s->sql);
	take_sql(s, out);
	return true;
}

static bool
src_count(void *ctx, const struct list *l, bool total, struct list_sql *out)
{
	struct students *s = ctx;
	struct student_query scope;

	sync_query(s, l);
	query_fini(&s->sql);
	if (total) {
		/* the same scope without any filter */
		scope = s->q;
		memset(scope.text, 0, sizeof(scope.text));
		memset(scope.field, 0, sizeof(scope.field));
		students_count_sql(&scope, &s->sql);
	} else {
		students_count_sql(&s->q, &s->sql);
	}
	take_sql(s, out);
	return true;
}

static struct wq_rows *
src_values(void *ctx, struct shell *sh, const struct list *l, int col, struct wq_err *err)
{
	struct students *s = ctx;
	struct query q;
	struct wq_rows *r;

	(void)l;
	/* the values present in the user's scope (no other filter) */
	students_values_sql(&s->q, (enum student_col)col, &q);
	r = query_run(shell_app(sh)->db, &q, err);
	query_fini(&q);
	return r;
}

static enum ui_style
src_style(void *ctx, const struct list_row *row, int col)
{
	(void)ctx;
	if (col == SC_VERIFY && strstr(row->cell[col], "不一致"))
		return UI_ERROR;
	return UI_NORMAL;
}

static const struct list_source students_source = {
	.name = "students",
	.cols = student_list_cols,
	.ncols = SC_COUNT,
	.frozen = 2,
	.markable = true,
	.page = src_page,
	.count = src_count,
	.values = src_values,
	.style = src_style,
	.title = "学生名单",
	.noun = "学生",
	.empty = "名单为空：学校用户可用 wq roster import 导入学生名单",
};

/* ---- the detail page: a view pushed over the list -------------------------------- */

struct detail {
	struct students *s;           /* the list below, which outlives this view */
	char id[32];                  /* the student shown */
	struct wq_rows *row, *history;
	int scroll;
};

static void
detail_load(struct shell *sh, struct detail *d)
{
	struct app *app = shell_app(sh);
	const struct list_row *cur = list_current(&d->s->list);
	struct wq_err err;

	rows_free(d->row);
	rows_free(d->history);
	d->row = d->history = NULL;
	d->scroll = 0;
	d->id[0] = '\0';
	if (!cur)
		return;
	snprintf(d->id, sizeof(d->id), "%s", cur->id);
	wq_err_clear(&err);
	d->row = students_detail(app->db, cur->id, &err);
	d->history = d->row ? students_history(app->db, cur->id, &err) : NULL;
	if (!d->row)
		shell_say(sh, true, "无法读取学生信息：%s", err.msg);
}

/* The province changed its agreement type: the history's states (去向登记审核通过) carry the verb; read it again. */
static void
detail_agreement_type(struct shell *sh, void *priv)
{
	struct detail *d = priv;
	struct wq_rows *h;
	struct wq_err err;

	if (!d->row || !d->id[0])
		return;
	wq_err_clear(&err);
	h = students_history(shell_app(sh)->db, d->id, &err);
	if (!h)
		return;
	rows_free(d->history);
	d->history = h;
}

static void
detail_open(struct shell *sh, void *priv)
{
	detail_load(sh, priv);
}

static void
detail_fini(void *priv)
{
	struct detail *d = priv;

	rows_free(d->row);
	rows_free(d->history);
}

/* Every field (in two columns when there is room), then the history. */
static void
detail_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct detail *d = priv;
	int r, c, lw = 12, half, rows_per_col, cw, hist_top;
	char buf[512];

	(void)sh;
	if (!d->row || d->row->nrows != 1) {
		ui_put(y, x, w, "找不到这名学生（可能已不在你的范围内）", UI_ERROR, false);
		return;
	}
	snprintf(buf, sizeof(buf), "学生名单 › %s（%s）", rows_getn(d->row, 0, "姓名"), rows_getn(d->row, 0, "学号"));
	ui_put(y, x, w, buf, UI_TITLE, true);
	half = w >= 70 ? 2 : 1;
	cw = w / half;
	rows_per_col = (d->row->ncols + half - 1) / half;
	for (c = 0; c < d->row->ncols; c++) {
		const char *v = rows_get(d->row, 0, c);
		int col = c / rows_per_col, line = c % rows_per_col - d->scroll;

		if (line < 0 || y + 1 + line >= y + h)
			continue;
		ui_put(y + 1 + line, x + col * cw, lw, d->row->names[c], UI_DIM, true);
		ui_put(y + 1 + line, x + col * cw + lw, cw - lw - 1, v ? v : "",
			strcmp(d->row->names[c], "核对状态") == 0 && v && strstr(v, "不一致") ? UI_ERROR : UI_NORMAL, false);
	}
	hist_top = y + 2 + rows_per_col - d->scroll;
	r = hist_top;
	if (r >= y + 1 && r < y + h)
		ui_put(r, x, w, "记录", UI_TITLE, true);
	r++;
	if ((!d->history || d->history->nrows == 0) && r >= y + 1 && r < y + h)
		ui_put(r, x, w, "（暂无记录）", UI_DIM, false);
	for (c = 0; d->history && c < d->history->nrows; c++, r++) {
		if (r < y + 1 || r >= y + h)
			continue;
		snprintf(buf, sizeof(buf), "%s  %s  %s", rows_get(d->history, c, 0), rows_get(d->history, c, 1),
			rows_get(d->history, c, 2) ? rows_get(d->history, c, 2) : "");
		ui_put(r, x, w, buf, UI_NORMAL, false);
	}
}

static void
detail_act(struct shell *sh, void *priv, enum action a)
{
	struct detail *d = priv;

	if (action_scroll(a, &d->scroll))
		return;
	switch (a) {
	case ACT_NEXT_ITEM:
	case ACT_PREV_ITEM:
		if (list_step(sh, &d->s->list, a == ACT_NEXT_ITEM ? 1 : -1))
			detail_load(sh, d);
		break;
	default:
		break;
	}
}

static const struct module_ops student_detail_view = {
	.ctx = CTX_DETAIL,
	.priv_size = sizeof(struct detail),
	.open = detail_open,
	.draw = detail_draw,
	.act = detail_act,
	.on_agreement_type = detail_agreement_type,
	.fini = detail_fini,
};

/* ---- the list view ------------------------------------------------------------------- */

static void
st_open(struct shell *sh, void *priv)
{
	struct students *s = priv;
	const struct me *me = &shell_app(sh)->me;

	if (!s->ready) {
		if (!student_list_cols[0].id)
			cols_init();
		student_query_init(&s->q);
		list_init(&s->list, &students_source, s, s);
		if (me->kind && strcmp(me->kind, "province") == 0) {
			s->q.province_code = xstrdup(me->province_code ? me->province_code : "");
		} else {
			s->q.school_code = xstrdup(me->school_code ? me->school_code : "");
			if (me->dept)
				s->q.dept = xstrdup(me->dept);
		}
		s->list.sort = SC_STUDENT_NO;
		s->ready = true;
	}
	s->exporting = false;
	list_open(sh, &s->list, me->login);
}

static void
st_fini(void *priv)
{
	struct students *s = priv;

	if (!s->ready)
		return;
	list_fini(&s->list);
	query_fini(&s->sql);
	student_query_fini(&s->q);
}

static void
st_close(struct shell *sh, void *priv)
{
	struct students *s = priv;

	(void)sh;
	if (s->ready)
		list_close(&s->list);
}

static void
st_on_result(struct shell *sh, void *priv, int tag, const struct wq_rows *rows, const struct wq_err *err)
{
	struct students *s = priv;

	list_on_result(sh, &s->list, tag, rows, err);
}

static void
st_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct students *s = priv;

	list_draw(sh, &s->list, y, x, h, w);
	if (s->exporting)
		export_dialog_draw(&s->export, y, x, h, w);
}

/* The export dialog's own keys while it is open. */
static const char *
st_hints(struct shell *sh, void *priv)
{
	struct students *s = priv;

	(void)sh;
	return s->exporting ? export_dialog_hints(&s->export) : NULL;
}

static int
st_context(struct shell *sh, void *priv)
{
	struct students *s = priv;

	(void)sh;
	return s->exporting ? export_dialog_context(&s->export) : list_context(&s->list);
}

static void
do_export(struct shell *sh, struct students *s)
{
	struct app *app = shell_app(sh);
	struct wq_err err;
	const char *path = export_dialog_path(&s->export);
	int n;

	shell_say(sh, false, "正在导出…");
	sync_query(s, &s->list);
	wq_err_clear(&err);
	if (students_export(app->db, &s->q, path, export_dialog_format(&s->export), &n, &err))
		shell_say(sh, false, "已导出 %d 人到 %s", n, path);
	else
		shell_say(sh, true, "导出失败：%s", err.msg);
}

static void
st_act(struct shell *sh, void *priv, enum action a)
{
	struct students *s = priv;
	struct detail *d;

	if (s->exporting)
		return;   /* the dialog takes every key (st_key) */
	if (list_context(&s->list) == 0 && a == ACT_DETAIL) {
		if (!list_current(&s->list))
			return;
		d = shell_push(sh, &student_detail_view);
		if (d)
			d->s = s;
		return;
	}
	if (list_context(&s->list) == 0 && a == ACT_EXPORT) {
		export_dialog_open(&s->export, shell_app(sh)->me.login);
		s->exporting = true;
		return;
	}
	list_act(sh, &s->list, a);
}

/* Raw keys: the export dialog's, or the list's (the / box). */
static bool
st_key(struct shell *sh, void *priv, int rc, wint_t ch)
{
	struct students *s = priv;

	if (s->exporting) {
		switch (export_dialog_key(&s->export, rc == KEY_CODE_YES, (unsigned int)ch)) {
		case EXPORT_GO:
			s->exporting = false;
			do_export(sh, s);
			break;
		case EXPORT_CANCEL:
			s->exporting = false;
			break;
		case EXPORT_OPEN:
			break;
		}
		return true;
	}
	return list_key(sh, &s->list, rc, ch);
}

const struct module_ops students_module = {
	.ctx = CTX_STUDENTS,
	.priv_size = sizeof(struct students),
	.open = st_open,
	.draw = st_draw,
	.key = st_key,
	.act = st_act,
	.on_result = st_on_result,
	.close = st_close,
	.fini = st_fini,
	.context = st_context,
	.hints = st_hints,
};
