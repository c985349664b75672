/*
 * str.c: measuring and cutting text to terminal cells.
 *
 * The text is walked as a sequence of "units".  A unit is either one valid
 * code point drawn as itself (a glyph, 0, 1 or 2 cells, which can never be
 * split) or an escape ("\n", "\x1b", "\u202e", "\xff" for a bad byte), which
 * is plain ASCII, one cell per byte, and so may be cut anywhere.  str_width()
 * and str_fit() both walk the same units through next_unit(), so what is
 * measured is exactly what is drawn.
 */
#include "str.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

#include "util.h"

#define CP_INVALID ((unsigned int)-1)

/* One thing drawn on screen: a glyph or an escape. */
struct unit {
	char text[8];       /* UTF-8 of the glyph, or the ASCII escape */
	size_t len;         /* bytes in text */
	size_t width;       /* cells */
	bool glyph;         /* true: a code point that must not be split */
};

/* The output buffer of str_fit(): never overflows, stays NUL-terminated. */
struct sink {
	char *out;
	size_t size;
	size_t len;
	size_t cells;
	size_t max_cells;
	bool full;          /* once something did not fit, nothing more is written */
};

static bool
is_bidi_control(unsigned int cp)
{
	return cp == 0x200E || cp == 0x200F || cp == 0x061C
		|| (cp >= 0x202A && cp <= 0x202E)
		|| (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * The escape for a code point that is never drawn raw, into buf (8 bytes);
 * returns its length, or 0 when cp is drawn as itself.
 */
static size_t
escape_cp(unsigned int cp, char buf[8])
{
	if (cp == '\n')
		return (size_t)snprintf(buf, 8, "\\n");
	if (cp == '\t')
		return (size_t)snprintf(buf, 8, "\\t");
	if (cp == '\r')
		return (size_t)snprintf(buf, 8, "\\r");
	if (cp < 0x20 || cp == 0x7F)
		return (size_t)snprintf(buf, 8, "\\x%02x", cp);
	if ((cp >= 0x80 && cp <= 0x9F) || is_bidi_control(cp)
	    || cp == 0x2028 || cp == 0x2029)
		return (size_t)snprintf(buf, 8, "\\u%04x", cp);
	return 0;
}

/*
 * Reads the next unit at *p and advances *p.  Returns false at the NUL.
 * This is the only place that decides how text looks and how wide it is.
 */
static bool
next_unit(const char **p, struct unit *u)
{
	unsigned int cp;
	int n;
	int w;

	if (**p == '\0')
		return false;
	/* 4 is safe: the decoder stops at the first byte (the NUL included) that does not continue a sequence. */
	n = str_utf8_decode(*p, 4, &cp);
	if (cp == CP_INVALID) {
		u->len = (size_t)snprintf(u->text, sizeof(u->text), "\\x%02x",
			(unsigned int)(unsigned char)**p);
		u->width = u->len;
		u->glyph = false;
		*p += 1;
		return true;
	}
	u->len = escape_cp(cp, u->text);
	if (u->len > 0) {
		u->width = u->len;
		u->glyph = false;
	} else {
		memcpy(u->text, *p, (size_t)n);
		u->len = (size_t)n;
		w = utf8proc_charwidth((utf8proc_int32_t)cp);
		u->width = w > 0 ? (size_t)w : 0;
		u->glyph = true;
	}
	*p += n;
	return true;
}

/* Appends n bytes worth cells; drops them (and everything after) if they do not fit. */
static void
sink_put(struct sink *k, const char *bytes, size_t n, size_t cells)
{
	if (k->full || n >= k->size - k->len) {
		k->full = true;
		return;
	}
	memcpy(k->out + k->len, bytes, n);
	k->len += n;
	k->out[k->len] = '\0';
	k->cells += cells;
}

/*
 * Appends the cells [from, to) of unit u.  The whole unit is written as is;
 * a part of an escape is written as that part of its text; a part of a glyph
 * (half of a wide character) becomes spaces.
 */
static void
sink_unit(struct sink *k, const struct unit *u, size_t from, size_t to)
{
	size_t i;

	if (u->width == 0) {
		/*
		 * A zero-width mark is dropped unless it leaves room for the
		 * worst case of the cells still to come (4 bytes each) and the
		 * NUL, so that STR_FIT_BUFSIZE always holds every visible cell.
		 */
		if (!k->full && k->cells <= k->max_cells
		    && u->len + 4 * (k->max_cells - k->cells) < k->size - k->len)
			sink_put(k, u->text, u->len, 0);
		return;
	}
	if (from == 0 && to == u->width) {
		sink_put(k, u->text, u->len, u->width);
		return;
	}
	if (!u->glyph) {
		sink_put(k, u->text + from, to - from, to - from);
		return;
	}
	for (i = from; i < to; i++)
		sink_put(k, " ", 1, 1);
}

/*
 * str_width: cells that s takes on screen, escapes included.  NULL counts as "".
 */
char *
str_visible(const char *s)
{
	size_t w = str_width(s), size = (s ? strlen(s) : 0) * 6 + STR_FIT_BUFSIZE(w);
	char *out = xmalloc(size);

	str_fit(s, 0, w, 0, out, size);
	return out;
}

size_t
str_width(const char *s)
{
	struct unit u;
	size_t cells = 0;

	if (!s)
		return 0;
	while (next_unit(&s, &u))
		cells += u.width;
	return cells;
}

/*
 * str_fit: the part of s visible after skip_cells cells, in at most max_cells
 * cells, into out (outsize bytes, always NUL-terminated when outsize > 0).
 *
 * The walk has three steps.  (1) Units wholly left of the window are skipped;
 * zero-width units right after a skipped one belong to it and are skipped
 * too.  (2) Units are written while they fit into the limit: max_cells, or
 * max_cells - 1 when a cut would need room for the ellipsis.  (3) At the
 * first unit that does not fit, with STR_FIT_ELLIPSIS a bounded look-ahead
 * decides whether the rest still fits into max_cells (then it is written and
 * nothing is cut) or not (then the edge is filled and the mark written).
 * Returns the cells actually written (padding and mark included).
 */
size_t
str_fit(const char *s, size_t skip_cells, size_t max_cells, int flags,
	char *out, size_t outsize)
{
	struct sink k = { out, outsize, 0, 0, max_cells, false };
	struct unit u;
	const char *p = s ? s : "";
	const char *mark = (flags & STR_FIT_ASCII) ? "~" : "\xe2\x80\xa6" /* U+2026 … */;
	bool ellipsis = (flags & (STR_FIT_ELLIPSIS | STR_FIT_ASCII)) && max_cells > 0;
	size_t limit = ellipsis ? max_cells - 1 : max_cells;
	size_t pos = 0;     /* cells of s before the current unit */
	size_t off = 0;     /* cells of the current unit left of the window */
	size_t col = 0;     /* cells laid out so far (even if out is too small) */
	bool have;
	bool cut = false;

	if (!out || outsize == 0)
		return 0;
	out[0] = '\0';

	/* (1) skip */
	have = next_unit(&p, &u);
	if (skip_cells > 0) {
		while (have && pos + u.width <= skip_cells) {
			pos += u.width;
			have = next_unit(&p, &u);
		}
		if (have)
			off = skip_cells - pos;
	}

	/* (2) write what fits into limit */
	while (have && col + (u.width - off) <= limit) {
		sink_unit(&k, &u, off, u.width);
		col += u.width - off;
		off = 0;
		have = next_unit(&p, &u);
	}

	/* (3) the first unit that does not fit */
	if (have && ellipsis) {
		const char *q = p;
		struct unit v;
		size_t total = col + (u.width - off);

		while (total <= max_cells && next_unit(&q, &v))
			total += v.width;
		cut = total > max_cells;
		if (!cut) {
			/* everything left fits after all: write it, no mark */
			do {
				sink_unit(&k, &u, off, u.width);
				col += u.width - off;
				off = 0;
			} while (next_unit(&p, &u));
		}
	} else if (have) {
		cut = true;
	}
	if (cut) {
		/* fill the edge: part of an escape, or spaces for a wide glyph */
		if (col < limit)
			sink_unit(&k, &u, off, off + (limit - col));
		if (ellipsis)
			sink_put(&k, mark, strlen(mark), 1);
	}

	if (flags & STR_FIT_PAD)
		while (!k.full && k.cells < max_cells)
			sink_put(&k, " ", 1, 1);
	return k.cells;
}

/*
 * str_cp_width: cells of one code point as drawn: the length of its escape
 * for controls, bidi controls and line/paragraph separators, else its
 * utf8proc width.  (unsigned)-1 (a bad byte, "\xNN") counts 4.
 */
int
str_cp_width(unsigned int cp)
{
	char buf[8];
	size_t n;
	int w;

	if (cp == CP_INVALID || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 4;
	n = escape_cp(cp, buf);
	if (n > 0)
		return (int)n;
	w = utf8proc_charwidth((utf8proc_int32_t)cp);
	return w > 0 ? w : 0;
}

/*
 * str_utf8_decode: one strict UTF-8 code point.  Overlong forms, surrogates,
 * values above U+10FFFF, stray continuation bytes and truncated sequences
 * are invalid: 1 byte is consumed and *cp = (unsigned)-1.  Bytes are read in
 * order and reading stops at the first one that does not continue the
 * sequence, so a NUL terminator is never read past.  len == 0 returns 0.
 */
int
str_utf8_decode(const char *s, size_t len, unsigned int *cp)
{
	const unsigned char *b = (const unsigned char *)s;
	unsigned int c, min;
	size_t need, i;

	*cp = CP_INVALID;
	if (len == 0)
		return 0;
	c = b[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1, min = 0x80, c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2, min = 0x800, c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3, min = 0x10000, c &= 0x07;
	} else {
		return 1;   /* continuation byte, C0, C1 or F5..FF */
	}
	if (len < need + 1)
		return 1;
	for (i = 1; i <= need; i++) {
		if ((b[i] & 0xC0) != 0x80)
			return 1;
		c = (c << 6) | (b[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 1;
	*cp = c;
	return (int)need + 1;
}

/*
 * str_utf8_encode: cp as UTF-8 into out (4 bytes room).  Returns the bytes
 * written, or 0 (nothing written) for a surrogate or a value above U+10FFFF.
 */
int
str_utf8_encode(unsigned int cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		o[0] = (unsigned char)(0xF0 | (cp >> 18));
		o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (unsigned char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

size_t
str_utf8_count(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

unsigned int
str_halfwidth(unsigned int cp)
{
	if (cp >= 0xFF10 && cp <= 0xFF19)        /* ０-９ */
		return '0' + (cp - 0xFF10);
	if (cp >= 0xFF21 && cp <= 0xFF3A)        /* Ａ-Ｚ */
		return 'A' + (cp - 0xFF21);
	if (cp >= 0xFF41 && cp <= 0xFF5A)        /* ａ-ｚ */
		return 'a' + (cp - 0xFF41);
	if (cp == 0x3000)
		return ' ';
	return cp;
}

size_t
str_utf8_prev(const char *s, size_t off)
{
	if (off == 0)
		return 0;
	off--;
	while (off > 0 && ((unsigned char)s[off] & 0xC0) == 0x80)
		off--;
	return off;
}

size_t
str_utf8_next(const char *s, size_t len, size_t off)
{
	unsigned int cp;

	if (off >= len)
		return len;
	return off + (size_t)str_utf8_decode(s + off, len - off, &cp);
}

bool
str_is_control(unsigned int cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

bool
str_edit_insert(char *buf, size_t cap, size_t *len, size_t *cursor, unsigned int cp)
{
	char enc[4];
	int n = str_utf8_encode(cp, enc);

	if (n <= 0 || *len + (size_t)n >= cap)
		return false;
	memmove(buf + *cursor + n, buf + *cursor, *len - *cursor + 1);
	memcpy(buf + *cursor, enc, (size_t)n);
	*len += (size_t)n;
	*cursor += (size_t)n;
	return true;
}

bool
str_edit_backspace(char *buf, size_t *len, size_t *cursor)
{
	size_t p;

	if (*cursor == 0)
		return false;
	p = str_utf8_prev(buf, *cursor);
	memmove(buf + p, buf + *cursor, *len - *cursor + 1);
	*len -= *cursor - p;
	*cursor = p;
	return true;
}

bool
str_edit_delete(char *buf, size_t *len, size_t cursor)
{
	size_t p;

	if (cursor >= *len)
		return false;
	p = str_utf8_next(buf, *len, cursor);
	memmove(buf + cursor, buf + p, *len - p + 1);
	*len -= p - cursor;
	return true;
}
