/*
 * test_destination_client.c: src/destination.c and the queue of 去向登记管理
 * (src/queue.c) against the real database: the portal's submission (with a
 * proof) and resubmission, a return and a pass through agreement_decide, the
 * list, one registration with its history, the school's change, and the
 * queue's pages, count, item and detail.
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
#include "destination.h"
#include "queue.h"
#include "util.h"

static struct wq_db *pt, *sa;   /* the portal, the school 10001 */
static char stu[4][64];

/* A proof (a 1x1 PNG) in a file, written once; its path. */
static const char *
proof_file(void)
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
		snprintf(path, sizeof(path), "/tmp/wq-proof-%d.png", (int)getpid());
		f = fopen(path, "wb");
		assert_non_null(f);
		fwrite(png, 1, sizeof(png), f);
		fclose(f);
	}
	return path;
}

static int
setup_fixture(void **state)
{
	static const char *const fixture[] = { "11 北京市 three-party", "10001 北京甲大学 11", NULL };
	static const struct demo_school school = { "10001", "北京甲大学" };
	struct wq_db *su = dbtest_fixture(fixture);
	char *v;
	int n;

	if (!su)
		return -1;
	add_account(su, "sa", "school", NULL, "10001", NULL);
	add_account(su, "pt", "portal", NULL, NULL, NULL);
	sa = must_connect("sa");
	import_demo(sa, &school, 50);
	must_exec(su, "UPDATE wq.student SET verify_status = 'verified', training_mode = '1' WHERE school_code = '10001'");
	must_exec(su, "UPDATE wq.school_settings SET destination = true WHERE school_code = '10001'");
	v = scalar(su, "SELECT string_agg(student_no, ',' ORDER BY student_no) FROM (SELECT student_no "
		"FROM wq.student WHERE school_code = '10001' ORDER BY student_no LIMIT 4) s");
	n = sscanf(v, "%63[^,],%63[^,],%63[^,],%63s", stu[0], stu[1], stu[2], stu[3]);
	free(v);
	if (n != 4)
		return -1;
	pt = must_connect("pt");
	*state = su;
	return 0;
}

static int
teardown(void **state)
{
	unlink(proof_file());
	db_close(pt);
	db_close(sa);
	return dbtest_teardown(state);
}

static void
must(bool ok, const struct wq_err *err)
{
	if (!ok)
		fail_msg("refused: %s", err->msg);
}

static void
assert_q(struct wq_db *db, const char *want, const char *fmt, ...)
{
	va_list ap;
	char sql[1024];

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	assert_scalar(db, sql, want);
}

/* Submitted with a proof, returned with a reason, resubmitted with another code, passed. */
static void
test_return_resubmit_pass(void **state)
{
	struct wq_db *su = *state;
	struct destination_input in = { 0 };
	struct agreement_outcome o;
	struct wq_rows *item, *hist, *files;
	struct wq_err err;
	char *ver;
	long id;

	wq_err_clear(&err);
	in.code = "11";
	in.field[DF_unit_name] = "北京示例文化有限公司";
	must(destination_submit(pt, "10001", stu[0], &in, proof_file(), &id, &err), &err);
	assert_q(su, "pending 11 北京示例文化有限公司 school", "SELECT state || ' ' || code || ' ' || unit_name || ' ' "
		"|| review_level FROM wq.destination WHERE id = %ld", id);
	/* the proof is the registration's, for its reviewers */
	files = agreement_attachments(sa, id, &err);
	assert_non_null(files);
	assert_int_equal(files->nrows, 1);
	assert_string_equal(rows_getn(files, 0, "role_label"), "证明材料");
	rows_free(files);

	/* the reviewer's view of it */
	must(destination_show(sa, id, &item, &hist, &err), &err);
	assert_string_equal(rows_getn(item, 0, "state_label"), "去向登记审核中");
	assert_string_equal(rows_getn(item, 0, "what"), "11 签劳动合同形式就业（北京示例文化有限公司）");
	assert_string_equal(rows_getn(item, 0, "actions"), "pass,return,reject");
	assert_string_equal(rows_getn(hist, 0, "action"), "create");
	rows_free(item);
	rows_free(hist);

	/* 退回修改 with a category of the registrations' own */
	{
		char *code = NULL;

		must(agreement_reason_code(sa, "destination", "材料不全", &code, &err), &err);
		must(agreement_decide(sa, id, "return", 1, NULL, code, "请补充劳动合同", &o, &err), &err);
		free(code);
	}
	assert_string_equal(o.label, "去向登记退回修改");
	agreement_outcome_fini(&o);

	/* a resubmission with a field the new code does not need: refused, naming it */
	memset(&in, 0, sizeof(in));
	in.code = "80";
	in.field[DF_institution] = "北京大学";
	in.field[DF_study_level] = "研究生";
	in.field[DF_unit_name] = "某公司";
	assert_false(destination_resubmit(pt, id, &in, NULL, NULL, &o, &err));
	assert_non_null(strstr(err.msg, "不需要字段：单位名称"));
	in.field[DF_unit_name] = NULL;
	wq_err_clear(&err);
	must(destination_resubmit(pt, id, &in, NULL, NULL, &o, &err), &err);
	assert_string_equal(o.state, "pending");
	agreement_outcome_fini(&o);
	assert_q(su, "80 研究生 北京大学 ", "SELECT code || ' ' || subtype || ' ' || institution || ' ' "
		"|| coalesce(unit_name, '') FROM wq.destination WHERE id = %ld", id);

	ver = q(su, "SELECT version FROM wq.destination WHERE id = %ld", id);
	must(agreement_decide(sa, id, "pass", atoi(ver), NULL, NULL, NULL, &o, &err), &err);
	free(ver);
	assert_string_equal(o.label, "去向登记审核通过");
	agreement_outcome_fini(&o);
	assert_q(su, "80", "SELECT destination_code FROM wq.student WHERE school_code = '10001' AND student_no = '%s'",
		stu[0]);

	/* the graduate's history holds the registration's events */
	assert_q(su, "t", "SELECT bool_or(what LIKE '去向登记：退回修改，去向登记退回修改（原因：材料不全，请补充劳动合同）') "
		"FROM wq_api.student_history((SELECT id FROM wq.student WHERE school_code = '10001' AND student_no = '%s'))",
		stu[0]);
}

/* The school's change: agreed with the graduate, the open one voided, the new one approved. */
static void
test_change(void **state)
{
	struct wq_db *su = *state;
	struct destination_input in = { 0 };
	struct wq_err err;
	long id, changed;

	wq_err_clear(&err);
	in.code = "46";
	must(destination_submit(pt, "10001", stu[1], &in, NULL, &id, &err), &err);
	in.code = "85";
	in.field[DF_country] = "新加坡";
	in.field[DF_institution] = "新加坡国立大学";
	assert_false(destination_change(sa, stu[1], &in, false, NULL, &changed, &err));
	assert_non_null(strstr(err.msg, "协商一致"));
	wq_err_clear(&err);
	must(destination_change(sa, stu[1], &in, true, NULL, &changed, &err), &err);
	assert_true(changed > id);
	assert_q(su, "voided", "SELECT state FROM wq.destination WHERE id = %ld", id);
	assert_q(su, "approved school 85", "SELECT state || ' ' || source || ' ' || code FROM wq.destination WHERE id = %ld",
		changed);
	/* a portal account may not */
	assert_false(destination_change(pt, stu[1], &in, true, NULL, &changed, &err));
}

/* The queue of 去向登记管理: its columns, pages, count, tabs, item and detail. */
static void
test_queue(void **state)
{
	const struct queue_kind *k = queue_kind_of("destination");
	struct destination_input in = { 0 };
	struct queue_query qq;
	struct query sql;
	struct wq_rows *r;
	struct wq_err err;
	char ids[32];
	long id;

	(void)state;
	wq_err_clear(&err);
	assert_int_equal(k->source, QS_DESTINATION);
	assert_true(queue_kind_index(k, QC_DEST) >= 0);
	assert_int_equal(queue_kind_index(k, QC_EMPLOYER), -1);
	assert_int_equal(queue_kind_index(queue_kind_of("signing"), QC_DEST), -1);
	in.code = "76";
	in.field[DF_description] = "独立插画师";
	must(destination_submit(pt, "10001", stu[2], &in, NULL, &id, &err), &err);

	queue_query_init(&qq, "destination");
	qq.waiting = true;
	queue_page_sql(&qq, NULL, NULL, false, 50, &sql);
	r = query_run(sa, &sql, &err);
	assert_non_null(r);
	query_fini(&sql);
	assert_int_equal(r->nrows, 1);
	assert_int_equal(r->ncols, 2 + k->ncols);
	assert_string_equal(rows_get(r, 0, 2 + queue_kind_index(k, QC_DEST)), "76 自由职业（独立插画师）");
	assert_string_equal(rows_get(r, 0, 2 + queue_kind_index(k, QC_STATE)), "去向登记审核中");
	rows_free(r);

	/* 去向登记审核通过 holds the two of the tests above; the text filter finds by 学号 */
	qq.waiting = false;
	qq.tab = "passed";
	queue_count_sql(&qq, &sql);
	r = query_run(sa, &sql, &err);
	query_fini(&sql);
	assert_non_null(r);
	assert_string_equal(rows_get(r, 0, 0), "2");
	rows_free(r);
	qq.tab = "review";
	snprintf(qq.text, sizeof(qq.text), "%s", stu[2]);
	queue_page_sql(&qq, NULL, NULL, false, 50, &sql);
	r = query_run(sa, &sql, &err);
	query_fini(&sql);
	assert_non_null(r);
	assert_int_equal(r->nrows, 1);
	rows_free(r);
	queue_query_fini(&qq);

	snprintf(ids, sizeof(ids), "%ld", id);
	r = queue_item(sa, QS_DESTINATION, ids, &err);
	assert_non_null(r);
	assert_int_equal(r->nrows, 1);
	assert_string_equal(rows_getn(r, 0, "kind"), "destination");
	assert_string_equal(rows_getn(r, 0, "what"), "76 自由职业（独立插画师）");
	rows_free(r);
	r = queue_detail(sa, ids, &err);
	assert_non_null(r);
	assert_true(r->nrows > 10);
	assert_string_equal(rows_get(r, 0, 0), "去向信息");
	rows_free(r);
	{
		long waiting[QW_COUNT];

		must(queue_waiting(sa, waiting, &err), &err);
		assert_int_equal(waiting[QW_DESTINATION], 1);
		assert_int_equal(waiting[QW_TERMINATION], 0);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_return_resubmit_pass),
		cmocka_unit_test(test_change),
		cmocka_unit_test(test_queue),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("destination_client", tests, setup_fixture, teardown);
}
