/*
 * str.h: the one place that measures and cuts text for the terminal.
 *
 * Everything that comes from the database or a file is drawn through
 * str_fit().  Widths come from utf8proc, independent of the libc locale:
 * CJK and other East Asian wide characters count two cells, East Asian
 * ambiguous characters one, combining marks zero.  Control characters
 * (C0, C1, DEL), bidirectional controls (U+202A..U+202E, U+2066..U+2069,
 * U+200E, U+200F, U+061C) and the line/paragraph separators U+2028, U+2029
 * are never passed through: they are shown escaped ("\n", "\t", "\r",
 * "\x1b", "\x7f", "\u009b", "\u202e"), and an escape is as wide as its
 * text.  Bytes that are not valid UTF-8 (stray continuation bytes, overlong
 * forms, surrogates, values above U+10FFFF, truncated sequences) are shown
 * one by one as "\xNN".  Hex digits are lower case.
 *
 * str_width() and str_fit() walk the text the same way, so a measure never
 * disagrees with what is drawn.
 */
#ifndef WQ_STR_H
#define WQ_STR_H

#include <stdbool.h>
#include <stddef.h>

enum {
	STR_FIT_ELLIPSIS = 1 << 0, /* mark a cut with a final "…" (1 cell), inside max_cells */
	STR_FIT_PAD      = 1 << 1, /* pad with spaces to exactly max_cells */
	STR_FIT_ASCII    = 1 << 2, /* mark a cut with "~" instead of "…" (implies STR_FIT_ELLIPSIS) */
};

/* Cells that s (NUL-terminated; NULL counts as "") takes on screen, escapes included. */
size_t str_width(const char *s);

/*
 * Writes into out (always NUL-terminated when outsize > 0, never more than
 * outsize bytes) the part of s that is visible after skipping skip_cells
 * cells and fitting into max_cells.  A wide character that would be cut at
 * either edge is replaced by a space, so the result never has half a glyph
 * (an escape, being plain ASCII, is cut like any text).  Zero-width marks
 * that belong to a skipped character are skipped with it.  With
 * STR_FIT_ELLIPSIS the mark is written only when something visible is left
 * out on the right, and it is counted inside max_cells.  Returns the cells
 * written (at most max_cells).
 *
 * outsize of STR_FIT_BUFSIZE(max_cells) always holds every cell; when
 * combining marks would not fit as well, they are dropped first.  With a
 * smaller buffer the output stops at a whole character, the NUL included.
 */
size_t str_fit(const char *s, size_t skip_cells, size_t max_cells, int flags,
	char *out, size_t outsize);

/* A buffer size for str_fit that is always enough for max_cells. */
#define STR_FIT_BUFSIZE(max_cells) ((max_cells) * 6 + 8)

/*
 * A copy of s (NULL: "") as the screens would draw it: every control
 * character, bidirectional control and bad byte escaped, nothing cut.  The
 * command line prints what comes from the database or a file through this.
 * The caller frees it.
 */
char *str_visible(const char *s);

/* Width in cells of one code point as drawn (escapes included; (unsigned)-1, a bad byte, counts 4). */
int str_cp_width(unsigned int cp);

/*
 * Decodes one UTF-8 code point at s (at most len bytes).  Returns the bytes
 * used (1..4), and *cp = the code point; for an invalid sequence returns 1
 * and *cp = (unsigned)-1 (and for len == 0 returns 0).  Strict: overlong
 * forms, surrogates and values above U+10FFFF are invalid.  Reading stops at
 * the first byte that does not continue a sequence, so a NUL-terminated
 * string is never read past its NUL even when len is too big.
 */
int str_utf8_decode(const char *s, size_t len, unsigned int *cp);

/* The byte offset of the code point before off in s (0 at the start). */
size_t str_utf8_prev(const char *s, size_t off);
/* The byte offset of the code point after off in s (len bytes; len at the end). */
size_t str_utf8_next(const char *s, size_t len, size_t off);
/* Code points in s (each lead byte counted; continuation bytes are not). */
size_t str_utf8_count(const char *s);

/*
 * The half-width form of a full-width digit or Latin letter (０-９, Ａ-Ｚ,
 * ａ-ｚ) and of the ideographic space U+3000; any other code point as it is.
 * What an input method types in full-width mode becomes what was meant.
 */
unsigned int str_halfwidth(unsigned int cp);
/* Encodes cp as UTF-8 into out (4 bytes room); returns the bytes written, 0 for a surrogate or above U+10FFFF. */
int str_utf8_encode(unsigned int cp, char *out);

/* A C0 control, DEL or a C1 control: never typed into a field. */
bool str_is_control(unsigned int cp);

/*
 * Editing a NUL-terminated line in place: buf holds *len bytes (cap in
 * all), the cursor is a byte offset.  Every line editor (the screens' one-
 * line fields, the forms) edits through these.
 *   str_edit_insert: cp at the cursor, which moves past it; false when cp
 *     cannot be encoded or there is no room (nothing changes).
 *   str_edit_backspace / str_edit_delete: the code point before / after the
 *     cursor; false when there is none.
 */
bool str_edit_insert(char *buf, size_t cap, size_t *len, size_t *cursor, unsigned int cp);
bool str_edit_backspace(char *buf, size_t *len, size_t *cursor);
bool str_edit_delete(char *buf, size_t *len, size_t cursor);

#endif
