/*
 * export_dialog.h: 导出学生名单, as a form: the file (by default
 * 学生名单-LOGIN-YYYYMMDD.csv in the current folder, so two clerks never
 * share a name) and the format (CSV or XLSX, which sets the extension).
 * An existing file is replaced only after the confirm dialog says so.
 */
#ifndef WQ_EXPORT_DIALOG_H
#define WQ_EXPORT_DIALOG_H

#include <limits.h>
#include <stdbool.h>

#include "dialog.h"
#include "form.h"

enum export_step {
	EXPORT_OPEN,     /* still asking */
	EXPORT_CANCEL,   /* closed, nothing to do */
	EXPORT_GO,       /* closed: write export_dialog_path() in export_dialog_format() */
};

struct export_dialog {
	struct form form;
	int f_path, f_format;
	struct dialog overwrite;     /* "the file exists: replace it?" */
	char path[PATH_MAX];         /* the whole path, once checked */
};

/* Opens the dialog with the default file name for login, dated today. */
void export_dialog_open(struct export_dialog *e, const char *login);

/* A key; see enum export_step. */
enum export_step export_dialog_key(struct export_dialog *e, bool is_keycode, unsigned int ch);

/* The whole path to write (absolute), after EXPORT_GO.  Borrowed. */
const char *export_dialog_path(const struct export_dialog *e);
/* "csv" or "xlsx". */
const char *export_dialog_format(const struct export_dialog *e);

/* Draws the form (and the overwrite question) in the area. */
void export_dialog_draw(struct export_dialog *e, int y, int x, int h, int w);
const char *export_dialog_hints(struct export_dialog *e);
/* The action contexts of its keys now (the form's, or the overwrite question's). */
int export_dialog_context(const struct export_dialog *e);

#endif
