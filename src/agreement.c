/* agreement.c: employment agreements through wq_api (checked here first, decided there). */
#include "agreement.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement_pdf.h"
#include "attach.h"
#include "check.h"
#include "me.h"
#include "query.h"
#include "queue.h"
#include "str.h"
#include "util.h"

/* ---- checks ---------------------------------------------------------------- */

static bool
digits_of_length(const char *s, size_t n)
{
	return check_all_digits(s) && strlen(s) == n;
}

/* Bidirectional controls and the line/paragraph separators (never stored). */
static bool
is_bidi(unsigned int cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F
	    || cp == 0x061C || cp == 0x2028 || cp == 0x2029;
}

/* A text field: no control or bidi character, at most max characters. */
static bool
check_text(const char *label, const char *v, int max, struct wq_err *err)
{
	const char *p = v;
	unsigned int cp;
	int n;

	if (!v)
		return true;
	while (*p) {
		n = str_utf8_decode(p, strlen(p), &cp);
		if (cp == (unsigned int)-1)
			return wq_err_set(err, WQ_ERR_INPUT, "%s含有无效的 UTF-8 字节", label);
		if (str_is_control(cp) || is_bidi(cp))
			return wq_err_set(err, WQ_ERR_INPUT, "%s不能包含控制字符", label);
		p += n;
	}
	if (str_utf8_count(v) > (size_t)max)
		return wq_err_set(err, WQ_ERR_INPUT, "%s最多 %d 个字", label, max);
	return true;
}

static bool
check_phone(const char *v, struct wq_err *err)
{
	size_t n, i;

	if (str_empty(v))
		return true;
	n = strlen(v);
	if (v[0] < '0' || v[0] > '9' || n < 6 || n > 24)
		return wq_err_set(err, WQ_ERR_INPUT, "联系电话格式不正确（例如 010-62751234）");
	for (i = 0; i < n; i++)
		if (!(v[i] >= '0' && v[i] <= '9') && !strchr(" ()+-", v[i]))
			return wq_err_set(err, WQ_ERR_INPUT, "联系电话只能包含数字、空格、括号、+ 和 -");
	return true;
}

static const char *const employer_statuses[][2] = {
	{ "存续", "active" }, { "注销", "cancelled" }, { "吊销", "revoked" }, { "停业", "suspended" },
};

bool
agreement_check_employer(const struct agreement_employer *e, struct wq_err *err)
{
	size_t i;

	if (!check_credit_code(e->credit_code, err))
		return false;
	if (str_empty(e->name) || strspn(e->name, " ") == strlen(e->name))
		return wq_err_set(err, WQ_ERR_INPUT, "单位名称不能为空");
	if (!check_text("单位名称", e->name, 100, err) || !check_text("联系人", e->contact_name, 50, err))
		return false;
	if (e->nature && !digits_of_length(e->nature, 2))
		return wq_err_set(err, WQ_ERR_INPUT, "单位性质代码应为 2 位数字：%s", e->nature);
	if (e->industry && !digits_of_length(e->industry, 2))
		return wq_err_set(err, WQ_ERR_INPUT, "单位行业代码应为 2 位数字：%s", e->industry);
	if (e->location && !digits_of_length(e->location, 6))
		return wq_err_set(err, WQ_ERR_INPUT, "单位所在地应为 6 位行政区划代码：%s", e->location);
	if (e->status) {
		for (i = 0; i < ARRAY_SIZE(employer_statuses); i++)
			if (strcmp(e->status, employer_statuses[i][0]) == 0 || strcmp(e->status, employer_statuses[i][1]) == 0)
				break;
		if (i == ARRAY_SIZE(employer_statuses))
			return wq_err_set(err, WQ_ERR_INPUT, "经营状态应为 存续、注销、吊销 或 停业：%s", e->status);
	}
	return check_phone(e->contact_phone, err);
}

/* 月薪: an integer of yuan, 0..10000000. */
static bool
check_salary(const char *s, struct wq_err *err)
{
	if (!s)
		return true;
	if (!check_all_digits(s) || strlen(s) > 8 || atol(s) > 10000000)
		return wq_err_set(err, WQ_ERR_INPUT, "月薪应为 0 到 10000000 的整数（元），而不是“%s”", s);
	return true;
}

bool
agreement_check_job(const struct agreement_job *job, struct wq_err *err)
{
	if (!job)
		return true;
	if (!check_salary(job->salary, err))
		return false;
	if (job->job_category && !digits_of_length(job->job_category, 2))
		return wq_err_set(err, WQ_ERR_INPUT, "工作职位类别代码应为 2 位数字：%s", job->job_category);
	if (!str_empty(job->archive_postcode) && !check_postcode(job->archive_postcode, NULL))
		return wq_err_set(err, WQ_ERR_INPUT, "档案接收单位的邮政编码应为 6 位数字");
	return check_text("岗位名称", job->position, 100, err)
	    && check_text("工作地点", job->work_location, 100, err)
	    && check_text("档案接收单位", job->archive_unit, 100, err)
	    && check_text("档案接收地址", job->archive_address, 200, err)
	    && check_text("户口迁移单位", job->hukou_unit, 100, err)
	    && check_text("户口迁移地址", job->hukou_address, 200, err);
}

/* A decimal number lo..hi of digits only. */
static bool
parse_number(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!check_all_digits(s) || strlen(s) > 19)
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

bool
agreement_parse_id(const char *s, long *id, struct wq_err *err)
{
	if (!parse_number(s, 1, LONG_MAX, id))
		return wq_err_set(err, WQ_ERR_INPUT, "编号应为正整数，而不是“%s”", s ? s : "");
	return true;
}

bool
agreement_parse_valid_days(const char *s, int *days, struct wq_err *err)
{
	long v;

	if (!parse_number(s, 1, 365, &v))
		return wq_err_set(err, WQ_ERR_INPUT, "邀请有效天数应为 1 到 365 的整数，而不是“%s”", s ? s : "");
	*days = (int)v;
	return true;
}

bool
agreement_parse_version(const char *s, int *version, struct wq_err *err)
{
	long v;

	if (!parse_number(s, 1, INT_MAX, &v))
		return wq_err_set(err, WQ_ERR_INPUT, "版本号应为正整数，而不是“%s”", s ? s : "");
	*version = (int)v;
	return true;
}

static bool
check_party(const struct agreement_party *p, struct wq_err *err)
{
	if (str_empty(p->school))
		return wq_err_set(err, WQ_ERR_INPUT, "缺少学校代码");
	if (str_empty(p->student_no))
		return wq_err_set(err, WQ_ERR_INPUT, "缺少学号");
	return check_text("学校代码", p->school, 16, err) && check_text("学号", p->student_no, 32, err)
	    && check_credit_code(p->employer, err);
}

/* ---- the result gate -------------------------------------------------------- */

/* A refused statement's error, with the codes the callers tell apart. */
static void
settle_err(struct wq_err *e)
{
	if (strcmp(e->sqlstate, "40001") == 0)
		e->code = WQ_ERR_STALE;
	else if (strcmp(e->sqlstate, "23514") == 0 || strcmp(e->sqlstate, "22023") == 0)
		e->code = WQ_ERR_INPUT;
}

/*
 * Runs q; a statement that carries a request id is sent once more, with the
 * same id, when the connection was lost and comes back (the server returns
 * the first outcome if the first one got through).
 */
struct wq_rows *
agreement_run(struct wq_db *db, const struct query *q, bool retry, struct wq_err *err)
{
	struct wq_rows *rows;
	struct wq_err e;

	wq_err_clear(&e);
	rows = query_run(db, q, &e);
	if (!rows && retry && e.code == WQ_ERR_PG_CONN && db_check(db)) {
		wq_err_clear(&e);
		rows = query_run(db, q, &e);
	}
	if (!rows) {
		settle_err(&e);
		if (err)
			*err = e;
	}
	return rows;
}

bool
agreement_run_outcome(struct wq_db *db, const struct query *q, struct agreement_outcome *out, struct wq_err *err)
{
	struct wq_rows *rows = agreement_run(db, q, true, err);
	struct agreement_outcome o;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!rows)
		return false;
	agreement_outcome_from(rows, &o);
	rows_free(rows);
	if (out)
		*out = o;
	else
		agreement_outcome_fini(&o);
	return true;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
agreement_outcome_fini(struct agreement_outcome *o)
{
	if (!o)
		return;
	free(o->state);
	free(o->label);
	free(o->level);
	free(o->level_label);
	memset(o, 0, sizeof(*o));
}

void
agreement_outcome_from(const struct wq_rows *rows, struct agreement_outcome *o)
{
	const char *v;

	memset(o, 0, sizeof(*o));
	o->id = (v = rows_getn(rows, 0, "id")) ? atol(v) : 0;
	o->state = dup_or_null(rows_getn(rows, 0, "state"));
	o->label = dup_or_null(rows_getn(rows, 0, "label"));
	o->level = dup_or_null(rows_getn(rows, 0, "level"));
	o->level_label = dup_or_null(rows_getn(rows, 0, "level_label"));
	o->version = (v = rows_getn(rows, 0, "version")) ? atoi(v) : 0;
	o->replayed = (v = rows_getn(rows, 0, "replayed")) && strcmp(v, "t") == 0;
}

/* ---- the portal's side ------------------------------------------------------ */

bool
agreement_employer_add(struct wq_db *db, const struct agreement_employer *e, struct wq_err *err)
{
	struct query q;
	struct wq_rows *rows;

	if (!agreement_check_employer(e, err))
		return false;
	query_init(&q, "SELECT wq_api.employer_add(");
	query_param(&q, e->credit_code, "text");
	query_add(&q, ", ");
	query_param(&q, e->name, "text");
	query_add(&q, ", ");
	query_param(&q, e->nature, "text");
	query_add(&q, ", ");
	query_param(&q, e->industry, "text");
	query_add(&q, ", ");
	query_param(&q, e->location, "text");
	query_add(&q, ", ");
	query_param(&q, e->status, "text");
	query_add(&q, ", ");
	query_param(&q, e->contact_name, "text");
	query_add(&q, ", ");
	query_param(&q, e->contact_phone, "text");
	query_add(&q, ") AS code");
	rows = agreement_run(db, &q, false, err);
	query_fini(&q);
	rows_free(rows);
	return rows != NULL;
}

/* Appends the job as a jsonb object of the fields given ({} when none). */
static void
add_job(struct query *q, const struct agreement_job *job, bool changes_only)
{
	static const struct agreement_job none;

	if (!job)
		job = &none;
	query_add(q, "jsonb_strip_nulls(jsonb_build_object('position', ");
	query_param(q, job->position, "text");
	query_add(q, ", 'work_location', ");
	query_param(q, job->work_location, "text");
	query_add(q, ", 'salary', ");
	query_param(q, job->salary, "integer");
	query_add(q, ", 'job_category', ");
	query_param(q, job->job_category, "text");
	if (!changes_only) {
		query_add(q, ", 'archive_unit', ");
		query_param(q, job->archive_unit, "text");
		query_add(q, ", 'archive_address', ");
		query_param(q, job->archive_address, "text");
		query_add(q, ", 'archive_postcode', ");
		query_param(q, job->archive_postcode, "text");
		query_add(q, ", 'hukou_unit', ");
		query_param(q, job->hukou_unit, "text");
		query_add(q, ", 'hukou_address', ");
		query_param(q, job->hukou_address, "text");
	}
	query_add(q, "))");
}

/* fn(school, student, employer, job[, valid_days]) -> the new id. */
static bool
agreement_new(struct wq_db *db, const char *fn, const struct agreement_party *p,
	const struct agreement_job *job, int valid_days, long *id, struct wq_err *err)
{
	struct query q;
	struct wq_rows *rows;
	bool invite = strcmp(fn, "invite") == 0;

	if (!check_party(p, err) || !agreement_check_job(job, err))
		return false;
	if (invite && valid_days != 0 && (valid_days < 1 || valid_days > 365))
		return wq_err_set(err, WQ_ERR_INPUT, "邀请有效天数应为 1 到 365");
	query_init(&q, "SELECT wq_api.");
	query_add(&q, fn);   /* one of three fixed names */
	query_add(&q, "(");
	if (invite) {
		query_param(&q, p->employer, "text");
		query_add(&q, ", ");
		query_param(&q, p->school, "text");
		query_add(&q, ", ");
		query_param(&q, p->student_no, "text");
	} else {
		query_param(&q, p->school, "text");
		query_add(&q, ", ");
		query_param(&q, p->student_no, "text");
		query_add(&q, ", ");
		query_param(&q, p->employer, "text");
	}
	query_add(&q, ", ");
	add_job(&q, job, false);
	if (invite) {
		query_add(&q, ", ");
		query_param_int(&q, valid_days ? valid_days : 30, "integer");
	}
	query_add(&q, ") AS id");
	rows = agreement_run(db, &q, false, err);
	query_fini(&q);
	if (!rows)
		return false;
	if (id)
		*id = atol(rows_getn(rows, 0, "id"));
	rows_free(rows);
	return true;
}

bool
agreement_invite(struct wq_db *db, const struct agreement_party *p, const struct agreement_job *job,
	int valid_days, long *id, struct wq_err *err)
{
	return agreement_new(db, "invite", p, job, valid_days, id, err);
}

bool
agreement_offline_apply(struct wq_db *db, const struct agreement_party *p,
	const struct agreement_job *job, long *id, struct wq_err *err)
{
	return agreement_new(db, "offline_apply", p, job, 0, id, err);
}

bool
agreement_registration_submit(struct wq_db *db, const struct agreement_party *p,
	const struct agreement_job *job, long *id, struct wq_err *err)
{
	return agreement_new(db, "registration_submit", p, job, 0, id, err);
}

static bool
is_one_of(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

bool
agreement_portal_act(struct wq_db *db, long id, const char *action, const char *as,
	const struct agreement_job *changes, const char *request_id, struct agreement_outcome *out,
	struct wq_err *err)
{
	/* an upload brings its file: agreement_portal_upload */
	static const char *const student_actions[] = { "accept", "decline", "resubmit", NULL };
	static const char *const employer_actions[] = { "withdraw", NULL };
	char rid[WQ_REQUEST_ID_SIZE];
	struct agreement_outcome o;
	struct query q;
	struct wq_rows *rows;
	bool student = as && strcmp(as, "student") == 0;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!student && !(as && strcmp(as, "employer") == 0))
		return wq_err_set(err, WQ_ERR_INPUT, "身份应为 student（毕业生）或 employer（用人单位）");
	if (!is_one_of(action, student ? student_actions : employer_actions))
		return wq_err_set(err, WQ_ERR_INPUT, "%s不能执行此操作：%s", student ? "毕业生" : "用人单位",
			action ? action : "");
	if (changes && strcmp(action, "resubmit") != 0)
		return wq_err_set(err, WQ_ERR_INPUT, "只有重新提交可以修改协议字段");
	if (changes && (changes->archive_unit || changes->archive_address || changes->archive_postcode
	                || changes->hukou_unit || changes->hukou_address))
		return wq_err_set(err, WQ_ERR_INPUT, "重新提交只能修改岗位名称、工作地点、月薪和工作职位类别");
	if (!agreement_check_job(changes, err))
		return false;
	if (!request_id) {
		wq_request_id(rid);
		request_id = rid;
	}
	query_init(&q, "SELECT " AGREEMENT_OUTCOME_COLS " FROM wq_api.portal_act(");
	query_param_int(&q, id, "bigint");
	query_add(&q, ", ");
	query_param(&q, action, "text");
	query_add(&q, ", ");
	query_param(&q, as, "text");
	query_add(&q, ", ");
	if (changes) {
		query_add(&q, "nullif(");
		add_job(&q, changes, true);
		query_add(&q, ", '{}')");
	} else {
		query_add(&q, "NULL");
	}
	query_add(&q, ", ");
	query_param(&q, request_id, "uuid");
	query_add(&q, ") r");
	rows = agreement_run(db, &q, true, err);
	query_fini(&q);
	if (!rows)
		return false;
	agreement_outcome_from(rows, &o);
	rows_free(rows);
	/* an answer to an invitation past its validity: it has turned 签约邀请已失效 instead */
	if (o.state && strcmp(o.state, "expired") == 0 && strcmp(action, "expire") != 0) {
		wq_err_set(err, WQ_ERR_PG_QUERY, "签约邀请已失效：编号 %ld 的邀请已过有效期，不能再%s", id,
			agreement_action_label(action));
		if (out)
			*out = o;
		else
			agreement_outcome_fini(&o);
		return false;
	}
	if (out)
		*out = o;
	else
		agreement_outcome_fini(&o);
	return true;
}

bool
agreement_invitations_expire(struct wq_db *db, int *count, struct wq_err *err)
{
	struct query q;
	struct wq_rows *rows;

	query_init(&q, "SELECT wq_api.invitations_expire() AS n");
	rows = agreement_run(db, &q, false, err);
	query_fini(&q);
	if (!rows)
		return false;
	if (count)
		*count = atoi(rows_getn(rows, 0, "n"));
	rows_free(rows);
	return true;
}

/* ---- the school's and the departments' side --------------------------------- */

bool
agreement_decide(struct wq_db *db, long id, const char *action, int version, const char *request_id,
	const char *category, const char *reason, struct agreement_outcome *out, struct wq_err *err)
{
	static const char *const actions[] = { "pass", "return", "reject", NULL };
	char rid[WQ_REQUEST_ID_SIZE];
	struct query q;
	struct wq_rows *rows;
	bool pass;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!is_one_of(action, actions))
		return wq_err_set(err, WQ_ERR_INPUT, "审核操作应为 通过（pass）、退回修改（return）或 不通过（reject）");
	if (version < 1)
		return wq_err_set(err, WQ_ERR_INPUT, "缺少所见的版本号");
	pass = strcmp(action, "pass") == 0;
	if (!pass && str_empty(category))
		return wq_err_set(err, WQ_ERR_INPUT, "%s需要选择原因类别", agreement_action_label(action));
	if (!pass && (str_empty(reason) || strspn(reason, " \t\n") == strlen(reason)))
		return wq_err_set(err, WQ_ERR_INPUT, "%s需要填写具体问题", agreement_action_label(action));
	if (!pass && (!check_text("原因类别", category, 32, err)))
		return false;
	if (reason) {
		/* 具体问题 may run over lines: only the other control characters are refused */
		const char *p;

		for (p = reason; *p; p++)
			if ((unsigned char)*p < 0x20 && *p != '\n')
				return wq_err_set(err, WQ_ERR_INPUT, "具体问题不能包含控制字符");
		if (str_utf8_count(reason) > 500)
			return wq_err_set(err, WQ_ERR_INPUT, "具体问题最多 500 个字");
	}
	if (!request_id) {
		wq_request_id(rid);
		request_id = rid;
	}
	query_init(&q, "SELECT " AGREEMENT_OUTCOME_COLS " FROM wq_api.review_decide(");
	query_param_int(&q, id, "bigint");
	query_add(&q, ", ");
	query_param(&q, action, "text");
	query_add(&q, ", ");
	query_param_int(&q, version, "integer");
	query_add(&q, ", ");
	query_param(&q, request_id, "uuid");
	query_add(&q, ", ");
	/* a 通过 may carry a category too: a termination's 解约原因 */
	query_param(&q, category, "text");
	query_add(&q, ", ");
	query_param(&q, pass ? NULL : reason, "text");
	query_add(&q, ") r");
	rows = agreement_run(db, &q, true, err);
	query_fini(&q);
	if (!rows)
		return false;
	if (out)
		agreement_outcome_from(rows, out);
	rows_free(rows);
	return true;
}

struct wq_rows *
agreement_reasons(struct wq_db *db, const char *kind, struct wq_err *err)
{
	struct query q;
	struct wq_rows *rows;

	query_init(&q, "SELECT code, label FROM wq_api.review_reasons(");
	query_param(&q, kind, "text");
	query_add(&q, ")");
	rows = agreement_run(db, &q, false, err);
	query_fini(&q);
	return rows;
}

bool
agreement_reason_code(struct wq_db *db, const char *kind, const char *typed, char **code, struct wq_err *err)
{
	struct wq_rows *rows = agreement_reasons(db, kind, err);
	char *list;
	int r;

	*code = NULL;
	if (!rows)
		return false;
	for (r = 0; r < rows->nrows; r++)
		if (strcmp(typed, rows_getn(rows, r, "code")) == 0 || strcmp(typed, rows_getn(rows, r, "label")) == 0) {
			*code = xstrdup(rows_getn(rows, r, "code"));
			rows_free(rows);
			return true;
		}
	list = xstrdup("");
	for (r = 0; r < rows->nrows; r++) {
		char *next = xasprintf("%s%s%s（%s）", list, r ? "、" : "", rows_getn(rows, r, "label"),
			rows_getn(rows, r, "code"));

		free(list);
		list = next;
	}
	rows_free(rows);
	wq_err_set(err, WQ_ERR_INPUT, "原因类别应为：%s", list);
	free(list);
	return false;
}

#define ITEM_COLS "id, kind, initiator, state, state_label, review_level, level_label, version, " \
	"protocol_no, student_no, student_name, dept, employer_code, employer_name, employer_status, " \
	"to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS') AS updated_at, array_to_string(actions, ',') AS actions"

struct wq_rows *
agreement_list(struct wq_db *db, const struct agreement_filter *f, struct wq_err *err)
{
	static const struct agreement_filter all;
	const char *queue, *initiator;
	struct query q;
	struct wq_rows *rows;

	if (!f)
		f = &all;
	queue = f->queue ? f->queue : "signing";
	if (strcmp(queue, "signing") != 0 && strcmp(queue, "registration") != 0) {
		wq_err_set(err, WQ_ERR_INPUT, "队列应为 signing（签约）或 registration（补登），而不是“%s”", queue);
		return NULL;
	}
	initiator = f->initiator;
	if (initiator && strcmp(initiator, "单位") == 0)
		initiator = "employer";
	else if (initiator && strcmp(initiator, "学生") == 0)
		initiator = "student";
	if (initiator && strcmp(initiator, "employer") != 0 && strcmp(initiator, "student") != 0) {
		wq_err_set(err, WQ_ERR_INPUT, "签约发起方应为 employer（单位）或 student（学生），而不是“%s”", initiator);
		return NULL;
	}
	if (f->state && (strlen(f->state) > 32 || strspn(f->state, "abcdefghijklmnopqrstuvwxyz_") != strlen(f->state))) {
		wq_err_set(err, WQ_ERR_INPUT, "状态应为状态代码（例如 pending_review、signed），而不是“%s”", f->state);
		return NULL;
	}
	if (f->limit < 0 || f->limit > 10000) {
		wq_err_set(err, WQ_ERR_INPUT, "每次最多列出 10000 项");
		return NULL;
	}
	query_init(&q, "SELECT " ITEM_COLS " FROM wq_api.agreements(");
	query_param(&q, queue, "text");
	query_add(&q, ", ");
	query_param(&q, f->state, "text");
	query_add(&q, ", ");
	query_param(&q, initiator, "text");
	query_add(&q, ", ");
	query_param(&q, f->waiting ? "true" : "false", "boolean");
	query_add(&q, ", ");
	if (f->after_id > 0)
		query_param_int(&q, f->after_id, "bigint");
	else
		query_param(&q, NULL, "bigint");
	query_add(&q, ", ");
	query_param_int(&q, f->limit ? f->limit : 200, "integer");
	query_add(&q, ") ORDER BY id");
	rows = agreement_run(db, &q, false, err);
	query_fini(&q);
	return rows;
}

void
agreement_item_fini(struct agreement_item *it)
{
	int i;

	if (!it)
		return;
	free(it->kind);
	free(it->initiator);
	free(it->state);
	free(it->state_label);
	free(it->review_level);
	free(it->level_label);
	free(it->protocol_no);
	free(it->student_no);
	free(it->student_name);
	free(it->dept);
	free(it->employer_code);
	free(it->employer_name);
	free(it->employer_status);
	free(it->updated_at);
	for (i = 0; i < it->nactions; i++)
		free(it->actions[i]);
	free(it->actions);
	memset(it, 0, sizeof(*it));
}

static void
split_actions(const char *s, struct agreement_item *it)
{
	const char *p = s, *comma;

	while (p && *p) {
		comma = strchr(p, ',');
		it->actions = xrealloc(it->actions, (size_t)(it->nactions + 1) * sizeof(char *));
		it->actions[it->nactions++] = comma ? xstrndup(p, (size_t)(comma - p)) : xstrdup(p);
		p = comma ? comma + 1 : NULL;
	}
}

bool
agreement_show(struct wq_db *db, long id, struct agreement_item *it, struct wq_rows **history, struct wq_err *err)
{
	struct query q;
	struct wq_rows *rows;
	const char *v;

	memset(it, 0, sizeof(*it));
	if (history)
		*history = NULL;
	/* the item is in one of the two queues: each read from just before its id, one row */
	query_init(&q, "SELECT " ITEM_COLS " FROM wq_api.agreements('signing', NULL, NULL, false, ");
	query_param_int(&q, id - 1, "bigint");
	query_add(&q, ", 1) WHERE id = ");
	query_param_int(&q, id, "bigint");
	query_add(&q, " UNION ALL SELECT " ITEM_COLS " FROM wq_api.agreements('registration', NULL, NULL, false, ");
	query_param_int(&q, id - 1, "bigint");
	query_add(&q, ", 1) WHERE id = ");
	query_param_int(&q, id, "bigint");
	rows = agreement_run(db, &q, false, err);
	query_fini(&q);
	if (!rows)
		return false;
	if (rows->nrows != 1) {
		rows_free(rows);
		return wq_err_set(err, WQ_ERR_INPUT, "没有编号为 %ld 的协议，或不在您的范围内", id);
	}
	it->id = id;
	it->kind = dup_or_null(rows_getn(rows, 0, "kind"));
	it->initiator = dup_or_null(rows_getn(rows, 0, "initiator"));
	it->state = dup_or_null(rows_getn(rows, 0, "state"));
	it->state_label = dup_or_null(rows_getn(rows, 0, "state_label"));
	it->review_level = dup_or_null(rows_getn(rows, 0, "review_level"));
	it->level_label = dup_or_null(rows_getn(rows, 0, "level_label"));
	it->version = (v = rows_getn(rows, 0, "version")) ? atoi(v) : 0;
	it->protocol_no = dup_or_null(rows_getn(rows, 0, "protocol_no"));
	it->student_no = dup_or_null(rows_getn(rows, 0, "student_no"));
	it->student_name = dup_or_null(rows_getn(rows, 0, "student_name"));
	it->dept = dup_or_null(rows_getn(rows, 0, "dept"));
	it->employer_code = dup_or_null(rows_getn(rows, 0, "employer_code"));
	it->employer_name = dup_or_null(rows_getn(rows, 0, "employer_name"));
	it->employer_status = dup_or_null(rows_getn(rows, 0, "employer_status"));
	it->updated_at = dup_or_null(rows_getn(rows, 0, "updated_at"));
	split_actions(rows_getn(rows, 0, "actions"), it);
	rows_free(rows);
	if (!history)
		return true;
	query_init(&q, "SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS') AS at, actor_name, actor_kind, action, "
		"from_state, to_state, to_label, category, reason FROM wq_api.agreement_history(");
	query_param_int(&q, id, "bigint");
	query_add(&q, ")");
	*history = agreement_run(db, &q, false, err);
	query_fini(&q);
	if (!*history) {
		agreement_item_fini(it);
		return false;
	}
	return true;
}

/* ---- labels ----------------------------------------------------------------- */

const char *
agreement_kind_label(const char *kind)
{
	if (!kind)
		return "";
	if (strcmp(kind, "online") == 0)
		return "线上签约";
	if (strcmp(kind, "offline") == 0)
		return "线下签约";
	if (strcmp(kind, "registration") == 0)
		return "补登";
	return kind;
}

const char *
agreement_initiator_label(const char *initiator)
{
	if (!initiator)
		return "";
	if (strcmp(initiator, "employer") == 0)
		return "单位";
	if (strcmp(initiator, "student") == 0)
		return "学生";
	return initiator;
}

const char *
agreement_action_label(const char *action)
{
	static const char *const labels[][2] = {
		{ "pass", "通过" }, { "return", "退回修改" }, { "reject", "不通过" },
		{ "accept", "同意签约" }, { "decline", "拒绝签约" }, { "withdraw", "撤回" },
		{ "expire", "失效" }, { "resubmit", "重新提交" }, { "upload", "上传协议书" },
		{ "create", "提交" }, { "attach", "上传附件" },
	};
	size_t i;

	if (!action)
		return "";
	for (i = 0; i < ARRAY_SIZE(labels); i++)
		if (strcmp(action, labels[i][0]) == 0)
			return labels[i][1];
	return action;
}

char *
agreement_verb_text(const char *label, const char *agreement_type)
{
	static const char from[] = "审核", to[] = "鉴证";   /* the same length in UTF-8 */
	char *out, *p;

	out = xstrdup(label ? label : "");
	if (!agreement_type || strcmp(agreement_type, "two_party") != 0)
		return out;
	for (p = out; (p = strstr(p, from)); p += sizeof(from) - 1)
		memcpy(p, to, sizeof(to) - 1);
	return out;
}

/* ---- 下载就业协议书 ---------------------------------------------------------- */

/* The value of label in an agreement_detail result, or "". */
static const char *
detail_value(const struct wq_rows *d, const char *label)
{
	int r;

	for (r = 0; r < d->nrows; r++)
		if (strcmp(rows_get(d, r, 1), label) == 0)
			return rows_get(d, r, 2);
	return "";
}

bool
agreement_pdf_save(struct wq_db *db, long id, const char *agreement_type, const char *path, struct wq_err *err)
{
	char ids[32], **lines = NULL;
	struct wq_rows *item = NULL, *detail = NULL, *history = NULL;
	struct agreement_doc doc;
	bool ok = false;
	int i, n = 0;

	snprintf(ids, sizeof(ids), "%ld", id);
	if (!(item = queue_item(db, QS_AGREEMENT, ids, err)))
		goto done;
	if (item->nrows != 1) {
		wq_err_set(err, WQ_ERR_INPUT, "没有编号为 %ld 的协议，或不在您的范围内", id);
		goto done;
	}
	if (strcmp(rows_getn(item, 0, "pdf"), "t") != 0) {   /* the database says when it exists */
		wq_err_set(err, WQ_ERR_INPUT, "当前状态（%s）还不能下载就业协议书：签约成功后才有（线下签约在就业协议%s通过后）",
			rows_getn(item, 0, "state_label"), agreement_verb(agreement_type));
		goto done;
	}
	if (!(detail = queue_detail(db, ids, err)) || !(history = queue_history(db, ids, err)))
		goto done;
	lines = xcalloc((size_t)history->nrows + 1, sizeof(*lines));
	for (i = 0; i < history->nrows; i++) {
		const char *cat = rows_getn(history, i, "category"), *why = rows_getn(history, i, "reason");
		bool why_given = *cat || *why;

		lines[n++] = xasprintf("%s  %s（%s）：%s → %s%s%s%s%s%s", rows_getn(history, i, "at"),
			rows_getn(history, i, "actor_name"), rows_getn(history, i, "actor_kind"),
			agreement_action_label(rows_getn(history, i, "action")), rows_getn(history, i, "to_label"),
			why_given ? "（" : "", cat, *cat && *why ? "：" : "", why, why_given ? "）" : "");
	}
	memset(&doc, 0, sizeof(doc));
	doc.protocol_no = detail_value(detail, "协议书编号");
	doc.verb = agreement_verb(agreement_type);
	doc.title = "全国普通高等学校毕业生就业协议书";
	doc.name = detail_value(detail, "姓名");
	doc.sex = detail_value(detail, "性别");
	doc.student_no = detail_value(detail, "学号");
	doc.id_number = detail_value(detail, "身份证号");
	doc.school_name = detail_value(detail, "毕业院校");
	doc.dept = detail_value(detail, "院系");
	doc.major = detail_value(detail, "专业");
	doc.level = detail_value(detail, "学历层次");
	doc.training_mode = detail_value(detail, "培养方式");
	doc.mobile = detail_value(detail, "手机号码");
	doc.email = detail_value(detail, "电子邮箱");
	doc.employer_name = detail_value(detail, "单位名称");
	doc.uscc = detail_value(detail, "统一社会信用代码");
	doc.nature = detail_value(detail, "单位性质");
	doc.industry = detail_value(detail, "单位行业");
	doc.location = detail_value(detail, "单位所在地");
	doc.contact_name = detail_value(detail, "联系人");
	doc.position_category = detail_value(detail, "工作职位类别");
	doc.position = detail_value(detail, "岗位名称");
	doc.work_location = detail_value(detail, "工作地点");
	doc.salary = detail_value(detail, "月薪");
	doc.archive_unit = detail_value(detail, "档案接收单位");
	doc.archive_address = detail_value(detail, "档案接收地址");
	doc.hukou_unit = detail_value(detail, "户口迁移单位");
	doc.hukou_address = detail_value(detail, "户口迁移地址");
	doc.handler = detail_value(detail, "就业协议经办人");
	doc.phone = detail_value(detail, "联系电话");
	doc.address = detail_value(detail, "学校通讯地址");
	doc.postcode = detail_value(detail, "邮政编码");
	doc.review_lines = (const char *const *)lines;
	doc.n_review_lines = (size_t)n;
	ok = agreement_pdf_write(&doc, path, err);
done:
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	rows_free(item);
	rows_free(detail);
	rows_free(history);
	return ok;
}

/* ---- attachments ------------------------------------------------------------- */

bool
agreement_file_param(const char *path, char **bytes, char **name, struct wq_err *err)
{
	struct attachment at;

	*bytes = *name = NULL;
	if (!attach_read(path, &at, err))
		return false;
	*bytes = attach_bytea_text(&at);
	*name = attach_base_name(path);
	attach_free(&at);
	return true;
}

bool
agreement_portal_upload(struct wq_db *db, long id, const char *as, const char *path, const char *request_id,
	struct agreement_outcome *out, struct wq_err *err)
{
	char rid[WQ_REQUEST_ID_SIZE], *text, *name;
	struct query q;
	bool ok;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!as || (strcmp(as, "student") != 0 && strcmp(as, "employer") != 0))
		return wq_err_set(err, WQ_ERR_INPUT, "身份应为 student（毕业生）或 employer（用人单位）");
	if (!agreement_file_param(path, &text, &name, err))
		return false;
	if (!request_id) {
		wq_request_id(rid);
		request_id = rid;
	}
	query_init(&q, "SELECT " AGREEMENT_OUTCOME_COLS " FROM wq_api.portal_upload(");
	query_param_int(&q, id, "bigint");
	query_add(&q, ", ");
	query_param(&q, as, "text");
	query_add(&q, ", ");
	query_param(&q, name, "text");
	query_add(&q, ", ");
	query_param(&q, text, "bytea");
	query_add(&q, ", ");
	query_param(&q, request_id, "uuid");
	query_add(&q, ") r");
	ok = agreement_run_outcome(db, &q, out, err);
	query_fini(&q);
	free(text);
	free(name);
	return ok;
}

struct wq_rows *
agreement_attachments(struct wq_db *db, long id, struct wq_err *err)
{
	struct query q;
	struct wq_rows *r;

	query_init(&q, "SELECT id, role_label, file_name, mime, size, sha256, "
		"to_char(uploaded_at, 'YYYY-MM-DD HH24:MI') AS uploaded_at, uploaded_by FROM wq_api.agreement_attachments(");
	query_param_int(&q, id, "bigint");
	query_add(&q, ")");
	r = query_run(db, &q, err);
	query_fini(&q);
	return r;
}

bool
agreement_attachment_read(struct wq_db *db, long attachment, unsigned char **data, size_t *n, struct wq_err *err)
{
	char ids[32];
	const char *params[1] = { ids };
	struct wq_rows *r;
	const char *h;
	size_t i, len;

	*data = NULL;
	*n = 0;
	snprintf(ids, sizeof(ids), "%ld", attachment);
	/* the bytes as hex, decoded here */
	r = db_query(db, "SELECT encode(wq_api.attachment_data($1::bigint), 'hex')", 1, params, err);
	if (!r)
		return false;
	if (r->nrows != 1 || !(h = rows_get(r, 0, 0))) {
		rows_free(r);
		return wq_err_set(err, WQ_ERR_INPUT, "没有编号为 %ld 的附件", attachment);
	}
	len = strlen(h) / 2;
	*data = xmalloc(len ? len : 1);
	for (i = 0; i < len; i++) {
		unsigned int b;

		sscanf(h + 2 * i, "%2x", &b);
		(*data)[i] = (unsigned char)b;
	}
	*n = len;
	rows_free(r);
	return true;
}

bool
agreement_attachment_save(struct wq_db *db, long attachment, const char *path, struct wq_err *err)
{
	unsigned char *data;
	size_t n;
	FILE *f;
	bool ok;

	if (!agreement_attachment_read(db, attachment, &data, &n, err))
		return false;
	if (!(f = fopen(path, "wb"))) {
		free(data);
		return wq_err_set(err, WQ_ERR_IO, "无法写入 %s：%s", path, wq_errno_text(errno));
	}
	ok = fwrite(data, 1, n, f) == n;
	ok = fclose(f) == 0 && ok;
	free(data);
	if (!ok)
		return wq_err_set(err, WQ_ERR_IO, "无法写入 %s：%s", path, wq_errno_text(errno));
	return true;
}
