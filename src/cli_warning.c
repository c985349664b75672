/*
 * cli_warning.c: wq warning add USCC --category 类别 --note 备注 | remove USCC
 * | list [--national] | show USCC.  Every cell is printed through the table
 * printer, so what the database holds reaches the terminal escaped.
 */
#include "cli_warning.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "str.h"
#include "table.h"
#include "util.h"
#include "warning.h"

#define USAGE "用法: wq warning add USCC --category 违规单位|虚假单位|就业歧视|虚假宣传 --note 备注 | " \
	"wq warning remove USCC | wq warning list [--national] | wq warning show USCC"

static const char *
or_dash(const char *s)
{
	return str_empty(s) ? "—" : s;
}

/* "是（5 所学校）" for a national warning unit, else "". */
static char *
national_text(const struct wq_rows *rows, int r)
{
	const char *n = rows_getn(rows, r, "is_national"), *k = rows_getn(rows, r, "schools");

	if (n && strcmp(n, "t") == 0)
		return xasprintf("是（%s 所学校）", k ? k : "?");
	return xstrdup("");
}

static const char *
employer_name(const struct wq_rows *rows, int r)
{
	const char *name = rows_getn(rows, r, "employer_name");

	return name ? name : "（未在平台登记）";
}

static void
print_own(const struct wq_rows *rows)
{
	struct table t;
	int r;

	table_init(&t, 7);
	table_addv(&t, "统一社会信用代码", "单位名称", "预警类别", "备注", "标记人", "标记时间", "全国预警单位");
	for (r = 0; r < rows->nrows; r++) {
		char *nat = national_text(rows, r);

		table_addv(&t, rows_getn(rows, r, "credit_code"), employer_name(rows, r),
			rows_getn(rows, r, "category_label"), rows_getn(rows, r, "note"),
			rows_getn(rows, r, "marked_by_name"), rows_getn(rows, r, "marked_at"), nat);
		free(nat);
	}
	table_print(&t, stdout);
	table_fini(&t);
}

static void
print_national(const struct wq_rows *rows)
{
	struct table t;
	int r;

	table_init(&t, 5);
	table_addv(&t, "统一社会信用代码", "单位名称", "标记学校数", "各类别", "本校标记");
	for (r = 0; r < rows->nrows; r++)
		table_addv(&t, rows_getn(rows, r, "credit_code"), employer_name(rows, r),
			rows_getn(rows, r, "schools"), rows_getn(rows, r, "categories"),
			or_dash(rows_getn(rows, r, "category_label")));
	table_print(&t, stdout);
	table_fini(&t);
}

/* One employer, as a reviewer sees it: field and value. */
static void
print_one(const struct wq_rows *rows)
{
	struct table t;
	char *nat = national_text(rows, 0);
	const char *cat = rows_getn(rows, 0, "category_label");

	table_init(&t, 2);
	table_addv(&t, "统一社会信用代码", rows_getn(rows, 0, "credit_code"));
	table_addv(&t, "单位名称", employer_name(rows, 0));
	table_addv(&t, "经营状态", or_dash(rows_getn(rows, 0, "employer_status")));
	table_addv(&t, "本校标记", cat ? cat : "未标记");
	if (cat) {
		table_addv(&t, "备注", rows_getn(rows, 0, "note"));
		table_addv(&t, "标记人", rows_getn(rows, 0, "marked_by_name"));
		table_addv(&t, "标记时间", rows_getn(rows, 0, "marked_at"));
	}
	table_addv(&t, "全国预警单位", *nat ? nat : "否");
	if (*nat)
		table_addv(&t, "各类别", rows_getn(rows, 0, "categories"));
	table_print(&t, stdout);
	table_fini(&t);
	free(nat);
}

int
cli_warning(struct args *a, struct wq_db *db, struct wq_err *err)
{
	const char *sub = arg_next(a);
	struct wq_rows *rows;

	if (!sub) {
		wq_err_set(err, WQ_ERR_USAGE, USAGE);
		return -1;
	}
	if (strcmp(sub, "add") == 0) {
		struct warning_outcome out;
		const char *code = arg_next(a), *category = arg_value(a, "--category"), *note = arg_value(a, "--note");

		if (!args_done(a, err))
			return -1;
		if (!code || !category || !note) {
			wq_err_set(err, WQ_ERR_USAGE, "%s", !code ? "缺少统一社会信用代码"
				: !category ? "缺少 --category（违规单位、虚假单位、就业歧视 或 虚假宣传）" : "缺少 --note");
			return -1;
		}
		if (!warning_add(db, code, category, note, &out, err))
			return -1;
		if (strcmp(out.action, "replace") == 0)
			printf("已更新本校对 %s 的预警标记：%s → %s\n", code, out.before_label,
				warning_category_label(warning_category_code(category)));
		else if (strcmp(out.action, "unchanged") == 0)
			printf("本校对 %s 的预警标记没有变化（%s）\n", code,
				warning_category_label(warning_category_code(category)));
		else
			printf("已标记预警单位 %s（%s）\n", code, warning_category_label(warning_category_code(category)));
		if (out.national)
			printf("该单位已被 %d 所学校标记，是全国预警单位\n", out.schools);
		return 0;
	}
	if (strcmp(sub, "remove") == 0 || strcmp(sub, "show") == 0) {
		const char *code = arg_next(a);

		if (!args_done(a, err))
			return -1;
		if (!code) {
			wq_err_set(err, WQ_ERR_USAGE, "缺少统一社会信用代码");
			return -1;
		}
		if (strcmp(sub, "remove") == 0) {
			if (!warning_remove(db, code, err))
				return -1;
			printf("已取消本校对 %s 的预警标记\n", code);
			return 0;
		}
		if (!(rows = warning_of_employer(db, code, err)))
			return -1;
		print_one(rows);
		rows_free(rows);
		return 0;
	}
	if (strcmp(sub, "list") == 0) {
		bool national = arg_flag(a, "--national");

		if (!args_done(a, err))
			return -1;
		if (!(rows = warning_list(db, national, err)))
			return -1;
		if (rows->nrows == 0)
			printf("%s\n", national ? "目前没有全国预警单位（被 5 所及以上学校标记的单位）" : "本校尚未标记预警单位");
		else if (national)
			print_national(rows);
		else
			print_own(rows);
		rows_free(rows);
		return 0;
	}
	wq_err_set(err, WQ_ERR_USAGE, "未知命令 wq warning %s（%s）", sub, USAGE);
	return -1;
}
