/* test_str.c: unit tests for src/str.c (cell widths, cutting, escaping). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "str.h"

#define BIG 200

/* str_fit into a static buffer of STR_FIT_BUFSIZE(BIG); *cells gets the return value. */
static const char *
fit(const char *s, size_t skip, size_t max, int flags, size_t *cells)
{
	static char buf[STR_FIT_BUFSIZE(BIG)];
	size_t n;

	memset(buf, 'Z', sizeof(buf));
	n = str_fit(s, skip, max, flags, buf, sizeof(buf));
	if (cells)
		*cells = n;
	return buf;
}

/* Asserts str_fit(s, skip, max, flags) == want, returning want_cells cells. */
static void
check_fit(const char *s, size_t skip, size_t max, int flags,
	const char *want, size_t want_cells)
{
	size_t cells = 12345;
	const char *got = fit(s, skip, max, flags, &cells);

	assert_string_equal(got, want);
	assert_int_equal(cells, want_cells);
}

/* True when s holds no byte that a terminal would act on. */
static bool
no_raw_controls(const char *s)
{
	size_t len = strlen(s);
	size_t i = 0;

	while (i < len) {
		unsigned int cp;
		int n = str_utf8_decode(s + i, len - i, &cp);

		if (cp == (unsigned int)-1)
			return false;           /* output must be valid UTF-8 */
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
			return false;
		if (cp == 0x200E || cp == 0x200F || cp == 0x061C
		    || (cp >= 0x202A && cp <= 0x202E)
		    || (cp >= 0x2066 && cp <= 0x2069))
			return false;
		i += (size_t)n;
	}
	return true;
}

static void
test_width_ascii(void **state)
{
	(void)state;
	assert_int_equal(str_width(""), 0);
	assert_int_equal(str_width(NULL), 0);
	assert_int_equal(str_width("a"), 1);
	assert_int_equal(str_width("hello world"), 11);
}

static void
test_width_cjk(void **state)
{
	(void)state;
	assert_int_equal(str_width("中"), 2);
	assert_int_equal(str_width("张三"), 4);
	assert_int_equal(str_width("中国科学技术大学"), 16);
	assert_int_equal(str_width("　"), 2);              /* U+3000 ideographic space */
	assert_int_equal(str_width("，。"), 4);            /* full-width punctuation */
	assert_int_equal(str_width("\xf0\xa0\x80\x80"), 2);  /* U+20000, CJK ext. B */
}

static void
test_width_mixed(void **state)
{
	(void)state;
	assert_int_equal(str_width("a中b"), 4);
	assert_int_equal(str_width("2024届 本科"), 11);
	assert_int_equal(str_width("张三 (CS)"), 9);
}

static void
test_width_ambiguous(void **state)
{
	(void)state;
	assert_int_equal(str_width("·"), 1);                 /* U+00B7 */
	assert_int_equal(str_width("阿卜杜拉·艾力"), 13);    /* 6 wide + 1 */
	assert_int_equal(str_width("°"), 1);
	assert_int_equal(str_width("36.5°C"), 6);
	assert_int_equal(str_width("αβγ"), 3);
	assert_int_equal(str_width("Ωμ"), 2);
	assert_int_equal(str_width("×—…"), 3);
	assert_int_equal(str_width("①"), 1);
	assert_int_equal(str_width("Привет"), 6);
}

static void
test_width_fullwidth(void **state)
{
	(void)state;
	assert_int_equal(str_width("１２３"), 6);
	assert_int_equal(str_width("ＡＢ"), 4);
	assert_int_equal(str_width("１2３"), 5);
}

static void
test_width_combining(void **state)
{
	(void)state;
	assert_int_equal(str_width("e\xcc\x81"), 1);               /* e + U+0301 */
	assert_int_equal(str_width("a\xcc\x80\xcc\x81\xcc\x82"), 1);  /* three marks */
	assert_int_equal(str_width("caf" "e\xcc\x81"), 4);
	assert_int_equal(str_width("a\xe2\x80\x8b" "b"), 2);       /* U+200B zero width space */
	assert_int_equal(str_width("\xe2\x80\x8d"), 0);            /* U+200D ZWJ */
}

static void
test_width_escapes(void **state)
{
	(void)state;
	assert_int_equal(str_width("\n"), 2);
	assert_int_equal(str_width("\t"), 2);
	assert_int_equal(str_width("\r"), 2);
	assert_int_equal(str_width("\x1b"), 4);
	assert_int_equal(str_width("\x7f"), 4);
	assert_int_equal(str_width("\xc2\x9b"), 6);         /* U+009B */
	assert_int_equal(str_width("\xe2\x80\xae"), 6);     /* U+202E */
	assert_int_equal(str_width("\x1b[31mred"), 11);
	assert_int_equal(str_width("\x80"), 4);
	assert_int_equal(str_width("\xed\xa0\x80"), 12);
}

static void
test_cp_width(void **state)
{
	(void)state;
	assert_int_equal(str_cp_width('A'), 1);
	assert_int_equal(str_cp_width(0x4E2D), 2);
	assert_int_equal(str_cp_width(0xFF11), 2);
	assert_int_equal(str_cp_width(0x00B7), 1);
	assert_int_equal(str_cp_width(0x0301), 0);
	assert_int_equal(str_cp_width('\n'), 2);
	assert_int_equal(str_cp_width(0x1B), 4);
	assert_int_equal(str_cp_width(0x00), 4);
	assert_int_equal(str_cp_width(0x7F), 4);
	assert_int_equal(str_cp_width(0x85), 6);
	assert_int_equal(str_cp_width(0x202E), 6);
	assert_int_equal(str_cp_width(0x2066), 6);
	assert_int_equal(str_cp_width(0x061C), 6);
	assert_int_equal(str_cp_width((unsigned int)-1), 4);
}

static void
test_fit_ascii(void **state)
{
	(void)state;
	check_fit("hello", 0, 10, 0, "hello", 5);
	check_fit("hello", 0, 5, 0, "hello", 5);
	check_fit("hello", 0, 3, 0, "hel", 3);
	check_fit("hello", 0, 0, 0, "", 0);
	check_fit("", 0, 3, 0, "", 0);
	check_fit(NULL, 0, 3, 0, "", 0);
}

static void
test_fit_cjk(void **state)
{
	(void)state;
	check_fit("中文字", 0, 6, 0, "中文字", 6);
	check_fit("中文字", 0, 4, 0, "中文", 4);
	check_fit("a中b", 0, 4, 0, "a中b", 4);
	check_fit("a中b", 0, 3, 0, "a中", 3);
}

static void
test_fit_odd_cut(void **state)
{
	(void)state;
	/* never half a glyph: the cut cell becomes a space */
	check_fit("中文字", 0, 3, 0, "中 ", 3);
	check_fit("中文字", 0, 5, 0, "中文 ", 5);
	check_fit("中文字", 0, 1, 0, " ", 1);
	check_fit("ab中", 0, 3, 0, "ab ", 3);
	check_fit("１２３", 0, 3, 0, "１ ", 3);
}

static void
test_fit_ellipsis(void **state)
{
	(void)state;
	check_fit("hello world", 0, 8, STR_FIT_ELLIPSIS, "hello w…", 8);
	check_fit("hello", 0, 5, STR_FIT_ELLIPSIS, "hello", 5);   /* fits: no mark */
	check_fit("hello", 0, 4, STR_FIT_ELLIPSIS, "hel…", 4);
	check_fit("hello", 0, 1, STR_FIT_ELLIPSIS, "…", 1);
	check_fit("hello", 0, 0, STR_FIT_ELLIPSIS, "", 0);
	check_fit("中文", 0, 4, STR_FIT_ELLIPSIS, "中文", 4);
	check_fit("中文字", 0, 5, STR_FIT_ELLIPSIS, "中文…", 5);
	check_fit("中文字", 0, 4, STR_FIT_ELLIPSIS, "中 …", 4);
	check_fit("中文字", 0, 2, STR_FIT_ELLIPSIS, " …", 2);
	/* a final combining mark is not "more text" */
	check_fit("abe\xcc\x81", 0, 3, STR_FIT_ELLIPSIS, "abe\xcc\x81", 3);
	check_fit("abe\xcc\x81" "f", 0, 3, STR_FIT_ELLIPSIS, "ab…", 3);
}

static void
test_fit_ascii_ellipsis(void **state)
{
	(void)state;
	check_fit("hello world", 0, 8, STR_FIT_ELLIPSIS | STR_FIT_ASCII, "hello w~", 8);
	check_fit("hello world", 0, 8, STR_FIT_ASCII, "hello w~", 8);
	check_fit("hello", 0, 5, STR_FIT_ASCII, "hello", 5);
	check_fit("中文字", 0, 4, STR_FIT_ELLIPSIS | STR_FIT_ASCII, "中 ~", 4);
}

static void
test_fit_skip(void **state)
{
	(void)state;
	check_fit("hello", 2, 10, 0, "llo", 3);
	check_fit("hello", 2, 2, 0, "ll", 2);
	check_fit("hello", 5, 3, 0, "", 0);
	check_fit("hello", 50, 3, 0, "", 0);
	check_fit("中文字", 2, 4, 0, "文字", 4);
	check_fit("hello world", 2, 5, STR_FIT_ELLIPSIS, "llo …", 5);
	check_fit("hello world", 6, 5, STR_FIT_ELLIPSIS, "world", 5);
}

static void
test_fit_skip_mid_wide(void **state)
{
	(void)state;
	/* skip_cells lands on the right half of 中: it shows as a space */
	check_fit("中文字", 1, 4, 0, " 文 ", 4);
	check_fit("中文字", 1, 5, 0, " 文字", 5);
	check_fit("中文字", 3, 10, 0, " 字", 3);
	check_fit("a中文", 2, 3, 0, " 文", 3);
	check_fit("中文字", 1, 4, STR_FIT_ELLIPSIS, " 文…", 4);
	check_fit("中文字", 1, 1, 0, " ", 1);
}

static void
test_fit_skip_combining(void **state)
{
	(void)state;
	/* marks on a skipped character are skipped with it */
	check_fit("e\xcc\x81x", 1, 5, 0, "x", 1);
	check_fit("xe\xcc\x81", 1, 5, 0, "e\xcc\x81", 1);
	check_fit("e\xcc\x81\xcc\x82y", 1, 5, 0, "y", 1);
}

static void
test_fit_pad(void **state)
{
	(void)state;
	check_fit("hello", 0, 8, STR_FIT_PAD, "hello   ", 8);
	check_fit("中", 0, 5, STR_FIT_PAD, "中   ", 5);
	check_fit("中文字", 0, 3, STR_FIT_PAD, "中 ", 3);
	check_fit("", 0, 3, STR_FIT_PAD, "   ", 3);
	check_fit(NULL, 0, 2, STR_FIT_PAD, "  ", 2);
	check_fit("hello", 9, 3, STR_FIT_PAD, "   ", 3);
	check_fit("abcdef", 0, 4, STR_FIT_PAD | STR_FIT_ELLIPSIS, "abc…", 4);
	check_fit("ab", 0, 4, STR_FIT_PAD | STR_FIT_ELLIPSIS, "ab  ", 4);
	check_fit("中", 1, 4, STR_FIT_PAD, "    ", 4);
}

static void
test_fit_ansi_injection(void **state)
{
	size_t cells;
	const char *out;

	(void)state;
	out = fit("\x1b[31mred\x1b[0m", 0, 40, 0, &cells);
	assert_string_equal(out, "\\x1b[31mred\\x1b[0m");
	assert_int_equal(cells, 18);
	assert_null(strchr(out, 0x1b));
	/* cut in the middle of an escape: the escape text is cut, never raw */
	check_fit("\x1b[31m", 0, 3, 0, "\\x1", 3);
	check_fit("\x1b[31m", 2, 4, 0, "1b[3", 4);
	check_fit("\x1b[31mred", 0, 6, STR_FIT_ELLIPSIS, "\\x1b[…", 6);
	out = fit("\x1b]0;pwned\x07", 0, 40, 0, &cells);
	assert_string_equal(out, "\\x1b]0;pwned\\x07");
	assert_true(no_raw_controls(out));
}

static void
test_fit_controls(void **state)
{
	(void)state;
	check_fit("a\nb", 0, 10, 0, "a\\nb", 4);
	check_fit("a\tb", 0, 10, 0, "a\\tb", 4);
	check_fit("a\rb", 0, 10, 0, "a\\rb", 4);
	check_fit("a\x7f" "b", 0, 10, 0, "a\\x7fb", 6);
	check_fit("\x01\x1f", 0, 10, 0, "\\x01\\x1f", 8);
	check_fit("\xc2\x9b" "31m", 0, 20, 0, "\\u009b31m", 9);       /* C1 CSI */
	check_fit("\xc2\x85", 0, 20, 0, "\\u0085", 6);                /* NEL */
	check_fit("abc\xe2\x80\xae" "fdp.exe", 0, 20, 0, "abc\\u202efdp.exe", 16);
	check_fit("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", 0, 30, 0,
		"\\u202a\\u202b\\u202c\\u202d", 24);
	check_fit("\xe2\x81\xa6\xe2\x81\xa9", 0, 20, 0, "\\u2066\\u2069", 12);
	check_fit("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", 0, 20, 0,
		"\\u200e\\u200f\\u061c", 18);
	check_fit("a\xe2\x80\xa8" "b", 0, 20, 0, "a\\u2028b", 8);
	check_fit("\n\n", 0, 3, 0, "\\n\\", 3);
}

static void
test_fit_invalid_utf8(void **state)
{
	(void)state;
	check_fit("a\x80" "b", 0, 20, 0, "a\\x80b", 6);                 /* lone continuation */
	check_fit("a\xe4\xb8", 0, 20, 0, "a\\xe4\\xb8", 9);             /* truncated 中 at end */
	check_fit("\xe4\xb8x", 0, 20, 0, "\\xe4\\xb8x", 9);             /* truncated in the middle */
	check_fit("\xc0\x80", 0, 20, 0, "\\xc0\\x80", 8);               /* overlong NUL */
	check_fit("\xe0\x80\xaf", 0, 20, 0, "\\xe0\\x80\\xaf", 12);     /* overlong '/' */
	check_fit("\xed\xa0\x80", 0, 20, 0, "\\xed\\xa0\\x80", 12);     /* surrogate U+D800 */
	check_fit("\xf5\x80\x80\x80", 0, 20, 0, "\\xf5\\x80\\x80\\x80", 16);
	check_fit("\xf4\x90\x80\x80", 0, 20, 0, "\\xf4\\x90\\x80\\x80", 16); /* > U+10FFFF */
	check_fit("\xff", 0, 20, 0, "\\xff", 4);
	check_fit("\xe4\xb8\xad\x80", 0, 20, 0, "中\\x80", 6);
}

static void
test_decode_encode(void **state)
{
	unsigned int cp;
	char buf[4];

	(void)state;
	assert_int_equal(str_utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(str_utf8_decode("中", 3, &cp), 3);
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(str_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(str_utf8_decode("中", 2, &cp), 1);      /* len too short */
	assert_int_equal(cp, (unsigned int)-1);
	assert_int_equal(str_utf8_decode("\xc0\xaf", 2, &cp), 1);
	assert_int_equal(cp, (unsigned int)-1);
	assert_int_equal(str_utf8_decode("\xed\xbf\xbf", 3, &cp), 1);
	assert_int_equal(cp, (unsigned int)-1);
	assert_int_equal(str_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);

	assert_int_equal(str_utf8_encode('A', buf), 1);
	assert_memory_equal(buf, "A", 1);
	assert_int_equal(str_utf8_encode(0xB7, buf), 2);
	assert_memory_equal(buf, "\xc2\xb7", 2);
	assert_int_equal(str_utf8_encode(0x4E2D, buf), 3);
	assert_memory_equal(buf, "中", 3);
	assert_int_equal(str_utf8_encode(0x1F600, buf), 4);
	assert_memory_equal(buf, "\xf0\x9f\x98\x80", 4);
	assert_int_equal(str_utf8_encode(0xD800, buf), 0);
	assert_int_equal(str_utf8_encode(0x110000, buf), 0);
}

static void
test_fit_outsize(void **state)
{
	char buf[16];
	size_t n;

	(void)state;
	/* canary after outsize bytes must survive */
	memset(buf, 'Z', sizeof(buf));
	n = str_fit("hello", 0, 10, 0, buf, 4);
	assert_string_equal(buf, "hel");
	assert_int_equal(n, 3);
	assert_memory_equal(buf + 4, "ZZZZ", 4);

	memset(buf, 'Z', sizeof(buf));
	n = str_fit("中文", 0, 10, 0, buf, 4);
	assert_string_equal(buf, "中");
	assert_int_equal(n, 2);

	memset(buf, 'Z', sizeof(buf));
	n = str_fit("中文", 0, 10, 0, buf, 3);           /* 中 needs 3 + NUL */
	assert_string_equal(buf, "");
	assert_int_equal(n, 0);
	assert_memory_equal(buf + 3, "ZZZZ", 4);

	memset(buf, 'Z', sizeof(buf));
	n = str_fit("\x1b" "abc", 0, 10, 0, buf, 4);     /* never a partial escape */
	assert_string_equal(buf, "");
	assert_int_equal(n, 0);

	memset(buf, 'Z', sizeof(buf));
	n = str_fit("hello world", 0, 8, STR_FIT_ELLIPSIS, buf, 9);
	assert_string_equal(buf, "hello w");              /* no room for the 3-byte mark */
	assert_int_equal(n, 7);
	assert_memory_equal(buf + 9, "ZZZZ", 4);

	memset(buf, 'Z', sizeof(buf));
	n = str_fit("ab", 0, 10, STR_FIT_PAD, buf, 6);
	assert_string_equal(buf, "ab   ");
	assert_int_equal(n, 5);
	assert_memory_equal(buf + 6, "ZZZZ", 4);

	memset(buf, 'Z', sizeof(buf));
	n = str_fit("hello", 0, 10, 0, buf, 1);
	assert_string_equal(buf, "");
	assert_int_equal(n, 0);
	assert_int_equal(buf[1], 'Z');

	memset(buf, 'Z', sizeof(buf));
	n = str_fit("hello", 0, 10, 0, buf, 0);
	assert_int_equal(n, 0);
	assert_int_equal(buf[0], 'Z');

	assert_int_equal(str_fit("hello", 0, 10, 0, NULL, 10), 0);
}

static void
test_fit_bufsize_enough(void **state)
{
	/* "e" and 60 combining marks, then 4-byte one-cell letters */
	char zalgo[256];
	char buf[STR_FIT_BUFSIZE(3)];
	size_t n, i, len = 0;

	(void)state;
	zalgo[len++] = 'e';
	for (i = 0; i < 60; i++) {
		zalgo[len++] = '\xcc';
		zalgo[len++] = '\x81';
	}
	memcpy(zalgo + len, "\xf0\x9d\x90\x80\xf0\x9d\x90\x80\xf0\x9d\x90\x80", 12);
	len += 12;
	zalgo[len] = '\0';
	assert_int_equal(str_width(zalgo), 4);

	n = str_fit(zalgo, 0, 3, STR_FIT_PAD | STR_FIT_ELLIPSIS, buf, sizeof(buf));
	assert_int_equal(n, 3);
	assert_int_equal(str_width(buf), 3);
	assert_int_equal(buf[0], 'e');
	assert_true(strlen(buf) < sizeof(buf));
	/* the marks that did not fit were dropped, the letters and mark kept */
	assert_string_equal(buf + strlen(buf) - 7, "\xf0\x9d\x90\x80\xe2\x80\xa6");

	n = str_fit("\xf0\x9d\x90\x80\xf0\x9d\x90\x80\xf0\x9d\x90\x80", 0, 3,
		STR_FIT_PAD, buf, sizeof(buf));
	assert_int_equal(n, 3);
	assert_string_equal(buf, "\xf0\x9d\x90\x80\xf0\x9d\x90\x80\xf0\x9d\x90\x80");
}

/*
 * For many strings and every window: the return value is the width of the
 * output, every window cell is filled, and no raw control reaches the output.
 */
static void
test_fit_property(void **state)
{
	static const char *const samples[] = {
		"hello", "中文字", "a中b文c", "阿卜杜拉·艾力", "１２３", "e\xcc\x81x\xcc\x82",
		"\x1b[31mred\x1b[0m", "a\nb\tc\rd", "\xc2\x9b\xe2\x80\xae" "abc",
		"\x80\xe4\xb8\xc0\x80\xed\xa0\x80\xf5", "中\x1b" "文\xff" "字",
		"\xe2\x80\x8b\xcc\x81中", "",
	};
	static const int flag_sets[] = {
		0, STR_FIT_ELLIPSIS, STR_FIT_PAD, STR_FIT_ELLIPSIS | STR_FIT_PAD,
		STR_FIT_ASCII, STR_FIT_ASCII | STR_FIT_PAD,
	};
	size_t i, f, skip, max;

	(void)state;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		size_t w = str_width(samples[i]);

		for (f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++)
			for (skip = 0; skip <= w + 1; skip++)
				for (max = 0; max <= w + 2; max++) {
					size_t cells;
					const char *out = fit(samples[i], skip, max, flag_sets[f], &cells);
					size_t want = w > skip ? w - skip : 0;

					if (want > max || (flag_sets[f] & STR_FIT_PAD))
						want = max;
					assert_int_equal(cells, want);
					assert_int_equal(str_width(out), cells);
					assert_true(no_raw_controls(out));
				}
		/* an unlimited window shows everything */
		assert_int_equal(str_width(fit(samples[i], 0, BIG, 0, NULL)), w);
	}
}

/* The one line editor: whole code points in, out and across, never past the buffer. */
static void
test_edit(void **state)
{
	char buf[8] = "";
	size_t len = 0, cur = 0;

	(void)state;
	assert_true(str_edit_insert(buf, sizeof(buf), &len, &cur, 0x5F20));   /* 张 */
	assert_true(str_edit_insert(buf, sizeof(buf), &len, &cur, 'a'));
	assert_string_equal(buf, "张a");
	assert_int_equal(cur, 4);
	cur = 0;
	assert_true(str_edit_insert(buf, sizeof(buf), &len, &cur, 'b'));
	assert_string_equal(buf, "b张a");
	/* 3 more bytes would need 8 with the NUL: refused, nothing changes */
	assert_false(str_edit_insert(buf, sizeof(buf), &len, &cur, 0x4F1F));
	assert_string_equal(buf, "b张a");
	assert_true(str_edit_delete(buf, &len, cur));   /* 张, all three bytes */
	assert_string_equal(buf, "ba");
	assert_true(str_edit_backspace(buf, &len, &cur));
	assert_string_equal(buf, "a");
	assert_int_equal(cur, 0);
	assert_false(str_edit_backspace(buf, &len, &cur));
	assert_int_equal(len, 1);
	assert_true(str_is_control(0x1B));
	assert_true(str_is_control(0x9B));
	assert_false(str_is_control(0x5F20));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_width_ascii),
		cmocka_unit_test(test_width_cjk),
		cmocka_unit_test(test_width_mixed),
		cmocka_unit_test(test_width_ambiguous),
		cmocka_unit_test(test_width_fullwidth),
		cmocka_unit_test(test_width_combining),
		cmocka_unit_test(test_width_escapes),
		cmocka_unit_test(test_cp_width),
		cmocka_unit_test(test_fit_ascii),
		cmocka_unit_test(test_fit_cjk),
		cmocka_unit_test(test_fit_odd_cut),
		cmocka_unit_test(test_fit_ellipsis),
		cmocka_unit_test(test_fit_ascii_ellipsis),
		cmocka_unit_test(test_fit_skip),
		cmocka_unit_test(test_fit_skip_mid_wide),
		cmocka_unit_test(test_fit_skip_combining),
		cmocka_unit_test(test_fit_pad),
		cmocka_unit_test(test_fit_ansi_injection),
		cmocka_unit_test(test_fit_controls),
		cmocka_unit_test(test_fit_invalid_utf8),
		cmocka_unit_test(test_decode_encode),
		cmocka_unit_test(test_fit_outsize),
		cmocka_unit_test(test_fit_bufsize_enough),
		cmocka_unit_test(test_fit_property),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
