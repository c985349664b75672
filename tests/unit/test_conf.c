/* test_conf.c: the configuration loader (src/conf.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "embed.h"
#include "unittest.h"
#include "util.h"

#ifndef FIXTURESDIR
#error "FIXTURESDIR must name tests/unit/fixtures"
#endif

#define FX(name) FIXTURESDIR "/" name

/* The per-test scratch directory; the layers' environment points into it. */
static char tmpdir[PATH_MAX];

/* Writes text to tmpdir/rel, creating the directories on the way; returns the path. */
static char *
write_tmp(const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, rel);
	char *slash;
	FILE *f;

	for (slash = strchr(path + strlen(tmpdir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* A fresh scratch directory; the system and user layers point into it and are empty. */
static int
setup(void **state)
{
	char *dir;

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/wq-test-conf-XXXXXX",
		getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	dir = xasprintf("%s/etc", tmpdir);
	setenv("WQ_SYSCONFDIR", dir, 1);
	free(dir);
	dir = xasprintf("%s/xdg", tmpdir);
	setenv("XDG_CONFIG_HOME", dir, 1);
	free(dir);
	dir = xasprintf("%s/home", tmpdir);
	setenv("HOME", dir, 1);
	free(dir);
	unsetenv("WQ_CONFIG");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	remove_tree(tmpdir);
	return 0;
}

/* Every key still has its built-in value and origin. */
static void
assert_defaults(const struct wq_conf *c)
{
	size_t i;

	assert_string_equal(c->conn_dsn, "");
	assert_string_equal(c->conn_host, "");
	assert_string_equal(c->conn_port, "");
	assert_string_equal(c->conn_dbname, "");
	assert_string_equal(c->conn_user, "");
	assert_string_equal(c->conn_service, "");
	assert_string_equal(c->conn_sslmode, "");
	assert_string_equal(c->conn_target_session_attrs, "");
	assert_int_equal(c->conn_connect_timeout, 10);
	assert_string_equal(c->conn_application_name, "wq");
	assert_false(c->ui_ascii);
	assert_true(c->ui_color);
	assert_string_equal(c->ui_login_notice, "");
	assert_int_equal(c->ui_login_delay_after, 5);
	assert_int_equal(c->roster_headers.n, 0);
	assert_null(c->roster_headers.from);
	assert_null(c->roster_headers.to);
	for (i = 0; i < WQ_CONF_NKEYS; i++)
		assert_string_equal(c->origin[i], "built-in");
}

/* Loads with --config FILE (a fixture), expecting failure with exactly msg. */
static void
expect_load_error(const char *path, const char *msg)
{
	struct wq_conf c;
	struct wq_err err;

	assert_false(conf_load(&c, path, &err));
	assert_int_equal(err.code, WQ_ERR_CONF);
	assert_string_equal(err.msg, msg);
	assert_defaults(&c);
	conf_fini(&c);
}

/* Merges text over the defaults, expecting failure with exactly msg. */
static void
expect_merge_error(const char *text, const char *msg)
{
	struct wq_conf c;
	struct wq_err err;

	conf_init_defaults(&c);
	assert_false(conf_merge_string(&c, "t.yaml", text, &err));
	assert_int_equal(err.code, WQ_ERR_CONF);
	assert_string_equal(err.msg, msg);
	assert_defaults(&c);
	conf_fini(&c);
}

/* s as a YAML double-quoted scalar (a new string). */
static char *
yaml_quote(const char *s)
{
	char *out = xmalloc(strlen(s) * 2 + 3), *o = out;

	*o++ = '"';
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

/* Lines in s: the newlines, plus one for a non-empty text. */
static size_t
count_lines(const char *s)
{
	size_t n = *s ? 1 : 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The mapping m has exactly the n entries from[i] -> to[i], in this order. */
static void
assert_map(const struct wq_conf_map *m, const char *const *from, const char *const *to, int n)
{
	int i;

	assert_int_equal(m->n, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(m->from[i], from[i]);
		assert_string_equal(m->to[i], to[i]);
	}
}

static void
test_defaults_parse(void **state)
{
	struct wq_conf c;
	struct wq_err err;

	(void)state;
	conf_init_defaults(&c);
	assert_defaults(&c);
	/* The embedded file parses cleanly with the ordinary parser. */
	assert_true(conf_merge_string(&c, "conf/wq.yaml", wq_default_conf, &err));
	assert_int_equal(err.code, WQ_ERR_OK);
	assert_string_equal(err.msg, "");
	assert_string_equal(c.conn_application_name, "wq");
	conf_fini(&c);

	/* With no files at all, conf_load gives just the defaults. */
	assert_true(conf_load(&c, NULL, &err));
	assert_string_equal(err.msg, "");
	assert_defaults(&c);
	conf_fini(&c);
}

static void
test_override_origin(void **state)
{
	struct wq_conf c;
	struct wq_err err;

	(void)state;
	assert_true(conf_load(&c, FX("conf_override.yaml"), &err));
	assert_string_equal(c.conn_host, "db.example.edu");
	assert_string_equal(c.origin[WQ_CONF_conn_host], FX("conf_override.yaml") ":4");
	assert_string_equal(c.origin[WQ_CONF_conn_port], "built-in");
	assert_int_equal(c.conn_connect_timeout, 10);
	assert_string_equal(c.origin[WQ_CONF_conn_connect_timeout], "built-in");
	conf_fini(&c);
}

static void
test_layers(void **state)
{
	struct wq_conf c;
	struct wq_err err;
	char *sys, *user, *env, *cli, *want;

	(void)state;
	sys = write_tmp("etc/wq/wq.yaml",
		"connection:\n"
		"  host: sys\n"
		"  port: \"5401\"\n"
		"  dbname: sysdb\n"
		"  user: sysuser\n"
		"ui:\n"
		"  ascii: yes\n");
	user = write_tmp("xdg/wq/wq.yaml",
		"connection:\n"
		"  host: user\n"
		"  port: 5402\n"
		"  dbname: userdb\n");
	env = write_tmp("env.yaml",
		"connection:\n"
		"  host: env\n"
		"  port: '5403'\n");
	cli = write_tmp("cli.yaml",
		"\n"
		"connection:\n"
		"  host: cli\n");
	setenv("WQ_CONFIG", env, 1);

	assert_true(conf_load(&c, cli, &err));
	assert_string_equal(err.msg, "");
	assert_string_equal(c.conn_host, "cli");
	want = xasprintf("%s:3", cli);
	assert_string_equal(c.origin[WQ_CONF_conn_host], want);
	free(want);
	assert_string_equal(c.conn_port, "5403");
	want = xasprintf("%s:3", env);
	assert_string_equal(c.origin[WQ_CONF_conn_port], want);
	free(want);
	assert_string_equal(c.conn_dbname, "userdb");
	want = xasprintf("%s:4", user);
	assert_string_equal(c.origin[WQ_CONF_conn_dbname], want);
	free(want);
	assert_string_equal(c.conn_user, "sysuser");
	want = xasprintf("%s:5", sys);
	assert_string_equal(c.origin[WQ_CONF_conn_user], want);
	free(want);
	assert_true(c.ui_ascii);
	want = xasprintf("%s:7", sys);
	assert_string_equal(c.origin[WQ_CONF_ui_ascii], want);
	free(want);
	assert_string_equal(c.conn_application_name, "wq");
	assert_string_equal(c.origin[WQ_CONF_conn_application_name], "built-in");
	conf_fini(&c);

	/* Without --config and $WQ_CONFIG the user file wins. */
	unsetenv("WQ_CONFIG");
	assert_true(conf_load(&c, NULL, &err));
	assert_string_equal(c.conn_host, "user");
	assert_string_equal(c.conn_port, "5402");
	conf_fini(&c);

	free(sys);
	free(user);
	free(env);
	free(cli);
}

static void
test_home_fallback(void **state)
{
	struct wq_conf c;
	struct wq_err err;
	char *home, *xdg;

	(void)state;
	home = write_tmp("home/.config/wq/wq.yaml", "connection:\n  host: home\n");
	xdg = write_tmp("xdg/wq/wq.yaml", "connection:\n  host: xdg\n");

	assert_true(conf_load(&c, NULL, &err));
	assert_string_equal(c.conn_host, "xdg");
	conf_fini(&c);

	unsetenv("XDG_CONFIG_HOME");
	assert_true(conf_load(&c, NULL, &err));
	assert_string_equal(c.conn_host, "home");
	conf_fini(&c);

	/* A relative $XDG_CONFIG_HOME is ignored, as the XDG spec says. */
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	assert_true(conf_load(&c, NULL, &err));
	assert_string_equal(c.conn_host, "home");
	conf_fini(&c);

	free(home);
	free(xdg);
}

static void
test_unknown_key(void **state)
{
	(void)state;
	expect_load_error(FX("conf_unknown.yaml"),
		FX("conf_unknown.yaml") ":3:5: 未知的配置项 connection.hots");
	expect_merge_error("conection:\n  host: x\n", "t.yaml:1:1: 未知的配置项 conection");
}

static void
test_wrong_types(void **state)
{
	(void)state;
	expect_load_error(FX("conf_types.yaml"),
		FX("conf_types.yaml") ":2:20: connection.connect_timeout 应为整数\n"
		FX("conf_types.yaml") ":3:9: connection.port 应为字符串，不能是列表\n"
		FX("conf_types.yaml") ":4:9: connection.host 应为字符串，不能是映射\n"
		FX("conf_types.yaml") ":5:12: connection.sslmode 应为 disable、allow、prefer、require、"
			"verify-ca、verify-full 之一，或留空\n"
		FX("conf_types.yaml") ":7:10: ui.ascii 应为布尔值（true/false、yes/no、on/off）\n"
		FX("conf_types.yaml") ":8:10: ui.color 应为布尔值（不要加引号）\n"
		FX("conf_types.yaml") ":9:22: ui.login_delay_after 应在 1 到 100 之间\n"
		FX("conf_types.yaml") ":10:17: ui.login_notice 应为字符串，不能是列表");
	expect_merge_error("connection:\n  connect_timeout: 3601\n",
		"t.yaml:2:20: connection.connect_timeout 应在 0 到 3600 之间");
	expect_merge_error("connection:\n  connect_timeout: -1\n",
		"t.yaml:2:20: connection.connect_timeout 应在 0 到 3600 之间");
	expect_merge_error("connection:\n  connect_timeout: 010\n",
		"t.yaml:2:20: connection.connect_timeout 应为整数");
	expect_merge_error("connection:\n  connect_timeout: 1.5\n",
		"t.yaml:2:20: connection.connect_timeout 应为整数");
	expect_merge_error("connection:\n  connect_timeout:\n",
		"t.yaml:2:19: connection.connect_timeout 应为整数");
	expect_merge_error("connection:\n  port: 'abc'\n",
		"t.yaml:2:9: connection.port 应为端口号 1 到 65535（多个主机时用逗号分隔），或留空");
	expect_merge_error("connection: db.example.edu\n",
		"t.yaml:1:13: connection 应为映射（在下面缩进写出各配置项）");
	expect_merge_error("connection:\n  host: !!binary aGk=\n",
		"t.yaml:2:9: 不支持的 YAML 标签 tag:yaml.org,2002:binary");
}

static void
test_good_values(void **state)
{
	struct wq_conf c;
	struct wq_err err;
	static const struct {
		const char *text;
		bool value;
	} bools[] = {
		{ "true", true }, { "yes", true }, { "on", true }, { "True", true }, { "YES", true },
		{ "false", false }, { "no", false }, { "off", false }, { "Off", false }, { "FALSE", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bools); i++) {
		char *text = xasprintf("ui:\n  color: %s\n  ascii: %s\n", bools[i].text, bools[i].text);

		conf_init_defaults(&c);
		assert_true(conf_merge_string(&c, "t.yaml", text, &err));
		assert_int_equal(c.ui_color, bools[i].value);
		assert_int_equal(c.ui_ascii, bools[i].value);
		assert_string_equal(c.origin[WQ_CONF_ui_ascii], "t.yaml:3");
		conf_fini(&c);
		free(text);
	}

	conf_init_defaults(&c);
	assert_true(conf_merge_string(&c, "t.yaml",
		"version: 1\n"
		"connection:\n"
		"  dsn: postgresql://db1.example.edu,db2.example.edu/wq?target_session_attrs=read-write\n"
		"  port: 5432,,5433\n"
		"  connect_timeout: 0\n"
		"  sslmode: verify-full\n"
		"  target_session_attrs: prefer-standby\n"
		"  application_name: !!str 123\n"
		"  service: ~\n"
		"ui:\n"
		"  login_delay_after: 100\n"
		"  login_notice: |\n    演示账号\n      lisi\n", &err));
	assert_string_equal(err.msg, "");
	assert_string_equal(c.conn_dsn,
		"postgresql://db1.example.edu,db2.example.edu/wq?target_session_attrs=read-write");
	assert_string_equal(c.conn_port, "5432,,5433");
	assert_int_equal(c.conn_connect_timeout, 0);
	assert_string_equal(c.conn_sslmode, "verify-full");
	assert_string_equal(c.conn_target_session_attrs, "prefer-standby");
	assert_string_equal(c.conn_application_name, "123");
	assert_string_equal(c.conn_service, "");
	assert_string_equal(c.origin[WQ_CONF_conn_service], "t.yaml:9");
	assert_int_equal(c.ui_login_delay_after, 100);
	assert_string_equal(c.ui_login_notice, "演示账号\n  lisi\n");

	/* An empty section changes nothing. */
	assert_true(conf_merge_string(&c, "t.yaml", "ui:\nconnection: ~\n", &err));
	assert_int_equal(c.ui_login_delay_after, 100);
	conf_fini(&c);
}

static void
test_alias_anchor(void **state)
{
	(void)state;
	expect_load_error(FX("conf_alias.yaml"),
		FX("conf_alias.yaml") ":2:9: 不允许使用 YAML 锚点或别名\n"
		FX("conf_alias.yaml") ":3:11: 不允许使用 YAML 锚点或别名");
	/* An anchored section, and an anchor deep inside an unknown key. */
	expect_merge_error("ui: &u\n  ascii: true\nother:\n  - &x 1\n",
		"t.yaml:1:5: 不允许使用 YAML 锚点或别名\n"
		"t.yaml:3:1: 未知的配置项 other\n"
		"t.yaml:4:5: 不允许使用 YAML 锚点或别名");
	expect_merge_error("*a\n", "t.yaml:1:1: 不允许使用 YAML 锚点或别名");
}

#define ROSTER_HEADERS "考生号、姓名、性别、身份证号、民族、政治面貌、出生日期、毕业院校、院系、" \
	"学历层次、专业、培养方式、生源所在地、学号、学制、入学时间、毕业时间、手机号码、电子邮箱"

#define PW_HINT "密码不写在配置文件里，请使用 libpq 的密码提示、~/.pgpass 或服务文件（pg_service.conf）"

static void
test_password(void **state)
{
	(void)state;
	expect_load_error(FX("conf_password.yaml"),
		FX("conf_password.yaml") ":2:1: 不允许配置 password：" PW_HINT);
	expect_load_error(FX("conf_password_nested.yaml"),
		FX("conf_password_nested.yaml") ":3:3: 不允许配置 connection.password：" PW_HINT "\n"
		FX("conf_password_nested.yaml") ":4:1: 未知的配置项 extra\n"
		FX("conf_password_nested.yaml") ":6:7: 不允许配置 PassWord：" PW_HINT);
	expect_merge_error("ui:\n  Password: x\n",
		"t.yaml:2:3: 不允许配置 ui.Password：" PW_HINT);
}

static void
test_password_in_dsn(void **state)
{
	static const char *const bad[] = {
		"host=db password=secret",
		"host=db  password = 'a b\\' c' dbname=wq",
		"postgresql://wq:secret@db.example.edu/wq",
		"postgres://wq:@db/wq",
		"postgresql://db/wq?sslmode=require&password=secret",
		"postgresql://db/wq?p%61ssword=secret",
	};
	static const char *const good[] = {
		"host=db dbname=wq",
		"host=db application_name='password=x'",
		"postgresql://wq@db.example.edu:5432/wq",
		"postgresql://db/wq?passwordless=1",
		"postgresql://[::1]:5432/wq",
	};
	struct wq_conf c;
	struct wq_err err;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char *q = yaml_quote(bad[i]);
		char *text = xasprintf("connection:\n  dsn: %s\n", q);

		expect_merge_error(text, "t.yaml:2:8: connection.dsn 不能包含密码：" PW_HINT);
		free(text);
		free(q);
	}
	expect_merge_error("connection:\n  dbname: postgresql://u:pw@h/db\n",
		"t.yaml:2:11: connection.dbname 不能包含密码：" PW_HINT);
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		char *q = yaml_quote(good[i]);
		char *text = xasprintf("connection:\n  dsn: %s\n", q);

		conf_init_defaults(&c);
		assert_true(conf_merge_string(&c, "t.yaml", text, &err));
		assert_string_equal(c.conn_dsn, good[i]);
		conf_fini(&c);
		free(text);
		free(q);
	}
}

static void
test_duplicate(void **state)
{
	(void)state;
	expect_load_error(FX("conf_duplicate.yaml"),
		FX("conf_duplicate.yaml") ":3:3: 重复的配置项 connection.host（第 2 行已出现）\n"
		FX("conf_duplicate.yaml") ":6:1: 重复的配置项 ui（第 4 行已出现）");
	expect_merge_error("version: 1\nversion: 1\n",
		"t.yaml:2:1: 重复的配置项 version（第 1 行已出现）");
}

static void
test_syntax_error(void **state)
{
	(void)state;
	expect_load_error(FX("conf_syntax.yaml"),
		FX("conf_syntax.yaml") ":3:8: YAML 语法错误：mapping values are not allowed in this context");
	expect_merge_error("connection:\n  host: \"unterminated\n",
		"t.yaml:3:1: YAML 语法错误：found unexpected end of stream"
		"（while scanning a quoted scalar，始于第 2 行第 9 列）");
	/* Problems before the syntax error are kept. */
	expect_merge_error("foo: 1\nconnection:\n  host: [a\n",
		"t.yaml:1:1: 未知的配置项 foo\n"
		"t.yaml:3:9: connection.host 应为字符串，不能是列表\n"
		"t.yaml:4:1: YAML 语法错误：did not find expected ',' or ']'"
		"（while parsing a flow sequence，始于第 3 行第 9 列）");
	/* An invalid byte: libyaml's reader error, placed by its offset. */
	expect_merge_error("ui:\n  ascii: \xff\n",
		"t.yaml:2:10: YAML 编码错误：invalid leading UTF-8 octet (#FF)");
}

static void
test_many_problems(void **state)
{
	struct wq_conf c;
	struct wq_err err;
	char *text, *p;
	size_t i, len;

	(void)state;
	expect_load_error(FX("conf_many.yaml"),
		FX("conf_many.yaml") ":2:3: 未知的配置项 connection.hots\n"
		FX("conf_many.yaml") ":3:20: connection.connect_timeout 应为整数（不要加引号）\n"
		FX("conf_many.yaml") ":4:8: connection.dsn 不能包含密码：" PW_HINT "\n"
		FX("conf_many.yaml") ":5:5: ui 应为映射，不能是列表\n"
		FX("conf_many.yaml") ":6:1: 未知的配置项 foo");

	/* Far more problems than err->msg holds: whole lines, then a marker. */
	len = 0;
	text = xmalloc(500 * 32);
	for (i = 0; i < 500; i++)
		len += (size_t)sprintf(text + len, "unknown_key_%03zu: 1\n", i);
	conf_init_defaults(&c);
	assert_false(conf_merge_string(&c, "t.yaml", text, &err));
	assert_true(count_lines(err.msg) > 50);
	assert_true(strlen(err.msg) < sizeof(err.msg) - 1);
	p = strrchr(err.msg, '\n');
	assert_non_null(p);
	assert_string_equal(p + 1, "……（问题太多，其余从略）");
	assert_non_null(strstr(err.msg, "t.yaml:1:1: 未知的配置项 unknown_key_000\nt.yaml:2:1: "));
	assert_defaults(&c);
	conf_fini(&c);
	free(text);
}

static void
test_bad_file_leaves_conf(void **state)
{
	struct wq_conf c;
	struct wq_err err;
	char *good;

	(void)state;
	conf_init_defaults(&c);
	assert_true(conf_merge_string(&c, "a.yaml", "connection:\n  host: first\n", &err));
	assert_false(conf_merge_string(&c, "b.yaml",
		"connection:\n  host: second\n  port: 1\n  user: u\nui:\n  ascii: on\n  color: purple\n",
		&err));
	assert_string_equal(err.msg, "b.yaml:7:10: ui.color 应为布尔值（true/false、yes/no、on/off）");
	assert_string_equal(c.conn_host, "first");
	assert_string_equal(c.origin[WQ_CONF_conn_host], "a.yaml:2");
	assert_string_equal(c.conn_port, "");
	assert_string_equal(c.origin[WQ_CONF_conn_port], "built-in");
	assert_string_equal(c.conn_user, "");
	assert_false(c.ui_ascii);
	assert_true(c.ui_color);
	/* A later good document still merges, and err is cleared. */
	assert_true(conf_merge_string(&c, "c.yaml", "connection:\n  port: 1\n", &err));
	assert_string_equal(err.msg, "");
	assert_string_equal(c.conn_port, "1");
	conf_fini(&c);

	/* conf_load: a bad layer reports, every layer is still read, conf is the defaults. */
	good = write_tmp("etc/wq/wq.yaml", "connection:\n  host: sys\n");
	assert_false(conf_load(&c, FX("conf_unknown.yaml"), &err));
	assert_string_equal(err.msg, FX("conf_unknown.yaml") ":3:5: 未知的配置项 connection.hots");
	assert_defaults(&c);
	conf_fini(&c);
	free(good);

	good = write_tmp("xdg/wq/wq.yaml", "ui:\n  colour: true\n");
	assert_false(conf_load(&c, FX("conf_unknown.yaml"), &err));
	assert_int_equal(count_lines(err.msg), 2);
	assert_non_null(strstr(err.msg, "/xdg/wq/wq.yaml:2:3: 未知的配置项 ui.colour\n"));
	assert_defaults(&c);
	conf_fini(&c);
	free(good);
}

static void
test_missing_file(void **state)
{
	struct wq_conf c;
	struct wq_err err;
	char *dir;

	(void)state;
	expect_load_error(FX("conf_no_such_file.yaml"),
		FX("conf_no_such_file.yaml") ": 配置文件不存在（由 --config 指定）");

	setenv("WQ_CONFIG", "/nonexistent/wq-env.yaml", 1);
	expect_load_error(NULL, "/nonexistent/wq-env.yaml: 配置文件不存在（由 环境变量 WQ_CONFIG 指定）");
	/* Both at once: both named. */
	expect_load_error("/nonexistent/wq-cli.yaml",
		"/nonexistent/wq-env.yaml: 配置文件不存在（由 环境变量 WQ_CONFIG 指定）\n"
		"/nonexistent/wq-cli.yaml: 配置文件不存在（由 --config 指定）");
	/* An empty $WQ_CONFIG is as if unset. */
	setenv("WQ_CONFIG", "", 1);
	assert_true(conf_load(&c, NULL, &err));
	conf_fini(&c);
	unsetenv("WQ_CONFIG");

	/* A directory is not a configuration file. */
	dir = xasprintf("%s/etc/wq/wq.yaml", tmpdir);
	free(write_tmp("etc/wq/wq.yaml/x", ""));
	assert_false(conf_load(&c, NULL, &err));
	assert_int_equal(err.code, WQ_ERR_IO);
	assert_true(strncmp(err.msg, dir, strlen(dir)) == 0);
	assert_string_equal(err.msg + strlen(dir), ": 是目录，不是配置文件");
	assert_defaults(&c);
	conf_fini(&c);
	free(dir);
}

static void
test_empty_and_top_level(void **state)
{
	struct wq_conf c;
	struct wq_err err;

	(void)state;
	assert_true(conf_load(&c, FX("conf_empty.yaml"), &err));
	assert_defaults(&c);
	conf_fini(&c);
	assert_true(conf_load(&c, FX("conf_comments.yaml"), &err));
	assert_defaults(&c);
	conf_fini(&c);

	conf_init_defaults(&c);
	assert_true(conf_merge_string(&c, "t.yaml", "", &err));
	assert_true(conf_merge_string(&c, "t.yaml", "---\n...\n", &err));
	assert_true(conf_merge_string(&c, "t.yaml", "~\n", &err));
	assert_true(conf_merge_string(&c, "t.yaml", NULL, &err));
	assert_true(conf_merge_string(&c, "t.yaml", "{}\n", &err));
	assert_defaults(&c);
	conf_fini(&c);

	expect_merge_error("just text\n", "t.yaml:1:1: 配置文件的顶层应为映射（connection:、ui: 等）");
	expect_merge_error("- connection\n",
		"t.yaml:1:1: 配置文件的顶层应为映射（connection:、ui: 等），不能是列表");
	expect_merge_error("version: 2\n", "t.yaml:1:10: version 应为 1（目前只有第 1 版配置格式）");
	expect_merge_error("version: \"1\"\n", "t.yaml:1:10: version 应为 1（目前只有第 1 版配置格式）");
	expect_merge_error("ui: {}\n---\nui: {}\n", "t.yaml:2:1: 配置文件只能有一个 YAML 文档");
	expect_merge_error("[a]: 1\n", "t.yaml:1:1: 配置项名应为字符串");
}

static void
test_map_read(void **state)
{
	static const char *const from[] = { "学生姓名", "证件号码", "所在院系", "院系名称", "姓名" };
	static const char *const to[] = { "姓名", "身份证号", "院系", "院系", "姓名" };
	static const char *const flow_from[] = { "手机", "Email", "123" };
	static const char *const flow_to[] = { "手机号码", "电子邮箱", "考生号" };
	struct wq_conf c;
	struct wq_err err;

	(void)state;
	/* Order kept; two sources for one target; a source that is a standard header. */
	assert_true(conf_load(&c, FX("conf_headers.yaml"), &err));
	assert_string_equal(err.msg, "");
	assert_map(&c.roster_headers, from, to, 5);
	assert_string_equal(c.origin[WQ_CONF_roster_headers], FX("conf_headers.yaml") ":3");
	assert_string_equal(c.conn_application_name, "wq");
	conf_fini(&c);

	conf_init_defaults(&c);
	assert_true(conf_merge_string(&c, "t.yaml",
		"roster:\n  headers: {手机: 手机号码, 'Email': \"电子邮箱\", 123: !!str 考生号}\n", &err));
	assert_string_equal(err.msg, "");
	assert_map(&c.roster_headers, flow_from, flow_to, 3);
	assert_string_equal(c.origin[WQ_CONF_roster_headers], "t.yaml:2");
	/* A null value is an empty mapping, and it replaces the one before. */
	assert_true(conf_merge_string(&c, "u.yaml", "roster:\n  headers:\n", &err));
	assert_int_equal(c.roster_headers.n, 0);
	assert_string_equal(c.origin[WQ_CONF_roster_headers], "u.yaml:2");
	/* An empty roster section changes nothing. */
	assert_true(conf_merge_string(&c, "t.yaml", "roster: {}\n", &err));
	assert_string_equal(c.origin[WQ_CONF_roster_headers], "u.yaml:2");
	conf_fini(&c);
}

static void
test_map_errors(void **state)
{
	char *text;
	size_t i, len;

	(void)state;
	expect_load_error(FX("conf_headers_bad.yaml"),
		FX("conf_headers_bad.yaml") ":3:11: roster.headers: “名字” 不是名单的标准列名"
			"（应为 " ROSTER_HEADERS "之一）\n"
		FX("conf_headers_bad.yaml") ":5:7: roster.headers: “证件号码” 的值应为字符串，不能是列表\n"
		FX("conf_headers_bad.yaml") ":6:11: roster.headers: “所在院系” 的值应为字符串，不能是映射\n"
		FX("conf_headers_bad.yaml") ":7:5: roster.headers: 重复的键 “学生姓名”（第 3 行已出现）\n"
		FX("conf_headers_bad.yaml") ":8:7: roster.headers 的键应为字符串，不能是列表\n"
		FX("conf_headers_bad.yaml") ":10:5: roster.headers 的键不能为空\n"
		FX("conf_headers_bad.yaml") ":11:11: roster.headers: “性别代码” 的值不能为空\n"
		FX("conf_headers_bad.yaml") ":12:5: 不允许配置 roster.headers.PassWord：" PW_HINT "\n"
		FX("conf_headers_bad.yaml") ":13:11: 不允许使用 YAML 锚点或别名");

	/* The whole value: a list, a string, another section's type error. */
	expect_merge_error("roster:\n  headers:\n    - 学生姓名: 姓名\n",
		"t.yaml:3:5: roster.headers 应为映射，不能是列表");
	expect_merge_error("roster:\n  headers: [姓名]\n",
		"t.yaml:2:12: roster.headers 应为映射，不能是列表");
	expect_merge_error("roster:\n  headers: 姓名\n",
		"t.yaml:2:12: roster.headers 应为映射（在下面缩进写出各项，或写 {}）");
	expect_merge_error("roster:\n  header: {}\n", "t.yaml:2:3: 未知的配置项 roster.header");
	expect_merge_error("roster:\n  headers: {}\n  headers: {}\n",
		"t.yaml:3:3: 重复的配置项 roster.headers（第 2 行已出现）");
	/* Values: nested, null, quoted-but-wrong, tagged; anchors and aliases. */
	expect_merge_error("roster:\n  headers:\n    姓名:\n      x: 姓名\n",
		"t.yaml:4:7: roster.headers: “姓名” 的值应为字符串，不能是映射");
	expect_merge_error("roster:\n  headers:\n    学生姓名: ~\n",
		"t.yaml:3:11: roster.headers: “学生姓名” 的值不能为空");
	expect_merge_error("roster:\n  headers:\n    学生姓名: \" 姓名\"\n",
		"t.yaml:3:11: roster.headers: “ 姓名” 不是名单的标准列名（应为 " ROSTER_HEADERS "之一）");
	expect_merge_error("roster:\n  headers:\n    学生姓名: !!int 1\n",
		"t.yaml:3:11: 不支持的 YAML 标签 tag:yaml.org,2002:int");
	expect_merge_error("roster:\n  headers: &h\n    学生姓名: 姓名\n    *k : 姓名\n",
		"t.yaml:2:12: 不允许使用 YAML 锚点或别名\n"
		"t.yaml:4:5: 不允许使用 YAML 锚点或别名");
	/* At most 1000 entries. */
	text = xmalloc(1001 * 24 + 32);
	len = (size_t)sprintf(text, "roster:\n  headers:\n");
	for (i = 0; i < 1001; i++)
		len += (size_t)sprintf(text + len, "    h%04zu: 姓名\n", i);
	expect_merge_error(text, "t.yaml:1003:5: roster.headers 最多 1000 项");
	free(text);
	/* A password key anywhere inside, even in a refused value. */
	expect_merge_error("roster:\n  headers:\n    姓名: {password: x}\n",
		"t.yaml:3:9: roster.headers: “姓名” 的值应为字符串，不能是映射\n"
		"t.yaml:3:10: 不允许配置 password：" PW_HINT);
}

static void
test_map_layers(void **state)
{
	static const char *const sys_from[] = { "学生姓名", "证件号码", "所在院系" };
	static const char *const sys_to[] = { "姓名", "身份证号", "院系" };
	static const char *const cli_from[] = { "所在学院" };
	static const char *const cli_to[] = { "院系" };
	struct wq_conf c;
	struct wq_err err;
	char *sys, *user, *cli, *want;

	(void)state;
	sys = write_tmp("etc/wq/wq.yaml",
		"roster:\n"
		"  headers:\n"
		"    学生姓名: 姓名\n"
		"    证件号码: 身份证号\n"
		"    所在院系: 院系\n");
	/* A layer without roster.headers keeps the mapping below it. */
	user = write_tmp("xdg/wq/wq.yaml", "ui:\n  ascii: true\n");
	assert_true(conf_load(&c, NULL, &err));
	assert_map(&c.roster_headers, sys_from, sys_to, 3);
	want = xasprintf("%s:2", sys);
	assert_string_equal(c.origin[WQ_CONF_roster_headers], want);
	free(want);
	conf_fini(&c);

	/* A higher layer's mapping replaces the whole lower one. */
	cli = write_tmp("cli.yaml", "roster:\n  headers:\n    所在学院: 院系\n");
	assert_true(conf_load(&c, cli, &err));
	assert_string_equal(err.msg, "");
	assert_map(&c.roster_headers, cli_from, cli_to, 1);
	want = xasprintf("%s:2", cli);
	assert_string_equal(c.origin[WQ_CONF_roster_headers], want);
	free(want);
	conf_fini(&c);

	/* An empty mapping replaces it too. */
	free(user);
	user = write_tmp("xdg/wq/wq.yaml", "roster:\n  headers: {}\n");
	assert_true(conf_load(&c, NULL, &err));
	assert_int_equal(c.roster_headers.n, 0);
	want = xasprintf("%s:2", user);
	assert_string_equal(c.origin[WQ_CONF_roster_headers], want);
	free(want);
	conf_fini(&c);

	/* A refused document leaves the mapping as it was. */
	conf_init_defaults(&c);
	assert_true(conf_merge_string(&c, "a.yaml", "roster:\n  headers: {所在学院: 院系}\n", &err));
	assert_false(conf_merge_string(&c, "b.yaml",
		"roster:\n  headers:\n    学生姓名: 姓名\n    系: 系\n", &err));
	assert_string_equal(err.msg,
		"b.yaml:4:8: roster.headers: “系” 不是名单的标准列名（应为 " ROSTER_HEADERS "之一）");
	assert_map(&c.roster_headers, cli_from, cli_to, 1);
	assert_string_equal(c.origin[WQ_CONF_roster_headers], "a.yaml:2");
	conf_fini(&c);

	free(sys);
	free(user);
	free(cli);
}

static void
test_print_roundtrip(void **state)
{
	static const char *const from[] = {
		"学生姓名", "证件: \"号码\" # x", "- ? \t\u2028{a}", "#", NULL /* long key */
	};
	static const char *const to[] = { "姓名", "身份证号", "院系", "院系", "专业" };
	struct wq_conf c, back;
	struct wq_err err;
	char longkey[301], *text, *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	(void)state;
	/* A key too long for a simple YAML key (1024 characters, escaped). */
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	memcpy(longkey, "\\\n", 2);
	text = xasprintf(
		"connection:\n"
		"  dsn: \"host='a b' dbname=\\\"x\\\" \\\\ \\t\\n end\"\n"
		"  host: 数据库.example.edu\n"
		"  user: \"# not a comment\"\n"
		"  service: \"\\x01\\x7f\\u0085\\u2028\\u202e\\ufeff: - ' ? *a &b !c\"\n"
		"  connect_timeout: 3600\n"
		"ui:\n"
		"  ascii: yes\n"
		"  color: off\n"
		"  login_delay_after: 1\n"
		"roster:\n"
		"  headers:\n"
		"    学生姓名: 姓名\n"
		"    \"证件: \\\"号码\\\" # x\": 身份证号\n"
		"    \"- ? \\t\\u2028{a}\": 院系\n"
		"    '#': 院系\n"
		"    \"\\\\\\n%s\": 专业\n", longkey + 2);
	conf_init_defaults(&c);
	assert_true(conf_merge_string(&c, "/etc/wq/wq.yaml", text, &err));
	free(text);
	assert_string_equal(err.msg, "");
	assert_int_equal(c.roster_headers.n, 5);
	assert_string_equal(c.roster_headers.from[4], longkey);
	/* An origin with a line break must not break the output. */
	free(c.origin[WQ_CONF_conn_port]);
	c.origin[WQ_CONF_conn_port] = xstrdup("/tmp/odd\nname.yaml:1");

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	conf_print(&c, f);
	assert_int_equal(fclose(f), 0);

	assert_non_null(strstr(buf, "\n  host: \"数据库.example.edu\"  # /etc/wq/wq.yaml:3\n"));
	assert_non_null(strstr(buf, "\n  connect_timeout: 3600  # /etc/wq/wq.yaml:6\n"));
	assert_non_null(strstr(buf, "\n  application_name: \"wq\"  # built-in\n"));
	assert_non_null(strstr(buf, "\n  ascii: true  # /etc/wq/wq.yaml:8\n"));
	assert_non_null(strstr(buf, "\n  port: \"\"  # /tmp/odd\\nname.yaml:1\n"));
	assert_non_null(strstr(buf, "\nroster:\n  headers:  # /etc/wq/wq.yaml:12\n"
		"    \"学生姓名\": \"姓名\"\n"
		"    \"证件: \\\"号码\\\" # x\": \"身份证号\"\n"
		"    \"- ? \\t\\u2028{a}\": \"院系\"\n"
		"    \"#\": \"院系\"\n"
		"    ? \"\\\\\\nkkk"));
	assert_non_null(strstr(buf, "kkk\"\n    : \"专业\"\n"));
	/* One line per key and entry (the long one takes two), plus the header,
	 * version and section lines, and the blank line before the top-level keys:. */
	assert_int_equal(buf[len - 1], '\n');
	assert_int_equal(count_lines(buf) - 1, WQ_CONF_NKEYS + 5 + 1 + 2 + 1 + 3 * 2 + 1);

	conf_init_defaults(&back);
	assert_true(conf_merge_string(&back, "printed", buf, &err));
	assert_string_equal(err.msg, "");
	assert_string_equal(back.conn_dsn, c.conn_dsn);
	assert_string_equal(back.conn_host, c.conn_host);
	assert_string_equal(back.conn_port, c.conn_port);
	assert_string_equal(back.conn_dbname, c.conn_dbname);
	assert_string_equal(back.conn_user, c.conn_user);
	assert_string_equal(back.conn_service, c.conn_service);
	assert_string_equal(back.conn_sslmode, c.conn_sslmode);
	assert_string_equal(back.conn_target_session_attrs, c.conn_target_session_attrs);
	assert_int_equal(back.conn_connect_timeout, c.conn_connect_timeout);
	assert_string_equal(back.conn_application_name, c.conn_application_name);
	assert_int_equal(back.ui_ascii, c.ui_ascii);
	assert_int_equal(back.ui_color, c.ui_color);
	assert_string_equal(back.ui_login_notice, c.ui_login_notice);
	assert_int_equal(back.ui_login_delay_after, c.ui_login_delay_after);
	assert_int_equal(back.roster_headers.n, 5);
	for (i = 0; i < 5; i++) {
		assert_string_equal(back.roster_headers.from[i], from[i] ? from[i] : longkey);
		assert_string_equal(back.roster_headers.to[i], to[i]);
	}
	/* Every key is printed, so every origin now points into the printed text. */
	for (i = 0; i < WQ_CONF_NKEYS; i++)
		assert_true(strncmp(back.origin[i], "printed:", 8) == 0);
	conf_fini(&back);
	conf_fini(&c);
	free(buf);

	/* The defaults: an empty mapping prints as {}, and reads back as one. */
	conf_init_defaults(&c);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	conf_print(&c, f);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(buf, "\nroster:\n  headers: {}  # built-in\n"));
	conf_init_defaults(&back);
	assert_true(conf_merge_string(&back, "printed", buf, &err));
	assert_int_equal(back.roster_headers.n, 0);
	assert_true(strncmp(back.origin[WQ_CONF_roster_headers], "printed:", 8) == 0);
	conf_fini(&back);
	conf_fini(&c);
	free(buf);
}

static void
test_fini_and_null_err(void **state)
{
	struct wq_conf c;

	(void)state;
	conf_init_defaults(&c);
	assert_false(conf_merge_string(&c, "t.yaml", "foo: 1\n", NULL));
	assert_true(conf_merge_string(&c, "t.yaml", "ui:\n  ascii: on\n", NULL));
	assert_true(c.ui_ascii);
	/* A mapping replaced, then freed with the rest (ASan checks for leaks). */
	assert_true(conf_merge_string(&c, "t.yaml", "roster:\n  headers: {a: 姓名, b: 院系}\n", NULL));
	assert_true(conf_merge_string(&c, "t.yaml", "roster:\n  headers: {c: 专业}\n", NULL));
	assert_false(conf_merge_string(&c, "t.yaml", "roster:\n  headers: {d: 姓名, e: x}\n", NULL));
	assert_int_equal(c.roster_headers.n, 1);
	conf_fini(&c);
	assert_null(c.roster_headers.from);
	assert_int_equal(c.roster_headers.n, 0);
	conf_fini(&c);
	assert_null(c.conn_host);
	assert_true(conf_load(&c, NULL, NULL));
	conf_fini(&c);
}

/* A file of n "[" then n "]": deep nesting is refused at once, with where. */
static void
deep_nesting(size_t n)
{
	char *text = xmalloc(2 * n + 1), path[PATH_MAX];
	struct timespec t0, t1;
	struct wq_conf c;
	struct wq_err err;
	FILE *f;
	double ms;

	memset(text, '[', n);
	memset(text + n, ']', n);
	text[2 * n] = '\0';
	snprintf(path, sizeof(path), "%s/deep.yaml", tmpdir);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_false(conf_load(&c, path, &err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	assert_int_equal(err.code, WQ_ERR_CONF);
	assert_non_null(strstr(err.msg, "deep.yaml:1:9: 嵌套超过 8 层，不再读取"));
	if (ms > 1000)
		fail_msg("%zu levels took %.0f ms", n, ms);
	conf_fini(&c);
	/* the same as a string */
	conf_init_defaults(&c);
	assert_false(conf_merge_string(&c, "t.yaml", text, &err));
	assert_non_null(strstr(err.msg, "t.yaml:1:9: 嵌套超过 8 层，不再读取"));
	assert_defaults(&c);
	conf_fini(&c);
	free(text);
}

static void
test_deep_nesting_stops_early(void **state)
{
	(void)state;
	deep_nesting(40000);    /* 80 KB */
	deep_nesting(400000);   /* 800 KB, under the 1 MiB cap */
	/* eight levels are still read (and the value refused for what it is), nine are not */
	expect_merge_error("ui:\n  login_notice: [[[[[[1]]]]]]\n",
		"t.yaml:2:17: ui.login_notice 应为字符串，不能是列表");
	expect_merge_error("ui:\n  login_notice: [[[[[[[1]]]]]]]\n",
		"t.yaml:2:17: ui.login_notice 应为字符串，不能是列表\nt.yaml:2:23: 嵌套超过 8 层，不再读取");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults_parse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_override_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_home_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_anchor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_in_dsn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_problems, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_file_leaves_conf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_top_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_layers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fini_and_null_err, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_nesting_stops_early, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
