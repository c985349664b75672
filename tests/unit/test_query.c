/* test_query.c: unit tests for src/query.c (numbered parameters) and the student list's builders. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "destination.h"
#include "query.h"
#include "queue.h"
#include "students.h"
#include "util.h"

static void
test_numbers_in_order(void **state)
{
	struct query q;
	char value[] = "it's; DROP";

	(void)state;
	query_init(&q, "SELECT f(");
	assert_int_equal(query_param(&q, value, "text"), 1);
	query_add(&q, ", ");
	assert_int_equal(query_param(&q, NULL, "bigint"), 2);
	query_add(&q, ", ");
	assert_int_equal(query_param_int(&q, 5000, NULL), 3);
	query_add(&q, ")");
	assert_string_equal(q.sql, "SELECT f($1::text, $2::bigint, $3)");
	assert_int_equal(q.nparams, 3);
	/* the value is copied, never pasted into the text */
	value[0] = 'X';
	assert_string_equal(q.params[0], "it's; DROP");
	assert_null(q.params[1]);
	assert_string_equal(q.params[2], "5000");
	assert_null(strstr(q.sql, "DROP"));
	query_fini(&q);
	assert_null(q.sql);
	assert_int_equal(q.nparams, 0);
}

static void
test_grows(void **state)
{
	struct query q;
	char want[16];
	int i;

	(void)state;
	query_init(&q, NULL);
	assert_string_equal(q.sql, "");
	for (i = 0; i < 200; i++) {
		query_add(&q, i ? "," : "");
		query_param_int(&q, i, NULL);
	}
	assert_int_equal(q.nparams, 200);
	assert_string_equal(q.params[199], "199");
	snprintf(want, sizeof(want), ",$200");
	assert_string_equal(q.sql + strlen(q.sql) - strlen(want), want);
	query_fini(&q);
}

static void
test_student_count_query(void **state)
{
	struct student_query sq;
	struct query q;

	(void)state;
	student_query_init(&sq);
	snprintf(sq.text, sizeof(sq.text), "  王１２ ");
	student_query_set_field(&sq, SC_DEPT, "计算机学院", NULL);
	student_query_set_field(&sq, SC_DESTINATION, "none", "未登记");
	students_count_sql(&sq, &q);
	assert_string_equal(q.sql, "SELECT wq_api.student_count($1::text, $2::text, $3::text, $4::text, "
		"$5::text, $6::text, $7::text, $8::text)");
	assert_string_equal(q.params[0], "王12");
	assert_string_equal(q.params[1], "计算机学院");
	assert_null(q.params[2]);
	assert_null(q.params[6]);
	assert_string_equal(q.params[7], "none");   /* 毕业去向, after 核对状态 */
	query_fini(&q);
	student_query_fini(&sq);
}

static void
test_student_page_query(void **state)
{
	struct student_query sq;
	struct query q;

	(void)state;
	student_query_init(&sq);
	sq.sort = SC_NAME;
	student_query_set_field(&sq, SC_DESTINATION, "70", "70 待就业");
	students_page_sql(&sq, "王", "42", false, 100, &q);
	assert_int_equal(q.nparams, 13);
	assert_string_equal(q.params[7], "70");
	assert_string_equal(q.params[8], "name");
	assert_string_equal(q.params[9], "false");
	assert_string_equal(q.params[10], "王");
	assert_string_equal(q.params[11], "42");
	assert_string_equal(q.params[12], "100");
	assert_non_null(strstr(q.sql, "$13::integer))) WITH ORDINALITY"));
	query_fini(&q);
	sq.school_code = xstrdup("10001");
	students_values_sql(&sq, SC_DEPT, &q);
	assert_int_equal(q.nparams, 1);
	assert_string_equal(q.params[0], "dept");   /* the column's key; the database applies the scope */
	assert_non_null(strstr(q.sql, "wq_api.student_values($1::text)"));
	query_fini(&q);
	student_query_fini(&sq);
}

/* Each queue's columns and functions: 去向登记管理 reads wq_api.destination_*, with its own filter arguments. */
static void
test_queue_kinds(void **state)
{
	const struct queue_kind *sign = queue_kind_of("signing"), *dest = queue_kind_of("destination");
	struct queue_query qq;
	struct query q;
	struct destination_input in = { 0 };

	(void)state;
	assert_ptr_equal(queue_kind_of("nonsense"), sign);
	assert_int_equal(sign->source, QS_AGREEMENT);
	assert_int_equal(sign->ntabs, 0);
	assert_int_equal(queue_kind_of("registration")->ntabs, 3);
	assert_int_equal(dest->ntabs, 4);
	assert_string_equal(dest->tab_labels[3], "已作废");
	/* every queue starts with 等待, 学号, 姓名; only the registrations have 毕业去向 and 来源 */
	assert_int_equal(queue_kind_index(dest, QC_WAITED), 0);
	assert_int_equal(queue_kind_index(sign, QC_NAME), 2);
	assert_true(queue_kind_index(dest, QC_SOURCE) > 0);
	assert_int_equal(queue_kind_index(dest, QC_WARNING), -1);
	assert_int_equal(queue_kind_index(sign, QC_SOURCE), -1);

	queue_query_init(&qq, "destination");
	qq.tab = "voided";
	queue_query_set_field(&qq, QC_SOURCE, "school");
	queue_query_set_field(&qq, QC_INITIATOR, "student");   /* not a filter of this queue's function */
	qq.sort = QC_EMPLOYER;                                  /* not its column: 等待 instead */
	queue_page_sql(&qq, NULL, NULL, false, 50, &q);
	assert_non_null(strstr(q.sql, "wq_api.destination_page($1::text"));
	assert_non_null(strstr(q.sql, "wq_api.destination_rows("));
	assert_null(strstr(q.sql, "employer_name"));
	assert_null(q.params[0]);                     /* no text */
	assert_string_equal(q.params[1], "voided");   /* the tab */
	assert_string_equal(q.params[2], "school");   /* 来源 */
	assert_string_equal(q.params[5], "waiting");
	query_fini(&q);
	queue_count_sql(&qq, &q);
	assert_non_null(strstr(q.sql, "wq_api.destination_count("));
	assert_int_equal(q.nparams, 5);
	query_fini(&q);
	queue_query_fini(&qq);

	queue_query_init(&qq, "signing");
	queue_count_sql(&qq, &q);
	assert_int_equal(q.nparams, 6);
	assert_string_equal(q.params[0], "signing");
	query_fini(&q);
	queue_query_fini(&qq);

	/* a registration's input: the code or any field given */
	assert_false(destination_input_given(&in));
	in.field[DF_country] = "";
	assert_false(destination_input_given(&in));
	in.field[DF_country] = "新加坡";
	assert_true(destination_input_given(&in));
	assert_string_equal(destination_fields[DF_study_level].option, "--study-level");
	assert_string_equal(destination_fields[DF_uscc].key, "uscc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_in_order),
		cmocka_unit_test(test_grows),
		cmocka_unit_test(test_student_count_query),
		cmocka_unit_test(test_student_page_query),
		cmocka_unit_test(test_queue_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
