/*
 * shell.h: what a module (a screen inside the main layout) sees of the shell.
 *
 * A view is a const struct module_ops with designated initializers.  Its
 * private state is allocated by the shell (priv_size): a module's on first
 * open, freed on exit; a pushed view's when pushed, freed when popped.  Keys
 * go first to the view's key() (for text entry), then through the action
 * table for the view's context, then to act().
 */
#ifndef WQ_SHELL_H
#define WQ_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "action.h"
#include "app.h"

struct shell;
struct wq_rows;
struct wq_err;

/*
 * A view: a module of the sidebar, or a page pushed over one (a detail page
 * over its list).  The open module is the bottom of a stack of views; keys,
 * the hint bar and help belong to the top one.
 */
struct module_ops {
	int ctx;                       /* CTX_* bit of this view's actions */
	size_t priv_size;              /* bytes of private state (zeroed) */
	/* (Re)loads data; called on every open from the module list and when pushed. */
	void (*open)(struct shell *sh, void *priv);
	/* 刷新 (R); NULL: open again. */
	void (*on_refresh)(struct shell *sh, void *priv);
	void (*draw)(struct shell *sh, void *priv, int y, int x, int h, int w);
	/* Raw keys while the view is on top; true when it used the key. */
	bool (*key)(struct shell *sh, void *priv, int rc, wint_t ch);
	/* An action of the table in this view's context. */
	void (*act)(struct shell *sh, void *priv, enum action a);
	/*
	 * The result of a query this view sent with shell_send (rows, or err
	 * when it failed); the shell frees the rows afterwards.  Both NULL: the
	 * query was interrupted (another query needed the connection) and may
	 * be sent again.  A view that is gone never gets its result: the shell
	 * reads and drops it.
	 */
	void (*on_result)(struct shell *sh, void *priv, int tag, const struct wq_rows *rows,
		const struct wq_err *err);
	/* A notification (LISTEN) on a channel the view listens on (shell_listen). */
	void (*on_notify)(struct shell *sh, void *priv, const char *channel, const char *payload);
	/*
	 * The province's agreement type changed (the shell read it again after
	 * its channel said so, or on R), to every view on the stack:
	 * me.agreement_type is the new one, and whatever the view draws from it
	 * follows by itself; labels the view read from the database (鉴证 or 审核
	 * in a state) carry the old verb: read them again.
	 */
	void (*on_agreement_type)(struct shell *sh, void *priv);
	/*
	 * On every turn of the event loop while the view is on top and the
	 * connection is free: a view that put off a re-read (live.h) does it
	 * when it is due.
	 */
	void (*idle)(struct shell *sh, void *priv);
	/* The view is no longer shown (another module opened, or it was popped). */
	void (*close)(struct shell *sh, void *priv);
	/* Frees what priv holds (not priv itself). */
	void (*fini)(void *priv);
	/* The context of the keys that work now (a dialog's); NULL or 0: ctx. */
	int (*context)(struct shell *sh, void *priv);
	/* The hint bar text when the view wants its own (a form), else NULL. */
	const char *(*hints)(struct shell *sh, void *priv);
	/*
	 * After each refresh while the view is on top and nothing is over it,
	 * writes what curses cannot draw straight to the terminal (an
	 * attachment's sixel image); repainted: curses has just repainted every
	 * cell.  NULL for the views curses draws alone.
	 */
	void (*overlay)(struct shell *sh, void *priv, bool repainted);
};

extern const struct module_ops home_module;
extern const struct module_ops students_module;
extern const struct module_ops settings_module;
extern const struct module_ops province_settings_module;
extern const struct module_ops accounts_module;
extern const struct module_ops signing_module;
extern const struct module_ops registration_module;
extern const struct module_ops destination_module;
extern const struct module_ops termination_module;
extern const struct module_ops warnings_module;
extern const struct module_ops stats_module;

/* The run's state: the database, who is logged in, the configuration. */
struct app *shell_app(struct shell *sh);

/* A message on the message line (errors in red). */
void shell_say(struct shell *sh, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Gives the focus back to the module list. */
void shell_leave(struct shell *sh);

/*
 * Sends an asynchronous query for the view whose private state is priv; its
 * result comes to that view's on_result with tag.  One query runs at a time:
 * a new one cancels the one in flight (whose view is told it was
 * interrupted, unless it is the same view).
 */
bool shell_send(struct shell *sh, void *priv, int tag, const char *sql, int nparams,
	const char *const *params, struct wq_err *err);

/* True while a query sent by the view priv has not come back. */
bool shell_waiting(const struct shell *sh, const void *priv);

/*
 * Pushes a view over the top one and returns its private state (zeroed), to
 * be filled by the caller; the shell then calls its open.  NULL when the
 * stack is full.
 */
void *shell_push(struct shell *sh, const struct module_ops *ops);

/*
 * Listens on a channel for the view priv (call it from open): each NOTIFY on
 * it comes to the view's on_notify while the view is on the stack, until it
 * closes.
 */
bool shell_listen(struct shell *sh, void *priv, const char *channel, struct wq_err *err);

/* Pops the top view (never the module itself). */
void shell_pop(struct shell *sh);

/* The connection was lost (an error said so): shows it at once. */
void shell_lost(struct shell *sh);

#endif
