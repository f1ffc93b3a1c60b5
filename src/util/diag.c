/*
 * diag.c - rendering and counting of diagnostics (see diag.h for the shape).
 *
 * A diagnostic is formatted into one buffer and written with a single fwrite, so lines from
 * one message never interleave with other output. The caret line mirrors the source line: a
 * tab in the source stays a tab under it, every other character becomes one space, so the caret
 * lines up in any terminal whose tab stops match the one showing the source line. Wide (East
 * Asian) characters count as one column; that is the one known misalignment, accepted to avoid
 * a locale-dependent wcwidth. Control characters in the displayed line are shown as '?' so
 * hostile input cannot drive the terminal.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "progress.h"
#include "util_test.h"

static const struct {
	const char *name;
	enum diag_level level;
	const char *summary;
} table[] = {
#define DIAG(id, level, summary) {#id, level, summary},
#include "diag.def"
#undef DIAG
};

enum diag_level diag_level_of(enum diag_id id)
{
	return table[id].level;
}

const char *diag_name_of(enum diag_id id)
{
	return table[id].name;
}

const char *diag_summary_of(enum diag_id id)
{
	return table[id].summary;
}

void diag_init(struct diag *d, FILE *out)
{
	memset(d, 0, sizeof *d);
	d->out = out;
	d->program = "perfgate";
	const char *no_color = getenv("NO_COLOR");
	d->color = isatty(fileno(out)) && !(no_color && no_color[0]);
	const char *github = getenv("GITHUB_ACTIONS");
	d->github = github && strcmp(github, "true") == 0;
	const char *ids = getenv("PERFGATE_DIAG_IDS");
	d->ids = ids && ids[0] && strcmp(ids, "0") != 0;
}

#define BOLD "\033[1m"
#define RED "\033[1;31m"
#define MAGENTA "\033[1;35m"
#define CYAN "\033[1;36m"
#define GREEN "\033[1;32m"
#define RESET "\033[0m"

/*
 * The quoted source line, one glyph per column as put_caret counts them: control characters
 * (C0, DEL and the C1 range U+0080..U+009F, which terminals obey too) and bytes that are not
 * UTF-8 show as '?'; a stray continuation byte, which counts no column, shows nothing.
 */
static void put_line_text(struct buf *b, const char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)text[i];
		size_t n = str_utf8_sequence(text + i, len - i);
		if (n == 0) {
			if ((c & 0xC0) != 0x80)
				buf_putc(b, '?');
			i++;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f ||
			   (n == 2 && c == 0xC2 && (unsigned char)text[i + 1] < 0xA0)) {
			buf_putc(b, '?');
			i += n;
		} else {
			buf_append(b, text + i, n);
			i += n;
		}
	}
}

/* Bytes of source line shown around the caret: a 100 MB line is quoted as a window of it. */
enum { LINE_WINDOW = 400, LINE_BEFORE = 200 };

/*
 * Narrows loc's line text to at most LINE_WINDOW bytes around its column, on character
 * boundaries, and moves the column along; *cut_front and *cut_back tell what was cut.
 */
static void line_window(struct diag_loc *loc, bool *cut_front, bool *cut_back)
{
	*cut_front = *cut_back = false;
	if (loc->line_len <= LINE_WINDOW)
		return;
	/* the byte where the column starts */
	const unsigned char *text = (const unsigned char *)loc->line_text;
	size_t at = 0;
	for (uint64_t column = 1; at < loc->line_len && column < loc->column; column++) {
		at++;
		while (at < loc->line_len && (text[at] & 0xC0) == 0x80)
			at++;
	}
	size_t from = at > LINE_BEFORE ? at - LINE_BEFORE : 0;
	while (from > 0 && (text[from] & 0xC0) == 0x80)
		from--;
	size_t to = from + LINE_WINDOW < loc->line_len ? from + LINE_WINDOW : loc->line_len;
	while (to < loc->line_len && to > from && (text[to] & 0xC0) == 0x80)
		to--;
	/* the column within the window: characters from its start */
	uint64_t skipped = 0;
	for (size_t i = 0; i < from; i++)
		skipped += (text[i] & 0xC0) != 0x80;
	*cut_front = from > 0;
	*cut_back = to < loc->line_len;
	loc->line_text += from;
	loc->line_len = to - from;
	loc->column = loc->column > skipped ? loc->column - skipped : 1;
}

static void put_caret(struct buf *b, const struct diag_loc *loc, bool color)
{
	uint64_t column = 1;
	size_t i = 0;
	for (; i < loc->line_len && column < loc->column; i++) {
		unsigned char c = (unsigned char)loc->line_text[i];
		if ((c & 0xC0) == 0x80)
			continue;
		buf_putc(b, c == '\t' ? '\t' : ' ');
		column++;
	}
	/* the span underlines no further than the quoted text goes (a window of a long line) */
	uint64_t left = 0;
	for (; i < loc->line_len; i++)
		left += ((unsigned char)loc->line_text[i] & 0xC0) != 0x80;
	if (color)
		buf_puts(b, GREEN);
	buf_putc(b, '^');
	for (uint64_t k = 1; k < loc->span && k < left; k++)
		buf_putc(b, '~');
	if (color)
		buf_puts(b, RESET);
	buf_putc(b, '\n');
}

/* GitHub workflow commands: % CR LF are escaped in data; properties also escape : and , */
static void put_github_escaped(struct buf *b, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': buf_puts(b, "%25"); break;
		case '\r': buf_puts(b, "%0D"); break;
		case '\n': buf_puts(b, "%0A"); break;
		case ':': buf_puts(b, property ? "%3A" : ":"); break;
		case ',': buf_puts(b, property ? "%2C" : ","); break;
		default: buf_putc(b, *s);
		}
	}
}

static void put_github(struct buf *b, enum diag_level level, const struct diag_loc *loc,
		       const char *message)
{
	buf_puts(b, level == DIAG_ERROR ? "::error" : "::warning");
	if (loc && loc->file) {
		struct buf file;
		buf_init(&file);
		str_put_visible(&file, loc->file);
		buf_puts(b, " file=");
		put_github_escaped(b, file.data, true);
		buf_fini(&file);
		if (loc->line)
			buf_printf(b, ",line=%llu", (unsigned long long)loc->line);
		if (loc->line && loc->column)
			buf_printf(b, ",col=%llu", (unsigned long long)loc->column);
	}
	buf_puts(b, "::");
	put_github_escaped(b, message, false);
	buf_putc(b, '\n');
}

void diag_vreport(struct diag *d, enum diag_id id, const struct diag_loc *loc,
		  const char *fmt, va_list ap)
{
	enum diag_level level = table[id].level;
	static const char *const level_names[] = {"note", "warning", "error"};
	static const char *const level_colors[] = {CYAN, MAGENTA, RED};

	/*
	 * Messages quote names and paths from inputs: every control character is escaped (a
	 * newline in a k6 name tag must not start a `::error` workflow command line in a CI log,
	 * an ESC must not reach the terminal). perfgate's own messages hold none.
	 */
	struct buf raw, message;
	buf_init(&raw);
	buf_init(&message);
	buf_vprintf(&raw, fmt, ap);
	str_put_visible(&message, raw.data ? raw.data : "");
	buf_fini(&raw);

	struct buf b;
	buf_init(&b);
	if (d->color)
		buf_puts(&b, BOLD);
	if (loc && loc->file) {
		str_put_visible(&b, loc->file);
		if (loc->line)
			buf_printf(&b, ":%llu", (unsigned long long)loc->line);
		if (loc->line && loc->column)
			buf_printf(&b, ":%llu", (unsigned long long)loc->column);
	} else {
		buf_puts(&b, d->program);
	}
	buf_puts(&b, ": ");
	if (d->color)
		buf_printf(&b, RESET "%s", level_colors[level]);
	buf_puts(&b, level_names[level]);
	if (d->ids)
		buf_printf(&b, "[%s]", table[id].name);
	buf_putc(&b, ':');
	if (d->color)
		buf_puts(&b, RESET);
	buf_printf(&b, " %s\n", message.data ? message.data : "");
	if (loc && loc->line_text && loc->column) {
		struct diag_loc window = *loc;
		bool cut_front, cut_back;
		line_window(&window, &cut_front, &cut_back);
		buf_puts(&b, cut_front ? "  ..." : "  ");
		put_line_text(&b, window.line_text, window.line_len);
		buf_puts(&b, cut_back ? "...\n  " : "\n  ");
		if (cut_front)
			buf_puts(&b, "   ");
		put_caret(&b, &window, d->color);
	}
	if (d->github && level != DIAG_NOTE_LEVEL)
		put_github(&b, level, loc, message.data ? message.data : "");

	progress_erase();
	fwrite(b.data, 1, b.len, d->out);
	fflush(d->out);
	buf_fini(&b);
	buf_fini(&message);

	if (level == DIAG_ERROR)
		d->errors++;
	else if (level == DIAG_WARNING)
		d->warnings++;
	else
		d->notes++;
}

void diag_report(struct diag *d, enum diag_id id, const struct diag_loc *loc,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, id, loc, fmt, ap);
	va_end(ap);
}

void diag_summary(struct diag *d)
{
	if (!d->errors && !d->warnings)
		return;
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "%s: ", d->program);
	if (d->errors)
		buf_printf(&b, "%lu error%s", d->errors, d->errors == 1 ? "" : "s");
	if (d->errors && d->warnings)
		buf_puts(&b, ", ");
	if (d->warnings)
		buf_printf(&b, "%lu warning%s", d->warnings, d->warnings == 1 ? "" : "s");
	buf_putc(&b, '\n');
	progress_erase();
	fwrite(b.data, 1, b.len, d->out);
	fflush(d->out);
	buf_fini(&b);
}
