/*
 * export.c: a table to CSV or XLSX, defanged against formula injection and
 * written through a temporary file that is renamed at the end.  See export.h.
 */
#include "export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "str.h"
#include "util.h"

#define CSV_BOM "\xEF\xBB\xBF"
#define XLSX_NUMBER_MAX 11    /* longest plain decimal written as a number */
#define XLSX_WIDTH_MIN 4
#define XLSX_WIDTH_MAX 60
#define XLSX_SHEET_DEFAULT "Sheet1"
#define UTF8_REPLACEMENT "\xEF\xBF\xBD"  /* U+FFFD */

struct export_writer {
	enum export_format fmt;
	int ncols;
	char *path;              /* the target ("标准输出" for "-") */
	bool to_stdout;          /* "-": CSV straight to stdout, XLSX through a temporary file */
	char *tmp_path;          /* the temporary file next to it */
	bool *text_cols;         /* ncols flags (all true when the caller gave NULL) */
	unsigned long rows;      /* rows written, the header included */

	/* CSV */
	FILE *csv;
	int csv_errno;           /* the first write error, or 0 */

	/* XLSX */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *fmt_header;  /* bold */
	lxw_format *fmt_text;    /* number format "@" */
	size_t *widths;          /* widest cell of each column, in terminal cells */
};

/*
 * export_format_parse: "csv" or "xlsx", ASCII case-insensitive.
 */
bool
export_format_parse(const char *name, enum export_format *out)
{
	static const struct {
		const char *name;
		enum export_format fmt;
	} names[] = {
		{ "csv", EXPORT_CSV },
		{ "xlsx", EXPORT_XLSX },
	};
	size_t i, k;

	if (!name)
		return false;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		for (k = 0; names[i].name[k]; k++) {
			char c = name[k];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != names[i].name[k])
				break;
		}
		if (!names[i].name[k] && !name[k]) {
			*out = names[i].fmt;
			return true;
		}
	}
	return false;
}

/* True when a spreadsheet could take s for a formula (OWASP's list of leading characters). */
static bool
needs_defang(const char *s)
{
	switch (s[0]) {
	case '=':
	case '+':
	case '-':
	case '@':
	case '\t':
	case '\r':
		return true;
	default:
		return false;
	}
}

/*
 * export_defang: a new string, s with a leading "'" when it could start a
 * formula.  The caller frees it.
 */
char *
export_defang(const char *s)
{
	if (!s)
		return xstrdup("");
	if (needs_defang(s))
		return xasprintf("'%s", s);
	return xstrdup(s);
}

/* Flushes the file at path to disk; false with errno set on failure. */
static bool
sync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int saved;

	if (fd < 0)
		return false;
	if (fsync(fd) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return false;
	}
	return close(fd) == 0;
}

/* Frees w and everything it holds; removes the temporary file when remove_tmp. */
static void
writer_free(struct export_writer *w, bool remove_tmp)
{
	if (w->csv && !w->to_stdout)
		fclose(w->csv);
	if (w->wb)
		lxw_workbook_free(w->wb);
	if (remove_tmp && w->tmp_path)
		unlink(w->tmp_path);
	free(w->path);
	free(w->tmp_path);
	free(w->text_cols);
	free(w->widths);
	free(w);
}

/* ---- CSV ---- */

/* Appends n bytes; the first failure is remembered in w->csv_errno. */
static void
csv_put(struct export_writer *w, const char *s, size_t n)
{
	if (w->csv_errno || n == 0)
		return;
	errno = 0;
	if (fwrite(s, 1, n, w->csv) != n)
		w->csv_errno = errno ? errno : EIO;
}

/* True when a CSV field with this value must be quoted. */
static bool
csv_needs_quotes(const char *s)
{
	size_t len = strlen(s);

	if (len == 0)
		return false;
	if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
		return true;
	return strpbrk(s, ",\"\r\n") != NULL;
}

/* Writes one field (already defanged). */
static void
csv_field(struct export_writer *w, const char *s)
{
	const char *q;

	if (!csv_needs_quotes(s)) {
		csv_put(w, s, strlen(s));
		return;
	}
	csv_put(w, "\"", 1);
	while ((q = strchr(s, '"')) != NULL) {
		csv_put(w, s, (size_t)(q - s) + 1);
		csv_put(w, "\"", 1);
		s = q + 1;
	}
	csv_put(w, s, strlen(s));
	csv_put(w, "\"", 1);
}

static bool
csv_row(struct export_writer *w, const char *const *values, struct wq_err *err)
{
	int i;

	if (w->csv_errno)
		return wq_err_set(err, WQ_ERR_IO, "写入 %s 失败：%s", w->path, wq_errno_text(w->csv_errno));
	for (i = 0; i < w->ncols; i++) {
		char *cell = export_defang(values[i]);

		if (i > 0)
			csv_put(w, ",", 1);
		csv_field(w, cell);
		free(cell);
	}
	csv_put(w, "\r\n", 2);
	if (w->csv_errno)
		return wq_err_set(err, WQ_ERR_IO, "写入 %s 失败：%s", w->path, wq_errno_text(w->csv_errno));
	w->rows++;
	return true;
}

static bool
csv_finish(struct export_writer *w, struct wq_err *err)
{
	FILE *f = w->csv;
	int fd = fileno(f);

	w->csv = NULL;
	if (!w->csv_errno && fflush(f) != 0)
		w->csv_errno = errno ? errno : EIO;
	if (w->to_stdout) {
		if (w->csv_errno)
			return wq_err_set(err, WQ_ERR_IO, "写入 %s 失败：%s", w->path, wq_errno_text(w->csv_errno));
		return true;
	}
	if (!w->csv_errno && fsync(fd) != 0)
		w->csv_errno = errno;
	if (fclose(f) != 0 && !w->csv_errno)
		w->csv_errno = errno ? errno : EIO;
	if (w->csv_errno)
		return wq_err_set(err, WQ_ERR_IO, "写入 %s 失败：%s", w->path, wq_errno_text(w->csv_errno));
	return true;
}

/* ---- XLSX ---- */

/*
 * s with every byte that is not valid UTF-8, and U+FFFE and U+FFFF (not
 * allowed in XML), replaced by U+FFFD.  Returns a new string, or NULL when s
 * is fine as it is.
 */
static char *
xlsx_clean_utf8(const char *s)
{
	size_t len = strlen(s);
	size_t pos = 0;
	char *out = NULL;
	size_t outlen = 0;

	while (pos < len) {
		unsigned int cp;
		int k = str_utf8_decode(s + pos, len - pos, &cp);
		bool bad = cp == (unsigned int)-1 || cp == 0xFFFE || cp == 0xFFFF;

		if (bad && !out) {
			/* each bad sequence is at most 3 bytes and grows to 3 */
			out = xmalloc(len * 3 + 1);
			memcpy(out, s, pos);
			outlen = pos;
		}
		if (bad) {
			memcpy(out + outlen, UTF8_REPLACEMENT, 3);
			outlen += 3;
		} else if (out) {
			memcpy(out + outlen, s + pos, (size_t)k);
			outlen += (size_t)k;
		}
		pos += (size_t)k;
	}
	if (out)
		out[outlen] = '\0';
	return out;
}

/*
 * True for a plain decimal Excel shows exactly as written: digits with no
 * leading zero (except "0" itself), an optional fraction without a trailing
 * zero, no sign, at most XLSX_NUMBER_MAX characters.
 */
static bool
xlsx_plain_number(const char *s)
{
	const char *p = s;
	size_t len = strlen(s);

	if (len == 0 || len > XLSX_NUMBER_MAX)
		return false;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return false;
	if (*p == '\0')
		return true;
	if (*p++ != '.' || !(*p >= '0' && *p <= '9'))
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0' && p[-1] != '0';
}

/* The sheet name Excel accepts for name (see export.h); the caller frees it. */
static char *
xlsx_sheet_name(const char *name)
{
	char *clean;
	char *out;
	size_t len, pos, chars, outlen;
	const char *start;

	if (str_empty(name))
		return xstrdup(XLSX_SHEET_DEFAULT);
	clean = xlsx_clean_utf8(name);
	start = clean ? clean : name;
	while (*start == '\'')
		start++;
	len = strlen(start);
	out = xmalloc(len + 1);
	outlen = 0;
	chars = 0;
	for (pos = 0; pos < len && chars < LXW_SHEETNAME_MAX; chars++) {
		unsigned int cp;
		int k = str_utf8_decode(start + pos, len - pos, &cp);

		if (cp < 0x20 || cp == 0x7F || (cp < 0x80 && strchr("[]:*?/\\", (int)cp)))
			out[outlen++] = '_';
		else {
			memcpy(out + outlen, start + pos, (size_t)k);
			outlen += (size_t)k;
		}
		pos += (size_t)k;
	}
	while (outlen > 0 && out[outlen - 1] == '\'')
		outlen--;
	out[outlen] = '\0';
	free(clean);
	if (outlen == 0) {
		free(out);
		return xstrdup(XLSX_SHEET_DEFAULT);
	}
	return out;
}

/* Sets err from a libxlsxwriter error while writing w. */
static bool
xlsx_fail(struct export_writer *w, lxw_error rc, struct wq_err *err)
{
	wq_err_set(err, WQ_ERR_IO, "写入 %s 失败：电子表格库出错（%d）", w->path, (int)rc);
	if (err)
		snprintf(err->server, sizeof(err->server), "%s", lxw_strerror(rc));
	return false;
}

/*
 * Writes one row (row 0 is the header).  Every cell is prepared and checked
 * first, so a row that does not fit is not written at all.
 */
static bool
xlsx_row(struct export_writer *w, const char *const *values, bool header, struct wq_err *err)
{
	char **cells;
	bool ok = true;
	int i;

	if (w->rows >= EXPORT_XLSX_MAX_ROWS)
		return wq_err_set(err, WQ_ERR_INPUT,
			"XLSX 文件最多 %d 行（含表头），第 %lu 条数据放不下；请改用 CSV 导出",
			EXPORT_XLSX_MAX_ROWS, w->rows);

	cells = xcalloc((size_t)w->ncols, sizeof(*cells));
	for (i = 0; i < w->ncols && ok; i++) {
		char *clean;
		size_t chars;

		if (str_empty(values[i]))
			continue;
		clean = xlsx_clean_utf8(values[i]);
		cells[i] = export_defang(clean ? clean : values[i]);
		free(clean);
		chars = str_utf8_count(cells[i]);
		if (chars > EXPORT_XLSX_MAX_CHARS && header)
			ok = wq_err_set(err, WQ_ERR_INPUT,
				"表头第 %d 列有 %zu 个字符，超过 XLSX 单元格的上限 %d",
				i + 1, chars, EXPORT_XLSX_MAX_CHARS);
		else if (chars > EXPORT_XLSX_MAX_CHARS)
			ok = wq_err_set(err, WQ_ERR_INPUT,
				"第 %lu 条数据的第 %d 列有 %zu 个字符，超过 XLSX 单元格的上限 %d；请改用 CSV 导出",
				w->rows, i + 1, chars, EXPORT_XLSX_MAX_CHARS);
	}

	for (i = 0; i < w->ncols && ok; i++) {
		lxw_row_t r = (lxw_row_t)w->rows;
		lxw_col_t c = (lxw_col_t)i;
		lxw_error rc;
		size_t width;

		if (!cells[i])
			continue;
		if (header)
			rc = worksheet_write_string(w->ws, r, c, cells[i], w->fmt_header);
		else if (!w->text_cols[i] && xlsx_plain_number(cells[i]))
			rc = worksheet_write_number(w->ws, r, c, strtod(cells[i], NULL), NULL);
		else
			rc = worksheet_write_string(w->ws, r, c, cells[i],
				w->text_cols[i] ? w->fmt_text : NULL);
		if (rc != LXW_NO_ERROR)
			ok = xlsx_fail(w, rc, err);
		width = str_width(cells[i]);
		if (width > w->widths[i])
			w->widths[i] = width;
	}

	for (i = 0; i < w->ncols; i++)
		free(cells[i]);
	free(cells);
	if (ok)
		w->rows++;
	return ok;
}

static bool
xlsx_open(struct export_writer *w, const char *sheet_name, struct wq_err *err)
{
	lxw_workbook_options opts = { .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE };
	char *name;

	w->widths = xcalloc((size_t)w->ncols, sizeof(*w->widths));
	w->wb = workbook_new_opt(w->tmp_path, &opts);
	if (!w->wb)
		return wq_err_set(err, WQ_ERR_IO, "无法创建 %s：libxlsxwriter 初始化失败", w->path);

	name = xlsx_sheet_name(sheet_name);
	if (workbook_validate_sheet_name(w->wb, name) != LXW_NO_ERROR) {
		free(name);
		name = xstrdup(XLSX_SHEET_DEFAULT);
	}
	w->ws = workbook_add_worksheet(w->wb, name);
	free(name);
	if (!w->ws)
		return wq_err_set(err, WQ_ERR_IO, "无法创建 %s：libxlsxwriter 无法建立工作表", w->path);

	w->fmt_header = workbook_add_format(w->wb);
	w->fmt_text = workbook_add_format(w->wb);
	if (!w->fmt_header || !w->fmt_text)
		return wq_err_set(err, WQ_ERR_OOM, "无法创建 %s：内存不足", w->path);
	format_set_bold(w->fmt_header);
	format_set_num_format_index(w->fmt_text, 49);  /* the built-in "@" (text) */
	worksheet_freeze_panes(w->ws, 1, 0);
	return true;
}

static bool
xlsx_finish(struct export_writer *w, struct wq_err *err)
{
	lxw_workbook *wb = w->wb;
	lxw_error rc;
	int i;

	for (i = 0; i < w->ncols; i++) {
		size_t width = w->widths[i] + 2;

		if (width < XLSX_WIDTH_MIN)
			width = XLSX_WIDTH_MIN;
		if (width > XLSX_WIDTH_MAX)
			width = XLSX_WIDTH_MAX;
		rc = worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i, (double)width,
			w->text_cols[i] ? w->fmt_text : NULL);
		if (rc != LXW_NO_ERROR)
			return xlsx_fail(w, rc, err);
	}

	w->wb = NULL;  /* workbook_close frees it, whatever happens */
	errno = 0;
	rc = workbook_close(wb);
	if (rc == LXW_ERROR_CREATING_XLSX_FILE && errno != 0)
		return wq_err_set(err, WQ_ERR_IO, "写入 %s 失败：%s", w->path, wq_errno_text(errno));
	if (rc != LXW_NO_ERROR)
		return xlsx_fail(w, rc, err);
	if (!sync_file(w->tmp_path))
		return wq_err_set(err, WQ_ERR_IO, "写入 %s 失败：%s", w->path, wq_errno_text(errno));
	return true;
}

/* ---- the writer ---- */

/* A new writer of ncols columns for the target named path (messages). */
static struct export_writer *
writer_new(const char *path, enum export_format fmt, int ncols, const bool *text_cols)
{
	struct export_writer *w = xcalloc(1, sizeof(*w));
	int i;

	w->fmt = fmt;
	w->ncols = ncols;
	w->path = xstrdup(path);
	w->text_cols = xcalloc((size_t)ncols, sizeof(*w->text_cols));
	for (i = 0; i < ncols; i++)
		w->text_cols[i] = text_cols ? text_cols[i] : true;
	return w;
}

/*
 * Standard output ("-"): CSV is written straight to it; an XLSX workbook is
 * written to a temporary file (libxlsxwriter writes by name) and copied out
 * at export_close.
 */
static struct export_writer *
open_stdout(enum export_format fmt, const char *sheet_name, int ncols,
	const char *const *headers, const bool *text_cols, struct wq_err *err)
{
	struct export_writer *w = writer_new("标准输出", fmt, ncols, text_cols);
	char *where;
	int fd;

	w->to_stdout = true;
	if (fmt == EXPORT_CSV) {
		w->csv = stdout;
		csv_put(w, CSV_BOM, strlen(CSV_BOM));
		if (!csv_row(w, headers, err)) {
			writer_free(w, false);
			return NULL;
		}
		return w;
	}
	where = tmpdir_path("wq-export.xlsx");
	w->tmp_path = tmp_create(where, &fd);
	free(where);
	if (!w->tmp_path) {
		wq_err_set(err, WQ_ERR_IO, "无法创建临时文件：%s", wq_errno_text(errno));
		writer_free(w, false);
		return NULL;
	}
	close(fd);
	if (!xlsx_open(w, sheet_name, err) || !xlsx_row(w, headers, true, err)) {
		writer_free(w, true);
		return NULL;
	}
	return w;
}

/* Copies the finished temporary file to standard output. */
static bool
copy_to_stdout(struct export_writer *w, struct wq_err *err)
{
	char buf[65536];
	FILE *f = fopen(w->tmp_path, "rb");
	size_t n;
	bool ok = true;

	if (!f)
		return wq_err_set(err, WQ_ERR_IO, "读取临时文件失败：%s", wq_errno_text(errno));
	while (ok && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			ok = wq_err_set(err, WQ_ERR_IO, "写入 %s 失败：%s", w->path, wq_errno_text(errno ? errno : EIO));
	if (ok && ferror(f))
		ok = wq_err_set(err, WQ_ERR_IO, "读取临时文件失败：%s", wq_errno_text(errno ? errno : EIO));
	fclose(f);
	if (ok && fflush(stdout) != 0)
		ok = wq_err_set(err, WQ_ERR_IO, "写入 %s 失败：%s", w->path, wq_errno_text(errno ? errno : EIO));
	return ok;
}

/*
 * export_open: a new writer (the caller ends it with export_close or
 * export_abort); the arguments are copied, none is kept.
 */
struct export_writer *
export_open(const char *path, enum export_format fmt, const char *sheet_name, int ncols,
	const char *const *headers, const bool *text_cols, struct wq_err *err)
{
	struct export_writer *w;
	struct stat st;
	const char *slash;
	int fd;

	if (str_empty(path)) {
		wq_err_set(err, WQ_ERR_USAGE, "没有给出导出文件名");
		return NULL;
	}
	if (fmt != EXPORT_CSV && fmt != EXPORT_XLSX) {
		wq_err_set(err, WQ_ERR_USAGE, "未知的导出格式 %d", (int)fmt);
		return NULL;
	}
	if (ncols < 1 || ncols > EXPORT_XLSX_MAX_COLS || !headers) {
		wq_err_set(err, WQ_ERR_USAGE, "导出的列数 %d 不在 1 到 %d 之间", ncols,
			EXPORT_XLSX_MAX_COLS);
		return NULL;
	}
	slash = strrchr(path, '/');
	if (strcmp(path, "-") == 0)
		return open_stdout(fmt, sheet_name, ncols, headers, text_cols, err);
	if ((slash && slash[1] == '\0') || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
		wq_err_set(err, WQ_ERR_IO, "无法写入 %s：%s", path, wq_errno_text(EISDIR));
		return NULL;
	}

	w = writer_new(path, fmt, ncols, text_cols);
	w->tmp_path = tmp_create(path, &fd);
	if (!w->tmp_path) {
		wq_err_set(err, WQ_ERR_IO, "无法创建 %s：%s", path, wq_errno_text(errno));
		writer_free(w, false);
		return NULL;
	}

	if (fmt == EXPORT_CSV) {
		w->csv = fdopen(fd, "wb");
		if (!w->csv) {
			wq_err_set(err, WQ_ERR_IO, "无法创建 %s：%s", path, wq_errno_text(errno));
			close(fd);
			writer_free(w, true);
			return NULL;
		}
		csv_put(w, CSV_BOM, strlen(CSV_BOM));
		if (!csv_row(w, headers, err)) {
			writer_free(w, true);
			return NULL;
		}
	} else {
		/* libxlsxwriter opens the file again by name when it writes it */
		close(fd);
		if (!xlsx_open(w, sheet_name, err) || !xlsx_row(w, headers, true, err)) {
			writer_free(w, true);
			return NULL;
		}
	}
	return w;
}

/*
 * export_row: writes one data row; values is only read.
 */
bool
export_row(struct export_writer *w, const char *const *values, struct wq_err *err)
{
	if (!w || !values)
		return wq_err_set(err, WQ_ERR_USAGE, "export_row: 没有写入对象或数据");
	if (w->fmt == EXPORT_CSV)
		return csv_row(w, values, err);
	return xlsx_row(w, values, false, err);
}

/*
 * export_close: finishes the file and renames it over the target; frees w
 * in every case.
 */
bool
export_close(struct export_writer *w, struct wq_err *err)
{
	bool ok;

	if (!w)
		return wq_err_set(err, WQ_ERR_USAGE, "export_close: 没有写入对象");
	if (w->fmt == EXPORT_CSV)
		ok = csv_finish(w, err);
	else
		ok = xlsx_finish(w, err);
	if (ok && w->to_stdout && w->tmp_path)
		ok = copy_to_stdout(w, err);
	else if (ok && !w->to_stdout && rename(w->tmp_path, w->path) != 0)
		ok = wq_err_set(err, WQ_ERR_IO, "无法写入 %s：%s", w->path, wq_errno_text(errno));
	writer_free(w, !ok || w->to_stdout);
	return ok;
}

/*
 * export_abort: frees w and removes the temporary file; the target is not
 * touched.  w may be NULL.
 */
void
export_abort(struct export_writer *w)
{
	if (w)
		writer_free(w, true);
}
