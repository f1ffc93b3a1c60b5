/*
 * budget.h - the budget layer: budget files, the expression language, and their evaluation.
 *
 * Audience: the budget layer files, the emit back ends (which read struct verdict) and the
 * drivers (judge.c, cmd_lint.c). Front ends never include it.
 *
 * A budget is a small compiler (DESIGN §5, docs/budgets.md):
 *   load.c           budget JSON file -> rules (selector, assertions, level, waiver), k6
 *                    `thresholds` included; knows where every string sits in the file
 *   lex.c, parse.c   assertion string -> tokens -> expression tree, errors at file:line:col
 *   check.c          names, units and dimensions; did-you-mean for what is unknown
 *   k6_thresholds.c  k6's own threshold grammar (FORMATS.md §1.5), exactly v0.37+
 *   select.c         which (run, endpoint, tags) of a model a rule applies to
 *   eval.c           rules x model (+ baseline) -> one result per (rule, assertion, target)
 *
 * Grammar of an assertion (parse.c has one function per rule):
 *   assertion  := or EOF
 *   or         := and ('or' and)*
 *   and        := compare ('and' compare)*
 *   compare    := sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum ('for' NUMBER)?)?
 *   sum        := product (('+' | '-') product)*
 *   product    := unary (('*' | '/') unary)*
 *   unary      := '-' unary | primary
 *   primary    := NUMBER | 'baseline' | aggregation | '(' or ')'
 *   aggregation := NAME | NAME '(' sum ')' | 'p' DIGITS ('.' DIGITS)?
 * check.c then requires: the top is a comparison or and/or of comparisons; 'baseline' only on
 * the right of a comparison (it is the left side evaluated on the baseline run); the two sides
 * of a comparison, and of + and -, have one dimension (a bare number takes the other side's,
 * as k6 reads `p(95)<300` as ms); `X + N%` (X not a share) means X * (1 + N/100).
 *
 * Memory: a struct budget owns an arena holding its rules, strings and expression trees, the
 * file's bytes and its source (line map), so results can point into it and diagnostics can
 * quote it until budget_free.
 */
#ifndef PERFGATE_BUDGET_H
#define PERFGATE_BUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../analysis/analysis.h"
#include "../model/model.h"
#include "../util/diag.h"
#include "../util/json.h"
#include "../util/source.h"
#include "../util/util.h"

/* ---- values and their dimensions ---- */

/*
 * What a number measures. Every number of an expression is held in its dimension's base:
 * milliseconds, a fraction (0.001 = 0.1 %), per second, bytes, bytes per second.
 */
enum dim {
	DIM_BARE,         /* a number written without a unit: takes the other side's dimension */
	DIM_TIME,         /* milliseconds */
	DIM_RATIO,        /* a share: 1 = 100 % (error rates, k6 rates, apdex) */
	DIM_PER_S,        /* events per second (rps) */
	DIM_BYTES,        /* bytes */
	DIM_BYTES_PER_S,  /* bytes per second */
	DIM_SCALAR,       /* a count or a unitless value (samples, a unitless k6 Trend) */
	DIM_UNKNOWN,      /* known only once the series is found (a metric check.c cannot see) */
};

/* "time", "share", "rate per second", ...: for messages. */
const char *dim_name(enum dim dim);
/* The dimension of a model unit (UNIT_MS -> DIM_TIME, UNIT_COUNT -> DIM_SCALAR, ...). */
enum dim dim_of_unit(enum unit unit);
/*
 * Formats value (in dim's base) with its unit for messages, to 4 significant digits:
 * "412.3 ms", "0.36 %", "2012 req/s", "10500000 B": numbers in the dimension's base
 * (times stay in ms, sizes in bytes). Returns out.
 */
char *dim_format(char out[64], double value, enum dim dim);
/*
 * A value of result r as dim_format writes it, except a counter's `rate`, which counts what
 * the counter counts: "464.2/s", not "req/s". Returns out.
 */
struct result;
char *result_format(char out[64], const struct result *r, double value);

/* ---- lex.c ---- */

enum token_kind {
#define TOKEN(id, spelling) id,
#include "tokens.def"
#undef TOKEN
};

struct token {
	enum token_kind kind;
	size_t offset;        /* byte offset in the assertion text */
	size_t len;           /* bytes, the unit included */
	double number;        /* TK_NUMBER: the value in its unit's base (300ms -> 300, 1.5s -> 1500) */
	enum dim dim;         /* TK_NUMBER: the unit's dimension, DIM_BARE without one */
	bool percent;         /* TK_NUMBER: written with '%' (for the `baseline + 30%` form) */
	size_t unit_offset;   /* TK_NUMBER: where the unit starts (== offset + len without one) */
};

/* Spelling of a token kind for messages: "'<='", "number". */
const char *token_kind_name(enum token_kind kind);

/*
 * An assertion's text and where it sits, so a position inside it becomes file:line:col.
 * The text is the decoded JSON string; raw_offset is the byte offset of its first character
 * in the budget file (after the opening quote). budget_text_locate accounts for JSON escapes.
 */
struct budget_text {
	const char *text;     /* the assertion as decoded; arena (NUL-terminated) */
	size_t len;           /* bytes in text */
	struct source *src;   /* the budget file; NULL for text of no file (tests: "<expr>") */
	size_t raw_offset;    /* byte offset of text[0] in src */
	enum json_text_style style; /* how the raw bytes decode (a JSON or a YAML string) */
};

/* Fills *loc for text[offset .. offset+len) (file:line:col and the caret span). */
void budget_text_locate(const struct budget_text *t, size_t offset, size_t len,
			struct diag_loc *loc);
/* Reports id at text[offset .. offset+len). */
void budget_text_report(struct diag *d, enum diag_id id, const struct budget_text *t,
			size_t offset, size_t len, const char *fmt, ...) PG_PRINTF(6, 7);

/*
 * Splits t into tokens (a new array owned by the caller, free; TK_EOF last). Reports every
 * bad character or unknown unit (with a did-you-mean) and returns NULL when any was found.
 */
struct token *lex_tokens(const struct budget_text *t, struct diag *d);

/* ---- parse.c ---- */

/* The aggregations; funcs.def gives each its names (aliases included) and argument. */
enum agg {
	AGG_P, AGG_AVG, AGG_MED, AGG_MIN, AGG_MAX, AGG_STDDEV, AGG_COUNT, AGG_RATE, AGG_RPS,
	AGG_ERROR_RATE, AGG_APDEX, AGG_VALUE,
	AGG__COUNT,
};
enum agg_arg { AGG_ARG_NONE, AGG_ARG_PERCENT, AGG_ARG_TIME };


enum cmp_op { CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_EQ, CMP_NE };
const char *cmp_op_name(enum cmp_op op); /* "<", "<=", ... */

enum expr_kind {
	EXPR_NUMBER,    /* number, dim */
	EXPR_BASELINE,  /* the comparison's left side, on the baseline */
	EXPR_AGG,       /* agg (argument: number, in percent for p, in ms for apdex) */
	EXPR_NEG,       /* -lhs */
	EXPR_ADD, EXPR_SUB, EXPR_MUL, EXPR_DIV,
	EXPR_RELATIVE,  /* lhs + rhs% (rhs a share): lhs * (1 + rhs); written `X + 30%` */
	EXPR_CMP,       /* lhs op rhs [for window_ms] */
	EXPR_AND, EXPR_OR,
};

struct expr {
	enum expr_kind kind;
	size_t offset;          /* span in the assertion text, for diagnostics */
	size_t len;
	struct expr *lhs;       /* operands; NULL when unused */
	struct expr *rhs;
	double number;          /* EXPR_NUMBER: the value in dim's base; EXPR_AGG: the argument */
	enum dim dim;           /* EXPR_NUMBER: its dimension; others: set by check.c */
	enum agg agg;           /* EXPR_AGG */
	enum cmp_op op;         /* EXPR_CMP */
	bool percent;           /* EXPR_NUMBER: written with '%' (`X + 30%` means X * 1.3) */
	double window_ms;       /* EXPR_CMP: the `for` duration; 0 when none */
	enum dim window_dim;    /* EXPR_CMP: the dimension the duration was written in */
	size_t window_offset;   /* EXPR_CMP: span of `for ...`, for diagnostics */
	size_t window_len;
};

/*
 * Parses an assertion into a tree allocated in arena. Reports syntax errors at their position
 * (with a did-you-mean for unknown aggregations) and returns NULL when any was reported.
 */
struct expr *parse_assertion(const struct budget_text *t, struct arena *arena, struct diag *d);

/*
 * Writes the tree as an S-expression for tests and `lint --dump`:
 * "(< (p 95) 300ms)", "(and (< (p 95) 300ms) (< error_rate 0.1%))".
 */
void expr_dump(const struct expr *e, struct buf *out);

/* ---- check.c ---- */

/*
 * What check.c knows about the series an assertion reads before any input is seen: the
 * dimension of the rule's metric (DIM_UNKNOWN for a metric it cannot know, e.g. a k6 custom
 * Trend) and whether the rule has a baseline to compare with.
 */
struct check_context {
	const char *metric;         /* the rule's metric, for messages */
	bool known;                 /* kind and metric_dim are known (a core metric, a series found) */
	enum series_kind kind;      /* the metric's kind when known */
	enum dim metric_dim;        /* of distribution aggregations (p, avg, min, max, ...) */
	bool server;                /* known: a server-side series (a gauge keeps its mean and
				       its samples over time) */
};

/* What check.c can know of a metric before any input: core metrics from metrics.def. */
struct check_context check_context_of_metric(const char *metric);

/*
 * Checks a parsed assertion: its shape (a comparison, or and/or of them), baseline placement,
 * dimensions of both sides, arguments (0 <= N <= 100, apdex of a time). Sets every node's
 * dim. Reports each problem at its span; returns false when any error was reported.
 */
bool check_assertion(struct expr *e, const struct budget_text *t, const struct check_context *c,
		     struct diag *d);

/*
 * The dimension of an aggregation's result on a metric of context c (DIM_UNKNOWN when c does
 * not know the metric); *why is set (to an explanation) when the aggregation does not apply.
 */
enum dim agg_result_dim(enum agg agg, const struct check_context *c, const char **why);
/* The dimension two sides share (a bare number takes the other's); false when they differ. */
bool dim_unify(enum dim a, enum dim b, enum dim *out);

/* True when e reads the baseline anywhere. */
bool expr_uses_baseline(const struct expr *e);

/* ---- load.c: budget files ---- */

enum level { LEVEL_ERROR, LEVEL_WARN };
const char *level_name(enum level level); /* "error", "warn" */

/* What a rule whose selector or metric finds no data counts as. */
enum no_data_policy { NO_DATA_FAIL, NO_DATA_WARN, NO_DATA_PASS };
bool no_data_policy_from_name(const char *name, enum no_data_policy *out);

enum endpoint_match {
	ENDPOINT_RUN,     /* no endpoint: the whole run's series */
	ENDPOINT_EXACT,   /* the endpoint named, exactly */
	ENDPOINT_GLOB,    /* every endpoint the glob matches (fnmatch, no special '/') */
	ENDPOINT_REGEX,   /* every endpoint the PCRE2 regex matches (unanchored, like grep) */
	ENDPOINT_K6_NAME, /* k6 `{name:V}` / `{url:V}`: V, or "METHOD V" (raw streams add it) */
};

struct selector {
	const char *run;                 /* glob over run labels; NULL = every run; arena */
	enum endpoint_match endpoint_kind;
	const char *endpoint;            /* the pattern as written; NULL for ENDPOINT_RUN; arena */
	void *regex;                     /* ENDPOINT_REGEX: compiled pcre2_code; owned (budget_free) */
	const char *method;              /* k6 `{method:GET}`: endpoints starting "GET "; arena */
	struct tag *tags;                /* tags the series must have (key=value); arena */
	size_t tag_count;
	const char *metric;              /* the model metric; "latency" when not given; arena */
	const char *metric_pointer;      /* JSON Pointer of "metric" (or of the k6 key); arena */
	const char *run_pointer;         /* of "run"; NULL when absent */
	const char *endpoint_pointer;    /* of "endpoint"; NULL when absent */
};

/* k6 metric types, for k6 thresholds (which aggregations a metric allows, FORMATS.md §1.5). */
enum k6_metric_type { K6_TYPE_UNKNOWN, K6_TYPE_COUNTER, K6_TYPE_GAUGE, K6_TYPE_RATE, K6_TYPE_TREND };

struct assertion {
	struct budget_text text;  /* the string as written */
	const char *pointer;      /* its JSON Pointer ("/rules/2/assert/0"); arena */
	struct expr *expr;        /* NULL when it did not compile */
};

struct rule {
	size_t index;               /* 0-based position among the file's rules (k6 ones after) */
	const char *name;           /* as given, else generated ("rules[2]", "http_req_duration"); arena */
	const char *pointer;        /* JSON Pointer of the rule object ("/rules/2", "/thresholds/x") */
	struct selector selector;
	struct assertion *assertions; /* arena */
	size_t assertion_count;
	enum level level;
	const char *message;        /* shown with a failure; NULL when none; arena */
	bool has_waiver;
	int64_t waiver_until_day;   /* last day the waiver holds, days since 1970-01-01 (UTC) */
	const char *waiver_until;   /* as written, "2026-12-31"; arena */
	const char *waiver_reason;  /* arena */
	bool has_no_data;           /* the rule sets its own no_data policy */
	enum no_data_policy no_data;
	bool point_comparison;      /* "comparison": "point": baseline rules compare the two
				       values as points, not their intervals */
	bool capacity;              /* "capacity": the runs are the load levels of a series */
	double capacity_at;         /* {"at": N}: the assertion at load N (interpolated between
				       the two levels around it); NaN for {"peak": true} */
	bool has_window;            /* "window": the rule reads its runs cut to this window */
	struct window_spec window;  /* (steady, or from/to seconds; docs/budgets.md) */
	bool k6;                    /* from a k6 `thresholds` object: k6's semantics */
	const char *k6_metric;      /* k6: the metric name before '{' ("http_req_duration") */
	const char *k6_key;         /* k6: the whole key as written ("http_req_duration{name:x}") */
};

struct budget {
	struct arena arena;          /* rules, strings, trees */
	struct buf bytes;            /* the file's contents (src borrows them) */
	struct source src;           /* the file, with its line map */
	struct json_positions positions; /* a YAML file's values' positions (src points at
					    them); empty for JSON */
	struct rule *rules;          /* heap array (budget_add_rule) */
	size_t rule_count;
	size_t rule_cap;
	enum no_data_policy no_data; /* file-wide default; NO_DATA_FAIL unless the file says */
	const char **group;          /* "group" rules, "REGEX=NAME" as --group takes them; arena */
	size_t group_count;          /* (the driver hands them to the front ends with --group's) */
};

/*
 * Reads and compiles a budget file (JSON, formats/budget.md), reporting every problem found
 * (JSON syntax, unknown keys, bad selectors, each assertion's errors at file:line:col inside
 * its string). Returns a new budget owned by the caller (budget_free), or NULL when any error
 * was reported. path "-" reads standard input.
 */
struct budget *budget_load(const char *path, struct diag *d);
void budget_free(struct budget *b);
/*
 * Against the inputs: a rule's metric that no run has, while a run has a near one (a
 * misspelled custom metric), is DIAG_BUDGET_METRIC at the name. False when any was reported.
 */
bool budget_check_metrics(struct budget *b, const struct model *m, struct diag *d);
/*
 * Appends a zeroed rule (index set, level error, no_data from the file) and returns it; the
 * pointer is valid until the next budget_add_rule.
 */
struct rule *budget_add_rule(struct budget *b);

/* ---- k6_thresholds.c: k6's `thresholds` object, verbatim ---- */

/*
 * Adds one rule per threshold string of a k6 `thresholds` member (key `metric{tag:value}`,
 * value an array of strings or {threshold, abortOnFail, delayAbortEval} objects), parsed with
 * k6's own v0.37+ grammar `AGG OP NUMBER`. Reports errors at their position; returns false
 * when any was reported. pointer names the `thresholds` object.
 */
struct json_t;
bool k6_thresholds_load(struct budget *b, const char *pointer, struct json_t *thresholds,
			struct diag *d);

/*
 * The k6 type of a built-in metric (http_req_duration: trend, http_reqs: counter, checks:
 * rate, vus: gauge; the table is src/model/k6_names.c); K6_TYPE_UNKNOWN for any other name,
 * a custom metric whose type only the model tells (its series' kind).
 */
enum k6_metric_type k6_thresholds_builtin_type(const char *k6_name);

/* ---- select.c ---- */

/* One thing a rule is evaluated on: a run, and an endpoint (or the whole run) in it. */
struct target {
	const struct run *run;
	const char *endpoint;   /* NULL = the whole run; borrowed from the model */
};

/*
 * The targets a selector picks in m, in model order (run, then endpoint). Returns a new array
 * owned by the caller (free) and its length in *count; NULL/0 when nothing matches.
 */
struct target *select_targets(const struct selector *sel, const struct model *m, size_t *count,
			      int *regex_error);
/*
 * True when the selector's endpoint pattern matches name (NULL name = the whole run). A regex
 * runs with bounded backtracking; when it gives up (PCRE2's match or depth limit), it does not
 * match and *regex_error (may be NULL) receives PCRE2's error code, if it holds none yet (0).
 */
bool select_endpoint_matches(const struct selector *sel, const char *name, int *regex_error);
/*
 * Whether a rule of budget (a struct budget) names this endpoint itself: by its exact name or
 * a k6 {name:...} selector, not by a glob or a regex. Such endpoints are never folded under
 * --endpoint-memory (ingest_options.keep_endpoint).
 */
bool budget_names_endpoint(const char *name, const void *budget);
/* PCRE2's words for a regex_error (into out, at most 256 bytes). */
void select_regex_error_text(int regex_error, char out[256]);

/* ---- eval.c ---- */

/*
 * STATUS_INCONCLUSIVE: a comparison with the baseline whose interval straddles the limit
 * (docs/statistics.md): neither a pass nor a fail can be told apart from noise.
 */
enum status { STATUS_PASS, STATUS_FAIL, STATUS_NO_DATA, STATUS_INCONCLUSIVE };
const char *status_name(enum status s); /* "pass", "fail", "no-data", "inconclusive" */

/* What a result does to the verdict, after level, no-data policy and waiver. */
/* EFFECT_INCONCLUSIVE: an inconclusive result of an `error` rule (exit 3 unless one failed). */
enum effect { EFFECT_OK, EFFECT_WARNING, EFFECT_FAILURE, EFFECT_INCONCLUSIVE };
const char *effect_name(enum effect e); /* "ok", "warning", "failure", "inconclusive" */

/* One (rule, assertion, target). For and/or, the numbers are those of the deciding comparison. */
struct result {
	const struct rule *rule;
	size_t assertion;           /* index into rule->assertions */
	const struct run *run;      /* NULL when no run matched at all */
	const char *endpoint;       /* NULL = whole run */
	enum status status;
	enum effect effect;
	bool waived;                /* failed, but an active waiver turned it into a warning */
	const struct expr *decider; /* the comparison that decided; NULL when none evaluated */
	struct value observed;      /* left side; VALUE_MISSING when no data */
	struct value limit;         /* right side (a baseline-derived limit is VALUE_EXACT) */
	enum dim dim;               /* of observed and limit */
	bool has_baseline;          /* the limit came from the baseline run */
	double baseline;            /* the baseline's value of the left side, in dim's base */
	int64_t samples;            /* samples behind observed; -1 when unknown */
	enum precision precision;   /* of the series read (PREC_QUANTILES: reported or estimate) */
	const char *metric;         /* the series' metric; borrowed */
	const char *input;          /* the inputs the series came from; borrowed from the model */
	double window_ms;           /* `for`: the window; 0 when none */
	int64_t breach_start_us;    /* `for`: start of the longest breach, µs since the epoch */
	double breach_ms;           /* `for`: its length */
	char *note;                 /* why no data, or more context; heap, NULL when none */
	bool unmatched;             /* no data because the selector's run or endpoint is absent */
	/* a comparison with the baseline judged on intervals (has_interval), or why not */
	bool has_interval;
	double confidence;          /* of the interval (0.95) */
	double change;              /* observed / baseline - 1 */
	double change_lo, change_hi; /* its bootstrap interval */
	double limit_change;        /* limit / baseline - 1: the change the rule allows */
	const char *point_why;      /* static: why a baseline rule compared points; NULL */
	/* a capacity rule: the load it was judged at and, when between two levels, those levels */
	bool has_capacity;
	double capacity_load;       /* the load judged (the peak's level for "peak") */
	bool interpolated;          /* the value is linear between capacity_lo and capacity_hi */
	double capacity_lo, capacity_hi;
	/* the window of the run read (--window or the rule's "window"); has_window false: whole */
	bool has_window;
	const char *window_kind;    /* "steady", "range"; static */
	double window_from_s, window_to_s;
};

struct verdict {
	struct result *results;     /* heap, in rule order then target order */
	size_t count;
	size_t cap;
	size_t passed, warnings, failures, inconclusive; /* counts of effects */
	size_t no_data;             /* results with STATUS_NO_DATA (whatever their effect) */
};

struct eval_options {
	const struct model *baseline;   /* NULL without --baseline */
	bool has_no_data;               /* --no-data given: overrides the file and the rules */
	enum no_data_policy no_data;
	int64_t today_day;              /* days since 1970-01-01 UTC, for waivers */
	double confidence;              /* of baseline intervals; 0 means 0.95 */
	/*
	 * A rule with its own "window" reads the inputs (baseline: the baseline) cut to it; the
	 * driver supplies them (judge.c). NULL: such rules read m as it is.
	 */
	const struct model *(*windowed)(void *context, const struct window_spec *w,
					bool baseline);
	void *windowed_context;
};

/*
 * Evaluates every compiled rule of b over m. Reports through d only problems of the budget
 * against this model (a unit that does not fit the series found, a `for` window on a series
 * without per-interval data): those return false (exit 2). Results, failed ones included, go
 * into *v (initialised here; verdict_fini releases it); the caller prints them.
 */
bool eval_budget(struct budget *b, const struct model *m, const struct eval_options *o,
		 struct verdict *v, struct diag *d);
void verdict_fini(struct verdict *v);

/* ---- result.c: one wording of a result, for the terminal, JUnit and the verdict JSON ---- */

/*
 * Appends what a result found, on one line, to out:
 *   "p95 = 412.3 ms, limit < 300 ms (+37.43 %); 4210 samples, exact, from PATH"
 *   "p99 ~ 105.3 ms (estimate from reported percentiles), limit < 500 ms; ..."
 *   "no data: NOTE"
 * (the rule's message, waiver and level are the caller's to add).
 */
void result_describe(const struct result *r, struct buf *out);
/*
 * A baseline comparison's interval, appended to out: "; change +4.1 %, 95 % interval +1.2 %
 * to +7 %, limit +10 %" (and why an inconclusive one is so).
 */
void result_describe_interval(const struct result *r, struct buf *out);
/* The series' name for messages: "latency at 'GET /users/:id' of run 'x'". */
void result_describe_target(const struct result *r, struct buf *out);
/* The assertion text of a result (borrowed from the budget). */
const char *result_assertion_text(const struct result *r);
/* delta of observed against limit as a fraction of the limit (0.3743); NAN when undefined. */
double result_delta(const struct result *r);

#endif
