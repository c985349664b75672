/*
 * export_dialog.h: saving to a file, as a form: 导出学生名单 or 导出数据统计 (the file, by
 * default 学生名单-LOGIN-YYYYMMDD.csv in the current folder, so two clerks
 * never share a name, and the format, CSV or XLSX, which sets the
 * extension), or one file of a fixed type (下载就业协议书).  An existing file
 * is replaced only after the confirm dialog says so.
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
	char what[64];               /* what replaces an existing file: 新导出的名单 */
};

/* Opens the dialog with the default file name for login, dated today. */
void export_dialog_open(struct export_dialog *e, const char *login);

/*
 * The same for another table: its title, the file name's start (BASE in
 * BASE-LOGIN-YYYYMMDD.csv), what replaces an existing file and the note
 * under the fields.
 */
void export_dialog_open_named(struct export_dialog *e, const char *title, const char *base, const char *login,
	const char *what, const char *note);

/*
 * Opens it for one file of a fixed type (no format to choose): title and
 * submit label, the default name, what it writes (for the overwrite question:
 * "就业协议书") and a note under the field.
 */
void export_dialog_open_file(struct export_dialog *e, const char *title, const char *submit, const char *name,
	const char *what, const char *note);

/* A key; see enum export_step. */
enum export_step export_dialog_key(struct export_dialog *e, bool is_keycode, unsigned int ch);

/* The whole path to write (absolute), after EXPORT_GO.  Borrowed. */
const char *export_dialog_path(const struct export_dialog *e);
/* "csv" or "xlsx" (NULL when opened for one file). */
const char *export_dialog_format(const struct export_dialog *e);

/* Draws the form (and the overwrite question) in the area. */
void export_dialog_draw(struct export_dialog *e, int y, int x, int h, int w);
const char *export_dialog_hints(struct export_dialog *e);
/* The action contexts of its keys now (the form's, or the overwrite question's). */
int export_dialog_context(const struct export_dialog *e);

#endif
