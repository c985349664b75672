/* ui.c: curses set-up and the drawing helpers. */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "str.h"
#include "ui.h"

struct ui ui;

static bool started;

static int
style_attr(enum ui_style s)
{
	switch (s) {
	case UI_NORMAL:
		return A_NORMAL;
	case UI_TITLE:
		return ui.color ? COLOR_PAIR(1) | A_BOLD : A_REVERSE;
	case UI_HINT:
		return ui.color ? COLOR_PAIR(2) : A_REVERSE;
	case UI_SELECTED:
		return A_REVERSE | A_BOLD;
	case UI_ERROR:
		return ui.color ? COLOR_PAIR(3) | A_BOLD : A_BOLD;
	case UI_OK:
		return ui.color ? COLOR_PAIR(4) : A_NORMAL;
	case UI_DIM:
		return ui.color ? COLOR_PAIR(5) : A_DIM;
	case UI_FIELD:
		return A_UNDERLINE;
	}
	return A_NORMAL;
}

bool
ui_start(bool ascii, bool color)
{
	const char *cs = nl_langinfo(CODESET);

	if (!cs || strcmp(cs, "UTF-8") != 0) {
		fprintf(stderr, "wq: 终端需要 UTF-8 区域设置（例如 LANG=C.UTF-8），当前为 %s\n", cs ? cs : "?");
		return false;
	}
	if (!initscr())
		return false;
	started = true;
	ui.ascii = ascii;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	ui.color = color && has_colors();
	if (ui.color) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_WHITE, COLOR_BLUE);
		init_pair(2, COLOR_BLACK, COLOR_CYAN);
		init_pair(3, COLOR_RED, -1);
		init_pair(4, COLOR_GREEN, -1);
		init_pair(5, COLOR_BLUE, -1);
	}
	return true;
}

void
ui_stop(void)
{
	if (started) {
		endwin();
		started = false;
	}
}

int
ui_put(int y, int x, int width, const char *s, enum ui_style style, bool pad)
{
	char buf[STR_FIT_BUFSIZE(512)];
	size_t cells;
	int attr = style_attr(style);

	if (width <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + width > COLS)
		width = COLS - x;
	if (width > 512)
		width = 512;
	cells = str_fit(s ? s : "", 0, (size_t)width,
		STR_FIT_ELLIPSIS | (pad ? STR_FIT_PAD : 0) | (ui.ascii ? STR_FIT_ASCII : 0),
		buf, sizeof(buf));
	attron(attr);
	mvaddstr(y, x, buf);
	attroff(attr);
	return (int)cells;
}

const char *
ui_glyph_vline(void)
{
	return ui.ascii ? "|" : "│";
}

const char *
ui_glyph_marker(void)
{
	return ui.ascii ? ">" : "▸";
}

const char *
ui_glyph_dot(void)
{
	return ui.ascii ? "*" : "●";
}

void
ui_hline(int y, int x, int width)
{
	int i;

	move(y, x);
	for (i = 0; i < width && x + i < COLS; i++)
		addstr(ui.ascii ? "-" : "─");
}

/*
 * The frames drawn this frame and the last, as a hash of their places.  A
 * frame drawn over wide characters cuts them, and when it goes away (or
 * moves) curses and the terminal may disagree about those cells: the first
 * frame after a change repaints the whole screen (ui_refresh).
 */
static unsigned long boxes_now, boxes_before;

bool
ui_refresh(void)
{
	bool all;

	if (boxes_now != boxes_before)
		clearok(curscr, TRUE);
	all = is_cleared(curscr);
	boxes_before = boxes_now;
	boxes_now = 0;
	refresh();
	return all;
}

/*
 * A wide character that straddles column col of row y (its first cell at
 * col - 1) is replaced by spaces, so that a frame drawn from col on never
 * cuts one in half: curses and the terminal disagree about such halves.
 * The row is walked from its start by the width of each character drawn.
 */
static void
unstraddle(int y, int col)
{
	cchar_t cc;
	wchar_t wch[CCHARW_MAX + 1];
	attr_t attrs;
	short pair;
	int c = 0, cw;

	if (y < 0 || y >= LINES || col <= 0 || col >= COLS)
		return;
	while (c < col) {
		cw = 1;
		if (mvin_wch(y, c, &cc) == OK && getcchar(&cc, wch, &attrs, &pair, NULL) == OK && wch[0])
			cw = wcwidth(wch[0]) == 2 ? 2 : 1;
		if (c + cw > col) {
			mvaddstr(y, c, "  ");
			return;
		}
		c += cw;
	}
}

void
ui_box(int y, int x, int h, int w, const char *title)
{
	int r;

	for (r = 0; r < h; r++) {
		unstraddle(y + r, x);
		unstraddle(y + r, x + w);
	}

	boxes_now = boxes_now * 31 + (unsigned long)(((y * 1031 + x) * 1031 + h) * 1031 + w) + 1;

	for (r = 1; r < h - 1; r++) {
		ui_put(y + r, x, 1, ui_glyph_vline(), UI_NORMAL, false);
		ui_put(y + r, x + 1, w - 2, "", UI_NORMAL, true);
		ui_put(y + r, x + w - 1, 1, ui_glyph_vline(), UI_NORMAL, false);
	}
	ui_put(y, x, 1, ui.ascii ? "+" : "┌", UI_NORMAL, false);
	ui_hline(y, x + 1, w - 2);
	ui_put(y, x + w - 1, 1, ui.ascii ? "+" : "┐", UI_NORMAL, false);
	ui_put(y + h - 1, x, 1, ui.ascii ? "+" : "└", UI_NORMAL, false);
	ui_hline(y + h - 1, x + 1, w - 2);
	ui_put(y + h - 1, x + w - 1, 1, ui.ascii ? "+" : "┘", UI_NORMAL, false);
	ui_put(y, x + 2, w - 4, title, UI_NORMAL, false);
}

bool
ui_too_small(void)
{
	char line[64];

	if (COLS >= UI_MIN_COLS && LINES >= UI_MIN_LINES)
		return false;
	erase();
	snprintf(line, sizeof(line), "需要至少 %dx%d，当前 %dx%d", UI_MIN_COLS, UI_MIN_LINES, COLS, LINES);
	ui_put(LINES / 2 - 1, COLS > 12 ? (COLS - 12) / 2 : 0, COLS, "终端窗口太小", UI_ERROR, false);
	ui_put(LINES / 2, COLS > (int)str_width(line) ? (COLS - (int)str_width(line)) / 2 : 0, COLS,
		line, UI_NORMAL, false);
	if (LINES > 2)
		ui_put(LINES / 2 + 1, COLS > 18 ? (COLS - 18) / 2 : 0, COLS, "请放大窗口；Q 退出", UI_DIM, false);
	curs_set(0);
	refresh();
	return true;
}

void
ui_field_clear(struct ui_field *f)
{
	memset(f->buf, 0, sizeof(f->buf));
	f->len = f->cursor = 0;
}

bool
ui_field_key(struct ui_field *f, int is_keycode, unsigned int ch)
{
	if (is_keycode) {
		switch (ch) {
		case KEY_BACKSPACE:
			goto backspace;
		case KEY_LEFT:
			f->cursor = str_utf8_prev(f->buf, f->cursor);
			return true;
		case KEY_RIGHT:
			f->cursor = str_utf8_next(f->buf, f->len, f->cursor);
			return true;
		case KEY_HOME:
			f->cursor = 0;
			return true;
		case KEY_END:
			f->cursor = f->len;
			return true;
		case KEY_DC:
			str_edit_delete(f->buf, &f->len, f->cursor);
			return true;
		default:
			return false;
		}
	}
	if (ch == 127 || ch == 8) {
backspace:
		str_edit_backspace(f->buf, &f->len, &f->cursor);
		return true;
	}
	if (ch == 21) { /* Ctrl-U */
		ui_field_clear(f);
		return true;
	}
	if (ch == 1) { /* Ctrl-A */
		f->cursor = 0;
		return true;
	}
	if (ch == 5) { /* Ctrl-E */
		f->cursor = f->len;
		return true;
	}
	if (str_is_control(ch))
		return false;
	str_edit_insert(f->buf, sizeof(f->buf), &f->len, &f->cursor, ch);   /* no room: the key is still taken */
	return true;
}

void
ui_field_draw(const struct ui_field *f, int y, int x, int width, bool focused)
{
	char shown[sizeof(((struct ui_field *)0)->buf)];
	char before[sizeof(shown)];
	size_t i, n = 0, cells_before;
	int cx;

	if (f->secret) {
		for (i = 0; i < f->len && n + 1 < sizeof(shown); i = str_utf8_next(f->buf, f->len, i))
			shown[n++] = '*';
		shown[n] = '\0';
		cells_before = 0;
		for (i = 0; i < f->cursor; i = str_utf8_next(f->buf, f->len, i))
			cells_before++;
	} else {
		memcpy(shown, f->buf, f->len + 1);
		memcpy(before, f->buf, f->cursor);
		before[f->cursor] = '\0';
		cells_before = str_width(before);
	}
	ui_put(y, x, width, shown, UI_FIELD, true);
	if (focused) {
		cx = x + (int)cells_before;
		if (cx >= x + width)
			cx = x + width - 1;
		move(y, cx);
		curs_set(1);
	}
}

bool
ui_input_lost(bool got_key)
{
	static int empty;   /* reads in a row that found input ready and no key */
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

	if (got_key) {
		empty = 0;
		return false;
	}
	if (poll(&p, 1, 0) != 1) {
		empty = 0;
		return false;
	}
	if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
		return true;
	return ++empty >= 50;
}
