/* edit_page.c: a form over values read from the database, saved with their version (see edit_page.h). */
#include "edit_page.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "shell.h"
#include "str.h"
#include "ui.h"
#include "util.h"

void
edit_page_take(struct edit_page *p, const char *const *values, int version, const char *by, const char *at)
{
	int k;

	for (k = 0; k < p->form.nfields; k++) {
		form_reload_value(&p->form, k, values[k], p->keep && p->has_loaded);
		p->loaded[k] = values[k];
	}
	p->version = version;
	snprintf(p->updated, sizeof(p->updated), "版本 %d · %s 修改于 %s", version, by ? by : "", at ? at : "");
	p->has_loaded = true;
}

/* Reads the values again (see edit_page_take for keep).  On failure the page keeps what it had and says why. */
static bool
reload(struct shell *sh, struct edit_page *p, bool keep)
{
	struct wq_err err;
	bool ok;

	wq_err_clear(&err);
	p->keep = keep;
	ok = p->ops->load(sh, p, &err);
	p->keep = false;
	if (!ok) {
		snprintf(p->error, sizeof(p->error), "无法读取%s：%s", p->what, err.msg);
		return false;
	}
	p->error[0] = '\0';
	return true;
}

void
edit_page_open(struct shell *sh, struct edit_page *p)
{
	p->confirm.open = false;
	p->form.ask.open = false;
	reload(sh, p, true);
}

bool
edit_page_follow(struct shell *sh, struct edit_page *p)
{
	if (!p->has_loaded || p->confirm.open || p->form.ask.open || form_dirty(&p->form))
		return false;
	return reload(sh, p, false);
}

/* A value as users read it; an empty one is shown as such, never as a blank. */
static const char *
shown(const struct edit_page *p, int k, const char *v)
{
	const char *s = form_value_label(&p->form, k, v);

	return str_empty(s) ? "（未填写）" : s;
}

void
edit_page_draw(struct edit_page *p, const char *head, int y, int x, int h, int w)
{
	int k, n, tw, fh;
	bool beside = false;

	tw = ui_put(y, x, w, head, UI_NORMAL, false);
	if (p->has_loaded) {
		n = (int)str_width(p->updated);
		beside = tw + 2 + n <= w;
		if (beside)
			ui_put(y, x + w - n, n, p->updated, UI_DIM, false);
	}
	if (!p->has_loaded) {
		ui_put(y + 2, x, w, p->error, UI_ERROR, false);
		return;
	}
	for (k = 0; k < p->form.nfields; k++) {
		if (form_field_changed(&p->form, k))
			snprintf(p->form.field[k].note, sizeof(p->form.field[k].note), "（原：%s）",
				shown(p, k, p->loaded[k]));
		else
			p->form.field[k].note[0] = '\0';
	}
	n = form_change_count(&p->form);
	p->form.status_error = n > 0 || p->error[0];
	if (p->error[0])
		snprintf(p->form.status, sizeof(p->form.status), "%s", p->error);
	else if (n)
		snprintf(p->form.status, sizeof(p->form.status), "有 %d 项修改尚未保存（Ctrl-S 保存）", n);
	else
		snprintf(p->form.status, sizeof(p->form.status), "%s", p->idle ? p->idle : "");
	form_draw(&p->form, y + 1, x, h - 1, w);
	/* who saved last: beside the head, else under the form when there is a row for it */
	fh = form_height(&p->form);
	if (!beside && fh < h - 1)
		ui_put(y + 1 + fh, x + 2, w - 2, p->updated, UI_DIM, false);
	dialog_draw(&p->confirm, y, x, h, w);
}

/* Ctrl-S: the confirmation, listing every change, when there is something to save. */
static void
ask_save(struct shell *sh, struct edit_page *p)
{
	char title[64];
	int k, n = form_change_count(&p->form);

	if (!n) {
		shell_say(sh, false, "没有需要保存的修改");
		return;
	}
	snprintf(title, sizeof(title), " 保存%s ", p->what);
	dialog_open(&p->confirm, title, "保存");
	dialog_add(&p->confirm, "确定保存以下 %d 项修改？", n);
	for (k = 0; k < p->form.nfields; k++)
		if (form_field_changed(&p->form, k))
			dialog_add(&p->confirm, "%s：%s %s %s", p->form.field[k].label, shown(p, k, p->loaded[k]),
				ui.ascii ? "->" : "→", shown(p, k, form_value(&p->form, k)));
	shell_say(sh, false, "%s", "");
}

/* Saves with the version read; see the banner for a stale one. */
static void
save(struct shell *sh, struct edit_page *p)
{
	struct wq_err err;

	wq_err_clear(&err);
	if (p->ops->save(sh, p, &err)) {
		if (reload(sh, p, false))
			shell_say(sh, false, "已保存%s", p->what);
		else
			shell_say(sh, true, "已保存%s，但%s", p->what, p->error);
		return;
	}
	if (err.code == WQ_ERR_STALE) {
		/* someone saved first: show who, read theirs, keep ours on top */
		reload(sh, p, true);
		shell_say(sh, true, "%s", err.msg);
		return;
	}
	shell_say(sh, true, "保存失败：%s", err.msg);
}

/* Leaving without saving: the form goes back to what was read. */
static void
discard(struct edit_page *p)
{
	int k;

	for (k = 0; k < p->form.nfields; k++)
		form_set_value(&p->form, k, p->loaded[k], true);
}

/*
 * Keys the form does not use (q, ?, :, R on a choice...) go on to the
 * shell, except q with unsaved changes, which asks first like Esc.
 */
enum edit_page_key
edit_page_key(struct shell *sh, struct edit_page *p, int rc, wint_t ch)
{
	bool kc = rc == KEY_CODE_YES, dirty;

	if (p->confirm.open) {
		if (dialog_key(&p->confirm, kc, (unsigned int)ch) == DIALOG_YES)
			save(sh, p);
		return EDIT_PAGE_USED;
	}
	if (!p->has_loaded)
		return EDIT_PAGE_UNUSED;
	dirty = form_dirty(&p->form);
	switch (form_key(&p->form, kc, (unsigned int)ch)) {
	case FORM_SUBMIT:
		ask_save(sh, p);
		return EDIT_PAGE_USED;
	case FORM_CANCEL:
		if (dirty) {
			discard(p);
			shell_say(sh, false, "已放弃未保存的修改");
		}
		shell_leave(sh);
		return EDIT_PAGE_USED;
	case FORM_NONE:
		return EDIT_PAGE_EDITED;
	case FORM_UNUSED:
		break;
	}
	if (!kc && ch == 'q' && dirty) {
		form_key(&p->form, false, 27);   /* the same question as Esc */
		return EDIT_PAGE_USED;
	}
	return EDIT_PAGE_UNUSED;
}

bool
edit_page_view_key(struct shell *sh, void *priv, int rc, wint_t ch)
{
	return edit_page_key(sh, priv, rc, ch) != EDIT_PAGE_UNUSED;
}

void
edit_page_view_act(struct shell *sh, void *priv, enum action a)
{
	struct edit_page *p = priv;

	(void)sh;
	switch (a) {
	case ACT_MOVE_UP:
		form_prev(&p->form);
		break;
	case ACT_MOVE_DOWN:
		form_next(&p->form);
		break;
	default:
		break;
	}
}

const char *
edit_page_view_hints(struct shell *sh, void *priv)
{
	struct edit_page *p = priv;

	(void)sh;
	if (p->confirm.open)
		return dialog_hints(&p->confirm);
	if (p->form.read_only || !p->has_loaded)
		return "↑/↓ 移动   R 刷新   : 命令   ? 帮助   q 返回";
	return form_hints(&p->form);
}

void
edit_page_fini(struct edit_page *p)
{
	form_wipe(&p->form);
}
