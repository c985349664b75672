/*
 * image_view.c: an attachment shown in the terminal (see image_view.h).
 *
 * Why curses cells and not chafa's printed lines: curses keeps its own
 * picture of the screen and sends only what changed, so escapes written
 * behind its back are lost or left over the moment it repaints (a frame
 * moves, the message line changes, Ctrl-L, a resize), and their colours
 * leak into what it draws next.  Chafa's canvas is read cell by cell
 * instead (image_render_cells) and every cell drawn with a curses colour
 * pair of the terminal's own palette: xterm's 256 colours (chafa's 240,
 * leaving the 16 a user may have changed), 16 or 8, or none.  That is what
 * tmux and a terminal over SSH both do reliably from terminfo, with no
 * assumption about 24-bit colour (tmux passes it only when told the outer
 * terminal has it).  A sixel image is the exception: curses cannot draw
 * one, so it is written after the refresh (image_view_overlay), only when
 * the configuration says the terminal shows sixels, and again whenever
 * curses repainted the screen.
 */
#include "image_view.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "action.h"
#include "shell.h"
#include "str.h"
#include "ui.h"
#include "util.h"

#define MAX_ZOOM 8

enum { MODE_SYMBOLS_NONE, MODE_SYMBOLS_8, MODE_SYMBOLS_16, MODE_SYMBOLS_256, MODE_SIXEL };

/* ---- colours ------------------------------------------------------------- */

static void
free_pairs(struct image_view *v)
{
	if (v->pairs) {
		for (int p = 0; p < v->npairs; p++)
			if (v->pairs[p / 8] & (1u << (p % 8)))
				free_pair(p);
		free(v->pairs);
	}
	v->pairs = NULL;
	v->npairs = 0;
}

/* A colour pair of fg on bg (palette indexes, -1 the terminal's own), or 0 when none is left. */
static int
pair_of(struct image_view *v, int fg, int bg)
{
	int p;

	if (!v->pairs) {
		v->npairs = COLOR_PAIRS > 0 ? COLOR_PAIRS : 0;
		v->pairs = xcalloc((size_t)v->npairs / 8 + 1, 1);
	}
	p = alloc_pair(fg, bg);
	if (p <= 0 || p >= v->npairs)
		return 0;
	v->pairs[p / 8] |= (unsigned char)(1u << (p % 8));
	return p;
}

/* What this terminal can show: the mode, and chafa's colours for it. */
static int
mode_now(const struct image_view *v, enum image_colors *colors)
{
	if (v->sixel) {
		*colors = IMAGE_COLORS_TRUE;
		return MODE_SIXEL;
	}
	if (ui.color && COLORS >= 256) {
		*colors = IMAGE_COLORS_256;
		return MODE_SYMBOLS_256;
	}
	if (ui.color && COLORS >= 16) {
		*colors = IMAGE_COLORS_16;
		return MODE_SYMBOLS_16;
	}
	if (ui.color && COLORS >= 8) {
		*colors = IMAGE_COLORS_8;
		return MODE_SYMBOLS_8;
	}
	*colors = IMAGE_COLORS_NONE;
	return MODE_SYMBOLS_NONE;
}

/* ---- the part shown ------------------------------------------------------ */

/* The rectangle of the picture the zoom and the centre show, kept inside the picture. */
static void
shown_part(struct image_view *v, int *x, int *y, int *w, int *h)
{
	*w = v->img.width / v->zoom;
	*h = v->img.height / v->zoom;
	if (*w < 1)
		*w = 1;
	if (*h < 1)
		*h = 1;
	if (v->cx < *w / 2)
		v->cx = *w / 2;
	if (v->cx > v->img.width - (*w - *w / 2))
		v->cx = v->img.width - (*w - *w / 2);
	if (v->cy < *h / 2)
		v->cy = *h / 2;
	if (v->cy > v->img.height - (*h - *h / 2))
		v->cy = v->img.height - (*h - *h / 2);
	*x = v->cx - *w / 2;
	*y = v->cy - *h / 2;
}

/* The terminal's cell in pixels when it says (TIOCGWINSZ; ssh passes it on), else 0. */
static void
cell_pixels(int *cw, int *ch)
{
	struct winsize ws;

	*cw = *ch = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
		*cw = ws.ws_xpixel / ws.ws_col;
		*ch = ws.ws_ypixel / ws.ws_row;
	}
}

/* Renders the part shown for the inside of the frame (h x w cells) when anything changed. */
static void
render(struct image_view *v, int h, int w)
{
	struct image part;
	struct image_opts opts = { .ascii = ui.ascii };
	struct wq_err err;
	int px, py, pw, ph, mode = mode_now(v, &opts.colors);

	shown_part(v, &px, &py, &pw, &ph);
	if (v->area_h == h && v->area_w == w && v->drawn_zoom == v->zoom && v->drawn_cx == v->cx
	    && v->drawn_cy == v->cy && v->drawn_mode == mode)
		return;
	v->area_h = h;
	v->area_w = w;
	v->drawn_zoom = v->zoom;
	v->drawn_cx = v->cx;
	v->drawn_cy = v->cy;
	v->drawn_mode = mode;
	image_cells_free(&v->cells);
	free(v->six);
	v->six = NULL;
	v->six_len = 0;
	v->six_shown = false;
	v->error[0] = '\0';
	free_pairs(v);

	image_crop(&v->img, px, py, pw, ph, &part);
	wq_err_clear(&err);
	if (mode == MODE_SIXEL) {
		int cw, ch;

		cell_pixels(&cw, &ch);
		v->six = image_render_sixel(&part, w, h, cw, ch, &v->six_len, &err);
	} else {
		image_render_cells(&part, w, h, &opts, &v->cells, &err);
	}
	if (err.code != WQ_ERR_OK)
		snprintf(v->error, sizeof(v->error), "%s", err.msg);
	image_free(&part);
}

/* ---- the four calls ------------------------------------------------------ */

bool
image_view_open(struct image_view *v, const unsigned char *data, size_t n,
	const char *title, struct wq_err *err)
{
	memset(v, 0, sizeof(*v));
	if (!image_decode(data, n, &v->img, err))
		return false;
	v->open = true;
	v->zoom = 1;
	v->cx = v->img.width / 2;
	v->cy = v->img.height / 2;
	v->drawn_zoom = -1;
	snprintf(v->title, sizeof(v->title), "%s", title && *title ? title : "附件");
	return true;
}

void
image_view_draw(struct image_view *v, int y, int x, int h, int w)
{
	char title[256];
	int ih = h - 2, iw = w - 2, top, left;

	if (!v->open || h < 3 || w < 3)
		return;
	if (v->zoom > 1)
		snprintf(title, sizeof(title), " %s（放大 %d 倍） ", v->title, v->zoom);
	else
		snprintf(title, sizeof(title), " %s ", v->title);
	ui_box(y, x, h, w, title);
	render(v, ih, iw);
	if (v->error[0]) {
		ui_put(y + 1 + ih / 2, x + 2, iw - 2, v->error, UI_ERROR, false);
		return;
	}
	if (v->six) {
		int cols, rows, cw, ch;

		cell_pixels(&cw, &ch);
		if (cw <= 0 || ch <= 0) {
			cw = 10;
			ch = 20;
		}
		/* the sixel's cells, as image_render_sixel fitted them (its own cell ratio) */
		cols = iw;
		rows = ih;
		{
			int pw = v->img.width / v->zoom, ph = v->img.height / v->zoom;
			double cells_w = (double)pw * ch / cw;

			if (cells_w * ih <= (double)iw * ph)
				cols = (int)(cells_w * ih / ph + 0.5);
			else
				rows = (int)((double)iw * ph / cells_w + 0.5);
		}
		if (cols < 1 || cols > iw)
			cols = iw;
		if (rows < 1 || rows > ih)
			rows = ih;
		if (v->six_y != y + 1 + (ih - rows) / 2 || v->six_x != x + 1 + (iw - cols) / 2)
			v->six_shown = false;
		v->six_y = y + 1 + (ih - rows) / 2;
		v->six_x = x + 1 + (iw - cols) / 2;
		return;
	}
	top = y + 1 + (ih - v->cells.rows) / 2;
	left = x + 1 + (iw - v->cells.cols) / 2;
	for (int r = 0; r < v->cells.rows; r++)
		for (int c = 0; c < v->cells.cols; c++) {
			const struct image_cell *cell = &v->cells.cell[r * v->cells.cols + c];
			wchar_t wc[2] = { (wchar_t)cell->cp, 0 };
			cchar_t cc;
			int pair = 0;

			if (str_cp_width(cell->cp) != 1)   /* never: chafa's symbols are one cell wide */
				wc[0] = ' ';
			if (v->drawn_mode != MODE_SYMBOLS_NONE)
				pair = pair_of(v, cell->fg, cell->bg);
			setcchar(&cc, wc, A_NORMAL, 0, &pair);
			mvadd_wch(top + r, left + c, &cc);
		}
}

void
image_view_overlay(struct image_view *v, bool repainted)
{
	char at[32];
	int len;

	if (!v->open || !v->six || (v->six_shown && !repainted))
		return;
	/* save the cursor, go to the image's first cell, the image, back: curses never knows */
	len = snprintf(at, sizeof(at), "\0337\033[%d;%dH", v->six_y + 1, v->six_x + 1);
	fflush(stdout);
	if (write(STDOUT_FILENO, at, (size_t)len) < 0 || write(STDOUT_FILENO, v->six, v->six_len) < 0
	    || write(STDOUT_FILENO, "\0338", 2) < 0)
		return;
	v->six_shown = true;
}

/* Zooms or moves by action; false when the action is none of the view's. */
static bool
image_act(struct image_view *v, enum action a)
{
	int px, py, pw, ph;

	shown_part(v, &px, &py, &pw, &ph);
	switch (a) {
	case ACT_IMAGE_ZOOM_IN:
		if (v->zoom < MAX_ZOOM)
			v->zoom *= 2;
		break;
	case ACT_IMAGE_ZOOM_OUT:
		if (v->zoom > 1)
			v->zoom /= 2;
		break;
	case ACT_IMAGE_ZOOM_RESET:
		v->zoom = 1;
		break;
	case ACT_MOVE_UP:
		v->cy -= ph / 4 > 0 ? ph / 4 : 1;
		break;
	case ACT_MOVE_DOWN:
		v->cy += ph / 4 > 0 ? ph / 4 : 1;
		break;
	case ACT_SCROLL_LEFT:
		v->cx -= pw / 4 > 0 ? pw / 4 : 1;
		break;
	case ACT_SCROLL_RIGHT:
		v->cx += pw / 4 > 0 ? pw / 4 : 1;
		break;
	default:
		return false;
	}
	shown_part(v, &px, &py, &pw, &ph);
	return true;
}

bool
image_view_key(struct image_view *v, bool is_keycode, unsigned int ch)
{
	enum action a;

	if (!v->open)
		return false;
	a = action_for_key(is_keycode, (int)ch, CTX_IMAGE);
	if (a == ACT_BACK || (!is_keycode && ch == 3)) {
		image_view_close(v);
		return false;
	}
	image_act(v, a);
	return true;
}

void
image_view_close(struct image_view *v)
{
	image_free(&v->img);
	image_cells_free(&v->cells);
	free_pairs(v);
	free(v->six);
	if (v->six_len || v->six_shown)
		clearok(curscr, TRUE);   /* the terminal holds pixels curses does not know of */
	memset(v, 0, sizeof(*v));
}

/* ---- over the shell ------------------------------------------------------ */

static void
module_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	(void)sh;
	image_view_draw(priv, y, x, h, w);
}

static void
module_act(struct shell *sh, void *priv, enum action a)
{
	(void)sh;
	image_act(priv, a);
}

static void
module_overlay(struct shell *sh, void *priv, bool repainted)
{
	(void)sh;
	image_view_overlay(priv, repainted);
}

/* No longer shown: the colour pairs go back, the picture is drawn anew if it comes back. */
static void
module_close(struct shell *sh, void *priv)
{
	struct image_view *v = priv;

	(void)sh;
	free_pairs(v);
	image_cells_free(&v->cells);
	if (v->six_shown)
		clearok(curscr, TRUE);
	v->six_shown = false;
	v->drawn_zoom = -1;
}

static void
module_fini(void *priv)
{
	image_view_close(priv);
}

static const struct module_ops image_module = {
	.ctx = CTX_IMAGE,
	.priv_size = sizeof(struct image_view),
	.draw = module_draw,
	.act = module_act,
	.overlay = module_overlay,
	.close = module_close,
	.fini = module_fini,
};

bool
image_view_push(struct shell *sh, const unsigned char *data, size_t n, const char *title,
	struct wq_err *err)
{
	struct image_view v, *pushed;

	if (!image_view_open(&v, data, n, title, err))
		return false;
	v.sixel = shell_app(sh)->conf->ui_sixel;
	pushed = shell_push(sh, &image_module);
	if (!pushed) {
		image_view_close(&v);
		return wq_err_set(err, WQ_ERR_INPUT, "打开的页面过多，无法显示附件");
	}
	*pushed = v;
	return true;
}
