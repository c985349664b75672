/*
 * list.h: the one list widget of the screens.
 *
 * A list shows the rows of a source: its columns (the first `frozen` ones
 * stay in place while the others scroll sideways), and either a page
 * function and a count function (keyset pages fetched asynchronously, a
 * window of at most LIST_WINDOW_ROWS rows that slides with the cursor) or a
 * load function (a short list read at once).  The widget holds the cursor,
 * sideways scroll, the sort, the / filter, the field filters (the f
 * picker), "显示 m / n 条", marks kept by row id (they survive paging and the
 * window sliding), and the column choices (the c picker), saved per login in
 * $XDG_STATE_HOME/wq/LOGIN/SOURCE.columns.
 *
 * The logic (rows, window, cursor, marks, columns) needs neither a terminal
 * nor a database: tests/unit/test_list.c drives it directly.
 */
#ifndef WQ_LIST_H
#define WQ_LIST_H

#include <stdbool.h>
#include <time.h>
#include <wchar.h>

#include "action.h"
#include "pg.h"
#include "ui.h"

#define LIST_WINDOW_ROWS 1000   /* rows kept in memory */
#define LIST_PAGE_ROWS 200

struct shell;
struct list;

struct list_col {
	const char *id;        /* saved in the column file: "STUDENT_NO" */
	const char *label;     /* 学号 */
	int width;             /* cells; -N: flexible, what the others leave, at most N */
	bool sortable;
	bool filterable;       /* offered by the f picker */
	bool hidden;           /* hidden until the user shows it */
};

/* One row: its id (marks are kept by it), its keyset sort value, its cells. */
struct list_row {
	char *id;
	char *sort;
	char **cell;           /* ncols strings, never NULL */
};

/* A built query: the source keeps the strings alive until its next call. */
struct list_sql {
	const char *sql;
	const char *const *params;
	int nparams;
};

struct list_source {
	const char *name;                  /* the column file: "students" */
	const struct list_col *cols;
	int ncols;
	int frozen;                        /* the first columns that never scroll or hide */
	bool markable;                     /* Space marks (else Space pages) */
	int page_rows;                     /* 0: LIST_PAGE_ROWS */
	/*
	 * Keyset pages: the rows after (or, backward, before) the row whose sort
	 * value and id are key_sort and key_id (NULL: from the start, or the
	 * last page).  Columns: id, sort value, then one per column.
	 */
	bool (*page)(void *ctx, const struct list *l, const char *key_sort, const char *key_id,
		bool backward, int limit, struct list_sql *out);
	/* One row, one column: the rows the filters show (total: with no filter). */
	bool (*count)(void *ctx, const struct list *l, bool total, struct list_sql *out);
	/* Or the whole list at once (a short one), in the same columns. */
	struct wq_rows *(*load)(void *ctx, struct shell *sh, struct wq_err *err);
	/* The values of a filterable column: rows of (stored value, label). */
	struct wq_rows *(*values)(void *ctx, struct shell *sh, const struct list *l, int col,
		struct wq_err *err);
	/* How a cell is drawn (NULL: normal). */
	enum ui_style (*style)(void *ctx, const struct list_row *row, int col);
	const char *title;                 /* 学生名单 */
	const char *noun;                  /* 学生: "没有符合条件的学生" */
	const char *empty;                 /* shown when the list is empty without a filter */
};

enum list_mode {
	LIST_NORMAL,
	LIST_FILTER,        /* typing in the / box */
	LIST_PICK_FIELD,    /* f: which column */
	LIST_PICK_VALUE,    /* f: which value */
	LIST_COLUMNS,       /* c */
};

/* What the query in flight is for (the tag given to shell_send). */
enum list_pending { LP_NONE, LP_FIRST, LP_MORE, LP_BEFORE, LP_LAST, LP_COUNT, LP_TOTAL };
#define LIST_TAG_BASE 100

struct list {
	const struct list_source *src;
	void *ctx;
	void *owner;                  /* the view's private state, for shell_send */
	struct list_row *rows;
	int nrows, cap;
	bool more;                    /* rows exist after the last one */
	bool at_start;                /* rows[0] is the first row of the list */
	long count, total;            /* -1: unknown */
	int sel, top, visible;        /* cursor, first row drawn, rows that fit */
	int hscroll;                  /* scrolling columns skipped */
	int flex_width;               /* the flexible column's width, as last laid out */
	int sort;                     /* column */
	bool desc;
	struct ui_field filter;
	char **field, **field_label;  /* per column: field filter (stored value, label) or NULL */
	int *order;                   /* display order of the columns */
	bool *hidden;
	char **marks;                 /* ids, sorted */
	int nmarks, mark_cap;
	enum list_mode mode;
	int pick, pick_col;
	struct wq_rows *values;
	enum list_pending pending;
	char *key_sort, *key_id;      /* the key of LP_MORE / LP_BEFORE, alive while it runs */
	struct timespec sent;
	double last_ms;
	char error[512];
	char login[128];              /* whose column choices */
};

void list_init(struct list *l, const struct list_source *src, void *ctx, void *owner);
void list_fini(struct list *l);

/* ---- logic without a database or a terminal ---- */

void list_clear_rows(struct list *l);
/*
 * Adds a result's rows (columns as the source's page) at the end or (at_front)
 * before the first row; reversed when the query walked backwards.  The window
 * then keeps at most LIST_WINDOW_ROWS rows, dropping from the far side.
 */
void list_add_rows(struct list *l, const struct wq_rows *r, bool at_front, bool reversed);
/* Moves the cursor by delta rows within the window. */
void list_move(struct list *l, int delta);
/* What to fetch for the cursor now: LP_MORE, LP_BEFORE or LP_NONE. */
enum list_pending list_wants(const struct list *l);
bool list_is_marked(const struct list *l, const char *id);
void list_mark(struct list *l, const char *id, bool on);
/* Marks every row in the window; returns how many are marked now. */
int list_mark_window(struct list *l);
void list_unmark_all(struct list *l);
/* The row under the cursor, or NULL. */
const struct list_row *list_current(const struct list *l);
/* True when a / or field filter is set. */
bool list_filtered(const struct list *l);
/* The columns shown in w cells (frozen first, from hscroll on); returns how many. */
int list_shown_columns(struct list *l, int w, int *cols);
/* Next (dir 1) or previous sortable column after the current sort. */
int list_next_sort(const struct list *l, int dir);
/* The column file of login, and reading and writing it. */
char *list_columns_path(const struct list *l);
void list_columns_load(struct list *l, const char *login);
bool list_columns_save(const struct list *l);

/* ---- with the shell ---- */

/* Starts over (the filter or sort changed): the first page, then the counts. */
void list_requery(struct shell *sh, struct list *l);
/* Opens the list (again): reads it from the start, the total too. */
void list_open(struct shell *sh, struct list *l, const char *login);
/* A result for the list (tag >= LIST_TAG_BASE); true when it was the list's. */
bool list_on_result(struct shell *sh, struct list *l, int tag, const struct wq_rows *rows,
	const struct wq_err *err);
/* The view left the screen: nothing is pending any more. */
void list_close(struct list *l);
/* Raw keys (typing in the / box); true when used. */
bool list_key(struct shell *sh, struct list *l, int rc, wint_t ch);
/* The list's actions; true when the action was one. */
bool list_act(struct shell *sh, struct list *l, enum action a);
/* The context of its keys now: a pop-up's, or 0 for the view's own. */
int list_context(const struct list *l);
/* Moves to the next or previous row for a detail page; false at an end (says why). */
bool list_step(struct shell *sh, struct list *l, int dir);
/* Draws the header, the / box, the table and a pop-up in the area. */
void list_draw(struct shell *sh, struct list *l, int y, int x, int h, int w);

#endif
