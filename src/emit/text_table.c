/*
 * text_table.c - aligned text tables for the terminal (emit.h): `show`'s series table and
 * `compare`'s table. Widths are measured in bytes; callers put escaped, visible text in
 * cells (str_put_visible_cut), so a byte is a column except in UTF-8 names, which then
 * stand a little to the left: never misread, only less tidy.
 */
#include <stdlib.h>
#include <string.h>

#include "emit.h"

void text_table_init(struct text_table *t, size_t columns, size_t left)
{
	memset(t, 0, sizeof *t);
	t->columns = columns;
	t->left = left;
}

size_t text_table_add_row(struct text_table *t)
{
	size_t cap_cells = t->cap * t->columns;
	t->cells = xgrow(t->cells, &cap_cells, (t->rows + 1) * t->columns, sizeof *t->cells);
	t->cap = cap_cells / t->columns;
	memset(&t->cells[t->rows * t->columns], 0, t->columns * sizeof *t->cells);
	return t->rows++;
}

void text_table_set(struct text_table *t, size_t row, size_t column, const char *text)
{
	char **cell = &t->cells[row * t->columns + column];
	free(*cell);
	*cell = xstrdup(text);
}

void text_table_fini(struct text_table *t)
{
	for (size_t i = 0; i < t->rows * t->columns; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof *t);
}

void text_table_print(const struct text_table *t, struct buf *out)
{
	size_t *width = xcalloc(t->columns ? t->columns : 1, sizeof *width);
	for (size_t r = 0; r < t->rows; r++)
		for (size_t c = 0; c < t->columns; c++) {
			const char *cell = t->cells[r * t->columns + c];
			if (cell && strlen(cell) > width[c])
				width[c] = strlen(cell);
		}
	for (size_t r = 0; r < t->rows; r++) {
		buf_puts(out, "   ");
		for (size_t c = 0; c < t->columns; c++) {
			bool left = c < t->left;
			const char *cell = t->cells[r * t->columns + c];
			if (!cell)
				cell = "";
			size_t pad = width[c] - strlen(cell);
			buf_putc(out, ' ');
			if (!left)
				for (size_t i = 0; i < pad; i++)
					buf_putc(out, ' ');
			buf_puts(out, cell);
			if (left && c + 1 < t->columns)
				for (size_t i = 0; i < pad; i++)
					buf_putc(out, ' ');
		}
		buf_putc(out, '\n');
	}
	free(width);
}
