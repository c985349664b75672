/*
 * test_image_view.c: the attachment view's keys, without a terminal: it
 * opens on a picture and refuses what is none, zooms by 2 up to 8 times,
 * moves inside the picture only, and q or Esc closes it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curses.h>
#include <string.h>

#include "image_view.h"

/* The smallest PDF poppler reads: one empty 200 x 100 point page. */
static const char pdf[] =
	"%PDF-1.4\n"
	"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >> endobj\n"
	"trailer << /Root 1 0 R >>\n"
	"%%EOF\n";

static void
test_open_zoom_move_close(void **state)
{
	struct image_view v;
	struct wq_err err;

	(void)state;
	assert_true(image_view_open(&v, (const unsigned char *)pdf, sizeof(pdf) - 1, "协议书.pdf", &err));
	assert_true(v.open);
	assert_int_equal(v.zoom, 1);
	assert_int_equal(v.img.width, IMAGE_MAX_SIDE);
	assert_int_equal(v.img.height, IMAGE_MAX_SIDE / 2);
	assert_string_equal(v.title, "协议书.pdf");

	/* all of it shown: moving does nothing */
	assert_true(image_view_key(&v, false, 'l'));
	assert_int_equal(v.cx, IMAGE_MAX_SIDE / 2);

	for (int i = 0; i < 5; i++)
		assert_true(image_view_key(&v, false, '+'));
	assert_int_equal(v.zoom, 8);
	/* far to the right and down: the part shown stays inside the picture */
	for (int i = 0; i < 100; i++) {
		assert_true(image_view_key(&v, true, KEY_RIGHT));
		assert_true(image_view_key(&v, false, 'j'));
	}
	assert_int_equal(v.cx + (IMAGE_MAX_SIDE / 8) / 2, IMAGE_MAX_SIDE);
	assert_int_equal(v.cy + (IMAGE_MAX_SIDE / 16) / 2, IMAGE_MAX_SIDE / 2);
	assert_true(image_view_key(&v, false, '-'));
	assert_int_equal(v.zoom, 4);
	assert_true(image_view_key(&v, false, '0'));
	assert_int_equal(v.zoom, 1);

	assert_true(image_view_key(&v, false, 'x'));    /* not a key of the view */
	assert_false(image_view_key(&v, false, 27));    /* Esc */
	assert_false(v.open);
	assert_null(v.img.rgba);

	assert_true(image_view_open(&v, (const unsigned char *)pdf, sizeof(pdf) - 1, NULL, &err));
	assert_string_equal(v.title, "附件");
	assert_false(image_view_key(&v, false, 'q'));
	image_view_close(&v);   /* twice is harmless */
}

static void
test_refused(void **state)
{
	struct image_view v;
	struct wq_err err;

	(void)state;
	assert_false(image_view_open(&v, (const unsigned char *)"GIF89a", 6, "x.gif", &err));
	assert_false(v.open);
	assert_int_equal(err.code, WQ_ERR_INPUT);
	assert_string_equal(err.msg, "附件不是 JPEG、PNG 或 PDF 文件，无法显示");
	image_view_close(&v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_zoom_move_close),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
