/*
 * cli_agreement.c: wq portal ... (graduates' and employers' actions, for a
 * portal account) and wq review ... (the school's and the departments'
 * reviews).  A portal command prints what happened, then the item's id alone
 * on the last line of standard output; a refusal goes to standard error with
 * a non-zero status.  Everything from the database is printed through
 * str_visible.
 */
#include "cli_agreement.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agreement.h"
#include "cli_termination.h"
#include "destination.h"
#include "me.h"
#include "str.h"
#include "table.h"
#include "termination.h"
#include "util.h"

/* ---- the portal ------------------------------------------------------------- */

static void
read_job(struct args *a, struct agreement_job *job)
{
	memset(job, 0, sizeof(*job));
	job->position = arg_value(a, "--position");
	job->work_location = arg_value(a, "--work-location");
	job->salary = arg_value(a, "--salary");
	job->job_category = arg_value(a, "--job-category");
	job->archive_unit = arg_value(a, "--archive-unit");
	job->archive_address = arg_value(a, "--archive-address");
	job->archive_postcode = arg_value(a, "--archive-postcode");
	job->hukou_unit = arg_value(a, "--hukou-unit");
	job->hukou_address = arg_value(a, "--hukou-address");
}

/* The registration's code and fields (--code, --employer, --unit-name ...). */
static void
read_destination(struct args *a, struct destination_input *in)
{
	int i;

	memset(in, 0, sizeof(*in));
	in->code = arg_value(a, "--code");
	for (i = 0; i < DF_COUNT; i++)
		in->field[i] = arg_value(a, destination_fields[i].option);
}

static bool
read_party(struct args *a, struct agreement_party *p, struct wq_err *err)
{
	return (p->school = required(a, "--school", err)) && (p->student_no = required(a, "--student", err))
	    && (p->employer = required(a, "--employer", err));
}

/* Prints the outcome's state (and level) and then the id alone. */
static void
print_outcome(const char *what, const struct agreement_outcome *o)
{
	char *label = str_visible(o->label), *level = o->level_label ? str_visible(o->level_label) : NULL;

	printf("%s：%s%s%s%s\n", what, label, level ? "（" : "", level ? level : "", level ? "）" : "");
	if (o->replayed)
		printf("（重复的请求：这是第一次的结果，没有再次执行）\n");
	printf("%ld\n", o->id);
	free(label);
	free(level);
}

static int
portal_act(struct args *a, struct wq_db *db, const char *action, const char *as, bool changes,
	struct wq_err *err)
{
	const char *ids = arg_next(a);
	struct agreement_job job;
	struct agreement_outcome o;
	long id;
	bool ok;

	struct destination_input dest;
	const char *file = NULL;

	if (!ids)
		return wq_err_set(err, WQ_ERR_USAGE, "缺少编号（见 wq --help）"), -1;
	if (changes) {
		/* an agreement's job fields, or a registration's code, fields and proof */
		read_job(a, &job);
		read_destination(a, &dest);
		file = arg_value(a, "--file");
	}
	if (!args_done(a, err) || !agreement_parse_id(ids, &id, err))
		return -1;
	if (changes && (destination_input_given(&dest) || file))
		ok = destination_resubmit(db, id, &dest, file, NULL, &o, err);
	else   /* with nothing to change the server routes a registration's resubmission too */
		ok = agreement_portal_act(db, id, action, as, changes ? &job : NULL, NULL, &o, err);
	if (!ok) {
		agreement_outcome_fini(&o);
		return -1;
	}
	print_outcome(agreement_action_label(action), &o);
	agreement_outcome_fini(&o);
	return 0;
}

static int
portal_new(struct args *a, struct wq_db *db, const char *kind, struct wq_err *err)
{
	struct agreement_party p;
	struct agreement_job job;
	const char *days = NULL, *file = NULL;
	int valid_days = 0;
	long id;
	bool ok;

	if (!read_party(a, &p, err))
		return -1;
	read_job(a, &job);
	if (strcmp(kind, "invite") == 0)
		days = arg_value(a, "--valid-days");
	else if (strcmp(kind, "register") == 0 && !(file = arg_value(a, "--file")))
		return wq_err_set(err, WQ_ERR_USAGE,
			"补登需要 --file：已签的就业协议书（JPEG、PNG 或 PDF，不超过 10 MiB）"), -1;
	if (!args_done(a, err) || (days && !agreement_parse_valid_days(days, &valid_days, err)))
		return -1;
	if (strcmp(kind, "invite") == 0) {
		ok = agreement_invite(db, &p, &job, valid_days, &id, err);
	} else if (strcmp(kind, "apply-offline") == 0) {
		ok = agreement_offline_apply(db, &p, &job, &id, err);
	} else {
		/* the 补登 and its paper agreement together, or neither */
		ok = db_exec(db, "BEGIN", 0, NULL, err)
			&& agreement_registration_submit(db, &p, &job, &id, err)
			&& agreement_portal_upload(db, id, "student", file, NULL, NULL, err)
			&& db_exec(db, "COMMIT", 0, NULL, err);
		if (!ok) {
			struct wq_err ignored;

			wq_err_clear(&ignored);
			db_exec(db, "ROLLBACK", 0, NULL, &ignored);
		}
	}
	if (!ok)
		return -1;
	if (strcmp(kind, "invite") == 0)
		printf("已发出签约邀请：单位发起签约，等待学生应约（有效 %d 天）\n", valid_days ? valid_days : 30);
	else if (strcmp(kind, "apply-offline") == 0)
		printf("已提交线下签约申请：就业协议审核中\n");
	else
		printf("已提交补登（已签就业协议登记信息）：签约审核中\n");
	printf("%ld\n", id);
	return 0;
}

/* wq portal student destination --school CODE --student 学号 --code CODE [fields] [--file FILE] */
static int
portal_destination(struct args *a, struct wq_db *db, struct wq_err *err)
{
	struct destination_input in;
	const char *school, *student, *file;
	long id;

	if (!(school = required(a, "--school", err)) || !(student = required(a, "--student", err)))
		return -1;
	read_destination(a, &in);
	file = arg_value(a, "--file");
	if (!args_done(a, err) || !destination_submit(db, school, student, &in, file, &id, err))
		return -1;
	printf("已提交去向登记：去向登记审核中\n%ld\n", id);
	return 0;
}

static int
portal_employer_add(struct args *a, struct wq_db *db, struct wq_err *err)
{
	struct agreement_employer e = { 0 };
	char *name;

	if (!(e.credit_code = arg_next(a)))
		return wq_err_set(err, WQ_ERR_USAGE, "用法: wq portal employer add 统一社会信用代码 --name 单位名称 ..."), -1;
	if (!(e.name = required(a, "--name", err)))
		return -1;
	e.nature = arg_value(a, "--nature");
	e.industry = arg_value(a, "--industry");
	e.location = arg_value(a, "--location");
	e.status = arg_value(a, "--status");
	e.contact_name = arg_value(a, "--contact");
	e.contact_phone = arg_value(a, "--phone");
	if (!args_done(a, err) || !agreement_employer_add(db, &e, err))
		return -1;
	name = str_visible(e.name);
	printf("已保存用人单位：%s\n%s\n", name, e.credit_code);
	free(name);
	return 0;
}

static const char portal_usage[] =
	"用法: wq portal employer add|withdraw|terminate|answer-termination ... | invite ... "
	"| student accept|decline|apply-offline|resubmit|register|destination|terminate|answer-termination ... "
	"| upload ID FILE | expire（见 wq --help）";

int
cli_portal_agreement(struct args *a, struct wq_db *db, struct wq_err *err)
{
	const char *what = arg_next(a), *verb;

	if (!what)
		return wq_err_set(err, WQ_ERR_USAGE, "%s", portal_usage), -1;
	if (strcmp(what, "invite") == 0)
		return portal_new(a, db, "invite", err);
	if (strcmp(what, "upload") == 0) {
		/* wq portal upload ID FILE [--as student|employer]: the stamped (or paper) agreement */
		const char *as = arg_value(a, "--as"), *ids = arg_next(a), *file = arg_next(a);
		struct agreement_outcome o;
		long id;

		if (as && strcmp(as, "student") != 0 && strcmp(as, "employer") != 0)
			return wq_err_set(err, WQ_ERR_USAGE, "--as 应为 student 或 employer"), -1;
		if (!ids || !file)
			return wq_err_set(err, WQ_ERR_USAGE, "用法: wq portal upload ID FILE [--as student|employer]"), -1;
		if (!args_done(a, err) || !agreement_parse_id(ids, &id, err)
		    || !agreement_portal_upload(db, id, as ? as : "student", file, NULL, &o, err))
			return -1;
		printf("已上传 %s：%s\n%ld\n", file, o.label ? o.label : "", id);
		agreement_outcome_fini(&o);
		return 0;
	}
	if (strcmp(what, "expire") == 0) {
		int n;

		if (!args_done(a, err) || !agreement_invitations_expire(db, &n, err))
			return -1;
		printf("已将 %d 个过期的签约邀请标为签约邀请已失效\n%d\n", n, n);
		return 0;
	}
	verb = arg_next(a);
	if (!verb)
		return wq_err_set(err, WQ_ERR_USAGE, "%s", portal_usage), -1;
	if ((strcmp(what, "employer") == 0 || strcmp(what, "student") == 0)
	    && (strcmp(verb, "terminate") == 0 || strcmp(verb, "answer-termination") == 0))
		return cli_portal_termination(a, db, what, verb, err);
	if (strcmp(what, "employer") == 0) {
		if (strcmp(verb, "add") == 0)
			return portal_employer_add(a, db, err);
		if (strcmp(verb, "withdraw") == 0)
			return portal_act(a, db, "withdraw", "employer", false, err);
	} else if (strcmp(what, "student") == 0) {
		if (strcmp(verb, "accept") == 0 || strcmp(verb, "decline") == 0)
			return portal_act(a, db, verb, "student", false, err);
		if (strcmp(verb, "resubmit") == 0)
			return portal_act(a, db, "resubmit", "student", true, err);
		if (strcmp(verb, "apply-offline") == 0 || strcmp(verb, "register") == 0)
			return portal_new(a, db, verb, err);
		if (strcmp(verb, "destination") == 0)
			return portal_destination(a, db, err);
	}
	return wq_err_set(err, WQ_ERR_USAGE, "未知命令 wq portal %s %s（见 wq --help）", what, verb), -1;
}

/* ---- the reviews ------------------------------------------------------------ */

/* label with the province's verb (鉴证 under 两方协议); one of a few rotating buffers. */
static const char *
verb_of(const char *type, const char *label)
{
	static char bufs[8][512];
	static int next;
	char *s = agreement_verb_text(label, type);
	char *buf = bufs[next++ % 8];

	snprintf(buf, sizeof(bufs[0]), "%s", s);
	free(s);
	return buf;
}

/* The caller's agreement type (two_party | three_party), owned. */
static char *
load_type(struct wq_db *db, struct wq_err *err)
{
	struct me me = { 0 };
	char *type;

	if (!me_load(db, &me, err))
		return NULL;
	type = xstrdup(me.agreement_type ? me.agreement_type : "three_party");
	me_fini(&me);
	return type;
}

static void
tsv_cell(const char *v, bool last)
{
	table_tsv_cell(stdout, v, last);
}

/* Comma-separated actions as labels: "通过、退回修改、不通过". */
static void
actions_text(const char *acts, char *out, size_t size)
{
	const char *p = acts;

	out[0] = '\0';
	while (p && *p) {
		const char *comma = strchr(p, ',');
		char one[32];

		snprintf(one, sizeof(one), "%.*s", (int)(comma ? (size_t)(comma - p) : strlen(p)), p);
		snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? "、" : "", agreement_action_label(one));
		p = comma ? comma + 1 : NULL;
	}
}

/* The head row of a listing. */
static void
tsv_head(const char *const *head, size_t n)
{
	size_t c;

	for (c = 0; c < n; c++)
		tsv_cell(head[c], c + 1 == n);
}

/* wq review list --queue destination: the registrations (去向登记). */
static int
review_list_destinations(struct args *a, struct wq_db *db, struct wq_err *err)
{
	const char *state = arg_value(a, "--status");
	bool waiting = arg_flag(a, "--waiting");
	struct wq_rows *rows;
	char *type;
	int r;

	if (arg_value(a, "--initiator"))
		return wq_err_set(err, WQ_ERR_USAGE, "去向登记没有签约发起方（--initiator）"), -1;
	if (!args_done(a, err) || !(type = load_type(db, err)))
		return -1;
	if (!(rows = destination_list(db, state, waiting, 0, 10000, err))) {
		free(type);
		return -1;
	}
	{
		const char *head[] = { "ID", "状态", verb_of(type, "审核层级"), "版本", "学号", "姓名", "院系",
			"毕业去向代码", "毕业去向", "来源", "更新时间", "可执行操作" };

		tsv_head(head, ARRAY_SIZE(head));
	}
	for (r = 0; r < rows->nrows; r++) {
		const char *level = rows_getn(rows, r, "level_label");
		char actions[256];

		actions_text(rows_getn(rows, r, "actions"), actions, sizeof(actions));
		tsv_cell(rows_getn(rows, r, "id"), false);
		tsv_cell(verb_of(type, rows_getn(rows, r, "state_label")), false);
		tsv_cell(level ? verb_of(type, level) : "", false);
		tsv_cell(rows_getn(rows, r, "version"), false);
		tsv_cell(rows_getn(rows, r, "student_no"), false);
		tsv_cell(rows_getn(rows, r, "student_name"), false);
		tsv_cell(rows_getn(rows, r, "dept"), false);
		tsv_cell(rows_getn(rows, r, "code"), false);
		tsv_cell(rows_getn(rows, r, "what"), false);
		tsv_cell(strcmp(rows_getn(rows, r, "source"), "school") == 0 ? "学校修改" : "学生登记", false);
		tsv_cell(rows_getn(rows, r, "updated_at"), false);
		tsv_cell(actions, true);
	}
	rows_free(rows);
	free(type);
	return 0;
}

static int
review_list(struct args *a, struct wq_db *db, struct wq_err *err)
{
	struct agreement_filter f = { 0 };
	struct wq_rows *rows;
	char *type;
	int r;

	f.queue = arg_value(a, "--queue");
	if (f.queue && strcmp(f.queue, "destination") == 0)
		return review_list_destinations(a, db, err);
	f.state = arg_value(a, "--status");
	f.initiator = arg_value(a, "--initiator");
	f.waiting = arg_flag(a, "--waiting");
	f.limit = 10000;
	if (!args_done(a, err))
		return -1;
	if (f.queue && strcmp(f.queue, "termination") == 0)
		return cli_termination_list(db, f.state, f.waiting, err);
	if (!(type = load_type(db, err)))
		return -1;
	if (!(rows = agreement_list(db, &f, err))) {
		free(type);
		return -1;
	}
	{
		const char *head[] = { "ID", "类型", "发起方", "状态", verb_of(type, "审核层级"), "版本", "学号", "姓名",
			"院系", "单位名称", "统一社会信用代码", "经营状态", "更新时间", "可执行操作" };

		tsv_head(head, ARRAY_SIZE(head));
	}
	for (r = 0; r < rows->nrows; r++) {
		char actions[256];

		actions_text(rows_getn(rows, r, "actions"), actions, sizeof(actions));
		tsv_cell(rows_getn(rows, r, "id"), false);
		tsv_cell(agreement_kind_label(rows_getn(rows, r, "kind")), false);
		tsv_cell(agreement_initiator_label(rows_getn(rows, r, "initiator")), false);
		tsv_cell(verb_of(type, rows_getn(rows, r, "state_label")), false);
		tsv_cell(rows_getn(rows, r, "level_label") ? verb_of(type, rows_getn(rows, r, "level_label")) : "", false);
		tsv_cell(rows_getn(rows, r, "version"), false);
		tsv_cell(rows_getn(rows, r, "student_no"), false);
		tsv_cell(rows_getn(rows, r, "student_name"), false);
		tsv_cell(rows_getn(rows, r, "dept"), false);
		tsv_cell(rows_getn(rows, r, "employer_name"), false);
		tsv_cell(rows_getn(rows, r, "employer_code"), false);
		tsv_cell(rows_getn(rows, r, "employer_status"), false);
		tsv_cell(rows_getn(rows, r, "updated_at"), false);
		tsv_cell(actions, true);
	}
	rows_free(rows);
	free(type);
	return 0;
}

/* An item's history (agreement_show's or destination_show's rows) as a table. */
static void
print_history(const char *type, const struct wq_rows *hist)
{
	struct table t;
	int r;

	printf("%s\n", verb_of(type, "审核记录"));
	table_init(&t, 5);
	table_addv(&t, "  时间", "操作人", "操作", "操作后状态", "原因");
	for (r = 0; r < hist->nrows; r++) {
		const char *cat = rows_getn(hist, r, "category"), *why = rows_getn(hist, r, "reason");
		const char *name = rows_getn(hist, r, "actor_name"), *kind = rows_getn(hist, r, "actor_kind");
		/* a portal account has no name: its kind alone */
		char *who = str_empty(name) ? xstrdup(kind ? kind : "") : xasprintf("%s（%s）", name, kind ? kind : "");
		char *reason = xasprintf("%s%s%s", cat ? cat : "", cat && why ? "：" : "", why ? why : "");
		char *at = xasprintf("  %s", rows_getn(hist, r, "at"));

		table_addv(&t, at, who, agreement_action_label(rows_getn(hist, r, "action")),
			verb_of(type, rows_getn(hist, r, "to_label")), reason);
		free(at);
		free(who);
		free(reason);
	}
	table_print(&t, stdout);
	table_fini(&t);
}

/* The actions the caller may take now, with their commands. */
static void
print_actions(long id, const char *acts)
{
	const char *p = acts;
	bool any = false;

	printf("可执行的操作：");
	while (p && *p) {
		const char *comma = strchr(p, ',');
		char one[32];

		snprintf(one, sizeof(one), "%.*s", (int)(comma ? (size_t)(comma - p) : strlen(p)), p);
		printf("%s%s（wq review %s %ld）", any ? "、" : "", agreement_action_label(one), one, id);
		any = true;
		p = comma ? comma + 1 : NULL;
	}
	printf("%s\n", any ? "" : "无");
}

/* wq review show ID for a registration (去向登记). */
static int
review_show_destination(struct wq_db *db, long id, const char *type, struct wq_err *err)
{
	struct wq_rows *item, *hist;
	struct table t;
	const char *level;

	if (!destination_show(db, id, &item, &hist, err))
		return -1;
	level = rows_getn(item, 0, "level_label");
	table_init(&t, 2);
	table_addv(&t, "去向登记", NULL);
	table_addv(&t, "  编号", rows_getn(item, 0, "id"));
	table_addv(&t, "  毕业去向代码", rows_getn(item, 0, "code"));
	table_addv(&t, "  毕业去向", rows_getn(item, 0, "what"));
	table_addv(&t, "  来源", strcmp(rows_getn(item, 0, "source"), "school") == 0 ? "学校修改" : "学生登记");
	table_addv(&t, "  状态", verb_of(type, rows_getn(item, 0, "state_label")));
	if (level)
		table_addv(&t, verb_of(type, "  审核层级"), verb_of(type, level));
	table_addv(&t, "  版本", rows_getn(item, 0, "version"));
	table_addv(&t, "  更新时间", rows_getn(item, 0, "updated_at"));
	table_addv(&t, "学生信息", NULL);
	table_addv(&t, "  学号", rows_getn(item, 0, "student_no"));
	table_addv(&t, "  姓名", rows_getn(item, 0, "student_name"));
	table_addv(&t, "  院系", rows_getn(item, 0, "dept"));
	table_print(&t, stdout);
	table_fini(&t);
	print_actions(id, rows_getn(item, 0, "actions"));
	print_history(type, hist);
	rows_free(hist);
	rows_free(item);
	return 0;
}

/* Not an agreement in the caller's scope (agreement_show's own refusal, not the server's). */
static bool
not_an_agreement(const struct wq_err *err)
{
	return err->code == WQ_ERR_INPUT && !err->sqlstate[0];
}

static int
review_show(struct args *a, struct wq_db *db, struct wq_err *err)
{
	const char *ids = arg_next(a);
	struct agreement_item it;
	struct wq_rows *hist;
	struct table t;
	char *type, idtext[24], ver[16];
	long id;
	int i, r;

	if (!ids)
		return wq_err_set(err, WQ_ERR_USAGE, "用法: wq review show ID"), -1;
	if (!args_done(a, err) || !agreement_parse_id(ids, &id, err) || !(type = load_type(db, err)))
		return -1;
	if (!agreement_show(db, id, &it, &hist, err)) {
		/* a registration's or a termination's id: the items share one sequence */
		if (not_an_agreement(err)) {
			struct wq_rows *trow;

			wq_err_clear(err);
			r = review_show_destination(db, id, type, err);
			if (r < 0 && not_an_agreement(err)) {
				wq_err_clear(err);
				if ((trow = termination_get(db, id, err))) {
					r = cli_termination_show(db, trow, err);
					rows_free(trow);
				} else if (not_an_agreement(err)) {
					wq_err_set(err, WQ_ERR_INPUT, "没有编号为 %ld 的协议、去向登记或解约申请，或不在您的范围内", id);
				}
			}
			free(type);
			return r;
		}
		free(type);
		return -1;
	}
	snprintf(idtext, sizeof(idtext), "%ld", it.id);
	snprintf(ver, sizeof(ver), "%d", it.version);
	table_init(&t, 2);
	table_addv(&t, "协议信息", NULL);
	table_addv(&t, "  编号", idtext);
	table_addv(&t, "  协议书编号", it.protocol_no);
	table_addv(&t, "  签约方式", agreement_kind_label(it.kind));
	table_addv(&t, "  签约发起方", agreement_initiator_label(it.initiator));
	table_addv(&t, "  状态", verb_of(type, it.state_label));
	if (it.level_label)
		table_addv(&t, verb_of(type, "  审核层级"), verb_of(type, it.level_label));
	table_addv(&t, "  版本", ver);
	table_addv(&t, "  更新时间", it.updated_at);
	table_addv(&t, "单位信息", NULL);
	table_addv(&t, "  单位名称", it.employer_name);
	table_addv(&t, "  统一社会信用代码", it.employer_code);
	table_addv(&t, "  经营状态", it.employer_status);
	table_addv(&t, "学生信息", NULL);
	table_addv(&t, "  学号", it.student_no);
	table_addv(&t, "  姓名", it.student_name);
	table_addv(&t, "  院系", it.dept);
	table_print(&t, stdout);
	table_fini(&t);

	printf("可执行的操作：");
	for (i = 0; i < it.nactions; i++)
		printf("%s%s（wq review %s %ld）", i ? "、" : "", agreement_action_label(it.actions[i]), it.actions[i], it.id);
	printf("%s\n", it.nactions ? "" : "无");
	print_history(type, hist);
	rows_free(hist);
	agreement_item_fini(&it);
	free(type);
	return 0;
}

/*
 * Item id's kind and version as the caller sees them now, an agreement's, a
 * registration's or a termination's (only it->kind and it->version are
 * filled for the last two).
 */
static bool
item_seen(struct wq_db *db, long id, struct agreement_item *it, struct wq_err *err)
{
	struct wq_rows *row;

	if (agreement_show(db, id, it, NULL, err))
		return true;
	if (!not_an_agreement(err))
		return false;
	wq_err_clear(err);
	if (destination_show(db, id, &row, NULL, err)) {
		it->kind = xstrdup("destination");
	} else {
		if (!not_an_agreement(err))
			return false;
		wq_err_clear(err);
		if (!(row = termination_get(db, id, err))) {
			if (not_an_agreement(err))
				wq_err_set(err, WQ_ERR_INPUT, "没有编号为 %ld 的协议、去向登记或解约申请，或不在您的范围内", id);
			return false;
		}
		it->kind = xstrdup(rows_getn(row, 0, "kind"));
	}
	it->id = id;
	it->version = atoi(rows_getn(row, 0, "version"));
	rows_free(row);
	return true;
}

static int
review_decide(struct args *a, struct wq_db *db, const char *action, struct wq_err *err)
{
	const char *ids = arg_next(a);
	const char *cat = arg_value(a, "--category"), *reason = arg_value(a, "--reason");
	const char *vers = arg_value(a, "--version");
	bool pass = strcmp(action, "pass") == 0;
	char rid[WQ_REQUEST_ID_SIZE], *code = NULL, *type = NULL;
	struct agreement_item it = { 0 };
	struct agreement_outcome o = { 0 };
	bool termination;
	int version = 0, rc = -1;
	long id;

	if (!ids)
		return wq_err_set(err, WQ_ERR_USAGE, "用法: wq review %s ID [--category 类别] [--reason 具体问题] [--version N]",
			action), -1;
	if (!args_done(a, err) || !agreement_parse_id(ids, &id, err)
	    || (vers && !agreement_parse_version(vers, &version, err)))
		return -1;
	/* 退回修改 and 不通过 need both, before anything is sent */
	if (!pass && str_empty(cat))
		return wq_err_set(err, WQ_ERR_INPUT, "%s需要原因类别：--category 类别（代码或名称）",
			agreement_action_label(action)), -1;
	if (!pass && (str_empty(reason) || strspn(reason, " \t\n") == strlen(reason)))
		return wq_err_set(err, WQ_ERR_INPUT, "%s需要填写具体问题：--reason 具体问题", agreement_action_label(action)), -1;
	if (!(type = load_type(db, err)))
		return -1;
	/* the version the user saw: given, or read now as review show does; the kind for a category */
	if ((!vers || cat) && !item_seen(db, id, &it, err))
		goto out;
	if (!vers)
		version = it.version;
	termination = it.kind && strncmp(it.kind, "term_", 5) == 0;
	if (!pass && !agreement_reason_code(db, it.kind, cat, &code, err))
		goto out;
	/* a termination's 通过 that approves it carries the 解约原因 (--category) */
	if (pass && termination && cat && !agreement_reason_code(db, "term_cause", cat, &code, err))
		goto out;
	wq_request_id(rid);   /* one per decision: a retry sends the same */
	if (!agreement_decide(db, id, action, version, rid, code, pass ? NULL : reason, &o, err))
		goto out;
	{
		char *label = str_visible(verb_of(type, o.label));
		char *level = o.level_label ? str_visible(verb_of(type, o.level_label)) : NULL;

		if (o.replayed)
			fprintf(stderr, "（重复的请求：这是第一次的结果）\n");
		printf("%s%s%s%s\n", label, level ? "（" : "", level ? level : "", level ? "）" : "");
		free(label);
		free(level);
	}
	rc = 0;
out:
	agreement_outcome_fini(&o);
	agreement_item_fini(&it);
	free(code);
	free(type);
	return rc;
}

int
cli_review(struct args *a, struct wq_db *db, struct wq_err *err)
{
	const char *sub = arg_next(a);

	if (sub && strcmp(sub, "list") == 0)
		return review_list(a, db, err);
	if (sub && strcmp(sub, "show") == 0)
		return review_show(a, db, err);
	if (sub && (strcmp(sub, "pass") == 0 || strcmp(sub, "return") == 0 || strcmp(sub, "reject") == 0))
		return review_decide(a, db, sub, err);
	return wq_err_set(err, WQ_ERR_USAGE, "用法: wq review list|show|pass|return|reject ...（见 wq --help）"), -1;
}

/* wq destination change 学号 --code CODE [fields] --agreed-with-student: 修改去向 (school users). */
int
cli_destination(struct args *a, struct wq_db *db, struct wq_err *err)
{
	const char *sub = arg_next(a), *student = sub && strcmp(sub, "change") == 0 ? arg_next(a) : NULL;
	struct destination_input in;
	bool agreed;
	long id;

	if (!student)
		return wq_err_set(err, WQ_ERR_USAGE,
			"用法: wq destination change 学号 --code CODE [去向字段] --agreed-with-student"), -1;
	read_destination(a, &in);
	agreed = arg_flag(a, "--agreed-with-student");
	if (!args_done(a, err) || !destination_change(db, student, &in, agreed, NULL, &id, err))
		return -1;
	printf("已修改毕业去向（已与毕业生协商一致）：去向登记审核通过\n%ld\n", id);
	return 0;
}

/* wq agreement pdf ID -o FILE: 下载就业协议书 ("-" writes to standard output). */
int
cli_agreement(struct args *a, struct wq_db *db, struct wq_err *err)
{
	const char *sub = arg_next(a), *ids = sub && strcmp(sub, "pdf") == 0 ? arg_next(a) : NULL;
	const char *path = arg_value(a, "-o");
	char *type;
	long id;
	bool ok;

	if (!path)
		path = arg_value(a, "--output");
	if (!ids || !path || !args_done(a, err)) {
		if (err->code == WQ_ERR_OK)
			wq_err_set(err, WQ_ERR_USAGE, "用法: wq agreement pdf ID -o FILE（FILE 为 - 时写到标准输出）");
		return -1;
	}
	if (!agreement_parse_id(ids, &id, err) || !(type = load_type(db, err)))
		return -1;
	if (strcmp(path, "-") == 0) {
		/* through a temporary file, then copied out */
		char *tmp = tmpdir_path("wq-agreement-XXXXXX.pdf");
		int fd = mkstemps(tmp, 4);
		FILE *f;
		char buf[65536];
		size_t n;

		if (fd < 0) {
			free(tmp);
			free(type);
			return wq_err_set(err, WQ_ERR_IO, "无法创建临时文件：%s", wq_errno_text(errno)), -1;
		}
		close(fd);
		ok = agreement_pdf_save(db, id, type, tmp, err);
		if (ok && (f = fopen(tmp, "rb"))) {
			while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
				fwrite(buf, 1, n, stdout);
			fclose(f);
		}
		unlink(tmp);
		free(tmp);
	} else {
		ok = agreement_pdf_save(db, id, type, path, err);
		if (ok)
			printf("已写入就业协议书：%s\n", path);
	}
	free(type);
	return ok ? 0 : -1;
}
