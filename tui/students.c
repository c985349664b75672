/*
 * students.c: 学生名单, the roster of the user's scope.
 *
 * Rows come from the server a page at a time (keyset pagination, see
 * src/students.c); nothing waits for the database: every query is sent
 * asynchronously and a new keystroke in the filter cancels the query it
 * makes obsolete (db_send cancels the running one).  After the first page
 * the count of matching rows follows.  学号 and 姓名 stay in place while the
 * other columns scroll sideways.  The columns shown and their order are
 * remembered in $XDG_STATE_HOME/wq/students.columns.
 */
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "export_dialog.h"
#include "shell.h"
#include "str.h"
#include "students.h"
#include "ui.h"
#include "util.h"

#define PAGE_ROWS 200
#define WINDOW_ROWS 1000   /* rows kept in memory: a window that slides with the cursor */
#define FROZEN 2           /* 学号 and 姓名: the first two columns, always shown */

enum st_mode {
	ST_LIST,
	ST_FILTER,        /* typing in the / box */
	ST_PICK_FIELD,    /* f: which column to filter by */
	ST_PICK_VALUE,    /* f: which value */
	ST_COLUMNS,       /* c: show, hide and order columns */
	ST_EXPORT,        /* Ctrl-S: the file name */
	ST_DETAIL,        /* one student */
};

/* What the query in flight is for. */
enum st_pending { P_NONE, P_FIRST, P_MORE, P_BEFORE, P_LAST, P_COUNT, P_TOTAL };

struct row {
	char *id;
	char *sort;
	char *cell[SC_COUNT];
};

struct students {
	bool ready;                   /* query scope set up */
	struct student_query q;
	struct ui_field filter;
	/* loaded rows */
	struct row *rows;
	int nrows, cap;
	bool more;                    /* the server has rows after the last one */
	bool at_start;                /* rows[0] is the first row of the list */
	long count;                   /* rows the filter shows, -1 unknown */
	long total;                   /* rows in scope, -1 unknown */
	int sel, top;
	int hscroll;                  /* first scrolling column shown (index into the scrolling part) */
	int visible;                  /* rows that fit, as last drawn */
	/* the query in flight */
	enum st_pending pending;
	struct students_sql sql;
	char *key_sort, *key_id;      /* the keyset key of P_MORE / P_BEFORE, kept alive while it runs */
	struct timespec sent;
	double last_ms;               /* keystroke → first page, for the header */
	char error[512];
	/* columns */
	int order[SC_COUNT];          /* display order of the scrolling columns (FROZEN..) */
	bool hidden[SC_COUNT];
	/* pickers */
	enum st_mode mode;
	int pick;                     /* selected item in a picker */
	int pick_col;                 /* the column being filtered */
	struct wq_rows *values;       /* distinct values for ST_PICK_VALUE */
	struct export_dialog export;  /* Ctrl-S */
	/* detail */
	struct wq_rows *detail, *history;
	int detail_scroll;
};

static const int col_width[SC_COUNT] = {
	[SC_STUDENT_NO] = 16, [SC_NAME] = 18, [SC_SEX] = 5, [SC_DEPT] = 20, [SC_MAJOR] = 20,
	[SC_LEVEL] = 12, [SC_TRAINING] = 17, [SC_ELIGIBLE] = 17, [SC_VERIFY] = 11, [SC_DESTINATION] = 9,
};

/* ---- remembered columns ------------------------------------------------------ */

static char *
columns_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (state && state[0] == '/')
		return xasprintf("%s/wq/students.columns", state);
	if (home && home[0] == '/')
		return xasprintf("%s/.local/state/wq/students.columns", home);
	return NULL;
}

static void
columns_default(struct students *s)
{
	int i;

	for (i = 0; i < SC_COUNT; i++) {
		s->order[i] = i;
		s->hidden[i] = false;
	}
}

/* Reads "order: 0 1 2 ..." and "hidden: 3 4"; anything odd leaves the defaults. */
static void
columns_load(struct students *s)
{
	char *path = columns_path(), line[256], *p, *end;
	FILE *f;
	int order[SC_COUNT], n = 0, seen = 0, i;
	long v;

	columns_default(s);
	if (!path)
		return;
	f = fopen(path, "r");
	free(path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "order:", 6) == 0) {
			for (p = line + 6, n = 0; n < SC_COUNT; p = end) {
				v = strtol(p, &end, 10);
				if (end == p)
					break;
				if (v < 0 || v >= SC_COUNT || (seen & (1 << v)))
					break;
				seen |= 1 << v;
				order[n++] = (int)v;
			}
		} else if (strncmp(line, "hidden:", 7) == 0) {
			for (p = line + 7;; p = end) {
				v = strtol(p, &end, 10);
				if (end == p)
					break;
				if (v >= FROZEN && v < SC_COUNT)
					s->hidden[v] = true;
			}
		}
	}
	fclose(f);
	if (n == SC_COUNT && order[0] == 0 && order[1] == 1)
		for (i = 0; i < SC_COUNT; i++)
			s->order[i] = order[i];
}

static void
mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
}

static bool
columns_save(struct students *s)
{
	char *path = columns_path();
	FILE *f;
	int i;
	bool ok;

	if (!path)
		return false;
	mkdirs(path);
	f = fopen(path, "w");
	free(path);
	if (!f)
		return false;
	fputs("order:", f);
	for (i = 0; i < SC_COUNT; i++)
		fprintf(f, " %d", s->order[i]);
	fputs("\nhidden:", f);
	for (i = 0; i < SC_COUNT; i++)
		if (s->hidden[i])
			fprintf(f, " %d", i);
	fputs("\n", f);
	ok = fclose(f) == 0;
	return ok;
}

/* ---- rows ------------------------------------------------------------------------ */

static void
row_fini(struct row *row)
{
	int c;

	free(row->id);
	free(row->sort);
	for (c = 0; c < SC_COUNT; c++)
		free(row->cell[c]);
}

static void
rows_clear(struct students *s)
{
	int i;

	for (i = 0; i < s->nrows; i++)
		row_fini(&s->rows[i]);
	s->nrows = 0;
}

/*
 * Adds the rows of a result: at the end, or (at_front) before the first
 * row; reversed when the query walked backwards.  The window then keeps at
 * most WINDOW_ROWS rows, dropping from the far side of the cursor.
 */
static void
rows_add(struct students *s, const struct wq_rows *r, bool at_front, bool reversed)
{
	int i, c, n = r->nrows, drop;
	const char *v;

	if (s->nrows + n > s->cap) {
		s->cap = (s->nrows + n) * 2;
		s->rows = xrealloc(s->rows, sizeof(*s->rows) * (size_t)s->cap);
	}
	if (at_front) {
		memmove(s->rows + n, s->rows, sizeof(*s->rows) * (size_t)s->nrows);
		s->sel += n;
		s->top += n;
	}
	for (i = 0; i < n; i++) {
		int src = reversed ? n - 1 - i : i;
		struct row *row = &s->rows[at_front ? i : s->nrows + i];

		row->id = xstrdup(rows_get(r, src, 0));
		row->sort = xstrdup((v = rows_get(r, src, 1)) ? v : "");
		for (c = 0; c < SC_COUNT; c++)
			row->cell[c] = xstrdup((v = rows_get(r, src, c + 2)) ? v : "");
	}
	s->nrows += n;
	drop = s->nrows - WINDOW_ROWS;
	if (drop <= 0)
		return;
	if (at_front) {
		/* drop from the end: rows after them exist again */
		for (i = s->nrows - drop; i < s->nrows; i++)
			row_fini(&s->rows[i]);
		s->nrows -= drop;
		s->more = true;
	} else {
		for (i = 0; i < drop; i++)
			row_fini(&s->rows[i]);
		memmove(s->rows, s->rows + drop, sizeof(*s->rows) * (size_t)(s->nrows - drop));
		s->nrows -= drop;
		s->sel -= drop;
		s->top -= drop;
		if (s->sel < 0)
			s->sel = 0;
		if (s->top < 0)
			s->top = 0;
		s->at_start = false;
	}
}

static double
ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) * 1e3 + (double)(now.tv_nsec - t->tv_nsec) / 1e6;
}

/* Sends a query (cancelling the one in flight); its result arrives in st_db_ready. */
static void
send_query(struct shell *sh, struct students *s, enum st_pending what)
{
	struct app *app = shell_app(sh);
	struct wq_err err;

	students_sql_fini(&s->sql);
	free(s->key_sort);
	free(s->key_id);
	s->key_sort = s->key_id = NULL;
	switch (what) {
	case P_FIRST:
	case P_LAST:
		students_page_sql(&s->q, NULL, NULL, what == P_LAST, PAGE_ROWS, &s->sql);
		clock_gettime(CLOCK_MONOTONIC, &s->sent);
		break;
	case P_MORE:
	case P_BEFORE: {
		const struct row *key = &s->rows[what == P_MORE ? s->nrows - 1 : 0];

		s->key_sort = xstrdup(key->sort);
		s->key_id = xstrdup(key->id);
		students_page_sql(&s->q, s->key_sort, s->key_id, what == P_BEFORE, PAGE_ROWS, &s->sql);
		break;
	}
	case P_COUNT:
		students_count_sql(&s->q, &s->sql);
		break;
	case P_TOTAL: {
		struct student_query scope = s->q;

		/* the same scope without any filter */
		memset(scope.text, 0, sizeof(scope.text));
		memset(scope.field, 0, sizeof(scope.field));
		students_count_sql(&scope, &s->sql);
		break;
	}
	case P_NONE:
		return;
	}
	wq_err_clear(&err);
	if (!db_send(app->db, s->sql.sql, s->sql.nparams, s->sql.params, &err)) {
		snprintf(s->error, sizeof(s->error), "%s", err.msg);
		s->pending = P_NONE;
		app->connected = false;
		return;
	}
	s->pending = what;
}

/* Starts over: the filter or the sort changed. */
static void
requery(struct shell *sh, struct students *s)
{
	rows_clear(s);
	s->more = false;
	s->at_start = true;
	s->count = -1;
	s->sel = s->top = 0;
	s->error[0] = '\0';
	snprintf(s->q.text, sizeof(s->q.text), "%s", s->filter.buf);
	send_query(sh, s, P_FIRST);
}

static void
st_db_ready(struct shell *sh, void *priv)
{
	struct students *s = priv;
	struct app *app = shell_app(sh);
	struct wq_rows *r = NULL;
	struct wq_err err;
	enum st_pending was = s->pending;

	wq_err_clear(&err);
	if (!db_poll(app->db, &r, &err))
		return;   /* not complete yet */
	s->pending = P_NONE;
	if (!r) {
		snprintf(s->error, sizeof(s->error), "查询失败：%s", err.msg);
		if (err.code == WQ_ERR_PG_CONN)
			app->connected = false;
		return;
	}
	switch (was) {
	case P_FIRST:
		s->last_ms = ms_since(&s->sent);
		rows_add(s, r, false, false);
		s->more = r->nrows == PAGE_ROWS;
		send_query(sh, s, s->total < 0 ? P_TOTAL : P_COUNT);
		break;
	case P_MORE:
		rows_add(s, r, false, false);
		s->more = r->nrows == PAGE_ROWS;
		break;
	case P_BEFORE:
		rows_add(s, r, true, true);
		s->at_start = r->nrows < PAGE_ROWS;
		break;
	case P_LAST:
		rows_clear(s);
		s->sel = s->top = 0;
		rows_add(s, r, false, true);
		s->more = false;
		s->at_start = r->nrows < PAGE_ROWS;
		s->sel = s->nrows ? s->nrows - 1 : 0;
		if (s->count < 0)
			send_query(sh, s, P_COUNT);
		break;
	case P_TOTAL:
		s->total = atol(rows_get(r, 0, 0));
		send_query(sh, s, P_COUNT);
		break;
	case P_COUNT:
		s->count = atol(rows_get(r, 0, 0));
		break;
	case P_NONE:
		break;
	}
	rows_free(r);
}

/* Loads the page after (or before) the window when the cursor nears its edge. */
static void
maybe_more(struct shell *sh, struct students *s)
{
	if (s->pending != P_NONE || s->nrows == 0)
		return;
	if (s->more && s->sel + s->visible >= s->nrows - 1)
		send_query(sh, s, P_MORE);
	else if (!s->at_start && s->sel < s->visible)
		send_query(sh, s, P_BEFORE);
}

/* ---- open, close ----------------------------------------------------------------- */

static void
st_open(struct shell *sh, void *priv)
{
	struct students *s = priv;
	const struct me *me = &shell_app(sh)->me;

	if (!s->ready) {
		student_query_init(&s->q);
		if (me->kind && strcmp(me->kind, "province") == 0) {
			s->q.province_code = xstrdup(me->province_code ? me->province_code : "");
			s->q.sort = SC_STUDENT_NO;
		} else {
			s->q.school_code = xstrdup(me->school_code ? me->school_code : "");
			if (me->dept)
				s->q.dept = xstrdup(me->dept);
		}
		columns_load(s);
		s->ready = true;
	}
	s->mode = ST_LIST;
	s->total = -1;
	requery(sh, s);
}

static void
st_fini(void *priv)
{
	struct students *s = priv;

	rows_clear(s);
	free(s->rows);
	students_sql_fini(&s->sql);
	free(s->key_sort);
	free(s->key_id);
	rows_free(s->values);
	rows_free(s->detail);
	rows_free(s->history);
	student_query_fini(&s->q);
}

/* ---- drawing ------------------------------------------------------------------------ */

/* The columns shown, frozen first, from hscroll on; returns how many. */
static int
shown_columns(const struct students *s, int w, int *cols)
{
	int n = 0, used = 0, i, skip = s->hscroll;

	for (i = 0; i < SC_COUNT; i++) {
		int c = s->order[i];

		if (i >= FROZEN) {
			if (s->hidden[c])
				continue;
			if (skip > 0) {
				skip--;
				continue;
			}
		}
		if (used + col_width[c] > w && n >= FROZEN)
			break;
		cols[n++] = c;
		used += col_width[c] + 1;
	}
	return n;
}

static int
scrolling_count(const struct students *s)
{
	int i, n = 0;

	for (i = FROZEN; i < SC_COUNT; i++)
		if (!s->hidden[s->order[i]])
			n++;
	return n;
}

static void
draw_header(struct students *s, int y, int x, int w)
{
	char buf[512], count[64], fields[256] = "";
	size_t n = 0;
	int i;

	for (i = 0; i < SC_COUNT; i++)
		if (s->q.field[i])
			n += (size_t)snprintf(fields + n, sizeof(fields) - n, "  %s=%s", student_cols[i].label,
				s->q.field_label[i]);
	if (s->count >= 0 && s->total >= 0)
		snprintf(count, sizeof(count), "显示 %ld / %ld 条", s->count, s->total);
	else if (s->total >= 0)
		snprintf(count, sizeof(count), "显示 … / %ld 条", s->total);
	else
		snprintf(count, sizeof(count), "显示 … 条");
	snprintf(buf, sizeof(buf), "学生名单  排序:%s%s%s%s%s", student_cols[s->q.sort].label,
		s->q.desc ? "↓" : "↑", s->filter.len ? "  筛选:" : "", s->filter.buf, fields);
	ui_put(y, x, w - (int)str_width(count) - 1, buf, UI_NORMAL, true);
	ui_put(y, x + w - (int)str_width(count), (int)str_width(count), count, UI_NORMAL, false);
}

static void
draw_list(struct students *s, int y, int x, int h, int w)
{
	int cols[SC_COUNT], ncols, r, c, cx, i;

	ncols = shown_columns(s, w, cols);
	/* column headers, with the sort marked */
	for (c = 0, cx = x; c < ncols; c++) {
		char label[64];

		snprintf(label, sizeof(label), "%s%s", student_cols[cols[c]].label,
			cols[c] == s->q.sort ? (s->q.desc ? "↓" : "↑") : "");
		ui_put(y, cx, col_width[cols[c]], label, UI_TITLE, true);
		cx += col_width[cols[c]] + 1;
	}
	if (cx < x + w)
		ui_put(y, cx - 1, x + w - cx + 1, "", UI_TITLE, true);
	s->visible = h - 1;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + s->visible)
		s->top = s->sel - s->visible + 1;
	for (r = 0; r < s->visible; r++) {
		i = s->top + r;
		if (i >= s->nrows)
			break;
		for (c = 0, cx = x; c < ncols; c++) {
			ui_put(y + 1 + r, cx, col_width[cols[c]], s->rows[i].cell[cols[c]],
				i == s->sel ? UI_SELECTED : UI_NORMAL, true);
			if (c + 1 < ncols)
				ui_put(y + 1 + r, cx + col_width[cols[c]], 1, " ", i == s->sel ? UI_SELECTED : UI_NORMAL, true);
			cx += col_width[cols[c]] + 1;
		}
	}
	if (s->nrows == 0 && s->pending == P_NONE && !s->error[0])
		ui_put(y + 2, x + 2, w - 2, s->filter.len || s->q.field[SC_DEPT] ? "没有符合条件的学生" :
			"名单为空：学校用户可用 wq roster import 导入学生名单", UI_DIM, false);
	if (s->error[0])
		ui_put(y + 2, x + 2, w - 2, s->error, UI_ERROR, false);
}

static void
draw_picker(int y, int x, int h, int w, const char *title, const char *const *items, int n, int sel,
	const bool *checked)
{
	int bw = 40, bh, i, top = 0, by, bx;
	char buf[128];

	if (bw > w)
		bw = w;
	bh = n + 3 < h ? n + 3 : h;
	by = y + 1;
	bx = x + (w - bw) / 2;
	if (sel >= top + bh - 3)
		top = sel - (bh - 3) + 1;
	ui_put(by, bx, bw, title, UI_TITLE, true);
	for (i = 0; i < bh - 3 && top + i < n; i++) {
		if (checked)
			snprintf(buf, sizeof(buf), " [%s] %s", checked[top + i] ? "x" : " ", items[top + i]);
		else
			snprintf(buf, sizeof(buf), " %s", items[top + i]);
		ui_put(by + 1 + i, bx, bw, buf, top + i == sel ? UI_SELECTED : UI_NORMAL, true);
	}
	ui_put(by + 1 + i, bx, bw, "", UI_NORMAL, true);
}

/* One student: every field (in two columns when there is room), then the history. */
static void
draw_detail(struct students *s, int y, int x, int h, int w)
{
	int r, c, lw = 12, half, rows_per_col, cw, hist_top;
	char buf[512];

	if (!s->detail || s->detail->nrows != 1) {
		ui_put(y, x, w, "找不到这名学生（可能已不在你的范围内）", UI_ERROR, false);
		return;
	}
	snprintf(buf, sizeof(buf), "学生名单 › %s（%s）", rows_getn(s->detail, 0, "姓名"),
		rows_getn(s->detail, 0, "学号"));
	ui_put(y, x, w, buf, UI_TITLE, true);
	half = w >= 70 ? 2 : 1;
	cw = w / half;
	rows_per_col = (s->detail->ncols + half - 1) / half;
	for (c = 0; c < s->detail->ncols; c++) {
		const char *v = rows_get(s->detail, 0, c);
		int col = c / rows_per_col, line = c % rows_per_col - s->detail_scroll;

		if (line < 0 || y + 1 + line >= y + h)
			continue;
		ui_put(y + 1 + line, x + col * cw, lw, s->detail->names[c], UI_DIM, true);
		ui_put(y + 1 + line, x + col * cw + lw, cw - lw - 1, v ? v : "",
			strcmp(s->detail->names[c], "核对状态") == 0 && v && strstr(v, "不一致") ? UI_ERROR : UI_NORMAL, false);
	}
	hist_top = y + 2 + rows_per_col - s->detail_scroll;
	r = hist_top;
	if (r >= y + 1 && r < y + h)
		ui_put(r, x, w, "记录", UI_TITLE, true);
	r++;
	if ((!s->history || s->history->nrows == 0) && r >= y + 1 && r < y + h)
		ui_put(r, x, w, "（暂无记录）", UI_DIM, false);
	for (c = 0; s->history && c < s->history->nrows; c++, r++) {
		if (r < y + 1 || r >= y + h)
			continue;
		snprintf(buf, sizeof(buf), "%s  %s  %s", rows_get(s->history, c, 0), rows_get(s->history, c, 1),
			rows_get(s->history, c, 2) ? rows_get(s->history, c, 2) : "");
		ui_put(r, x, w, buf, UI_NORMAL, false);
	}
}

static const char *const filterable_labels[] = { "院系", "专业", "学历层次", "培养方式", "网签资格", "核对状态" };
static const int filterable_cols[] = { SC_DEPT, SC_MAJOR, SC_LEVEL, SC_TRAINING, SC_ELIGIBLE, SC_VERIFY };

static void
st_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct students *s = priv;
	const char *items[64];
	bool checked[SC_COUNT];
	int i, n;

	if (s->mode == ST_DETAIL) {
		draw_detail(s, y, x, h, w);
		return;
	}
	draw_header(s, y, x, w);
	if (s->mode == ST_FILTER || s->filter.len) {
		ui_put(y + 1, x, 7, "筛选 /", UI_DIM, false);
		ui_field_draw(&s->filter, y + 1, x + 7, w - 7, false);
	}
	draw_list(s, y + 2, x, h - 2, w);
	switch (s->mode) {
	case ST_PICK_FIELD:
		draw_picker(y + 2, x, h - 2, w, " 条件筛选：选择列（Enter 选择，Esc 取消）", filterable_labels,
			(int)ARRAY_SIZE(filterable_labels), s->pick, NULL);
		break;
	case ST_PICK_VALUE:
		n = 0;
		items[n++] = "（全部）";
		for (i = 0; s->values && i < s->values->nrows && n < (int)ARRAY_SIZE(items); i++)
			items[n++] = rows_get(s->values, i, 1) ? rows_get(s->values, i, 1) : "";
		draw_picker(y + 2, x, h - 2, w, " 条件筛选：选择值", items, n, s->pick, NULL);
		break;
	case ST_COLUMNS:
		for (i = 0; i < SC_COUNT; i++) {
			items[i] = student_cols[s->order[i]].label;
			checked[i] = !s->hidden[s->order[i]];
		}
		draw_picker(y + 2, x, h - 2, w, " 列设置：Space 显示/隐藏  J/K 移动", items, SC_COUNT, s->pick, checked);
		break;
	case ST_EXPORT:
		export_dialog_draw(&s->export, y, x, h, w);
		break;
	case ST_LIST:
	case ST_FILTER:
	case ST_DETAIL:
		break;
	}
	if (s->mode == ST_FILTER) {
		/* the cursor belongs in the filter box */
		ui_field_draw(&s->filter, y + 1, x + 7, w - 7, true);
	}
}

static const char *
st_hints(struct shell *sh, void *priv)
{
	struct students *s = priv;

	switch (s->mode) {
	case ST_FILTER:
		return "输入姓名、学号、考生号或身份证号后几位   Enter 完成   Esc 清除筛选";
	case ST_PICK_FIELD:
	case ST_PICK_VALUE:
		return "↑/↓ 选择   Enter 确定   Esc 取消";
	case ST_COLUMNS:
		return "↑/↓ 选择   Space 显示/隐藏   J/K 下移/上移   Enter/Esc 完成";
	case ST_EXPORT:
		return export_dialog_hints(&s->export);
	case ST_DETAIL:
		return "↑/↓ 滚动   q/Esc 返回名单";
	case ST_LIST:
		break;
	}
	return NULL;
}

/* ---- actions ------------------------------------------------------------------------ */

static void
open_detail(struct shell *sh, struct students *s)
{
	struct app *app = shell_app(sh);
	struct wq_err err;

	if (s->sel >= s->nrows)
		return;
	db_cancel(app->db);
	s->pending = P_NONE;
	rows_free(s->detail);
	rows_free(s->history);
	wq_err_clear(&err);
	s->detail = students_detail(app->db, s->rows[s->sel].id, &err);
	s->history = s->detail ? students_history(app->db, s->rows[s->sel].id, &err) : NULL;
	if (!s->detail) {
		shell_say(sh, true, "无法读取学生信息：%s", err.msg);
		return;
	}
	s->detail_scroll = 0;
	s->mode = ST_DETAIL;
	/* the count may have been cancelled: ask again */
	if (s->count < 0)
		send_query(sh, s, s->total < 0 ? P_TOTAL : P_COUNT);
}

static void
load_values(struct shell *sh, struct students *s, int col)
{
	struct app *app = shell_app(sh);
	const char *params[4];
	struct wq_err err;
	char *q;
	int n;

	/* the values present in the user's scope (no other filter) */
	q = students_values_sql(&s->q, (enum student_col)col, params, &n);
	db_cancel(app->db);
	s->pending = P_NONE;
	rows_free(s->values);
	wq_err_clear(&err);
	s->values = db_query(app->db, q, n, params, &err);
	free(q);
	if (!s->values)
		shell_say(sh, true, "无法读取可选值：%s", err.msg);
	if (s->nrows == 0 || s->count < 0)
		requery(sh, s);
}

static void
do_export(struct shell *sh, struct students *s)
{
	struct app *app = shell_app(sh);
	struct wq_err err;
	const char *path = export_dialog_path(&s->export);
	int n;

	db_cancel(app->db);
	s->pending = P_NONE;
	shell_say(sh, false, "正在导出…");
	wq_err_clear(&err);
	if (students_export(app->db, &s->q, path, export_dialog_format(&s->export), &n, &err))
		shell_say(sh, false, "已导出 %d 人到 %s", n, path);
	else
		shell_say(sh, true, "导出失败：%s", err.msg);
	if (s->count < 0)
		send_query(sh, s, s->total < 0 ? P_TOTAL : P_COUNT);
}

static void
st_act(struct shell *sh, void *priv, enum action a)
{
	struct students *s = priv;
	int nscroll;

	if (s->mode == ST_DETAIL) {
		if (a == ACT_MOVE_DOWN || a == ACT_PAGE_DOWN)
			s->detail_scroll += a == ACT_PAGE_DOWN ? 10 : 1;
		else if ((a == ACT_MOVE_UP || a == ACT_PAGE_UP) && s->detail_scroll > 0)
			s->detail_scroll -= a == ACT_PAGE_UP ? (s->detail_scroll < 10 ? s->detail_scroll : 10) : 1;
		return;
	}
	switch (a) {
	case ACT_MOVE_UP:
		if (s->sel > 0)
			s->sel--;
		break;
	case ACT_MOVE_DOWN:
		if (s->sel + 1 < s->nrows)
			s->sel++;
		break;
	case ACT_PAGE_DOWN:
		s->sel += s->visible > 1 ? s->visible - 1 : 1;
		if (s->sel >= s->nrows)
			s->sel = s->nrows ? s->nrows - 1 : 0;
		break;
	case ACT_PAGE_UP:
		s->sel -= s->visible > 1 ? s->visible - 1 : 1;
		if (s->sel < 0)
			s->sel = 0;
		break;
	case ACT_TOP:
		if (s->at_start)
			s->sel = 0;
		else
			requery(sh, s);
		break;
	case ACT_BOTTOM:
		if (s->more)
			send_query(sh, s, P_LAST);   /* the last page, not everything before it */
		else
			s->sel = s->nrows ? s->nrows - 1 : 0;
		break;
	case ACT_SCROLL_LEFT:
		if (s->hscroll > 0)
			s->hscroll--;
		break;
	case ACT_SCROLL_RIGHT:
		nscroll = scrolling_count(s);
		if (s->hscroll + 1 < nscroll)
			s->hscroll++;
		break;
	case ACT_DETAIL:
		open_detail(sh, s);
		break;
	case ACT_FILTER:
		s->mode = ST_FILTER;
		break;
	case ACT_FIELD_FILTER:
		s->mode = ST_PICK_FIELD;
		s->pick = 0;
		break;
	case ACT_SORT:
	case ACT_SORT_PREV:
		s->q.sort = (s->q.sort + (a == ACT_SORT ? 1 : SC_COUNT - 1)) % SC_COUNT;
		s->q.desc = false;
		requery(sh, s);
		break;
	case ACT_SORT_REVERSE:
		s->q.desc = !s->q.desc;
		requery(sh, s);
		break;
	case ACT_COLUMNS:
		s->mode = ST_COLUMNS;
		s->pick = 0;
		break;
	case ACT_EXPORT:
		export_dialog_open(&s->export, shell_app(sh)->me.login);
		s->mode = ST_EXPORT;
		break;
	default:
		break;
	}
	maybe_more(sh, s);
}

static bool
is_enter(int rc, wint_t ch)
{
	return (rc == OK && (ch == '\r' || ch == '\n')) || (rc == KEY_CODE_YES && ch == KEY_ENTER);
}

static bool
is_up(int rc, wint_t ch)
{
	return (rc == KEY_CODE_YES && ch == KEY_UP) || (rc == OK && ch == 'k');
}

static bool
is_down(int rc, wint_t ch)
{
	return (rc == KEY_CODE_YES && ch == KEY_DOWN) || (rc == OK && ch == 'j');
}

/* Keys of the modes that take raw input; true when used. */
static bool
st_key(struct shell *sh, void *priv, int rc, wint_t ch)
{
	struct students *s = priv;
	bool esc = rc == OK && ch == 27;
	int n, c, t;

	switch (s->mode) {
	case ST_LIST:
		if (esc && (s->filter.len || s->q.field[SC_DEPT] || s->q.field[SC_MAJOR] || s->q.field[SC_LEVEL]
		            || s->q.field[SC_TRAINING] || s->q.field[SC_ELIGIBLE] || s->q.field[SC_VERIFY])) {
			/* Esc clears the filters first; a second Esc goes back */
			ui_field_clear(&s->filter);
			for (c = 0; c < SC_COUNT; c++)
				student_query_set_field(&s->q, c, NULL, NULL);
			requery(sh, s);
			return true;
		}
		return false;
	case ST_FILTER:
		if (esc) {
			ui_field_clear(&s->filter);
			s->mode = ST_LIST;
			requery(sh, s);
		} else if (is_enter(rc, ch) || (rc == KEY_CODE_YES && (ch == KEY_DOWN || ch == KEY_UP))) {
			s->mode = ST_LIST;
		} else if (ui_field_key(&s->filter, rc == KEY_CODE_YES, (unsigned int)ch)) {
			/* every keystroke: a new query that cancels the one in flight */
			requery(sh, s);
		}
		return true;
	case ST_PICK_FIELD:
	case ST_PICK_VALUE:
	case ST_COLUMNS:
		n = s->mode == ST_PICK_FIELD ? (int)ARRAY_SIZE(filterable_cols)
		  : s->mode == ST_COLUMNS ? SC_COUNT : (s->values ? s->values->nrows : 0) + 1;
		if (n > 64)
			n = 64;
		if (esc || (s->mode == ST_COLUMNS && is_enter(rc, ch))) {
			if (s->mode == ST_COLUMNS && !columns_save(s))
				shell_say(sh, true, "列设置未能保存（无法写入状态目录）");
			s->mode = ST_LIST;
		} else if (is_up(rc, ch)) {
			if (s->pick > 0)
				s->pick--;
		} else if (is_down(rc, ch)) {
			if (s->pick + 1 < n)
				s->pick++;
		} else if (s->mode == ST_COLUMNS && rc == OK && ch == ' ') {
			c = s->order[s->pick];
			if (s->pick < FROZEN)
				shell_say(sh, true, "学号和姓名总是显示");
			else
				s->hidden[c] = !s->hidden[c];
			s->hscroll = 0;
		} else if (s->mode == ST_COLUMNS && rc == OK && (ch == 'J' || ch == 'K')) {
			int to = s->pick + (ch == 'J' ? 1 : -1);

			if (s->pick >= FROZEN && to >= FROZEN && to < SC_COUNT) {
				t = s->order[to];
				s->order[to] = s->order[s->pick];
				s->order[s->pick] = t;
				s->pick = to;
			}
		} else if (is_enter(rc, ch) && s->mode == ST_PICK_FIELD) {
			s->pick_col = filterable_cols[s->pick];
			load_values(sh, s, s->pick_col);
			s->mode = ST_PICK_VALUE;
			s->pick = 0;
		} else if (is_enter(rc, ch) && s->mode == ST_PICK_VALUE) {
			student_query_set_field(&s->q, s->pick_col,
				s->pick == 0 ? NULL : rows_get(s->values, s->pick - 1, 0),
				s->pick == 0 ? NULL : rows_get(s->values, s->pick - 1, 1));
			s->mode = ST_LIST;
			requery(sh, s);
		}
		return true;
	case ST_EXPORT:
		switch (export_dialog_key(&s->export, rc == KEY_CODE_YES, (unsigned int)ch)) {
		case EXPORT_GO:
			s->mode = ST_LIST;
			do_export(sh, s);
			break;
		case EXPORT_CANCEL:
			s->mode = ST_LIST;
			break;
		case EXPORT_OPEN:
			break;
		}
		return true;
	case ST_DETAIL:
		if (esc || (rc == OK && ch == 'q')) {
			s->mode = ST_LIST;
			return true;
		}
		return false;
	}
	return false;
}

const struct module_ops students_module = {
	.ctx = CTX_STUDENTS,
	.priv_size = sizeof(struct students),
	.open = st_open,
	.draw = st_draw,
	.key = st_key,
	.act = st_act,
	.db_ready = st_db_ready,
	.fini = st_fini,
	.hints = st_hints,
};
