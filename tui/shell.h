/*
 * shell.h: what a module (a screen inside the main layout) sees of the shell.
 *
 * A module is a const struct module_ops with designated initializers.  Its
 * private state is allocated by the shell (priv_size) on first open and freed
 * on exit.  Keys go first to the module's key() (for text entry and dialogs),
 * then through the action table for the module's context, then to act().
 */
#ifndef WQ_SHELL_H
#define WQ_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "action.h"
#include "app.h"

struct shell;

struct module_ops {
	int ctx;                       /* CTX_* bit of this module's actions */
	size_t priv_size;              /* bytes of private state (zeroed) */
	/* (Re)loads data; called on every open and on 刷新. */
	void (*open)(struct shell *sh, void *priv);
	void (*draw)(struct shell *sh, void *priv, int y, int x, int h, int w);
	/* Raw keys while the module has focus; true when it used the key. */
	bool (*key)(struct shell *sh, void *priv, int rc, wint_t ch);
	/* An action of the table in this module's context. */
	void (*act)(struct shell *sh, void *priv, enum action a);
	/* The database socket is readable while an asynchronous query runs. */
	void (*db_ready)(struct shell *sh, void *priv);
	/* Frees what priv holds (not priv itself). */
	void (*fini)(void *priv);
	/* The hint bar text when the module wants its own (a dialog), else NULL. */
	const char *(*hints)(struct shell *sh, void *priv);
};

extern const struct module_ops home_module;
extern const struct module_ops students_module;
extern const struct module_ops settings_module;
extern const struct module_ops accounts_module;

/* The run's state: the database, who is logged in, the configuration. */
struct app *shell_app(struct shell *sh);

/* A message on the message line (errors in red). */
void shell_say(struct shell *sh, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Gives the focus back to the module list. */
void shell_leave(struct shell *sh);

#endif
