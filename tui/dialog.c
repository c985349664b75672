/* dialog.c: the confirm dialog (see dialog.h). */
#include "dialog.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "action.h"
#include "str.h"
#include "ui.h"

void
dialog_open(struct dialog *d, const char *title, const char *ok_label)
{
	memset(d, 0, sizeof(*d));
	d->open = true;
	snprintf(d->title, sizeof(d->title), "%s", title);
	snprintf(d->ok_label, sizeof(d->ok_label), "%s", ok_label ? ok_label : "确定");
}

void
dialog_add(struct dialog *d, const char *fmt, ...)
{
	va_list ap;

	if (d->nlines >= DIALOG_LINES)
		return;
	if (d->nlines == DIALOG_LINES - 1) {
		snprintf(d->lines[d->nlines++], sizeof(d->lines[0]), "……");
		return;
	}
	va_start(ap, fmt);
	vsnprintf(d->lines[d->nlines++], sizeof(d->lines[0]), fmt, ap);
	va_end(ap);
}


enum dialog_result
dialog_key(struct dialog *d, bool is_keycode, unsigned int ch)
{
	if (!d->open)
		return DIALOG_NO;
	/* the keys are the action table's (CTX_DIALOG): only y confirms */
	switch (action_for_key(is_keycode, (int)ch, CTX_DIALOG)) {
	case ACT_DIALOG_YES:
		d->open = false;
		return DIALOG_YES;
	case ACT_DIALOG_NO:
		d->open = false;
		return DIALOG_NO;
	case ACT_DIALOG_PRESS:
		d->open = false;
		return d->on_ok ? DIALOG_YES : DIALOG_NO;
	case ACT_DIALOG_SWITCH:
		d->on_ok = !d->on_ok;
		return DIALOG_OPEN;
	default:
		return DIALOG_OPEN;
	}
}

void
dialog_draw(const struct dialog *d, int y, int x, int h, int w)
{
	char ok[64];
	int bw = 0, bh, bx, by, i, lw;

	if (!d->open)
		return;
	for (i = 0; i < d->nlines; i++) {
		lw = (int)str_width(d->lines[i]);
		if (lw > bw)
			bw = lw;
	}
	bw += 6;
	if (bw < 40)
		bw = 40;
	if (bw > w)
		bw = w;
	bh = d->nlines + 5;
	if (bh > h)
		bh = h;
	bx = x + (w - bw) / 2;
	by = y + (h - bh) / 2;
	ui_box(by, bx, bh, bw, d->title);
	for (i = 0; i < d->nlines && i < bh - 4; i++)
		ui_put(by + 1 + i, bx + 3, bw - 5, d->lines[i], UI_NORMAL, false);
	snprintf(ok, sizeof(ok), "[ %s（y）]", d->ok_label);
	ui_put(by + bh - 2, bx + 6, 8, "[ 取消 ]", d->on_ok ? UI_NORMAL : UI_SELECTED, false);
	ui_put(by + bh - 2, bx + 20, bw - 22, ok, d->on_ok ? UI_SELECTED : UI_NORMAL, false);
}

/* y says what it does: 锁定, 退出, 保存 … */
static const char *
dialog_label(enum action a, void *arg)
{
	const struct dialog *d = arg;

	return a == ACT_DIALOG_YES ? d->ok_label : NULL;
}

const char *
dialog_hints(struct dialog *d)
{
	action_hint_line(CTX_DIALOG, dialog_label, d, d->hint, sizeof(d->hint));
	return d->hint;
}
