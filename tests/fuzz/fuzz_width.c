/*
 * fuzz_width.c: libFuzzer harness for the width function and the fitter
 * (str_width, str_fit, str_visible): what they say must agree with what they
 * write.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t skip, max, w, got, i;
	char *s, *out, *vis;
	int flags;

	if (size < 3)
		return 0;
	skip = data[0] % 16;
	max = data[1] % 64;
	flags = data[2] & (STR_FIT_ELLIPSIS | STR_FIT_PAD | STR_FIT_ASCII);
	s = xstrndup((const char *)data + 3, size - 3);   /* up to the first NUL */
	w = str_width(s);

	out = xmalloc(STR_FIT_BUFSIZE(max));
	got = str_fit(s, skip, max, flags, out, STR_FIT_BUFSIZE(max));
	if (got > max || str_width(out) != got)
		abort();
	if ((flags & STR_FIT_PAD) && got != max)
		abort();
	if (skip == 0 && w <= max && !(flags & STR_FIT_PAD) && got != w)
		abort();
	/* what is drawn holds no control character and is valid UTF-8 */
	vis = str_visible(out);
	if (strcmp(vis, out) != 0)
		abort();
	free(vis);
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			abort();
	free(out);

	/* escaping keeps the width and is idempotent */
	vis = str_visible(s);
	if (str_width(vis) != w)
		abort();
	out = str_visible(vis);
	if (strcmp(out, vis) != 0)
		abort();
	free(out);
	free(vis);
	free(s);
	return 0;
}
