/*
 * test_agreements.c: employers, agreements and the review engine (0016),
 * enforced by the database: every way in, its transitions at both levels and
 * both review modes, the rules across agreements, stale versions, repeated
 * request ids, one event and one notice per decision, and the scope.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbtest.h"
#include "demo.h"
#include "util.h"

/* valid credit codes (GB 32100 check characters recomputed) */
#define EMP_A "91350100M000100Y43"
#define EMP_B "91440300708461136T"
#define EMP_C "91110108551385082Q"

/* a 1x1 PNG, as bytea: a scan of an agreement */
#define PNG_BYTEA "decode(" PNG_HEX ", 'hex')"
#define PNG_HEX "'89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55" \
	"0000000a49444154789c63f80f0001010100b138f6140000000049454e44ae426082'"

static struct wq_db *pt, *sa, *sb, *da, *dx;   /* portal, schools 10001 / 10002, 院系 clerks of 10001 */
static char dept_a[128], dept_x[128];           /* da's 院系 and another one */
static char stu_a1[64], stu_a2[64], stu_a3[64], stu_a4[64], stu_x[64];   /* 学号: four of dept_a, one of dept_x */

static int
setup_fixture(void **state)
{
	static const char *const fixture[] = {
		"11 北京市 three-party",
		"10001 北京甲大学 11",
		"10002 北京乙大学 11",
		NULL,
	};
	static const struct demo_school school = { "10001", "北京甲大学" };
	struct wq_db *su = dbtest_fixture(fixture);
	char *v, sql[512];

	if (!su)
		return -1;
	add_account(su, "sa", "school", NULL, "10001", NULL);
	add_account(su, "sb", "school", NULL, "10002", NULL);
	add_account(su, "pt", "portal", NULL, NULL, NULL);
	sa = must_connect("sa");
	import_demo(sa, &school, 60);
	/* every student verified and eligible; the switch on */
	must_exec(su, "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' WHERE school_code = '10001'");
	must_exec(su, "UPDATE wq.school_settings SET online_signing = true, registration = true, "
		"handler = '王老师', phone = '010-62750000', address = '北京市海淀区', postcode = '100871' "
		"WHERE school_code = '10001'");
	v = scalar(su, "SELECT dept FROM wq.student WHERE school_code = '10001' GROUP BY dept "
		"ORDER BY count(*) DESC, dept LIMIT 1");
	snprintf(dept_a, sizeof(dept_a), "%s", v);
	free(v);
	snprintf(sql, sizeof(sql), "SELECT dept FROM wq.student WHERE school_code = '10001' AND dept <> '%s' "
		"ORDER BY dept LIMIT 1", dept_a);
	v = scalar(su, sql);
	snprintf(dept_x, sizeof(dept_x), "%s", v);
	free(v);
	add_account(su, "da", "dept", NULL, "10001", dept_a);
	add_account(su, "dx", "dept", NULL, "10001", dept_x);
	snprintf(sql, sizeof(sql), "SELECT string_agg(student_no, ',' ORDER BY student_no) FROM "
		"(SELECT student_no FROM wq.student WHERE school_code = '10001' AND dept = '%s' ORDER BY student_no LIMIT 4) s",
		dept_a);
	v = scalar(su, sql);
	if (sscanf(v, "%63[^,],%63[^,],%63[^,],%63s", stu_a1, stu_a2, stu_a3, stu_a4) != 4)
		return -1;
	free(v);
	snprintf(sql, sizeof(sql), "SELECT min(student_no) FROM wq.student WHERE school_code = '10001' AND dept = '%s'",
		dept_x);
	v = scalar(su, sql);
	snprintf(stu_x, sizeof(stu_x), "%s", v);
	free(v);
	pt = must_connect("pt");
	sb = must_connect("sb");
	da = must_connect("da");
	dx = must_connect("dx");
	must_exec(pt, "SELECT wq_api.employer_add('" EMP_A "', '北京示例科技有限公司', '31', '22', '110108', '存续', '赵经理', '010-88880000')");
	must_exec(pt, "SELECT wq_api.employer_add('" EMP_B "', '深圳示例电子有限公司', NULL, NULL, '440300')");
	must_exec(pt, "SELECT wq_api.employer_add('" EMP_C "', '已注销示例公司', NULL, NULL, NULL, '注销')");
	*state = su;
	return 0;
}

static int
teardown(void **state)
{
	db_close(pt);
	db_close(sa);
	db_close(sb);
	db_close(da);
	db_close(dx);
	return dbtest_teardown(state);
}

static void
assert_contains(const char *have, const char *want)
{
	if (!strstr(have, want))
		fail_msg("\"%s\" does not contain \"%s\"", have, want);
}

/* The id (as text) of a new agreement made by the portal with sql. */
static char *
new_item(const char *fmt, ...)
{
	va_list ap;
	char sql[2048];

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return scalar(pt, sql);
}

static void
set_mode(struct wq_db *su, const char *mode)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "UPDATE wq.school_settings SET review_mode = '%s' WHERE school_code = '10001'", mode);
	must_exec(su, sql);
}

/* The version of item id as db sees it through the queues, or NULL when it does not see it. */
static char *
item_version(struct wq_db *db, const char *id)
{
	return q(db, "SELECT coalesce("
		"(SELECT version FROM wq_api.agreements('signing', NULL, NULL, false, %1$s - 1, 1) WHERE id = %1$s), "
		"(SELECT version FROM wq_api.agreements('registration', NULL, NULL, false, %1$s - 1, 1) WHERE id = %1$s))",
		id);
}

/* Decides item id as db (action, with the version db sees); returns the new state (caller frees). */
static char *
decide(struct wq_db *db, const char *id, const char *action, const char *category, const char *reason)
{
	char *ver = item_version(db, id), *out;

	if (!ver || !*ver)
		fail_msg("agreement %s is not in the queue of this user", id);
	out = q(db, "SELECT wq_api.review_decide(%s, '%s', %s, NULL, %s%s%s, %s%s%s)->>'state'", id, action, ver,
		category ? "'" : "", category ? category : "NULL", category ? "'" : "",
		reason ? "'" : "", reason ? reason : "NULL", reason ? "'" : "");
	free(ver);
	return out;
}

static void
assert_state(struct wq_db *su, const char *id, const char *state, const char *level)
{
	char *got = q(su, "SELECT state || '/' || coalesce(review_level, '-') FROM wq.agreement WHERE id = %s", id);
	char want[128];

	snprintf(want, sizeof(want), "%s/%s", state, level ? level : "-");
	if (strcmp(got, want) != 0)
		fail_msg("agreement %s: %s, want %s", id, got, want);
	free(got);
}

/* The credit code's check character is the database's check too. */
static void
test_employers(void **state)
{
	struct wq_db *su = *state;
	char *m;

	assert_scalar(su, "SELECT wq.credit_code_valid('" EMP_A "')", "t");
	assert_scalar(su, "SELECT wq.credit_code_valid('91350200M000000510')", "f");   /* check should be D */
	assert_scalar(su, "SELECT wq.credit_code_valid('91350100M000100I43')", "f");   /* I is not allowed */
	m = refusal(pt, "SELECT wq_api.employer_add('91350200M000000510', '某公司')");
	assert_contains(m, "统一社会信用代码");
	free(m);
	m = refusal(pt, "SELECT wq_api.employer_add('" EMP_A "', '某公司', '999')");
	assert_contains(m, "单位性质");
	free(m);
	m = refusal(pt, "SELECT wq_api.employer_add('" EMP_A "', '某公司', NULL, NULL, NULL, '倒闭')");
	assert_contains(m, "经营状态");
	free(m);
	/* control characters never reach the table */
	assert_refused(pt, "SELECT wq_api.employer_add('" EMP_A "', E'某公司\\x1b[31m')", NULL);
	/* a school, a department and another school cannot add one */
	assert_refused(sa, "SELECT wq_api.employer_add('" EMP_A "', '某公司')", "42501");
	assert_refused(da, "SELECT wq_api.employer_add('" EMP_A "', '某公司')", "42501");
	assert_scalar(su, "SELECT name || ' ' || status FROM wq.employer WHERE credit_code = '" EMP_A "'",
		"北京示例科技有限公司 active");
	assert_scalar(su, "SELECT count(*) FROM wq.event WHERE entity = 'employer'", "3");
}

/* 线上签约, 仅校级审核: invited, accepted, passed by the school; the school's details copied in. */
static void
test_online_school_level(void **state)
{
	struct wq_db *su = *state;
	char *id, *s, *m;

	set_mode(su, "school");
	id = new_item("SELECT wq_api.invite('" EMP_A "', '10001', '%s', '{\"position\": \"软件工程师\", \"salary\": 12000}')",
		stu_a1);
	assert_state(su, id, "invited", NULL);
	assert_scalar(su, "SELECT count(*) FROM wq.agreement WHERE protocol_no LIKE to_char(now(), 'YYYY') || '10001%'", "1");
	/* the clerks cannot decide an invitation the graduate has not answered */
	m = refusal(sa, "SELECT wq_api.review_decide(%s, 'pass', 1)", id);
	assert_contains(m, "当前状态");
	free(m);
	/* the same employer cannot invite the same graduate again while it is open */
	m = refusal(pt, "SELECT wq_api.invite('" EMP_A "', '10001', '%s')", stu_a1);
	assert_contains(m, "已有未结束的签约邀请");
	free(m);
	s = q(pt, "SELECT wq_api.portal_act(%s, 'accept', 'student')->>'state'", id);
	assert_string_equal(s, "pending_review");
	free(s);
	assert_state(su, id, "pending_review", "school");
	/* a department clerk does not review under 仅校级审核 */
	m = refusal(da, "SELECT wq_api.review_decide(%s, 'pass', 2)", id);
	assert_contains(m, "学校审核");
	free(m);
	/* online signing has no 退回修改 */
	m = refusal(sa, "SELECT wq_api.review_decide(%s, 'return', 2, NULL, 'other', '改一下')", id);
	assert_contains(m, "不能执行");
	free(m);
	s = q(sa, "SELECT array_to_string(actions, ',') FROM wq_api.agreements('signing') WHERE id = %s", id);
	assert_string_equal(s, "pass,reject");
	free(s);
	s = decide(sa, id, "pass", NULL, NULL);
	assert_string_equal(s, "signed");
	free(s);
	s = q(su, "SELECT handler || ' ' || postcode FROM wq.agreement WHERE id = %s", id);
	assert_string_equal(s, "王老师 100871");
	free(s);
	/* its 就业协议书 exists now: the database says so (wq.agreement_pdf_allowed) */
	s = q(sa, "SELECT pdf FROM wq_api.agreement_rows(ARRAY[%s::bigint])", id);
	assert_string_equal(s, "t");
	free(s);
	assert_scalar(su, "SELECT string_agg(wq.agreement_pdf_allowed(k, st)::text, ',') FROM (VALUES "
		"('online', 'pending_review'), ('offline', 'draft_review'), ('offline', 'issued'), "
		"('registration', 'reg_review'), ('registration', 'signed')) v(k, st)", "false,false,true,false,true");
	/* one event and one notice per step: created, accepted, passed */
	s = q(su, "SELECT string_agg(action || ':' || coalesce(from_state, '') || '>' || to_state, ' ' ORDER BY id) "
		"FROM wq.event WHERE entity = 'agreement' AND entity_id = '%s'", id);
	assert_string_equal(s, "create:>invited accept:invited>pending_review pass:pending_review>signed");
	free(s);
	s = q(su, "SELECT count(*) FROM wq.notice WHERE item_id = %s", id);
	assert_string_equal(s, "3");
	free(s);
	s = q(su, "SELECT text FROM wq.notice WHERE item_id = %s ORDER BY id DESC LIMIT 1", id);
	assert_contains(s, "签约成功");
	free(s);
	free(id);
}

/*
 * 线下签约 under 先院系再校级审核: every review passes the student's 院系
 * first, then the school; nobody decides at a level not theirs; 退回修改
 * and 不通过 need a category of the kind and the text.
 */
static void
test_offline_two_levels(void **state)
{
	struct wq_db *su = *state;
	char *id, *s, *m;

	set_mode(su, "dept_then_school");
	id = new_item("SELECT wq_api.offline_apply('10001', '%s', '" EMP_B "', '{\"position\": \"硬件工程师\"}')", stu_a2);
	assert_state(su, id, "draft_review", "dept");
	s = q(da, "SELECT state_label || '/' || level_label FROM wq_api.agreements('signing') WHERE id = %s", id);
	assert_string_equal(s, "就业协议审核中/院系审核中");
	free(s);
	/* the school waits for the 院系; another 院系 does not see it; another school neither */
	m = refusal(sa, "SELECT wq_api.review_decide(%s, 'pass', 1)", id);
	assert_contains(m, "院系审核");
	free(m);
	s = item_version(dx, id);
	assert_true(!s || !*s);
	free(s);
	m = refusal(dx, "SELECT wq_api.review_decide(%s, 'pass', 1)", id);
	assert_contains(m, "不在您的范围内");
	free(m);
	m = refusal(sb, "SELECT wq_api.review_decide(%s, 'pass', 1)", id);
	assert_contains(m, "不在您的范围内");
	free(m);
	/* the 院系 passes: up to the school, which the 院系 can no longer decide */
	s = decide(da, id, "pass", NULL, NULL);
	assert_string_equal(s, "draft_review");
	free(s);
	assert_state(su, id, "draft_review", "school");
	s = q(sa, "SELECT level_label FROM wq_api.agreements('signing') WHERE id = %s", id);
	assert_string_equal(s, "院系已通过，等待学校审核");
	free(s);
	m = refusal(da, "SELECT wq_api.review_decide(%s, 'pass', 2)", id);
	assert_contains(m, "学校审核");
	free(m);
	s = decide(sa, id, "pass", NULL, NULL);
	assert_string_equal(s, "issued");
	free(s);
	/* the stamped agreement comes back: a new review, from the 院系 again */
	m = refusal(pt, "SELECT wq_api.portal_act(%s, 'upload', 'employer')", id);
	assert_contains(m, "盖章的就业协议书");   /* an upload brings the file */
	free(m);
	s = q(pt, "SELECT wq_api.portal_upload(%s, 'employer', '协议书.png', " PNG_BYTEA ")->>'state'", id);
	assert_string_equal(s, "signing_review");
	free(s);
	assert_state(su, id, "signing_review", "dept");
	/* 退回修改 needs a category of the kind and the text */
	m = refusal(da, "SELECT wq_api.review_decide(%s, 'return', 4)", id);
	assert_contains(m, "原因类别");
	free(m);
	m = refusal(da, "SELECT wq_api.review_decide(%s, 'return', 4, NULL, 'scan_unclear', '看不清')", id);
	assert_contains(m, "原因类别");   /* a 补登 reason, not one of 线下签约 */
	free(m);
	m = refusal(da, "SELECT wq_api.review_decide(%s, 'return', 4, NULL, 'stamp_unclear', '  ')", id);
	assert_contains(m, "具体问题");
	free(m);
	s = decide(da, id, "return", "stamp_unclear", "公章不清晰，请重新上传");
	assert_string_equal(s, "signing_returned");
	free(s);
	assert_state(su, id, "signing_returned", NULL);
	s = q(su, "SELECT text FROM wq.notice WHERE item_id = %s ORDER BY id DESC LIMIT 1", id);
	assert_contains(s, "签约退回修改");
	assert_contains(s, "协议书盖章不清晰或缺失");
	assert_contains(s, "公章不清晰，请重新上传");
	free(s);
	s = q(su, "SELECT reason || ' ' || (after->>'category') FROM wq.event WHERE entity = 'agreement' "
		"AND entity_id = '%s' ORDER BY id DESC LIMIT 1", id);
	assert_string_equal(s, "公章不清晰，请重新上传 协议书盖章不清晰或缺失");
	free(s);
	/* re-uploaded: the 院系 and the school pass; 签约成功 */
	s = q(pt, "SELECT wq_api.portal_act(%s, 'resubmit', 'student')->>'state'", id);
	assert_string_equal(s, "signing_review");
	free(s);
	s = decide(da, id, "pass", NULL, NULL);
	free(s);
	s = decide(sa, id, "pass", NULL, NULL);
	assert_string_equal(s, "signed");
	free(s);
	/* nothing skipped a level: every review step is in the history, by whom */
	s = q(sa, "SELECT string_agg(h.action || '@' || h.actor_kind, ' ' ORDER BY h.n) FROM "
		"wq_api.agreement_history(%s) WITH ORDINALITY AS h(at, actor_name, actor_kind, action, from_state, "
		"to_state, to_label, category, reason, n)", id);
	assert_string_equal(s, "create@门户账号 pass@院系用户 pass@学校用户 attach@门户账号 upload@门户账号 "
		"return@院系用户 resubmit@门户账号 pass@院系用户 pass@学校用户");
	free(s);
	free(id);
}

/* 补登 at school level: 不通过 is final; the graduate fills in a new one. */
static void
test_registration(void **state)
{
	struct wq_db *su = *state;
	char *id, *s, *m;

	set_mode(su, "school");
	id = new_item("SELECT wq_api.registration_submit('10001', '%s', '" EMP_A "')", stu_x);
	assert_state(su, id, "reg_review", "school");
	s = q(sa, "SELECT count(*) FROM wq_api.agreements('registration') WHERE id = %s", id);
	assert_string_equal(s, "1");
	free(s);
	s = q(sa, "SELECT count(*) FROM wq_api.agreements('signing') WHERE id = %s", id);
	assert_string_equal(s, "0");
	free(s);
	s = decide(sa, id, "reject", "scan_unclear", "扫描件模糊");
	assert_string_equal(s, "reg_rejected");
	free(s);
	m = refusal(pt, "SELECT wq_api.portal_act(%s, 'resubmit', 'student')", id);
	assert_contains(m, "签约审核不通过");
	free(m);
	free(id);
	/* a new one, returned and resubmitted with changes, then passed */
	id = new_item("SELECT wq_api.registration_submit('10001', '%s', '" EMP_A "')", stu_x);
	s = decide(sa, id, "return", "missing", "缺少协议书第二页");
	assert_string_equal(s, "reg_returned");
	free(s);
	m = refusal(pt, "SELECT wq_api.portal_act(%s, 'resubmit', 'student', '{\"employer_code\": \"x\"}')", id);
	assert_contains(m, "只能修改");
	free(m);
	s = q(pt, "SELECT wq_api.portal_act(%s, 'resubmit', 'student', '{\"position\": \"会计\"}')->>'state'", id);
	assert_string_equal(s, "reg_review");
	free(s);
	/* a 补登 is passed on its paper agreement: not before it is there */
	m = refusal(sa, "SELECT wq_api.review_decide(%s, 'pass', 3)", id);
	assert_contains(m, "还没有上传已签的就业协议书");
	free(m);
	s = q(pt, "SELECT wq_api.portal_upload(%s, 'student', '协议书.png', " PNG_BYTEA ")->>'state'", id);
	assert_string_equal(s, "reg_review");
	free(s);
	s = decide(sa, id, "pass", NULL, NULL);
	assert_string_equal(s, "signed");
	free(s);
	s = q(sa, "SELECT state_label FROM wq_api.agreements('registration') WHERE id = %s", id);
	assert_string_equal(s, "签约审核通过");
	free(s);
	s = q(su, "SELECT position FROM wq.agreement WHERE id = %s", id);
	assert_string_equal(s, "会计");
	free(s);
	free(id);
}

/*
 * Two clerks on one item: the version the second saw is stale, and the
 * refusal names who acted first and when.  A request re-sent with the same
 * id returns the first outcome and changes nothing.
 */
static void
test_stale_version_and_repeated_request(void **state)
{
	struct wq_db *su = *state;
	char *id, *s, *m, *ev;

	set_mode(su, "school");
	id = new_item("SELECT wq_api.invite('" EMP_B "', '10001', '%s')", stu_a3);
	s = q(pt, "SELECT wq_api.portal_act(%s, 'accept', 'student')->>'version'", id);
	assert_string_equal(s, "2");
	free(s);
	s = q(sa, "SELECT wq_api.review_decide(%s, 'pass', 2, '11111111-2222-3333-4444-555555555555')->>'state'", id);
	assert_string_equal(s, "signed");
	free(s);
	ev = q(su, "SELECT count(*) FROM wq.event WHERE entity = 'agreement' AND entity_id = '%s'", id);
	/* the same request again: the first outcome, nothing new */
	s = q(sa, "SELECT (r->>'state') || ' ' || (r->>'replayed') FROM "
		"wq_api.review_decide(%s, 'pass', 2, '11111111-2222-3333-4444-555555555555') r", id);
	assert_string_equal(s, "signed true");
	free(s);
	s = q(su, "SELECT count(*) FROM wq.event WHERE entity = 'agreement' AND entity_id = '%s'", id);
	assert_string_equal(s, ev);
	free(s);
	s = q(su, "SELECT count(*) FROM wq.notice WHERE item_id = %s", id);
	assert_string_equal(s, "3");
	free(s);
	free(ev);
	/* another decision on the version the clerk saw before: refused, naming who acted */
	m = refusal(sa, "SELECT wq_api.review_decide(%s, 'reject', 2, NULL, 'other', '重复')", id);
	assert_contains(m, "已被");
	assert_contains(m, "学校用户");
	assert_contains(m, "签约成功");
	free(m);
	assert_state(su, id, "signed", NULL);
	free(id);
}

/*
 * The rules across agreements: one valid agreement per graduate; the
 * graduate must be eligible, verified, on the roster, with the switch on;
 * the employer must exist and be 存续.
 */
static void
test_rules_across_agreements(void **state)
{
	struct wq_db *su = *state;
	char *id, *m, sql[512];

	set_mode(su, "school");
	/* stu_a1 holds a valid agreement (test_online_school_level): it cannot start another */
	m = refusal(pt, "SELECT wq_api.offline_apply('10001', '%s', '" EMP_B "')", stu_a1);
	assert_contains(m, "已有有效的就业协议");
	free(m);
	/* an invitation from another employer may come, but not be accepted */
	id = new_item("SELECT wq_api.invite('" EMP_B "', '10001', '%s')", stu_a1);
	m = refusal(pt, "SELECT wq_api.portal_act(%s, 'accept', 'student')", id);
	assert_contains(m, "已有有效的就业协议");
	free(m);
	assert_state(su, id, "invited", NULL);
	/* declining it is fine */
	free(q(pt, "SELECT wq_api.portal_act(%s, 'decline', 'student')", id));
	assert_state(su, id, "declined", NULL);
	free(id);
	/* an employer 注销 cannot sign; an unknown one does not exist */
	m = refusal(pt, "SELECT wq_api.invite('" EMP_C "', '10001', '%s')", stu_x);
	assert_contains(m, "注销");
	free(m);
	m = refusal(pt, "SELECT wq_api.invite('91350100M000100Y43x', '10001', '%s')", stu_x);
	assert_contains(m, "统一社会信用代码");
	free(m);
	/* 培养方式 定向（不可网签）, 核对 not passed, not on the roster */
	snprintf(sql, sizeof(sql), "UPDATE wq.student SET training_mode = '21' WHERE school_code = '10001' AND student_no = '%s'",
		stu_x);
	must_exec(su, sql);
	m = refusal(pt, "SELECT wq_api.invite('" EMP_A "', '10001', '%s')", stu_x);
	assert_contains(m, "不可网签");
	free(m);
	snprintf(sql, sizeof(sql), "UPDATE wq.student SET training_mode = '1', verify_status = 'mismatch' "
		"WHERE school_code = '10001' AND student_no = '%s'", stu_x);
	must_exec(su, sql);
	m = refusal(pt, "SELECT wq_api.offline_apply('10001', '%s', '" EMP_A "')", stu_x);
	assert_contains(m, "核对");
	free(m);
	snprintf(sql, sizeof(sql), "UPDATE wq.student SET verify_status = 'verified' "
		"WHERE school_code = '10001' AND student_no = '%s'", stu_x);
	must_exec(su, sql);
	m = refusal(pt, "SELECT wq_api.invite('" EMP_A "', '10001', 'NO-SUCH-1')");
	assert_contains(m, "没有学号");
	free(m);
	/* the switches: 在线签约 off stops invitations and offline signing, 补登 off stops 补登 */
	must_exec(su, "UPDATE wq.school_settings SET online_signing = false, registration = false WHERE school_code = '10001'");
	m = refusal(pt, "SELECT wq_api.invite('" EMP_A "', '10001', '%s')", stu_x);
	assert_contains(m, "在线签约");
	free(m);
	m = refusal(pt, "SELECT wq_api.registration_submit('10001', '%s', '" EMP_A "')", stu_x);
	assert_contains(m, "补登");
	free(m);
	must_exec(su, "UPDATE wq.school_settings SET online_signing = true, registration = true WHERE school_code = '10001'");
	/* clerks cannot start items; the portal cannot decide */
	assert_refused(sa, "SELECT wq_api.invite('" EMP_A "', '10001', 'x')", "42501");
	assert_refused(da, "SELECT wq_api.offline_apply('10001', 'x', '" EMP_A "')", "42501");
	assert_refused(pt, "SELECT wq_api.review_decide(1, 'pass', 1)", "42501");
	assert_refused(pt, "SELECT * FROM wq_api.agreements('signing')", "42501");
}

/* Switching to 仅校级审核 does not strand an item waiting at the 院系 level: the school decides it. */
static void
test_review_mode_change_strands_nothing(void **state)
{
	struct wq_db *su = *state;
	char *id, *s, *m;

	set_mode(su, "dept_then_school");
	id = new_item("SELECT wq_api.registration_submit('10001', '%s', '" EMP_B "')", stu_a4);
	assert_state(su, id, "reg_review", "dept");
	set_mode(su, "school");
	m = refusal(da, "SELECT wq_api.review_decide(%s, 'pass', 1)", id);
	assert_contains(m, "学校审核");
	free(m);
	s = q(sa, "SELECT array_to_string(actions, ',') FROM wq_api.agreements('registration') WHERE id = %s", id);
	assert_string_equal(s, "pass,return,reject");
	free(s);
	s = decide(sa, id, "reject", "other", "信息有误");
	assert_string_equal(s, "reg_rejected");
	free(s);
	free(id);
}

/* An invitation past its validity turns 签约邀请已失效 when the graduate answers, or in the sweep. */
static void
test_invitation_expiry(void **state)
{
	struct wq_db *su = *state;
	char *id, *id2, *s;

	id = new_item("SELECT wq_api.invite('" EMP_A "', '10001', '%s', NULL, 3)", stu_a2);
	id2 = new_item("SELECT wq_api.invite('" EMP_A "', '10001', '%s', NULL, 3)", stu_x);
	s = q(su, "SELECT valid_until::date - created_at::date FROM wq.agreement WHERE id = %s", id);
	assert_string_equal(s, "3");
	free(s);
	s = q(su, "UPDATE wq.agreement SET valid_until = now() - interval '1 minute' WHERE id IN (%s, %s) RETURNING 1",
		id, id2);
	free(s);
	s = q(pt, "SELECT wq_api.portal_act(%s, 'accept', 'student')->>'label'", id);
	assert_string_equal(s, "签约邀请已失效");
	free(s);
	assert_state(su, id, "expired", NULL);
	s = q(pt, "SELECT wq_api.invitations_expire()");
	assert_string_equal(s, "1");
	free(s);
	assert_state(su, id2, "expired", NULL);
	/* the employer may invite again once the old one has ended */
	free(new_item("SELECT wq_api.invite('" EMP_A "', '10001', '%s')", stu_x));
	assert_refused(sa, "SELECT wq_api.invitations_expire()", "42501");
	free(id);
	free(id2);
}

/* The ids of every page of a queue for db, walked with the keyset, as "1,2,3". */
static char *
walk_queue(struct wq_db *db, const char *queue, const char *sort, bool desc, int page_rows)
{
	return q(db,
		"WITH RECURSIVE pg(n, ids, last_sort, last_id, short, bad) AS ("
		" SELECT 0, ''::text, NULL::text, NULL::bigint, false, false"
		" UNION ALL"
		" SELECT pg.n + 1, pg.ids || x.ids, x.last_sort, x.last_id, x.rows < %4$d, pg.bad OR pg.short FROM pg,"
		"  LATERAL (SELECT string_agg(p.id::text || ',', '' ORDER BY p.k) AS ids, count(*) AS rows,"
		"           (array_agg(p.sort_value ORDER BY p.k DESC))[1] AS last_sort,"
		"           (array_agg(p.id ORDER BY p.k DESC))[1] AS last_id"
		"     FROM wq_api.agreement_page('%1$s', NULL, NULL, NULL, NULL, false, '%2$s', %3$s, pg.last_sort,"
		"          pg.last_id, %4$d) WITH ORDINALITY AS p(id, sort_value, k)) x"
		"  WHERE x.ids IS NOT NULL AND pg.n < 1000)"
		" SELECT CASE WHEN bad THEN 'a page before the last is short' ELSE rtrim(ids, ',') END"
		"   FROM pg ORDER BY n DESC LIMIT 1",
		queue, sort, desc ? "true" : "false", page_rows);
}

/*
 * The queues as the screens read them: keyset pages in every sort agree
 * with a plain query; the count, the rows, the detail and what waits for
 * whom keep to the caller's scope and level.
 */
static void
test_queues(void **state)
{
	struct wq_db *su = *state;
	static const char *const sorts[][2] = {
		{ "waiting", "a.updated_at" }, { "name", "s.name COLLATE \"zh-Hans-x-icu\"" },
		{ "employer", "e.name COLLATE \"zh-Hans-x-icu\"" }, { "student_no", "s.student_no" },
	};
	char *id, *s, *want, *got;
	size_t i;
	int d;

	/* a few more items, so that pages of two have something to page through */
	set_mode(su, "school");
	free(new_item("SELECT wq_api.invite('" EMP_B "', '10001', '%s')", stu_a2));
	free(new_item("SELECT wq_api.invite('" EMP_B "', '10001', '%s')", stu_x));
	for (i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
		for (d = 0; d < 2; d++) {
			want = q(su, "SELECT string_agg(a.id::text, ',' ORDER BY %1$s%2$s, a.id%2$s) FROM wq.agreement a "
				"JOIN wq.student s ON s.id = a.student_id JOIN wq.employer e ON e.credit_code = a.employer_code "
				"WHERE a.school_code = '10001' AND a.kind <> 'registration'", sorts[i][1], d ? " DESC" : "");
			got = walk_queue(sa, "signing", sorts[i][0], d, 2);
			if (strcmp(want, got) != 0)
				fail_msg("signing queue by %s%s: %s, a plain query says %s", sorts[i][0], d ? " desc" : "", got, want);
			free(want);
			free(got);
		}
	/* counts by scope: the school, its 院系, another school */
	want = q(su, "SELECT count(*) FROM wq.agreement WHERE school_code = '10001' AND kind <> 'registration'");
	s = q(sa, "SELECT wq_api.agreement_count('signing', NULL, NULL, NULL, NULL, false)");
	assert_string_equal(s, want);
	free(s);
	free(want);
	want = q(su, "SELECT count(*) FROM wq.agreement WHERE school_code = '10001' AND kind <> 'registration' AND dept = '%s'",
		dept_a);
	s = q(da, "SELECT wq_api.agreement_count('signing', NULL, NULL, NULL, NULL, false)");
	assert_string_equal(s, want);
	free(s);
	free(want);
	s = q(da, "SELECT count(*) FROM wq_api.agreement_rows(ARRAY(SELECT id FROM wq_api.agreement_page('signing', "
		"NULL, NULL, NULL, NULL, false, 'waiting', false, NULL, NULL, 1000))) WHERE dept <> '%s'", dept_a);
	assert_string_equal(s, "0");
	free(s);
	s = q(sb, "SELECT wq_api.agreement_count('signing', NULL, NULL, NULL, NULL, false)");
	assert_string_equal(s, "0");
	free(s);
	/* rows of another school's ids come back empty; the portal reads no queue */
	want = q(su, "SELECT array_agg(id)::text FROM wq.agreement");
	s = q(sb, "SELECT count(*) FROM wq_api.agreement_rows('%s'::bigint[])", want);
	assert_string_equal(s, "0");
	free(s);
	free(want);
	assert_refused(pt, "SELECT wq_api.agreement_count('signing', NULL, NULL, NULL, NULL, false)", "42501");
	/* the search: 单位名称, 姓名, 学号 */
	want = q(su, "SELECT count(*) FROM wq.agreement WHERE school_code = '10001' AND kind <> 'registration' "
		"AND employer_code = '" EMP_B "'");
	s = q(sa, "SELECT wq_api.agreement_count('signing', '深圳示例', NULL, NULL, NULL, false)");
	assert_string_equal(s, want);
	free(s);
	free(want);
	s = q(sa, "SELECT wq_api.agreement_count('signing', '%s', NULL, NULL, NULL, false) > 0", stu_x);
	assert_string_equal(s, "t");
	free(s);
	/* the tabs of 补登管理 */
	want = q(su, "SELECT count(*) FROM wq.agreement WHERE school_code = '10001' AND kind = 'registration' AND state = 'reg_rejected'");
	s = q(sa, "SELECT wq_api.agreement_count('registration', NULL, 'rejected', NULL, NULL, false)");
	assert_string_equal(s, want);
	free(s);
	free(want);
	/* what waits for whom under 先院系再校级审核: the 院系 first, then the school */
	set_mode(su, "dept_then_school");
	s = q(su, "SELECT min(s.student_no) FROM wq.student s WHERE s.school_code = '10001' AND s.dept = '%s' "
		"AND NOT EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id)", dept_a);
	id = new_item("SELECT wq_api.offline_apply('10001', '%s', '" EMP_A "')", s);
	free(s);
	s = q(da, "SELECT count(*) FROM wq_api.agreement_page('signing', NULL, NULL, NULL, NULL, true, 'waiting', false, "
		"NULL, NULL, 100) WHERE id = %s", id);
	assert_string_equal(s, "1");
	free(s);
	s = q(sa, "SELECT count(*) FROM wq_api.agreement_page('signing', NULL, NULL, NULL, NULL, true, 'waiting', false, "
		"NULL, NULL, 100) WHERE id = %s", id);
	assert_string_equal(s, "0");
	free(s);
	s = q(da, "SELECT signing > 0 FROM wq_api.review_waiting()");
	assert_string_equal(s, "t");
	free(s);
	free(decide(da, id, "pass", NULL, NULL));
	s = q(sa, "SELECT count(*) FROM wq_api.agreement_page('signing', NULL, NULL, NULL, NULL, true, 'waiting', false, "
		"NULL, NULL, 100) WHERE id = %s", id);
	assert_string_equal(s, "1");
	free(s);
	s = q(sa, "SELECT state_label || ' ' || level_label || ' ' || array_to_string(actions, ',') "
		"FROM wq_api.agreement_rows(ARRAY[%s::bigint])", id);
	assert_string_equal(s, "就业协议审核中 院系已通过，等待学校审核 pass,return,reject");
	free(s);
	/* the detail: every section for the school, nothing for another school */
	s = q(sa, "SELECT string_agg(DISTINCT section, ',') FROM wq_api.agreement_detail(%s)", id);
	assert_string_equal(s, "协议信息,单位信息,学校信息,学生信息");
	free(s);
	s = q(sa, "SELECT value FROM wq_api.agreement_detail(%s) WHERE label = '状态'", id);
	assert_string_equal(s, "就业协议审核中（院系已通过，等待学校审核）");
	free(s);
	s = q(sb, "SELECT count(*) FROM wq_api.agreement_detail(%s)", id);
	assert_string_equal(s, "0");
	free(s);
	s = q(dx, "SELECT count(*) FROM wq_api.agreement_detail(%s)", id);
	assert_string_equal(s, "0");
	free(s);
	/* under 两方协议 the verb is 鉴证, in every label (the states stay) */
	must_exec(su, "UPDATE wq.province SET agreement_type = 'two_party' WHERE code = '11'");
	s = q(sa, "SELECT level_label FROM wq_api.agreement_rows(ARRAY[%s::bigint])", id);
	assert_string_equal(s, "院系已通过，等待学校鉴证");
	free(s);
	s = q(sa, "SELECT value FROM wq_api.agreement_detail(%s) WHERE label = '状态'", id);
	assert_string_equal(s, "就业协议鉴证中（院系已通过，等待学校鉴证）");
	free(s);
	s = q(sa, "SELECT count(*) FROM wq_api.agreement_states('signing') WHERE label LIKE '%%审核%%'");
	assert_string_equal(s, "0");
	free(s);
	must_exec(su, "UPDATE wq.province SET agreement_type = 'three_party' WHERE code = '11'");
	free(id);
	set_mode(su, "school");
}

/*
 * Attachments: JPEG, PNG or PDF by their bytes, at most 10 MiB, with size
 * and SHA-256 the database computes; an event each; read by the item's
 * reviewers only, never by another school or 院系; the table refuses what
 * does not add up.
 */
static void
test_attachments(void **state)
{
	struct wq_db *su = *state;
	char *id, *s, *m, *att;

	set_mode(su, "school");
	s = q(su, "SELECT min(s.student_no) FROM wq.student s WHERE s.school_code = '10001' AND s.dept = '%s' "
		"AND NOT EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id)", dept_a);
	id = new_item("SELECT wq_api.registration_submit('10001', '%s', '" EMP_B "')", s);
	free(s);
	/* what is not JPEG, PNG or PDF by its bytes is refused, whatever its name */
	m = refusal(pt, "SELECT wq_api.portal_upload(%s, 'student', 'scan.png', convert_to('just text', 'UTF8'))", id);
	assert_contains(m, "JPEG、PNG 或 PDF");
	free(m);
	m = refusal(pt, "SELECT wq_api.portal_upload(%s, 'student', 'empty.png', ''::bytea)", id);
	assert_contains(m, "空文件");
	free(m);
	m = refusal(pt, "SELECT wq_api.portal_upload(%s, 'student', 'big.pdf', "
		"convert_to('%%PDF-', 'UTF8') || decode(repeat('00', 10485760 - 4), 'hex'))", id);
	assert_contains(m, "10 MiB");
	free(m);
	assert_scalar(su, "SELECT count(*) FROM wq.attachment", "2");   /* the two of the tests before */
	/* exactly 10 MiB is taken; a PDF by its bytes, named anything */
	s = q(pt, "SELECT wq_api.portal_upload(%s, 'student', '扫描件.jpg', "
		"convert_to('%%PDF-', 'UTF8') || decode(repeat('00', 10485760 - 5), 'hex'))->>'state'", id);
	assert_string_equal(s, "reg_review");
	free(s);
	s = q(su, "SELECT mime || ' ' || size || ' ' || (sha256 = encode(sha256(data), 'hex')) FROM wq.attachment "
		"WHERE item_id = %s", id);
	assert_string_equal(s, "application/pdf 10485760 true");
	free(s);
	s = q(su, "SELECT count(*) FROM wq.event WHERE entity = 'agreement' AND entity_id = '%s' AND action = 'attach'", id);
	assert_string_equal(s, "1");
	free(s);
	/* the reviewers see what it is, and its bytes; nobody else */
	s = q(sa, "SELECT role_label || ' ' || file_name || ' ' || mime FROM wq_api.agreement_attachments(%s)", id);
	assert_string_equal(s, "已签的就业协议书 扫描件.jpg application/pdf");
	free(s);
	att = q(su, "SELECT id FROM wq.attachment WHERE item_id = %s", id);
	s = q(sa, "SELECT octet_length(wq_api.attachment_data(%s))", att);
	assert_string_equal(s, "10485760");
	free(s);
	s = q(da, "SELECT count(*) FROM wq_api.agreement_attachments(%s)", id);
	assert_string_equal(s, "1");
	free(s);
	s = q(dx, "SELECT count(*) FROM wq_api.agreement_attachments(%s)", id);
	assert_string_equal(s, "0");
	free(s);
	m = refusal(dx, "SELECT wq_api.attachment_data(%s)", att);
	assert_contains(m, "不在您的范围内");
	free(m);
	m = refusal(sb, "SELECT wq_api.attachment_data(%s)", att);
	assert_contains(m, "不在您的范围内");
	free(m);
	assert_refused(pt, "SELECT wq_api.attachment_data(1)", "42501");
	assert_refused(sa, "SELECT wq_api.portal_upload(1, 'student', 'x.png', " PNG_BYTEA ")", "42501");
	/* the table itself: a size, type or digest that does not match the bytes */
	assert_refused(su, "UPDATE wq.attachment SET size = size - 1 WHERE id = (SELECT min(id) FROM wq.attachment)", "23514");
	assert_refused(su, "UPDATE wq.attachment SET sha256 = repeat('0', 64) WHERE id = (SELECT min(id) FROM wq.attachment)", "23514");
	assert_refused(su, "UPDATE wq.attachment SET mime = 'image/png' WHERE item_id = " "(SELECT max(item_id) FROM wq.attachment)", "23514");
	/* a state that takes no file */
	s = q(su, "SELECT min(id) FROM wq.agreement WHERE state = 'declined'");
	m = refusal(pt, "SELECT wq_api.portal_upload(%s, 'student', 'x.png', " PNG_BYTEA ")", s);
	free(s);
	assert_contains(m, "不能上传");
	free(m);
	free(att);
	free(id);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_employers),
		cmocka_unit_test(test_online_school_level),
		cmocka_unit_test(test_offline_two_levels),
		cmocka_unit_test(test_registration),
		cmocka_unit_test(test_stale_version_and_repeated_request),
		cmocka_unit_test(test_rules_across_agreements),
		cmocka_unit_test(test_review_mode_change_strands_nothing),
		cmocka_unit_test(test_invitation_expiry),
		cmocka_unit_test(test_queues),
		cmocka_unit_test(test_attachments),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("agreements", tests, setup_fixture, teardown);
}
