/* form.c: the form widget (see form.h). */
#include "form.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "action.h"
#include "str.h"
#include "util.h"
#include "ui.h"

static const char *const toggle_values[2] = { "off", "on" };

void
form_init(struct form *f, const char *title, const char *submit_label)
{
	form_wipe(f);
	memset(f, 0, sizeof(*f));
	f->title = title;
	f->submit_label = submit_label ? submit_label : "确定";
}

int
form_add(struct form *f, enum form_kind kind, const char *label)
{
	struct form_field *fl;

	if (f->nfields >= FORM_FIELDS_MAX)
		return f->nfields - 1;
	fl = &f->field[f->nfields];
	memset(fl, 0, sizeof(*fl));
	fl->kind = kind;
	fl->label = label;
	if (kind == FORM_TOGGLE) {
		fl->values = toggle_values;
		fl->nchoices = 2;
	}
	return f->nfields++;
}

static bool
is_text(const struct form_field *fl)
{
	return fl->kind == FORM_TEXT || fl->kind == FORM_SECRET || fl->kind == FORM_MULTILINE;
}

void
form_set_text(struct form *f, int i, const char *text)
{
	struct form_field *fl = &f->field[i];

	snprintf(fl->text, sizeof(fl->text), "%s", text ? text : "");
	fl->len = fl->cursor = strlen(fl->text);
	form_set_initial(f, i, fl->text);
	fl->msg[0] = '\0';
}

void
form_set_initial(struct form *f, int i, const char *text)
{
	snprintf(f->field[i].initial, sizeof(f->field[i].initial), "%s", text ? text : "");
}

void
form_set_choice(struct form *f, int i, int choice, bool also_initial)
{
	struct form_field *fl = &f->field[i];

	if (choice < 0 || choice >= fl->nchoices)
		choice = 0;
	fl->choice = choice;
	if (also_initial)
		fl->initial_choice = choice;
}

const char *
form_value(const struct form *f, int i)
{
	const struct form_field *fl = &f->field[i];

	if (is_text(fl))
		return fl->text;
	return fl->nchoices ? fl->values[fl->choice] : "";
}

void
form_set_value(struct form *f, int i, const char *value, bool initial)
{
	struct form_field *fl = &f->field[i];
	int c;

	if (!value)
		value = "";
	if (!is_text(fl)) {
		for (c = 0; c < fl->nchoices; c++)
			if (strcmp(fl->values[c], value) == 0)
				break;
		form_set_choice(f, i, c < fl->nchoices ? c : 0, initial);
	} else if (initial) {
		form_set_text(f, i, value);
	} else {
		snprintf(fl->text, sizeof(fl->text), "%s", value);
		fl->len = fl->cursor = strlen(fl->text);
	}
}

void
form_reload_value(struct form *f, int i, const char *value, bool keep)
{
	char mine[FORM_TEXT_MAX];

	snprintf(mine, sizeof(mine), "%s", form_value(f, i));
	if (keep && form_field_changed(f, i) && strcmp(mine, value ? value : "") != 0) {
		form_set_value(f, i, value, true);
		form_set_value(f, i, mine, false);
		form_check(f, i);
	} else {
		form_set_value(f, i, value, true);
	}
	explicit_bzero(mine, sizeof(mine));
}

const char *
form_value_label(const struct form *f, int i, const char *value)
{
	const struct form_field *fl = &f->field[i];
	int c;

	if (!value)
		return "";
	if (fl->kind == FORM_TOGGLE)
		return strcmp(value, "on") == 0 ? (fl->on_label ? fl->on_label : "开启")
			: (fl->off_label ? fl->off_label : "关闭");
	if (fl->kind == FORM_CHOICE)
		for (c = 0; c < fl->nchoices; c++)
			if (strcmp(fl->values[c], value) == 0)
				return fl->labels ? fl->labels[c] : fl->values[c];
	return value;
}

bool
form_field_changed(const struct form *f, int i)
{
	const struct form_field *fl = &f->field[i];

	if (is_text(fl))
		return strcmp(fl->text, fl->initial) != 0;
	return fl->choice != fl->initial_choice;
}

int
form_change_count(const struct form *f)
{
	int i, n = 0;

	for (i = 0; i < f->nfields; i++)
		n += form_field_changed(f, i);
	return n;
}

bool
form_dirty(const struct form *f)
{
	return form_change_count(f) > 0;
}

bool
form_check(struct form *f, int i)
{
	struct form_field *fl = &f->field[i];

	fl->msg[0] = '\0';
	if (!fl->check || fl->read_only)
		return true;
	if (fl->check(f, i, form_value(f, i), fl->msg, sizeof(fl->msg)))
		return true;
	if (!fl->msg[0])
		snprintf(fl->msg, sizeof(fl->msg), "%s不正确", fl->label);
	return false;
}

bool
form_check_all(struct form *f)
{
	int i, first = -1;

	for (i = 0; i < f->nfields; i++)
		if (!form_check(f, i) && first < 0)
			first = i;
	if (first >= 0)
		f->focus = first;
	return first < 0;
}

void
form_wipe(struct form *f)
{
	int i;

	for (i = 0; i < f->nfields; i++) {
		explicit_bzero(f->field[i].text, sizeof(f->field[i].text));
		explicit_bzero(f->field[i].initial, sizeof(f->field[i].initial));
		f->field[i].len = f->field[i].cursor = 0;
		f->field[i].msg[0] = '\0';
	}
	f->ask.open = false;
}

/* ---- focus ----------------------------------------------------------------- */

/* Focus stops: every field, then (unless read-only) the two buttons. */
static int
stops(const struct form *f)
{
	return f->read_only ? f->nfields : f->nfields + 2;
}

void
form_next(struct form *f)
{
	f->focus = (f->focus + 1) % stops(f);
}

void
form_prev(struct form *f)
{
	f->focus = (f->focus + stops(f) - 1) % stops(f);
}

static struct form_field *
focused(struct form *f)
{
	return f->focus >= 0 && f->focus < f->nfields ? &f->field[f->focus] : NULL;
}

static struct form_field *
focused_text(struct form *f)
{
	struct form_field *fl = focused(f);

	return fl && is_text(fl) && !fl->read_only && !f->read_only ? fl : NULL;
}

/* ---- text editing ------------------------------------------------------------ */

bool
form_text_insert(struct form *f, unsigned int cp)
{
	struct form_field *fl = focused_text(f);

	if (!fl)
		return false;
	if (fl->digits)
		cp = str_halfwidth(cp);
	if (cp == '\n' ? fl->kind != FORM_MULTILINE : str_is_control(cp))
		return false;
	if (fl->max_chars && str_utf8_count(fl->text) >= fl->max_chars)
		return false;
	return str_edit_insert(fl->text, sizeof(fl->text), &fl->len, &fl->cursor, cp);
}

bool
form_text_backspace(struct form *f)
{
	struct form_field *fl = focused_text(f);

	return fl && str_edit_backspace(fl->text, &fl->len, &fl->cursor);
}

bool
form_text_delete(struct form *f)
{
	struct form_field *fl = focused_text(f);

	return fl && str_edit_delete(fl->text, &fl->len, fl->cursor);
}

void
form_text_left(struct form *f)
{
	struct form_field *fl = focused_text(f);

	if (fl)
		fl->cursor = str_utf8_prev(fl->text, fl->cursor);
}

void
form_text_right(struct form *f)
{
	struct form_field *fl = focused_text(f);

	if (fl)
		fl->cursor = str_utf8_next(fl->text, fl->len, fl->cursor);
}

/* The start of the line the offset is on. */
static size_t
line_start(const struct form_field *fl, size_t off)
{
	while (off > 0 && fl->text[off - 1] != '\n')
		off--;
	return off;
}

static size_t
line_end(const struct form_field *fl, size_t off)
{
	while (off < fl->len && fl->text[off] != '\n')
		off++;
	return off;
}

void
form_text_home(struct form *f)
{
	struct form_field *fl = focused_text(f);

	if (fl)
		fl->cursor = line_start(fl, fl->cursor);
}

void
form_text_end(struct form *f)
{
	struct form_field *fl = focused_text(f);

	if (fl)
		fl->cursor = line_end(fl, fl->cursor);
}

/* Cells from from to to (both on one line). */
static size_t
cells_between(const struct form_field *fl, size_t from, size_t to)
{
	unsigned int cp;
	size_t cells = 0;

	while (from < to) {
		from += (size_t)str_utf8_decode(fl->text + from, to - from, &cp);
		cells += (size_t)str_cp_width(cp);
	}
	return cells;
}

/* The offset on the line starting at start whose column is the nearest at or before cells. */
static size_t
at_column(const struct form_field *fl, size_t start, size_t cells)
{
	size_t end = line_end(fl, start), off = start, c = 0, next;
	unsigned int cp;

	while (off < end) {
		next = off + (size_t)str_utf8_decode(fl->text + off, end - off, &cp);
		if (c + (size_t)str_cp_width(cp) > cells)
			break;
		c += (size_t)str_cp_width(cp);
		off = next;
	}
	return off;
}

bool
form_text_up(struct form *f)
{
	struct form_field *fl = focused_text(f);
	size_t start, col;

	if (!fl || fl->kind != FORM_MULTILINE)
		return false;
	start = line_start(fl, fl->cursor);
	if (start == 0)
		return false;
	col = cells_between(fl, start, fl->cursor);
	fl->cursor = at_column(fl, line_start(fl, start - 1), col);
	return true;
}

bool
form_text_down(struct form *f)
{
	struct form_field *fl = focused_text(f);
	size_t start, end, col;

	if (!fl || fl->kind != FORM_MULTILINE)
		return false;
	end = line_end(fl, fl->cursor);
	if (end >= fl->len)
		return false;
	start = line_start(fl, fl->cursor);
	col = cells_between(fl, start, fl->cursor);
	fl->cursor = at_column(fl, end + 1, col);
	return true;
}

/* ---- keys ---------------------------------------------------------------------- */


/* Esc: leaves at once when nothing changed, else asks first. */
static enum form_result
form_cancel(struct form *f)
{
	if (f->read_only || !form_dirty(f))
		return FORM_CANCEL;
	dialog_open(&f->ask, " 放弃修改 ", "放弃");
	dialog_add(&f->ask, "有 %d 项修改尚未保存，确定放弃？", form_change_count(f));
	return FORM_NONE;
}

static enum form_result
form_submit(struct form *f)
{
	bool ok;

	if (f->read_only)
		return FORM_NONE;
	f->submitted = true;
	f->submitting = true;
	ok = form_check_all(f);
	f->submitting = false;
	return ok ? FORM_SUBMIT : FORM_NONE;
}

/* The last field that takes input: Enter there submits. */
static int
last_input(const struct form *f)
{
	int i;

	for (i = f->nfields - 1; i >= 0; i--)
		if (!f->field[i].read_only)
			return i;
	return -1;
}

/* ←/→/Space on a choice or toggle. */
static bool
choice_key(struct form *f, struct form_field *fl, bool is_keycode, unsigned int ch)
{
	int n = fl->nchoices;

	if (fl->read_only || f->read_only || n <= 0)
		return false;
	if ((!is_keycode && ch == ' ') || (is_keycode && ch == KEY_RIGHT))
		fl->choice = (fl->choice + 1) % n;
	else if (is_keycode && ch == KEY_LEFT)
		fl->choice = (fl->choice + n - 1) % n;
	else if (is_keycode && ch == KEY_HOME)
		fl->choice = 0;
	else if (is_keycode && ch == KEY_END)
		fl->choice = n - 1;
	else
		return false;
	form_check(f, f->focus);
	return true;
}

/* Editing keys of a text field; true when the key was one. */
static bool
text_key(struct form *f, bool is_keycode, unsigned int ch)
{
	struct form_field *fl = focused_text(f);
	bool changed = false;

	if (!fl)
		return false;
	if (is_keycode) {
		switch (ch) {
		case KEY_BACKSPACE:
			changed = form_text_backspace(f);
			break;
		case KEY_DC:
			changed = form_text_delete(f);
			break;
		case KEY_LEFT:
			form_text_left(f);
			break;
		case KEY_RIGHT:
			form_text_right(f);
			break;
		case KEY_HOME:
			form_text_home(f);
			break;
		case KEY_END:
			form_text_end(f);
			break;
		default:
			return false;
		}
	} else if (ch == 127 || ch == 8) {
		changed = form_text_backspace(f);
	} else if (ch == 21) {        /* Ctrl-U: empty the field */
		explicit_bzero(fl->text, sizeof(fl->text));
		changed = fl->len > 0;
		fl->len = fl->cursor = 0;
	} else if (ch == 1) {         /* Ctrl-A */
		form_text_home(f);
	} else if (ch == 5) {         /* Ctrl-E */
		form_text_end(f);
	} else if (ch >= 0x20 && ch != 0x7F && !(ch >= 0x80 && ch < 0xA0)) {
		changed = form_text_insert(f, ch);
	} else {
		return false;
	}
	if (changed)
		form_check(f, f->focus);
	return true;
}

int
form_context(const struct form *f)
{
	const struct form_field *fl = f->focus < f->nfields ? &f->field[f->focus] : NULL;

	if (f->ask.open)
		return CTX_DIALOG;
	if (f->read_only)
		return CTX_FORM_READ;
	if (!fl)
		return CTX_FORM | CTX_FORM_BUTTON;
	if (fl->kind == FORM_MULTILINE && !fl->read_only)
		return CTX_FORM | CTX_FORM_MULTI;
	if ((fl->kind == FORM_CHOICE || fl->kind == FORM_TOGGLE) && !fl->read_only)
		return CTX_FORM | CTX_FORM_LINE | CTX_FORM_CHOICE;
	return CTX_FORM | CTX_FORM_LINE;
}

enum form_result
form_key(struct form *f, bool is_keycode, unsigned int ch)
{
	struct form_field *fl = focused(f);

	f->submitted = false;
	if (f->ask.open) {
		switch (dialog_key(&f->ask, is_keycode, ch)) {
		case DIALOG_YES:
			return FORM_CANCEL;
		case DIALOG_NO:
		case DIALOG_OPEN:
			break;
		}
		return FORM_NONE;
	}
	/* the keys are the action table's (form_context); the rest edit the field */
	switch (action_for_key(is_keycode, (int)ch, form_context(f))) {
	case ACT_FORM_SUBMIT:
		return form_submit(f);
	case ACT_FORM_CANCEL:
		return form_cancel(f);
	case ACT_FORM_NEXT:
		/* ↓ moves down a line of a multi-line text first */
		if (!(is_keycode && ch == KEY_DOWN && form_text_down(f)))
			form_next(f);
		return FORM_NONE;
	case ACT_FORM_PREV:
		if (!(is_keycode && ch == KEY_UP && form_text_up(f)))
			form_prev(f);
		return FORM_NONE;
	case ACT_FORM_PRESS:
		return f->focus == f->nfields ? form_submit(f) : form_cancel(f);
	case ACT_FORM_BUTTONS:
		f->focus = f->focus == f->nfields ? f->nfields + 1 : f->nfields;
		return FORM_NONE;
	case ACT_FORM_NEWLINE:
		if (form_text_insert(f, '\n'))
			form_check(f, f->focus);
		return FORM_NONE;
	case ACT_FORM_ENTER:
		if (f->focus == last_input(f))
			return form_submit(f);
		form_next(f);
		return FORM_NONE;
	case ACT_FORM_CHOOSE:
		return fl && choice_key(f, fl, is_keycode, ch) ? FORM_NONE : FORM_UNUSED;
	default:
		break;
	}
	if (!fl || f->read_only)
		return FORM_UNUSED;
	if (fl->kind == FORM_CHOICE || fl->kind == FORM_TOGGLE)
		return choice_key(f, fl, is_keycode, ch) ? FORM_NONE : FORM_UNUSED;
	return text_key(f, is_keycode, ch) ? FORM_NONE : FORM_UNUSED;
}

/* ---- drawing --------------------------------------------------------------------- */

/* Cells of the label column: the widest label, and room for the marks. */
static int
label_width(const struct form *f)
{
	int i, w = 4, lw;

	for (i = 0; i < f->nfields; i++) {
		lw = (int)str_width(f->field[i].label);
		if (lw > w)
			w = lw;
	}
	return w + 2;
}

static int
field_rows(const struct form_field *fl)
{
	if (fl->rows > 0)
		return fl->rows;
	return fl->kind == FORM_MULTILINE ? 3 : 1;
}

int
form_height(const struct form *f)
{
	int i, h = 2;

	for (i = 0; i < f->nfields; i++)
		h += field_rows(&f->field[i]) + (f->field[i].group ? 1 : 0)
			+ (f->field[i].msg[0] && f->field[i].msg_under ? 1 : 0);
	return h + (f->read_only ? 1 : 3);
}

/*
 * Draws a text field's text in the box (y, x, rows, width), wrapping at
 * the width and at line breaks; returns the cursor's row and column.
 */
static void
draw_text(const struct form_field *fl, int y, int x, int rows, int width, bool focus)
{
	char line[FORM_TEXT_MAX];
	size_t off = 0, n = 0, cur_row_start = 0;
	int row = 0, col = 0, cw, crow = 0, ccol = 0, first;
	unsigned int cp;
	int used;

	/* the cursor's visual row first, to know which rows to show */
	for (off = 0; off <= fl->len; off += (size_t)used) {
		if (off == fl->cursor) {
			crow = row;
			ccol = col;
		}
		if (off == fl->len)
			break;
		used = str_utf8_decode(fl->text + off, fl->len - off, &cp);
		if (cp == '\n') {
			row++;
			col = 0;
			continue;
		}
		cw = fl->kind == FORM_SECRET ? 1 : str_cp_width(cp);
		if (col + cw > width - 1 && rows > 1) {
			row++;
			col = 0;
			if (off == fl->cursor) {
				crow = row;
				ccol = 0;
			}
		}
		col += cw;
	}
	first = crow >= rows ? crow - rows + 1 : 0;
	for (row = 0; row < rows; row++)
		ui_put(y + row, x, width, "", UI_FIELD, true);
	/* then each visual row's bytes */
	row = 0;
	col = 0;
	n = 0;
	(void)cur_row_start;
	for (off = 0; off < fl->len; off += (size_t)used) {
		used = str_utf8_decode(fl->text + off, fl->len - off, &cp);
		cw = fl->kind == FORM_SECRET ? 1 : str_cp_width(cp);
		if (cp == '\n' || (col + cw > width - 1 && rows > 1)) {
			line[n] = '\0';
			if (row >= first && row - first < rows)
				ui_put(y + row - first, x, width, line, UI_FIELD, true);
			row++;
			col = 0;
			n = 0;
			if (cp == '\n')
				continue;
		}
		if (fl->kind == FORM_SECRET) {
			line[n++] = '*';
		} else {
			memcpy(line + n, fl->text + off, (size_t)used);
			n += (size_t)used;
		}
		col += cw;
	}
	line[n] = '\0';
	if (row >= first && row - first < rows) {
		/* one line: keep the cursor's end in view */
		if (rows == 1 && ccol >= width) {
			char cut[STR_FIT_BUFSIZE(512)];

			str_fit(line, (size_t)(ccol - width + 1), (size_t)width, STR_FIT_PAD, cut, sizeof(cut));
			ui_put(y, x, width, cut, UI_FIELD, true);
			ccol = width - 1;
		} else {
			ui_put(y + row - first, x, width, line, UI_FIELD, true);
		}
	}
	if (focus) {
		move(y + crow - first, x + (ccol < width ? ccol : width - 1));
		curs_set(1);
	}
}

/* A choice or toggle as shown. */
static void
choice_text(const struct form_field *fl, char *buf, size_t size)
{
	const char *label;

	if (fl->kind == FORM_TOGGLE) {
		label = fl->choice ? (fl->on_label ? fl->on_label : "开启") : (fl->off_label ? fl->off_label : "关闭");
		snprintf(buf, size, "%s %s", fl->choice ? (ui.ascii ? "[x]" : "[✓]") : "[ ]", label);
		return;
	}
	if (!fl->nchoices) {
		buf[0] = '\0';
		return;
	}
	label = fl->labels ? fl->labels[fl->choice] : fl->values[fl->choice];
	if (fl->nchoices > 2)
		snprintf(buf, size, "%s %s %s（%d/%d）", ui.ascii ? "<" : "◂", label, ui.ascii ? ">" : "▸",
			fl->choice + 1, fl->nchoices);
	else
		snprintf(buf, size, "%s %s %s", ui.ascii ? "<" : "◂", label, ui.ascii ? ">" : "▸");
}

void
form_draw(struct form *f, int y, int x, int h, int w)
{
	int lw = label_width(f), ix = x + 2, iw = w - 4, vx = ix + lw + 2, vw = iw - lw - 2;
	int want = form_height(f), r, i, rows, fw, mw = 0, top, bottom, focus_top = 0, focus_bottom = 0;
	int cursor_field = -1, cursor_y = 0, cursor_w = 0;
	char buf[1024];
	bool sel, changed;
	const struct form_field *fl;

	if (want < h)
		h = want;
	ui_box(y, x, h, w, f->title);
	top = y + 1;
	bottom = y + h - 1 - (f->read_only ? 0 : 2);
	/* scroll so that the focused field shows */
	r = 0;
	for (i = 0; i < f->nfields; i++) {
		fl = &f->field[i];
		r += fl->group ? 1 : 0;
		if (i == f->focus)
			focus_top = r;
		r += field_rows(fl) + (fl->msg[0] && fl->msg_under ? 1 : 0);
		if (i == f->focus)
			focus_bottom = r;
	}
	if (f->focus >= f->nfields)
		focus_top = focus_bottom = r;
	if (focus_bottom - f->scroll > bottom - top)
		f->scroll = focus_bottom - (bottom - top);
	if (focus_top < f->scroll)
		f->scroll = focus_top;
	if (f->scroll < 0)
		f->scroll = 0;
	r = top - f->scroll;
	for (i = 0; i < f->nfields; i++) {
		struct form_field *fw_field = &f->field[i];

		fl = fw_field;
		sel = i == f->focus;
		mw = fl->msg[0] ? (int)str_width(fl->msg) + 2 : 0;
		changed = f->mark_changes && form_field_changed(f, i);
		if (fl->group) {
			if (r >= top && r < bottom)
				ui_put(r, ix, iw, fl->group, UI_TITLE, false);
			r++;
		}
		rows = field_rows(fl);
		if (r >= top && r + rows <= bottom) {
			ui_put(r, ix, 1, sel ? ui_glyph_marker() : " ", UI_NORMAL, false);
			ui_put(r, ix + 1, 1, changed ? "*" : " ", changed ? UI_ERROR : UI_NORMAL, false);
			ui_put(r, ix + 2, lw, fl->label, sel ? UI_SELECTED : UI_NORMAL, true);
			if (fl->kind == FORM_CHOICE || fl->kind == FORM_TOGGLE || fl->read_only || f->read_only) {
				if (is_text(fl))
					snprintf(buf, sizeof(buf), "%s", str_empty(fl->text) ? "（未填写）" : fl->text);
				else
					choice_text(fl, buf, sizeof(buf));
				fw = ui_put(r, vx, vw, buf, str_empty(buf) ? UI_DIM : UI_NORMAL, false);
			} else {
				fw = fl->width > 0 && fl->width < vw - 2 ? fl->width : vw - 2;
				if (mw && fw + 3 + mw > vw && vw - 3 - mw >= 16)
					fw = vw - 3 - mw;
				ui_put(r, vx - 1, 1, "[", UI_DIM, false);
				ui_put(r, vx + fw, 1, "]", UI_DIM, false);
				draw_text(fl, r, vx, rows, fw, false);
				if (sel) {
					cursor_field = i;
					cursor_y = r;
					cursor_w = fw;
				}
				fw++;
			}
			if (fl->msg[0] && fw + 2 + mw - 2 <= vw) {
				ui_put(r, vx + fw + 2, vw - fw - 2, fl->msg, UI_ERROR, false);
				mw = 0;
			} else if (fl->note[0] && !fl->msg[0] && fw + 2 < vw) {
				ui_put(r, vx + fw + 2, vw - fw - 2, fl->note, UI_DIM, false);
			}
		}
		r += rows;
		fw_field->msg_under = fl->msg[0] && mw;
		if (fw_field->msg_under) {
			/* no room beside the field: under it */
			if (r >= top && r < bottom)
				ui_put(r, vx, vw, fl->msg, UI_ERROR, false);
			r++;
		}
	}
	if (f->status[0])
		ui_put(y + h - (f->read_only ? 2 : 3), ix, iw, f->status, f->status_error ? UI_ERROR : UI_DIM, false);
	if (!f->read_only) {
		snprintf(buf, sizeof(buf), "[ %s（Ctrl-S）]", f->submit_label);
		ui_put(y + h - 2, ix + 4, iw - 4, buf, f->focus == f->nfields ? UI_SELECTED : UI_NORMAL, false);
		ui_put(y + h - 2, ix + 6 + (int)str_width(buf), 12, "[ 取消 ]",
			f->focus == f->nfields + 1 ? UI_SELECTED : UI_NORMAL, false);
	}
	if (f->ask.open) {
		dialog_draw(&f->ask, y, x, h, w);
		return;
	}
	/* last, so that the terminal cursor stays in the focused field */
	if (cursor_field >= 0)
		draw_text(&f->field[cursor_field], cursor_y, vx, field_rows(&f->field[cursor_field]), cursor_w, true);
}

/* Ctrl-S and the last field's Enter say what the form does: 保存, 添加 … */
static const char *
form_label(enum action a, void *arg)
{
	const struct form *f = arg;

	if (a == ACT_FORM_SUBMIT || (a == ACT_FORM_ENTER && f->focus == last_input(f)))
		return f->submit_label;
	return NULL;
}

const char *
form_hints(struct form *f)
{
	size_t n;

	if (f->ask.open)
		return dialog_hints(&f->ask);
	action_hint_line(form_context(f), form_label, f, f->hint, sizeof(f->hint));
	if (f->read_only) {
		n = strlen(f->hint);
		snprintf(f->hint + n, sizeof(f->hint) - n, "   q 返回");
	}
	return f->hint;
}
