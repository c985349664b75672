/* export_dialog.c: the export form (see export_dialog.h). */
#include "export_dialog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "str.h"
#include "util.h"

static const char *const formats[] = { "csv", "xlsx" };
static const char *const format_labels[] = { "CSV（UTF-8，Excel 可直接打开）", "XLSX" };

/* The whole path of what was typed: ~/ is the home folder, a relative path is from here. */
static bool
absolute(const char *typed, char *out, size_t size)
{
	char cwd[PATH_MAX];
	const char *home = getenv("HOME");

	if (typed[0] == '/')
		return (size_t)snprintf(out, size, "%s", typed) < size;
	if (typed[0] == '~' && typed[1] == '/' && home)
		return (size_t)snprintf(out, size, "%s/%s", home, typed + 2) < size;
	if (!getcwd(cwd, sizeof(cwd)))
		return false;
	return (size_t)snprintf(out, size, "%s/%s", cwd, typed) < size;
}

/* The file must be one that can be written: a name, in a folder that exists. */
static bool
check_path(struct form *form, int field, const char *value, char *msg, size_t size)
{
	char path[PATH_MAX], *slash;
	struct stat st;

	(void)form;
	(void)field;
	if (str_empty(value)) {
		snprintf(msg, size, "请输入文件名");
		return false;
	}
	if (!absolute(value, path, sizeof(path))) {
		snprintf(msg, size, "路径太长");
		return false;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(msg, size, "这是一个文件夹，请在后面加上文件名");
		return false;
	}
	slash = strrchr(path, '/');
	if (slash && slash != path) {
		*slash = '\0';
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			snprintf(msg, size, "文件夹不存在：%s", path);
			return false;
		}
	}
	return true;
}

void
export_dialog_open_named(struct export_dialog *e, const char *title, const char *base, const char *login,
	const char *what, const char *note)
{
	char name[256], date[16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y%m%d", &tm);
	snprintf(name, sizeof(name), "%s-%s-%s.csv", base, login ? login : "", date);
	form_init(&e->form, title, "导出");
	e->f_path = form_add(&e->form, FORM_TEXT, "文件");
	form_set_text(&e->form, e->f_path, name);
	e->form.field[e->f_path].check = check_path;
	e->f_format = form_add(&e->form, FORM_CHOICE, "格式");
	e->form.field[e->f_format].values = formats;
	e->form.field[e->f_format].labels = format_labels;
	e->form.field[e->f_format].nchoices = 2;
	snprintf(e->form.status, sizeof(e->form.status), "%s", note);
	e->overwrite.open = false;
	e->path[0] = '\0';
	snprintf(e->what, sizeof(e->what), "%s", what);
}

void
export_dialog_open(struct export_dialog *e, const char *login)
{
	export_dialog_open_named(e, " 导出学生名单 ", "学生名单", login, "新导出的名单",
		"导出当前筛选结果；相对路径从启动 wq 的文件夹算起");
}

void
export_dialog_open_file(struct export_dialog *e, const char *title, const char *submit, const char *name,
	const char *what, const char *note)
{
	form_init(&e->form, title, submit);
	e->f_path = form_add(&e->form, FORM_TEXT, "文件");
	form_set_text(&e->form, e->f_path, name);
	e->form.field[e->f_path].check = check_path;
	e->f_format = -1;
	snprintf(e->form.status, sizeof(e->form.status), "%s", note ? note : "");
	e->overwrite.open = false;
	e->path[0] = '\0';
	snprintf(e->what, sizeof(e->what), "%s", what);
}

/* A new format puts its extension on the file name (replacing .csv or .xlsx). */
static void
match_extension(struct export_dialog *e)
{
	struct form_field *fl = &e->form.field[e->f_path];
	const char *want = formats[e->form.field[e->f_format].choice];
	char name[FORM_TEXT_MAX];
	size_t n = fl->len;

	if (n > 4 && strcmp(fl->text + n - 4, ".csv") == 0)
		n -= 4;
	else if (n > 5 && strcmp(fl->text + n - 5, ".xlsx") == 0)
		n -= 5;
	snprintf(name, sizeof(name), "%.*s.%s", (int)n, fl->text, want);
	snprintf(fl->text, sizeof(fl->text), "%s", name);
	fl->len = fl->cursor = strlen(fl->text);
}

enum export_step
export_dialog_key(struct export_dialog *e, bool is_keycode, unsigned int ch)
{
	int before = e->f_format >= 0 ? e->form.field[e->f_format].choice : 0;
	struct stat st;

	if (e->overwrite.open) {
		switch (dialog_key(&e->overwrite, is_keycode, ch)) {
		case DIALOG_YES:
			return EXPORT_GO;
		case DIALOG_NO:
			return EXPORT_OPEN;
		case DIALOG_OPEN:
			break;
		}
		return EXPORT_OPEN;
	}
	switch (form_key(&e->form, is_keycode, ch)) {
	case FORM_SUBMIT:
		if (!absolute(form_value(&e->form, e->f_path), e->path, sizeof(e->path)))
			return EXPORT_OPEN;
		if (stat(e->path, &st) == 0) {
			dialog_open(&e->overwrite, " 文件已存在 ", "覆盖");
			dialog_add(&e->overwrite, "%s", e->path);
			dialog_add(&e->overwrite, "这个文件已经存在，确定用%s覆盖它？", e->what);
			return EXPORT_OPEN;
		}
		return EXPORT_GO;
	case FORM_CANCEL:
		return EXPORT_CANCEL;
	case FORM_NONE:
	case FORM_UNUSED:
		break;
	}
	if (e->f_format >= 0 && e->form.field[e->f_format].choice != before)
		match_extension(e);
	return EXPORT_OPEN;
}

const char *
export_dialog_path(const struct export_dialog *e)
{
	return e->path;
}

const char *
export_dialog_format(const struct export_dialog *e)
{
	return e->f_format >= 0 ? formats[e->form.field[e->f_format].choice] : NULL;
}

void
export_dialog_draw(struct export_dialog *e, int y, int x, int h, int w)
{
	int bw = w > 76 ? 76 : w, bh = form_height(&e->form);

	if (bh > h)
		bh = h;
	form_draw(&e->form, y + (h - bh) / 2, x + (w - bw) / 2, bh, bw);
	dialog_draw(&e->overwrite, y, x, h, w);
}

const char *
export_dialog_hints(struct export_dialog *e)
{
	return e->overwrite.open ? dialog_hints(&e->overwrite) : form_hints(&e->form);
}

int
export_dialog_context(const struct export_dialog *e)
{
	return e->overwrite.open ? CTX_DIALOG : form_context(&e->form);
}
