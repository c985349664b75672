/*
 * cli_termination.c: 解约 on the command line (cli_termination.h):
 *   wq portal student|employer terminate ID [--reason TEXT] [--file FILE]
 *   wq portal student|employer answer-termination ID --agree|--refuse
 *   wq termination force ID --note TEXT [--file FILE]     (school users)
 *   wq review list --queue termination [--status S] [--waiting], and
 *   wq review show ID for a termination.
 * A portal command prints what happened, then the id alone on the last line.
 */
#include "cli_termination.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement.h"
#include "str.h"
#include "table.h"
#include "termination.h"
#include "util.h"

static void
print_state(const char *what, const struct agreement_outcome *o)
{
	char *label = str_visible(o->label ? o->label : "");

	printf("%s：%s\n", what, label);
	if (o->replayed)
		printf("（重复的请求：这是第一次的结果，没有再次执行）\n");
	printf("%ld\n", o->id);
	free(label);
}

int
cli_portal_termination(struct args *a, struct wq_db *db, const char *who, const char *verb, struct wq_err *err)
{
	const char *ids = arg_next(a);
	struct agreement_outcome o;
	long id, tid;

	if (!ids)
		return wq_err_set(err, WQ_ERR_USAGE, "用法: wq portal %s %s ID ...（见 wq --help）", who, verb), -1;
	if (strcmp(verb, "terminate") == 0) {
		const char *reason = arg_value(a, "--reason"), *file = arg_value(a, "--file");

		if (!args_done(a, err) || !agreement_parse_id(ids, &id, err)
		    || !termination_start(db, id, who, reason, file, &tid, err))
			return -1;
		printf("已提交解约申请（协议 %ld）\n%ld\n", id, tid);
		return 0;
	}
	{
		bool agree = arg_flag(a, "--agree"), refuse = arg_flag(a, "--refuse");

		if (agree == refuse)
			return wq_err_set(err, WQ_ERR_USAGE, "须给出 --agree（同意解约）或 --refuse（不同意）之一"), -1;
		if (!args_done(a, err) || !agreement_parse_id(ids, &id, err)
		    || !termination_answer(db, id, who, agree, &o, err))
			return -1;
		print_state(agree ? "已同意解约" : "已拒绝解约", &o);
		agreement_outcome_fini(&o);
		return 0;
	}
}

int
cli_termination(struct args *a, struct wq_db *db, struct wq_err *err)
{
	const char *sub = arg_next(a), *ids = sub ? arg_next(a) : NULL;
	const char *note = arg_value(a, "--note"), *file = arg_value(a, "--file");
	struct agreement_outcome o;
	long id;

	if (!sub || strcmp(sub, "force") != 0 || !ids)
		return wq_err_set(err, WQ_ERR_USAGE, "用法: wq termination force ID --note 说明 [--file 证明材料]"), -1;
	if (!args_done(a, err) || !agreement_parse_id(ids, &id, err) || !termination_force(db, id, note, file, &o, err))
		return -1;
	fprintf(stderr, "注意：强制解约请谨慎使用，使用前应与单位协商一致并留存相关材料。\n");
	print_state("已强制解约", &o);
	agreement_outcome_fini(&o);
	return 0;
}

static void
cell(const char *v, bool last)
{
	table_tsv_cell(stdout, v, last);
}

int
cli_termination_list(struct wq_db *db, const char *state, bool waiting, struct wq_err *err)
{
	static const char *const head[] = { "ID", "类型", "状态", "版本", "协议编号", "发起方", "学号", "姓名", "院系",
		"单位名称", "经营状态", "解约原因", "更新时间", "可执行操作" };
	struct wq_rows *rows = termination_list(db, state, waiting, 0, 10000, err);
	size_t c;
	int r;

	if (!rows)
		return -1;
	for (c = 0; c < ARRAY_SIZE(head); c++)
		cell(head[c], c + 1 == ARRAY_SIZE(head));
	for (r = 0; r < rows->nrows; r++) {
		const char *kind = rows_getn(rows, r, "kind"), *init = rows_getn(rows, r, "initiator");

		cell(rows_getn(rows, r, "id"), false);
		cell(strcmp(kind, "term_online") == 0 ? "线上解约" : "线下解约", false);
		cell(rows_getn(rows, r, "state_label"), false);
		cell(rows_getn(rows, r, "version"), false);
		cell(rows_getn(rows, r, "protocol_no"), false);
		cell(strcmp(init, "student") == 0 ? "学生" : "单位", false);
		cell(rows_getn(rows, r, "student_no"), false);
		cell(rows_getn(rows, r, "student_name"), false);
		cell(rows_getn(rows, r, "dept"), false);
		cell(rows_getn(rows, r, "employer_name"), false);
		cell(rows_getn(rows, r, "employer_status"), false);
		cell(rows_getn(rows, r, "cause_label"), false);
		cell(rows_getn(rows, r, "updated_at"), false);
		cell(rows_getn(rows, r, "actions"), true);
	}
	rows_free(rows);
	return 0;
}

int
cli_termination_show(struct wq_db *db, const struct wq_rows *row, struct wq_err *err)
{
	static const struct { const char *col, *label; } fields[] = {
		{ "id", "编号" }, { "state_label", "状态" }, { "level_label", "审核层级" }, { "version", "版本" },
		{ "protocol_no", "协议书编号" }, { "student_no", "学号" }, { "student_name", "姓名" }, { "dept", "院系" },
		{ "employer_name", "单位名称" }, { "employer_status", "经营状态" }, { "apply_reason", "解约理由" },
		{ "cause_label", "解约原因" }, { "force_note", "强制解约说明" }, { "updated_at", "更新时间" },
	};
	struct table t;
	struct wq_rows *hist;
	char idq[64];
	const char *params[1] = { idq };
	size_t i;
	int r;

	table_init(&t, 2);
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		const char *v = rows_getn(row, 0, fields[i].col);

		if (v && *v)
			table_addv(&t, fields[i].label, v);
	}
	table_print(&t, stdout);
	table_fini(&t);
	snprintf(idq, sizeof(idq), "%s", rows_getn(row, 0, "id"));
	hist = db_query(db, "SELECT to_char(at, 'YYYY-MM-DD HH24:MI') AS at, actor_name, actor_kind, to_label, "
		"coalesce(category, '') AS category, coalesce(reason, '') AS reason FROM wq_api.item_history($1::bigint)",
		1, params, err);
	if (!hist)
		return -1;
	printf("处理记录：\n");
	for (r = 0; r < hist->nrows; r++) {
		char *line = xasprintf("  %s  %s（%s）  %s%s%s", rows_get(hist, r, 0), rows_get(hist, r, 1),
			rows_get(hist, r, 2), rows_get(hist, r, 3), *rows_get(hist, r, 5) ? "  " : "", rows_get(hist, r, 5));
		char *vis = str_visible(line);

		puts(vis);
		free(vis);
		free(line);
	}
	rows_free(hist);
	return 0;
}
