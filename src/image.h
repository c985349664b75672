/*
 * image.h: an attachment shown in the terminal.
 *
 * image_decode turns an attachment's bytes (JPEG, PNG, or a PDF's first
 * page; the type from attach_type_of, never a name) into RGBA pixels on
 * white paper: transparency is laid over white, so a scan reads the same on
 * a dark terminal.  A picture larger than IMAGE_MAX_SIDE on a side is scaled
 * down (area average) while it is decoded.
 *
 * The renderings use libchafa's canvas: symbols (block and border
 * characters, one cell wide, or ASCII) with colours, as lines of text with
 * SGR escapes, as a grid of cells the screens draw themselves, or a DEC
 * sixel image.  Each fits the picture inside cols x rows cells keeping its
 * aspect ratio, for a terminal cell half as wide as it is tall.
 */
#ifndef WQ_IMAGE_H
#define WQ_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The longer side of a decoded picture at most, in pixels. */
#define IMAGE_MAX_SIDE 2048

/* A PNG is refused past this many pixels (a small file can inflate to gigabytes). */
#define IMAGE_MAX_PIXELS ((size_t)40 * 1000 * 1000)

/* A terminal cell's width over its height. */
#define IMAGE_CELL_RATIO 0.5f

struct image {
	int width, height;        /* pixels, both >= 1 */
	unsigned char *rgba;      /* width * height * 4 bytes, rows packed, opaque */
};

/*
 * Decodes n bytes of a JPEG, a PNG or a PDF (its first page) into out.
 * Refuses in Chinese (WQ_ERR_INPUT) anything else, a damaged file, an
 * encrypted PDF, a picture too large; out is then zeroed.  Free with image_free.
 */
bool image_decode(const void *data, size_t n, struct image *out, struct wq_err *err);

/* Frees img's pixels (img may be NULL) and zeroes it. */
void image_free(struct image *img);

/*
 * Copies the rectangle (x, y, w, h) of src into out (clipped to src; at
 * least one pixel).  For a zoomed view.  Free out with image_free.
 */
void image_crop(const struct image *src, int x, int y, int w, int h, struct image *out);

/* How many colours the terminal has, and so which escapes or indexes to use. */
enum image_colors {
	IMAGE_COLORS_TRUE,        /* 24-bit: 38;2;r;g;b */
	IMAGE_COLORS_256,         /* xterm's palette, indexes 16..255 (the first 16 vary) */
	IMAGE_COLORS_16,
	IMAGE_COLORS_8,
	IMAGE_COLORS_NONE,        /* the terminal's own two colours; shapes only */
};

struct image_opts {
	enum image_colors colors;
	bool ascii;               /* ASCII characters only (the --ascii screens) */
};

/*
 * The cells cols x rows (each >= 1) that img fits in with its aspect ratio
 * kept: *out_cols <= cols, *out_rows <= rows, one of them equal.
 */
void image_fit(const struct image *img, int cols, int rows, int *out_cols, int *out_rows);

/*
 * Lines of UTF-8 text, each ending with an SGR reset ("\033[0m") and no
 * newline, as chafa prints its canvas: *nlines lines of out_cols cells
 * each (image_fit).  Returns a NULL-terminated array the caller frees with
 * image_lines_free, or NULL with err set.
 */
char **image_render_symbols(const struct image *img, int cols, int rows,
	const struct image_opts *opts, int *nlines, struct wq_err *err);

void image_lines_free(char **lines);

/* One cell of a rendering: a character and its colours. */
struct image_cell {
	uint32_t cp;              /* a code point one cell wide */
	int32_t fg, bg;           /* 0xRRGGBB (IMAGE_COLORS_TRUE), a palette index
	                           * (the others), or -1: the terminal's own */
};

struct image_cells {
	int cols, rows;
	struct image_cell *cell;  /* rows * cols, row by row */
};

/*
 * The same rendering as image_render_symbols as cells, for a screen that
 * draws through curses.  Free with image_cells_free.
 */
bool image_render_cells(const struct image *img, int cols, int rows,
	const struct image_opts *opts, struct image_cells *out, struct wq_err *err);

void image_cells_free(struct image_cells *c);

/*
 * A DEC sixel image ("\033P" ... "\033\\") of img fitted in cols x rows
 * cells of cell_w x cell_h pixels (a cell size <= 0 means 10 x 20).
 * Returns the bytes (NUL-terminated, *len without it) for the caller to
 * free, or NULL with err set.
 */
char *image_render_sixel(const struct image *img, int cols, int rows, int cell_w, int cell_h,
	size_t *len, struct wq_err *err);

#endif
