/*
 * test_export.c: unit tests for src/export.c (defanging, CSV bytes, XLSX
 * contents, atomic replacement, errors).
 *
 * The XLSX checks read the zip back in C: the central directory locates a
 * member and a small inflater (after Mark Adler's puff.c) unpacks it, so
 * the tests need no unzip or python at run time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"
#include "unittest.h"
#include "util.h"

#define BOM "\xEF\xBB\xBF"

/* The per-test scratch directory. */
static char tmpdir[PATH_MAX];

/* ---- files ---- */

/* A path inside tmpdir; the caller frees it. */
static char *
tmp(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/* The whole file at path (NUL-terminated), its size in *len; NULL when it cannot be read. */
static char *
slurp(const char *path, size_t *len)
{
	char *data;
	size_t n;

	if (read_whole_file(path, SIZE_MAX, &data, &n) != 0)
		return NULL;
	if (len)
		*len = n;
	return data;
}

static void
spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Entries in tmpdir (without . and ..); the one name goes to *only when there is exactly one. */
static int
dir_count(char *only, size_t onlysize)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (only && n == 0)
			snprintf(only, onlysize, "%s", de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_export.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	remove_tree(tmpdir);
	return 0;
}

/* ---- a minimal inflater (RFC 1951) ---- */

struct inflate {
	const unsigned char *in;
	size_t inlen, inpos;
	unsigned long bitbuf;
	int bitcnt;
	unsigned char *out;
	size_t outlen, outcap;
	bool bad;
};

struct huffman {
	short count[16];   /* codes of each length */
	short symbol[288]; /* symbols ordered by code */
};

static int
inf_bits(struct inflate *s, int need)
{
	int val;

	while (s->bitcnt < need) {
		if (s->inpos >= s->inlen) {
			s->bad = true;
			return 0;
		}
		s->bitbuf |= (unsigned long)s->in[s->inpos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	val = (int)(s->bitbuf & ((1UL << need) - 1));
	s->bitbuf >>= need;
	s->bitcnt -= need;
	return val;
}

static void
inf_put(struct inflate *s, unsigned char c)
{
	if (s->outlen >= s->outcap)
		s->bad = true;
	else
		s->out[s->outlen++] = c;
}

static void
inf_build(struct huffman *h, const short *length, int n)
{
	short offs[16];
	int sym, len;

	memset(h->count, 0, sizeof(h->count));
	for (sym = 0; sym < n; sym++)
		h->count[length[sym]]++;
	offs[1] = 0;
	for (len = 1; len < 15; len++)
		offs[len + 1] = (short)(offs[len] + h->count[len]);
	for (sym = 0; sym < n; sym++)
		if (length[sym] != 0)
			h->symbol[offs[length[sym]]++] = (short)sym;
}

static int
inf_decode(struct inflate *s, const struct huffman *h)
{
	int code = 0, first = 0, index = 0, len;

	for (len = 1; len <= 15; len++) {
		int count;

		code |= inf_bits(s, 1);
		if (s->bad)
			return -1;
		count = h->count[len];
		if (code - count < first)
			return h->symbol[index + (code - first)];
		index += count;
		first += count;
		first <<= 1;
		code <<= 1;
	}
	s->bad = true;
	return -1;
}

static void
inf_codes(struct inflate *s, const struct huffman *lencode, const struct huffman *distcode)
{
	static const short lbase[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
		35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
	static const short lext[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
		3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
	static const short dbase[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
		257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577 };
	static const short dext[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
		7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

	while (!s->bad) {
		int sym = inf_decode(s, lencode);
		int len, dist;

		if (sym < 0 || sym == 256)
			return;
		if (sym < 256) {
			inf_put(s, (unsigned char)sym);
			continue;
		}
		sym -= 257;
		if (sym >= 29) {
			s->bad = true;
			return;
		}
		len = lbase[sym] + inf_bits(s, lext[sym]);
		sym = inf_decode(s, distcode);
		if (sym < 0 || sym >= 30) {
			s->bad = true;
			return;
		}
		dist = dbase[sym] + inf_bits(s, dext[sym]);
		if ((size_t)dist > s->outlen) {
			s->bad = true;
			return;
		}
		while (len-- > 0 && !s->bad)
			inf_put(s, s->out[s->outlen - (size_t)dist]);
	}
}

static void
inf_stored(struct inflate *s)
{
	unsigned len;

	s->bitbuf = 0;
	s->bitcnt = 0;
	if (s->inpos + 4 > s->inlen) {
		s->bad = true;
		return;
	}
	len = s->in[s->inpos] | (unsigned)s->in[s->inpos + 1] << 8;
	s->inpos += 4;
	if (s->inpos + len > s->inlen) {
		s->bad = true;
		return;
	}
	while (len-- > 0)
		inf_put(s, s->in[s->inpos++]);
}

static void
inf_fixed(struct inflate *s)
{
	struct huffman lencode, distcode;
	short lengths[288];
	int sym;

	for (sym = 0; sym < 288; sym++)
		lengths[sym] = sym < 144 ? 8 : sym < 256 ? 9 : sym < 280 ? 7 : 8;
	inf_build(&lencode, lengths, 288);
	for (sym = 0; sym < 30; sym++)
		lengths[sym] = 5;
	inf_build(&distcode, lengths, 30);
	inf_codes(s, &lencode, &distcode);
}

static void
inf_dynamic(struct inflate *s)
{
	static const short order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
	struct huffman lencode, distcode;
	short lengths[320];
	int nlen = inf_bits(s, 5) + 257;
	int ndist = inf_bits(s, 5) + 1;
	int ncode = inf_bits(s, 4) + 4;
	int index;

	if (nlen > 286 || ndist > 30)
		s->bad = true;
	memset(lengths, 0, sizeof(lengths));
	for (index = 0; index < ncode && !s->bad; index++)
		lengths[order[index]] = (short)inf_bits(s, 3);
	inf_build(&lencode, lengths, 19);
	memset(lengths, 0, sizeof(lengths));
	index = 0;
	while (index < nlen + ndist && !s->bad) {
		int sym = inf_decode(s, &lencode);
		int rep;
		short val = 0;

		if (sym < 0)
			return;
		if (sym < 16) {
			lengths[index++] = (short)sym;
			continue;
		}
		if (sym == 16) {
			if (index == 0) {
				s->bad = true;
				return;
			}
			val = lengths[index - 1];
			rep = 3 + inf_bits(s, 2);
		} else if (sym == 17) {
			rep = 3 + inf_bits(s, 3);
		} else {
			rep = 11 + inf_bits(s, 7);
		}
		if (index + rep > nlen + ndist) {
			s->bad = true;
			return;
		}
		while (rep-- > 0)
			lengths[index++] = val;
	}
	if (s->bad)
		return;
	inf_build(&lencode, lengths, nlen);
	inf_build(&distcode, lengths + nlen, ndist);
	inf_codes(s, &lencode, &distcode);
}

/* Inflates in[0..inlen) into exactly outlen bytes; false on any damage. */
static bool
inflate_raw(const unsigned char *in, size_t inlen, unsigned char *out, size_t outlen)
{
	struct inflate s = { .in = in, .inlen = inlen, .out = out, .outcap = outlen };
	int last;

	do {
		int type;

		last = inf_bits(&s, 1);
		type = inf_bits(&s, 2);
		if (type == 0)
			inf_stored(&s);
		else if (type == 1)
			inf_fixed(&s);
		else if (type == 2)
			inf_dynamic(&s);
		else
			s.bad = true;
	} while (!last && !s.bad);
	return !s.bad && s.outlen == outlen;
}

/* ---- zip ---- */

static unsigned
le16(const unsigned char *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

static unsigned long
le32(const unsigned char *p)
{
	return p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

/*
 * The member name of the zip file at path, unpacked and NUL-terminated (the
 * caller frees it); NULL when the file is no zip or has no such member.
 */
static char *
zip_member(const char *path, const char *name)
{
	size_t len, pos, i;
	unsigned char *zip = (unsigned char *)slurp(path, &len);
	unsigned long cd;
	unsigned entries;
	char *result = NULL;

	if (!zip)
		return NULL;
	if (len < 22)
		goto out;
	for (pos = len - 22;; pos--) {
		if (le32(zip + pos) == 0x06054b50UL)
			break;
		if (pos == 0)
			goto out;
	}
	entries = le16(zip + pos + 10);
	cd = le32(zip + pos + 16);
	for (i = 0; i < entries; i++) {
		unsigned method, nlen, xlen, clen;
		unsigned long csize, usize, local;
		const unsigned char *data;

		if (cd + 46 > len || le32(zip + cd) != 0x02014b50UL)
			goto out;
		method = le16(zip + cd + 10);
		csize = le32(zip + cd + 20);
		usize = le32(zip + cd + 24);
		nlen = le16(zip + cd + 28);
		xlen = le16(zip + cd + 30);
		clen = le16(zip + cd + 32);
		local = le32(zip + cd + 42);
		if (cd + 46 + nlen > len)
			goto out;
		if (nlen == strlen(name) && !memcmp(zip + cd + 46, name, nlen)) {
			if (local + 30 > len || le32(zip + local) != 0x04034b50UL)
				goto out;
			data = zip + local + 30 + le16(zip + local + 26) + le16(zip + local + 28);
			if (data + csize > zip + len)
				goto out;
			result = xmalloc(usize + 1);
			if (method == 0 && csize == usize)
				memcpy(result, data, usize);
			else if (method != 8 || !inflate_raw(data, csize, (unsigned char *)result, usize)) {
				free(result);
				result = NULL;
				goto out;
			}
			result[usize] = '\0';
			goto out;
		}
		cd += 46 + nlen + xlen + clen;
	}
out:
	free(zip);
	return result;
}

/* ---- helpers for the writer ---- */

/* Asserts that haystack contains needle. */
#define assert_contains(haystack, needle) do { \
		const char *h_ = (haystack), *n_ = (needle); \
		if (!strstr(h_, n_)) \
			fail_msg("\"%s\" not found in:\n%s", n_, h_); \
	} while (0)

#define assert_lacks(haystack, needle) do { \
		const char *h_ = (haystack), *n_ = (needle); \
		if (strstr(h_, n_)) \
			fail_msg("\"%s\" unexpectedly found in:\n%s", n_, h_); \
	} while (0)

static void
check_defang(const char *in, const char *want)
{
	char *got = export_defang(in);

	assert_string_equal(got, want);
	free(got);
}

/* Writes rows (a NULL-terminated list of ncols-value arrays) to path; asserts success. */
static void
write_table(const char *path, enum export_format fmt, const char *sheet, int ncols,
	const char *const *headers, const bool *text_cols, const char *const *const *rows)
{
	struct wq_err err;
	struct export_writer *w;

	wq_err_clear(&err);
	w = export_open(path, fmt, sheet, ncols, headers, text_cols, &err);
	if (!w)
		fail_msg("export_open(%s): %s", path, err.msg);
	for (; *rows; rows++)
		if (!export_row(w, *rows, &err))
			fail_msg("export_row: %s", err.msg);
	if (!export_close(w, &err))
		fail_msg("export_close(%s): %s", path, err.msg);
}

/* ---- tests ---- */

static void
test_format_parse(void **state)
{
	enum export_format f = (enum export_format)-1;

	(void)state;
	assert_true(export_format_parse("csv", &f));
	assert_int_equal(f, EXPORT_CSV);
	assert_true(export_format_parse("xlsx", &f));
	assert_int_equal(f, EXPORT_XLSX);
	assert_true(export_format_parse("CSV", &f));
	assert_int_equal(f, EXPORT_CSV);
	assert_true(export_format_parse("Xlsx", &f));
	assert_int_equal(f, EXPORT_XLSX);

	f = EXPORT_CSV;
	assert_false(export_format_parse("xls", &f));
	assert_false(export_format_parse("xlsxx", &f));
	assert_false(export_format_parse("cs", &f));
	assert_false(export_format_parse("", &f));
	assert_false(export_format_parse(" csv", &f));
	assert_false(export_format_parse(NULL, &f));
	assert_int_equal(f, EXPORT_CSV);
}

static void
test_defang_formula_chars(void **state)
{
	(void)state;
	check_defang("=1+2", "'=1+2");
	check_defang("=HYPERLINK(\"http://x\",\"点我\")", "'=HYPERLINK(\"http://x\",\"点我\")");
	check_defang("+8613800138000", "'+8613800138000");
	check_defang("-5", "'-5");
	check_defang("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0");
	check_defang("@SUM(A1:A2)", "'@SUM(A1:A2)");
	check_defang("\t=1", "'\t=1");
	check_defang("\r=1", "'\r=1");
	check_defang("=", "'=");
	check_defang("==", "'==");
}

static void
test_defang_safe(void **state)
{
	(void)state;
	check_defang("", "");
	check_defang(NULL, "");
	check_defang("张三", "张三");
	check_defang("＝1+2", "＝1+2");     /* full-width equals sign */
	check_defang("＋86", "＋86");
	check_defang("1=2", "1=2");
	check_defang("a-b", "a-b");
	check_defang(" =1", " =1");
	check_defang("\n=1", "\n=1");
	check_defang("'=1", "'=1");
	check_defang("11010519491231002X", "11010519491231002X");
	check_defang("440524188001010014", "440524188001010014");
}

static void
test_csv_bytes(void **state)
{
	static const char *const headers[] = { "姓名", "身份证号", "-备注", "手机号码" };
	static const bool text[] = { false, true, false, true };
	static const char *const r1[] = { "张三", "11010519491231002X", "a,b", "13800138000" };
	static const char *const r2[] = { "李\"四\"", "440524188001010014", "line1\r\nline2", NULL };
	static const char *const r3[] = { " 王五", "", "=1+2", "+8613800138000" };
	static const char *const r4[] = { "赵六 ", NULL, "-1", "@x" };
	static const char *const r5[] = { "\t=cmd", "\rx", "lf\nonly", "tab\tinside" };
	static const char *const r6[] = { "＝全角", "'已引", "cr\ronly", "end\t" };
	static const char *const *const rows[] = { r1, r2, r3, r4, r5, r6, NULL };
	static const char want[] =
		BOM "姓名,身份证号,'-备注,手机号码\r\n"
		"张三,11010519491231002X,\"a,b\",13800138000\r\n"
		"\"李\"\"四\"\"\",440524188001010014,\"line1\r\nline2\",\r\n"
		"\" 王五\",,'=1+2,'+8613800138000\r\n"
		"\"赵六 \",,'-1,'@x\r\n"
		"'\t=cmd,\"'\rx\",\"lf\nonly\",tab\tinside\r\n"
		"＝全角,'已引,\"cr\ronly\",\"end\t\"\r\n";
	char *path = tmp("名单.csv");
	char *got;
	size_t len;

	(void)state;
	write_table(path, EXPORT_CSV, "ignored", 4, headers, text, rows);
	got = slurp(path, &len);
	assert_non_null(got);
	assert_int_equal(len, sizeof(want) - 1);
	assert_memory_equal(got, want, sizeof(want) - 1);
	assert_int_equal(dir_count(NULL, 0), 1);
	free(got);
	free(path);
}

static void
test_csv_header_only(void **state)
{
	static const char *const headers[] = { "学号", NULL, "" };
	static const char *const *const rows[] = { NULL };
	char *path = tmp("empty.csv");
	char *got;

	(void)state;
	write_table(path, EXPORT_CSV, NULL, 3, headers, NULL, rows);
	got = slurp(path, NULL);
	assert_non_null(got);
	assert_string_equal(got, BOM "学号,,\r\n");
	free(got);
	free(path);
}

static void
test_csv_atomic_replace(void **state)
{
	static const char *const headers[] = { "学号" };
	static const char *const r1[] = { "2020001" };
	char *path = tmp("out.csv");
	char name[256];
	struct wq_err err;
	struct export_writer *w;
	struct stat st;
	char *got;
	mode_t old_umask = umask(022);

	(void)state;
	spit(path, "old contents\n");

	w = export_open(path, EXPORT_CSV, NULL, 1, headers, NULL, &err);
	assert_non_null(w);
	assert_true(export_row(w, r1, &err));
	/* while writing: the old file is intact, and a temporary file sits next to it */
	got = slurp(path, NULL);
	assert_string_equal(got, "old contents\n");
	free(got);
	assert_int_equal(dir_count(NULL, 0), 2);

	assert_true(export_close(w, &err));
	got = slurp(path, NULL);
	assert_string_equal(got, BOM "学号\r\n2020001\r\n");
	free(got);
	assert_int_equal(dir_count(name, sizeof(name)), 1);
	assert_string_equal(name, "out.csv");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);

	umask(old_umask);
	free(path);
}

static void
test_csv_abort(void **state)
{
	static const char *const headers[] = { "学号" };
	static const char *const r1[] = { "2020001" };
	char *path = tmp("keep.csv");
	char *fresh = tmp("fresh.csv");
	char name[256];
	struct wq_err err;
	struct export_writer *w;
	char *got;

	(void)state;
	spit(path, "keep me\n");
	w = export_open(path, EXPORT_CSV, NULL, 1, headers, NULL, &err);
	assert_non_null(w);
	assert_true(export_row(w, r1, &err));
	export_abort(w);
	got = slurp(path, NULL);
	assert_string_equal(got, "keep me\n");
	free(got);
	assert_int_equal(dir_count(name, sizeof(name)), 1);
	assert_string_equal(name, "keep.csv");

	w = export_open(fresh, EXPORT_CSV, NULL, 1, headers, NULL, &err);
	assert_non_null(w);
	export_abort(w);
	assert_int_equal(access(fresh, F_OK), -1);
	assert_int_equal(dir_count(NULL, 0), 1);

	export_abort(NULL);
	free(path);
	free(fresh);
}

/* export_open on path fails with WQ_ERR_IO, naming the path and the OS error; nothing is created. */
static void
check_open_fails(const char *path, enum export_format fmt, const char *os_error)
{
	static const char *const headers[] = { "学号" };
	struct wq_err err;

	wq_err_clear(&err);
	assert_null(export_open(path, fmt, NULL, 1, headers, NULL, &err));
	assert_int_equal(err.code, WQ_ERR_IO);
	assert_contains(err.msg, path);
	assert_contains(err.msg, os_error);
	/* err may be NULL */
	assert_null(export_open(path, fmt, NULL, 1, headers, NULL, NULL));
}

static void
test_unwritable_path(void **state)
{
	(void)state;
	check_open_fails("/nonexistent/dir/x.csv", EXPORT_CSV, "文件或目录不存在");
	check_open_fails("/nonexistent/dir/x.xlsx", EXPORT_XLSX, "文件或目录不存在");
	assert_int_equal(access("/nonexistent/dir/x.csv", F_OK), -1);
	assert_int_equal(access("/nonexistent/dir/x.xlsx", F_OK), -1);

	/* a directory is no file to write */
	check_open_fails(tmpdir, EXPORT_CSV, "是一个目录");
	check_open_fails(tmpdir, EXPORT_XLSX, "是一个目录");
	assert_int_equal(dir_count(NULL, 0), 0);
}

/* The target turns into a directory while the export runs: export_close fails and cleans up. */
static void
check_close_fails(enum export_format fmt, const char *name)
{
	static const char *const headers[] = { "学号" };
	static const char *const r1[] = { "2020001" };
	char *path = tmp(name);
	char only[256];
	struct wq_err err;
	struct export_writer *w;

	w = export_open(path, fmt, NULL, 1, headers, NULL, &err);
	assert_non_null(w);
	assert_true(export_row(w, r1, &err));
	assert_int_equal(mkdir(path, 0700), 0);
	wq_err_clear(&err);
	assert_false(export_close(w, &err));
	assert_int_equal(err.code, WQ_ERR_IO);
	assert_contains(err.msg, path);
	assert_contains(err.msg, "是一个目录");
	assert_int_equal(dir_count(only, sizeof(only)), 1);
	assert_string_equal(only, name);
	assert_int_equal(rmdir(path), 0);
	free(path);
}

static void
test_close_fails(void **state)
{
	(void)state;
	check_close_fails(EXPORT_CSV, "x.csv");
	check_close_fails(EXPORT_XLSX, "x.xlsx");
}

static void
test_bad_arguments(void **state)
{
	static const char *const headers[] = { "学号" };
	char *path = tmp("x.csv");
	struct wq_err err;

	(void)state;
	assert_null(export_open(path, EXPORT_CSV, NULL, 0, headers, NULL, &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	assert_null(export_open(path, EXPORT_XLSX, NULL, -1, headers, NULL, &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	assert_null(export_open(path, EXPORT_CSV, NULL, 1, NULL, NULL, &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	assert_null(export_open(NULL, EXPORT_CSV, NULL, 1, headers, NULL, &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	assert_null(export_open("", EXPORT_CSV, NULL, 1, headers, NULL, &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	assert_null(export_open(path, (enum export_format)7, NULL, 1, headers, NULL, &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	assert_false(export_close(NULL, &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	assert_int_equal(dir_count(NULL, 0), 0);
	free(path);
}

static void
test_xlsx_zip(void **state)
{
	static const char *const headers[] = { "姓名", "身份证号" };
	static const bool text[] = { false, true };
	static const char *const r1[] = { "张三", "11010519491231002X" };
	static const char *const *const rows[] = { r1, NULL };
	char *path = tmp("名单.xlsx");
	char *got, *sheet, *types;
	size_t len;

	(void)state;
	write_table(path, EXPORT_XLSX, "学生名单", 2, headers, text, rows);
	got = slurp(path, &len);
	assert_non_null(got);
	assert_true(len > 4);
	assert_memory_equal(got, "PK\x03\x04", 4);
	free(got);
	assert_int_equal(dir_count(NULL, 0), 1);

	sheet = zip_member(path, "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	assert_contains(sheet, "<worksheet");
	assert_contains(sheet, "</worksheet>");
	types = zip_member(path, "[Content_Types].xml");
	assert_non_null(types);
	assert_contains(types, "spreadsheetml.sheet.main+xml");
	assert_null(zip_member(path, "xl/worksheets/sheet2.xml"));
	free(sheet);
	free(types);
	free(path);
}

static void
test_xlsx_cells(void **state)
{
	static const char *const headers[] = { "姓名", "身份证号", "学制", "备注", "手机号码" };
	static const bool text[] = { false, true, false, false, true };
	static const char *const r1[] = { "张三", "11010519491231002X", "4", "=1+2", "13800138000" };
	static const char *const r2[] = { " 李四 ", "440524188001010014", "0123", "@cmd", NULL };
	static const char *const r3[] = { "王五", "", "2.5", "-3", "+8613800138000" };
	static const char *const r4[] = { "a&b<c>", "110105194912310021", "12345678901234", "1.50", "020-1234" };
	static const char *const *const rows[] = { r1, r2, r3, r4, NULL };
	char *path = tmp("cells.xlsx");
	char *sheet, *styles;

	(void)state;
	write_table(path, EXPORT_XLSX, NULL, 5, headers, text, rows);
	sheet = zip_member(path, "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	styles = zip_member(path, "xl/styles.xml");
	assert_non_null(styles);

	/* the header: bold (style 1), frozen */
	assert_contains(sheet, "<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>姓名</t></is></c>");
	assert_contains(sheet, "<c r=\"B1\" s=\"1\" t=\"inlineStr\"><is><t>身份证号</t></is></c>");
	assert_contains(styles, "<font><b/>");
	assert_contains(styles, "<xf numFmtId=\"0\" fontId=\"1\"");
	assert_contains(sheet, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>");

	/* ID numbers and phones: strings in the text format (style 2 = numFmt 49 "@") */
	assert_contains(styles, "<xf numFmtId=\"49\" fontId=\"0\"");
	assert_contains(sheet, "<c r=\"B2\" s=\"2\" t=\"inlineStr\"><is><t>11010519491231002X</t></is></c>");
	assert_contains(sheet, "<c r=\"B3\" s=\"2\" t=\"inlineStr\"><is><t>440524188001010014</t></is></c>");
	assert_contains(sheet, "<c r=\"B5\" s=\"2\" t=\"inlineStr\"><is><t>110105194912310021</t></is></c>");
	assert_contains(sheet, "<c r=\"E2\" s=\"2\" t=\"inlineStr\"><is><t>13800138000</t></is></c>");
	assert_contains(sheet, "<c r=\"E4\" s=\"2\" t=\"inlineStr\"><is><t>'+8613800138000</t></is></c>");

	/* other columns: short plain decimals are numbers, anything else a string */
	assert_contains(sheet, "<c r=\"C2\"><v>4</v></c>");
	assert_contains(sheet, "<c r=\"C4\"><v>2.5</v></c>");
	assert_contains(sheet, "<c r=\"C3\" t=\"inlineStr\"><is><t>0123</t></is></c>");
	assert_contains(sheet, "<c r=\"C5\" t=\"inlineStr\"><is><t>12345678901234</t></is></c>");
	assert_contains(sheet, "<c r=\"D5\" t=\"inlineStr\"><is><t>1.50</t></is></c>");

	/* defanged, never formulas */
	assert_contains(sheet, "<c r=\"D2\" t=\"inlineStr\"><is><t>'=1+2</t></is></c>");
	assert_contains(sheet, "<c r=\"D3\" t=\"inlineStr\"><is><t>'@cmd</t></is></c>");
	assert_contains(sheet, "<c r=\"D4\" t=\"inlineStr\"><is><t>'-3</t></is></c>");
	assert_lacks(sheet, "<f>");

	/* escaping, spaces, empty cells */
	assert_contains(sheet, "<t>a&amp;b&lt;c&gt;</t>");
	assert_contains(sheet, "<t xml:space=\"preserve\"> 李四 </t>");
	assert_lacks(sheet, "r=\"E3\"");
	assert_lacks(sheet, "r=\"B4\"");

	/* widths: widest cell + 2, CJK double; text columns formatted "@" */
	assert_contains(sheet, "<col min=\"1\" max=\"1\" width=\"8.");       /* " 李四 " = 6 */
	assert_contains(sheet, "<col min=\"2\" max=\"2\" width=\"20.");      /* 18 digits */
	assert_contains(sheet, "<col min=\"2\" max=\"2\" width=\"20.7109375\" style=\"2\"");
	assert_contains(sheet, "<col min=\"3\" max=\"3\" width=\"16.");      /* 14 digits */
	assert_contains(sheet, "<col min=\"5\" max=\"5\" width=\"17.");      /* '+8613800138000 = 15 */
	free(sheet);
	free(styles);
	free(path);
}

static void
test_xlsx_all_text(void **state)
{
	static const char *const headers[] = { "学制" };
	static const char *const r1[] = { "4" };
	static const char *const *const rows[] = { r1, NULL };
	char *path = tmp("text.xlsx");
	char *sheet;

	(void)state;
	write_table(path, EXPORT_XLSX, NULL, 1, headers, NULL, rows);
	sheet = zip_member(path, "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	assert_contains(sheet, "<c r=\"A2\" s=\"2\" t=\"inlineStr\"><is><t>4</t></is></c>");
	free(sheet);
	free(path);
}

static void
test_xlsx_sheet_name_and_utf8(void **state)
{
	static const char *const headers[] = { "=备注" };
	static const char *const r1[] = { "bad\xff" "byte" };
	static const char *const r2[] = { "cut\xe4\xb8" };
	static const char *const r3[] = { "ctl\x01" "x" };
	static const char *const *const rows[] = { r1, r2, r3, NULL };
	char *path = tmp("names.xlsx");
	char *book, *sheet;

	(void)state;
	write_table(path, EXPORT_XLSX, "'2024届/名单:[一]*?\\'", 1, headers, NULL, rows);
	book = zip_member(path, "xl/workbook.xml");
	assert_non_null(book);
	assert_contains(book, "<sheet name=\"2024届_名单__一____\" sheetId=\"1\"");
	free(book);
	sheet = zip_member(path, "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	assert_contains(sheet, "<t>'=备注</t>");
	assert_contains(sheet, "<t>bad\xef\xbf\xbd" "byte</t>");
	assert_contains(sheet, "<t>cut\xef\xbf\xbd\xef\xbf\xbd</t>");
	assert_contains(sheet, "<t>ctl_x0001_x</t>");
	free(sheet);
	free(path);

	/* a name left empty, and one too long */
	path = tmp("names2.xlsx");
	write_table(path, EXPORT_XLSX, "''", 1, headers, NULL, rows + 3);
	book = zip_member(path, "xl/workbook.xml");
	assert_non_null(book);
	assert_contains(book, "<sheet name=\"Sheet1\"");
	free(book);
	free(path);

	path = tmp("names3.xlsx");
	write_table(path, EXPORT_XLSX, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三", 1,
		headers, NULL, rows + 3);
	book = zip_member(path, "xl/workbook.xml");
	assert_non_null(book);
	assert_contains(book, "<sheet name=\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\"");
	free(book);
	free(path);
}

static void
test_xlsx_cell_too_long(void **state)
{
	static const char *const headers[] = { "备注", "学号" };
	char *path = tmp("long.xlsx");
	char *big = xmalloc(EXPORT_XLSX_MAX_CHARS + 2);
	const char *row[2];
	struct wq_err err;
	struct export_writer *w;
	char *sheet;

	(void)state;
	w = export_open(path, EXPORT_XLSX, NULL, 2, headers, NULL, &err);
	assert_non_null(w);

	/* exactly at the limit once defanged: fits */
	big[0] = '=';
	memset(big + 1, 'a', EXPORT_XLSX_MAX_CHARS - 2);
	big[EXPORT_XLSX_MAX_CHARS - 1] = '\0';
	row[0] = big;
	row[1] = "2020001";
	assert_true(export_row(w, row, &err));

	/* one more: the whole row is refused, and the writer goes on */
	big[EXPORT_XLSX_MAX_CHARS - 1] = 'a';
	big[EXPORT_XLSX_MAX_CHARS] = '\0';
	row[0] = "x";
	row[1] = big;
	wq_err_clear(&err);
	assert_false(export_row(w, row, &err));
	assert_int_equal(err.code, WQ_ERR_INPUT);
	assert_string_equal(err.msg,
		"第 2 条数据的第 2 列有 32768 个字符，超过 XLSX 单元格的上限 32767；请改用 CSV 导出");

	row[0] = "last";
	row[1] = "2020003";
	assert_true(export_row(w, row, &err));
	assert_true(export_close(w, &err));

	sheet = zip_member(path, "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	assert_contains(sheet, "<dimension ref=\"A1:B3\"/>");
	assert_contains(sheet, "<t>2020001</t>");
	assert_contains(sheet, "<c r=\"A3\" s=\"2\" t=\"inlineStr\"><is><t>last</t>");
	assert_lacks(sheet, "<t>x</t>");
	assert_contains(sheet, "<col min=\"1\" max=\"1\" width=\"60");  /* capped */
	free(sheet);
	free(big);
	free(path);
}

static void
test_xlsx_abort(void **state)
{
	static const char *const headers[] = { "学号" };
	static const char *const r1[] = { "2020001" };
	char *path = tmp("gone.xlsx");
	struct wq_err err;
	struct export_writer *w;

	(void)state;
	w = export_open(path, EXPORT_XLSX, "名单", 1, headers, NULL, &err);
	assert_non_null(w);
	assert_true(export_row(w, r1, &err));
	assert_int_equal(dir_count(NULL, 0), 1);  /* the temporary file */
	export_abort(w);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(dir_count(NULL, 0), 0);
	free(path);
}

/* Temporary files (XLSX to standard output, an agreement's PDF to standard output, the demo's
 * rosters) go to $TMPDIR, else /tmp. */
static void
test_tmpdir_path(void **state)
{
	char *p;

	(void)state;
	setenv("TMPDIR", "/var/tmp/wq-test", 1);
	p = tmpdir_path("wq-export.xlsx");
	assert_string_equal(p, "/var/tmp/wq-test/wq-export.xlsx");
	free(p);
	setenv("TMPDIR", "", 1);
	p = tmpdir_path("x");
	assert_string_equal(p, "/tmp/x");
	free(p);
	unsetenv("TMPDIR");
	p = tmpdir_path("x");
	assert_string_equal(p, "/tmp/x");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_defang_formula_chars),
		cmocka_unit_test(test_defang_safe),
		cmocka_unit_test_setup_teardown(test_csv_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_header_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_atomic_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_zip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_cells, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_all_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_sheet_name_and_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_cell_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_abort, setup, teardown),
		cmocka_unit_test(test_tmpdir_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
