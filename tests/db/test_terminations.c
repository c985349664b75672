/*
 * test_terminations.c: terminations (解约, migration 0022), enforced by the
 * database: online (answered by the other side) and offline (with its 解约函),
 * every transition allowed and refused at both levels and both review modes,
 * 强制解约 and 学生单方面解约 only for school users, the school's 最大次数, the
 * agreement ended and the 毕业去向 70 in the same transaction, and the derived
 * 毕业去向 after a termination with the records that may follow it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itemtest.h"
#include "util.h"

#define EMP_DEAD "91110108551385082Q"   /* an employer 注销 (deregistered) */

/* A signed online agreement of student n (invited by EMP_A, accepted, passed by the school); its id. */
static char *
signed_online(struct wq_db *su, const char *student_no)
{
	char *id = q(pt, "SELECT wq_api.invite('" EMP_A "', '10001', '%s')", student_no), *s;
	char *ver;

	set_mode(su, "school");
	eq(q(pt, "SELECT wq_api.portal_act(%s, 'accept', 'student')->>'state'", id), "pending_review");
	ver = q(su, "SELECT version FROM wq.agreement WHERE id = %s", id);
	s = q(sa, "SELECT wq_api.review_decide(%s, 'pass', %s)->>'state'", id, ver);
	eq(s, "signed");
	free(ver);
	return id;
}

/* A signed 补登 of student n with employer emp (its paper agreement uploaded, passed); its id. */
static char *
signed_registration(struct wq_db *su, const char *student_no, const char *emp)
{
	char *id = q(pt, "SELECT wq_api.registration_submit('10001', '%s', '%s')", student_no, emp), *ver;

	set_mode(su, "school");
	eq(q(pt, "SELECT wq_api.portal_upload(%s, 'student', 'scan.png', " PNG_BYTEA ")->>'state'", id), "reg_review");
	ver = q(su, "SELECT version FROM wq.agreement WHERE id = %s", id);
	eq(q(sa, "SELECT wq_api.review_decide(%s, 'pass', %s)->>'state'", id, ver), "signed");
	free(ver);
	return id;
}

static char *
decide(struct wq_db *db, const char *id, const char *action, const char *category, const char *reason)
{
	return item_decide(db, "terminations", id, action, category, reason);
}

static char *
state_of(struct wq_db *su, const char *table, const char *id)
{
	return q(su, "SELECT state || '/' || coalesce(review_level, '-') FROM wq.%s WHERE id = %s", table, id);
}

static char *
destination_of(struct wq_db *su, const char *student_no)
{
	return q(su, "SELECT coalesce(destination_code, '未登记') FROM wq.student WHERE school_code = '10001' "
		"AND student_no = '%s'", student_no);
}

/*
 * 线上解约 asked by the graduate, agreed by the employer, passed by the
 * school: 解约成功, the agreement 已解约, the 毕业去向 70; the graduate may sign
 * again, and then holds 10.
 */
static void
test_online_by_the_graduate(void **state)
{
	struct wq_db *su = *state;
	char *a = signed_online(su, stu[0]), *t, *again, *m;

	eq(destination_of(su, stu[0]), "10");
	t = q(pt, "SELECT wq_api.termination_start(%s, 'student', '单位岗位调整')", a);
	eq(state_of(su, "termination", t), "awaiting_employer/-");
	/* nobody reviews before the employer answers; one open termination an agreement */
	refused_with(sa, "当前状态", "SELECT wq_api.review_decide(%s, 'pass', 1)", t);
	refused_with(pt, "已有未结束的解约申请", "SELECT wq_api.termination_start(%s, 'employer')", a);
	/* only the employer answers a graduate's request */
	refused_with(pt, "当前状态", "SELECT wq_api.termination_answer(%s, 'student', true)", t);
	eq(q(pt, "SELECT wq_api.termination_answer(%s, 'employer', true)->>'state'", t), "pending_review");
	eq(state_of(su, "termination", t), "pending_review/school");
	/* online: 通过 / 不通过, no 退回修改 */
	refused_with(sa, "不能执行", "SELECT wq_api.review_decide(%s, 'return', 2, NULL, 'other', '再议')", t);
	eq(q(sa, "SELECT array_to_string(actions, ',') || ' ' || state_label FROM wq_api.terminations() WHERE id = %s", t),
		"pass,reject 已同意解约等待学校（院系）审核");
	eq(decide(sa, t, "pass", NULL, NULL), "approved");
	/* the agreement ended in the same transaction, and the 毕业去向 with it */
	eq(state_of(su, "agreement", a), "terminated/-");
	eq(destination_of(su, stu[0]), "70");
	eq(q(su, "SELECT cause FROM wq.termination WHERE id = %s", t), "mutual");
	eq(q(su, "SELECT string_agg(action || ':' || coalesce(from_state, '') || '>' || to_state, ' ' ORDER BY id) "
		"FROM wq.event WHERE entity = 'termination' AND entity_id = '%s'", t),
		"create:>awaiting_employer agree:awaiting_employer>pending_review pass:pending_review>approved");
	eq(q(su, "SELECT action || ':' || from_state || '>' || to_state FROM wq.event WHERE entity = 'agreement' "
		"AND entity_id = '%s' ORDER BY id DESC LIMIT 1", a), "terminate:signed>terminated");
	eq(q(su, "SELECT count(*) FROM wq.notice WHERE item_id = %s", t), "3");
	m = q(su, "SELECT text FROM wq.notice WHERE item_id = %s ORDER BY id DESC LIMIT 1", a);
	if (!strstr(m, "已解约"))
		fail_msg("the agreement's notice: %s", m);
	free(m);
	/* the agreement cannot be terminated twice */
	refused_with(pt, "只有签约成功的协议", "SELECT wq_api.termination_start(%s, 'student')", a);
	/* the graduate signs again (another employer): 10 */
	again = q(pt, "SELECT wq_api.invite('" EMP_B "', '10001', '%s')", stu[0]);
	eq(q(pt, "SELECT wq_api.portal_act(%s, 'accept', 'student')->>'state'", again), "pending_review");
	eq(q(sa, "SELECT wq_api.review_decide(%s, 'pass', 2)->>'state'", again), "signed");
	eq(destination_of(su, stu[0]), "10");
	free(a);
	free(t);
	free(again);
}

/* 线上解约 asked by the employer: the graduate refuses (the agreement stays), or a review rejects it. */
static void
test_online_refused_and_rejected(void **state)
{
	struct wq_db *su = *state;
	char *a = signed_online(su, stu[1]), *t1, *t2;

	t1 = q(pt, "SELECT wq_api.termination_start(%s, 'employer', '业务收缩')", a);
	eq(state_of(su, "termination", t1), "awaiting_student/-");
	/* a school user cannot force what the graduate has to answer */
	refused_with(sa, "当前状态", "SELECT wq_api.termination_force(%s, '已协商')", t1);
	eq(q(pt, "SELECT wq_api.termination_answer(%s, 'student', false)->>'state'", t1), "refused");
	eq(state_of(su, "agreement", a), "signed/-");
	eq(destination_of(su, stu[1]), "10");
	/* 先院系再校级审核: the 院系 first; a 不通过 at the school: 解约失败, the agreement valid */
	set_mode(su, "dept_then_school");
	t2 = q(pt, "SELECT wq_api.termination_start(%s, 'employer')", a);
	eq(q(pt, "SELECT wq_api.termination_answer(%s, 'student', true)->>'state'", t2), "pending_review");
	eq(state_of(su, "termination", t2), "pending_review/dept");
	refused_with(sa, "院系审核", "SELECT wq_api.review_decide(%s, 'pass', 2)", t2);
	refused_with(dx, "没有编号为", "SELECT wq_api.review_decide(%s, 'pass', 2)", t2);
	eq(decide(da, t2, "pass", NULL, NULL), "pending_review");
	eq(state_of(su, "termination", t2), "pending_review/school");
	refused_with(da, "学校审核", "SELECT wq_api.review_decide(%s, 'reject', 3, NULL, 'other', '材料不符')", t2);
	refused_with(sa, "请选择原因类别", "SELECT wq_api.review_decide(%s, 'reject', 3, NULL, 'letter_invalid', '材料不符')", t2);
	eq(decide(sa, t2, "reject", "not_agreed", "双方未就违约金达成一致"), "rejected");
	eq(state_of(su, "agreement", a), "signed/-");
	eq(destination_of(su, stu[1]), "10");
	eq(q(sa, "SELECT state_label FROM wq_api.terminations() WHERE id = %s", t2), "解约失败");
	/* the employer's requests do not count against the graduate's 最大次数 */
	eq(q(su, "SELECT count(*) FROM wq.termination WHERE student_id = (SELECT student_id FROM wq.agreement "
		"WHERE id = %s) AND initiator = 'student'", a), "0");
	set_mode(su, "school");
	free(a);
	free(t1);
	free(t2);
}

/* 强制解约: school users only, while the employer has not answered, with a note; as an approval. */
static void
test_forced_by_the_school(void **state)
{
	struct wq_db *su = *state;
	char *a = signed_online(su, stu[2]), *t;

	t = q(pt, "SELECT wq_api.termination_start(%s, 'student', '单位长期不回应')", a);
	/* a department clerk may not even call it */
	refused_with(da, "没有权限", "SELECT wq_api.termination_force(%s, '已协商')", t);
	refused_with(pt, "没有权限", "SELECT wq_api.termination_force(%s, '已协商')", t);
	refused_with(sa, "须填写说明", "SELECT wq_api.termination_force(%s, '  ')", t);
	refused_with(sb, "没有编号为", "SELECT wq_api.termination_force(%s, '已协商')", t);
	eq(state_of(su, "termination", t), "awaiting_employer/-");
	eq(q(sa, "SELECT array_to_string(actions, ',') FROM wq_api.terminations() WHERE id = %s", t), "force");
	eq(q(da, "SELECT array_to_string(actions, ',') FROM wq_api.terminations() WHERE id = %s", t), "");
	eq(q(sa, "SELECT wq_api.termination_force(%s, '已电话联系单位人事，同意解约', 'evidence.png', " PNG_BYTEA ")->>'state'", t),
		"forced");
	eq(q(su, "SELECT force_note || ' ' || cause FROM wq.termination WHERE id = %s", t), "已电话联系单位人事，同意解约 mutual");
	eq(q(su, "SELECT role FROM wq.attachment WHERE item_id = %s", t), "evidence");
	eq(state_of(su, "agreement", a), "terminated/-");
	eq(destination_of(su, stu[2]), "70");
	/* too late for the employer */
	refused_with(pt, "当前状态", "SELECT wq_api.termination_answer(%s, 'employer', false)", t);
	free(a);
	free(t);
}

/*
 * 线下解约 of a 补登: the 解约函 required, 退回修改 and resubmission (not a new
 * application), the 解约原因 on approval; 学生单方面解约 only by a school
 * user and only for an employer 注销.
 */
static void
test_offline_with_its_letter(void **state)
{
	struct wq_db *su = *state;
	char *a, *t, *b, *u;

	must_exec(pt, "SELECT wq_api.employer_add('" EMP_DEAD "', '已注销示例公司')");
	a = signed_registration(su, stu[3], EMP_A);
	refused_with(pt, "须上传解约函", "SELECT wq_api.termination_start(%s, 'student', '个人原因')", a);
	refused_with(pt, "由毕业生申请解约", "SELECT wq_api.termination_start(%s, 'employer', 'x', 'l.png', " PNG_BYTEA ")", a);
	t = q(pt, "SELECT wq_api.termination_start(%s, 'student', '个人原因', '解约函.png', " PNG_BYTEA ")", a);
	eq(state_of(su, "termination", t), "pending_review/school");
	eq(q(sa, "SELECT state_label || ' ' || array_to_string(actions, ',') FROM wq_api.terminations() WHERE id = %s", t),
		"解约中 pass,return,reject");
	eq(decide(sa, t, "return", "letter_invalid", "解约函未盖单位公章"), "returned");
	eq(q(pt, "SELECT wq_api.termination_resubmit(%s, '个人原因（已补盖章）', '解约函2.png', " PNG_BYTEA ")->>'state'", t),
		"pending_review");
	eq(q(su, "SELECT apply_reason || ' ' || (SELECT count(*) FROM wq.attachment x WHERE x.item_id = %s AND x.role = 'letter') "
		"FROM wq.termination WHERE id = %s", t, t), "个人原因（已补盖章） 2");
	/* the approval needs the 解约原因; 学生单方面解约 is for an employer 注销 */
	refused_with(sa, "须选择解约原因", "SELECT wq_api.review_decide(%s, 'pass', 3)", t);
	refused_with(sa, "注销", "SELECT wq_api.review_decide(%s, 'pass', 3, NULL, 'unilateral')", t);
	eq(q(sa, "SELECT wq_api.review_decide(%s, 'pass', 3, NULL, 'personal')->>'state'", t), "approved");
	eq(q(su, "SELECT cause FROM wq.termination WHERE id = %s", t), "personal");
	eq(state_of(su, "agreement", a), "terminated/-");
	eq(destination_of(su, stu[3]), "70");
	/* an employer 注销: 学生单方面解约, by the school, never by a 院系 clerk */
	b = signed_registration(su, stu[4], EMP_DEAD);
	must_exec(pt, "SELECT wq_api.employer_add('" EMP_DEAD "', '已注销示例公司', NULL, NULL, NULL, '注销')");
	set_mode(su, "dept_then_school");
	u = q(pt, "SELECT wq_api.termination_start(%s, 'student', '单位已注销', 'letter.png', " PNG_BYTEA ")", b);
	eq(decide(da, u, "pass", NULL, NULL), "pending_review");
	eq(q(sa, "SELECT wq_api.review_decide(%s, 'pass', 2, NULL, 'unilateral')->>'state'", u), "approved");
	eq(q(su, "SELECT cause FROM wq.termination WHERE id = %s", u), "unilateral");
	set_mode(su, "school");
	free(a);
	free(t);
	free(b);
	free(u);
}

/* A 院系 clerk cannot approve with 学生单方面解约 (a review that ends at the 院系 level: 仅校级 is the school's). */
static void
test_unilateral_is_the_schools(void **state)
{
	struct wq_db *su = *state;
	char *a, *t, *m;

	a = signed_registration(su, stu[5], EMP_A);
	t = q(pt, "SELECT wq_api.termination_start(%s, 'student', '单位已注销', 'letter.png', " PNG_BYTEA ")", a);
	/* the school's level, but asked as the 院系 clerk: the clerk cannot decide at all */
	m = refusal(da, "SELECT wq_api.review_decide(%s, 'pass', 1, NULL, 'unilateral')", t);
	if (!strstr(m, "学校审核"))
		fail_msg("%s", m);
	free(m);
	eq(state_of(su, "termination", t), "pending_review/school");
	free(a);
	free(t);
}

/* The school's 最大次数: the application past it refused with the limit named; a resubmission does not count. */
static void
test_the_limit(void **state)
{
	struct wq_db *su = *state;
	char *a, *t1, *t2;

	must_exec(su, "UPDATE wq.school_settings SET max_terminations = 1 WHERE school_code = '10001'");
	a = signed_online(su, stu[6]);
	t1 = q(pt, "SELECT wq_api.termination_start(%s, 'student')", a);
	eq(q(pt, "SELECT wq_api.termination_answer(%s, 'employer', false)->>'state'", t1), "refused");
	refused_with(pt, "最大次数（1 次）", "SELECT wq_api.termination_start(%s, 'student')", a);
	eq(q(su, "SELECT count(*) FROM wq.termination WHERE agreement_id = %s", a), "1");
	/* the employer may still ask */
	t2 = q(pt, "SELECT wq_api.termination_start(%s, 'employer')", a);
	eq(state_of(su, "termination", t2), "awaiting_student/-");
	must_exec(su, "UPDATE wq.school_settings SET max_terminations = 0 WHERE school_code = '10001'");
	eq(q(pt, "SELECT wq_api.termination_answer(%s, 'student', true)->>'state'", t2), "pending_review");
	must_exec(su, "UPDATE wq.school_settings SET max_terminations = 1 WHERE school_code = '10001'");
	free(a);
	free(t1);
	free(t2);
}

/* The 毕业去向 after a termination: 70, an approved registration's code over it, 10 over both. */
static void
test_destination_after_a_termination(void **state)
{
	struct wq_db *su = *state;
	char *a = signed_online(su, stu[7]), *t, *d;

	t = q(pt, "SELECT wq_api.termination_start(%s, 'employer')", a);
	eq(q(pt, "SELECT wq_api.termination_answer(%s, 'student', true)->>'state'", t), "pending_review");
	eq(decide(sa, t, "pass", NULL, NULL), "approved");
	eq(destination_of(su, stu[7]), "70");
	d = q(pt, "SELECT wq_api.destination_submit('10001', '%s', '80', "
		"'{\"institution\": \"北京大学\", \"study_level\": \"研究生\"}')", stu[7]);
	eq(destination_of(su, stu[7]), "70");
	eq(q(sa, "SELECT wq_api.review_decide(%s, 'pass', 1)->>'state'", d), "approved");
	eq(destination_of(su, stu[7]), "80");
	/* and every kept value equals the records */
	assert_scalar(su, "SELECT count(*) FROM wq.student s WHERE s.destination_code IS DISTINCT FROM CASE "
		"  WHEN EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id AND a.state = 'signed') THEN '10' "
		"  WHEN EXISTS (SELECT 1 FROM wq.destination d WHERE d.student_id = s.id AND d.state = 'approved') "
		"  THEN (SELECT d.code FROM wq.destination d WHERE d.student_id = s.id AND d.state = 'approved') "
		"  WHEN EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id AND a.state = 'terminated') THEN '70' END",
		"0");
	/* and the way in and the 解约 the statistics count (0026) */
	assert_scalar(su, "SELECT count(*) FROM wq.student s WHERE s.signing_kind IS DISTINCT FROM "
		"  (SELECT a.kind FROM wq.agreement a WHERE a.student_id = s.id AND a.state = 'signed') "
		"  OR s.terminated <> EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id AND a.state = 'terminated')",
		"0");
	assert_scalar(su, "SELECT count(*) FILTER (WHERE terminated) > 0 AND count(DISTINCT signing_kind) > 0 FROM wq.student", "t");
	free(a);
	free(t);
	free(d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_online_by_the_graduate),
		cmocka_unit_test(test_online_refused_and_rejected),
		cmocka_unit_test(test_forced_by_the_school),
		cmocka_unit_test(test_offline_with_its_letter),
		cmocka_unit_test(test_unilateral_is_the_schools),
		cmocka_unit_test(test_the_limit),
		cmocka_unit_test(test_destination_after_a_termination),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("terminations", tests, items_setup, items_teardown);
}
