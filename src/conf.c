/*
 * conf.c: the configuration, read with libyaml's event API (see conf.h).
 *
 * Every key is a row of WQ_CONF_KEYS; the parser looks rows up by name and
 * stores through offsetof, so adding a key is one line in conf.h and one
 * documented entry in conf/wq.yaml.  A document is parsed into pending values
 * first and committed only when it had no problem at all.
 */
#include "conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "embed.h"
#include "roster.h"
#include "util.h"

/* The directory that holds wq/wq.yaml; $WQ_SYSCONFDIR overrides it at run time. */
#ifndef WQ_SYSCONFDIR
#define WQ_SYSCONFDIR "/etc"
#endif

#define CONF_BUILTIN "built-in"
#define CONF_MAX_FILE (1024 * 1024)
#define CONF_MAX_MAP 1000   /* entries of one MAP value */
/* Open collections at once.  The configuration needs three (the document's
 * mapping, a section, roster.headers); libyaml 0.2.5 spends time quadratic
 * in the depth, so reading stops well before that cost grows. */
#define CONF_MAX_DEPTH 8
#define CONF_MORE "……（问题太多，其余从略）"
#define CONF_PASSWORD_HINT \
	"密码不写在配置文件里，请使用 libpq 的密码提示、~/.pgpass 或服务文件（pg_service.conf）"

#define TAG_STR "tag:yaml.org,2002:str"
#define TAG_INT "tag:yaml.org,2002:int"
#define TAG_BOOL "tag:yaml.org,2002:bool"
#define TAG_MAP "tag:yaml.org,2002:map"

enum conf_type { CONF_STR, CONF_INT, CONF_BOOL, CONF_MAP };

struct conf_key {
	const char *section;
	const char *key;
	enum conf_type type;
	size_t offset;
};

static const struct conf_key conf_keys[WQ_CONF_NKEYS] = {
#define CONF_ROW(section, key, type, field) \
	{ #section, #key, CONF_##type, offsetof(struct wq_conf, field) },
	WQ_CONF_KEYS(CONF_ROW)
#undef CONF_ROW
};

/* Each row's type must match the C type of its field. */
#define CONF_TYPE_OF(field) _Generic(((struct wq_conf *)0)->field, \
	char *: CONF_STR, int: CONF_INT, bool: CONF_BOOL, struct wq_conf_map: CONF_MAP)
#define CONF_CHECK(section, key, type, field) \
	_Static_assert(CONF_TYPE_OF(field) == CONF_##type, \
		#section "." #key ": the type in WQ_CONF_KEYS does not match the field");
WQ_CONF_KEYS(CONF_CHECK)
#undef CONF_CHECK
#undef CONF_TYPE_OF

/* Allowed range of every INT key (a key missing here would only accept 0). */
static const struct {
	int min, max;
} conf_int_range[WQ_CONF_NKEYS] = {
	[WQ_CONF_conn_connect_timeout] = { 0, 3600 },
	[WQ_CONF_ui_login_delay_after] = { 1, 100 },
};

static const char *const conf_sslmodes[] = {
	"", "disable", "allow", "prefer", "require", "verify-ca", "verify-full", NULL
};

static const char *const conf_session_attrs[] = {
	"", "any", "read-write", "read-only", "primary", "standby", "prefer-standby", NULL
};

static const char *const conf_type_names[] = {
	[CONF_STR] = "字符串",
	[CONF_INT] = "整数",
	[CONF_BOOL] = "布尔值",
	[CONF_MAP] = "映射",
};

char *(*conf_keys_check)(const struct wq_conf_map *map, int upto);

/* A top-level mapping: its section and key are the same word (keys:). */
static bool
top_level_map(const struct conf_key *k)
{
	return k->type == CONF_MAP && strcmp(k->section, k->key) == 0;
}

/* "section.key", or the top-level key's name, for messages. */
static const char *
key_path(const struct conf_key *k)
{
	static char buf[128];

	if (top_level_map(k))
		return k->key;
	snprintf(buf, sizeof(buf), "%s.%s", k->section, k->key);
	return buf;
}

/* A value read from one document, not yet committed. */
struct conf_value {
	bool set;
	char *str;
	int num;                /* INT value, or BOOL as 0/1 */
	struct wq_conf_map map; /* MAP value */
	size_t *map_line;       /* 1-based line of each entry */
	int map_cap;
	bool map_full;          /* more than CONF_MAX_MAP entries (reported) */
	size_t line;            /* 1-based line of the key */
};

struct conf_parse {
	yaml_parser_t parser;
	yaml_event_t ev;
	bool have_ev;
	bool stop;                          /* a syntax error ended the document */
	int depth;                          /* collections open at the current event */
	const char *name;                   /* file name for messages */
	const unsigned char *text;
	size_t len;
	struct wq_err *err;
	int problems;
	size_t version_line;
	size_t section_line[WQ_CONF_NKEYS]; /* indexed by the section's first key */
	size_t key_line[WQ_CONF_NKEYS];
	struct conf_value val[WQ_CONF_NKEYS];
};

static void *
field_ptr(struct wq_conf *conf, size_t i)
{
	return (char *)conf + conf_keys[i].offset;
}

static const void *
field_cptr(const struct wq_conf *conf, size_t i)
{
	return (const char *)conf + conf_keys[i].offset;
}

/*
 * Adds one line to err, unless it would not fit: then a single "more" marker
 * is added instead, so a long list never ends in half a character.
 */
static void
add_problem(struct wq_err *err, enum wq_err_code code, const char *line)
{
	size_t used, more = strlen(CONF_MORE);

	if (!err)
		return;
	if (err->code == WQ_ERR_OK)
		err->code = code;
	used = strlen(err->msg);
	if (used + 1 + strlen(line) + 1 + more + 1 <= sizeof(err->msg)) {
		wq_err_append(err, "%s", line);
		return;
	}
	if (used >= more && strcmp(err->msg + used - more, CONF_MORE) == 0)
		return;
	if (used + 1 + more + 1 <= sizeof(err->msg))
		wq_err_append(err, "%s", CONF_MORE);
}

static void add_problemf(struct wq_err *err, enum wq_err_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
add_problemf(struct wq_err *err, enum wq_err_code code, const char *fmt, ...)
{
	va_list ap;
	char *line;

	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	add_problem(err, code, line);
	free(line);
}

/*
 * A copy of s that is safe to show in a message: control characters (C0, DEL
 * and C1) become '?', and a text longer than about max bytes is cut at a
 * character boundary and ends in "...".
 */
static char *
printable(const char *s, size_t max)
{
	size_t n = strlen(s), i, o = 0;
	char *out = xmalloc(n + 4);

	for (i = 0; i < n && o < max; ) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f) {
			out[o++] = '?';
			i++;
		} else if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f) {
			out[o++] = '?';
			i += 2;
		} else {
			size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

			if (len > n - i)
				len = n - i;
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		}
	}
	if (i < n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

static void report(struct conf_parse *p, const yaml_mark_t *mark, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One problem at mark, as "FILE:LINE:COL: message". */
static void
report(struct conf_parse *p, const yaml_mark_t *mark, const char *fmt, ...)
{
	va_list ap;
	char *msg, *name;

	p->problems++;
	if (!p->err)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	name = printable(p->name, 4096);
	add_problemf(p->err, WQ_ERR_CONF, "%s:%zu:%zu: %s",
		name, mark->line + 1, mark->column + 1, msg);
	free(name);
	free(msg);
}

/* Line and column (0-based, in characters) of a byte offset of the text. */
static yaml_mark_t
offset_mark(const struct conf_parse *p, size_t offset)
{
	yaml_mark_t m = { 0, 0, 0 };
	size_t i;

	if (offset > p->len)
		offset = p->len;
	for (i = 0; i < offset; i++) {
		unsigned char c = p->text[i];

		if (c == '\n' || (c == '\r' && (i + 1 >= p->len || p->text[i + 1] != '\n'))) {
			m.line++;
			m.column = 0;
		} else if ((c & 0xc0) != 0x80 && c != '\r') {
			m.column++;
		}
	}
	m.index = offset;
	return m;
}

/* Reports libyaml's error: where it found the problem, and what. */
static void
syntax_error(struct conf_parse *p)
{
	const yaml_parser_t *y = &p->parser;
	const char *problem = y->problem ? y->problem : "unknown error";
	yaml_mark_t m;

	switch (y->error) {
	case YAML_MEMORY_ERROR:
		p->problems++;
		add_problemf(p->err, WQ_ERR_OOM, "%s: 内存不足", p->name);
		break;
	case YAML_READER_ERROR:
		m = offset_mark(p, y->problem_offset);
		if (y->problem_value != -1)
			report(p, &m, "YAML 编码错误：%s (#%X)", problem, (unsigned)y->problem_value);
		else
			report(p, &m, "YAML 编码错误：%s", problem);
		break;
	default:
		if (y->context)
			report(p, &y->problem_mark, "YAML 语法错误：%s（%s，始于第 %zu 行第 %zu 列）",
				problem, y->context,
				y->context_mark.line + 1, y->context_mark.column + 1);
		else
			report(p, &y->problem_mark, "YAML 语法错误：%s", problem);
		break;
	}
}

/* Moves to the next event; false at a syntax error (already reported). */
static bool
next_event(struct conf_parse *p)
{
	if (p->have_ev) {
		yaml_event_delete(&p->ev);
		p->have_ev = false;
	}
	if (p->stop)
		return false;
	if (!yaml_parser_parse(&p->parser, &p->ev)) {
		syntax_error(p);
		p->stop = true;
		return false;
	}
	p->have_ev = true;
	if (p->ev.type == YAML_SEQUENCE_START_EVENT || p->ev.type == YAML_MAPPING_START_EVENT) {
		if (++p->depth > CONF_MAX_DEPTH) {
			report(p, &p->ev.start_mark, "嵌套超过 %d 层，不再读取", CONF_MAX_DEPTH);
			yaml_event_delete(&p->ev);
			p->have_ev = false;
			p->stop = true;
			return false;
		}
	} else if (p->ev.type == YAML_SEQUENCE_END_EVENT || p->ev.type == YAML_MAPPING_END_EVENT) {
		p->depth--;
	}
	return true;
}

/* True (and reported) when the current node is an alias or carries an anchor. */
static bool
check_anchor(struct conf_parse *p)
{
	const yaml_event_t *e = &p->ev;
	const yaml_char_t *anchor = NULL;

	switch (e->type) {
	case YAML_ALIAS_EVENT:
		report(p, &e->start_mark, "不允许使用 YAML 锚点或别名");
		return true;
	case YAML_SCALAR_EVENT:
		anchor = e->data.scalar.anchor;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = e->data.sequence_start.anchor;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = e->data.mapping_start.anchor;
		break;
	default:
		break;
	}
	if (!anchor)
		return false;
	report(p, &e->start_mark, "不允许使用 YAML 锚点或别名");
	return true;
}

static bool
scalar_is(const yaml_event_t *e, const char *word)
{
	size_t n = strlen(word);

	return e->type == YAML_SCALAR_EVENT && e->data.scalar.length == n &&
		strncasecmp((const char *)e->data.scalar.value, word, n) == 0;
}

/* A plain, untagged scalar that YAML reads as null: empty, ~ or null. */
static bool
scalar_is_null(const yaml_event_t *e)
{
	const char *v = (const char *)e->data.scalar.value;

	if (e->type != YAML_SCALAR_EVENT || e->data.scalar.tag ||
	    e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return strcmp(v, "") == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
		strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

static void
report_password(struct conf_parse *p, const yaml_mark_t *mark, const char *path)
{
	char *shown = printable(path, 64);

	report(p, mark, "不允许配置 %s：%s", shown, CONF_PASSWORD_HINT);
	free(shown);
}

/*
 * Consumes the current node and everything in it, still refusing anchors,
 * aliases and keys named "password" inside.  Iterative, so that deeply nested
 * input cannot exhaust the stack.
 */
static bool
skip_node(struct conf_parse *p)
{
	/* open collections: 'S' sequence, 'K' mapping before a key, 'V' before a value */
	char *stack = NULL;
	size_t depth = 0, cap = 0;
	bool ok = true;

	for (;;) {
		const yaml_event_t *e = &p->ev;
		bool is_key = false;

		if (e->type == YAML_ALIAS_EVENT || e->type == YAML_SCALAR_EVENT ||
		    e->type == YAML_SEQUENCE_START_EVENT || e->type == YAML_MAPPING_START_EVENT) {
			if (depth > 0 && stack[depth - 1] == 'K') {
				is_key = true;
				stack[depth - 1] = 'V';
			} else if (depth > 0 && stack[depth - 1] == 'V') {
				stack[depth - 1] = 'K';
			}
			check_anchor(p);
		}
		switch (e->type) {
		case YAML_SCALAR_EVENT:
			if (is_key && scalar_is(e, "password"))
				report_password(p, &e->start_mark, (const char *)e->data.scalar.value);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth == cap) {
				cap = cap ? cap * 2 : 16;
				stack = xrealloc(stack, cap);
			}
			stack[depth++] = e->type == YAML_SEQUENCE_START_EVENT ? 'S' : 'K';
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0)
				depth--;
			break;
		default:
			break;
		}
		if (depth == 0)
			break;
		if (!next_event(p)) {
			ok = false;
			break;
		}
	}
	free(stack);
	return ok;
}

/* Skips a mapping's value: moves to it and consumes it. */
static bool
skip_value(struct conf_parse *p)
{
	return next_event(p) && skip_node(p);
}

/*
 * The current event is a mapping key.  A scalar key is returned as a new
 * string (with its mark); any other key is reported and skipped together with
 * its value, and NULL is returned.
 */
static char *
read_key(struct conf_parse *p, yaml_mark_t *mark)
{
	const yaml_event_t *e = &p->ev;

	if (e->type != YAML_SCALAR_EVENT) {
		if (e->type != YAML_ALIAS_EVENT)
			report(p, &e->start_mark, "配置项名应为字符串");
		if (skip_node(p))
			skip_value(p);
		return NULL;
	}
	check_anchor(p);
	*mark = e->start_mark;
	return xstrndup((const char *)e->data.scalar.value, e->data.scalar.length);
}

/* A tag on a node is accepted only when it names the expected type. */
static bool
check_tag(struct conf_parse *p, const yaml_char_t *tag, const char *allowed)
{
	char *shown;

	if (!tag || strcmp((const char *)tag, allowed) == 0)
		return true;
	shown = printable((const char *)tag, 64);
	report(p, &p->ev.start_mark, "不支持的 YAML 标签 %s", shown);
	free(shown);
	return false;
}

/* A decimal integer: optional sign, no leading zeros, at most 9 digits. */
static bool
parse_int(const char *s, int *out)
{
	const char *d = s + (*s == '+' || *s == '-');
	size_t n = strlen(d);
	long v;

	if (n == 0 || n > 9 || strspn(d, "0123456789") != n || (d[0] == '0' && n > 1))
		return false;
	v = strtol(d, NULL, 10);
	*out = (int)(*s == '-' ? -v : v);
	return true;
}

static bool
in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Compares a percent-encoded URI parameter name with word. */
static bool
uri_name_is(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			c = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
			i += 2;
		}
		if (*word == '\0' || c != (unsigned char)*word)
			return false;
		word++;
	}
	return *word == '\0';
}

/*
 * True when a libpq connection string carries a password: "password=" in the
 * keyword/value form, or user:password@ or ?password= in a URI.  Follows the
 * parsing rules of libpq's conninfo_parse and conninfo_uri_parse_options.
 */
static bool
conninfo_has_password(const char *s)
{
	const char *p;
	size_t n;

	if (strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0) {
		p = strstr(s, "://") + 3;
		n = strcspn(p, "@/");
		if (p[n] == '@' && memchr(p, ':', n))
			return true;
		p = strchr(p, '?');
		while (p) {
			p++;
			n = strcspn(p, "=&");
			if (uri_name_is(p, n, "password"))
				return true;
			p = strchr(p, '&');
		}
		return false;
	}
	p = s;
	for (;;) {
		const char *kw;
		size_t kwlen;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
			p++;
		if (!*p)
			return false;
		kw = p;
		while (*p && *p != '=' && !strchr(" \t\n\r\f\v", *p))
			p++;
		kwlen = (size_t)(p - kw);
		while (*p && strchr(" \t\n\r\f\v", *p))
			p++;
		if (*p != '=')
			return false; /* malformed: libpq itself refuses it */
		if (kwlen == 8 && strncmp(kw, "password", 8) == 0)
			return true;
		p++;
		while (*p && strchr(" \t\n\r\f\v", *p))
			p++;
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		} else {
			for (; *p && !strchr(" \t\n\r\f\v", *p); p++)
				if (*p == '\\' && p[1])
					p++;
		}
	}
}

/* What libpq reads as a connection string when expanding dbname. */
static bool
looks_like_conninfo(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0 ||
		strchr(s, '=') != NULL;
}

/* A comma-separated list of port numbers; an empty element means the default. */
static bool
valid_ports(const char *s)
{
	for (;;) {
		size_t n = strcspn(s, ",");
		int v;

		if (n > 0) {
			char buf[16];

			if (n >= sizeof(buf))
				return false;
			memcpy(buf, s, n);
			buf[n] = '\0';
			if (buf[0] == '+' || buf[0] == '-' || !parse_int(buf, &v) || v < 1 || v > 65535)
				return false;
		}
		if (s[n] == '\0')
			return true;
		s += n + 1;
	}
}

/* Checks a string value of key i; returns what is wrong, or NULL. */
static const char *
check_str(size_t i, const char *s)
{
	switch (i) {
	case WQ_CONF_conn_dsn:
		if (conninfo_has_password(s))
			return "不能包含密码：" CONF_PASSWORD_HINT;
		break;
	case WQ_CONF_conn_dbname:
		if (looks_like_conninfo(s) && conninfo_has_password(s))
			return "不能包含密码：" CONF_PASSWORD_HINT;
		break;
	case WQ_CONF_conn_port:
		if (!valid_ports(s))
			return "应为端口号 1 到 65535（多个主机时用逗号分隔），或留空";
		break;
	case WQ_CONF_conn_sslmode:
		if (!in_list(s, conf_sslmodes))
			return "应为 disable、allow、prefer、require、verify-ca、verify-full 之一，或留空";
		break;
	case WQ_CONF_conn_target_session_attrs:
		if (!in_list(s, conf_session_attrs))
			return "应为 any、read-write、read-only、primary、standby、prefer-standby 之一，或留空";
		break;
	default:
		break;
	}
	return NULL;
}

/* Frees the entries of m and empties it. */
static void
map_free(struct wq_conf_map *m)
{
	int j;

	for (j = 0; j < m->n; j++) {
		free(m->from[j]);
		free(m->to[j]);
	}
	free(m->from);
	free(m->to);
	m->from = NULL;
	m->to = NULL;
	m->n = 0;
}

/* Appends from -> to (taking both strings) to the pending mapping of v. */
static void
map_add(struct conf_value *v, char *from, char *to, size_t line)
{
	struct wq_conf_map *m = &v->map;

	if (m->n == v->map_cap) {
		v->map_cap = v->map_cap ? v->map_cap * 2 : 8;
		m->from = xrealloc(m->from, (size_t)v->map_cap * sizeof(*m->from));
		m->to = xrealloc(m->to, (size_t)v->map_cap * sizeof(*m->to));
		v->map_line = xrealloc(v->map_line, (size_t)v->map_cap * sizeof(*v->map_line));
	}
	m->from[m->n] = from;
	m->to[m->n] = to;
	v->map_line[m->n] = line;
	m->n++;
}

/* The standard roster headers as "考生号、姓名、…、电子邮箱" (a new string). */
static char *
roster_header_list(void)
{
	size_t len = 1, i;
	char *s;

	for (i = 0; i < RF_COUNT; i++)
		len += strlen("、") + strlen(roster_fields[i].header);
	s = xmalloc(len);
	*s = '\0';
	for (i = 0; i < RF_COUNT; i++) {
		if (i > 0)
			strcat(s, "、");
		strcat(s, roster_fields[i].header);
	}
	return s;
}

/* Checks the value s of an entry of MAP key i; returns what is wrong (a new string), or NULL. */
static char *
check_map_value(size_t i, const char *s)
{
	char *shown, *list, *problem;

	switch (i) {
	case WQ_CONF_roster_headers:
		if (roster_field_by_header(s) >= 0)
			return NULL;
		shown = printable(s, 64);
		list = roster_header_list();
		problem = xasprintf("“%s” 不是名单的标准列名（应为 %s之一）", shown, list);
		free(list);
		free(shown);
		return problem;
	default:
		return NULL;
	}
}

/*
 * The current event is a key inside the mapping of MAP key i: reads that
 * entry, key and value.  Both must be non-empty strings; a key may appear
 * once.  A key is remembered even when its value is refused (with a NULL
 * value: the document is not committed then), so that a repeat is reported.
 */
static void
parse_map_entry(struct conf_parse *p, size_t i)
{
	const struct conf_key *k = &conf_keys[i];
	const yaml_event_t *e = &p->ev;
	struct conf_value *v = &p->val[i];
	yaml_mark_t mark;
	const char *s;
	char *from, *to = NULL, *shown, *problem;
	int j;

	if (e->type != YAML_SCALAR_EVENT) {
		if (e->type != YAML_ALIAS_EVENT)
			report(p, &e->start_mark, "%s 的键应为字符串，不能是%s", key_path(k),
				e->type == YAML_SEQUENCE_START_EVENT ? "列表" : "映射");
		if (skip_node(p))
			skip_value(p);
		return;
	}
	mark = e->start_mark;
	check_anchor(p);
	if (!check_tag(p, e->data.scalar.tag, TAG_STR)) {
		skip_value(p);
		return;
	}
	s = (const char *)e->data.scalar.value;
	if (strlen(s) != e->data.scalar.length) {
		report(p, &mark, "%s 不能包含 NUL 字符", key_path(k));
		skip_value(p);
		return;
	}
	if (strcasecmp(s, "password") == 0) {
		char *path = xasprintf("%s.%s", key_path(k), s);

		report_password(p, &mark, path);
		free(path);
		skip_value(p);
		return;
	}
	if (*s == '\0' || scalar_is_null(e)) {
		report(p, &mark, "%s 的键不能为空", key_path(k));
		skip_value(p);
		return;
	}
	for (j = 0; j < v->map.n; j++)
		if (strcmp(v->map.from[j], s) == 0)
			break;
	if (j < v->map.n) {
		shown = printable(s, 64);
		report(p, &mark, "%s: 重复的键 “%s”（第 %zu 行已出现）",
			key_path(k), shown, v->map_line[j]);
		free(shown);
		skip_value(p);
		return;
	}
	if (v->map.n == CONF_MAX_MAP && !v->map_full) {
		report(p, &mark, "%s 最多 %d 项", key_path(k), CONF_MAX_MAP);
		v->map_full = true;
	}
	from = xstrdup(s);
	shown = printable(from, 64);
	if (!next_event(p))
		goto out;

	/* The value */
	if (e->type == YAML_SEQUENCE_START_EVENT || e->type == YAML_MAPPING_START_EVENT) {
		report(p, &e->start_mark, "%s: “%s” 的值应为字符串，不能是%s", key_path(k),
			shown, e->type == YAML_SEQUENCE_START_EVENT ? "列表" : "映射");
		skip_node(p);
		goto out;
	}
	if (check_anchor(p) || e->type != YAML_SCALAR_EVENT ||
	    !check_tag(p, e->data.scalar.tag, TAG_STR))
		goto out;
	s = (const char *)e->data.scalar.value;
	if (strlen(s) != e->data.scalar.length) {
		report(p, &e->start_mark, "%s 不能包含 NUL 字符", key_path(k));
		goto out;
	}
	if (*s == '\0' || scalar_is_null(e)) {
		report(p, &e->start_mark, "%s: “%s” 的值不能为空", key_path(k), shown);
		goto out;
	}
	problem = check_map_value(i, s);
	if (problem) {
		report(p, &e->start_mark, "%s: %s", key_path(k), problem);
		free(problem);
		goto out;
	}
	to = xstrdup(s);
	if (i == WQ_CONF_keys && conf_keys_check && v->map.n < CONF_MAX_MAP) {
		yaml_mark_t at = e->start_mark;

		map_add(v, from, to, mark.line + 1);
		problem = conf_keys_check(&v->map, v->map.n - 1);
		if (problem) {
			report(p, &at, "keys: %s", problem);
			free(problem);
			free(v->map.to[v->map.n - 1]);
			v->map.to[v->map.n - 1] = NULL;
		}
		free(shown);
		return;
	}
out:
	if (v->map.n < CONF_MAX_MAP) {
		map_add(v, from, to, mark.line + 1);
	} else {
		free(from);
		free(to);
	}
	free(shown);
}

/*
 * The current event is the value of MAP key i (whose key is on line): a
 * mapping, or null for an empty one.  It replaces the whole mapping.
 */
static void
parse_map(struct conf_parse *p, size_t i, size_t line)
{
	const struct conf_key *k = &conf_keys[i];
	const yaml_event_t *e = &p->ev;
	struct conf_value *v = &p->val[i];

	switch (e->type) {
	case YAML_ALIAS_EVENT:
		check_anchor(p);
		return;
	case YAML_SCALAR_EVENT:
		if (check_anchor(p))
			return;
		if (!scalar_is_null(e)) {
			report(p, &e->start_mark, "%s 应为映射（在下面缩进写出各项，或写 {}）",
				key_path(k));
			return;
		}
		break;
	case YAML_SEQUENCE_START_EVENT:
		report(p, &e->start_mark, "%s 应为映射，不能是列表", key_path(k));
		skip_node(p);
		return;
	case YAML_MAPPING_START_EVENT:
		check_anchor(p);
		check_tag(p, e->data.mapping_start.tag, TAG_MAP);
		for (;;) {
			if (!next_event(p))
				return;
			if (e->type == YAML_MAPPING_END_EVENT)
				break;
			parse_map_entry(p, i);
			if (p->stop)
				return;
		}
		break;
	default:
		return;
	}
	v->set = true;
	v->line = line;
}

/* The current event is the value of key i (whose key is on line). */
static void
parse_value(struct conf_parse *p, size_t i, size_t line)
{
	const struct conf_key *k = &conf_keys[i];
	const yaml_event_t *e = &p->ev;
	struct conf_value *v = &p->val[i];
	const char *s, *tags[] = { [CONF_STR] = TAG_STR, [CONF_INT] = TAG_INT, [CONF_BOOL] = TAG_BOOL };
	const char *problem;
	int num;

	if (k->type == CONF_MAP) {
		parse_map(p, i, line);
		return;
	}
	if (e->type == YAML_SEQUENCE_START_EVENT || e->type == YAML_MAPPING_START_EVENT) {
		report(p, &e->start_mark, "%s.%s 应为%s，不能是%s", k->section, k->key,
			conf_type_names[k->type],
			e->type == YAML_SEQUENCE_START_EVENT ? "列表" : "映射");
		skip_node(p);
		return;
	}
	if (check_anchor(p) || e->type != YAML_SCALAR_EVENT)
		return;
	if (!check_tag(p, e->data.scalar.tag, tags[k->type]))
		return;
	s = (const char *)e->data.scalar.value;
	if (strlen(s) != e->data.scalar.length) {
		report(p, &e->start_mark, "%s.%s 不能包含 NUL 字符", k->section, k->key);
		return;
	}
	switch (k->type) {
	case CONF_STR:
		if (scalar_is_null(e))
			s = "";
		problem = check_str(i, s);
		if (problem) {
			report(p, &e->start_mark, "%s.%s %s", k->section, k->key, problem);
			return;
		}
		free(v->str);
		v->str = xstrdup(s);
		break;
	case CONF_INT:
		if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
			report(p, &e->start_mark, "%s.%s 应为整数（不要加引号）", k->section, k->key);
			return;
		}
		if (!parse_int(s, &num)) {
			report(p, &e->start_mark, "%s.%s 应为整数", k->section, k->key);
			return;
		}
		if (num < conf_int_range[i].min || num > conf_int_range[i].max) {
			report(p, &e->start_mark, "%s.%s 应在 %d 到 %d 之间", k->section, k->key,
				conf_int_range[i].min, conf_int_range[i].max);
			return;
		}
		v->num = num;
		break;
	case CONF_BOOL:
		if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
			report(p, &e->start_mark, "%s.%s 应为布尔值（不要加引号）", k->section, k->key);
			return;
		}
		if (scalar_is(e, "true") || scalar_is(e, "yes") || scalar_is(e, "on")) {
			v->num = 1;
		} else if (scalar_is(e, "false") || scalar_is(e, "no") || scalar_is(e, "off")) {
			v->num = 0;
		} else {
			report(p, &e->start_mark, "%s.%s 应为布尔值（true/false、yes/no、on/off）",
				k->section, k->key);
			return;
		}
		break;
	case CONF_MAP:
		break; /* parse_map */
	}
	v->set = true;
	v->line = line;
}

/* The current event is the value of section sec (index of its first key). */
static void
parse_section(struct conf_parse *p, size_t sec)
{
	const char *section = conf_keys[sec].section;
	const yaml_event_t *e = &p->ev;

	switch (e->type) {
	case YAML_ALIAS_EVENT:
		check_anchor(p);
		return;
	case YAML_SCALAR_EVENT:
		if (!check_anchor(p) && !scalar_is_null(e))
			report(p, &e->start_mark, "%s 应为映射（在下面缩进写出各配置项）", section);
		return;
	case YAML_SEQUENCE_START_EVENT:
		report(p, &e->start_mark, "%s 应为映射，不能是列表", section);
		skip_node(p);
		return;
	case YAML_MAPPING_START_EVENT:
		break;
	default:
		return;
	}
	check_anchor(p);
	check_tag(p, e->data.mapping_start.tag, TAG_MAP);
	for (;;) {
		yaml_mark_t mark;
		char *name;
		size_t i;

		if (!next_event(p) || e->type == YAML_MAPPING_END_EVENT)
			return;
		name = read_key(p, &mark);
		if (!name) {
			if (p->stop)
				return;
			continue;
		}
		for (i = 0; i < WQ_CONF_NKEYS; i++)
			if (strcmp(conf_keys[i].section, section) == 0 &&
			    strcmp(conf_keys[i].key, name) == 0)
				break;
		if (strcasecmp(name, "password") == 0) {
			char *path = xasprintf("%s.%s", section, name);

			report_password(p, &mark, path);
			free(path);
			skip_value(p);
		} else if (i == WQ_CONF_NKEYS) {
			char *shown = printable(name, 64);

			report(p, &mark, "未知的配置项 %s.%s", section, shown);
			free(shown);
			skip_value(p);
		} else if (p->key_line[i]) {
			report(p, &mark, "重复的配置项 %s.%s（第 %zu 行已出现）",
				section, name, p->key_line[i]);
			skip_value(p);
		} else {
			p->key_line[i] = mark.line + 1;
			if (next_event(p))
				parse_value(p, i, mark.line + 1);
		}
		free(name);
		if (p->stop)
			return;
	}
}

/* The current event is the value of the top-level "version". */
static void
parse_version(struct conf_parse *p)
{
	const yaml_event_t *e = &p->ev;
	int v;

	if (e->type == YAML_SEQUENCE_START_EVENT || e->type == YAML_MAPPING_START_EVENT) {
		report(p, &e->start_mark, "version 应为 1");
		skip_node(p);
		return;
	}
	if (check_anchor(p) || e->type != YAML_SCALAR_EVENT ||
	    !check_tag(p, e->data.scalar.tag, TAG_INT))
		return;
	if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    !parse_int((const char *)e->data.scalar.value, &v) || v != 1)
		report(p, &e->start_mark, "version 应为 1（目前只有第 1 版配置格式）");
}

/* The first key of the section called name, or WQ_CONF_NKEYS. */
static size_t
find_section(const char *name)
{
	size_t i;

	for (i = 0; i < WQ_CONF_NKEYS; i++)
		if (strcmp(conf_keys[i].section, name) == 0)
			break;
	return i;
}

/* The current event is the document's root node. */
static void
parse_root(struct conf_parse *p)
{
	const yaml_event_t *e = &p->ev;

	switch (e->type) {
	case YAML_ALIAS_EVENT:
		check_anchor(p);
		return;
	case YAML_SCALAR_EVENT:
		if (!check_anchor(p) && !scalar_is_null(e))
			report(p, &e->start_mark, "配置文件的顶层应为映射（connection:、ui: 等）");
		return;
	case YAML_SEQUENCE_START_EVENT:
		report(p, &e->start_mark, "配置文件的顶层应为映射（connection:、ui: 等），不能是列表");
		skip_node(p);
		return;
	case YAML_MAPPING_START_EVENT:
		break;
	default:
		return;
	}
	check_anchor(p);
	check_tag(p, e->data.mapping_start.tag, TAG_MAP);
	for (;;) {
		yaml_mark_t mark;
		char *name;
		size_t sec;

		if (!next_event(p) || e->type == YAML_MAPPING_END_EVENT)
			return;
		name = read_key(p, &mark);
		if (!name) {
			if (p->stop)
				return;
			continue;
		}
		sec = find_section(name);
		if (strcasecmp(name, "password") == 0) {
			report_password(p, &mark, name);
			skip_value(p);
		} else if (strcmp(name, "version") == 0) {
			if (p->version_line) {
				report(p, &mark, "重复的配置项 version（第 %zu 行已出现）", p->version_line);
				skip_value(p);
			} else {
				p->version_line = mark.line + 1;
				if (next_event(p))
					parse_version(p);
			}
		} else if (sec == WQ_CONF_NKEYS) {
			char *shown = printable(name, 64);

			report(p, &mark, "未知的配置项 %s", shown);
			free(shown);
			skip_value(p);
		} else if (p->section_line[sec]) {
			report(p, &mark, "重复的配置项 %s（第 %zu 行已出现）", name, p->section_line[sec]);
			skip_value(p);
		} else if (top_level_map(&conf_keys[sec])) {
			p->section_line[sec] = p->key_line[sec] = mark.line + 1;
			if (next_event(p))
				parse_map(p, sec, mark.line + 1);
		} else {
			p->section_line[sec] = mark.line + 1;
			if (next_event(p))
				parse_section(p, sec);
		}
		free(name);
		if (p->stop)
			return;
	}
}

/* The whole stream: nothing, or one document. */
static void
parse_stream(struct conf_parse *p)
{
	bool seen_doc = false;

	if (!next_event(p)) /* STREAM-START */
		return;
	for (;;) {
		if (!next_event(p) || p->ev.type == YAML_STREAM_END_EVENT)
			return;
		if (seen_doc) {
			report(p, &p->ev.start_mark, "配置文件只能有一个 YAML 文档");
			return;
		}
		seen_doc = true;
		if (!next_event(p))
			return;
		parse_root(p);
		if (p->stop || !next_event(p)) /* DOCUMENT-END */
			return;
	}
}

/*
 * Merges one document over conf, or changes nothing when it has a problem.
 * Problems are appended to err.  builtin marks the origin "built-in".
 */
static bool
merge_text(struct wq_conf *conf, const char *name, const char *text, size_t len,
	bool builtin, struct wq_err *err)
{
	struct conf_parse *p = xcalloc(1, sizeof(*p));
	bool ok;
	size_t i;

	p->name = name;
	p->text = (const unsigned char *)(text ? text : "");
	p->len = text ? len : 0;
	p->err = err;
	if (!yaml_parser_initialize(&p->parser)) {
		add_problemf(err, WQ_ERR_OOM, "%s: 内存不足", name);
		free(p);
		return false;
	}
	yaml_parser_set_input_string(&p->parser, p->text, p->len);
	parse_stream(p);
	if (p->have_ev)
		yaml_event_delete(&p->ev);
	yaml_parser_delete(&p->parser);

	ok = p->problems == 0;
	for (i = 0; i < WQ_CONF_NKEYS; i++) {
		struct conf_value *v = &p->val[i];

		if (ok && v->set) {
			switch (conf_keys[i].type) {
			case CONF_STR: {
				char **f = field_ptr(conf, i);

				free(*f);
				*f = v->str;
				v->str = NULL;
				break;
			}
			case CONF_INT:
				*(int *)field_ptr(conf, i) = v->num;
				break;
			case CONF_BOOL:
				*(bool *)field_ptr(conf, i) = v->num != 0;
				break;
			case CONF_MAP: {
				struct wq_conf_map *f = field_ptr(conf, i);

				/* The whole mapping, never merged entry by entry. */
				map_free(f);
				*f = v->map;
				memset(&v->map, 0, sizeof(v->map));
				break;
			}
			}
			free(conf->origin[i]);
			conf->origin[i] = builtin ? xstrdup(CONF_BUILTIN) :
				xasprintf("%s:%zu", name, v->line);
		}
		free(v->str);
		map_free(&v->map);
		free(v->map_line);
	}
	free(p);
	return ok;
}

/*
 * Reads a whole file.  Returns 1 with *text (NUL-terminated, to free) and
 * *len, 0 when it does not exist, -1 on another error with errno set.
 */
static int
read_file(const char *path, char **text, size_t *len)
{
	if (read_whole_file(path, CONF_MAX_FILE, text, len) == 0)
		return 1;
	return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
}

/*
 * Merges the file at path over conf.  required_by names who asked for it
 * ("--config"), or is NULL when a missing file is simply skipped.
 */
static bool
merge_file(struct wq_conf *conf, const char *path, const char *required_by,
	struct wq_err *err)
{
	char *text, *shown = printable(path, 4096);
	size_t len;
	bool ok = false;

	switch (read_file(path, &text, &len)) {
	case 0:
		if (!required_by) {
			ok = true;
			break;
		}
		add_problemf(err, WQ_ERR_CONF, "%s: 配置文件不存在（由 %s 指定）", shown, required_by);
		break;
	case 1:
		ok = merge_text(conf, path, text, len, false, err);
		free(text);
		break;
	default:
		if (errno == EISDIR)
			add_problemf(err, WQ_ERR_IO, "%s: 是目录，不是配置文件", shown);
		else if (errno == EFBIG)
			add_problemf(err, WQ_ERR_IO, "%s: 配置文件过大（超过 1 MiB）", shown);
		else
			add_problemf(err, WQ_ERR_IO, "%s: 无法读取配置文件：%s", shown, wq_errno_text(errno));
		break;
	}
	free(shown);
	return ok;
}

/* Empty strings, zeros and "built-in" origins, then the embedded defaults. */
static bool
load_defaults(struct wq_conf *conf, struct wq_err *err)
{
	size_t i;

	memset(conf, 0, sizeof(*conf));
	for (i = 0; i < WQ_CONF_NKEYS; i++) {
		if (conf_keys[i].type == CONF_STR)
			*(char **)field_ptr(conf, i) = xstrdup("");
		conf->origin[i] = xstrdup(CONF_BUILTIN);
	}
	return merge_text(conf, CONF_BUILTIN, wq_default_conf, strlen(wq_default_conf), true, err);
}

/*
 * conf_init_defaults: fills conf (not yet initialised, or after conf_fini)
 * with the defaults of conf/wq.yaml.  Every string is non-NULL.
 */
void
conf_init_defaults(struct wq_conf *conf)
{
	load_defaults(conf, NULL);
}

/*
 * conf_merge_string: merges one YAML document over conf.  err is cleared
 * first; on any problem conf is unchanged and every problem is in err->msg.
 */
bool
conf_merge_string(struct wq_conf *conf, const char *name, const char *text, struct wq_err *err)
{
	wq_err_clear(err);
	return merge_text(conf, name, text, text ? strlen(text) : 0, false, err);
}

/*
 * conf_load: the defaults, then each layer.  Every layer is read even after
 * a failure, so that all problems of all files are reported at once.
 */
bool
conf_load(struct wq_conf *conf, const char *explicit_path, struct wq_err *err)
{
	const char *dir, *env;
	char *path;
	bool ok;

	wq_err_clear(err);
	ok = load_defaults(conf, err);

	dir = getenv("WQ_SYSCONFDIR");
	path = xasprintf("%s/wq/wq.yaml", str_empty(dir) ? WQ_SYSCONFDIR : dir);
	ok &= merge_file(conf, path, NULL, err);
	free(path);

	/* XDG: an unset, empty or relative $XDG_CONFIG_HOME means ~/.config. */
	dir = getenv("XDG_CONFIG_HOME");
	if (!str_empty(dir) && dir[0] == '/') {
		path = xasprintf("%s/wq/wq.yaml", dir);
	} else {
		dir = getenv("HOME");
		path = str_empty(dir) ? NULL : xasprintf("%s/.config/wq/wq.yaml", dir);
	}
	if (path)
		ok &= merge_file(conf, path, NULL, err);
	free(path);

	env = getenv("WQ_CONFIG");
	if (!str_empty(env))
		ok &= merge_file(conf, env, "环境变量 WQ_CONFIG", err);

	if (explicit_path) {
		if (*explicit_path) {
			ok &= merge_file(conf, explicit_path, "--config", err);
		} else {
			add_problem(err, WQ_ERR_USAGE, "--config: 文件名为空");
			ok = false;
		}
	}

	if (!ok) {
		conf_fini(conf);
		load_defaults(conf, NULL);
	}
	return ok;
}

/*
 * Writes s for YAML: inside a double-quoted scalar (quoted), or as comment
 * text.  Line breaks, control characters and invisible direction marks are
 * escaped either way, so the output stays one line per value.
 */
static void
put_escaped(FILE *out, const char *s, bool quoted)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned int cp = *p;
		size_t n = 1;

		if (cp >= 0xc0) {
			size_t want = cp >= 0xf0 ? 4 : cp >= 0xe0 ? 3 : 2, i;

			cp &= want == 4 ? 0x07 : want == 3 ? 0x0f : 0x1f;
			for (i = 1; i < want && (p[i] & 0xc0) == 0x80; i++)
				cp = cp << 6 | (p[i] & 0x3f);
			if (i == want)
				n = want;
			else
				cp = *p; /* not UTF-8: one byte, escaped below */
		}
		if (quoted && (cp == '"' || cp == '\\'))
			fprintf(out, "\\%c", (char)cp);
		else if (cp == '\n')
			fputs("\\n", out);
		else if (cp == '\t')
			fputs("\\t", out);
		else if (cp < 0x20 || cp == 0x7f || (n == 1 && cp >= 0x80) ||
		    (cp >= 0x80 && cp <= 0x9f))
			fprintf(out, "\\x%02X", cp);
		else if (cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
		    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
		    cp == 0xfeff || cp == 0xfffe || cp == 0xffff)
			fprintf(out, "\\u%04X", cp);
		else
			fwrite(p, 1, n, out);
		p += n;
	}
}

/*
 * The entries of a mapping, one per line under its key.  libyaml reads a key
 * of more than 1024 characters only in the explicit "? key" form, so a long
 * one (escaped, each byte takes at most four) is written that way.
 */
static void
print_map(FILE *out, const struct wq_conf_map *m)
{
	int j;

	for (j = 0; j < m->n; j++) {
		bool explicit = strlen(m->from[j]) > 250; /* 250 * 4 + 2 quotes < 1024 */

		fputs(explicit ? "    ? \"" : "    \"", out);
		put_escaped(out, m->from[j], true);
		fputs(explicit ? "\"\n    : \"" : "\": \"", out);
		put_escaped(out, m->to[j], true);
		fputs("\"\n", out);
	}
}

/*
 * conf_print: the merged configuration as YAML that conf_merge_string reads
 * back to the same values; each value ends with "# ORIGIN" (a mapping: its
 * key's line, with the entries below it, or "{}" when it is empty).
 */
void
conf_print(const struct wq_conf *conf, FILE *out)
{
	size_t s, i;

	fputs("# wq configuration, merged from every layer (wq --print-config).\n"
		"# After each value: where it came from, \"built-in\" or FILE:LINE.\n"
		"version: 1\n", out);
	for (s = 0; s < WQ_CONF_NKEYS; s++) {
		if (find_section(conf_keys[s].section) != s)
			continue; /* not the first key of its section */
		if (top_level_map(&conf_keys[s])) {
			const struct wq_conf_map *m = field_cptr(conf, s);

			fprintf(out, "\n%s:%s  # ", conf_keys[s].key, m->n ? "" : " {}");
			put_escaped(out, conf->origin[s] ? conf->origin[s] : "(unknown)", false);
			fputc('\n', out);
			print_map(out, m);
			continue;
		}
		fprintf(out, "\n%s:\n", conf_keys[s].section);
		for (i = s; i < WQ_CONF_NKEYS; i++) {
			const struct conf_key *k = &conf_keys[i];
			const void *f = field_cptr(conf, i);

			if (strcmp(k->section, conf_keys[s].section) != 0)
				continue;
			fprintf(out, "  %s:", k->key);
			switch (k->type) {
			case CONF_STR: {
				const char *v = *(char *const *)f;

				fputs(" \"", out);
				put_escaped(out, v ? v : "", true);
				fputc('"', out);
				break;
			}
			case CONF_INT:
				fprintf(out, " %d", *(const int *)f);
				break;
			case CONF_BOOL:
				fputs(*(const bool *)f ? " true" : " false", out);
				break;
			case CONF_MAP:
				if (((const struct wq_conf_map *)f)->n == 0)
					fputs(" {}", out);
				break;
			}
			fputs("  # ", out);
			put_escaped(out, conf->origin[i] ? conf->origin[i] : "(unknown)", false);
			fputc('\n', out);
			if (k->type == CONF_MAP)
				print_map(out, f);
		}
	}
}

/*
 * conf_fini: frees every string, mapping and origin; conf is left zeroed, so
 * a second conf_fini is harmless.
 */
void
conf_fini(struct wq_conf *conf)
{
	size_t i;

	for (i = 0; i < WQ_CONF_NKEYS; i++) {
		if (conf_keys[i].type == CONF_STR)
			free(*(char **)field_ptr(conf, i));
		else if (conf_keys[i].type == CONF_MAP)
			map_free(field_ptr(conf, i));
		free(conf->origin[i]);
	}
	memset(conf, 0, sizeof(*conf));
}
