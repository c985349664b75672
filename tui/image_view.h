/*
 * image_view.h: one attachment (a JPEG, a PNG, a PDF's first page) shown in
 * the terminal, so a clerk over SSH can check the stamp on a scan.
 *
 * The picture fills a frame titled with the attachment's name, its aspect
 * ratio kept.  + and - zoom (2, 4, 8 times), the arrows or h/j/k/l move
 * over a zoomed picture, 0 shows all of it again, q or Esc closes (the
 * keys are the action table's, CTX_IMAGE).
 *
 * It is drawn with libchafa's symbols through curses cells in the
 * terminal's colours, or, when the configuration says the terminal can
 * (sixel), as a sixel image written after the screen is refreshed.
 *
 * Two ways to use it: the four calls below inside a screen of one's own,
 * or image_view_push, which pushes it over the top view of the shell.
 */
#ifndef WQ_IMAGE_VIEW_H
#define WQ_IMAGE_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "image.h"

struct shell;

struct image_view {
	bool open;
	bool sixel;                 /* draw a sixel image (set before drawing) */
	char title[160];
	struct image img;           /* the whole picture, decoded */
	int zoom;                   /* 1 (all of it), 2, 4, 8 */
	int cx, cy;                 /* the centre of the part shown, in pixels */

	/* what was drawn last, rendered again only when one of these changes */
	int area_y, area_x, area_h, area_w;
	int drawn_zoom, drawn_cx, drawn_cy, drawn_mode;
	struct image_cells cells;
	unsigned char *pairs;       /* colour pairs allocated (a bit each), freed on close */
	int npairs;                 /* COLOR_PAIRS when pairs was allocated */
	char *six;                  /* the sixel image, when sixel */
	size_t six_len;
	int six_y, six_x;           /* where it goes */
	bool six_shown;             /* written since it last changed */
	char error[256];            /* a rendering that failed, shown in the frame */
};

/*
 * Decodes n bytes (borrowed: nothing is kept) and opens the view titled
 * title.  False with err set in Chinese (not an image, damaged, too large);
 * v is then closed and holds nothing.
 */
bool image_view_open(struct image_view *v, const unsigned char *data, size_t n,
	const char *title, struct wq_err *err);

/* Draws the view in the area (y, x, h, w) through curses. */
void image_view_draw(struct image_view *v, int y, int x, int h, int w);

/*
 * Writes what curses cannot draw (the sixel image) straight to the
 * terminal; call after the screen is refreshed.  repainted: the refresh
 * repainted every cell, so the image is written again.
 */
void image_view_overlay(struct image_view *v, bool repainted);

/* Applies a key (is_keycode: a curses KEY_* code); false once it closed the view. */
bool image_view_key(struct image_view *v, bool is_keycode, unsigned int ch);

/* Frees everything and closes v (a closed or zeroed v too). */
void image_view_close(struct image_view *v);

/*
 * Pushes the view over the shell's top view; q or Esc pops it.  The sixel
 * choice is the configuration's (ui: sixel).  False with err set when the
 * attachment cannot be shown (nothing is pushed).
 */
bool image_view_push(struct shell *sh, const unsigned char *data, size_t n, const char *title,
	struct wq_err *err);

#endif
