/*
 * ui.h: drawing helpers over ncurses.  Every string that reaches the screen
 * goes through ui_put (and so through str_fit in src/str.c).
 */
#ifndef WQ_UI_H
#define WQ_UI_H

#include <stdbool.h>
#include <stddef.h>

#define UI_MIN_COLS 80
#define UI_MIN_LINES 24

/* Attributes by meaning, resolved to colours only when colours are on. */
enum ui_style {
	UI_NORMAL,
	UI_TITLE,      /* status bar */
	UI_HINT,       /* hint bar */
	UI_SELECTED,   /* selected row */
	UI_ERROR,
	UI_OK,
	UI_DIM,
	UI_FIELD,      /* input fields */
};

struct ui {
	bool ascii;   /* --ascii: no box-drawing characters */
	bool color;   /* colours on (not NO_COLOR, terminal has them, config allows) */
};

extern struct ui ui;

/* Starts curses (UTF-8 locale required); false with a message when it cannot. */
bool ui_start(bool ascii, bool color);
void ui_stop(void);

/*
 * Draws s at (y, x) in at most width cells, through str_fit: controls escaped,
 * wide characters never cut; pad fills the rest of width with spaces.
 * Returns the cells drawn.
 */
int ui_put(int y, int x, int width, const char *s, enum ui_style style, bool pad);

/* A frame with a title at (y, x), h rows by w cells, its inside cleared. */
void ui_box(int y, int x, int h, int w, const char *title);

/*
 * refresh(), repainting everything when the frames drawn (ui_box) changed
 * since the last one; true when every cell was repainted (that, Ctrl-L or
 * a clearok of curscr).
 */
bool ui_refresh(void);

/* A horizontal rule of width cells. */
void ui_hline(int y, int x, int width);

/* The glyphs, ASCII or not. */
const char *ui_glyph_vline(void);
const char *ui_glyph_marker(void);   /* selected row marker */
const char *ui_glyph_dot(void);      /* connection state */

/* True when the terminal is below 80x24; draws the notice then. */
bool ui_too_small(void);

/*
 * After a read of the keyboard (got_key: whether it gave a key): true when
 * the terminal is gone: standard input hung up, or it keeps saying it is
 * readable while no key comes (its end: a closed SSH session, or input from
 * /dev/null).  The program then ends instead of waiting in a busy loop.
 */
bool ui_input_lost(bool got_key);

/* A one-line text field, edited by code point. */
struct ui_field {
	char buf[1024];  /* UTF-8: room for a 200-character 学校通讯地址 */
	size_t len;      /* bytes */
	size_t cursor;   /* byte offset, always on a code point boundary */
	bool secret;     /* draw '*' per character */
};

/* Applies an editing key (from wget_wch); true when it was one. */
bool ui_field_key(struct ui_field *f, int is_keycode, unsigned int ch);

/* Draws the field in width cells; places the terminal cursor when focused. */
void ui_field_draw(const struct ui_field *f, int y, int x, int width, bool focused);

void ui_field_clear(struct ui_field *f);

#endif
