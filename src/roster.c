/* roster.c: the roster's fields. */
#include "roster.h"

#include <string.h>

const struct roster_field_info roster_fields[RF_COUNT] = {
#define ROSTER_ROW(id, header, column, required) [RF_##id] = { RF_##id, header, column, required },
	ROSTER_FIELDS(ROSTER_ROW)
#undef ROSTER_ROW
};

int
roster_field_by_header(const char *name)
{
	int i;

	for (i = 0; i < RF_COUNT; i++)
		if (strcmp(roster_fields[i].header, name) == 0)
			return i;
	return -1;
}
