/*
 * test_attach.c: unit tests for src/attach.c (types by magic number, SHA-256
 * test vectors, reading files and what is refused).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "unittest.h"
#include "util.h"

/* A 1x1 grayscale PNG (IHDR, IDAT, IEND). */
static const unsigned char png_1x1[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00,
	0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0x0f, 0x00, 0x01,
	0x01, 0x01, 0x00, 0xb1, 0x38, 0xf6, 0x14, 0x00, 0x00, 0x00, 0x00, 0x49,
	0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
/* Its SHA-256, from sha256sum. */
#define PNG_1X1_SHA256 "d44c0303173ecdb8ba72a7ab688f020583b31865537e2f9ab57e56aeec687807"

/* A 1x1 grayscale baseline JPEG (DQT, SOF0, two one-code DHTs, SOS, one block). */
static const unsigned char jpeg_1x1[] = {
	0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x01, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0xff,
	0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00,
	0xff, 0xc4, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xc4,
	0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08,
	0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x3f, 0xff, 0xd9,
};

/* An empty one-catalog PDF. */
static const char pdf_min[] =
	"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
	"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
	"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
	"trailer\n<< /Root 1 0 R >>\n%%EOF\n";
#define PDF_MIN_SHA256 "6ed7f3aebfaf2ee3913347e0844980ccf8101f72be9f2e7858922276768012da"

/* FF D8 FF and zeros up to exactly 10 MiB, from Python's hashlib. */
#define JPEG_10MIB_SHA256 "a914a0ab6b310e9b2d36d166a33aeb26cdd3facba1640c8344a34a96bb84757d"

/* The per-test scratch directory. */
static char tmpdir[PATH_MAX];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_attach.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	remove_tree(tmpdir);
	return 0;
}

/* Writes len bytes to tmpdir/name; returns the path (the caller frees it). */
static char *
spit(const char *name, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	if (len > 0)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* Asserts attach_read(path) fails with code and a message that names path and contains want. */
static void
refused(const char *path, enum wq_err_code code, const char *want)
{
	struct attachment a;
	struct wq_err err;

	memset(&a, 'Z', sizeof(a));
	wq_err_clear(&err);
	assert_false(attach_read(path, &a, &err));
	assert_int_equal(err.code, code);
	if (!strstr(err.msg, path) || !strstr(err.msg, want))
		fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", err.msg, path, want);
	assert_true(wq_text_is_chinese(strstr(err.msg, ": ") + 2));
	assert_null(a.data);
	assert_int_equal(a.size, 0);
	attach_free(&a);
	/* err may be NULL */
	assert_false(attach_read(path, &a, NULL));
}

/* ---- SHA-256 ---- */

static void
hex_is(const void *data, size_t len, const char *want)
{
	char hex[ATTACH_SHA256_HEX_SIZE];

	memset(hex, 'Z', sizeof(hex));
	attach_sha256_hex(data, len, hex);
	assert_string_equal(hex, want);
}

static void
test_sha256_vectors(void **state)
{
	static const char v448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char v896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	char *million;

	(void)state;
	hex_is("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_is("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_is(v448, strlen(v448), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	hex_is(v896, strlen(v896), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	million = xmalloc(1000000);
	memset(million, 'a', 1000000);
	hex_is(million, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

/* Fed in pieces of every size from 1 to 130 bytes, the digest is the one-call digest. */
static void
test_sha256_incremental(void **state)
{
	unsigned char whole[32], parts[32];
	unsigned char data[1000];
	struct attach_sha256 s;
	size_t i, step, off;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + 3);
	attach_sha256_init(&s);
	attach_sha256_update(&s, data, sizeof(data));
	attach_sha256_final(&s, whole);
	for (step = 1; step <= 130; step++) {
		attach_sha256_init(&s);
		for (off = 0; off < sizeof(data); off += step)
			attach_sha256_update(&s, data + off,
				sizeof(data) - off < step ? sizeof(data) - off : step);
		attach_sha256_final(&s, parts);
		assert_memory_equal(whole, parts, 32);
	}
	/* the million 'a' in pieces of 1000 */
	{
		char hex[ATTACH_SHA256_HEX_SIZE];
		unsigned char d[32];
		static const char digits[] = "0123456789abcdef";

		memset(data, 'a', sizeof(data));
		attach_sha256_init(&s);
		for (i = 0; i < 1000; i++)
			attach_sha256_update(&s, data, sizeof(data));
		attach_sha256_final(&s, d);
		for (i = 0; i < 32; i++) {
			hex[2 * i] = digits[d[i] >> 4];
			hex[2 * i + 1] = digits[d[i] & 0xF];
		}
		hex[64] = '\0';
		assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	}
}

/* ---- types ---- */

static void
test_type_of(void **state)
{
	(void)state;
	assert_int_equal(attach_type_of(jpeg_1x1, sizeof(jpeg_1x1)), ATTACH_JPEG);
	assert_int_equal(attach_type_of(png_1x1, sizeof(png_1x1)), ATTACH_PNG);
	assert_int_equal(attach_type_of(pdf_min, sizeof(pdf_min) - 1), ATTACH_PDF);
	/* too short for the magic */
	assert_int_equal(attach_type_of(jpeg_1x1, 2), ATTACH_UNKNOWN);
	assert_int_equal(attach_type_of(png_1x1, 7), ATTACH_UNKNOWN);
	assert_int_equal(attach_type_of("%PDF", 4), ATTACH_UNKNOWN);
	assert_int_equal(attach_type_of("", 0), ATTACH_UNKNOWN);
	assert_int_equal(attach_type_of(NULL, 10), ATTACH_UNKNOWN);
	/* a PNG signature with its line ends rewritten by a text transfer */
	assert_int_equal(attach_type_of("\x89PNG\n\x1a\n\n", 8), ATTACH_UNKNOWN);
	assert_int_equal(attach_type_of("hello, world", 12), ATTACH_UNKNOWN);
}

static void
test_mime(void **state)
{
	(void)state;
	assert_string_equal(attach_mime(ATTACH_JPEG), "image/jpeg");
	assert_string_equal(attach_mime(ATTACH_PNG), "image/png");
	assert_string_equal(attach_mime(ATTACH_PDF), "application/pdf");
	assert_string_equal(attach_mime(ATTACH_UNKNOWN), "application/octet-stream");
}

/* ---- files ---- */

/* Reads path and asserts its type, size and digest. */
static void
read_ok(const char *path, enum attach_type type, size_t size, const char *sha256)
{
	struct attachment a;
	struct wq_err err;

	wq_err_clear(&err);
	if (!attach_read(path, &a, &err))
		fail_msg("%s refused: %s", path, err.msg);
	assert_int_equal(a.type, type);
	assert_int_equal(a.size, size);
	assert_non_null(a.data);
	if (sha256)
		assert_string_equal(a.sha256, sha256);
	attach_free(&a);
	assert_null(a.data);
	assert_int_equal(a.size, 0);
	attach_free(NULL);
}

static void
test_read_each_type(void **state)
{
	char *jpg = spit("scan.jpg", jpeg_1x1, sizeof(jpeg_1x1));
	char *png = spit("photo.png", png_1x1, sizeof(png_1x1));
	char *pdf = spit("agreement.pdf", pdf_min, sizeof(pdf_min) - 1);

	(void)state;
	read_ok(jpg, ATTACH_JPEG, sizeof(jpeg_1x1), NULL);
	read_ok(png, ATTACH_PNG, sizeof(png_1x1), PNG_1X1_SHA256);
	read_ok(pdf, ATTACH_PDF, sizeof(pdf_min) - 1, PDF_MIN_SHA256);
	free(jpg);
	free(png);
	free(pdf);
}

/* The name says nothing: a PNG called .pdf, or with no extension, is a PNG. */
static void
test_read_by_bytes_not_name(void **state)
{
	char *renamed = spit("agreement.pdf", png_1x1, sizeof(png_1x1));
	char *bare = spit("upload", jpeg_1x1, sizeof(jpeg_1x1));
	struct attachment a;

	(void)state;
	read_ok(renamed, ATTACH_PNG, sizeof(png_1x1), PNG_1X1_SHA256);
	assert_true(attach_read(renamed, &a, NULL));
	assert_string_equal(attach_mime(a.type), "image/png");
	attach_free(&a);
	read_ok(bare, ATTACH_JPEG, sizeof(jpeg_1x1), NULL);
	free(renamed);
	free(bare);
}

static void
test_read_text_refused(void **state)
{
	char *txt = spit("agreement.pdf", "not a pdf at all\n", 17);

	(void)state;
	refused(txt, WQ_ERR_INPUT, "只接受 JPEG、PNG 或 PDF 文件");
	free(txt);
}

static void
test_read_empty_refused(void **state)
{
	char *empty = spit("empty.png", "", 0);

	(void)state;
	refused(empty, WQ_ERR_INPUT, "空文件");
	free(empty);
}

/* Exactly 10 MiB is accepted (and hashed right); one byte more is refused and says the limit. */
static void
test_read_size_limit(void **state)
{
	unsigned char *big = xcalloc(ATTACH_MAX_BYTES + 1, 1);
	char *at, *over;

	(void)state;
	assert_int_equal(ATTACH_MAX_BYTES, 10 * 1024 * 1024);
	memcpy(big, jpeg_1x1, 3);
	at = spit("at.jpg", big, ATTACH_MAX_BYTES);
	over = spit("over.jpg", big, ATTACH_MAX_BYTES + 1);
	read_ok(at, ATTACH_JPEG, ATTACH_MAX_BYTES, JPEG_10MIB_SHA256);
	refused(over, WQ_ERR_INPUT, "不能超过 10 MiB");
	free(big);
	free(at);
	free(over);
}

static void
test_read_missing_refused(void **state)
{
	char *missing = xasprintf("%s/no-such-scan.jpg", tmpdir);

	(void)state;
	refused(missing, WQ_ERR_IO, "文件或目录不存在");
	free(missing);
	/* a file used as a folder: ENOTDIR, also in Chinese */
	{
		char *file = spit("scan.png", png_1x1, sizeof(png_1x1));
		char *below = xasprintf("%s/inner.png", file);

		refused(below, WQ_ERR_IO, "路径中有一项不是目录");
		free(file);
		free(below);
	}
}

static void
test_read_directory_refused(void **state)
{
	char *dir = xasprintf("%s/folder.pdf", tmpdir);

	(void)state;
	assert_int_equal(mkdir(dir, 0700), 0);
	refused(dir, WQ_ERR_INPUT, "是目录");
	free(dir);
}

/* A FIFO is not waited on (no writer) but refused as not a regular file. */
static void
test_read_fifo_refused(void **state)
{
	char *fifo = xasprintf("%s/pipe.png", tmpdir);

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	refused(fifo, WQ_ERR_INPUT, "不是普通文件");
	free(fifo);
}

/* Unreadable: the cause in Chinese.  root reads any file, so the check needs another user. */
static void
test_read_unreadable_refused(void **state)
{
	char *locked = spit("locked.png", png_1x1, sizeof(png_1x1));

	(void)state;
	assert_int_equal(chmod(locked, 0), 0);
	if (geteuid() != 0)
		refused(locked, WQ_ERR_IO, "没有权限");
	else
		read_ok(locked, ATTACH_PNG, sizeof(png_1x1), PNG_1X1_SHA256);
	free(locked);
}

static void
test_read_no_path(void **state)
{
	struct attachment a;
	struct wq_err err;

	(void)state;
	wq_err_clear(&err);
	assert_false(attach_read(NULL, &a, &err));
	assert_int_equal(err.code, WQ_ERR_USAGE);
	assert_true(wq_text_is_chinese(err.msg));
	assert_false(attach_read("", &a, &err));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_sha256_incremental),
		cmocka_unit_test(test_type_of),
		cmocka_unit_test(test_mime),
		cmocka_unit_test_setup_teardown(test_read_each_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_by_bytes_not_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_text_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_empty_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_size_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_missing_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_directory_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_fifo_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_unreadable_refused, setup, teardown),
		cmocka_unit_test(test_read_no_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
