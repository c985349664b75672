/*
 * fuzz_validate.c: libFuzzer harness for roster row validation
 * (validate_row, validate_seen_add).  The input is the row's fields
 * separated by 0x1f (unit separator); missing fields are absent columns.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "validate.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A small copy of the national tables (db/migrations/0002_code_tables.sql). */
static void
load_codes(struct codes *codes)
{
	static const char *const rows[][4] = {
		{ "sex", "1", "男", NULL },
		{ "sex", "2", "女", NULL },
		{ "ethnicity", "01", "汉族", NULL },
		{ "ethnicity", "05", "维吾尔族", NULL },
		{ "political_status", "03", "共青团员", NULL },
		{ "political_status", "13", "群众", NULL },
		{ "education_level", "11", "硕士生毕业", NULL },
		{ "education_level", "31", "本科生毕业", NULL },
		{ "province", "11", "北京市", "北京" },
		{ "province", "65", "新疆维吾尔自治区", "新疆" },
	};
	size_t i;

	codes_init(codes);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		codes_add(codes, rows[i][0], rows[i][1], rows[i][2], rows[i][3], false);
	codes_add(codes, "training_mode", "1", "非定向", NULL, true);
	codes_add(codes, "training_mode", "21", "定向（不可网签）", NULL, false);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct codes codes;
	static bool loaded;
	const char *values[RF_COUNT] = { 0 };
	struct roster_row row;
	struct validate_problems problems;
	struct validate_seen seen;
	char *text = xmalloc(size + 1), *p;
	size_t i;
	int f = 0;

	if (!loaded) {
		load_codes(&codes);
		loaded = true;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	for (p = text; f < RF_COUNT; f++) {
		char *sep = strchr(p, '\x1f');

		values[f] = p;
		if (!sep)
			break;
		*sep = '\0';
		p = sep + 1;
	}
	roster_row_init(&row);
	validate_problems_init(&problems);
	validate_row(&codes, "10001", "北京示例大学", values, &row, &problems);
	for (i = 0; i < problems.n; i++)
		if (!problems.items[i].msg || (int)problems.items[i].field >= RF_COUNT)
			abort();
	validate_seen_init(&seen);
	validate_seen_add(&seen, row.value[RF_STUDENT_NO], 2);
	if (row.value[RF_STUDENT_NO] && *row.value[RF_STUDENT_NO]
	    && validate_seen_add(&seen, row.value[RF_STUDENT_NO], 3) != 2)
		abort();
	validate_seen_fini(&seen);
	validate_problems_fini(&problems);
	roster_row_fini(&row);
	free(text);
	return 0;
}
