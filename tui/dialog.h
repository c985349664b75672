/*
 * dialog.h: the one confirm dialog.
 *
 * A framed box with a title, a few lines of text and two buttons, 取消 and
 * the confirming one.  It opens with the focus on 取消.  Only y (or Enter
 * while the focus is on the confirming button) confirms; n, Esc, q and
 * Ctrl-C cancel; every other key, the one that opened the dialog included,
 * does nothing.  The dialog holds no pointers: it lives in its owner's state.
 */
#ifndef WQ_DIALOG_H
#define WQ_DIALOG_H

#include <stdbool.h>

#define DIALOG_LINES 12

enum dialog_result {
	DIALOG_OPEN,   /* still open: the key was used or ignored */
	DIALOG_YES,    /* confirmed; the dialog is closed */
	DIALOG_NO,     /* cancelled; the dialog is closed */
};

struct dialog {
	bool open;
	bool on_ok;                          /* focus on the confirming button (false: 取消) */
	char title[64];
	char ok_label[32];                   /* e.g. 确定, 退出, 锁定 */
	char lines[DIALOG_LINES][512];
	int nlines;
	char hint[256];                      /* the hint bar text, made by dialog_hints */
};

/* Opens the dialog with a title and the confirming button's label, no lines yet. */
void dialog_open(struct dialog *d, const char *title, const char *ok_label);

/* Adds one line of text (lines past DIALOG_LINES are dropped; the last says so). */
void dialog_add(struct dialog *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Applies a key (is_keycode: a curses KEY_* code).  See the banner for which keys do what. */
enum dialog_result dialog_key(struct dialog *d, bool is_keycode, unsigned int ch);

/* Draws the dialog centred in the area (y, x, h, w); does nothing when closed. */
void dialog_draw(const struct dialog *d, int y, int x, int h, int w);

/* The keys of the open dialog for the hint bar. */
const char *dialog_hints(struct dialog *d);

#endif
