/*
 * csv.h: reading the graduate roster export (CSV) and writing CSV.
 *
 * The reader takes a whole file in memory and returns every record as
 * NUL-terminated UTF-8 strings.
 *
 * Encodings.  CSV_ENC_AUTO picks UTF-8 when the file starts with a UTF-8 BOM
 * or is valid UTF-8 throughout, and GBK otherwise (decoded as GB18030, its
 * superset, with the CP936 single byte 0x80 read as "€").  One refinement:
 * a file that is plainly UTF-8 Chinese text with a few damaged bytes (at
 * least 8 valid three- or four-byte sequences for every invalid byte) is
 * reported as bad UTF-8 instead of being turned into GBK mojibake.  Forcing
 * an encoding checks the whole file against it.  A UTF-16 file, an Excel
 * workbook (.xlsx/.xls) and a file with NUL bytes are refused with a message
 * that says so.
 *
 * Syntax (RFC 4180 and what spreadsheets really write).  Fields are separated
 * by commas; a record ends at LF, CRLF or a lone CR, or at the end of the
 * data.  A field that begins with '"' is quoted: inside it commas and line
 * ends are data (any CR, LF or CRLF is kept as one "\n"), and "" is one '"'.
 * After the closing quote only a comma, a line end or the end of the data
 * may follow.  A quote anywhere else in an unquoted field is kept as it is.
 * Unquoted fields are never trimmed.  Empty lines are skipped but counted.
 * The first record is the header: its fields lose a leading BOM (U+FEFF)
 * and surrounding spaces (ASCII space, tab, U+3000).
 *
 * Rows are never padded or cut: each record has its own nfields (see
 * csv_check_widths()).  Every record remembers the physical line, 1-based,
 * where it starts, for messages like "FILE:LINE: 列名: 问题".
 *
 * Errors (err->code WQ_ERR_INPUT, or WQ_ERR_IO for a file that cannot be
 * read) say where: "第 12 行：不是有效的 GBK 编码（字节 0xFF）",
 * "第 3 行第 2 列：引号后有多余字符", "第 7 行第 1 列：引号没有闭合",
 * "文件为空".  Column numbers count fields, from 1.
 */
#ifndef WQ_CSV_H
#define WQ_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* Largest input csv_parse() accepts (256 MiB). */
#define CSV_MAX_BYTES ((size_t)256 * 1024 * 1024)

enum csv_encoding {
	CSV_ENC_AUTO,
	CSV_ENC_UTF8,
	CSV_ENC_GBK,
};

struct csv_record {
	int line;        /* physical line (1-based) where the record starts */
	int nfields;     /* at least 1 */
	char **fields;   /* nfields NUL-terminated UTF-8 strings, owned by the struct csv */
};

struct csv {
	enum csv_encoding encoding;   /* what was read: CSV_ENC_UTF8 or CSV_ENC_GBK */
	bool had_bom;                 /* the file started with a UTF-8 BOM */
	int nrecords;                 /* at least 1 after a successful parse */
	struct csv_record *records;   /* records[0] is the header, then the data rows */
	/* private: the blocks everything above points into */
	char *text_;                  /* every field's bytes */
	char **fieldv_;               /* every record's field pointers, one after another */
};

/*
 * Parses len bytes at data (need not be NUL-terminated; not kept) in
 * encoding enc.  On success fills *out, which owns all it points to: free
 * it with csv_free().  On failure returns false, fills err and leaves *out
 * zeroed (csv_free() on it is harmless).  An empty file, or one with only
 * a BOM and empty lines, is an error ("文件为空"); a header alone is not.
 */
bool csv_parse(const char *data, size_t len, enum csv_encoding enc,
	struct csv *out, struct wq_err *err);

/*
 * Reads the file at path and parses it with csv_parse().  Every message in
 * err starts with "PATH: ".  Ownership of *out as for csv_parse().
 */
bool csv_read_file(const char *path, enum csv_encoding enc, struct csv *out,
	struct wq_err *err);

/* Frees everything c owns and zeroes it; calling it twice is harmless. */
void csv_free(struct csv *c);

/* "UTF-8", "GBK" or "自动" (a static string). */
const char *csv_encoding_name(enum csv_encoding enc);

/*
 * The encoding a user named, case-insensitively: "auto", "utf-8"/"utf8",
 * "gbk"/"cp936"/"gb18030"/"gb2312".  False (and *enc unchanged) otherwise.
 */
bool csv_encoding_from_name(const char *name, enum csv_encoding *enc);

/* Number of data rows (records after the header); 0 for a zeroed struct. */
int csv_nrows(const struct csv *c);

/* True when every field of r is "" (a spreadsheet's empty row: ",,,,"). */
bool csv_record_blank(const struct csv_record *r);

/*
 * Checks that every data row has as many fields as the header.  Each row
 * that does not is reported in err, one line each, as
 * "NAME:LINE: 有 3 列，表头有 19 列" (or "第 LINE 行：有 ..." when name is
 * NULL); after 20 of them the rest are only counted.  Returns true when all
 * rows fit (err untouched).
 */
bool csv_check_widths(const struct csv *c, const char *name, struct wq_err *err);

/*
 * Writes s (NULL counts as "") as one CSV field, quoted (with '"' doubled)
 * when it holds a comma, a quote, CR or LF, or begins or ends with a space
 * or tab.  Write errors are left in out's error flag (ferror()).
 */
void csv_write_field(FILE *out, const char *s);

/* Writes n fields separated by commas and ended by CRLF. */
void csv_write_record(FILE *out, const char *const *fields, int n);

/* Writes the UTF-8 BOM that makes Excel read a UTF-8 CSV as UTF-8. */
void csv_write_bom(FILE *out);

#endif
