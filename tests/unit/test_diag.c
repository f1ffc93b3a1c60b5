/*
 * test_diag.c - the diagnostics sink: message shape, caret placement (tabs, UTF-8, BOM, CRLF),
 * spans, colour rules (TTY / NO_COLOR), GitHub annotation lines and the error/warning counts.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/diag.h"
#include "test_support.h"
#include "util/util_test.h"

/* Runs one report at byte offset/span of text through a sink writing to memory. */
static char *render(const char *text, size_t offset, size_t span, bool github)
{
	char *out = NULL;
	size_t len = 0;
	struct diag d;
	FILE *f = memory_diag(&d, &out, &len);
	d.github = github;
	struct source src;
	source_init(&src, "in.json", text, strlen(text));
	struct diag_loc loc;
	source_locate(&src, offset, span, &loc);
	diag_report(&d, DIAG_JSON_TYPE, &loc, "'%s' must be a number", "p50");
	fclose(f);
	source_fini(&src);
	return out;
}

static void test_position_and_caret_on_first_line(void **state)
{
	(void)state;
	char *out = render("{\"p50\": \"x\"}", 8, 3, false);
	assert_string_equal(out, "in.json:1:9: error: 'p50' must be a number\n"
				 "  {\"p50\": \"x\"}\n"
				 "          ^~~\n");
	free(out);
}

static void test_line_and_column_after_crlf_lines(void **state)
{
	(void)state;
	char *out = render("{\r\n  \"a\": 1,\r\n  \"p50\": true\r\n}\r\n", 23, 4, false);
	assert_string_equal(out, "in.json:3:10: error: 'p50' must be a number\n"
				 "    \"p50\": true\n"
				 "           ^~~~\n");
	free(out);
}

static void test_tab_in_source_stays_a_tab_under_it(void **state)
{
	(void)state;
	char *out = render("\t\"p50\": null", 8, 4, false);
	assert_string_equal(out, "in.json:1:9: error: 'p50' must be a number\n"
				 "  \t\"p50\": null\n"
				 "  \t       ^~~~\n");
	free(out);
}

static void test_utf8_counts_characters_not_bytes(void **state)
{
	(void)state;
	/* "é" is two bytes but one column; the value starts at byte 10, character 9 */
	const char *text = "{\"\xC3\xA9t\xC3\xA9\": x}";
	char *out = render(text, 10, 1, false);
	assert_non_null(strstr(out, "in.json:1:9: error:"));
	assert_non_null(strstr(out, "\n          ^\n"));
	free(out);
}

static void test_bom_is_not_a_column(void **state)
{
	(void)state;
	char *out = render("\xEF\xBB\xBF{\"a\": x}", 9, 1, false);
	assert_non_null(strstr(out, "in.json:1:7: error:"));
	free(out);
}

static void test_span_is_cut_at_line_end(void **state)
{
	(void)state;
	char *out = render("ab\ncd", 1, 10, false);
	assert_string_equal(out, "in.json:1:2: error: 'p50' must be a number\n"
				 "  ab\n"
				 "   ^\n");
	free(out);
}

static void test_control_characters_are_not_echoed(void **state)
{
	(void)state;
	char *out = render("a\033[31mb", 0, 1, false);
	assert_null(strchr(out, '\033'));
	free(out);
}

static void test_github_annotation_line_is_escaped(void **state)
{
	(void)state;
	char *out = render("{\"p50\": \"x\"}", 8, 3, true);
	assert_non_null(strstr(out, "\n::error file=in.json,line=1,col=9::'p50' must be a number\n"));
	free(out);

	char *buffer = NULL;
	size_t len = 0;
	struct diag d;
	FILE *f = memory_diag(&d, &buffer, &len);
	d.github = true;
	struct diag_loc loc = source_file_loc("a,b:c.json");
	diag_report(&d, DIAG_VALUES_CLAMPED, &loc, "50%% done\nnext");
	fclose(f);
	/* a newline from an input is shown as \n: it starts no line of its own */
	assert_string_equal(buffer, "a,b:c.json: warning: 50% done\\nnext\n"
				    "::warning file=a%2Cb%3Ac.json::50%25 done\\nnext\n");
	free(buffer);
}

/*
 * Names from inputs reach messages: a k6 name tag "x\n::error file=x.js,line=1::boom" must not
 * become a workflow command in a GitHub Actions log, and ESC/BEL must not reach a terminal, in
 * the message, the file name or the annotation line.
 */
static void test_control_characters_from_inputs_are_escaped(void **state)
{
	(void)state;
	char *buffer = NULL;
	size_t len = 0;
	struct diag d;
	FILE *f = memory_diag(&d, &buffer, &len);
	d.github = true;
	struct diag_loc loc = source_file_loc("evil\033]0;title\007.json");
	diag_report(&d, DIAG_VALUES_CLAMPED, &loc, "endpoint '%s'",
		    "x\n::error file=x.js,line=1::boom\r\t\xc2\x9b");
	fclose(f);
	assert_null(strstr(buffer, "\n::error"));
	assert_null(strchr(buffer, '\033'));
	assert_null(strchr(buffer, '\007'));
	assert_null(strchr(buffer, '\r'));
	assert_null(strchr(buffer, '\t'));
	assert_null(strstr(buffer, "\xc2\x9b"));
	assert_non_null(strstr(buffer, "evil\\x1b]0;title\\x07.json: warning: endpoint "
				       "'x\\n::error file=x.js,line=1::boom\\r\\t\\u009b'\n"));
	assert_non_null(strstr(buffer, "\n::warning file=evil\\x1b]0;title\\x07.json::endpoint"));
	free(buffer);
}

static void test_message_without_file_uses_program_name(void **state)
{
	(void)state;
	char *buffer = NULL;
	size_t len = 0;
	struct diag d;
	FILE *f = memory_diag(&d, &buffer, &len);
	diag_report(&d, DIAG_USAGE, NULL, "unknown option '%s'", "--x");
	diag_report(&d, DIAG_NOTE, NULL, "see --help");
	diag_report(&d, DIAG_VALUES_CLAMPED, NULL, "w");
	diag_summary(&d);
	fclose(f);
	assert_string_equal(buffer, "perfgate: error: unknown option '--x'\n"
				    "perfgate: note: see --help\n"
				    "perfgate: warning: w\n"
				    "perfgate: 1 error, 1 warning\n");
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.warnings, 1);
	assert_int_equal(d.notes, 1);
	free(buffer);
}

static void test_no_color_when_not_a_tty_or_no_color_set(void **state)
{
	(void)state;
	/* a memory stream is not a terminal: never coloured */
	char *buffer = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buffer, &len);
	struct diag d;
	unsetenv("NO_COLOR");
	diag_init(&d, f);
	assert_false(d.color);
	fclose(f);
	free(buffer);

	/* a terminal, if the test has one, is coloured unless NO_COLOR is set and not empty */
	FILE *tty = fopen("/dev/tty", "w");
	if (tty) {
		setenv("NO_COLOR", "1", 1);
		diag_init(&d, tty);
		assert_false(d.color);
		setenv("NO_COLOR", "", 1);
		diag_init(&d, tty);
		assert_true(d.color);
		unsetenv("NO_COLOR");
		fclose(tty);
	}
}

static void test_colour_codes_wrap_level_and_caret(void **state)
{
	(void)state;
	char *buffer = NULL;
	size_t len = 0;
	struct diag d;
	FILE *f = memory_diag(&d, &buffer, &len);
	d.color = true;
	struct source src;
	source_init(&src, "x", "abc", 3);
	struct diag_loc loc;
	source_locate(&src, 1, 1, &loc);
	diag_report(&d, DIAG_JSON_SYNTAX, &loc, "bad");
	fclose(f);
	source_fini(&src);
	assert_non_null(strstr(buffer, "\033[1;31merror:\033[0m bad"));
	assert_non_null(strstr(buffer, "\033[1;32m^\033[0m"));
	free(buffer);
}

static void test_github_env_turns_annotations_on(void **state)
{
	(void)state;
	struct diag d;
	setenv("GITHUB_ACTIONS", "true", 1);
	diag_init(&d, stderr);
	assert_true(d.github);
	setenv("GITHUB_ACTIONS", "false", 1);
	diag_init(&d, stderr);
	assert_false(d.github);
	unsetenv("GITHUB_ACTIONS");
}

static void test_every_id_has_name_level_and_summary(void **state)
{
	(void)state;
	for (int id = 0; id < DIAG__COUNT; id++) {
		assert_true(strncmp(diag_name_of((enum diag_id)id), "DIAG_", 5) == 0);
		assert_true(strlen(diag_summary_of((enum diag_id)id)) > 10);
		/* ordered by level: errors, then warnings, then notes */
		if (id > 0)
			assert_true(diag_level_of((enum diag_id)id) <=
				    diag_level_of((enum diag_id)(id - 1)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_position_and_caret_on_first_line),
		cmocka_unit_test(test_line_and_column_after_crlf_lines),
		cmocka_unit_test(test_tab_in_source_stays_a_tab_under_it),
		cmocka_unit_test(test_utf8_counts_characters_not_bytes),
		cmocka_unit_test(test_bom_is_not_a_column),
		cmocka_unit_test(test_span_is_cut_at_line_end),
		cmocka_unit_test(test_control_characters_are_not_echoed),
		cmocka_unit_test(test_github_annotation_line_is_escaped),
		cmocka_unit_test(test_control_characters_from_inputs_are_escaped),
		cmocka_unit_test(test_message_without_file_uses_program_name),
		cmocka_unit_test(test_no_color_when_not_a_tty_or_no_color_set),
		cmocka_unit_test(test_colour_codes_wrap_level_and_caret),
		cmocka_unit_test(test_github_env_turns_annotations_on),
		cmocka_unit_test(test_every_id_has_name_level_and_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
