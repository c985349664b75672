/* fuzz_conf.c: libFuzzer harness for the YAML configuration loader (conf_merge_string, conf_print). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct wq_conf c;
	struct wq_err err;
	char *text;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	conf_init_defaults(&c);
	conf_merge_string(&c, "fuzz.yaml", text, &err);
	if (devnull)
		conf_print(&c, devnull);
	conf_fini(&c);
	free(text);
	return 0;
}
