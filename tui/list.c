/*
 * list.c: the list widget (see list.h).  Nothing waits for the database:
 * every page and count is sent asynchronously through the shell, and a new
 * keystroke in the filter sends a new query that cancels the obsolete one.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "list.h"
#include "shell.h"
#include "str.h"
#include "util.h"

/* ---- rows ------------------------------------------------------------------ */

void
list_init(struct list *l, const struct list_source *src, void *ctx, void *owner)
{
	int i;

	memset(l, 0, sizeof(*l));
	l->src = src;
	l->ctx = ctx;
	l->owner = owner;
	l->count = l->total = -1;
	l->at_start = true;
	l->field = xcalloc((size_t)src->ncols, sizeof(*l->field));
	l->field_label = xcalloc((size_t)src->ncols, sizeof(*l->field_label));
	l->order = xcalloc((size_t)src->ncols, sizeof(*l->order));
	l->hidden = xcalloc((size_t)src->ncols, sizeof(*l->hidden));
	for (i = 0; i < src->ncols; i++) {
		l->order[i] = i;
		l->hidden[i] = src->cols[i].hidden;
	}
	while (l->sort < src->ncols && !src->cols[l->sort].sortable)
		l->sort++;
	if (l->sort == src->ncols)
		l->sort = 0;
}

static void
row_fini(const struct list *l, struct list_row *row)
{
	int c;

	free(row->id);
	free(row->sort);
	for (c = 0; row->cell && c < l->src->ncols; c++)
		free(row->cell[c]);
	free(row->cell);
}

void
list_clear_rows(struct list *l)
{
	int i;

	for (i = 0; i < l->nrows; i++)
		row_fini(l, &l->rows[i]);
	l->nrows = 0;
}

void
list_unmark_all(struct list *l)
{
	int i;

	for (i = 0; i < l->nmarks; i++)
		free(l->marks[i]);
	l->nmarks = 0;
}

void
list_fini(struct list *l)
{
	int i;

	if (!l->src)
		return;
	list_clear_rows(l);
	free(l->rows);
	list_unmark_all(l);
	free(l->marks);
	for (i = 0; i < l->src->ncols; i++) {
		free(l->field[i]);
		free(l->field_label[i]);
	}
	free(l->field);
	free(l->field_label);
	free(l->order);
	free(l->hidden);
	free(l->key_sort);
	free(l->key_id);
	rows_free(l->values);
	memset(l, 0, sizeof(*l));
}

void
list_add_rows(struct list *l, const struct wq_rows *r, bool at_front, bool reversed)
{
	int i, c, n = r->nrows, drop;
	const char *v;

	if (l->nrows + n > l->cap) {
		l->cap = (l->nrows + n) * 2;
		l->rows = xrealloc(l->rows, sizeof(*l->rows) * (size_t)l->cap);
	}
	if (at_front) {
		memmove(l->rows + n, l->rows, sizeof(*l->rows) * (size_t)l->nrows);
		if (l->nrows) {
			l->sel += n;
			l->top += n;
		}
	}
	for (i = 0; i < n; i++) {
		int src = reversed ? n - 1 - i : i;
		struct list_row *row = &l->rows[at_front ? i : l->nrows + i];

		row->id = xstrdup((v = rows_get(r, src, 0)) ? v : "");
		row->sort = xstrdup((v = rows_get(r, src, 1)) ? v : "");
		row->cell = xcalloc((size_t)l->src->ncols, sizeof(*row->cell));
		for (c = 0; c < l->src->ncols; c++)
			row->cell[c] = xstrdup(c + 2 < r->ncols && (v = rows_get(r, src, c + 2)) ? v : "");
	}
	l->nrows += n;
	drop = l->nrows - LIST_WINDOW_ROWS;
	if (drop <= 0)
		return;
	if (at_front) {
		/* drop from the end: rows after them exist again */
		for (i = l->nrows - drop; i < l->nrows; i++)
			row_fini(l, &l->rows[i]);
		l->nrows -= drop;
		l->more = true;
		if (l->sel >= l->nrows)
			l->sel = l->nrows - 1;
	} else {
		for (i = 0; i < drop; i++)
			row_fini(l, &l->rows[i]);
		memmove(l->rows, l->rows + drop, sizeof(*l->rows) * (size_t)(l->nrows - drop));
		l->nrows -= drop;
		l->sel -= drop;
		l->top -= drop;
		if (l->sel < 0)
			l->sel = 0;
		if (l->top < 0)
			l->top = 0;
		l->at_start = false;
	}
}

void
list_move(struct list *l, int delta)
{
	l->sel += delta;
	if (l->sel >= l->nrows)
		l->sel = l->nrows - 1;
	if (l->sel < 0)
		l->sel = 0;
}

enum list_pending
list_wants(const struct list *l)
{
	int margin = l->visible > 0 ? l->visible : 1;

	if (l->nrows == 0)
		return LP_NONE;
	if (l->more && l->sel + margin >= l->nrows - 1)
		return LP_MORE;
	if (!l->at_start && l->sel < margin)
		return LP_BEFORE;
	return LP_NONE;
}

const struct list_row *
list_current(const struct list *l)
{
	return l->sel >= 0 && l->sel < l->nrows ? &l->rows[l->sel] : NULL;
}

bool
list_filtered(const struct list *l)
{
	int i;

	if (l->filter.len)
		return true;
	for (i = 0; i < l->src->ncols; i++)
		if (l->field[i])
			return true;
	return false;
}

/* ---- marks (a sorted array of ids) ------------------------------------------ */

static int
mark_find(const struct list *l, const char *id, bool *found)
{
	int lo = 0, hi = l->nmarks, mid, c;

	*found = false;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(l->marks[mid], id);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool
list_is_marked(const struct list *l, const char *id)
{
	bool found;

	mark_find(l, id, &found);
	return found;
}

void
list_mark(struct list *l, const char *id, bool on)
{
	bool found;
	int at = mark_find(l, id, &found);

	if (on && !found) {
		if (l->nmarks == l->mark_cap) {
			l->mark_cap = l->mark_cap ? l->mark_cap * 2 : 16;
			l->marks = xrealloc(l->marks, sizeof(*l->marks) * (size_t)l->mark_cap);
		}
		memmove(l->marks + at + 1, l->marks + at, sizeof(*l->marks) * (size_t)(l->nmarks - at));
		l->marks[at] = xstrdup(id);
		l->nmarks++;
	} else if (!on && found) {
		free(l->marks[at]);
		memmove(l->marks + at, l->marks + at + 1, sizeof(*l->marks) * (size_t)(l->nmarks - at - 1));
		l->nmarks--;
	}
}

int
list_mark_window(struct list *l)
{
	int i;

	for (i = 0; i < l->nrows; i++)
		list_mark(l, l->rows[i].id, true);
	return l->nmarks;
}

/* ---- columns ---------------------------------------------------------------- */

/* A column's width now: a flexible one (width < 0) takes what the others leave. */
static int
col_width(const struct list *l, int c)
{
	return l->src->cols[c].width < 0 ? l->flex_width : l->src->cols[c].width;
}

int
list_shown_columns(struct list *l, int w, int *cols)
{
	int n = 0, used = 0, i, skip = l->hscroll, others = 0, flex = -1;

	for (i = 0; i < l->src->ncols; i++) {
		if (l->src->cols[i].width < 0)
			flex = i;
		else if (!l->hidden[i] || i < l->src->frozen)
			others += l->src->cols[i].width + 1;
	}
	if (flex >= 0) {
		l->flex_width = w - others - 1;
		if (l->flex_width > -l->src->cols[flex].width)
			l->flex_width = -l->src->cols[flex].width;
		if (l->flex_width < 6)
			l->flex_width = 6;
	}

	for (i = 0; i < l->src->ncols; i++) {
		int c = l->order[i];

		if (i >= l->src->frozen) {
			if (l->hidden[c])
				continue;
			if (skip > 0) {
				skip--;
				continue;
			}
		}
		if (used + col_width(l, c) > w && n >= l->src->frozen)
			break;
		cols[n++] = c;
		used += col_width(l, c) + 1;
	}
	return n;
}

static int
scrolling_count(const struct list *l)
{
	int i, n = 0;

	for (i = l->src->frozen; i < l->src->ncols; i++)
		if (!l->hidden[l->order[i]])
			n++;
	return n;
}

int
list_next_sort(const struct list *l, int dir)
{
	int n = l->src->ncols, c = l->sort, i;

	for (i = 0; i < n; i++) {
		c = (c + (dir > 0 ? 1 : n - 1)) % n;
		if (l->src->cols[c].sortable)
			return c;
	}
	return l->sort;
}

/* A login as a file name: anything but letters, digits, '.', '-' and '_' as %XX. */
static void
safe_name(const char *in, char *out, size_t size)
{
	size_t n = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)in; *p && n + 4 < size; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
		    || ((*p == '.' || *p == '-' || *p == '_') && p != (const unsigned char *)in))
			out[n++] = (char)*p;
		else
			n += (size_t)snprintf(out + n, size - n, "%%%02X", *p);
	}
	out[n] = '\0';
}

char *
list_columns_path(const struct list *l)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char login[400];

	safe_name(l->login[0] ? l->login : "_", login, sizeof(login));
	if (state && state[0] == '/')
		return xasprintf("%s/wq/%s/%s.columns", state, login, l->src->name);
	if (home && home[0] == '/')
		return xasprintf("%s/.local/state/wq/%s/%s.columns", home, login, l->src->name);
	return NULL;
}

static int
col_by_id(const struct list *l, const char *id)
{
	int i;

	for (i = 0; i < l->src->ncols; i++)
		if (strcmp(l->src->cols[i].id, id) == 0)
			return i;
	return -1;
}

/*
 * Reads "order: ID ID ..." and "hidden: ID ...".  Columns the file does not
 * name (new ones) keep their place after the named ones; the frozen columns
 * stay first; anything odd leaves the defaults.
 */
void
list_columns_load(struct list *l, const char *login)
{
	char *path, line[2048], *tok, *save;
	FILE *f;
	int n = l->src->ncols, i, c, k;
	int *order = xcalloc((size_t)n, sizeof(*order));
	bool *seen = xcalloc((size_t)n, sizeof(*seen)), ok = true, have_order = false;

	snprintf(l->login, sizeof(l->login), "%s", login ? login : "");
	for (i = 0; i < n; i++) {
		l->order[i] = i;
		l->hidden[i] = l->src->cols[i].hidden;
	}
	path = list_columns_path(l);
	f = path ? fopen(path, "r") : NULL;
	free(path);
	if (!f)
		goto out;
	k = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "order:", 6) == 0) {
			have_order = true;
			for (tok = strtok_r(line + 6, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
				c = col_by_id(l, tok);
				if (c < 0)
					continue;   /* a column that is gone */
				if (seen[c]) {
					ok = false;
					break;
				}
				seen[c] = true;
				order[k++] = c;
			}
		} else if (strncmp(line, "hidden:", 7) == 0) {
			for (i = 0; i < n; i++)
				l->hidden[i] = false;
			for (tok = strtok_r(line + 7, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
				c = col_by_id(l, tok);
				if (c >= l->src->frozen)
					l->hidden[c] = true;
			}
			/* columns the file does not know yet keep their default */
			for (i = 0; have_order && i < n; i++)
				if (!seen[i])
					l->hidden[i] = l->src->cols[i].hidden;
		}
	}
	fclose(f);
	for (i = 0; i < l->src->frozen && ok; i++)
		if (k <= i || order[i] != i)
			ok = false;
	if (ok && have_order) {
		for (i = 0; i < n; i++)
			if (!seen[i])
				order[k++] = i;
		memcpy(l->order, order, sizeof(*order) * (size_t)n);
	} else if (!ok) {
		for (i = 0; i < n; i++) {
			l->order[i] = i;
			l->hidden[i] = l->src->cols[i].hidden;
		}
	}
out:
	free(order);
	free(seen);
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

bool
list_columns_save(const struct list *l)
{
	char *path = list_columns_path(l);
	FILE *f;
	int i;

	if (!path)
		return false;
	mkdirs(path);
	f = fopen(path, "w");
	free(path);
	if (!f)
		return false;
	fputs("order:", f);
	for (i = 0; i < l->src->ncols; i++)
		fprintf(f, " %s", l->src->cols[l->order[i]].id);
	fputs("\nhidden:", f);
	for (i = 0; i < l->src->ncols; i++)
		if (l->hidden[i])
			fprintf(f, " %s", l->src->cols[i].id);
	fputs("\n", f);
	return fclose(f) == 0;
}

/* ---- queries -------------------------------------------------------------------- */

static double
ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) * 1e3 + (double)(now.tv_nsec - t->tv_nsec) / 1e6;
}

static int
page_rows(const struct list *l)
{
	return l->src->page_rows ? l->src->page_rows : LIST_PAGE_ROWS;
}

/* Sends a query (cancelling the one in flight); its result comes to list_on_result. */
static void
send_query(struct shell *sh, struct list *l, enum list_pending what)
{
	struct list_sql q = { 0 };
	struct wq_err err;
	bool built = false;

	free(l->key_sort);
	free(l->key_id);
	l->key_sort = l->key_id = NULL;
	switch (what) {
	case LP_FIRST:
	case LP_LAST:
		built = l->src->page(l->ctx, l, NULL, NULL, what == LP_LAST, page_rows(l), &q);
		clock_gettime(CLOCK_MONOTONIC, &l->sent);
		break;
	case LP_MORE:
	case LP_BEFORE: {
		const struct list_row *key = &l->rows[what == LP_MORE ? l->nrows - 1 : 0];

		l->key_sort = xstrdup(key->sort);
		l->key_id = xstrdup(key->id);
		built = l->src->page(l->ctx, l, l->key_sort, l->key_id, what == LP_BEFORE, page_rows(l), &q);
		break;
	}
	case LP_COUNT:
	case LP_TOTAL:
		built = l->src->count && l->src->count(l->ctx, l, what == LP_TOTAL, &q);
		break;
	case LP_NONE:
		return;
	}
	l->pending = LP_NONE;
	if (!built)
		return;
	wq_err_clear(&err);
	if (!shell_send(sh, l->owner, LIST_TAG_BASE + (int)what, q.sql, q.nparams, q.params, &err)) {
		snprintf(l->error, sizeof(l->error), "查询失败：%s", err.msg);
		return;
	}
	l->pending = what;
}

/* A short list: read at once. */
static void
load_all(struct shell *sh, struct list *l)
{
	struct wq_err err;
	struct wq_rows *r;

	wq_err_clear(&err);
	r = l->src->load(l->ctx, sh, &err);
	if (!r) {
		snprintf(l->error, sizeof(l->error), "无法读取%s：%s", l->src->title, err.msg);
		return;
	}
	list_clear_rows(l);
	list_add_rows(l, r, false, false);
	l->more = false;
	l->at_start = true;
	l->count = l->total = r->nrows;
	rows_free(r);
	list_move(l, 0);
}

void
list_requery(struct shell *sh, struct list *l)
{
	l->error[0] = '\0';
	if (l->src->load) {
		load_all(sh, l);
		return;
	}
	list_clear_rows(l);
	l->more = false;
	l->at_start = true;
	l->count = -1;
	l->sel = l->top = 0;
	send_query(sh, l, LP_FIRST);
}

void
list_open(struct shell *sh, struct list *l, const char *login)
{
	if (!l->login[0] || strcmp(l->login, login ? login : "") != 0)
		list_columns_load(l, login);
	l->mode = LIST_NORMAL;
	l->total = -1;
	list_requery(sh, l);
}

void
list_close(struct list *l)
{
	l->pending = LP_NONE;
	if (l->mode != LIST_FILTER)
		l->mode = LIST_NORMAL;
}

/* Loads the page after (or before) the window when the cursor nears its edge. */
static void
maybe_more(struct shell *sh, struct list *l)
{
	enum list_pending w;

	if (l->pending != LP_NONE || l->src->load)
		return;
	w = list_wants(l);
	if (w != LP_NONE)
		send_query(sh, l, w);
}

bool
list_on_result(struct shell *sh, struct list *l, int tag, const struct wq_rows *r,
	const struct wq_err *err)
{
	enum list_pending was = (enum list_pending)(tag - LIST_TAG_BASE);

	if (tag < LIST_TAG_BASE + LP_FIRST || tag > LIST_TAG_BASE + LP_TOTAL)
		return false;
	if (was != l->pending)
		return true;   /* an answer the list no longer waits for */
	l->pending = LP_NONE;
	if (!r && !err) {
		/* interrupted by another query: ask again */
		if (was == LP_MORE || was == LP_BEFORE)
			maybe_more(sh, l);
		else
			send_query(sh, l, was);
		return true;
	}
	if (!r) {
		snprintf(l->error, sizeof(l->error), "查询失败：%s", err->msg);
		return true;
	}
	switch (was) {
	case LP_FIRST:
		l->last_ms = ms_since(&l->sent);
		list_add_rows(l, r, false, false);
		l->more = r->nrows == page_rows(l);
		send_query(sh, l, l->total < 0 ? LP_TOTAL : LP_COUNT);
		break;
	case LP_MORE:
		list_add_rows(l, r, false, false);
		l->more = r->nrows == page_rows(l);
		break;
	case LP_BEFORE:
		list_add_rows(l, r, true, true);
		l->at_start = r->nrows < page_rows(l);
		break;
	case LP_LAST:
		list_clear_rows(l);
		l->sel = l->top = 0;
		list_add_rows(l, r, false, true);
		l->more = false;
		l->at_start = r->nrows < page_rows(l);
		l->sel = l->nrows ? l->nrows - 1 : 0;
		if (l->count < 0)
			send_query(sh, l, LP_COUNT);
		break;
	case LP_TOTAL:
		l->total = atol(rows_get(r, 0, 0) ? rows_get(r, 0, 0) : "0");
		send_query(sh, l, LP_COUNT);
		break;
	case LP_COUNT:
		l->count = atol(rows_get(r, 0, 0) ? rows_get(r, 0, 0) : "0");
		break;
	case LP_NONE:
		break;
	}
	maybe_more(sh, l);
	return true;
}

/* ---- keys --------------------------------------------------------------------------- */

int
list_context(const struct list *l)
{
	switch (l->mode) {
	case LIST_FILTER:
		return CTX_FILTER_EDIT;
	case LIST_PICK_FIELD:
	case LIST_PICK_VALUE:
		return CTX_PICKER;
	case LIST_COLUMNS:
		return CTX_COLUMNS;
	case LIST_NORMAL:
		break;
	}
	return 0;
}

/* Clears the / box and every field filter. */
static void
clear_filters(struct shell *sh, struct list *l)
{
	int c;

	ui_field_clear(&l->filter);
	for (c = 0; c < l->src->ncols; c++) {
		free(l->field[c]);
		free(l->field_label[c]);
		l->field[c] = l->field_label[c] = NULL;
	}
	list_requery(sh, l);
}

bool
list_key(struct shell *sh, struct list *l, int rc, wint_t ch)
{
	/* Esc clears the filters first; a second one goes back */
	if (l->mode == LIST_NORMAL && list_filtered(l) && rc == OK && ch == 27) {
		clear_filters(sh, l);
		return true;
	}
	if (l->mode != LIST_FILTER)
		return false;
	if (action_for_key(rc == KEY_CODE_YES, (int)ch, CTX_FILTER_EDIT) != ACT_NONE)
		return false;   /* Enter, Esc: actions */
	/* every keystroke that edits: a new query that cancels the one in flight */
	if (ui_field_key(&l->filter, rc == KEY_CODE_YES, (unsigned int)ch))
		list_requery(sh, l);
	return true;
}

/* The f picker's columns: the source's filterable ones. */
static int
filterable(const struct list *l, int *cols)
{
	int i, n = 0;

	for (i = 0; i < l->src->ncols; i++)
		if (l->src->cols[i].filterable)
			cols[n++] = i;
	return n;
}

static int
picker_count(const struct list *l)
{
	int cols[64];

	switch (l->mode) {
	case LIST_PICK_FIELD:
		return filterable(l, cols);
	case LIST_PICK_VALUE:
		return (l->values ? l->values->nrows : 0) + 1;
	case LIST_COLUMNS:
		return l->src->ncols;
	default:
		return 0;
	}
}

static void
load_values(struct shell *sh, struct list *l, int col)
{
	struct wq_err err;

	rows_free(l->values);
	wq_err_clear(&err);
	l->values = l->src->values ? l->src->values(l->ctx, sh, l, col, &err) : NULL;
	if (!l->values)
		shell_say(sh, true, "无法读取可选值：%s", err.msg);
}

static void
set_field(struct list *l, int col, const char *value, const char *label)
{
	free(l->field[col]);
	free(l->field_label[col]);
	l->field[col] = value ? xstrdup(value) : NULL;
	l->field_label[col] = value ? xstrdup(label ? label : value) : NULL;
}

/* The actions of an open pop-up. */
static bool
picker_act(struct shell *sh, struct list *l, enum action a)
{
	int n = picker_count(l), cols[64], t, c, to;

	switch (a) {
	case ACT_MOVE_UP:
		if (l->pick > 0)
			l->pick--;
		return true;
	case ACT_MOVE_DOWN:
		if (l->pick + 1 < n)
			l->pick++;
		return true;
	case ACT_TOP:
		l->pick = 0;
		return true;
	case ACT_BOTTOM:
		l->pick = n ? n - 1 : 0;
		return true;
	case ACT_DIALOG_CANCEL:
		l->mode = LIST_NORMAL;
		return true;
	case ACT_DIALOG_DONE:
		if (!list_columns_save(l))
			shell_say(sh, true, "列设置未能保存（无法写入状态目录）");
		l->mode = LIST_NORMAL;
		return true;
	case ACT_TOGGLE_COLUMN:
		c = l->order[l->pick];
		if (l->pick < l->src->frozen)
			shell_say(sh, true, "前 %d 列总是显示", l->src->frozen);
		else
			l->hidden[c] = !l->hidden[c];
		l->hscroll = 0;
		return true;
	case ACT_COLUMN_DOWN:
	case ACT_COLUMN_UP:
		to = l->pick + (a == ACT_COLUMN_DOWN ? 1 : -1);
		if (l->pick >= l->src->frozen && to >= l->src->frozen && to < l->src->ncols) {
			t = l->order[to];
			l->order[to] = l->order[l->pick];
			l->order[l->pick] = t;
			l->pick = to;
		}
		return true;
	case ACT_PICK:
		if (l->mode == LIST_PICK_FIELD) {
			filterable(l, cols);
			l->pick_col = cols[l->pick];
			load_values(sh, l, l->pick_col);
			l->mode = LIST_PICK_VALUE;
			l->pick = 0;
		} else {
			set_field(l, l->pick_col,
				l->pick == 0 ? NULL : rows_get(l->values, l->pick - 1, 0),
				l->pick == 0 ? NULL : rows_get(l->values, l->pick - 1, 1));
			l->mode = LIST_NORMAL;
			list_requery(sh, l);
		}
		return true;
	default:
		return true;   /* nothing else works under a pop-up */
	}
}

bool
list_act(struct shell *sh, struct list *l, enum action a)
{
	int half = l->visible > 2 ? l->visible / 2 : 1, page = l->visible > 1 ? l->visible - 1 : 1;
	const struct list_row *row;
	int i;

	if (l->mode == LIST_FILTER) {
		if (a == ACT_FILTER_CLEAR) {
			ui_field_clear(&l->filter);
			l->mode = LIST_NORMAL;
			list_requery(sh, l);
		} else if (a == ACT_FILTER_DONE) {
			l->mode = LIST_NORMAL;
		}
		return true;
	}
	if (l->mode != LIST_NORMAL)
		return picker_act(sh, l, a);
	switch (a) {
	case ACT_MOVE_UP:
		list_move(l, -1);
		break;
	case ACT_MOVE_DOWN:
		list_move(l, 1);
		break;
	case ACT_PAGE_DOWN:
	case ACT_SPACE_PAGE:
		list_move(l, page);
		break;
	case ACT_PAGE_UP:
		list_move(l, -page);
		break;
	case ACT_HALF_DOWN:
		list_move(l, half);
		break;
	case ACT_HALF_UP:
		list_move(l, -half);
		break;
	case ACT_TOP:
		if (l->at_start)
			l->sel = 0;
		else
			list_requery(sh, l);
		break;
	case ACT_BOTTOM:
		if (l->more)
			send_query(sh, l, LP_LAST);   /* the last page, not everything before it */
		else
			list_move(l, l->nrows);
		break;
	case ACT_SCROLL_LEFT:
		if (l->hscroll > 0)
			l->hscroll--;
		break;
	case ACT_SCROLL_RIGHT:
		if (l->hscroll + 1 < scrolling_count(l))
			l->hscroll++;
		break;
	case ACT_FILTER:
		l->mode = LIST_FILTER;
		break;
	case ACT_FIELD_FILTER:
		l->mode = LIST_PICK_FIELD;
		l->pick = 0;
		break;
	case ACT_COLUMNS:
		l->mode = LIST_COLUMNS;
		l->pick = 0;
		break;
	case ACT_SORT:
	case ACT_SORT_PREV:
		l->sort = list_next_sort(l, a == ACT_SORT ? 1 : -1);
		l->desc = false;
		list_requery(sh, l);
		break;
	case ACT_SORT_REVERSE:
		l->desc = !l->desc;
		list_requery(sh, l);
		break;
	case ACT_MARK:
		if (!l->src->markable || !(row = list_current(l)))
			break;
		list_mark(l, row->id, !list_is_marked(l, row->id));
		list_move(l, 1);
		break;
	case ACT_MARK_ALL:
		if (!l->src->markable)
			break;
		i = list_mark_window(l);
		if (l->more || !l->at_start)
			shell_say(sh, false, "已标记已载入的 %d 行（共 %ld 行符合条件，其余请翻页后再按 A）", l->nrows,
				l->count);
		else
			shell_say(sh, false, "已标记 %d 行", i);
		break;
	case ACT_UNMARK_ALL:
		list_unmark_all(l);
		shell_say(sh, false, "已取消全部标记");
		break;
	default:
		return false;
	}
	maybe_more(sh, l);
	return true;
}

bool
list_step(struct shell *sh, struct list *l, int dir)
{
	int before = l->sel;

	list_move(l, dir);
	maybe_more(sh, l);
	if (l->sel != before)
		return true;
	if (l->pending != LP_NONE)
		shell_say(sh, false, "正在载入更多…");
	else
		shell_say(sh, false, "%s", dir > 0 ? "已是最后一条" : "已是第一条");
	return false;
}

/* ---- drawing ------------------------------------------------------------------------ */

static void
draw_header(struct list *l, int y, int x, int w)
{
	char buf[1024], count[64], fields[512] = "", marks[64] = "";
	size_t n = 0;
	int i;

	for (i = 0; i < l->src->ncols; i++)
		if (l->field[i])
			n += (size_t)snprintf(fields + n, n < sizeof(fields) ? sizeof(fields) - n : 0, "  %s=%s",
				l->src->cols[i].label, l->field_label[i]);
	if (l->nmarks)
		snprintf(marks, sizeof(marks), "已标记 %d  ", l->nmarks);
	if (l->count >= 0 && l->total >= 0)
		snprintf(count, sizeof(count), "%s显示 %ld / %ld 条", marks, l->count, l->total);
	else if (l->total >= 0)
		snprintf(count, sizeof(count), "%s显示 … / %ld 条", marks, l->total);
	else
		snprintf(count, sizeof(count), "%s显示 … 条", marks);
	if (l->src->cols[l->sort].sortable && !l->src->load)
		snprintf(buf, sizeof(buf), "%s  排序:%s%s%s%s%s", l->src->title, l->src->cols[l->sort].label,
			l->desc ? "↓" : "↑", l->filter.len ? "  筛选:" : "", l->filter.buf, fields);
	else
		snprintf(buf, sizeof(buf), "%s%s%s%s", l->src->title, l->filter.len ? "  筛选:" : "",
			l->filter.buf, fields);
	ui_put(y, x, w - (int)str_width(count) - 1, buf, UI_NORMAL, true);
	ui_put(y, x + w - (int)str_width(count), (int)str_width(count), count, UI_NORMAL, false);
}

static void
draw_table(struct list *l, int y, int x, int h, int w)
{
	int cols[256], ncols, r, c, cx, i, gutter = 2;
	const struct list_row *row;
	enum ui_style st;

	ncols = list_shown_columns(l, w - gutter, cols);
	ui_put(y, x, gutter, "", UI_TITLE, true);
	for (c = 0, cx = x + gutter; c < ncols; c++) {
		char label[64];

		snprintf(label, sizeof(label), "%s%s", l->src->cols[cols[c]].label,
			cols[c] == l->sort && !l->src->load ? (l->desc ? "↓" : "↑") : "");
		ui_put(y, cx, col_width(l, cols[c]), label, UI_TITLE, true);
		cx += col_width(l, cols[c]) + 1;
	}
	if (cx < x + w)
		ui_put(y, cx - 1, x + w - cx + 1, "", UI_TITLE, true);
	l->visible = h - 1 > 1 ? h - 1 : 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + l->visible)
		l->top = l->sel - l->visible + 1;
	if (l->top < 0)
		l->top = 0;
	for (r = 0; r < l->visible; r++) {
		i = l->top + r;
		if (i >= l->nrows)
			break;
		row = &l->rows[i];
		st = i == l->sel ? UI_SELECTED : UI_NORMAL;
		ui_put(y + 1 + r, x, 1, i == l->sel ? ui_glyph_marker() : " ", UI_NORMAL, true);
		ui_put(y + 1 + r, x + 1, 1, list_is_marked(l, row->id) ? "*" : " ", UI_OK, true);
		for (c = 0, cx = x + gutter; c < ncols; c++) {
			enum ui_style cs = st;

			if (i != l->sel && l->src->style)
				cs = l->src->style(l->ctx, row, cols[c]);
			ui_put(y + 1 + r, cx, col_width(l, cols[c]), row->cell[cols[c]], cs, true);
			if (c + 1 < ncols)
				ui_put(y + 1 + r, cx + col_width(l, cols[c]), 1, " ", st, true);
			cx += col_width(l, cols[c]) + 1;
		}
	}
	if (l->nrows == 0 && l->pending == LP_NONE && !l->error[0]) {
		char buf[256];

		snprintf(buf, sizeof(buf), "没有符合条件的%s", l->src->noun);
		ui_put(y + 2, x + 2, w - 2, list_filtered(l) ? buf : l->src->empty, UI_DIM, false);
	}
	if (l->error[0])
		ui_put(y + 2, x + 2, w - 2, l->error, UI_ERROR, false);
}

/* A framed pop-up over the table: the title on its frame, items inside. */
static void
draw_popup(int y, int x, int h, int w, const char *title, const char *const *items, int n, int sel,
	const bool *checked)
{
	int bw = 44, bh, i, top = 0, by, bx, inner;
	char buf[256];

	if (bw > w)
		bw = w;
	bh = n + 2 < h ? n + 2 : h;
	if (bh < 3)
		bh = 3;
	inner = bh - 2;
	by = y;
	bx = x + (w - bw) / 2;
	if (sel >= top + inner)
		top = sel - inner + 1;
	ui_box(by, bx, bh, bw, title);
	for (i = 0; i < inner && top + i < n; i++) {
		if (checked)
			snprintf(buf, sizeof(buf), " [%s] %s", checked[top + i] ? "x" : " ", items[top + i]);
		else
			snprintf(buf, sizeof(buf), " %s", items[top + i]);
		ui_put(by + 1 + i, bx + 1, bw - 2, buf, top + i == sel ? UI_SELECTED : UI_NORMAL, true);
	}
}

void
list_draw(struct shell *sh, struct list *l, int y, int x, int h, int w)
{
	const char *items[256];
	bool checked[256];
	int i, n, cols[64];

	(void)sh;
	draw_header(l, y, x, w);
	if (l->mode == LIST_FILTER || l->filter.len) {
		ui_put(y + 1, x, 7, "筛选 /", UI_DIM, false);
		ui_field_draw(&l->filter, y + 1, x + 7, w - 7, false);
	}
	draw_table(l, y + 2, x, h - 2, w);
	switch (l->mode) {
	case LIST_PICK_FIELD:
		n = filterable(l, cols);
		for (i = 0; i < n; i++)
			items[i] = l->src->cols[cols[i]].label;
		draw_popup(y + 2, x, h - 2, w, " 条件筛选：选择列 ", items, n, l->pick, NULL);
		break;
	case LIST_PICK_VALUE: {
		char title[128];

		n = 0;
		items[n++] = "（全部）";
		for (i = 0; l->values && i < l->values->nrows && n < (int)ARRAY_SIZE(items); i++)
			items[n++] = rows_get(l->values, i, 1) ? rows_get(l->values, i, 1) : "";
		snprintf(title, sizeof(title), " 条件筛选：%s ", l->src->cols[l->pick_col].label);
		draw_popup(y + 2, x, h - 2, w, title, items, n, l->pick, NULL);
		break;
	}
	case LIST_COLUMNS:
		for (i = 0; i < l->src->ncols && i < (int)ARRAY_SIZE(items); i++) {
			items[i] = l->src->cols[l->order[i]].label;
			checked[i] = !l->hidden[l->order[i]];
		}
		draw_popup(y + 2, x, h - 2, w, " 列设置 ", items, i, l->pick, checked);
		break;
	case LIST_FILTER:
		/* the cursor belongs in the filter box */
		ui_field_draw(&l->filter, y + 1, x + 7, w - 7, true);
		break;
	case LIST_NORMAL:
		break;
	}
}
