/*
 * csv.c: the CSV reader and writer (see csv.h).
 *
 * csv_parse() works in three steps: refuse what is plainly not a CSV text
 * file, turn the input into one UTF-8 block (a copy, or the GBK decoding),
 * then split that block in place.  Splitting only ever writes behind where
 * it reads (quotes and separators are dropped, "" and CRLF shrink), so the
 * block itself holds every field's bytes and its NUL; the field pointers of
 * all records live in one more array.  Three allocations in all, whatever
 * the size of the file.
 */
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "str.h"
#include "util.h"

/* Rows csv_check_widths() reports one by one before it only counts. */
#define CSV_WIDTH_REPORTS 20

/* AUTO: valid 3- and 4-byte sequences per invalid one that still mean "damaged UTF-8". */
#define CSV_UTF8_MAJORITY 8

/* The physical line (1-based) of byte pos: LF, CRLF and a lone CR each end a line. */
static int
line_at(const char *s, size_t pos)
{
	int line = 1;
	size_t i;

	for (i = 0; i < pos; i++) {
		if (s[i] == '\n')
			line++;
		else if (s[i] == '\r' && s[i + 1] != '\n')
			line++;
	}
	return line;
}

/* Refuses UTF-16 text and Excel workbooks with a message that tells what to do. */
static bool
check_signature(const unsigned char *u, size_t len, struct wq_err *err)
{
	static const unsigned char xls[] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };

	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
		return wq_err_set(err, WQ_ERR_INPUT,
			"文件是 UTF-16 编码（Excel 的“Unicode 文本”），"
			"请另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”");
	if (len >= 4 && memcmp(u, "PK\x03\x04", 4) == 0)
		return wq_err_set(err, WQ_ERR_INPUT,
			"这是 Excel 工作簿（.xlsx），不是 CSV 文件：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”");
	if (len >= sizeof(xls) && memcmp(u, xls, sizeof(xls)) == 0)
		return wq_err_set(err, WQ_ERR_INPUT,
			"这是 Excel 工作簿（.xls），不是 CSV 文件：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”");
	return true;
}

/* True when the 8 bytes at s are ASCII and none is NUL. */
static inline bool
ascii8(const char *s)
{
	uint64_t v;

	memcpy(&v, s, sizeof(v));
	return ((v | (v - 0x0101010101010101u)) & 0x8080808080808080u) == 0;
}

/*
 * Scans s for UTF-8 validity.  Returns the offset of the first NUL byte or,
 * when there is none before it, of the first invalid byte; len when there
 * is neither.  With counts (AUTO), goes on past invalid bytes to the end (or
 * a NUL), counting them and the valid sequences of three or four bytes.
 */
static size_t
utf8_scan(const char *s, size_t len, size_t *nbad, size_t *nlong)
{
	size_t i = 0, first = len;

	while (i < len) {
		unsigned int cp, b;
		int k;

		if (i + 8 <= len && ascii8(s + i)) {
			i += 8;
			continue;
		}
		b = (unsigned char)s[i];
		if (b < 0x80) {
			if (b == 0)
				return i;
			i++;
			continue;
		}
		/* Most of a Chinese file: E1..EC, EE, EF and two continuation bytes. */
		if (b >= 0xE1 && b <= 0xEF && b != 0xED && i + 2 < len &&
		    ((unsigned char)s[i + 1] & 0xC0) == 0x80 && ((unsigned char)s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			if (nlong)
				(*nlong)++;
			continue;
		}
		k = str_utf8_decode(s + i, len - i, &cp);
		if (cp == (unsigned int)-1) {
			if (first == len)
				first = i;
			if (!nbad)
				return first;
			(*nbad)++;
		} else if (k >= 3 && nlong) {
			(*nlong)++;
		}
		i += (size_t)k;
	}
	return first;
}

/* The error for a NUL byte at offset off of data. */
static bool
nul_error(const char *data, size_t off, struct wq_err *err)
{
	return wq_err_set(err, WQ_ERR_INPUT, "第 %d 行：含有空字节（0x00），不像是 CSV 文本文件",
		line_at(data, off));
}

/* A growing output block for the GBK decoder. */
struct dbuf {
	char *p;
	size_t len, cap;
};

static void
dbuf_reserve(struct dbuf *d, size_t more)
{
	if (d->cap - d->len >= more)
		return;
	while (d->cap - d->len < more)
		d->cap = d->cap ? d->cap * 2 : 4096;
	d->p = xrealloc(d->p, d->cap);
}

/* Decodes raw[from, to), which holds no lone 0x80, with cd into d. */
static bool
gbk_run(iconv_t cd, const char *raw, size_t from, size_t to, struct dbuf *d,
	struct wq_err *err)
{
	char *in = (char *)raw + from;
	size_t inleft = to - from;

	while (inleft > 0) {
		char *o;
		size_t oleft, rc, off;

		/* UTF-8 never needs more than 3 bytes for 2 of GBK (4 for 4 of GB18030). */
		dbuf_reserve(d, inleft + inleft / 2 + 16);
		o = d->p + d->len;
		oleft = d->cap - d->len;
		rc = iconv(cd, &in, &inleft, &o, &oleft);
		d->len = (size_t)(o - d->p);
		if (rc != (size_t)-1)
			break;
		if (errno == E2BIG) {
			dbuf_reserve(d, d->cap);
			continue;
		}
		off = (size_t)(in - raw);
		return wq_err_set(err, WQ_ERR_INPUT, "第 %d 行：不是有效的 GBK 编码（字节 0x%02X）",
			line_at(raw, off), (unsigned char)raw[off]);
	}
	return true;
}

/*
 * Decodes GBK (as GB18030, its superset) into a new UTF-8 block: *text
 * (len + 1 bytes room, to free) and *n.  glibc's GB18030 refuses the CP936
 * single byte 0x80 (the euro sign), so runs are cut at every 0x80 that
 * stands alone, and it is written as "€" here.
 */
static bool
gbk_decode(const char *raw, size_t len, char **text, size_t *n, struct wq_err *err)
{
	const unsigned char *u = (const unsigned char *)raw;
	struct dbuf d = { NULL, 0, 0 };
	iconv_t cd;
	size_t i = 0, run = 0;
	bool ok = true;

	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return wq_err_set(err, WQ_ERR_INPUT, "无法解码 GBK：%s", wq_errno_text(errno));
	dbuf_reserve(&d, len + len / 2 + 16);
	while (i < len) {
		unsigned char b = u[i];

		if (b < 0x80) {
			if (b == 0) {
				ok = nul_error(raw, i, err);
				break;
			}
			i++;
		} else if (b == 0x80) {
			if (!(ok = gbk_run(cd, raw, run, i, &d, err)))
				break;
			dbuf_reserve(&d, 3);
			memcpy(d.p + d.len, "\xE2\x82\xAC", 3);
			d.len += 3;
			run = ++i;
		} else if (b <= 0xFE && i + 1 < len) {
			/* A lead byte: two bytes, or four when a digit follows (GB18030). */
			i += u[i + 1] >= 0x30 && u[i + 1] <= 0x39 ? 4 : 2;
		} else {
			i++;   /* 0xFF, or a lead byte at the end: iconv reports it */
		}
	}
	if (ok)
		ok = gbk_run(cd, raw, run, len, &d, err);
	iconv_close(cd);
	if (!ok) {
		free(d.p);
		return false;
	}
	dbuf_reserve(&d, 1);
	*text = d.p;
	*n = d.len;
	return true;
}

/* Strips leading BOMs and surrounding spaces (ASCII space, tab, U+3000) from a header field. */
static char *
trim_header(char *s)
{
	char *end;

	for (;;) {
		if (strncmp(s, "\xEF\xBB\xBF", 3) == 0 || strncmp(s, "\xE3\x80\x80", 3) == 0)
			s += 3;
		else if (*s == ' ' || *s == '\t')
			s++;
		else
			break;
	}
	end = s + strlen(s);
	for (;;) {
		if (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		else if (end - s >= 3 && memcmp(end - 3, "\xE3\x80\x80", 3) == 0)
			end -= 3;
		else
			break;
	}
	*end = '\0';
	return s;
}

/* The growing arrays of the splitter. */
struct split {
	struct csv_record *rec;
	size_t nrec, caprec;
	char **fv;
	size_t nfv, capfv;
};

static void
split_field(struct split *sp, char *f)
{
	if (sp->nfv == sp->capfv) {
		sp->capfv *= 2;
		sp->fv = xrealloc(sp->fv, sp->capfv * sizeof(*sp->fv));
	}
	sp->fv[sp->nfv++] = f;
}

static void
split_record(struct split *sp, int line, int nfields)
{
	if (sp->nrec == sp->caprec) {
		sp->caprec *= 2;
		sp->rec = xrealloc(sp->rec, sp->caprec * sizeof(*sp->rec));
	}
	sp->rec[sp->nrec].line = line;
	sp->rec[sp->nrec].nfields = nfields;
	sp->rec[sp->nrec].fields = NULL;   /* set once fv stops moving */
	sp->nrec++;
}

/*
 * Splits src[0, n) (UTF-8) into records written to p (n + 1 bytes room),
 * and fills out's records, fieldv_ and nrecords.  p may be src, or lie
 * before it in the same block: every byte is written at or before the
 * place it was read from.  On failure frees what it allocated.
 */
static bool
split_text(const char *src, size_t n, char *p, struct csv *out, struct wq_err *err)
{
	struct split sp;
	size_t r = 0, w = 0, i, first;
	int line = 1;

	sp.caprec = n / 128 + 16;
	sp.capfv = n / 16 + 64;
	sp.nrec = sp.nfv = 0;
	sp.rec = xmalloc(sp.caprec * sizeof(*sp.rec));
	sp.fv = xmalloc(sp.capfv * sizeof(*sp.fv));

	while (r < n) {
		int start = line, col = 0;

		/* An empty line: no record, but it counts. */
		if (src[r] == '\n') {
			r++;
			line++;
			continue;
		}
		if (src[r] == '\r') {
			r += r + 1 < n && src[r + 1] == '\n' ? 2 : 1;
			line++;
			continue;
		}
		for (;;) {
			char *f = p + w;
			int c;

			col++;
			if (r < n && src[r] == '"') {
				int open = line;

				r++;
				for (;;) {
					if (r >= n) {
						wq_err_set(err, WQ_ERR_INPUT, "第 %d 行第 %d 列：引号没有闭合", open, col);
						goto fail;
					}
					c = src[r];
					if (c == '"') {
						if (r + 1 < n && src[r + 1] == '"') {
							p[w++] = '"';
							r += 2;
							continue;
						}
						r++;
						break;
					}
					if (c == '\r' || c == '\n') {
						p[w++] = '\n';
						r += c == '\r' && r + 1 < n && src[r + 1] == '\n' ? 2 : 1;
						line++;
						continue;
					}
					p[w++] = (char)c;
					r++;
				}
				if (r < n && src[r] != ',' && src[r] != '\r' && src[r] != '\n') {
					wq_err_set(err, WQ_ERR_INPUT, "第 %d 行第 %d 列：引号后有多余字符", line, col);
					goto fail;
				}
			} else {
				while (r < n && (c = src[r]) != ',' && c != '\n' && c != '\r') {
					p[w++] = (char)c;
					r++;
				}
			}
			/* Read the separator before the NUL may land on it (w == r). */
			c = r < n ? (unsigned char)src[r] : -1;
			p[w++] = '\0';
			split_field(&sp, f);
			if (c == ',') {
				r++;
				continue;
			}
			if (c == '\r') {
				r += r + 1 < n && src[r + 1] == '\n' ? 2 : 1;
				line++;
			} else if (c == '\n') {
				r++;
				line++;
			}
			break;
		}
		split_record(&sp, start, col);
	}
	if (sp.nrec == 0) {
		wq_err_set(err, WQ_ERR_INPUT, "文件为空");
		goto fail;
	}
	for (i = 0, first = 0; i < sp.nrec; i++) {
		sp.rec[i].fields = sp.fv + first;
		first += (size_t)sp.rec[i].nfields;
	}
	for (i = 0; i < (size_t)sp.rec[0].nfields; i++)
		sp.rec[0].fields[i] = trim_header(sp.rec[0].fields[i]);
	out->records = sp.rec;
	out->nrecords = (int)sp.nrec;
	out->fieldv_ = sp.fv;
	return true;
fail:
	free(sp.rec);
	free(sp.fv);
	return false;
}

/*
 * The body of csv_parse() and csv_read_file().  own is NULL, or data itself
 * as a block from xmalloc with len + 1 bytes room: then it is used for the
 * fields (no copy) or freed, in every case.
 */
static bool
parse(const char *data, size_t len, char *own, enum csv_encoding enc,
	struct csv *out, struct wq_err *err)
{
	const unsigned char *u = (const unsigned char *)data;
	enum csv_encoding use;
	size_t skip, bad, nbad = 0, nlong = 0, n = 0;
	const char *src;
	char *text = NULL;
	bool bom;

	memset(out, 0, sizeof(*out));
	if (!data)
		len = 0;
	if (len > CSV_MAX_BYTES) {
		wq_err_set(err, WQ_ERR_INPUT, "文件过大（超过 %zu MiB）", CSV_MAX_BYTES >> 20);
		goto fail;
	}
	if (!check_signature(u, len, err))
		goto fail;
	bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
	skip = bom ? 3 : 0;
	if (len == skip) {
		wq_err_set(err, WQ_ERR_INPUT, "文件为空");
		goto fail;
	}
	if (bom && enc == CSV_ENC_GBK) {
		wq_err_set(err, WQ_ERR_INPUT, "文件以 UTF-8 的 BOM 开头，不是 GBK 编码");
		goto fail;
	}

	if (bom || enc == CSV_ENC_UTF8) {
		use = CSV_ENC_UTF8;
		bad = utf8_scan(data, len, NULL, NULL);
	} else if (enc == CSV_ENC_GBK) {
		use = CSV_ENC_GBK;
		bad = len;   /* gbk_decode() checks */
	} else {
		bad = utf8_scan(data, len, &nbad, &nlong);
		if (bad == len || data[bad] == '\0')
			use = CSV_ENC_UTF8;
		else if (nlong >= CSV_UTF8_MAJORITY * nbad)
			use = CSV_ENC_UTF8;   /* damaged UTF-8: say so, do not make mojibake */
		else
			use = CSV_ENC_GBK, bad = len;
	}
	if (bad < len) {
		if (data[bad] == '\0')
			nul_error(data, bad, err);
		else
			wq_err_set(err, WQ_ERR_INPUT, "第 %d 行：不是有效的 UTF-8 编码（字节 0x%02X）",
				line_at(data, bad), u[bad]);
		goto fail;
	}

	if (use == CSV_ENC_UTF8) {
		src = data + skip;
		n = len - skip;
		text = own ? own : xmalloc(n + 1);
	} else {
		if (!gbk_decode(data, len, &text, &n, err))
			goto fail;
		free(own);   /* data is gone from here on */
		src = text;
	}
	if (!split_text(src, n, text, out, err)) {
		free(text);
		memset(out, 0, sizeof(*out));
		return false;
	}
	out->text_ = text;
	out->encoding = use;
	out->had_bom = bom;
	return true;
fail:
	free(own);
	return false;
}

/*
 * csv_parse: data is only read; *out owns a UTF-8 copy (or decoding) of it
 * and the arrays that point into that copy.  Free with csv_free().
 */
bool
csv_parse(const char *data, size_t len, enum csv_encoding enc, struct csv *out,
	struct wq_err *err)
{
	return parse(data, len, NULL, enc, out, err);
}

/* csv_read_file: as csv_parse(); the file's bytes are freed before it returns. */
bool
csv_read_file(const char *path, enum csv_encoding enc, struct csv *out,
	struct wq_err *err)
{
	char *data;
	size_t len;
	bool ok;

	memset(out, 0, sizeof(*out));
	if (read_whole_file(path, CSV_MAX_BYTES, &data, &len) != 0) {
		if (errno == EISDIR)
			return wq_err_set(err, WQ_ERR_IO, "%s: 是目录，不是 CSV 文件", path);
		if (errno == EFBIG)
			return wq_err_set(err, WQ_ERR_IO, "%s: 文件过大（超过 %zu MiB）",
				path, CSV_MAX_BYTES >> 20);
		return wq_err_set(err, WQ_ERR_IO, "%s: 无法读取文件：%s", path, wq_errno_text(errno));
	}
	ok = parse(data, len, data, enc, out, err);   /* takes data */
	if (!ok && err) {
		char msg[sizeof(err->msg)];

		memcpy(msg, err->msg, sizeof(msg));
		wq_err_set(err, err->code, "%s: %s", path, msg);
	}
	return ok;
}

/* csv_free: frees what c owns (the three blocks) and zeroes it. */
void
csv_free(struct csv *c)
{
	if (!c)
		return;
	free(c->records);
	free(c->fieldv_);
	free(c->text_);
	memset(c, 0, sizeof(*c));
}

/* csv_encoding_name: a static string. */
const char *
csv_encoding_name(enum csv_encoding enc)
{
	switch (enc) {
	case CSV_ENC_UTF8:
		return "UTF-8";
	case CSV_ENC_GBK:
		return "GBK";
	case CSV_ENC_AUTO:
		break;
	}
	return "自动";
}

/* csv_encoding_from_name: name is only read. */
bool
csv_encoding_from_name(const char *name, enum csv_encoding *enc)
{
	static const struct {
		const char *name;
		enum csv_encoding enc;
	} names[] = {
		{ "auto", CSV_ENC_AUTO }, { "utf-8", CSV_ENC_UTF8 }, { "utf8", CSV_ENC_UTF8 },
		{ "gbk", CSV_ENC_GBK }, { "cp936", CSV_ENC_GBK }, { "gb18030", CSV_ENC_GBK },
		{ "gb2312", CSV_ENC_GBK },
	};
	size_t i;

	if (!name)
		return false;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			*enc = names[i].enc;
			return true;
		}
	}
	return false;
}

/* csv_nrows: c is only read. */
int
csv_nrows(const struct csv *c)
{
	return c && c->nrecords > 0 ? c->nrecords - 1 : 0;
}

/* csv_record_blank: r is only read. */
bool
csv_record_blank(const struct csv_record *r)
{
	int i;

	for (i = 0; i < r->nfields; i++)
		if (r->fields[i][0] != '\0')
			return false;
	return true;
}

/* csv_check_widths: c and name are only read; problems go into err. */
bool
csv_check_widths(const struct csv *c, const char *name, struct wq_err *err)
{
	int i, want, nbad = 0;

	if (!c || c->nrecords < 2)
		return true;
	want = c->records[0].nfields;
	for (i = 1; i < c->nrecords; i++) {
		const struct csv_record *r = &c->records[i];
		char where[64];

		if (r->nfields == want)
			continue;
		if (++nbad > CSV_WIDTH_REPORTS)
			continue;
		if (name)
			snprintf(where, sizeof(where), ":%d: ", r->line);
		else
			snprintf(where, sizeof(where), "第 %d 行：", r->line);
		if (nbad == 1)
			wq_err_set(err, WQ_ERR_INPUT, "%s%s有 %d 列，表头有 %d 列",
				name ? name : "", where, r->nfields, want);
		else
			wq_err_append(err, "%s%s有 %d 列，表头有 %d 列",
				name ? name : "", where, r->nfields, want);
	}
	if (nbad > CSV_WIDTH_REPORTS)
		wq_err_append(err, "……另有 %d 行列数与表头不同", nbad - CSV_WIDTH_REPORTS);
	return nbad == 0;
}

/* csv_write_field: s is only read. */
void
csv_write_field(FILE *out, const char *s)
{
	size_t len;
	const char *q;

	if (!s)
		s = "";
	len = strlen(s);
	if (len == 0)
		return;
	if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && s[0] != '\t' &&
	    s[len - 1] != ' ' && s[len - 1] != '\t') {
		fwrite(s, 1, len, out);
		return;
	}
	fputc('"', out);
	while ((q = strchr(s, '"')) != NULL) {
		fwrite(s, 1, (size_t)(q - s) + 1, out);
		fputc('"', out);
		s = q + 1;
	}
	fputs(s, out);
	fputc('"', out);
}

/* csv_write_record: fields are only read. */
void
csv_write_record(FILE *out, const char *const *fields, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', out);
		csv_write_field(out, fields[i]);
	}
	fputs("\r\n", out);
}

/* csv_write_bom: three bytes, EF BB BF. */
void
csv_write_bom(FILE *out)
{
	fwrite("\xEF\xBB\xBF", 1, 3, out);
}
