/*
 * test_termination_client.c: the queue of 解约管理 (src/queue.c over
 * migration 0025) with src/termination.c against the real database: the
 * queue's columns, pages, count and states filter; what waits for each level
 * (先院系再校级审核); an item's row with its actions (强制解约 for the school
 * only) and whether its 通过 needs a 解约原因; the detail with both sides'
 * answers and the agreement; and the sidebar's count.
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
#include "itemtest.h"
#include "queue.h"
#include "termination.h"
#include "util.h"

static void
must(bool ok, const struct wq_err *err)
{
	if (!ok)
		fail_msg("refused: %s", err->msg);
}

/* A signed agreement of the student, online (EMP_A) or a 补登 (EMP_B), passed by the school; its id. */
static long
signed_agreement(struct wq_db *su, const char *student_no, bool online)
{
	char *id, *ver;
	long n;

	set_mode(su, "school");
	if (online) {
		id = q(pt, "SELECT wq_api.invite('" EMP_A "', '10001', '%s')", student_no);
		eq(q(pt, "SELECT wq_api.portal_act(%s, 'accept', 'student')->>'state'", id), "pending_review");
	} else {
		id = q(pt, "SELECT wq_api.registration_submit('10001', '%s', '" EMP_B "')", student_no);
		eq(q(pt, "SELECT wq_api.portal_upload(%s, 'student', 'scan.png', " PNG_BYTEA ")->>'state'", id),
			"reg_review");
	}
	ver = q(su, "SELECT version FROM wq.agreement WHERE id = %s", id);
	eq(q(sa, "SELECT wq_api.review_decide(%s, 'pass', %s)->>'state'", id, ver), "signed");
	free(ver);
	n = atol(id);
	free(id);
	return n;
}

/* A file in /tmp with some bytes; its path. */
static const char *
letter_file(void)
{
	static char path[64];
	FILE *f;

	if (!path[0]) {
		snprintf(path, sizeof(path), "/tmp/wq-letter-%d.pdf", (int)getpid());
		f = fopen(path, "wb");
		assert_non_null(f);
		fputs("%PDF-1.4\n% letter\n", f);
		fclose(f);
	}
	return path;
}

/* One page of the queue as db sees it. */
static struct wq_rows *
page(struct wq_db *db, struct queue_query *qq)
{
	struct query sql;
	struct wq_rows *r;
	struct wq_err err;

	wq_err_clear(&err);
	queue_page_sql(qq, NULL, NULL, false, 50, &sql);
	r = query_run(db, &sql, &err);
	query_fini(&sql);
	if (!r)
		fail_msg("page: %s", err.msg);
	return r;
}

static long
count(struct wq_db *db, struct queue_query *qq)
{
	struct query sql;
	struct wq_rows *r;
	struct wq_err err;
	long n;

	wq_err_clear(&err);
	queue_count_sql(qq, &sql);
	r = query_run(db, &sql, &err);
	query_fini(&sql);
	if (!r)
		fail_msg("count: %s", err.msg);
	n = atol(rows_get(r, 0, 0));
	rows_free(r);
	return n;
}

/* The queue's own columns and functions. */
static void
test_kind(void **state)
{
	const struct queue_kind *k = queue_kind_of("termination");
	struct queue_query qq;
	struct query sql;

	(void)state;
	assert_int_equal(k->source, QS_TERMINATION);
	assert_string_equal(k->queue, "termination");
	assert_int_equal(queue_kind_index(k, QC_WAITED), 0);
	assert_true(queue_kind_index(k, QC_EMPLOYER) > 0);
	assert_true(queue_kind_index(k, QC_TERM_KIND) > 0);
	assert_true(queue_kind_index(k, QC_CAUSE) > 0);
	assert_int_equal(queue_kind_index(k, QC_DEST), -1);
	assert_int_equal(queue_kind_index(k, QC_KIND), -1);
	assert_int_equal(queue_kind_index(queue_kind_of("signing"), QC_CAUSE), -1);
	queue_query_init(&qq, "termination");
	queue_query_set_field(&qq, QC_INITIATOR, "student");
	queue_page_sql(&qq, NULL, NULL, false, 10, &sql);
	assert_non_null(strstr(sql.sql, "wq_api.termination_page($1::text"));
	assert_non_null(strstr(sql.sql, "wq_api.termination_rows("));
	assert_string_equal(sql.params[2], "student");
	query_fini(&sql);
	queue_count_sql(&qq, &sql);
	assert_non_null(strstr(sql.sql, "wq_api.termination_count("));
	assert_int_equal(sql.nparams, 5);
	query_fini(&sql);
	queue_query_fini(&qq);
}

/* Online, two levels: the 院系's, then the school's; the item, its detail and the counts. */
static void
test_online_two_levels(void **state)
{
	struct wq_db *su = *state;
	const struct queue_kind *k = queue_kind_of("termination");
	struct queue_query qq;
	struct agreement_outcome o;
	struct wq_rows *r;
	struct wq_err err;
	long a, t, waiting[QW_COUNT];
	char ids[32];
	int i;
	bool answer = false, protocol = false;

	wq_err_clear(&err);
	a = signed_agreement(su, stu[0], true);
	set_mode(su, "dept_then_school");
	must(termination_start(pt, a, "student", "单位岗位调整", NULL, &t, &err), &err);
	snprintf(ids, sizeof(ids), "%ld", t);

	/* waiting for the employer: nothing waits for a reviewer; the school may 强制解约, the 院系 not */
	queue_query_init(&qq, "termination");
	qq.waiting = true;
	assert_int_equal(count(sa, &qq), 0);
	qq.waiting = false;
	r = page(da, &qq);
	assert_int_equal(r->nrows, 1);
	assert_int_equal(r->ncols, 2 + k->ncols);
	assert_string_equal(rows_get(r, 0, 2 + queue_kind_index(k, QC_STATE)), "学生发起解约等待单位应约");
	assert_string_equal(rows_get(r, 0, 2 + queue_kind_index(k, QC_INITIATOR)), "学生");
	assert_string_equal(rows_get(r, 0, 2 + queue_kind_index(k, QC_TERM_KIND)), "线上解约");
	rows_free(r);
	r = queue_item(sa, QS_TERMINATION, ids, &err);
	assert_non_null(r);
	assert_int_equal(r->nrows, 1);
	assert_string_equal(rows_getn(r, 0, "id"), ids);
	assert_string_equal(rows_getn(r, 0, "state_label"), "学生发起解约等待单位应约");
	assert_string_equal(rows_getn(r, 0, "actions"), "force");
	assert_string_equal(rows_getn(r, 0, "needs_cause"), "f");
	rows_free(r);
	r = queue_item(da, QS_TERMINATION, ids, &err);
	assert_non_null(r);
	assert_string_equal(rows_getn(r, 0, "actions"), "");
	rows_free(r);
	/* the other queues' look-ups give none of it */
	r = queue_item(sa, QS_AGREEMENT, ids, &err);
	assert_non_null(r);
	assert_int_equal(r->nrows, 0);
	rows_free(r);
	r = queue_item(sa, QS_DESTINATION, ids, &err);
	assert_non_null(r);
	assert_int_equal(r->nrows, 0);
	rows_free(r);
	{
		char as[32];

		snprintf(as, sizeof(as), "%ld", a);
		r = queue_item(sa, QS_AGREEMENT, as, &err);
		assert_non_null(r);
		assert_int_equal(r->nrows, 1);
		assert_string_equal(rows_getn(r, 0, "id"), as);
		rows_free(r);
	}
	/* a 院系 clerk of another 院系 sees nothing of it */
	r = queue_item(dx, QS_TERMINATION, ids, &err);
	assert_non_null(r);
	assert_int_equal(r->nrows, 0);
	rows_free(r);

	must(termination_answer(pt, t, "employer", true, &o, &err), &err);
	agreement_outcome_fini(&o);
	qq.waiting = true;
	assert_int_equal(count(da, &qq), 1);
	assert_int_equal(count(sa, &qq), 0);
	must(queue_waiting(da, waiting, &err), &err);
	assert_int_equal(waiting[QW_TERMINATION], 1);
	/* the state filter: one kind's state */
	qq.waiting = false;
	queue_query_set_field(&qq, QC_STATE, "term_online/pending_review");
	assert_int_equal(count(sa, &qq), 1);
	queue_query_set_field(&qq, QC_STATE, "term_offline/pending_review");
	assert_int_equal(count(sa, &qq), 0);
	queue_query_set_field(&qq, QC_STATE, NULL);
	/* the text filter: the 学号 */
	snprintf(qq.text, sizeof(qq.text), "%s", stu[0]);
	assert_int_equal(count(sa, &qq), 1);
	snprintf(qq.text, sizeof(qq.text), "没有这个人");
	assert_int_equal(count(sa, &qq), 0);
	queue_query_fini(&qq);

	/* the detail: who asked, why, the employer's answer, then the agreement */
	r = queue_detail(sa, ids, &err);
	assert_non_null(r);
	assert_string_equal(rows_get(r, 0, 0), "解约信息");
	for (i = 0; i < r->nrows; i++) {
		if (strcmp(rows_get(r, i, 1), "单位答复") == 0 && strstr(rows_get(r, i, 2), "同意解约"))
			answer = true;
		if (strcmp(rows_get(r, i, 1), "协议书编号") == 0 && *rows_get(r, i, 2))
			protocol = true;
		assert_string_not_equal(rows_get(r, i, 0), "学校信息");
	}
	assert_true(answer);
	assert_true(protocol);
	rows_free(r);

	/* the 院系 passes (the version it saw), then the school */
	r = queue_item(da, QS_TERMINATION, ids, &err);
	must(agreement_decide(da, t, "pass", atoi(rows_getn(r, 0, "version")), NULL, NULL, NULL, &o, &err), &err);
	rows_free(r);
	agreement_outcome_fini(&o);
	r = queue_item(sa, QS_TERMINATION, ids, &err);
	assert_string_equal(rows_getn(r, 0, "actions"), "pass,reject");
	must(agreement_decide(sa, t, "pass", atoi(rows_getn(r, 0, "version")), NULL, NULL, NULL, &o, &err), &err);
	rows_free(r);
	assert_string_equal(o.label, "解约成功");
	agreement_outcome_fini(&o);
	eq(q(su, "SELECT state FROM wq.agreement WHERE id = %ld", a), "terminated");
	r = queue_history(sa, ids, &err);
	assert_non_null(r);
	assert_true(r->nrows >= 4);
	rows_free(r);
}

/* Offline: the approving 通过 needs its 解约原因, which the row says; 强制解约 of an online one. */
static void
test_offline_cause_and_force(void **state)
{
	struct wq_db *su = *state;
	struct agreement_outcome o;
	struct wq_rows *r;
	struct wq_err err;
	long a, t, b, f;
	char ids[32];

	wq_err_clear(&err);
	a = signed_agreement(su, stu[1], false);
	set_mode(su, "school");
	must(termination_start(pt, a, "student", "个人原因", letter_file(), &t, &err), &err);
	snprintf(ids, sizeof(ids), "%ld", t);
	r = queue_item(sa, QS_TERMINATION, ids, &err);
	assert_non_null(r);
	assert_string_equal(rows_getn(r, 0, "state_label"), "解约中");
	assert_string_equal(rows_getn(r, 0, "actions"), "pass,return,reject");
	assert_string_equal(rows_getn(r, 0, "needs_cause"), "t");
	assert_false(agreement_decide(sa, t, "pass", atoi(rows_getn(r, 0, "version")), NULL, NULL, NULL, &o, &err));
	assert_non_null(strstr(err.msg, "解约原因"));
	agreement_outcome_fini(&o);
	wq_err_clear(&err);
	must(agreement_decide(sa, t, "pass", atoi(rows_getn(r, 0, "version")), NULL, "personal", NULL, &o, &err), &err);
	rows_free(r);
	agreement_outcome_fini(&o);
	r = queue_detail(sa, ids, &err);
	assert_non_null(r);
	{
		int i;
		bool cause = false;

		for (i = 0; i < r->nrows; i++)
			if (strcmp(rows_get(r, i, 1), "解约原因") == 0)
				cause = strcmp(rows_get(r, i, 2), "毕业生个人原因") == 0;
		assert_true(cause);
	}
	rows_free(r);
	/* the states of the filter tell the two 待审核 apart */
	r = queue_values(sa, &(struct queue_query){ .queue = "termination" }, QC_STATE, &err);
	assert_non_null(r);
	assert_string_equal(rows_get(r, 0, 1), "已同意解约等待学校（院系）审核");
	assert_string_equal(rows_get(r, 1, 1), "解约中");
	rows_free(r);

	/* 强制解约: the school's, with a note and evidence */
	b = signed_agreement(su, stu[2], true);
	must(termination_start(pt, b, "student", "单位不回应", NULL, &f, &err), &err);
	assert_false(termination_force(da, f, "已协商", NULL, &o, &err));
	agreement_outcome_fini(&o);
	wq_err_clear(&err);
	must(termination_force(sa, f, "已与单位电话协商一致", letter_file(), &o, &err), &err);
	assert_string_equal(o.label, "学校强制解约");
	agreement_outcome_fini(&o);
	snprintf(ids, sizeof(ids), "%ld", f);
	r = agreement_attachments(sa, f, &err);
	assert_non_null(r);
	assert_int_equal(r->nrows, 1);
	assert_string_equal(rows_getn(r, 0, "role_label"), "强制解约证明材料");
	rows_free(r);
	r = queue_detail(sa, ids, &err);
	assert_non_null(r);
	{
		int i;
		bool note = false, answer = false;

		for (i = 0; i < r->nrows; i++) {
			if (strcmp(rows_get(r, i, 1), "强制解约说明") == 0)
				note = strstr(rows_get(r, i, 2), "已与单位电话协商一致") != NULL;
			if (strcmp(rows_get(r, i, 1), "单位答复") == 0)
				answer = strstr(rows_get(r, i, 2), "未答复") != NULL;
		}
		assert_true(note);
		assert_true(answer);
	}
	rows_free(r);

	/* keyset pages: after the first row, the others (the three of these tests) */
	{
		struct queue_query qq;
		struct query sql;
		struct wq_rows *first, *rest;
		char key_sort[64], key_id[32];

		queue_query_init(&qq, "termination");
		first = page(sa, &qq);
		assert_int_equal(first->nrows, 3);
		snprintf(key_id, sizeof(key_id), "%s", rows_get(first, 0, 0));
		snprintf(key_sort, sizeof(key_sort), "%s", rows_get(first, 0, 1));
		queue_page_sql(&qq, key_sort, key_id, false, 50, &sql);
		rest = query_run(sa, &sql, &err);
		query_fini(&sql);
		assert_non_null(rest);
		assert_int_equal(rest->nrows, 2);
		assert_string_equal(rows_get(rest, 0, 0), rows_get(first, 1, 0));
		rows_free(first);
		rows_free(rest);
		queue_query_fini(&qq);
	}
	unlink(letter_file());
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind),
		cmocka_unit_test(test_online_two_levels),
		cmocka_unit_test(test_offline_cause_and_force),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("termination_client", tests, items_setup, items_teardown);
}
