/*
 * test_province.c: a province user's 签约设置 (0020), against a real throwaway
 * PostgreSQL 15 cluster (tests/db/run.sh).
 *
 * The province user sets its province's agreement type; every school and
 * department of the province reads it (wq_api.me, the verb 鉴证/审核 of the
 * agreement labels), nobody else may set it, a stale version is refused
 * naming who saved first, and each change leaves one event.  A change, and
 * only a change, is announced on the province's channel (0028).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "dbtest.h"
#include "me.h"
#include "pg.h"
#include "settings.h"
#include "util.h"

static int
setup_fixture(void **state)
{
	static const char *const fixture[] = {
		"11 北京市 three-party",
		"31 上海市 three-party",
		"10001 北京甲大学 11",
		"10002 北京乙大学 11",
		"10246 上海丙大学 31",
		NULL,
	};
	struct wq_db *db = dbtest_fixture(fixture);
	struct admin_account nameless = { "provx", "province", "11", NULL, NULL, NULL, "pw-provx" };
	struct wq_err err;

	if (!db)
		return -1;
	add_account(db, "prov11", "province", "11", NULL, NULL);
	add_account(db, "prov31", "province", "31", NULL, NULL);
	add_account(db, "sa", "school", NULL, "10001", NULL);
	add_account(db, "sb", "school", NULL, "10002", NULL);
	add_account(db, "sc", "school", NULL, "10246", NULL);
	add_account(db, "da1", "dept", NULL, "10001", "计算机学院");
	add_account(db, "portal1", "portal", NULL, NULL, NULL);
	/* a province account added without a name (wq admin account add without --name) */
	wq_err_clear(&err);
	if (!admin_account_add(db, &nameless, &err)) {
		fprintf(stderr, "account add provx: %s\n", err.msg);
		db_close(db);
		return -1;
	}
	*state = db;
	return 0;
}

/* The province's version now, as its province user reads it. */
static int
version_of(struct wq_db *p)
{
	char *v = scalar(p, "SELECT version FROM wq_api.province_settings()");
	int n;

	assert_non_null(v);
	n = atoi(v);
	free(v);
	return n;
}

/* Sets the caller's province's type through the client (src/settings.c) with the version it reads now. */
static void
set_type(struct wq_db *p, const char *type)
{
	struct province_settings ps;
	struct wq_err err;
	int version = 0;

	wq_err_clear(&err);
	if (!province_settings_load(p, &ps, &err))
		fail_msg("province_settings_load: %s", err.msg);
	if (!province_agreement_type_set(p, type, ps.version, &version, &err))
		fail_msg("province_agreement_type_set %s: %s", type, err.msg);
	province_settings_fini(&ps);
}

/* The number of the province's events (as the superuser reads them). */
static long
province_events(struct wq_db *su, const char *code)
{
	char sql[256], *v;
	long n;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM wq.event WHERE entity = 'province' AND entity_id = '%s'", code);
	v = scalar(su, sql);
	n = v ? atol(v) : -1;
	free(v);
	return n;
}

/* ---- reading ------------------------------------------------------------- */

static void
test_province_reads_its_settings(void **state)
{
	struct wq_db *p = must_connect("prov11"), *q = must_connect("prov31");
	struct province_settings ps;
	struct wq_err err;

	(void)state;
	assert_scalar(p, "SELECT code || '/' || name || '/' || agreement_type || '/' || agreement_label "
		"FROM wq_api.province_settings()", "11/北京市/three_party/三方协议");
	assert_scalar(q, "SELECT code || '/' || name FROM wq_api.province_settings()", "31/上海市");
	/* the client's reading of it */
	wq_err_clear(&err);
	assert_true(province_settings_load(p, &ps, &err));
	assert_string_equal(ps.code, "11");
	assert_string_equal(ps.name, "北京市");
	assert_string_equal(ps.agreement_type, "three_party");
	assert_true(ps.version >= 1);
	assert_int_equal((int)strlen(ps.updated_at), 16);   /* YYYY-MM-DD HH:MM */
	province_settings_fini(&ps);
	db_close(p);
	db_close(q);
}

/* ---- setting, and every school of the province reads it ---------------------- */

static void
test_province_sets_two_party_schools_read_it(void **state)
{
	struct wq_db *su = *state, *p = must_connect("prov11");
	struct wq_db *sa = must_connect("sa"), *sb = must_connect("sb"), *d = must_connect("da1");
	struct wq_db *sc = must_connect("sc");
	struct wq_err err;
	char sql[256];
	int v0 = version_of(p), v1 = 0;
	long events = province_events(su, "11");

	/* before: 三方协议, the schools 审核 */
	assert_scalar(sa, "SELECT agreement_type FROM wq_api.me", "three_party");
	assert_scalar(sa, "SELECT label FROM wq_api.agreement_states('signing') WHERE state = 'pending_review'",
		"学生已同意签约，等待学校（院系）审核");
	wq_err_clear(&err);
	assert_true(province_agreement_type_set(p, "two_party", v0, &v1, &err));
	assert_int_equal(v1, v0 + 1);
	assert_int_equal(version_of(p), v0 + 1);
	assert_scalar(p, "SELECT agreement_type || '/' || agreement_label || '/' || updated_by || '/' || updated_by_name "
		"FROM wq_api.province_settings()", "two_party/两方协议/prov11/prov11");
	/* every school and department of the province reads it, and its labels say 鉴证 */
	assert_scalar(sa, "SELECT agreement_type FROM wq_api.me", "two_party");
	assert_scalar(sb, "SELECT agreement_type FROM wq_api.me", "two_party");
	assert_scalar(d, "SELECT agreement_type FROM wq_api.me", "two_party");
	assert_scalar(sa, "SELECT agreement_type FROM wq_api.schools", "two_party");
	assert_scalar(sa, "SELECT label FROM wq_api.agreement_states('signing') WHERE state = 'pending_review'",
		"学生已同意签约，等待学校（院系）鉴证");
	assert_scalar(d, "SELECT label FROM wq_api.agreement_states('registration') WHERE state = 'reg_review'",
		"签约鉴证中");
	assert_scalar(sa, "SELECT count(*) FROM wq_api.agreement_states('signing') WHERE label LIKE '%审核%'", "0");
	/* another province's school does not */
	assert_scalar(sc, "SELECT agreement_type FROM wq_api.me", "three_party");
	assert_scalar(sc, "SELECT label FROM wq_api.agreement_states('signing') WHERE state = 'pending_review'",
		"学生已同意签约，等待学校（院系）审核");
	/* one event, with the type before and after */
	assert_int_equal(province_events(su, "11"), events + 1);
	snprintf(sql, sizeof(sql), "SELECT actor || '/' || action || '/' || (before->>'agreement_type') || '/' || "
		"(after->>'agreement_type') || '/' || (after->>'version') FROM wq.event "
		"WHERE entity = 'province' AND entity_id = '11' ORDER BY id DESC LIMIT 1");
	{
		char want[64];

		snprintf(want, sizeof(want), "prov11/update/three_party/two_party/%d", v0 + 1);
		assert_scalar(su, sql, want);
	}
	/* 三方协议 again: back to 审核 */
	set_type(p, "三方协议");
	assert_scalar(sa, "SELECT agreement_type FROM wq_api.me", "three_party");
	assert_scalar(sa, "SELECT label FROM wq_api.agreement_states('signing') WHERE state = 'pending_review'",
		"学生已同意签约，等待学校（院系）审核");
	assert_int_equal(province_events(su, "11"), events + 2);
	db_close(p);
	db_close(sa);
	db_close(sb);
	db_close(d);
	db_close(sc);
}

static void
test_unchanged_save_writes_nothing(void **state)
{
	struct wq_db *su = *state, *p = must_connect("prov11");
	struct wq_err err;
	char *at = scalar(p, "SELECT updated_at FROM wq_api.province_settings()");
	int v0 = version_of(p), v1 = 0;
	long events = province_events(su, "11");
	char sql[256];

	assert_non_null(at);
	assert_scalar(p, "SELECT agreement_type FROM wq_api.province_settings()", "three_party");
	/* the type it already has, in each of its spellings: the same version back, no event */
	wq_err_clear(&err);
	assert_true(province_agreement_type_set(p, "three_party", v0, &v1, &err));
	assert_int_equal(v1, v0);
	assert_true(province_agreement_type_set(p, "三方协议", v0, &v1, &err));
	assert_int_equal(v1, v0);
	assert_true(province_agreement_type_set(p, "three-party", v0, &v1, &err));
	assert_int_equal(v1, v0);
	assert_int_equal(version_of(p), v0);
	assert_int_equal(province_events(su, "11"), events);
	snprintf(sql, sizeof(sql), "SELECT updated_at = '%s' FROM wq_api.province_settings()", at);
	assert_scalar(p, sql, "t");
	free(at);
	db_close(p);
}

static void
test_stale_version_names_who_saved_first(void **state)
{
	struct wq_db *su = *state, *p = must_connect("prov11"), *x = must_connect("provx");
	struct wq_db *sa = must_connect("sa");
	struct wq_err err;
	char sql[128];
	int seen = version_of(p), v1 = 0;
	long events;

	/* another user of the province, saved without a name, saves first */
	set_type(x, "two_party");
	events = province_events(su, "11");
	assert_scalar(p, "SELECT updated_by || '/' || updated_by_name FROM wq_api.province_settings()",
		"provx/provx");
	/* the save with the version seen before it is refused, naming who (by login, never an
	 * empty name), when, and what is there now */
	wq_err_clear(&err);
	assert_false(province_agreement_type_set(p, "three_party", seen, &v1, &err));
	assert_string_equal(err.sqlstate, "40001");
	assert_int_equal(err.code, WQ_ERR_STALE);
	assert_non_null(strstr(err.msg, "省级签约设置已被 provx（省级用户）于 "));
	assert_non_null(strstr(err.msg, "当前协议类型：两方协议"));
	snprintf(sql, sizeof(sql), "SELECT wq_api.province_agreement_type_set('three_party', %d)", seen);
	assert_refused(p, sql, "40001");
	/* nothing changed */
	assert_scalar(sa, "SELECT agreement_type FROM wq_api.me", "two_party");
	assert_int_equal(version_of(p), seen + 1);
	assert_int_equal(province_events(su, "11"), events);
	/* the other way round, a named user is named */
	set_type(p, "three_party");
	wq_err_clear(&err);
	assert_false(province_agreement_type_set(x, "two_party", seen + 1, &v1, &err));
	assert_int_equal(err.code, WQ_ERR_STALE);
	assert_non_null(strstr(err.msg, "省级签约设置已被 prov11（省级用户）于 "));
	assert_non_null(strstr(err.msg, "当前协议类型：三方协议"));
	assert_scalar(sa, "SELECT agreement_type FROM wq_api.me", "three_party");
	db_close(p);
	db_close(x);
	db_close(sa);
}

/* ---- refusals ---------------------------------------------------------------- */

static void
test_only_province_users_set_it(void **state)
{
	static const char *const others[] = { "sa", "da1", "portal1" };
	struct wq_db *su = *state, *p = must_connect("prov11");
	char sql[160];
	int v = version_of(p);
	long events = province_events(su, "11");
	size_t i;

	snprintf(sql, sizeof(sql), "SELECT wq_api.province_agreement_type_set('two_party', %d)", v);
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		struct wq_db *o = must_connect(others[i]);
		struct wq_err err;
		int nv;

		assert_refused(o, sql, "42501");
		assert_refused(o, "SELECT * FROM wq_api.province_settings()", "42501");
		/* nor around the function */
		assert_refused(o, "UPDATE wq.province SET agreement_type = 'two_party'", "42501");
		wq_err_clear(&err);
		assert_false(province_agreement_type_set(o, "two_party", v, &nv, &err));
		assert_string_equal(err.sqlstate, "42501");
		db_close(o);
	}
	assert_scalar(p, "SELECT agreement_type FROM wq_api.province_settings()", "three_party");
	assert_int_equal(version_of(p), v);
	assert_int_equal(province_events(su, "11"), events);
	/* a bad type or no version is refused */
	snprintf(sql, sizeof(sql), "SELECT wq_api.province_agreement_type_set('four_party', %d)", v);
	assert_refused(p, sql, "22023");
	assert_refused(p, "SELECT wq_api.province_agreement_type_set('two_party', NULL)", "22023");
	assert_int_equal(province_events(su, "11"), events);
	db_close(p);
}

static void
test_other_province_cannot_change_it(void **state)
{
	struct wq_db *su = *state, *p = must_connect("prov11"), *q = must_connect("prov31");
	struct wq_db *sa = must_connect("sa"), *sc = must_connect("sc");
	char sql[160];
	int v11 = version_of(p);
	long events11 = province_events(su, "11");

	/* prov31's call acts on its own province, whatever version it names */
	snprintf(sql, sizeof(sql), "SELECT wq_api.province_agreement_type_set('two_party', %d)", version_of(q));
	must_exec(q, sql);
	assert_scalar(q, "SELECT code || '/' || agreement_type FROM wq_api.province_settings()", "31/two_party");
	assert_scalar(sc, "SELECT agreement_type FROM wq_api.me", "two_party");
	assert_scalar(sa, "SELECT agreement_type FROM wq_api.me", "three_party");
	assert_int_equal(version_of(p), v11);
	assert_int_equal(province_events(su, "11"), events11);
	/* and it cannot write the table */
	assert_refused(q, "UPDATE wq.province SET agreement_type = 'two_party' WHERE code = '11'", "42501");
	assert_scalar(p, "SELECT agreement_type FROM wq_api.province_settings()", "three_party");
	set_type(q, "three_party");
	db_close(p);
	db_close(q);
	db_close(sa);
	db_close(sc);
}

/* ---- the announcement (0028) ---------------------------------------------------- */

/* What one listening session heard on its channel. */
struct heard {
	const char *channel;
	char marker[32];    /* this call's marker */
	int n;              /* notifications before the marker (earlier markers aside) */
	int other;          /* on any other channel */
	bool marked;        /* the marker came */
	char payload[64];   /* the last one's */
};

static void
hear(void *arg, const char *channel, const char *payload)
{
	struct heard *h = arg;

	if (strcmp(channel, h->channel) != 0)
		h->other++;
	else if (strcmp(payload, h->marker) == 0)
		h->marked = true;
	else if (strncmp(payload, "marker-", 7) != 0 && !h->marked) {
		h->n++;
		snprintf(h->payload, sizeof(h->payload), "%s", payload);
	}
}

/* A session of login that listens on channel (and does nothing else). */
static struct wq_db *
listener(const char *login, const char *channel)
{
	struct wq_db *l = must_connect(login);
	struct wq_err err;

	wq_err_clear(&err);
	if (!db_listen(l, channel, true, &err))
		fail_msg("LISTEN %s: %s", channel, err.msg);
	return l;
}

/*
 * How many notifications l heard on channel since it last asked: the
 * superuser sends a marker of its own on the channel now, and the server
 * delivers notifications in the order their transactions committed, so
 * everything sent before it has come once the marker has.  (Other sessions
 * on the channel hear the marker too, and pass over it.)
 */
static int
announced(struct wq_db *su, struct wq_db *l, const char *channel, char *payload, size_t size)
{
	static int markers;
	struct heard h = { .channel = channel };
	char sql[128];
	int i;

	snprintf(h.marker, sizeof(h.marker), "marker-%d", ++markers);
	snprintf(sql, sizeof(sql), "NOTIFY %s, '%s'", channel, h.marker);
	must_exec(su, sql);
	for (i = 0; i < 100 && !h.marked; i++) {
		struct pollfd pfd = { .fd = db_socket(l), .events = POLLIN };

		poll(&pfd, 1, 100);
		assert_true(db_idle_check(l, hear, &h));
	}
	assert_true(h.marked);
	assert_int_equal(h.other, 0);
	if (payload)
		snprintf(payload, size, "%s", h.payload);
	return h.n;
}

static void
test_a_change_is_announced_to_the_province(void **state)
{
	struct wq_db *su = *state, *p = must_connect("prov11"), *x = must_connect("provx");
	struct wq_db *sa = listener("sa", "wq_settings_11"), *d = listener("da1", "wq_settings_11");
	struct wq_db *sc = listener("sc", "wq_settings_31");
	struct wq_err err;
	char payload[64], sql[160];
	int v = version_of(p), v1 = 0;

	/* nothing yet */
	assert_int_equal(announced(su, sa, "wq_settings_11", NULL, 0), 0);
	/* a change: once, to every session of the province, and to no other province */
	set_type(p, "two_party");
	assert_int_equal(announced(su, sa, "wq_settings_11", payload, sizeof(payload)), 1);
	assert_string_equal(payload, "");
	assert_int_equal(announced(su, d, "wq_settings_11", NULL, 0), 1);
	assert_int_equal(announced(su, sc, "wq_settings_31", NULL, 0), 0);
	v = version_of(p);
	/* the type it already has: nothing changes, nothing is announced */
	wq_err_clear(&err);
	assert_true(province_agreement_type_set(p, "两方协议", v, &v1, &err));
	assert_int_equal(v1, v);
	assert_int_equal(announced(su, sa, "wq_settings_11", NULL, 0), 0);
	/* refused saves announce nothing: a stale version, a type that is none, no version,
	 * and a caller who is no province user */
	assert_false(province_agreement_type_set(x, "three_party", v - 1, &v1, &err));
	assert_int_equal(err.code, WQ_ERR_STALE);
	snprintf(sql, sizeof(sql), "SELECT wq_api.province_agreement_type_set('four_party', %d)", v);
	assert_refused(p, sql, "22023");
	assert_refused(p, "SELECT wq_api.province_agreement_type_set('three_party', NULL)", "22023");
	{
		struct wq_db *s = must_connect("sa");

		snprintf(sql, sizeof(sql), "SELECT wq_api.province_agreement_type_set('three_party', %d)", v);
		assert_refused(s, sql, "42501");
		db_close(s);
	}
	assert_int_equal(announced(su, sa, "wq_settings_11", NULL, 0), 0);
	/* a change that is rolled back was never made: nothing is announced */
	must_exec(p, "BEGIN");
	snprintf(sql, sizeof(sql), "SELECT wq_api.province_agreement_type_set('three_party', %d)", v);
	must_exec(p, sql);
	must_exec(p, "ROLLBACK");
	assert_int_equal(version_of(p), v);
	assert_int_equal(announced(su, sa, "wq_settings_11", NULL, 0), 0);
	/* another province user changes it back: announced again */
	set_type(x, "three_party");
	assert_int_equal(announced(su, sa, "wq_settings_11", NULL, 0), 1);
	assert_int_equal(announced(su, d, "wq_settings_11", NULL, 0), 1);
	/* the operator: a new type is announced, a new name alone is not */
	must_exec(su, "SELECT wq_api.province_set('11', '北京市', 'two_party')");
	assert_int_equal(announced(su, sa, "wq_settings_11", NULL, 0), 1);
	must_exec(su, "SELECT wq_api.province_set('11', '北京', 'two_party')");
	must_exec(su, "SELECT wq_api.province_set('11', '北京市', 'two_party')");
	assert_int_equal(announced(su, sa, "wq_settings_11", NULL, 0), 0);
	must_exec(su, "SELECT wq_api.province_set('11', '北京市', 'three_party')");
	assert_int_equal(announced(su, sa, "wq_settings_11", NULL, 0), 1);
	assert_int_equal(announced(su, sc, "wq_settings_31", NULL, 0), 0);
	assert_scalar(p, "SELECT agreement_type FROM wq_api.province_settings()", "three_party");
	db_close(p);
	db_close(x);
	db_close(sa);
	db_close(d);
	db_close(sc);
}

/* The client's side: the channel of the user's province, and the type read again into a loaded me. */
static void
test_client_reads_the_type_again(void **state)
{
	struct wq_db *p = must_connect("prov11"), *sa = must_connect("sa"), *d = must_connect("da1");
	struct me me = { 0 }, dm = { 0 };
	struct wq_err err;
	char channel[64];

	(void)state;
	wq_err_clear(&err);
	assert_true(me_load(sa, &me, &err));
	assert_true(me_load(d, &dm, &err));
	me_settings_channel(&me, channel, sizeof(channel));
	assert_string_equal(channel, "wq_settings_11");
	me_settings_channel(&dm, channel, sizeof(channel));
	assert_string_equal(channel, "wq_settings_11");
	assert_string_equal(me.agreement_type, "three_party");
	set_type(p, "two_party");
	/* a copy taken before stays as it was until read again; the rest of me stays */
	assert_string_equal(me.agreement_type, "three_party");
	assert_true(me_reload_agreement_type(sa, &me, &err));
	assert_string_equal(me.agreement_type, "two_party");
	assert_string_equal(me.login, "sa");
	assert_string_equal(me.school_code, "10001");
	assert_true(me_reload_agreement_type(d, &dm, &err));
	assert_string_equal(dm.agreement_type, "two_party");
	assert_string_equal(dm.dept, "计算机学院");
	set_type(p, "three_party");
	assert_true(me_reload_agreement_type(sa, &me, &err));
	assert_string_equal(me.agreement_type, "three_party");
	me_fini(&me);
	me_fini(&dm);
	/* without a province (a portal account has none): no channel */
	me.province_code = NULL;
	me_settings_channel(&me, channel, sizeof(channel));
	assert_string_equal(channel, "");
	db_close(p);
	db_close(sa);
	db_close(d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_province_reads_its_settings),
		cmocka_unit_test(test_province_sets_two_party_schools_read_it),
		cmocka_unit_test(test_unchanged_save_writes_nothing),
		cmocka_unit_test(test_stale_version_names_who_saved_first),
		cmocka_unit_test(test_only_province_users_set_it),
		cmocka_unit_test(test_other_province_cannot_change_it),
		cmocka_unit_test(test_a_change_is_announced_to_the_province),
		cmocka_unit_test(test_client_reads_the_type_again),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("db", tests, setup_fixture, dbtest_teardown);
}
