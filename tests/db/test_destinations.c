/*
 * test_destinations.c: destination registrations (去向登记, migration 0021)
 * and each graduate's 毕业去向, enforced by the database: the fields of every
 * code, every transition allowed and refused at both levels and both review
 * modes, voiding on a new signing, the rules against a valid agreement and a
 * second open registration, the school's change, one event and one notice per
 * decision, and the derived 毕业去向 for every combination of records.
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
#include "demo.h"
#include "util.h"

/* A registration of student n's code with fields (JSON), as the portal; its id. */
static char *
submit(const char *student_no, const char *code, const char *fields)
{
	return q(pt, "SELECT wq_api.destination_submit('10001', '%s', '%s', '%s')", student_no, code, fields);
}

static char *
decide(struct wq_db *db, const char *id, const char *action, const char *category, const char *reason)
{
	return item_decide(db, "destinations", id, action, category, reason);
}

static char *
state_of(struct wq_db *su, const char *id)
{
	return q(su, "SELECT state || '/' || coalesce(review_level, '-') FROM wq.destination WHERE id = %s", id);
}

static char *
destination_of(struct wq_db *su, const char *student_no)
{
	return q(su, "SELECT coalesce(destination_code, '未登记') FROM wq.student WHERE school_code = '10001' "
		"AND student_no = '%s'", student_no);
}

/* Every code's fields: what each needs, and a missing or unexpected field named. */
static void
test_fields_of_every_code(void **state)
{
	struct wq_db *su = *state;
	static const struct {
		const char *code, *fields;
	} ok[] = {
		{ "11", "{\"employer\": \"" EMP_A "\"}" },
		{ "11", "{\"unit_name\": \"某某律师事务所\"}" },
		{ "12", "{\"unit_name\": \"某某医院\", \"subtype\": \"医学规培\"}" },
		{ "27", "{\"unit_name\": \"某某大学实验室\"}" },
		{ "46", "{}" },
		{ "50", "{\"unit_name\": \"西部计划\"}" },
		{ "51", "{\"employer\": \"" EMP_B "\"}" },
		{ "70", "{}" }, { "71", "{}" }, { "72", "{}" },
		{ "75", "{\"enterprise\": \"某某科技工作室\", \"uscc\": \"" EMP_B "\"}" },
		{ "76", "{\"description\": \"独立插画师\"}" },
		{ "80", "{\"institution\": \"北京大学\", \"study_level\": \"研究生\"}" },
		{ "85", "{\"country\": \"新加坡\", \"institution\": \"新加坡国立大学\"}" },
	};
	size_t i;
	char *s;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		s = q(su, "SELECT wq.destination_fields('%s', '%s')::text IS NOT NULL", ok[i].code, ok[i].fields);
		if (strcmp(s, "t") != 0)
			fail_msg("code %s with %s", ok[i].code, ok[i].fields);
		free(s);
	}
	eq(q(su, "SELECT wq.destination_fields('80', '{\"institution\": \" 北京大学 \", \"study_level\": \"研究生\"}')::text"),
		"{\"subtype\": \"研究生\", \"institution\": \"北京大学\"}");
	refused_with(su, "只来自就业协议", "SELECT wq.destination_fields('10', '{}')");
	refused_with(su, "不是可登记的代码", "SELECT wq.destination_fields('99', '{}')");
	refused_with(su, "缺少字段：学校或机构", "SELECT wq.destination_fields('80', '{\"study_level\": \"研究生\"}')");
	refused_with(su, "不需要字段：单位名称", "SELECT wq.destination_fields('70', '{\"unit_name\": \"x\"}')");
	refused_with(su, "二选一", "SELECT wq.destination_fields('11', '{}')");
	refused_with(su, "二选一", "SELECT wq.destination_fields('11', '{\"employer\": \"" EMP_A "\", \"unit_name\": \"x\"}')");
	refused_with(su, "类别应为", "SELECT wq.destination_fields('12', '{\"unit_name\": \"x\", \"subtype\": \"别的\"}')");
	refused_with(su, "升学层次应为", "SELECT wq.destination_fields('80', '{\"institution\": \"x\", \"study_level\": \"博士后\"}')");
	refused_with(su, "不正确", "SELECT wq.destination_fields('75', '{\"enterprise\": \"x\", \"uscc\": \"91350100M000100Y44\"}')");
	refused_with(su, "没有统一社会信用代码", "SELECT wq.destination_fields('11', '{\"employer\": \"91110108551385082Q\"}')");
	refused_with(su, "字段不能为空", "SELECT wq.destination_fields('76', '{\"description\": \"  \"}')");
	/* through the portal: refused, and nothing written */
	refused_with(pt, "缺少字段", "SELECT wq_api.destination_submit('10001', '%s', '85', '{\"country\": \"新加坡\"}')", stu[7]);
	assert_scalar(su, "SELECT count(*) FROM wq.destination", "0");
}

/*
 * 仅校级审核: submitted, returned with a reason, resubmitted with other
 * fields, passed; the 毕业去向 follows; one event and one notice a step.
 */
static void
test_school_level_return_resubmit_pass(void **state)
{
	struct wq_db *su = *state;
	char *id, *m;

	set_mode(su, "school");
	eq(destination_of(su, stu[0]), "未登记");
	id = q(pt, "SELECT wq_api.destination_submit('10001', '%s', '80', "
		"'{\"institution\": \"北京大学\", \"study_level\": \"研究生\"}', 'offer.png', " PNG_BYTEA ")", stu[0]);
	eq(state_of(su, id), "pending/school");
	eq(q(su, "SELECT count(*) || ' ' || min(role) || ' ' || min(mime) FROM wq.attachment WHERE item_id = %s", id),
		"1 proof image/png");
	/* a second open registration of the same graduate is refused */
	refused_with(pt, "已有未结束的去向登记", "SELECT wq_api.destination_submit('10001', '%s', '70', '{}')", stu[0]);
	/* 院系 clerks do not review under 仅校级审核 */
	refused_with(da, "学校审核", "SELECT wq_api.review_decide(%s, 'pass', 1)", id);
	eq(q(sa, "SELECT array_to_string(actions, ',') FROM wq_api.destinations() WHERE id = %s", id), "pass,return,reject");
	/* 退回修改 needs a category of the kind and the text */
	refused_with(sa, "请选择原因类别", "SELECT wq_api.review_decide(%s, 'return', 1, NULL, 'unit_false', '学校名称写错')", id);
	refused_with(sa, "请填写具体问题", "SELECT wq_api.review_decide(%s, 'return', 1, NULL, 'info_wrong', ' ')", id);
	eq(decide(sa, id, "return", "info_wrong", "录取学校名称与证明不符"), "returned");
	eq(destination_of(su, stu[0]), "未登记");
	/* the graduate resubmits with other fields (and another code) through portal_act */
	refused_with(pt, "缺少字段", "SELECT wq_api.portal_act(%s, 'resubmit', 'student', '{\"code\": \"85\", \"country\": \"新加坡\"}')", id);
	eq(q(pt, "SELECT wq_api.portal_act(%s, 'resubmit', 'student', "
		"'{\"code\": \"85\", \"country\": \"新加坡\", \"institution\": \"新加坡国立大学\"}')->>'state'", id), "pending");
	eq(q(su, "SELECT code || ' ' || country || ' ' || institution || ' ' || coalesce(subtype, '-') FROM wq.destination WHERE id = %s", id),
		"85 新加坡 新加坡国立大学 -");
	eq(decide(sa, id, "pass", NULL, NULL), "approved");
	eq(state_of(su, id), "approved/-");
	eq(destination_of(su, stu[0]), "85");
	/* nothing more to decide */
	refused_with(sa, "当前状态", "SELECT wq_api.review_decide(%s, 'pass', 4)", id);
	eq(q(su, "SELECT string_agg(action || ':' || coalesce(from_state, '') || '>' || to_state, ' ' ORDER BY id) "
		"FROM wq.event WHERE entity = 'destination' AND entity_id = '%s' AND action <> 'attach'", id),
		"create:>pending return:pending>returned resubmit:returned>pending pass:pending>approved");
	eq(q(su, "SELECT count(*) FROM wq.notice WHERE item_id = %s", id), "4");
	m = q(su, "SELECT text FROM wq.notice WHERE item_id = %s ORDER BY id OFFSET 1 LIMIT 1", id);
	if (!strstr(m, "去向登记退回修改") || !strstr(m, "录取学校名称与证明不符"))
		fail_msg("the 退回修改 notice: %s", m);
	free(m);
	/* the history reads for the school user, with the labels */
	eq(q(sa, "SELECT string_agg(to_label, '/' ORDER BY at) FROM wq_api.item_history(%s) WHERE action <> 'attach'", id),
		"去向登记审核中/去向登记退回修改/去向登记审核中/去向登记审核通过");
	free(id);
}

/* 先院系再校级审核: the 院系 first, then the school; nobody at a level not theirs; 不通过 at either level. */
static void
test_two_levels_and_reject(void **state)
{
	struct wq_db *su = *state;
	char *id, *id2;

	set_mode(su, "dept_then_school");
	id = submit(stu[1], "11", "{\"employer\": \"" EMP_A "\"}");
	eq(state_of(su, id), "pending/dept");
	refused_with(sa, "院系审核", "SELECT wq_api.review_decide(%s, 'pass', 1)", id);
	/* another 院系's clerk does not even see it */
	refused_with(dx, "没有编号为", "SELECT wq_api.review_decide(%s, 'pass', 1)", id);
	eq(q(dx, "SELECT count(*) FROM wq_api.destinations() WHERE id = %s", id), "0");
	/* nor does another school */
	refused_with(sb, "没有编号为", "SELECT wq_api.review_decide(%s, 'pass', 1)", id);
	eq(decide(da, id, "pass", NULL, NULL), "pending");
	eq(state_of(su, id), "pending/school");
	refused_with(da, "学校审核", "SELECT wq_api.review_decide(%s, 'pass', 2)", id);
	eq(decide(sa, id, "reject", "proof_mismatch", "劳动合同未盖章"), "rejected");
	eq(destination_of(su, stu[1]), "未登记");
	/* rejected is final: the graduate registers again */
	refused_with(pt, "只能由毕业生重新提交", "SELECT wq_api.portal_act(%s, 'resubmit', 'employer', '{}')", id);
	refused_with(pt, "当前状态", "SELECT wq_api.portal_act(%s, 'resubmit', 'student', '{\"employer\": \"" EMP_A "\"}')", id);
	id2 = submit(stu[1], "76", "{\"description\": \"独立摄影师\"}");
	/* a 院系 不通过 ends the review as the school's would */
	eq(decide(da, id2, "reject", "incomplete", "缺少作品集"), "rejected");
	eq(state_of(su, id2), "rejected/-");
	/* a stale version names who acted first */
	free(id2);
	id2 = submit(stu[1], "70", "{}");
	eq(decide(da, id2, "pass", NULL, NULL), "pending");
	refused_with(sa, "已被", "SELECT wq_api.review_decide(%s, 'pass', 1)", id2);
	/* the department clerk cannot change a destination (not even call it); the school can (below) */
	refused_with(da, "没有权限", "SELECT wq_api.destination_change('%s', '70', '{}', true)", stu[1]);
	set_mode(su, "school");
	/* switching to 仅校级审核 strands nothing: the school decides what waited at its level */
	eq(decide(sa, id2, "pass", NULL, NULL), "approved");
	eq(destination_of(su, stu[1]), "70");
	free(id);
	free(id2);
}

/*
 * A graduate who starts a signing gives up its registration (已作废); a
 * valid agreement gives 10 and forbids registering; the 毕业去向 follows.
 */
static void
test_voided_by_a_signing(void **state)
{
	struct wq_db *su = *state;
	char *d1, *d2, *inv, *off;

	set_mode(su, "school");
	/* an approved registration, voided when the graduate accepts an invitation */
	d1 = submit(stu[2], "50", "{\"unit_name\": \"三支一扶\"}");
	eq(decide(sa, d1, "pass", NULL, NULL), "approved");
	eq(destination_of(su, stu[2]), "50");
	inv = q(pt, "SELECT wq_api.invite('" EMP_A "', '10001', '%s')", stu[2]);
	eq(state_of(su, d1), "approved/-");   /* an invitation alone starts nothing */
	eq(q(pt, "SELECT wq_api.portal_act(%s, 'accept', 'student')->>'state'", inv), "pending_review");
	eq(state_of(su, d1), "voided/-");
	{
		char *m = q(su, "SELECT text FROM wq.notice WHERE item_id = %s ORDER BY id DESC LIMIT 1", d1);

		if (!strstr(m, "已作废") || !strstr(m, "毕业生开始签约"))
			fail_msg("the voiding's notice: %s", m);
		free(m);
	}
	eq(q(su, "SELECT action || ':' || from_state || '>' || to_state FROM wq.event WHERE entity = 'destination' "
		"AND entity_id = '%s' ORDER BY id DESC LIMIT 1", d1), "void:approved>voided");
	eq(destination_of(su, stu[2]), "未登记");
	/* the agreement passed: 10, and no registration while it is valid */
	eq(q(sa, "SELECT wq_api.review_decide(%s, 'pass', 2)->>'state'", inv), "signed");
	eq(destination_of(su, stu[2]), "10");
	refused_with(pt, "已有有效的就业协议", "SELECT wq_api.destination_submit('10001', '%s', '70', '{}')", stu[2]);
	refused_with(sa, "须先解约", "SELECT wq_api.destination_change('%s', '70', '{}', true)", stu[2]);
	/* a pending registration, voided by an offline application */
	d2 = submit(stu[3], "71", "{}");
	off = q(pt, "SELECT wq_api.offline_apply('10001', '%s', '" EMP_B "', '{\"position\": \"会计\"}')", stu[3]);
	eq(state_of(su, d2), "voided/-");
	refused_with(sa, "当前状态", "SELECT wq_api.review_decide(%s, 'pass', 2)", d2);
	eq(destination_of(su, stu[3]), "未登记");
	free(d1);
	free(d2);
	free(inv);
	free(off);
}

/* The school's change: agreed with the graduate, before and after recorded, the graduate told. */
static void
test_school_changes_a_destination(void **state)
{
	struct wq_db *su = *state;
	char *d1, *d2, *m;

	set_mode(su, "school");
	d1 = submit(stu[4], "80", "{\"institution\": \"清华大学\", \"study_level\": \"研究生\"}");
	eq(decide(sa, d1, "pass", NULL, NULL), "approved");
	refused_with(sa, "协商一致", "SELECT wq_api.destination_change('%s', '11', '{\"unit_name\": \"某某公司\"}', false)", stu[4]);
	refused_with(pt, "没有权限", "SELECT wq_api.destination_change('%s', '11', '{\"unit_name\": \"某某公司\"}', true)", stu[4]);
	refused_with(sb, "学生名单中没有", "SELECT wq_api.destination_change('%s', '11', '{\"unit_name\": \"某某公司\"}', true)", stu[4]);
	refused_with(sa, "缺少字段", "SELECT wq_api.destination_change('%s', '80', '{\"study_level\": \"研究生\"}', true)", stu[4]);
	eq(state_of(su, d1), "approved/-");
	d2 = q(sa, "SELECT wq_api.destination_change('%s', '11', '{\"unit_name\": \"某某公司\"}', true)", stu[4]);
	eq(state_of(su, d1), "voided/-");
	eq(q(su, "SELECT state || ' ' || source || ' ' || code || ' ' || unit_name FROM wq.destination WHERE id = %s", d2),
		"approved school 11 某某公司");
	eq(destination_of(su, stu[4]), "11");
	eq(q(su, "SELECT (before->>'destination_code') || '>' || (after->>'destination_code') || ' ' || actor "
		"FROM wq.event WHERE entity = 'destination' AND entity_id = '%s' AND action = 'change'", d2), "80>11 sa");
	m = q(su, "SELECT text FROM wq.notice WHERE item_id = %s", d2);
	if (!strstr(m, "80 升学") || !strstr(m, "11 签劳动合同形式就业"))
		fail_msg("the change's notice: %s", m);
	free(m);
	/* from 未登记 too */
	free(d2);
	d2 = q(sa, "SELECT wq_api.destination_change('%s', '46', '{}', true)", stu[5]);
	eq(destination_of(su, stu[5]), "46");
	m = q(su, "SELECT text FROM wq.notice WHERE item_id = %s", d2);
	if (!strstr(m, "未登记 → 46"))
		fail_msg("the change's notice: %s", m);
	free(m);
	free(d1);
	free(d2);
}

/*
 * The derived 毕业去向, recomputed for every student of the school from the
 * records alone, equals the kept column.
 */
static void
test_destination_kept_equals_the_records(void **state)
{
	struct wq_db *su = *state;

	assert_scalar(su, "SELECT count(*) FROM wq.student s WHERE s.school_code = '10001' AND "
		"s.destination_code IS DISTINCT FROM CASE "
		"  WHEN EXISTS (SELECT 1 FROM wq.agreement a WHERE a.student_id = s.id AND a.state = 'signed') THEN '10' "
		"  ELSE (SELECT d.code FROM wq.destination d WHERE d.student_id = s.id AND d.state = 'approved') END", "0");
	assert_scalar(su, "SELECT count(*) > 3 FROM wq.student WHERE destination_code IS NOT NULL", "t");
	/* a re-import of the roster keeps it */
	{
		static const struct demo_school school = { "10001", "北京甲大学" };
		char *before = scalar(su, "SELECT string_agg(student_no || '=' || destination_code, ',' ORDER BY student_no) "
			"FROM wq.student WHERE destination_code IS NOT NULL");

		import_demo(sa, &school, 150);
		assert_scalar(su, "SELECT string_agg(student_no || '=' || destination_code, ',' ORDER BY student_no) "
			"FROM wq.student WHERE destination_code IS NOT NULL", before);
		free(before);
	}
}

/* The switch, eligibility and the roster. */
static void
test_who_may_register(void **state)
{
	struct wq_db *su = *state;

	must_exec(su, "UPDATE wq.school_settings SET destination = false WHERE school_code = '10001'");
	refused_with(pt, "尚未开启去向登记", "SELECT wq_api.destination_submit('10001', '%s', '70', '{}')", stu[6]);
	must_exec(su, "UPDATE wq.school_settings SET destination = true WHERE school_code = '10001'");
	eq(q(su, "UPDATE wq.student SET training_mode = '21' WHERE school_code = '10001' AND student_no = '%s' "
		"RETURNING eligible::text", stu[6]), "false");
	refused_with(pt, "不可网签", "SELECT wq_api.destination_submit('10001', '%s', '70', '{}')", stu[6]);
	must_exec(su, "UPDATE wq.student SET training_mode = '1' WHERE school_code = '10001'");
	refused_with(pt, "名单中没有", "SELECT wq_api.destination_submit('10001', 'nobody', '70', '{}')");
	/* only the portal registers; a school user does not submit as a graduate */
	refused_with(sa, "没有权限", "SELECT wq_api.destination_submit('10001', '%s', '70', '{}')", stu[6]);
	/* a repeated request id returns the first registration */
	eq(q(pt, "SELECT wq_api.destination_submit('10001', '%s', '72', '{}', NULL, NULL, "
		"'6f1c2d3e-0000-4000-8000-000000000001') = wq_api.destination_submit('10001', '%s', '72', '{}', NULL, NULL, "
		"'6f1c2d3e-0000-4000-8000-000000000001')", stu[6], stu[6]), "t");
	eq(q(su, "SELECT count(*) FROM wq.destination d JOIN wq.student s ON s.id = d.student_id "
		"WHERE s.student_no = '%s' AND s.school_code = '10001'", stu[6]), "1");
	(void)stu_x;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_of_every_code),
		cmocka_unit_test(test_school_level_return_resubmit_pass),
		cmocka_unit_test(test_two_levels_and_reject),
		cmocka_unit_test(test_voided_by_a_signing),
		cmocka_unit_test(test_school_changes_a_destination),
		cmocka_unit_test(test_who_may_register),
		cmocka_unit_test(test_destination_kept_equals_the_records),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("destinations", tests, items_setup, items_teardown);
}
