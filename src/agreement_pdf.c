/*
 * agreement_pdf.c: the employment agreement as a PDF (cairo, pangocairo,
 * libqrencode).  See agreement_pdf.h.
 *
 * The document is laid out twice with the same code: a first pass only
 * counts the pages (for 第 N 页，共 M 页), the second draws them.  Text is
 * placed one pango line at a time when a block would not fit a page, so
 * nothing is ever clipped at a page's foot.
 */
#include "agreement_pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "str.h"
#include "util.h"

/* A4 in points (cairo's PDF unit). */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN 48.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define FOOTER_H 22.0                   /* below the body, above the bottom margin */
#define BODY_BOTTOM (PAGE_H - MARGIN - FOOTER_H)

#define QR_SIZE 84.0
#define QR_QUIET 4                      /* modules of white around the code */
#define COL_GAP 16.0                    /* between the two fields of a row */
#define HALF_W ((CONTENT_W - COL_GAP) / 2)
#define LABEL_W 84.0                    /* a field's label column */
#define LABEL_GAP 6.0
#define ROW_PAD 4.0                     /* above and below a row's text */
#define SECTION_GAP 12.0

#define TITLE_PT 18
#define HEAD_PT 12
#define BODY_PT 10
#define SMALL_PT 8

#define UTF8_REPLACEMENT "\xEF\xBF\xBD"  /* U+FFFD */

/* ---- text ----------------------------------------------------------------- */

/* Bidi embedding, override and isolate controls, and the directional marks. */
static bool
is_bidi_control(unsigned int cp)
{
	return cp == 0x200E || cp == 0x200F || cp == 0x061C ||
		(cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * s without control and bidi characters, invalid bytes as U+FFFD; a new
 * string the caller frees ("" for NULL).
 */
static char *
clean_text(const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0, o = 0;
	char *out = xmalloc(len * 3 + 1);      /* one bad byte grows to three */

	while (i < len) {
		unsigned int cp;
		int n = str_utf8_decode(s + i, len - i, &cp);

		if (cp == (unsigned int)-1) {
			memcpy(out + o, UTF8_REPLACEMENT, 3);
			o += 3;
		} else if (!str_is_control(cp) && !is_bidi_control(cp)) {
			memcpy(out + o, s + i, (size_t)n);
			o += (size_t)n;
		}
		i += (size_t)n;
	}
	out[o] = '\0';
	return out;
}

const char *
agreement_qr_payload(const char *protocol_no, char *buf, size_t n)
{
	char *clean;
	size_t len;

	if (!buf || n == 0)
		return "";
	clean = clean_text(protocol_no);
	len = strlen(clean);
	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)clean[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(buf, clean, len);
	buf[len] = '\0';
	free(clean);
	return buf;
}

/* ---- pages ---------------------------------------------------------------- */

struct pen {
	cairo_t *cr;
	PangoContext *pango;       /* 72 dpi, so a point is a unit */
	bool draw;                 /* false in the pass that counts pages */
	int page;                  /* 1-based, the page being laid out */
	int pages;                 /* the total, known in the drawing pass */
	double y;                  /* top of the next block */
	const char *protocol_no;   /* cleaned, for the footer */
	PangoFontDescription *title, *head, *body, *label, *small;
};

static PangoFontDescription *
font(int pt, PangoWeight weight)
{
	PangoFontDescription *f = pango_font_description_new();

	pango_font_description_set_family(f, AGREEMENT_PDF_FONT);
	pango_font_description_set_size(f, pt * PANGO_SCALE);
	pango_font_description_set_weight(f, weight);
	return f;
}

/* A layout of text (cleaned here) wrapped to width points. */
static PangoLayout *
layout_new(struct pen *p, const char *text, const PangoFontDescription *f, double width,
	PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(p->pango);
	char *clean = clean_text(text);

	pango_layout_set_font_description(l, f);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, clean, -1);
	free(clean);
	return l;
}

static double
layout_height(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void
set_gray(struct pen *p, double g)
{
	cairo_set_source_rgb(p->cr, g, g, g);
}

/* The footer of the current page: its number and the protocol number. */
static void
footer(struct pen *p)
{
	PangoLayout *l;
	char *text;

	if (!p->draw)
		return;
	if (!str_empty(p->protocol_no))
		text = xasprintf("协议书编号 %s　　第 %d 页，共 %d 页", p->protocol_no, p->page, p->pages);
	else
		text = xasprintf("第 %d 页，共 %d 页", p->page, p->pages);
	l = layout_new(p, text, p->small, CONTENT_W, PANGO_ALIGN_CENTER);
	set_gray(p, 0.35);
	cairo_move_to(p->cr, MARGIN, PAGE_H - MARGIN - layout_height(l));
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	free(text);
}

static void
page_break(struct pen *p)
{
	footer(p);
	if (p->draw)
		cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN;
}

/* Starts a new page unless h more points fit on this one (or it is still empty). */
static void
need(struct pen *p, double h)
{
	if (p->y + h > BODY_BOTTOM && p->y > MARGIN)
		page_break(p);
}

/* Draws l at x from p->y one line at a time, going on to new pages as needed. */
static void
flow(struct pen *p, double x, PangoLayout *l)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	int first_top = -1;

	do {
		PangoRectangle r;
		double h, baseline;

		pango_layout_iter_get_line_extents(it, NULL, &r);
		if (first_top < 0)
			first_top = r.y;
		h = (double)r.height / PANGO_SCALE;
		baseline = (double)(pango_layout_iter_get_baseline(it) - r.y) / PANGO_SCALE;
		need(p, h);
		if (p->draw) {
			cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE, p->y + baseline);
			pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
		}
		p->y += h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* A thin rule across the content at p->y. */
static void
rule(struct pen *p, double gray, double width)
{
	if (!p->draw)
		return;
	set_gray(p, gray);
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, MARGIN, p->y);
	cairo_line_to(p->cr, MARGIN + CONTENT_W, p->y);
	cairo_stroke(p->cr);
}

/* ---- the QR code ---------------------------------------------------------- */

/* Draws qr as filled squares in a QR_SIZE square at (x, y), quiet zone included. */
static void
draw_qr(struct pen *p, const QRcode *qr, double x, double y)
{
	double m = QR_SIZE / (qr->width + 2 * QR_QUIET);
	int r, c;

	if (!p->draw)
		return;
	cairo_set_source_rgb(p->cr, 1, 1, 1);
	cairo_rectangle(p->cr, x, y, QR_SIZE, QR_SIZE);
	cairo_fill(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	for (r = 0; r < qr->width; r++)
		for (c = 0; c < qr->width; c++)
			if (qr->data[r * qr->width + c] & 1)
				cairo_rectangle(p->cr, x + (c + QR_QUIET) * m, y + (r + QR_QUIET) * m, m, m);
	cairo_fill(p->cr);
}

/* ---- the document --------------------------------------------------------- */

struct field {
	const char *label;
	const char *value;
	bool wide;                 /* the whole row; otherwise half, two to a row */
};

/* One cell of a row: label and value side by side in width points. */
struct cell {
	PangoLayout *label, *value;
	double x, h;
};

static void
cell_init(struct pen *p, struct cell *c, const struct field *f, double x, double width)
{
	c->x = x;
	c->label = layout_new(p, f->label, p->label, LABEL_W, PANGO_ALIGN_LEFT);
	c->value = layout_new(p, f->value, p->body, width - LABEL_W - LABEL_GAP, PANGO_ALIGN_LEFT);
	c->h = layout_height(c->label);
	if (layout_height(c->value) > c->h)
		c->h = layout_height(c->value);
}

static void
cell_fini(struct cell *c)
{
	g_object_unref(c->label);
	g_object_unref(c->value);
}

/* One row of one or two cells; a row taller than a page flows its cells one after another. */
static void
field_row(struct pen *p, struct cell *cells, int n)
{
	double h = 0;
	int i;

	for (i = 0; i < n; i++)
		if (cells[i].h > h)
			h = cells[i].h;
	h += 2 * ROW_PAD;
	if (h > BODY_BOTTOM - MARGIN) {
		for (i = 0; i < n; i++) {
			double top, label_end;
			int page;

			p->y += ROW_PAD;
			need(p, layout_height(cells[i].label));
			top = p->y;
			page = p->page;
			set_gray(p, 0.35);
			flow(p, cells[i].x, cells[i].label);
			label_end = p->y;
			if (p->page == page)
				p->y = top;      /* the value beside its label */
			set_gray(p, 0);
			flow(p, cells[i].x + LABEL_W + LABEL_GAP, cells[i].value);
			if (p->page == page && p->y < label_end)
				p->y = label_end;
			p->y += ROW_PAD;
		}
		rule(p, 0.85, 0.5);
		return;
	}
	need(p, h);
	if (p->draw) {
		for (i = 0; i < n; i++) {
			set_gray(p, 0.35);
			cairo_move_to(p->cr, cells[i].x, p->y + ROW_PAD);
			pango_cairo_show_layout(p->cr, cells[i].label);
			set_gray(p, 0);
			cairo_move_to(p->cr, cells[i].x + LABEL_W + LABEL_GAP, p->y + ROW_PAD);
			pango_cairo_show_layout(p->cr, cells[i].value);
		}
	}
	p->y += h;
	rule(p, 0.85, 0.5);
}

/* A section's heading, kept on the page of what follows it (min_after points). */
static void
heading(struct pen *p, const char *text, double min_after)
{
	PangoLayout *l = layout_new(p, text, p->head, CONTENT_W, PANGO_ALIGN_LEFT);
	double h = layout_height(l);

	p->y += SECTION_GAP;
	need(p, h + 4 + min_after);
	if (p->draw) {
		set_gray(p, 0);
		cairo_move_to(p->cr, MARGIN, p->y);
		pango_cairo_show_layout(p->cr, l);
	}
	p->y += h + 2;
	rule(p, 0.2, 1.0);
	p->y += 2;
	g_object_unref(l);
}

/* A section of labelled fields, two to a row but for the wide ones. */
static void
section(struct pen *p, const char *title, const struct field *fields, size_t n)
{
	size_t i = 0;
	bool first = true;

	while (i < n) {
		struct cell cells[2];
		int k = 0;

		if (fields[i].wide) {
			cell_init(p, &cells[k++], &fields[i++], MARGIN, CONTENT_W);
		} else {
			cell_init(p, &cells[k++], &fields[i++], MARGIN, HALF_W);
			if (i < n && !fields[i].wide)
				cell_init(p, &cells[k++], &fields[i++], MARGIN + HALF_W + COL_GAP, HALF_W);
		}
		if (first) {
			heading(p, title, cells[0].h + 2 * ROW_PAD);
			first = false;
		}
		field_row(p, cells, k);
		while (k > 0)
			cell_fini(&cells[--k]);
	}
}

/* The title and 协议书编号, centred beside the QR code at the top right. */
static void
header(struct pen *p, const struct agreement_doc *d, const QRcode *qr)
{
	double text_w = CONTENT_W - 2 * (QR_SIZE + COL_GAP);
	double top = p->y;
	PangoLayout *l;
	char *no;

	if (qr)
		draw_qr(p, qr, MARGIN + CONTENT_W - QR_SIZE, top);
	p->y += 10;
	set_gray(p, 0);
	l = layout_new(p, d->title, p->title, text_w, PANGO_ALIGN_CENTER);
	flow(p, MARGIN + QR_SIZE + COL_GAP, l);
	g_object_unref(l);

	p->y += 10;
	no = xasprintf("协议书编号：%s", d->protocol_no ? d->protocol_no : "");
	l = layout_new(p, no, p->body, text_w, PANGO_ALIGN_CENTER);
	flow(p, MARGIN + QR_SIZE + COL_GAP, l);
	g_object_unref(l);
	free(no);
	if (p->page == 1 && p->y < top + QR_SIZE)
		p->y = top + QR_SIZE;
}

/* The review record (鉴证记录 or 审核记录): one wrapped line per event. */
static void
review(struct pen *p, const struct agreement_doc *d, const char *verb)
{
	char *title = xasprintf("%s记录", verb);
	size_t i;

	if (d->n_review_lines == 0 || !d->review_lines) {
		PangoLayout *l = layout_new(p, "（暂无记录）", p->body, CONTENT_W, PANGO_ALIGN_LEFT);

		heading(p, title, layout_height(l) + 2 * ROW_PAD);
		p->y += ROW_PAD;
		set_gray(p, 0.35);
		flow(p, MARGIN, l);
		g_object_unref(l);
	}
	for (i = 0; i < d->n_review_lines && d->review_lines; i++) {
		PangoLayout *l = layout_new(p, d->review_lines[i], p->body, CONTENT_W, PANGO_ALIGN_LEFT);

		if (i == 0)
			heading(p, title, layout_height(l) + 2 * ROW_PAD);
		p->y += ROW_PAD / 2;
		set_gray(p, 0);
		flow(p, MARGIN, l);
		p->y += ROW_PAD / 2;
		g_object_unref(l);
	}
	free(title);
}

/* Lays out (and in the drawing pass draws) the whole document; the page count after it. */
static int
document(struct pen *p, const struct agreement_doc *d, const QRcode *qr)
{
	const char *verb = d->verb && strcmp(d->verb, "鉴证") == 0 ? "鉴证" : "审核";
	const struct field student[] = {
		{ "姓名", d->name, false },
		{ "性别", d->sex, false },
		{ "学号", d->student_no, false },
		{ "身份证号", d->id_number, false },
		{ "学校名称", d->school_name, false },
		{ "院系", d->dept, false },
		{ "专业", d->major, false },
		{ "学历层次", d->level, false },
		{ "培养方式", d->training_mode, false },
		{ "手机号码", d->mobile, false },
		{ "电子邮箱", d->email, true },
	};
	const struct field employer[] = {
		{ "单位名称", d->employer_name, true },
		{ "统一社会信用代码", d->uscc, false },
		{ "单位性质", d->nature, false },
		{ "单位行业", d->industry, false },
		{ "单位所在地", d->location, false },
		{ "联系人", d->contact_name, false },
		{ "联系电话", d->contact_phone, false },
	};
	const struct field terms[] = {
		{ "工作职位类别", d->position_category, false },
		{ "岗位名称", d->position, false },
		{ "工作地点", d->work_location, false },
		{ "月薪", d->salary, false },
		{ "档案转寄单位", d->archive_unit, true },
		{ "档案转寄地址", d->archive_address, false },
		{ "档案邮政编码", d->archive_postcode, false },
		{ "户口迁移单位", d->hukou_unit, true },
		{ "户口迁移地址", d->hukou_address, true },
	};
	const struct field school[] = {
		{ "就业协议经办人", d->handler, false },
		{ "联系电话", d->phone, false },
		{ "学校通讯地址", d->address, false },
		{ "邮政编码", d->postcode, false },
	};

	p->page = 1;
	p->y = MARGIN;
	header(p, d, qr);
	section(p, "学生信息", student, ARRAY_SIZE(student));
	section(p, "用人单位信息", employer, ARRAY_SIZE(employer));
	section(p, "协议内容", terms, ARRAY_SIZE(terms));
	section(p, "学校信息", school, ARRAY_SIZE(school));
	review(p, d, verb);
	footer(p);
	if (p->draw)
		cairo_show_page(p->cr);
	return p->page;
}

/* ---- the file ------------------------------------------------------------- */

struct sink {
	FILE *f;
	int errnum;                /* the first write error, or 0 */
};

static cairo_status_t
sink_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct sink *s = closure;

	if (s->errnum)
		return CAIRO_STATUS_WRITE_ERROR;
	if (fwrite(data, 1, length, s->f) != length) {
		s->errnum = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}


/* True when fontconfig knows the document's font family. */
static bool
font_installed(PangoFontMap *map)
{
	PangoFontFamily **families = NULL;
	int n = 0, i;
	bool found = false;

	pango_font_map_list_families(map, &families, &n);
	for (i = 0; i < n && !found; i++)
		found = g_ascii_strcasecmp(pango_font_family_get_name(families[i]),
			AGREEMENT_PDF_FONT) == 0;
	g_free(families);
	return found;
}

/* Fills err for a cairo status (the Chinese cause; cairo's English text goes to err->server). */
static bool
cairo_fail(struct wq_err *err, const char *path, cairo_status_t st, int errnum)
{
	if (errnum)
		return wq_err_set(err, WQ_ERR_IO, "%s: 写入 PDF 失败：%s", path, wq_errno_text(errnum));
	if (st == CAIRO_STATUS_NO_MEMORY)
		wq_err_set(err, WQ_ERR_OOM, "%s: 生成 PDF 失败：内存不足", path);
	else
		wq_err_set(err, WQ_ERR_IO, "%s: 生成 PDF 失败（cairo 状态 %d）", path, (int)st);
	if (err)
		snprintf(err->server, sizeof(err->server), "cairo: %s", cairo_status_to_string(st));
	return false;
}

/*
 * Lays d out on PDF pages into a temporary file and renames it to path.
 * The caller keeps qr (may be NULL), the cleaned protocol number and fonts.
 */
static bool
write_file(const struct agreement_doc *d, const char *path, const QRcode *qr,
	const char *protocol_no, PangoFontMap *fonts, struct wq_err *err)
{
	struct sink sink = { NULL, 0 };
	struct pen pen;
	cairo_surface_t *surface;
	cairo_status_t st;
	char *tmp, *title;
	bool ok = false;
	int fd, saved;

	tmp = tmp_create(path, &fd);
	if (!tmp)
		return wq_err_set(err, WQ_ERR_IO, "%s: 无法创建文件：%s", path, wq_errno_text(errno));
	sink.f = fdopen(fd, "wb");
	if (!sink.f) {
		saved = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		return wq_err_set(err, WQ_ERR_IO, "%s: 无法创建文件：%s", path, wq_errno_text(saved));
	}

	surface = cairo_pdf_surface_create_for_stream(sink_write, &sink, PAGE_W, PAGE_H);
	title = clean_text(d->title);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
		*title ? title : "就业协议书");
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "wq");
	free(title);

	memset(&pen, 0, sizeof(pen));
	pen.cr = cairo_create(surface);
	pen.pango = pango_font_map_create_context(fonts);
	pango_cairo_update_context(pen.cr, pen.pango);
	pango_cairo_context_set_resolution(pen.pango, 72);
	pen.protocol_no = protocol_no;
	pen.title = font(TITLE_PT, PANGO_WEIGHT_BOLD);
	pen.head = font(HEAD_PT, PANGO_WEIGHT_BOLD);
	pen.body = font(BODY_PT, PANGO_WEIGHT_NORMAL);
	pen.label = font(BODY_PT - 1, PANGO_WEIGHT_NORMAL);
	pen.small = font(SMALL_PT, PANGO_WEIGHT_NORMAL);

	pen.draw = false;
	pen.pages = document(&pen, d, qr);
	pen.draw = true;
	document(&pen, d, qr);

	st = cairo_status(pen.cr);
	pango_font_description_free(pen.title);
	pango_font_description_free(pen.head);
	pango_font_description_free(pen.body);
	pango_font_description_free(pen.label);
	pango_font_description_free(pen.small);
	g_object_unref(pen.pango);
	cairo_destroy(pen.cr);
	cairo_surface_finish(surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(surface);
	cairo_surface_destroy(surface);

	if (st != CAIRO_STATUS_SUCCESS || sink.errnum) {
		cairo_fail(err, path, st, sink.errnum);
		fclose(sink.f);
	} else if (fflush(sink.f) != 0 || fsync(fileno(sink.f)) != 0) {
		saved = errno;
		fclose(sink.f);
		wq_err_set(err, WQ_ERR_IO, "%s: 写入 PDF 失败：%s", path, wq_errno_text(saved));
	} else if (fclose(sink.f) != 0) {
		wq_err_set(err, WQ_ERR_IO, "%s: 写入 PDF 失败：%s", path, wq_errno_text(errno));
	} else if (rename(tmp, path) != 0) {
		wq_err_set(err, WQ_ERR_IO, "%s: 无法保存 PDF：%s", path, wq_errno_text(errno));
	} else {
		ok = true;
	}
	if (!ok)
		unlink(tmp);
	free(tmp);
	return ok;
}

bool
agreement_pdf_write(const struct agreement_doc *d, const char *path, struct wq_err *err)
{
	PangoFontMap *fonts;
	QRcode *qr = NULL;
	char *protocol_no;
	size_t cap;
	bool ok;

	if (!d)
		return wq_err_set(err, WQ_ERR_USAGE, "没有要写入的就业协议书");
	if (str_empty(path))
		return wq_err_set(err, WQ_ERR_USAGE, "没有指定就业协议书 PDF 的保存位置");

	cap = (d->protocol_no ? strlen(d->protocol_no) * 3 : 0) + 1;   /* room for U+FFFD */
	protocol_no = xmalloc(cap);
	agreement_qr_payload(d->protocol_no, protocol_no, cap);
	if (*protocol_no) {
		qr = QRcode_encodeString(protocol_no, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
		if (!qr) {
			int saved = errno;

			free(protocol_no);
			if (saved == ERANGE)
				return wq_err_set(err, WQ_ERR_INPUT, "%s: 协议书编号太长，无法生成二维码", path);
			return wq_err_set(err, WQ_ERR_IO, "%s: 无法生成二维码：%s", path,
				wq_errno_text(saved));
		}
	}

	/*
	 * A font map of this call's own (not pango's per-thread default), freed
	 * at the end with the fonts and glyph caches it holds.
	 */
	fonts = pango_cairo_font_map_new();
	if (font_installed(fonts))
		ok = write_file(d, path, qr, protocol_no, fonts, err);
	else
		ok = wq_err_set(err, WQ_ERR_IO, "%s: 无法生成 PDF：未安装字体 %s（Debian 软件包 "
			"fonts-wqy-microhei）", path, AGREEMENT_PDF_FONT);
	g_object_unref(fonts);
	if (qr)
		QRcode_free(qr);
	free(protocol_no);
	return ok;
}
