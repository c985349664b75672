/*
 * test_image.c: unit tests for src/image.c.
 *
 * The pictures are made here: a PNG with libpng, a JPEG with libjpeg, a
 * one-page PDF with cairo, each black on its left half and white on its
 * right.  A rendering is read back as a terminal would: SGR escapes change
 * the colours, every other code point takes one cell.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <jpeglib.h>
#include <png.h>

#include "image.h"
#include "str.h"
#include "util.h"

/* ---- making pictures ------------------------------------------------------ */

/* w x h RGBA pixels: black where x < w / 2, white elsewhere. */
static unsigned char *
half_black(int w, int h)
{
	unsigned char *px = xmalloc((size_t)w * (size_t)h * 4);

	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			unsigned char *p = px + ((size_t)y * (size_t)w + (size_t)x) * 4;

			p[0] = p[1] = p[2] = x < w / 2 ? 0 : 255;
			p[3] = 255;
		}
	return px;
}

static unsigned char *
make_png(const unsigned char *rgba, int w, int h, size_t *len)
{
	png_image png;
	png_alloc_size_t size = 0;
	unsigned char *buf;

	memset(&png, 0, sizeof(png));
	png.version = PNG_IMAGE_VERSION;
	png.width = (png_uint_32)w;
	png.height = (png_uint_32)h;
	png.format = PNG_FORMAT_RGBA;
	assert_true(png_image_write_get_memory_size(png, size, 0, rgba, 0, NULL));
	buf = xmalloc(size);
	assert_true(png_image_write_to_memory(&png, buf, &size, 0, rgba, 0, NULL));
	*len = size;
	return buf;
}

static unsigned char *
make_jpeg(const unsigned char *rgba, int w, int h, size_t *len)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr jerr;
	unsigned char *out = NULL, *copy;
	unsigned long size = 0;

	c.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &out, &size);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = 4;
	c.in_color_space = JCS_EXT_RGBA;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 95, TRUE);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		JSAMPROW row = (JSAMPROW)(rgba + (size_t)c.next_scanline * (size_t)w * 4);

		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	/* libjpeg's buffer is malloc'd; copy it so every buffer here is freed alike */
	copy = xmalloc(size);
	memcpy(copy, out, size);
	free(out);
	*len = size;
	return copy;
}

struct membuf {
	unsigned char *data;
	size_t len;
};

static cairo_status_t
membuf_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct membuf *m = closure;

	m->data = xrealloc(m->data, m->len + length);
	memcpy(m->data + m->len, data, length);
	m->len += length;
	return CAIRO_STATUS_SUCCESS;
}

/* A one-page PDF, w x h points, its left half a black rectangle. */
static unsigned char *
make_pdf(double w, double h, size_t *len)
{
	struct membuf m = { NULL, 0 };
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(membuf_write, &m, w, h);
	cairo_t *cr = cairo_create(s);

	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_rectangle(cr, 0, 0, w / 2, h);
	cairo_fill(cr);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);
	*len = m.len;
	return m.data;
}

/* ---- reading a rendering back --------------------------------------------- */

#define MAXCELLS 64

/* A cell as a terminal shows it: the code point, and the colours as RGB (-1 the terminal's own). */
struct seen {
	unsigned cp;
	long fg, bg;
};

/* xterm's 256 colours, 16..255 (the cube and the greys); the first 16 as the usual VGA ones. */
static long
xterm_rgb(int i)
{
	static const long vga[16] = {
		0x000000, 0x800000, 0x008000, 0x808000, 0x000080, 0x800080, 0x008080, 0xc0c0c0,
		0x808080, 0xff0000, 0x00ff00, 0xffff00, 0x0000ff, 0xff00ff, 0x00ffff, 0xffffff,
	};
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };

	if (i < 16)
		return vga[i];
	if (i < 232) {
		i -= 16;
		return (long)level[i / 36] << 16 | (long)level[i / 6 % 6] << 8 | level[i % 6];
	}
	i = 8 + (i - 232) * 10;
	return (long)i << 16 | (long)i << 8 | i;
}

/*
 * Reads one line: SGR escapes set the colours (0, 7, 27, 38/48 with ;2; or
 * ;5;, 39, 49); any other escape fails the test.  Returns the cells seen.
 */
static int
read_line(const char *line, struct seen *cells, int max)
{
	long fg = -1, bg = -1;
	bool inverse = false;
	int n = 0;
	const char *p = line;

	while (*p) {
		if (*p == '\033') {
			char *end;
			long v[16];
			int nv = 0;

			assert_int_equal(p[1], '[');
			p += 2;
			while (*p != 'm') {
				assert_true((*p >= '0' && *p <= '9') || *p == ';');
				v[nv < 15 ? nv++ : nv] = strtol(p, &end, 10);
				p = *end == ';' ? end + 1 : end;
			}
			p++;
			if (nv == 0)
				v[nv++] = 0;
			for (int i = 0; i < nv; i++) {
				if (v[i] == 0) {
					fg = bg = -1;
					inverse = false;
				} else if (v[i] == 7) {
					inverse = true;
				} else if (v[i] == 27) {
					inverse = false;
				} else if (v[i] == 39) {
					fg = -1;
				} else if (v[i] == 49) {
					bg = -1;
				} else if ((v[i] == 38 || v[i] == 48) && i + 1 < nv) {
					long which = v[i], c;

					if (v[i + 1] == 2 && i + 4 < nv) {
						c = v[i + 2] << 16 | v[i + 3] << 8 | v[i + 4];
						i += 4;
					} else if (v[i + 1] == 5 && i + 2 < nv) {
						c = xterm_rgb((int)v[i + 2]);
						i += 2;
					} else {
						fail_msg("SGR %ld;%ld", v[i], v[i + 1]);
						return n;
					}
					if (which == 38)
						fg = c;
					else
						bg = c;
				}
			}
			continue;
		}
		{
			unsigned int cp;
			int k = str_utf8_decode(p, strlen(p), &cp);

			assert_true(k > 0);
			assert_int_equal(str_cp_width(cp), 1);
			assert_true(n < max);
			cells[n].cp = cp;
			cells[n].fg = inverse ? bg : fg;
			cells[n].bg = inverse ? fg : bg;
			n++;
			p += k;
		}
	}
	return n;
}

/* The brightness 0..255 of what a cell shows, or -1 when it shows a colour of the terminal's. */
static int
shown_level(const struct seen *c)
{
	long col;

	if (c->cp == ' ')
		col = c->bg;
	else if (c->cp == 0x2588)  /* █ */
		col = c->fg;
	else if (c->fg < 0 || c->bg < 0)
		return -1;
	else
		return (int)(((c->fg >> 8 & 0xff) + (c->bg >> 8 & 0xff)) / 2);
	return col < 0 ? -1 : (int)(col >> 8 & 0xff);   /* green: a grey's every channel */
}

/* Checks a rendering of a half-black picture: rows lines of cols cells, dark left, light right. */
static void
check_half_black(char **lines, int n, int cols, int rows)
{
	struct seen cells[MAXCELLS];

	assert_non_null(lines);
	assert_int_equal(n, rows);
	for (int y = 0; y < rows; y++) {
		assert_non_null(lines[y]);
		assert_int_equal(read_line(lines[y], cells, MAXCELLS), cols);
		for (int x = 0; x < cols; x++) {
			int level = shown_level(&cells[x]);

			if (x < cols / 2 - 2) {
				assert_in_range(level, 0, 60);
			} else if (x >= cols / 2 + 2) {
				assert_in_range(level, 200, 255);
			}
		}
	}
	assert_null(lines[rows]);
}

/* ---- tests ---------------------------------------------------------------- */

static void
test_png(void **state)
{
	struct image_opts opts = { .colors = IMAGE_COLORS_TRUE };
	unsigned char *px = half_black(40, 40), *file;
	struct image img;
	struct wq_err err;
	size_t len;
	char **lines;
	int n;

	(void)state;
	file = make_png(px, 40, 40, &len);
	assert_true(image_decode(file, len, &img, &err));
	assert_int_equal(img.width, 40);
	assert_int_equal(img.height, 40);
	assert_int_equal(img.rgba[0], 0);
	assert_int_equal(img.rgba[(20 * 40 + 30) * 4], 255);

	/* a square picture in 20 x 10 cells of 1:2 fills them */
	lines = image_render_symbols(&img, 20, 10, &opts, &n, &err);
	check_half_black(lines, n, 20, 10);
	image_lines_free(lines);

	/* 256 colours: the same picture in xterm's palette */
	opts.colors = IMAGE_COLORS_256;
	lines = image_render_symbols(&img, 20, 10, &opts, &n, &err);
	check_half_black(lines, n, 20, 10);
	assert_null(strstr(lines[0], "38;2;"));
	image_lines_free(lines);

	image_free(&img);
	free(file);
	free(px);
}

static void
test_png_alpha_over_white(void **state)
{
	unsigned char px[4 * 4 * 4] = { 0 }, *file;   /* all transparent black */
	struct image img;
	size_t len;

	(void)state;
	file = make_png(px, 4, 4, &len);
	assert_true(image_decode(file, len, &img, NULL));
	for (int i = 0; i < 16 * 4; i++)
		assert_int_equal(img.rgba[i], 255);
	image_free(&img);
	free(file);
}

static void
test_jpeg(void **state)
{
	struct image_opts opts = { .colors = IMAGE_COLORS_TRUE };
	unsigned char *px = half_black(80, 80), *file;
	struct image img;
	struct wq_err err;
	size_t len;
	char **lines;
	int n;

	(void)state;
	file = make_jpeg(px, 80, 80, &len);
	assert_true(image_decode(file, len, &img, &err));
	assert_int_equal(img.width, 80);
	assert_int_equal(img.height, 80);
	lines = image_render_symbols(&img, 20, 10, &opts, &n, &err);
	check_half_black(lines, n, 20, 10);
	image_lines_free(lines);
	image_free(&img);
	free(file);
	free(px);
}

static void
test_pdf_first_page(void **state)
{
	struct image_opts opts = { .colors = IMAGE_COLORS_256 };
	unsigned char *file;
	struct image img;
	struct wq_err err;
	size_t len;
	char **lines;
	int n;

	(void)state;
	file = make_pdf(200, 200, &len);
	assert_true(image_decode(file, len, &img, &err));
	/* drawn at IMAGE_MAX_SIDE on its longer side */
	assert_int_equal(img.width, IMAGE_MAX_SIDE);
	assert_int_equal(img.height, IMAGE_MAX_SIDE);
	assert_int_equal(img.rgba[(100 * img.width + 10) * 4], 0);
	assert_int_equal(img.rgba[(100 * img.width + img.width - 10) * 4], 255);
	lines = image_render_symbols(&img, 20, 10, &opts, &n, &err);
	check_half_black(lines, n, 20, 10);
	image_lines_free(lines);
	image_free(&img);
	free(file);
}

static void
test_aspect_kept(void **state)
{
	struct image_opts opts = { .colors = IMAGE_COLORS_TRUE };
	unsigned char *px = half_black(80, 40), *file;
	struct image img;
	size_t len;
	char **lines;
	int n, c, r;

	(void)state;
	file = make_png(px, 80, 40, &len);
	assert_true(image_decode(file, len, &img, NULL));
	/* twice as wide as tall: 20 cells wide is 10 cells' height, so 5 rows */
	image_fit(&img, 20, 10, &c, &r);
	assert_int_equal(c, 20);
	assert_int_equal(r, 5);
	lines = image_render_symbols(&img, 20, 10, &opts, &n, NULL);
	check_half_black(lines, n, 20, 5);
	image_lines_free(lines);
	/* a tall area: the width decides */
	image_fit(&img, 8, 50, &c, &r);
	assert_int_equal(c, 8);
	assert_int_equal(r, 2);
	image_free(&img);
	free(file);
	free(px);
}

static void
test_large_scaled_down(void **state)
{
	unsigned char *px = half_black(3000, 100), *file;
	struct image img;
	size_t len;

	(void)state;
	file = make_png(px, 3000, 100, &len);
	assert_true(image_decode(file, len, &img, NULL));
	assert_int_equal(img.width, IMAGE_MAX_SIDE);
	assert_int_equal(img.height, 100 * IMAGE_MAX_SIDE / 3000);
	assert_int_equal(img.rgba[0], 0);
	assert_int_equal(img.rgba[(size_t)(img.width - 1) * 4], 255);
	image_free(&img);
	free(file);
	free(px);
}

static void
test_cells(void **state)
{
	struct image_opts opts = { .colors = IMAGE_COLORS_256 };
	unsigned char *px = half_black(40, 40), *file;
	struct image img;
	struct image_cells cells;
	size_t len;

	(void)state;
	file = make_png(px, 40, 40, &len);
	assert_true(image_decode(file, len, &img, NULL));
	assert_true(image_render_cells(&img, 20, 10, &opts, &cells, NULL));
	assert_int_equal(cells.cols, 20);
	assert_int_equal(cells.rows, 10);
	for (int y = 0; y < 10; y++) {
		const struct image_cell *dark = &cells.cell[y * 20 + 2], *light = &cells.cell[y * 20 + 17];
		struct seen d = { dark->cp, dark->fg < 0 ? -1 : xterm_rgb(dark->fg),
			dark->bg < 0 ? -1 : xterm_rgb(dark->bg) };
		struct seen l = { light->cp, light->fg < 0 ? -1 : xterm_rgb(light->fg),
			light->bg < 0 ? -1 : xterm_rgb(light->bg) };

		assert_int_equal(str_cp_width((int)dark->cp), 1);
		assert_in_range(shown_level(&d), 0, 60);
		assert_in_range(shown_level(&l), 200, 255);
	}
	image_cells_free(&cells);

	/* no colours: shapes only, the terminal's own two colours */
	opts.colors = IMAGE_COLORS_NONE;
	assert_true(image_render_cells(&img, 20, 10, &opts, &cells, NULL));
	assert_int_equal(cells.cell[0].fg, -1);
	assert_int_equal(cells.cell[0].bg, -1);
	assert_int_not_equal(cells.cell[0].cp, cells.cell[19].cp);
	image_cells_free(&cells);

	image_free(&img);
	free(file);
	free(px);
}

static void
test_ascii(void **state)
{
	struct image_opts opts = { .colors = IMAGE_COLORS_NONE, .ascii = true };
	unsigned char *px = half_black(40, 40), *file;
	struct image img;
	size_t len;
	char **lines;
	int n;

	(void)state;
	file = make_png(px, 40, 40, &len);
	assert_true(image_decode(file, len, &img, NULL));
	lines = image_render_symbols(&img, 20, 10, &opts, &n, NULL);
	assert_int_equal(n, 10);
	for (int y = 0; y < n; y++)
		for (const unsigned char *p = (const unsigned char *)lines[y]; *p; p++)
			assert_true(*p < 0x80);
	image_lines_free(lines);
	image_free(&img);
	free(file);
	free(px);
}

static void
test_sixel(void **state)
{
	unsigned char *px = half_black(40, 40), *file;
	struct image img;
	size_t len, slen;
	char *six;

	(void)state;
	file = make_png(px, 40, 40, &len);
	assert_true(image_decode(file, len, &img, NULL));
	six = image_render_sixel(&img, 20, 10, 10, 20, &slen, NULL);
	assert_non_null(six);
	assert_true(slen > 10);
	assert_int_equal(strlen(six), slen);
	assert_memory_equal(six, "\033P", 2);
	assert_memory_equal(six + slen - 2, "\033\\", 2);
	free(six);
	image_free(&img);
	free(file);
	free(px);
}

static void
test_crop(void **state)
{
	unsigned char *px = half_black(40, 40);
	struct image img = { 40, 40, px }, part;

	(void)state;
	image_crop(&img, 30, 30, 20, 20, &part);   /* clipped to 10 x 10, all white */
	assert_int_equal(part.width, 10);
	assert_int_equal(part.height, 10);
	for (int i = 0; i < 10 * 10 * 4; i++)
		assert_int_equal(part.rgba[i], 255);
	image_free(&part);
	image_crop(&img, 0, 0, 5, 5, &part);
	assert_int_equal(part.rgba[0], 0);
	image_free(&part);
	free(px);
}

static void
assert_refused(const void *data, size_t n)
{
	struct wq_err err;
	struct image img = { 1, 1, NULL };

	wq_err_clear(&err);
	assert_false(image_decode(data, n, &img, &err));
	assert_int_equal(err.code, WQ_ERR_INPUT);
	assert_true(wq_text_is_chinese(err.msg));
	assert_null(img.rgba);
	assert_int_equal(img.width, 0);
}

static void
test_refused(void **state)
{
	static const char text[] = "这不是图片 not a picture";
	static const unsigned char bad_png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 1, 2, 3 };
	static const unsigned char bad_jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F' };
	static const char bad_pdf[] = "%PDF-1.4\nnothing here\n";
	struct wq_err err;

	(void)state;
	assert_refused(text, sizeof(text) - 1);
	assert_refused(bad_png, sizeof(bad_png));
	assert_refused(bad_jpeg, sizeof(bad_jpeg));
	assert_refused(bad_pdf, sizeof(bad_pdf) - 1);
	assert_refused(text, 0);
	assert_refused(NULL, 0);

	assert_false(image_decode(text, sizeof(text) - 1, &(struct image){ 0 }, &err));
	assert_string_equal(err.msg, "附件不是 JPEG、PNG 或 PDF 文件，无法显示");
}

static void
test_bad_sizes(void **state)
{
	struct image_opts opts = { .colors = IMAGE_COLORS_TRUE };
	unsigned char px[4] = { 0, 0, 0, 255 };
	struct image img = { 1, 1, px }, none = { 0 };
	struct image_cells cells;
	struct wq_err err;
	int n;

	(void)state;
	assert_null(image_render_symbols(&img, 0, 10, &opts, &n, &err));
	assert_true(wq_text_is_chinese(err.msg));
	assert_int_equal(n, 0);
	assert_false(image_render_cells(&none, 10, 10, &opts, &cells, &err));
	assert_true(wq_text_is_chinese(err.msg));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png),
		cmocka_unit_test(test_png_alpha_over_white),
		cmocka_unit_test(test_jpeg),
		cmocka_unit_test(test_pdf_first_page),
		cmocka_unit_test(test_aspect_kept),
		cmocka_unit_test(test_large_scaled_down),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_sixel),
		cmocka_unit_test(test_crop),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_bad_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
