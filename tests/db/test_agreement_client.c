/*
 * test_agreement_client.c: src/agreement.c against the real database: every
 * portal action, the reviews (a retried request id returns the first
 * outcome, a stale version is refused naming who acted first), the list and
 * one item with its history, and input refused before anything is sent.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agreement.h"
#include "dbtest.h"
#include "demo.h"
#include "util.h"

#define EMP_A "91350100M000100Y43"
#define EMP_B "91440300708461136T"


/* A scan of an agreement (a 1x1 PNG) in a file, written once; its path. */
static const char *
scan_file(void)
{
	static const unsigned char png[] = {
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b,
		0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0x0f, 0x00, 0x01,
		0x01, 0x01, 0x00, 0xb1, 0x38, 0xf6, 0x14, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
		0x42, 0x60, 0x82,
	};
	static char path[64];
	FILE *f;

	if (!path[0]) {
		snprintf(path, sizeof(path), "/tmp/wq-scan-%d.png", (int)getpid());
		f = fopen(path, "wb");
		assert_non_null(f);
		fwrite(png, 1, sizeof(png), f);
		fclose(f);
	}
	return path;
}

static struct wq_db *pt, *sa, *da;   /* the portal, the school 10001, a 院系 clerk of it */
static char stu[8][64];               /* 学号 of eight students of one 院系 */

static int
setup_fixture(void **state)
{
	static const char *const fixture[] = { "11 北京市 three-party", "10001 北京甲大学 11", NULL };
	static const struct demo_school school = { "10001", "北京甲大学" };
	struct wq_db *su = dbtest_fixture(fixture);
	char *v, *dept, sql[512];
	int n;

	if (!su)
		return -1;
	add_account(su, "sa", "school", NULL, "10001", NULL);
	add_account(su, "pt", "portal", NULL, NULL, NULL);
	sa = must_connect("sa");
	import_demo(sa, &school, 200);
	must_exec(su, "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' WHERE school_code = '10001'");
	must_exec(su, "UPDATE wq.school_settings SET online_signing = true, registration = true WHERE school_code = '10001'");
	dept = scalar(su, "SELECT dept FROM wq.student WHERE school_code = '10001' GROUP BY dept "
		"ORDER BY count(*) DESC, dept LIMIT 1");
	add_account(su, "da", "dept", NULL, "10001", dept);
	snprintf(sql, sizeof(sql), "SELECT string_agg(student_no, ',' ORDER BY student_no) FROM (SELECT student_no "
		"FROM wq.student WHERE school_code = '10001' AND dept = '%s' ORDER BY student_no LIMIT 8) s", dept);
	free(dept);
	v = scalar(su, sql);
	n = sscanf(v, "%63[^,],%63[^,],%63[^,],%63[^,],%63[^,],%63[^,],%63[^,],%63s",
		stu[0], stu[1], stu[2], stu[3], stu[4], stu[5], stu[6], stu[7]);
	free(v);
	if (n != 8)
		return -1;
	pt = must_connect("pt");
	da = must_connect("da");
	*state = su;
	return 0;
}

static int
teardown(void **state)
{
	db_close(pt);
	db_close(sa);
	db_close(da);
	return dbtest_teardown(state);
}

static void
assert_contains(const char *have, const char *want)
{
	if (!strstr(have, want))
		fail_msg("\"%s\" does not contain \"%s\"", have, want);
}

static void
must(bool ok, const struct wq_err *err)
{
	if (!ok)
		fail_msg("refused: %s", err->msg);
}

static long
invite(const char *employer, int student, const struct agreement_job *job)
{
	struct agreement_party p = { "10001", stu[student], employer };
	struct wq_err err;
	long id = 0;

	wq_err_clear(&err);
	must(agreement_invite(pt, &p, job, 0, &id, &err), &err);
	assert_true(id > 0);
	return id;
}

/* The item as sa sees it (its version and kind through agreement_show). */
static int
version_of(struct wq_db *db, long id)
{
	struct agreement_item it;
	struct wq_err err;
	int v;

	wq_err_clear(&err);
	must(agreement_show(db, id, &it, NULL, &err), &err);
	v = it.version;
	agreement_item_fini(&it);
	return v;
}

static void
test_employer_add(void **state)
{
	struct wq_db *su = *state;
	struct agreement_employer e = { EMP_A, "北京示例科技有限公司", "31", "22", "110108", "存续", "赵经理", "010-88880000" };
	struct agreement_employer bad = { "91350200M000000510", "某公司", NULL, NULL, NULL, NULL, NULL, NULL };
	struct agreement_employer b = { EMP_B, "深圳示例电子有限公司", NULL, NULL, "440300", NULL, NULL, NULL };
	struct wq_err err;

	wq_err_clear(&err);
	must(agreement_employer_add(pt, &e, &err), &err);
	must(agreement_employer_add(pt, &b, &err), &err);
	assert_scalar(su, "SELECT name || ' ' || status || ' ' || contact_name FROM wq.employer WHERE credit_code = '" EMP_A "'",
		"北京示例科技有限公司 active 赵经理");
	/* a wrong check character is refused here, before the database: nothing sent, nothing changed */
	assert_false(agreement_employer_add(pt, &bad, &err));
	assert_int_equal(err.code, WQ_ERR_INPUT);
	assert_string_equal(err.sqlstate, "");
	assert_contains(err.msg, "统一社会信用代码校验位");
	bad.credit_code = EMP_A;
	bad.status = "倒闭";
	assert_false(agreement_employer_add(pt, &bad, &err));
	assert_contains(err.msg, "经营状态");
	bad.status = NULL;
	bad.nature = "999";
	assert_false(agreement_employer_add(pt, &bad, &err));
	assert_contains(err.msg, "单位性质");
	assert_scalar(su, "SELECT count(*) FROM wq.event WHERE entity = 'employer'", "2");
	assert_scalar(su, "SELECT name FROM wq.employer WHERE credit_code = '" EMP_A "'", "北京示例科技有限公司");
	/* a school clerk may not (no EXECUTE on the function): the gate's Chinese text */
	assert_false(agreement_employer_add(sa, &e, &err));
	assert_int_equal(err.code, WQ_ERR_PG_DENIED);
	assert_contains(err.msg, "没有权限");
}

/* Bad input is refused before anything reaches the database. */
static void
test_bad_input_refused_before_the_database(void **state)
{
	struct wq_db *su = *state;
	struct agreement_job salary = { .position = "工程师", .salary = "12k" };
	struct agreement_job negative = { .salary = "-5" };
	struct agreement_job postcode = { .archive_postcode = "1000" };
	struct agreement_job ctrl = { .position = "工程师\x1b[31m" };
	struct agreement_party p = { "10001", stu[7], EMP_A };
	struct agreement_party badcode = { "10001", stu[7], "91350100M000100I43" };
	char *before = q(su, "SELECT count(*) FROM wq.agreement"), *after;
	struct wq_err err;
	long id = 0;
	int days = 0;

	wq_err_clear(&err);
	assert_false(agreement_invite(pt, &p, &salary, 0, &id, &err));
	assert_int_equal(err.code, WQ_ERR_INPUT);
	assert_string_equal(err.sqlstate, "");
	assert_contains(err.msg, "月薪应为");
	assert_false(agreement_offline_apply(pt, &p, &negative, &id, &err));
	assert_contains(err.msg, "月薪应为");
	assert_false(agreement_registration_submit(pt, &p, &postcode, &id, &err));
	assert_contains(err.msg, "邮政编码");
	assert_false(agreement_invite(pt, &p, &ctrl, 0, &id, &err));
	assert_contains(err.msg, "控制字符");
	assert_false(agreement_invite(pt, &badcode, NULL, 0, &id, &err));
	assert_contains(err.msg, "统一社会信用代码");
	assert_string_equal(err.sqlstate, "");
	assert_false(agreement_invite(pt, &p, NULL, 400, &id, &err));
	assert_contains(err.msg, "有效天数");
	assert_false(agreement_parse_valid_days("0", &days, &err));
	assert_false(agreement_parse_valid_days("366", &days, &err));
	assert_false(agreement_parse_valid_days("7天", &days, &err));
	assert_true(agreement_parse_valid_days("365", &days, &err));
	assert_int_equal(days, 365);
	assert_false(agreement_parse_id("12a", &id, &err));
	assert_false(agreement_parse_id("0", &id, &err));
	/* a resubmission may change only the job's four fields */
	assert_false(agreement_portal_act(pt, 1, "resubmit", "student", &postcode, NULL, NULL, &err));
	assert_contains(err.msg, "只能修改");
	assert_false(agreement_portal_act(pt, 1, "withdraw", "student", NULL, NULL, NULL, &err));
	assert_string_equal(err.sqlstate, "");
	/* a 退回修改 without a reason is not sent */
	assert_false(agreement_decide(sa, 1, "return", 1, NULL, "other", "  ", NULL, &err));
	assert_contains(err.msg, "具体问题");
	assert_false(agreement_decide(sa, 1, "reject", 1, NULL, NULL, "原因", NULL, &err));
	assert_contains(err.msg, "原因类别");
	assert_string_equal(err.sqlstate, "");
	after = q(su, "SELECT count(*) FROM wq.agreement");
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/*
 * 线上签约: invited with the job, accepted, listed with the actions, shown
 * with its history, passed; the same request again returns the first outcome;
 * a decision on the version seen before is refused naming who acted.
 */
static void
test_online_pass_retry_and_stale(void **state)
{
	struct wq_db *su = *state;
	struct agreement_job job = { .position = "软件工程师", .work_location = "北京市海淀区", .salary = "12000",
		.job_category = NULL };
	struct agreement_filter f = { .queue = "signing", .waiting = true };
	struct agreement_outcome o, again;
	struct agreement_item it;
	struct wq_rows *rows, *hist;
	struct wq_err err;
	char rid[WQ_REQUEST_ID_SIZE], *s, *events;
	long id = invite(EMP_A, 0, &job);
	int r, found = -1;

	wq_err_clear(&err);
	s = q(su, "SELECT position || ' ' || work_location || ' ' || salary || ' ' || state FROM wq.agreement WHERE id = %ld", id);
	assert_string_equal(s, "软件工程师 北京市海淀区 12000 invited");
	free(s);
	must(agreement_portal_act(pt, id, "accept", "student", NULL, NULL, &o, &err), &err);
	assert_string_equal(o.state, "pending_review");
	assert_string_equal(o.label, "学生已同意签约，等待学校（院系）审核");
	assert_int_equal(o.version, 2);
	agreement_outcome_fini(&o);
	/* in the school's queue of what it may decide now, with pass and reject */
	rows = agreement_list(sa, &f, &err);
	must(rows != NULL, &err);
	for (r = 0; r < rows->nrows; r++)
		if (atol(rows_getn(rows, r, "id")) == id)
			found = r;
	assert_true(found >= 0);
	assert_string_equal(rows_getn(rows, found, "actions"), "pass,reject");
	assert_string_equal(rows_getn(rows, found, "employer_name"), "北京示例科技有限公司");
	assert_string_equal(rows_getn(rows, found, "student_no"), stu[0]);
	rows_free(rows);
	/* the 院系 clerk sees it too, but may not decide under 仅校级审核 */
	must(agreement_show(da, id, &it, NULL, &err), &err);
	assert_int_equal(it.nactions, 0);
	agreement_item_fini(&it);
	must(agreement_show(sa, id, &it, &hist, &err), &err);
	assert_string_equal(it.kind, "online");
	assert_string_equal(it.initiator, "employer");
	assert_string_equal(it.state_label, "学生已同意签约，等待学校（院系）审核");
	assert_null(it.level_label);
	assert_int_equal(it.version, 2);
	assert_int_equal(it.nactions, 2);
	assert_string_equal(it.actions[0], "pass");
	assert_string_equal(it.actions[1], "reject");
	assert_int_equal(hist->nrows, 2);
	assert_string_equal(rows_getn(hist, 0, "action"), "create");
	assert_string_equal(rows_getn(hist, 1, "action"), "accept");
	assert_string_equal(rows_getn(hist, 1, "to_label"), "学生已同意签约，等待学校（院系）审核");
	rows_free(hist);
	/* pass, with a request id made once */
	wq_request_id(rid);
	must(agreement_decide(sa, id, "pass", it.version, rid, NULL, NULL, &o, &err), &err);
	assert_string_equal(o.state, "signed");
	assert_string_equal(o.label, "签约成功");
	assert_false(o.replayed);
	events = q(su, "SELECT count(*) FROM wq.event WHERE entity = 'agreement' AND entity_id = '%ld'", id);
	/* the same request again (a retry): the first outcome, nothing new */
	must(agreement_decide(sa, id, "pass", it.version, rid, NULL, NULL, &again, &err), &err);
	assert_true(again.replayed);
	assert_string_equal(again.state, "signed");
	assert_int_equal(again.version, o.version);
	s = q(su, "SELECT count(*) FROM wq.event WHERE entity = 'agreement' AND entity_id = '%ld'", id);
	assert_string_equal(s, events);
	free(s);
	free(events);
	agreement_outcome_fini(&again);
	/* a new decision on the version seen before: stale, naming who acted first and the state now */
	assert_false(agreement_decide(sa, id, "reject", it.version, NULL, "other", "重复", &again, &err));
	assert_int_equal(err.code, WQ_ERR_STALE);
	assert_contains(err.msg, "已被");
	assert_contains(err.msg, "学校用户");
	assert_contains(err.msg, "签约成功");
	assert_contains(err.hint, "刷新");
	assert_int_equal(version_of(sa, id), o.version);
	agreement_outcome_fini(&o);
	agreement_item_fini(&it);
	/* the history names who did what */
	must(agreement_show(sa, id, &it, &hist, &err), &err);
	assert_string_equal(it.state_label, "签约成功");
	assert_int_equal(hist->nrows, 3);
	assert_string_equal(rows_getn(hist, 2, "action"), "pass");
	assert_string_equal(rows_getn(hist, 2, "actor_kind"), "学校用户");
	rows_free(hist);
	agreement_item_fini(&it);
}

/* Declined by the graduate; withdrawn by the employer; an action the state does not allow. */
static void
test_decline_and_withdraw(void **state)
{
	struct wq_db *su = *state;
	struct agreement_outcome o;
	struct wq_err err;
	long id1 = invite(EMP_A, 1, NULL), id2 = invite(EMP_B, 1, NULL);
	char *s;

	wq_err_clear(&err);
	must(agreement_portal_act(pt, id1, "decline", "student", NULL, NULL, &o, &err), &err);
	assert_string_equal(o.label, "学生已拒绝");
	agreement_outcome_fini(&o);
	must(agreement_portal_act(pt, id2, "withdraw", "employer", NULL, NULL, &o, &err), &err);
	assert_string_equal(o.label, "单位已撤回");
	agreement_outcome_fini(&o);
	assert_false(agreement_portal_act(pt, id2, "withdraw", "employer", NULL, NULL, &o, &err));
	assert_contains(err.msg, "当前状态");
	agreement_outcome_fini(&o);
	s = q(su, "SELECT string_agg(state, ',' ORDER BY id) FROM wq.agreement WHERE id IN (%ld, %ld)", id1, id2);
	assert_string_equal(s, "declined,withdrawn");
	free(s);
}

/*
 * 线下签约 under 先院系再校级审核: the 院系 then the school pass the draft;
 * the employer uploads; the 院系 returns it with a category given by its
 * label; the graduate resubmits with changes; the level labels on the way.
 */
static void
test_offline_two_levels(void **state)
{
	struct wq_db *su = *state;
	struct agreement_party p = { "10001", stu[2], EMP_B };
	struct agreement_job job = { .position = "硬件工程师", .salary = "9000" };
	struct agreement_job changes = { .position = "嵌入式工程师", .salary = "9500" };
	struct agreement_outcome o;
	struct agreement_item it;
	struct wq_err err;
	char *code, *s;
	long id;

	must_exec(su, "UPDATE wq.school_settings SET review_mode = 'dept_then_school' WHERE school_code = '10001'");
	wq_err_clear(&err);
	must(agreement_offline_apply(pt, &p, &job, &id, &err), &err);
	must(agreement_show(da, id, &it, NULL, &err), &err);
	assert_string_equal(it.state_label, "就业协议审核中");
	assert_string_equal(it.level_label, "院系审核中");
	assert_int_equal(it.nactions, 3);
	must(agreement_decide(da, id, "pass", it.version, NULL, NULL, NULL, &o, &err), &err);
	assert_string_equal(o.level_label, "院系已通过，等待学校审核");
	agreement_item_fini(&it);
	agreement_outcome_fini(&o);
	/* the 院系 may not decide again at the school's level */
	assert_false(agreement_decide(da, id, "pass", version_of(sa, id), NULL, NULL, NULL, &o, &err));
	assert_contains(err.msg, "学校审核");
	must(agreement_decide(sa, id, "pass", version_of(sa, id), NULL, NULL, NULL, &o, &err), &err);
	assert_string_equal(o.state, "issued");
	assert_string_equal(o.label, "待回传协议书");
	agreement_outcome_fini(&o);
	/* the stamped agreement comes back: an upload brings its file */
	assert_false(agreement_portal_act(pt, id, "upload", "employer", NULL, NULL, &o, &err));
	agreement_outcome_fini(&o);
	must(agreement_portal_upload(pt, id, "employer", scan_file(), NULL, &o, &err), &err);
	assert_string_equal(o.state, "signing_review");
	assert_string_equal(o.level, "dept");
	agreement_outcome_fini(&o);
	/* the category by its label; an unknown one lists them */
	assert_false(agreement_reason_code(da, "offline", "看不清", &code, &err));
	assert_contains(err.msg, "协议书盖章不清晰或缺失（stamp_unclear）");
	must(agreement_reason_code(da, "offline", "协议书盖章不清晰或缺失", &code, &err), &err);
	assert_string_equal(code, "stamp_unclear");
	must(agreement_decide(da, id, "return", version_of(da, id), NULL, code, "公章不清晰，请重新上传", &o, &err), &err);
	free(code);
	assert_string_equal(o.label, "签约退回修改");
	agreement_outcome_fini(&o);
	s = q(su, "SELECT reason_category || ' ' || reason FROM wq.agreement WHERE id = %ld", id);
	assert_string_equal(s, "stamp_unclear 公章不清晰，请重新上传");
	free(s);
	must(agreement_portal_act(pt, id, "resubmit", "student", &changes, NULL, &o, &err), &err);
	assert_string_equal(o.state, "signing_review");
	agreement_outcome_fini(&o);
	s = q(su, "SELECT position || ' ' || salary FROM wq.agreement WHERE id = %ld", id);
	assert_string_equal(s, "嵌入式工程师 9500");
	free(s);
	must_exec(su, "UPDATE wq.school_settings SET review_mode = 'school' WHERE school_code = '10001'");
}

/* 补登: returned, resubmitted, passed (签约审核通过); the graduate's upload of a 补登 is refused. */
static void
test_registration(void **state)
{
	struct wq_db *su = *state;
	struct agreement_party p = { "10001", stu[3], EMP_A };
	struct agreement_job changes = { .work_location = "上海市" };
	struct agreement_filter f = { .queue = "registration" };
	struct agreement_outcome o;
	struct wq_rows *rows;
	struct wq_err err;
	long id;
	int r, n = 0;

	wq_err_clear(&err);
	must(agreement_registration_submit(pt, &p, NULL, &id, &err), &err);
	rows = agreement_list(sa, &f, &err);
	must(rows != NULL, &err);
	for (r = 0; r < rows->nrows; r++)
		n += atol(rows_getn(rows, r, "id")) == id;
	assert_int_equal(n, 1);
	rows_free(rows);
	must(agreement_decide(sa, id, "return", version_of(sa, id), NULL, "missing", "缺少协议书第二页", &o, &err), &err);
	assert_string_equal(o.state, "reg_returned");
	agreement_outcome_fini(&o);
	must(agreement_portal_act(pt, id, "resubmit", "student", &changes, NULL, &o, &err), &err);
	agreement_outcome_fini(&o);
	/* passed on its paper agreement, which the graduate sends now */
	assert_false(agreement_decide(sa, id, "pass", version_of(sa, id), NULL, NULL, NULL, &o, &err));
	assert_contains(err.msg, "还没有上传已签的就业协议书");
	agreement_outcome_fini(&o);
	must(agreement_portal_upload(pt, id, "student", scan_file(), NULL, &o, &err), &err);
	assert_string_equal(o.state, "reg_review");
	agreement_outcome_fini(&o);
	/* a file that is not JPEG, PNG or PDF is refused by the client first, naming it */
	assert_false(agreement_portal_upload(pt, id, "student", MIGRATIONS_DIR "/0001_foundation.sql", NULL, &o, &err));
	assert_contains(err.msg, "0001_foundation.sql");
	agreement_outcome_fini(&o);
	must(agreement_decide(sa, id, "pass", version_of(sa, id), NULL, NULL, NULL, &o, &err), &err);
	assert_string_equal(o.label, "签约审核通过");
	agreement_outcome_fini(&o);
	assert_scalar(su, "SELECT work_location FROM wq.agreement WHERE kind = 'registration' AND state = 'signed'", "上海市");
}

/* An accept past the validity fails saying 签约邀请已失效; the sweep counts the rest. */
static void
test_expiry(void **state)
{
	struct wq_db *su = *state;
	struct agreement_outcome o;
	struct wq_err err;
	long id1 = invite(EMP_A, 4, NULL), id2 = invite(EMP_A, 5, NULL);
	char sql[256];
	int n = -1;

	snprintf(sql, sizeof(sql), "UPDATE wq.agreement SET valid_until = now() - interval '1 minute' "
		"WHERE id IN (%ld, %ld)", id1, id2);
	must_exec(su, sql);
	wq_err_clear(&err);
	assert_false(agreement_portal_act(pt, id1, "accept", "student", NULL, NULL, &o, &err));
	assert_contains(err.msg, "签约邀请已失效");
	assert_string_equal(o.state, "expired");
	agreement_outcome_fini(&o);
	must(agreement_invitations_expire(pt, &n, &err), &err);
	assert_int_equal(n, 1);
	snprintf(sql, sizeof(sql), "SELECT string_agg(state, ',') FROM wq.agreement WHERE id IN (%ld, %ld)", id1, id2);
	assert_scalar(su, sql, "expired,expired");
	/* only the portal sweeps */
	assert_false(agreement_invitations_expire(sa, &n, &err));
	assert_int_equal(err.code, WQ_ERR_PG_DENIED);
}

static void
test_labels(void **state)
{
	char *s;

	(void)state;
	s = agreement_verb_text("签约审核中", "two_party");
	assert_string_equal(s, "签约鉴证中");
	free(s);
	s = agreement_verb_text("学生已同意签约，等待学校（院系）审核", "two_party");
	assert_string_equal(s, "学生已同意签约，等待学校（院系）鉴证");
	free(s);
	s = agreement_verb_text("签约审核中", "three_party");
	assert_string_equal(s, "签约审核中");
	free(s);
	assert_string_equal(agreement_kind_label("registration"), "补登");
	assert_string_equal(agreement_action_label("return"), "退回修改");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_employer_add),
		cmocka_unit_test(test_bad_input_refused_before_the_database),
		cmocka_unit_test(test_online_pass_retry_and_stale),
		cmocka_unit_test(test_decline_and_withdraw),
		cmocka_unit_test(test_offline_two_levels),
		cmocka_unit_test(test_registration),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_labels),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("agreement_client", tests, setup_fixture, teardown);
}
