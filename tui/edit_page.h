/*
 * edit_page.h: a form over values read from the database and saved back
 * with the version read (签约设置, a school's and a province's).
 *
 * The owner says how to read and how to save (edit_page_ops); the page
 * does the rest alike for every such screen: each changed field notes its
 * old value, a line under the fields counts the unsaved changes, Ctrl-S
 * asks first in the confirm dialog listing every change as 旧值 → 新值, and
 * a confirmed save is read back.  When someone else saved first the values
 * are read again, the user's changes are laid on top (so they can save
 * again) and the message names who saved.  Esc (or q) with unsaved changes
 * asks before they are dropped.
 *
 * The owner's state begins with its struct edit_page, so the callbacks get
 * the owner by a cast.
 */
#ifndef WQ_EDIT_PAGE_H
#define WQ_EDIT_PAGE_H

#include <stdbool.h>
#include <wchar.h>

#include "action.h"
#include "dialog.h"
#include "form.h"

struct shell;
struct wq_err;
struct edit_page;

struct edit_page_ops {
	/*
	 * Reads the values again and hands them over with edit_page_take (the
	 * strings stay the owner's, valid until its next load).  False with
	 * err when they cannot be read; the page then keeps what it had.
	 */
	bool (*load)(struct shell *sh, struct edit_page *p, struct wq_err *err);
	/*
	 * Saves the changed fields (form_field_changed) with p->version.  False
	 * with err when refused; WQ_ERR_STALE: someone saved first, and err
	 * says who.
	 */
	bool (*save)(struct shell *sh, struct edit_page *p, struct wq_err *err);
};

struct edit_page {
	const struct edit_page_ops *ops;
	const char *what;                      /* 签约设置: the dialog's title and the messages */
	const char *idle;                      /* the line under the fields while nothing is changed */
	struct form form;                      /* built by the owner, one field per value */
	struct dialog confirm;                 /* the save confirmation */
	const char *loaded[FORM_FIELDS_MAX];   /* each field's value as last read (the owner's) */
	bool has_loaded;
	int version;                           /* as last read */
	char updated[256];                     /* "版本 3 · 张老师 修改于 2026-06-01 09:20" */
	char error[512];                       /* the last load failure, or "" */
	bool keep;                             /* while loading: lay the user's changes on top */
};

/* Called from ops->load with the values read (one per field), their version and who saved last, when. */
void edit_page_take(struct edit_page *p, const char *const *values, int version, const char *by,
	const char *at);

/* Opening (and 刷新): closes any question and reads the values again, keeping the user's changes. */
void edit_page_open(struct shell *sh, struct edit_page *p);

/*
 * Someone else may have saved (a notification said so): reads the values
 * again when the page has nothing changed and asks nothing, and returns
 * true; otherwise leaves the page as it is (its save names who saved
 * first, as ever) and returns false.
 */
bool edit_page_follow(struct shell *sh, struct edit_page *p);

/*
 * Draws a head line (the owner's words on the left, the version and who
 * saved last on the right), then the form with its notes and status line,
 * and the dialog over it.
 */
void edit_page_draw(struct edit_page *p, const char *head, int y, int x, int h, int w);

/* What a key did on the page. */
enum edit_page_key {
	EDIT_PAGE_USED,      /* the page used it */
	EDIT_PAGE_EDITED,    /* the form used it (a field may have changed): the owner may follow up */
	EDIT_PAGE_UNUSED,    /* not the page's: on to the shell */
};

/* A raw key: the confirmation, then the form; see the banner. */
enum edit_page_key edit_page_key(struct shell *sh, struct edit_page *p, int rc, wint_t ch);

/*
 * A view's callbacks (module_ops) for an owner whose state begins with its
 * page: raw keys (edit_page_key, for an owner with nothing to follow up),
 * the table's actions that reach the form (j/k move), and the hint bar (the
 * dialog's, the focused field's, or a read-only page's).
 */
bool edit_page_view_key(struct shell *sh, void *priv, int rc, wint_t ch);
void edit_page_view_act(struct shell *sh, void *priv, enum action a);
const char *edit_page_view_hints(struct shell *sh, void *priv);

/* Wipes the form (the owner frees its values). */
void edit_page_fini(struct edit_page *p);

#endif
