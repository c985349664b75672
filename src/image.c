/*
 * image.c: attachments decoded to pixels (libpng, libjpeg-turbo, poppler's
 * first page through cairo) and rendered for a terminal with libchafa.
 * See image.h.
 */
#include "image.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <chafa.h>
#include <jpeglib.h>
#include <png.h>
#include <poppler.h>

#include "attach.h"
#include "util.h"

/* ---- pixels --------------------------------------------------------------- */

void
image_free(struct image *img)
{
	if (!img)
		return;
	free(img->rgba);
	memset(img, 0, sizeof(*img));
}

/* Lays every pixel over white paper: afterwards all are opaque. */
static void
over_white(struct image *img)
{
	size_t i, n = (size_t)img->width * (size_t)img->height;
	unsigned char *p;

	for (i = 0; i < n; i++) {
		p = img->rgba + i * 4;
		if (p[3] == 255)
			continue;
		for (int c = 0; c < 3; c++)
			p[c] = (unsigned char)((p[c] * p[3] + 255 * (255 - p[3]) + 127) / 255);
		p[3] = 255;
	}
}

/*
 * Scales img down to IMAGE_MAX_SIDE on its longer side, each new pixel the
 * average of the old ones it covers; a smaller picture is left as it is.
 */
static void
shrink(struct image *img)
{
	int sw = img->width, sh = img->height, dw, dh, dx, dy;
	int longer = sw > sh ? sw : sh;
	unsigned char *out;

	if (longer <= IMAGE_MAX_SIDE)
		return;
	dw = (int)((long long)sw * IMAGE_MAX_SIDE / longer);
	dh = (int)((long long)sh * IMAGE_MAX_SIDE / longer);
	if (dw < 1)
		dw = 1;
	if (dh < 1)
		dh = 1;
	out = xmalloc((size_t)dw * (size_t)dh * 4);
	for (dy = 0; dy < dh; dy++) {
		int y0 = (int)((long long)dy * sh / dh), y1 = (int)((long long)(dy + 1) * sh / dh);

		if (y1 <= y0)
			y1 = y0 + 1;
		for (dx = 0; dx < dw; dx++) {
			int x0 = (int)((long long)dx * sw / dw), x1 = (int)((long long)(dx + 1) * sw / dw);
			unsigned long long sum[4] = { 0, 0, 0, 0 }, count;

			if (x1 <= x0)
				x1 = x0 + 1;
			for (int y = y0; y < y1; y++) {
				const unsigned char *p = img->rgba + ((size_t)y * (size_t)sw + (size_t)x0) * 4;

				for (int x = x0; x < x1; x++, p += 4)
					for (int c = 0; c < 4; c++)
						sum[c] += p[c];
			}
			count = (unsigned long long)(x1 - x0) * (unsigned long long)(y1 - y0);
			for (int c = 0; c < 4; c++)
				out[((size_t)dy * (size_t)dw + (size_t)dx) * 4 + (size_t)c] =
					(unsigned char)((sum[c] + count / 2) / count);
		}
	}
	free(img->rgba);
	img->rgba = out;
	img->width = dw;
	img->height = dh;
}

static bool
too_large(int w, int h, struct wq_err *err)
{
	return wq_err_set(err, WQ_ERR_INPUT, "图片过大（%d×%d 像素），无法显示", w, h);
}

void
image_crop(const struct image *src, int x, int y, int w, int h, struct image *out)
{
	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	if (x > src->width - 1)
		x = src->width - 1;
	if (y > src->height - 1)
		y = src->height - 1;
	if (w > src->width - x)
		w = src->width - x;
	if (h > src->height - y)
		h = src->height - y;
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	out->width = w;
	out->height = h;
	out->rgba = xmalloc((size_t)w * (size_t)h * 4);
	for (int r = 0; r < h; r++)
		memcpy(out->rgba + (size_t)r * (size_t)w * 4,
			src->rgba + ((size_t)(y + r) * (size_t)src->width + (size_t)x) * 4, (size_t)w * 4);
}

/* ---- PNG ------------------------------------------------------------------ */

static bool
decode_png(const void *data, size_t n, struct image *out, struct wq_err *err)
{
	png_image png;

	memset(&png, 0, sizeof(png));
	png.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&png, data, n)) {
		wq_err_set(err, WQ_ERR_INPUT, "附件（PNG 图片）已损坏，无法显示");
		if (err)
			snprintf(err->server, sizeof(err->server), "%s", png.message);
		png_image_free(&png);
		return false;
	}
	if (png.width < 1 || png.height < 1 || png.width > INT32_MAX / 4 || png.height > INT32_MAX / 4
	    || (size_t)png.width * png.height > IMAGE_MAX_PIXELS) {
		png_image_free(&png);
		return too_large((int)png.width, (int)png.height, err);
	}
	png.format = PNG_FORMAT_RGBA;
	out->width = (int)png.width;
	out->height = (int)png.height;
	out->rgba = xmalloc(PNG_IMAGE_SIZE(png));
	if (!png_image_finish_read(&png, NULL, out->rgba, 0, NULL)) {
		wq_err_set(err, WQ_ERR_INPUT, "附件（PNG 图片）已损坏，无法显示");
		if (err)
			snprintf(err->server, sizeof(err->server), "%s", png.message);
		png_image_free(&png);
		image_free(out);
		return false;
	}
	png_image_free(&png);
	return true;
}

/* ---- JPEG ----------------------------------------------------------------- */

struct jpeg_fail {
	struct jpeg_error_mgr mgr;
	jmp_buf jump;
};

static void
jpeg_fail_exit(j_common_ptr cinfo)
{
	longjmp(((struct jpeg_fail *)cinfo->err)->jump, 1);
}

/* libjpeg's warnings (a scan cut short, say) go nowhere: nothing in src/ prints. */
static void
jpeg_quiet(j_common_ptr cinfo)
{
	(void)cinfo;
}

static bool
decode_jpeg(const void *data, size_t n, struct image *out, struct wq_err *err)
{
	struct jpeg_decompress_struct cinfo;
	struct jpeg_fail fail;
	unsigned char *volatile rgba = NULL;
	unsigned char *volatile row = NULL;
	bool cmyk;
	int w, h, longer;

	memset(&cinfo, 0, sizeof(cinfo));
	cinfo.err = jpeg_std_error(&fail.mgr);
	fail.mgr.error_exit = jpeg_fail_exit;
	fail.mgr.output_message = jpeg_quiet;
	if (setjmp(fail.jump)) {
		if (err) {
			char text[JMSG_LENGTH_MAX];

			fail.mgr.format_message((j_common_ptr)&cinfo, text);
			wq_err_set(err, WQ_ERR_INPUT, "附件（JPEG 图片）已损坏，无法显示");
			snprintf(err->server, sizeof(err->server), "%s", text);
		}
		jpeg_destroy_decompress(&cinfo);
		free(rgba);
		free(row);
		memset(out, 0, sizeof(*out));
		return false;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_mem_src(&cinfo, data, (unsigned long)n);
	jpeg_read_header(&cinfo, TRUE);
	cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
	cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_RGBA;
	/* libjpeg scales by 1/2, 1/4 or 1/8 as it decodes, far cheaper than after */
	longer = (int)(cinfo.image_width > cinfo.image_height ? cinfo.image_width : cinfo.image_height);
	cinfo.scale_num = 1;
	cinfo.scale_denom = 1;
	while (cinfo.scale_denom < 8 && longer / (int)cinfo.scale_denom > IMAGE_MAX_SIDE)
		cinfo.scale_denom *= 2;
	jpeg_calc_output_dimensions(&cinfo);
	w = (int)cinfo.output_width;
	h = (int)cinfo.output_height;
	if ((size_t)w * (size_t)h > IMAGE_MAX_PIXELS) {
		jpeg_destroy_decompress(&cinfo);
		return too_large((int)cinfo.image_width, (int)cinfo.image_height, err);
	}
	jpeg_start_decompress(&cinfo);
	rgba = xmalloc((size_t)w * (size_t)h * 4);
	row = xmalloc((size_t)w * 4);
	while (cinfo.output_scanline < cinfo.output_height) {
		size_t y = cinfo.output_scanline;
		unsigned char *dst = rgba + y * (size_t)w * 4;
		JSAMPROW rows[1] = { cmyk ? row : dst };

		if (jpeg_read_scanlines(&cinfo, rows, 1) != 1)
			break;
		if (!cmyk)
			continue;
		/* Adobe's CMYK JPEGs store the inks inverted (the usual kind from scanners) */
		for (int x = 0; x < w; x++) {
			const unsigned char *s = row + x * 4;
			unsigned k = cinfo.saw_Adobe_marker ? s[3] : 255u - s[3];

			for (int c = 0; c < 3; c++) {
				unsigned v = cinfo.saw_Adobe_marker ? s[c] : 255u - s[c];

				dst[x * 4 + c] = (unsigned char)((v * k + 127) / 255);
			}
			dst[x * 4 + 3] = 255;
		}
	}
	jpeg_finish_decompress(&cinfo);
	jpeg_destroy_decompress(&cinfo);
	free(row);
	out->width = w;
	out->height = h;
	out->rgba = rgba;
	return true;
}

/* ---- PDF ------------------------------------------------------------------ */

static bool
decode_pdf(const void *data, size_t n, struct image *out, struct wq_err *err)
{
	GBytes *bytes = g_bytes_new_static(data, n);
	GError *gerr = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	PopplerPage *page = NULL;
	cairo_surface_t *surface = NULL;
	cairo_t *cr;
	double pw, ph, scale;
	bool ok = false;
	int w, h, stride;

	if (!doc) {
		if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
			wq_err_set(err, WQ_ERR_INPUT, "附件（PDF 文件）有密码保护，无法显示");
		else
			wq_err_set(err, WQ_ERR_INPUT, "附件（PDF 文件）已损坏，无法显示");
		if (err && gerr)
			snprintf(err->server, sizeof(err->server), "%s", gerr->message);
		goto done;
	}
	if (poppler_document_get_n_pages(doc) < 1) {
		wq_err_set(err, WQ_ERR_INPUT, "附件（PDF 文件）没有页面，无法显示");
		goto done;
	}
	page = poppler_document_get_page(doc, 0);
	if (!page) {
		wq_err_set(err, WQ_ERR_INPUT, "附件（PDF 文件）已损坏，无法显示");
		goto done;
	}
	poppler_page_get_size(page, &pw, &ph);
	if (!(pw >= 1 && ph >= 1 && pw < 1e6 && ph < 1e6)) {
		wq_err_set(err, WQ_ERR_INPUT, "附件（PDF 文件）的页面大小有误，无法显示");
		goto done;
	}
	/* the first page at IMAGE_MAX_SIDE on its longer side: an A4 page at about 175 dpi */
	scale = IMAGE_MAX_SIDE / (pw > ph ? pw : ph);
	w = (int)(pw * scale + 0.5);
	h = (int)(ph * scale + 0.5);
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		wq_err_set(err, WQ_ERR_OOM, "内存不足，无法显示 PDF 文件");
		goto done;
	}
	cr = cairo_create(surface);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	poppler_page_render(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(surface);

	stride = cairo_image_surface_get_stride(surface);
	out->width = w;
	out->height = h;
	out->rgba = xmalloc((size_t)w * (size_t)h * 4);
	for (int y = 0; y < h; y++) {
		const uint32_t *s = (const uint32_t *)(const void *)(cairo_image_surface_get_data(surface)
			+ (size_t)y * (size_t)stride);
		unsigned char *d = out->rgba + (size_t)y * (size_t)w * 4;

		for (int x = 0; x < w; x++) {
			d[x * 4 + 0] = (unsigned char)(s[x] >> 16);
			d[x * 4 + 1] = (unsigned char)(s[x] >> 8);
			d[x * 4 + 2] = (unsigned char)s[x];
			d[x * 4 + 3] = 255;
		}
	}
	ok = true;
done:
	if (surface)
		cairo_surface_destroy(surface);
	if (page)
		g_object_unref(page);
	if (doc)
		g_object_unref(doc);
	if (gerr)
		g_error_free(gerr);
	g_bytes_unref(bytes);
	return ok;
}

bool
image_decode(const void *data, size_t n, struct image *out, struct wq_err *err)
{
	bool ok;

	memset(out, 0, sizeof(*out));
	if (!data || n == 0)
		return wq_err_set(err, WQ_ERR_INPUT, "附件为空，无法显示");
	if (n > ATTACH_MAX_BYTES)
		return wq_err_set(err, WQ_ERR_INPUT, "附件超过 10 MiB，无法显示");
	switch (attach_type_of(data, n)) {
	case ATTACH_PNG:
		ok = decode_png(data, n, out, err);
		break;
	case ATTACH_JPEG:
		ok = decode_jpeg(data, n, out, err);
		break;
	case ATTACH_PDF:
		ok = decode_pdf(data, n, out, err);
		break;
	default:
		return wq_err_set(err, WQ_ERR_INPUT, "附件不是 JPEG、PNG 或 PDF 文件，无法显示");
	}
	if (!ok)
		return false;
	over_white(out);
	shrink(out);
	return true;
}

/* ---- chafa ---------------------------------------------------------------- */

/* The cells a w x h picture fills inside cols x rows, for cells ratio wide per unit of height. */
static void
fit(int w, int h, int cols, int rows, double ratio, int *out_cols, int *out_rows)
{
	double cells_w = (double)w / ratio;   /* the picture's width in units of a cell's height */

	if (cols < 1)
		cols = 1;
	if (rows < 1)
		rows = 1;
	if (cells_w * rows <= (double)cols * h) {
		*out_rows = rows;
		*out_cols = (int)(cells_w * rows / h + 0.5);
	} else {
		*out_cols = cols;
		*out_rows = (int)((double)cols * h / cells_w + 0.5);
	}
	if (*out_cols < 1)
		*out_cols = 1;
	if (*out_cols > cols)
		*out_cols = cols;
	if (*out_rows < 1)
		*out_rows = 1;
	if (*out_rows > rows)
		*out_rows = rows;
}

void
image_fit(const struct image *img, int cols, int rows, int *out_cols, int *out_rows)
{
	fit(img->width, img->height, cols, rows, IMAGE_CELL_RATIO, out_cols, out_rows);
}

static ChafaCanvasMode
canvas_mode(enum image_colors colors)
{
	switch (colors) {
	case IMAGE_COLORS_TRUE:
		return CHAFA_CANVAS_MODE_TRUECOLOR;
	case IMAGE_COLORS_256:
		return CHAFA_CANVAS_MODE_INDEXED_240;
	case IMAGE_COLORS_16:
		return CHAFA_CANVAS_MODE_INDEXED_16;
	case IMAGE_COLORS_8:
		return CHAFA_CANVAS_MODE_INDEXED_8;
	case IMAGE_COLORS_NONE:
		break;
	}
	return CHAFA_CANVAS_MODE_FGBG;
}

/*
 * A canvas of cols x rows cells with img drawn on it.  Symbols: chafa's
 * block and border characters (all one cell wide where wcwidth and
 * utf8proc are concerned, as the frames' box drawing is), never wide,
 * ambiguous or inverted ones; or printable ASCII.  Sixels: cells of
 * cell_w x cell_h pixels.
 */
static ChafaCanvas *
make_canvas(const struct image *img, int cols, int rows, const struct image_opts *opts,
	bool sixel, int cell_w, int cell_h)
{
	ChafaCanvasConfig *config = chafa_canvas_config_new();
	ChafaSymbolMap *map = NULL;
	ChafaCanvas *canvas;

	chafa_canvas_config_set_geometry(config, cols, rows);
	if (sixel) {
		chafa_canvas_config_set_pixel_mode(config, CHAFA_PIXEL_MODE_SIXELS);
		chafa_canvas_config_set_canvas_mode(config, CHAFA_CANVAS_MODE_TRUECOLOR);
		chafa_canvas_config_set_cell_geometry(config, cell_w, cell_h);
	} else {
		map = chafa_symbol_map_new();
		if (opts->ascii) {
			chafa_symbol_map_add_by_tags(map, CHAFA_SYMBOL_TAG_ASCII | CHAFA_SYMBOL_TAG_SPACE);
		} else {
			chafa_symbol_map_add_by_tags(map, CHAFA_SYMBOL_TAG_BLOCK | CHAFA_SYMBOL_TAG_BORDER
				| CHAFA_SYMBOL_TAG_SPACE);
			chafa_symbol_map_remove_by_tags(map, CHAFA_SYMBOL_TAG_WIDE
				| CHAFA_SYMBOL_TAG_AMBIGUOUS | CHAFA_SYMBOL_TAG_INVERTED);
		}
		chafa_canvas_config_set_symbol_map(config, map);
		chafa_canvas_config_set_canvas_mode(config, canvas_mode(opts->colors));
	}
	canvas = chafa_canvas_new(config);
	chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGBA8_UNASSOCIATED, img->rgba,
		img->width, img->height, img->width * 4);
	if (map)
		chafa_symbol_map_unref(map);
	chafa_canvas_config_unref(config);
	return canvas;
}

/* The canvas printed with the escapes of chafa's fallback terminal (every sequence, xterm's forms). */
static GString *
print_canvas(ChafaCanvas *canvas)
{
	ChafaTermInfo *ti = chafa_term_db_get_fallback_info(chafa_term_db_get_default());
	GString *s = chafa_canvas_print(canvas, ti);

	chafa_term_info_unref(ti);
	return s;
}

static bool
check_cells(const struct image *img, int cols, int rows, struct wq_err *err)
{
	if (!img || !img->rgba || img->width < 1 || img->height < 1)
		return wq_err_set(err, WQ_ERR_INPUT, "没有可显示的图片");
	if (cols < 1 || rows < 1 || cols > 1000 || rows > 1000)
		return wq_err_set(err, WQ_ERR_INPUT, "显示区域大小有误（%d×%d）", cols, rows);
	return true;
}

void
image_lines_free(char **lines)
{
	if (!lines)
		return;
	for (char **l = lines; *l; l++)
		free(*l);
	free(lines);
}

char **
image_render_symbols(const struct image *img, int cols, int rows,
	const struct image_opts *opts, int *nlines, struct wq_err *err)
{
	ChafaCanvas *canvas;
	GString *s;
	char **lines, *p, *nl;
	int fc, fr, n = 0;

	*nlines = 0;
	if (!check_cells(img, cols, rows, err))
		return NULL;
	image_fit(img, cols, rows, &fc, &fr);
	canvas = make_canvas(img, fc, fr, opts, false, 0, 0);
	s = print_canvas(canvas);
	chafa_canvas_unref(canvas);

	/* chafa separates the rows with "\n" and ends none */
	lines = xcalloc((size_t)fr + 1, sizeof(*lines));
	for (p = s->str; n < fr; p = nl + 1) {
		nl = strchr(p, '\n');
		lines[n++] = nl ? xasprintf("%.*s", (int)(nl - p), p) : xstrdup(p);
		if (!nl)
			break;
	}
	g_string_free(s, TRUE);
	*nlines = n;
	return lines;
}

bool
image_render_cells(const struct image *img, int cols, int rows,
	const struct image_opts *opts, struct image_cells *out, struct wq_err *err)
{
	ChafaCanvas *canvas;
	int fc, fr;

	memset(out, 0, sizeof(*out));
	if (!check_cells(img, cols, rows, err))
		return false;
	image_fit(img, cols, rows, &fc, &fr);
	canvas = make_canvas(img, fc, fr, opts, false, 0, 0);
	out->cols = fc;
	out->rows = fr;
	out->cell = xcalloc((size_t)fc * (size_t)fr, sizeof(*out->cell));
	for (int y = 0; y < fr; y++)
		for (int x = 0; x < fc; x++) {
			struct image_cell *c = &out->cell[y * fc + x];
			gint fg = -1, bg = -1;

			c->cp = chafa_canvas_get_char_at(canvas, x, y);
			if (opts->colors == IMAGE_COLORS_TRUE)
				chafa_canvas_get_colors_at(canvas, x, y, &fg, &bg);
			else if (opts->colors != IMAGE_COLORS_NONE)
				chafa_canvas_get_raw_colors_at(canvas, x, y, &fg, &bg);
			c->fg = fg < 0 ? -1 : fg;
			c->bg = bg < 0 ? -1 : bg;
		}
	chafa_canvas_unref(canvas);
	return true;
}

void
image_cells_free(struct image_cells *c)
{
	if (!c)
		return;
	free(c->cell);
	memset(c, 0, sizeof(*c));
}

char *
image_render_sixel(const struct image *img, int cols, int rows, int cell_w, int cell_h,
	size_t *len, struct wq_err *err)
{
	struct image_opts opts = { .colors = IMAGE_COLORS_TRUE };
	ChafaCanvas *canvas;
	GString *s;
	char *bytes;
	int fc, fr;

	*len = 0;
	if (!check_cells(img, cols, rows, err))
		return NULL;
	if (cell_w <= 0 || cell_h <= 0 || cell_w > 100 || cell_h > 200) {
		cell_w = 10;
		cell_h = 20;
	}
	fit(img->width, img->height, cols, rows, (double)cell_w / cell_h, &fc, &fr);
	canvas = make_canvas(img, fc, fr, &opts, true, cell_w, cell_h);
	s = print_canvas(canvas);
	chafa_canvas_unref(canvas);
	bytes = xmalloc(s->len + 1);
	memcpy(bytes, s->str, s->len);
	bytes[s->len] = '\0';
	*len = s->len;
	g_string_free(s, TRUE);
	return bytes;
}
