/* fuzz_csv.c: libFuzzer harness for the CSV reader (csv_parse, csv_check_widths). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum csv_encoding encs[] = { CSV_ENC_AUTO, CSV_ENC_UTF8, CSV_ENC_GBK };
	struct csv c;
	struct wq_err err;
	int r, f;

	if (size == 0)
		return 0;
	/* the first byte picks the encoding */
	if (csv_parse((const char *)data + 1, size - 1, encs[data[0] % 3], &c, &err)) {
		csv_check_widths(&c, "fuzz.csv", &err);
		for (r = 0; r < c.nrecords; r++)
			for (f = 0; f < c.records[r].nfields; f++)
				(void)strlen(c.records[r].fields[f]);   /* every field is a string */
	}
	csv_free(&c);
	return 0;
}
