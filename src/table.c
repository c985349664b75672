/* table.c: aligned command-line tables. */
#include "table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"
#include "util.h"

void
table_init(struct table *t, int ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
}

void
table_add(struct table *t, const char *const *cells)
{
	int c;

	t->cells = xrealloc(t->cells, (size_t)(t->nrows + 1) * (size_t)t->ncols * sizeof(char *));
	for (c = 0; c < t->ncols; c++)
		t->cells[t->nrows * t->ncols + c] = str_visible(cells[c]);
	t->nrows++;
}

void
table_addv(struct table *t, ...)
{
	const char *cells[16];
	va_list ap;
	int c;

	va_start(ap, t);
	for (c = 0; c < t->ncols && c < (int)ARRAY_SIZE(cells); c++)
		cells[c] = va_arg(ap, const char *);
	va_end(ap);
	table_add(t, cells);
}

void
table_print(const struct table *t, FILE *out)
{
	size_t *width = xcalloc((size_t)t->ncols, sizeof(size_t));
	int r, c, last;
	size_t w;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if ((w = str_width(t->cells[r * t->ncols + c])) > width[c])
				width[c] = w;
	for (r = 0; r < t->nrows; r++) {
		/* the last cell that is not empty ends the line */
		for (last = t->ncols - 1; last > 0 && !t->cells[r * t->ncols + last][0]; last--)
			;
		for (c = 0; c <= last; c++) {
			const char *cell = t->cells[r * t->ncols + c];

			fputs(cell, out);
			if (c < last)
				fprintf(out, "%*s", (int)(width[c] - str_width(cell) + 2), "");
		}
		fputc('\n', out);
	}
	free(width);
}

void
table_fini(struct table *t)
{
	int i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

void
print_visible_lines(FILE *out, const char *text)
{
	const char *end;
	char *line, *vis;

	while (text && *text) {
		end = strchr(text, '\n');
		line = end ? xstrndup(text, (size_t)(end - text)) : xstrdup(text);
		vis = str_visible(line);
		fputs(vis, out);
		if (end)
			fputc('\n', out);
		free(vis);
		free(line);
		text = end ? end + 1 : NULL;
	}
}

void
table_tsv_cell(FILE *out, const char *v, bool last)
{
	char *vis = str_visible(v ? v : "");

	fputs(vis, out);
	fputc(last ? '\n' : '\t', out);
	free(vis);
}
