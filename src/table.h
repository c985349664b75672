/*
 * table.h: the command line's one table printer.  Columns line up by
 * display width (str_width: a CJK character takes two cells), and every cell
 * is printed through str_visible, so a value holding ESC or another control
 * character reaches the terminal escaped, as on the screens.
 */
#ifndef WQ_TABLE_H
#define WQ_TABLE_H

#include <stdbool.h>
#include <stdio.h>

struct table {
	int ncols;
	int nrows;
	char **cells;   /* nrows * ncols, visible copies */
};

void table_init(struct table *t, int ncols);

/* Adds a row of ncols cells (NULL prints as ""); a row may be shorter when
 * its last cells are NULL. */
void table_add(struct table *t, const char *const *cells);

/* table_add with the cells as arguments (exactly ncols of them). */
void table_addv(struct table *t, ...);

/* Prints every row: cells padded to their column's width, two spaces apart,
 * no trailing spaces. */
void table_print(const struct table *t, FILE *out);

void table_fini(struct table *t);

/* Prints one cell of a tab-separated row (through str_visible: a tab or a
 * line break in v is escaped), then a tab, or a newline after the last. */
void table_tsv_cell(FILE *out, const char *v, bool last);

/* Prints text (NULL: nothing) line by line, each line through str_visible:
 * its newlines are kept, every other control character is escaped. */
void print_visible_lines(FILE *out, const char *text);

#endif
