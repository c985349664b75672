/*
 * export.h: writes a table (a header row, then data rows of UTF-8 strings)
 * to a CSV or XLSX file that is safe to open in a spreadsheet.
 *
 * Safety against formula injection (OWASP "CSV Injection"): every cell that
 * is written, header cells included, goes through export_defang(), so a
 * value beginning with '=', '+', '-', '@', TAB or CR gets a leading single
 * quote and a spreadsheet shows it as text instead of running it.  This
 * applies to all cells of all columns: a roster holds no negative numbers,
 * and "-5" is exported as "'-5".  Only these ASCII characters count; a
 * full-width "＝" is not a formula and is left alone.
 *
 * Atomic output: the data go to a temporary file in the target's directory
 * (".NAME.PID-N.tmp", created at export_open, so an unwritable path fails
 * there at once) and are renamed over the target by export_close.  A failed
 * or abandoned export leaves neither a half-written target nor the temporary
 * file; an existing target is replaced only by a complete file.
 *
 * CSV: UTF-8 with a byte-order mark (so Excel reads the encoding right),
 * CRLF line ends, RFC 4180 quoting.  A field is quoted when it has a comma,
 * a double quote, CR or LF, or begins or ends with a space or TAB; quotes
 * inside are doubled.  NULL and "" are both an empty, unquoted field.
 * Values are otherwise written as they are: CSV has no types, so text_cols
 * has no effect there and a spreadsheet that opens the CSV directly may
 * still turn a long digit string (身份证号) into a number.  Writing
 * ="..." would be a formula, which this module never writes; use XLSX when
 * the file is meant for Excel.
 *
 * XLSX (libxlsxwriter, constant-memory mode: rows go to a temporary file as
 * they are written, strings inline): one worksheet, the header row bold and
 * frozen, column widths fitted to the widest cell (CJK counts double, 4 to
 * 60 characters).  Cells of a text column (text_cols[i]) are always string
 * cells in the "@" (text) number format, so 18-digit ID numbers, student
 * numbers and phone numbers keep every digit and stay text when edited.  In
 * other columns a short plain decimal ("4", "0.5": no sign, no leading zero,
 * no trailing fractional zero, at most 11 characters, which Excel shows
 * unchanged) is a number cell; anything else is a string cell.  Formulas are
 * never written.  Bytes that are not valid UTF-8 (and U+FFFE, U+FFFF) become
 * U+FFFD, since Excel refuses a file with malformed XML text.
 *
 * Errors: WQ_ERR_IO (the message names the target path and the OS or
 * libxlsxwriter error), WQ_ERR_USAGE for bad arguments, WQ_ERR_INPUT for a
 * row that XLSX cannot hold.
 */
#ifndef WQ_EXPORT_H
#define WQ_EXPORT_H

#include <stdbool.h>

#include "err.h"

enum export_format {
	EXPORT_CSV,
	EXPORT_XLSX,
};

/* XLSX limits (Excel's). */
#define EXPORT_XLSX_MAX_ROWS  1048576  /* header row included */
#define EXPORT_XLSX_MAX_COLS  16384
#define EXPORT_XLSX_MAX_CHARS 32767    /* code points in one cell, after defanging */

/*
 * Parses "csv" or "xlsx" (ASCII case-insensitive) into *out.  Returns false,
 * leaving *out alone, for anything else (NULL included).
 */
bool export_format_parse(const char *name, enum export_format *out);

struct export_writer;

/*
 * Creates the temporary file next to path and writes the header row.
 *
 * path: the target file; it is not touched until export_close.
 * sheet_name: the XLSX worksheet's name (ignored for CSV).  NULL or "" means
 *   "Sheet1"; characters Excel forbids ([ ] : * ? / \ and control
 *   characters) become '_', apostrophes at either end are dropped, and the
 *   name is cut to 31 characters.
 * ncols: columns, 1 to EXPORT_XLSX_MAX_COLS (CSV has the same limit).
 * headers: ncols strings (a NULL entry is an empty cell).
 * text_cols: ncols flags, true for a column that must stay text in XLSX
 *   (身份证号, 学号, 考生号, phone numbers); NULL makes every column text.
 *
 * Nothing is kept from the arguments: path, sheet_name, headers and
 * text_cols are copied.  Returns a writer that the caller ends with
 * export_close or export_abort (either frees it), or NULL with err set.
 */
struct export_writer *export_open(const char *path, enum export_format fmt,
	const char *sheet_name, int ncols, const char *const *headers,
	const bool *text_cols, struct wq_err *err);

/*
 * Writes one data row: values holds ncols strings (a NULL entry is an empty
 * cell); nothing is kept.  On failure err is set and nothing of the row is
 * written when the row itself is the problem (XLSX: more than
 * EXPORT_XLSX_MAX_ROWS rows, or a cell over EXPORT_XLSX_MAX_CHARS
 * characters; WQ_ERR_INPUT), so the caller may go on; after a write error
 * (WQ_ERR_IO) the output is lost and the caller should export_abort.
 */
bool export_row(struct export_writer *w, const char *const *values, struct wq_err *err);

/*
 * Finishes the file (XLSX is assembled here), flushes it to disk and renames
 * it over the target.  Always frees w.  Returns false with err set when the
 * file could not be written; then the target is unchanged and the temporary
 * file removed.
 */
bool export_close(struct export_writer *w, struct wq_err *err);

/* Abandons the export: frees w and removes the temporary file; the target is unchanged.  w may be NULL. */
void export_abort(struct export_writer *w);

/*
 * The defanged form of a cell as described above: s with a leading "'" when
 * it begins with '=', '+', '-', '@', TAB or CR, otherwise a copy of s.
 * NULL counts as "".  The caller frees the result.
 */
char *export_defang(const char *s);

#endif
