/* cli.c: subcommands (wq db ..., wq admin ...), without screens. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <termios.h>

#include "account.h"
#include "admin.h"
#include "cli_agreement.h"
#include "cli_termination.h"
#include "cli_args.h"
#include "cli_stats.h"
#include "cli_warning.h"
#include "demo.h"
#include "import.h"
#include "me.h"
#include "migrate.h"
#include "settings.h"
#include "str.h"
#include "students.h"
#include "table.h"
#include "pg.h"
#include "util.h"

void
cli_usage(FILE *out)
{
	fputs(
"用法: wq [全局选项] [命令]\n"
"  不带命令时打开登录界面。\n"
"\n"
"全局选项:\n"
"  --config FILE        使用此配置文件（覆盖其他配置层）\n"
"  --dsn CONNINFO       连接串（libpq 格式或 postgresql:// URI），覆盖配置\n"
"  --ascii              只用 ASCII 字符绘制界面\n"
"  --print-config       显示合并后的配置及每项的来源\n"
"  --verbose            出错时另外显示服务器或系统的原文\n"
"  --help, --version\n"
"\n"
"命令:\n"
"  db migrate [--dir DIR]         应用数据库迁移（重复运行不做任何更改）\n"
"  db status [--dir DIR]          列出已应用和待应用的迁移\n"
"  admin province set CODE --name NAME --agreement-type two-party|three-party\n"
"  admin school add CODE --name NAME --province CODE\n"
"  admin account add LOGIN --kind province|school|dept|portal [--province CODE]\n"
"                    [--school CODE] [--dept 院系] [--name 姓名] [--password-stdin]\n"
"  admin account lock|unlock LOGIN\n"
"  demo seed --students N [--schools K] [--seed S]\n"
"                                 生成演示数据：K 所学校（默认 1），每校 N 名毕业生\n"
"  demo roster FILE --students N [--school CODE] [--name 学校名称]\n"
"                                 只生成一份名单文件（CSV），不写数据库\n"
"\n"
"学校用户:\n"
"  roster import FILE [--encoding auto|utf-8|gbk] [--dry-run] [--missing-out FILE] [--school CODE（平台管理员）]\n"
"                                 导入学生名单（全部成功或全部不写入；有错误时退出码 65）\n"
"  roster export FILE [--format csv|xlsx]   导出学生名单（院系用户：本院系）；\n"
"                                 FILE 为 - 时写到标准输出（默认 CSV）\n"
"  settings show                  显示签约设置\n"
"  settings set KEY=VALUE...      修改签约设置；KEY 为 online_signing、registration、\n"
"                                 destination (on|off)、review_mode (school|dept_then_school)、\n"
"                                 max_terminations (0-99)、handler、phone、address、postcode\n"
"省级用户:\n"
"  settings show                  显示本省的协议类型\n"
"  settings set agreement_type=两方协议|三方协议   修改本省的协议类型（各学校的鉴证/审核随之改变）\n"
"  account list                   列出院系账号（及尚无账号的院系）\n"
"  account add LOGIN --dept 院系 [--name 姓名] [--password-stdin]\n"
"  account lock|unlock LOGIN\n"
"  account passwd LOGIN [--password-stdin]\n"
"  warning add USCC --category 违规单位|虚假单位|就业歧视|虚假宣传 --note 备注\n"
"                                 标记预警单位（本校已有标记时替换为新的）\n"
"  warning remove USCC            取消本校对该单位的标记\n"
"  warning list [--national]      本校标记的预警单位（院系用户可查看）；\n"
"                                 --national：被 5 所及以上学校标记的全国预警单位\n"
"  warning show USCC              一个单位的预警情况（本校标记、是否全国预警单位）\n"
"  destination change 学号 --code CODE [去向字段] --agreed-with-student\n"
"                                 与毕业生协商一致后修改其毕业去向（记录修改前后，并通知毕业生）\n"
"\n"
"学校用户和院系用户（三方协议审核，两方协议鉴证）:\n"
"  review list [--queue signing|registration|destination|termination] [--status 状态代码] [--initiator employer|student] [--waiting]\n"
"                                 列出就业协议、去向登记或解约申请（制表符分隔，首行为表头，第一列为编号）\n"
"  review show ID                 协议、去向登记或解约申请的信息、可执行的操作和审核记录\n"
"  review pass|return|reject ID [--category 类别] [--reason 具体问题] [--version N]\n"
"                                 通过、退回修改、不通过；后两者需要原因类别（代码或名称）和具体问题；\n"
"                                 不给 --version 时先读当前版本；通过线下解约时 --category 为解约原因\n"
"                                 （双方协商一致、单位原因、毕业生个人原因，学生单方面解约仅学校用户）\n"
"  termination force ID --note 说明 [--file 证明材料]\n"
"                                 学校用户强制解约（学生发起解约等待单位应约时；请谨慎使用）\n"
"  agreement pdf ID -o FILE       下载就业协议书（PDF；签约成功后，线下签约在第一次审核通过后）；\n"
"                                 FILE 为 - 时写到标准输出\n"
"\n"
"省级用户、学校用户和院系用户:\n"
"  stats [--by dept|major|level|gender|origin|school] [--format text|csv|xlsx] [-o FILE]\n"
"                                 数据统计：本范围的毕业生、网签资格、核对、签约方式、毕业去向、\n"
"                                 解约和毕业去向落实率（默认按院系，省级用户按学校）；CSV 不给 -o 时\n"
"                                 写到标准输出\n"
"\n"
"每个账号:\n"
"  passwd [--password-stdin]      修改本人密码（在终端上输入两次，不回显）\n"
"\n"
"门户账号:\n"
"  portal student verify --school CODE --name 姓名 --id-number 身份证号 --level 学历层次\n"
"  portal employer add 统一社会信用代码 --name 单位名称 [--nature CODE] [--industry CODE]\n"
"                    [--location CODE] [--status 存续|注销|吊销|停业] [--contact 联系人] [--phone 电话]\n"
"  portal invite --employer 统一社会信用代码 --school CODE --student 学号 [协议字段] [--valid-days 1-365]\n"
"  portal student accept|decline ID           应约或拒绝签约邀请\n"
"  portal employer withdraw ID                单位撤回签约邀请\n"
"  portal student apply-offline --school CODE --student 学号 --employer 统一社会信用代码 [协议字段]\n"
"  portal student register --school CODE --student 学号 --employer 统一社会信用代码 --file FILE [协议字段]\n"
"                                 补登已签的就业协议，FILE 为已签的协议书（JPEG、PNG 或 PDF）\n"
"  portal student resubmit ID [--position 岗位] [--work-location 地点] [--salary 月薪] [--job-category CODE]\n"
"  portal student destination --school CODE --student 学号 --code CODE [去向字段] [--file FILE]\n"
"                                 毕业去向登记（FILE 为证明材料：JPEG、PNG 或 PDF）\n"
"  portal student resubmit ID [--code CODE] [去向字段] [--file FILE]   重新提交退回修改的去向登记\n"
"  portal student|employer terminate 协议ID [--reason 理由] [--file 解约函]\n"
"                                 申请解约（线下签约、补登须附解约函），输出解约申请编号\n"
"  portal student|employer answer-termination ID --agree|--refuse\n"
"                                 对方发起的线上解约：同意或不同意\n"
"  portal upload ID FILE [--as student|employer]\n"
"                                 回传盖章的就业协议书（线下签约），或补登已签的就业协议书（JPEG、PNG 或 PDF）\n"
"  portal expire                  将过期的签约邀请标为签约邀请已失效，输出数量\n"
"    协议字段: --position --work-location --salary（整数，元）--job-category --archive-unit\n"
"              --archive-address --archive-postcode --hukou-unit --hukou-address\n"
"    去向字段（按毕业去向代码）: 11 12 27 50 51 --employer 统一社会信用代码 或 --unit-name 单位名称\n"
"              （12 另需 --subtype 聘用证明|公招接收函|士官|医学规培|国际组织|出国出境工作）；\n"
"              75 --enterprise 企业名称 --uscc 统一社会信用代码；76 --description 说明；\n"
"              80 --institution 学校 --study-level 专升本|第二学位|研究生；85 --country 国家或地区 --institution 学校；\n"
"              46 70 71 72 不需要字段\n"
"    成功时标准输出的最后一行只有编号（单位为统一社会信用代码，expire 为数量）\n"
"\n"
"密码从不写入配置文件：使用 libpq 的 ~/.pgpass、PGPASSWORD 或服务文件。\n", out);
}

static bool verbose;   /* --verbose */

void
cli_print_err(const struct wq_err *err)
{
	fprintf(stderr, "wq: 错误：%s\n", err->msg[0] ? err->msg : wq_err_text(err->code));
	if (err->detail[0])
		fprintf(stderr, "  详情：%s\n", err->detail);
	if (err->hint[0])
		fprintf(stderr, "  提示：%s\n", err->hint);
	if (verbose && err->server[0])
		fprintf(stderr, "  原文：%s\n", err->server);
}

bool
cli_parse(int argc, char **argv, struct wq_opts *o, struct wq_err *err)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->argv = xcalloc((size_t)argc + 1, sizeof(char *));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **target = NULL;

		if (strcmp(a, "--config") == 0)
			target = &o->config;
		else if (strcmp(a, "--dsn") == 0)
			target = &o->dsn;
		else if (strncmp(a, "--config=", 9) == 0)
			o->config = a + 9;
		else if (strncmp(a, "--dsn=", 6) == 0)
			o->dsn = a + 6;
		else if (strcmp(a, "--ascii") == 0)
			o->ascii = true;
		else if (strcmp(a, "--print-config") == 0)
			o->print_config = true;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			o->help = true;
		else if (strcmp(a, "--version") == 0 && o->argc == 0)
			o->version = true;   /* after a subcommand, its own option (wq review pass ID --version N) */
		else if (strcmp(a, "--verbose") == 0)
			verbose = o->verbose = true;
		else
			o->argv[o->argc++] = argv[i];
		if (target) {
			if (i + 1 >= argc)
				return wq_err_set(err, WQ_ERR_USAGE, "%s 需要一个参数", a);
			*target = argv[++i];
		}
	}
	if (o->argc > 0 && o->argv[0][0] == '-')
		return wq_err_set(err, WQ_ERR_USAGE, "未知选项 %s（见 wq --help）", o->argv[0]);
	return true;
}


static int
exit_for(const struct wq_err *err)
{
	switch (err->code) {
	case WQ_ERR_USAGE:
		return WQ_EXIT_USAGE;
	case WQ_ERR_INPUT:
		return WQ_EXIT_DATAERR;
	case WQ_ERR_CONF:
		return WQ_EXIT_CONFIG;
	case WQ_ERR_PG_CONN:
	case WQ_ERR_PG_AUTH:
	case WQ_ERR_PG_LOCKED:
		return WQ_EXIT_UNAVAILABLE;
	case WQ_ERR_PG_DENIED:
		return WQ_EXIT_NOPERM;
	case WQ_ERR_OK:
	case WQ_ERR_OOM:
	case WQ_ERR_IO:
	case WQ_ERR_PG_QUERY:
	case WQ_ERR_STALE:
		break;
	}
	if (strncmp(err->sqlstate, "23", 2) == 0 || strncmp(err->sqlstate, "22", 2) == 0)
		return WQ_EXIT_DATAERR;
	return WQ_EXIT_FAIL;
}

/* Reads one line (the password) from standard input, without its newline. */
static char *
read_password_stdin(struct wq_err *err)
{
	char buf[1024];
	size_t n;

	if (!fgets(buf, sizeof(buf), stdin)) {
		wq_err_set(err, WQ_ERR_INPUT, "--password-stdin：标准输入没有内容");
		return NULL;
	}
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (n == 0) {
		wq_err_set(err, WQ_ERR_INPUT, "--password-stdin：密码不能为空");
		return NULL;
	}
	return xstrdup(buf);
}

/*
 * Reads one line from the terminal (/dev/tty) after writing prompt to it,
 * without echo, as psql asks for a password.  False when there is no
 * terminal or nothing was read.
 */
static bool
tty_read_secret(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	FILE *tty = fopen("/dev/tty", "r+");
	bool ok, restore;

	if (!tty)
		return false;
	restore = tcgetattr(fileno(tty), &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	fputs(prompt, tty);
	fflush(tty);
	ok = fgets(buf, (int)size, tty) != NULL;
	if (restore)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	else
		fputc('\n', tty);
	fclose(tty);
	if (ok)
		buf[strcspn(buf, "\r\n")] = '\0';
	return ok;
}

/* Asks twice on the terminal, without echo. */
static char *
prompt_password(struct wq_err *err)
{
	char a[256], b[256];
	bool ok;

	if (!isatty(STDIN_FILENO)) {
		wq_err_set(err, WQ_ERR_USAGE, "需要密码：在终端上运行，或使用 --password-stdin");
		return NULL;
	}
	ok = tty_read_secret("新密码：", a, sizeof(a)) && tty_read_secret("再输入一次：", b, sizeof(b));
	if (!ok) {
		wq_err_set(err, WQ_ERR_INPUT, "没有读到密码");
		return NULL;
	}
	if (strcmp(a, b) != 0) {
		memset(a, 0, sizeof(a));
		memset(b, 0, sizeof(b));
		wq_err_set(err, WQ_ERR_INPUT, "两次输入的密码不一致");
		return NULL;
	}
	memset(b, 0, sizeof(b));
	return xstrdup(a);
}

static char *
get_password(struct args *a, struct wq_err *err)
{
	return arg_flag(a, "--password-stdin") ? read_password_stdin(err) : prompt_password(err);
}

static void
free_password(char *p)
{
	if (p) {
		memset(p, 0, strlen(p));
		free(p);
	}
}

/* wq settings show | set agreement_type=VALUE, for a province user. */
static int
cmd_province_settings(const char *sub, struct args *a, struct wq_db *db, struct wq_err *err)
{
	struct province_settings p;
	const char *word;
	int version;

	if (strcmp(sub, "show") == 0) {
		if (!args_done(a, err) || !province_settings_load(db, &p, err))
			return -1;
		printf("agreement_type\t协议类型\t%s\n", agreement_label(p.agreement_type));
		printf("（%s %s，版本 %d，%s 由 %s 修改）\n", p.code, p.name, p.version, p.updated_at, p.updated_by);
		province_settings_fini(&p);
		return 0;
	}
	if (strcmp(sub, "set") != 0) {
		wq_err_set(err, WQ_ERR_USAGE, "未知命令 wq settings %s", sub);
		return -1;
	}
	word = arg_next(a);
	if (!word || strncmp(word, "agreement_type=", 15) != 0) {
		wq_err_set(err, WQ_ERR_USAGE, "省级用户只能设置 agreement_type=两方协议|三方协议");
		return -1;
	}
	if (!args_done(a, err) || !province_settings_load(db, &p, err))
		return -1;
	if (!province_agreement_type_set(db, word + 15, p.version, &version, err)) {
		province_settings_fini(&p);
		return -1;
	}
	province_settings_fini(&p);
	if (!province_settings_load(db, &p, err))
		return -1;
	printf("已保存：协议类型 %s（版本 %d）\n", agreement_label(p.agreement_type), version);
	province_settings_fini(&p);
	return 0;
}

static int
cmd_settings(struct args *a, struct wq_db *db, struct wq_err *err)
{
	const char *sub = arg_next(a);
	struct school_settings st;
	enum settings_key keys[SETTING_COUNT];
	char *values[SETTING_COUNT];
	const char *word;
	int i, n = 0, version, rc = -1;

	if (!sub) {
		wq_err_set(err, WQ_ERR_USAGE, "用法: wq settings show | wq settings set KEY=VALUE...");
		return -1;
	}
	{
		struct me me = { 0 };
		struct wq_err e;
		bool province;

		wq_err_clear(&e);
		province = me_load(db, &me, &e) && me.kind && strcmp(me.kind, "province") == 0;
		me_fini(&me);
		if (province)
			return cmd_province_settings(sub, a, db, err);
	}
	if (strcmp(sub, "show") == 0) {
		struct table t;
		char *by;

		if (!args_done(a, err) || !settings_load(db, &st, err))
			return -1;
		table_init(&t, 3);
		for (i = 0; i < SETTING_COUNT; i++)
			table_addv(&t, settings_keys[i].key, settings_keys[i].label,
				settings_value_label(i, st.value[i]));
		table_print(&t, stdout);
		table_fini(&t);
		by = str_visible(st.updated_by);
		printf("（版本 %d，%s 由 %s 修改）\n", st.version, st.updated_at, by);
		free(by);
		settings_fini(&st);
		return 0;
	}
	if (strcmp(sub, "set") != 0) {
		wq_err_set(err, WQ_ERR_USAGE, "未知命令 wq settings %s", sub);
		return -1;
	}
	while ((word = arg_next(a))) {
		const char *eq = strchr(word, '=');
		char key[64];
		int k;

		if (!eq || eq == word || (size_t)(eq - word) >= sizeof(key)) {
			wq_err_set(err, WQ_ERR_USAGE, "应为 KEY=VALUE，而不是 %s", word);
			goto out;
		}
		memcpy(key, word, (size_t)(eq - word));
		key[eq - word] = '\0';
		k = settings_key_find(key);
		if (k < 0) {
			wq_err_set(err, WQ_ERR_USAGE, "未知的设置项 %s（见 wq --help）", key);
			goto out;
		}
		if (!settings_check(k, eq + 1, &values[n], err))
			goto out;
		keys[n++] = k;
		if (n == SETTING_COUNT)
			break;
	}
	if (n == 0) {
		wq_err_set(err, WQ_ERR_USAGE, "没有要修改的设置项");
		goto out;
	}
	if (!args_done(a, err) || !settings_save(db, n, keys, (const char *const *)values, -1, &version, err))
		goto out;
	printf("已保存签约设置（版本 %d）\n", version);
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(values[i]);
	return rc;
}

static int
cmd_account(struct args *a, struct wq_db *db, struct wq_err *err)
{
	const char *sub = arg_next(a);
	const char *login;
	char *password = NULL;
	int rc = -1;

	if (sub && strcmp(sub, "list") == 0) {
		struct wq_rows *rows;
		struct table t;
		int r;

		if (!args_done(a, err) || !(rows = account_dept_list(db, err)))
			return -1;
		table_init(&t, 4);
		for (r = 0; r < rows->nrows; r++) {
			const char *who = rows_getn(rows, r, "login");

			if (!who)
				table_addv(&t, rows_getn(rows, r, "dept"), "（尚无院系账号）", NULL, NULL);
			else
				table_addv(&t, rows_getn(rows, r, "dept"), who, rows_getn(rows, r, "name"),
					strcmp(rows_getn(rows, r, "locked"), "t") == 0 ? "已锁定" : "正常");
		}
		table_print(&t, stdout);
		table_fini(&t);
		rows_free(rows);
		return 0;
	}
	login = arg_next(a);
	if (!sub || !login) {
		wq_err_set(err, WQ_ERR_USAGE, "用法: wq account list|add|lock|unlock|passwd ...");
		return -1;
	}
	if (strcmp(sub, "add") == 0) {
		const char *dept = required(a, "--dept", err);
		const char *name = arg_value(a, "--name");

		if (!dept)
			return -1;
		password = get_password(a, err);
		if (password && args_done(a, err) && account_dept_add(db, login, dept, name, password, err)) {
			printf("已添加院系账号 %s（%s）\n", login, dept);
			rc = 0;
		}
	} else if (strcmp(sub, "lock") == 0 || strcmp(sub, "unlock") == 0) {
		bool lock = strcmp(sub, "lock") == 0;

		if (args_done(a, err) && account_dept_set_locked(db, login, lock, err)) {
			printf("已%s院系账号 %s\n", lock ? "锁定" : "解锁", login);
			rc = 0;
		}
	} else if (strcmp(sub, "passwd") == 0) {
		password = get_password(a, err);
		if (password && args_done(a, err) && account_dept_password(db, login, password, err)) {
			printf("已重设 %s 的密码\n", login);
			rc = 0;
		}
	} else {
		wq_err_set(err, WQ_ERR_USAGE, "未知命令 wq account %s", sub);
	}
	free_password(password);
	return rc;
}

/* wq passwd: the logged-in user's own password. */
static int
cmd_passwd(struct args *a, struct wq_db *db, struct wq_err *err)
{
	char *password = get_password(a, err);
	int rc = -1;

	if (password && args_done(a, err) && account_own_password(db, password, err)) {
		printf("已修改 %s 的密码\n", db_user(db));
		rc = 0;
	}
	free_password(password);
	return rc;
}

static int
cmd_portal(struct args *a, struct wq_db *db, struct wq_err *err)
{
	struct args peek = *a;
	const char *what = arg_next(&peek), *verb = arg_next(&peek);
	const char *params[4];
	struct wq_rows *rows;
	const char *status;
	char *fields, *school;
	int rc;

	if (!what || !verb || strcmp(what, "student") != 0 || strcmp(verb, "verify") != 0)
		return cli_portal_agreement(a, db, err);
	*a = peek;
	if (!(params[0] = required(a, "--school", err)) || !(params[1] = required(a, "--name", err))
	    || !(params[2] = required(a, "--id-number", err)) || !(params[3] = required(a, "--level", err))
	    || !args_done(a, err))
		return -1;
	rows = db_query(db, "SELECT r->>'status' AS status, "
		"       (SELECT string_agg(f, '、') FROM jsonb_array_elements_text(r->'fields') f) AS fields, "
		"       r->>'school_name' AS school_name "
		"  FROM wq_api.student_verify($1, $2, $3, $4) r", 4, params, err);
	if (!rows)
		return -1;
	status = rows_getn(rows, 0, "status");
	fields = str_visible(rows_getn(rows, 0, "fields"));
	school = str_visible(rows_getn(rows, 0, "school_name") ? rows_getn(rows, 0, "school_name") : params[0]);
	if (strcmp(status, "verified") == 0) {
		printf("已核对：信息与学校名单一致，可以使用平台\n");
		rc = 0;
	} else if (strcmp(status, "mismatch") == 0) {
		printf("信息不一致：%s 与学校名单不符。请联系%s就业部门更正学生名单后再核对。\n", fields, school);
		rc = 1;
	} else {
		printf("未找到：%s 的学生名单中没有与此身份证号或姓名对应的学生。请联系学校就业部门。\n", school);
		rc = 1;
	}
	free(fields);
	free(school);
	rows_free(rows);
	return rc;
}

/* A student_query scoped as the caller's list is. */
static bool
scoped_query(struct wq_db *db, struct student_query *q, struct wq_err *err)
{
	struct me me = { 0 };

	if (!me_load(db, &me, err))
		return false;
	if (strcmp(me.kind, "province") == 0 && me.province_code)
		q->province_code = xstrdup(me.province_code);
	if (me.school_code)
		q->school_code = xstrdup(me.school_code);
	if (me.dept)
		q->dept = xstrdup(me.dept);
	me_fini(&me);
	return true;
}

static int
cmd_roster(struct args *a, struct wq_db *db, const struct wq_conf *conf, struct wq_err *err)
{
	const char *sub = arg_next(a), *path = arg_next(a);

	if (!sub || !path) {
		wq_err_set(err, WQ_ERR_USAGE, "用法: wq roster import FILE [--encoding auto|utf-8|gbk] [--dry-run] [--missing-out FILE] | "
			"wq roster export FILE [--format csv|xlsx]");
		return -1;
	}
	if (strcmp(sub, "import") == 0) {
		struct import_opts io = { 0 };
		struct import_result res;
		const char *enc = arg_value(a, "--encoding");
		int rc;

		io.path = path;
		io.dry_run = arg_flag(a, "--dry-run");
		io.missing_out = arg_value(a, "--missing-out");
		io.school_code = arg_value(a, "--school");   /* the platform operator names the school */
		io.nrename = conf->roster_headers.n;          /* roster.headers: other exports' column names */
		io.rename_from = (const char *const *)conf->roster_headers.from;
		io.rename_to = (const char *const *)conf->roster_headers.to;
		if (enc && !csv_encoding_from_name(enc, &io.encoding)) {
			wq_err_set(err, WQ_ERR_USAGE, "--encoding 应为 auto、utf-8 或 gbk，而不是 %s", enc);
			return -1;
		}
		if (!args_done(a, err))
			return -1;
		rc = roster_import(db, &io, stdout, stderr, &res, err);
		if (rc == 65 && err->code == WQ_ERR_OK)
			return 65;  /* every problem is printed already */
		return rc == 0 ? 0 : -1;
	}
	if (strcmp(sub, "export") == 0) {
		struct student_query q;
		const char *fmt = arg_value(a, "--format");
		int n;
		bool ok;

		if (!fmt) {
			size_t len = strlen(path);
			fmt = len > 5 && strcmp(path + len - 5, ".xlsx") == 0 ? "xlsx" : "csv";
		}
		if (!args_done(a, err))
			return -1;
		student_query_init(&q);
		ok = scoped_query(db, &q, err) && students_export(db, &q, path, fmt, &n, err);
		student_query_fini(&q);
		if (!ok)
			return -1;
		if (strcmp(path, "-") == 0)
			fprintf(stderr, "已导出 %d 名学生到标准输出\n", n);
		else
			printf("已导出 %d 名学生到 %s\n", n, path);
		return 0;
	}
	wq_err_set(err, WQ_ERR_USAGE, "未知命令 wq roster %s", sub);
	return -1;
}

/* Demonstration data: provinces, schools and their rosters, through the real import. */
static int
cmd_demo(struct args *a, struct wq_db *db, struct wq_err *err)
{
	static const char *const names[] = {
		"北京示例大学", "北京理工示例大学", "北京师范示例大学", "首都示例医科大学", "北京示例交通大学",
		"北京示例农业大学", "北京示例外国语大学", "中央示例财经大学", "北京示例科技大学", "北京示例工业大学",
	};
	const char *sub = arg_next(a);
	const char *ns = arg_value(a, "--students"), *ks = arg_value(a, "--schools"), *ss = arg_value(a, "--seed");
	int n = ns ? atoi(ns) : 0, k = ks ? atoi(ks) : 1, i;
	unsigned seed = ss ? (unsigned)strtoul(ss, NULL, 10) : 2026;

	if (sub && strcmp(sub, "roster") == 0) {
		/* only the file: wq demo roster FILE --students N [--school CODE] [--name 学校名称] */
		const char *path = arg_next(a);
		struct demo_school school = { arg_value(a, "--school"), arg_value(a, "--name") };
		FILE *f;
		bool ok;

		if (!school.code)
			school.code = "10001";
		if (!school.name)
			school.name = names[0];
		if (!path || n <= 0 || !args_done(a, err)) {
			if (err->code == WQ_ERR_OK)
				wq_err_set(err, WQ_ERR_USAGE, "用法: wq demo roster FILE --students N [--school CODE] [--name 学校名称]");
			return -1;
		}
		if (!(f = fopen(path, "w"))) {
			wq_err_set(err, WQ_ERR_IO, "无法写入 %s：%s", path, wq_errno_text(errno));
			return -1;
		}
		ok = demo_write_roster(f, &school, n, seed, err);
		if (fclose(f) != 0 && ok)
			ok = wq_err_set(err, WQ_ERR_IO, "无法写入 %s：%s", path, wq_errno_text(errno));
		return ok ? 0 : -1;
	}
	if (!sub || strcmp(sub, "seed") != 0 || n <= 0 || k <= 0 || k > 99 || !args_done(a, err)) {
		if (err->code == WQ_ERR_OK)
			wq_err_set(err, WQ_ERR_USAGE, "用法: wq demo seed --students N [--schools K] [--seed S]（N ≥ 1，1 ≤ K ≤ 99）");
		return -1;
	}
	if (!admin_province_set(db, "11", "北京市", "three-party", err))
		return -1;
	for (i = 0; i < k; i++) {
		char code[8], name[64], *path;
		const char *params[1] = { code };
		struct demo_school school = { code, name };
		struct import_opts io = { 0 };
		struct import_result res;
		struct wq_rows *exists;
		FILE *f;
		int fd, rc;

		snprintf(code, sizeof(code), "%05d", 10001 + i);
		if (i < (int)ARRAY_SIZE(names))
			snprintf(name, sizeof(name), "%s", names[i]);
		else
			snprintf(name, sizeof(name), "示例大学第%d校", i + 1);
		exists = db_query(db, "SELECT name FROM wq_api.schools WHERE code = $1", 1, params, err);
		if (!exists)
			return -1;
		if (exists->nrows == 1)
			snprintf(name, sizeof(name), "%s", rows_get(exists, 0, 0));
		else if (!admin_school_add(db, code, name, "11", err)) {
			rows_free(exists);
			return -1;
		}
		rows_free(exists);
		path = tmpdir_path("wq-demo-XXXXXX.csv");
		fd = mkstemps(path, 4);
		if (fd < 0 || !(f = fdopen(fd, "w"))) {
			wq_err_set(err, WQ_ERR_IO, "无法创建临时文件：%s", wq_errno_text(errno));
			if (fd >= 0) {
				close(fd);
				unlink(path);
			}
			free(path);
			return -1;
		}
		if (!demo_write_roster(f, &school, n, seed + (unsigned)i, err)) {
			fclose(f);
			unlink(path);
			free(path);
			return -1;
		}
		fclose(f);
		io.path = path;
		io.school_code = code;
		printf("%s %s：", code, name);
		fflush(stdout);
		rc = roster_import(db, &io, stdout, stderr, &res, err);
		unlink(path);
		free(path);
		if (rc != 0)
			return -1;
		/* some graduates have verified themselves, a few with data that differs */
		if (!db_exec(db,
			"SELECT wq_api.student_verify(school_code, name, id_number, "
			"       CASE WHEN id % 37 = 0 THEN '硕士生毕业' ELSE level END) "
			"  FROM wq_api.students "
			" WHERE school_code = $1 AND verify_status = 'unverified' AND (id % 7 = 0 OR id % 37 = 0)",
			1, params, err))
			return -1;
	}
	return 0;
}

static int
cmd_db(const struct wq_opts *o, struct args *a, struct wq_db *db, struct wq_err *err)
{
	const char *sub = arg_next(a);
	const char *dir = arg_value(a, "--dir");

	if (!sub || !args_done(a, err)) {
		if (!sub)
			wq_err_set(err, WQ_ERR_USAGE, "用法: wq db migrate|status [--dir DIR]");
		return -1;
	}
	if (strcmp(sub, "migrate") == 0)
		return migrate_run(db, dir, stdout, err) ? 0 : -1;
	if (strcmp(sub, "status") == 0)
		return migrate_status(db, dir, stdout, err) ? 0 : -1;
	wq_err_set(err, WQ_ERR_USAGE, "未知命令 wq db %s", sub);
	return -1;
}

static int
cmd_admin(const struct wq_opts *o, struct args *a, struct wq_db *db, struct wq_err *err)
{
	const char *what = arg_next(a), *verb = arg_next(a), *key = arg_next(a);
	int rc = -1;

	if (!what || !verb || !key) {
		wq_err_set(err, WQ_ERR_USAGE, "用法见 wq --help（admin province|school|account ...）");
		return -1;
	}
	if (strcmp(what, "province") == 0 && strcmp(verb, "set") == 0) {
		const char *name = required(a, "--name", err);
		const char *type = name ? required(a, "--agreement-type", err) : NULL;

		if (!name || !type || !args_done(a, err))
			return -1;
		if (!admin_province_set(db, key, name, type, err))
			return -1;
		printf("已设置省份 %s %s（%s）\n", key, name,
			strstr(type, "two") ? "两方协议" : "三方协议");
		return 0;
	}
	if (strcmp(what, "school") == 0 && strcmp(verb, "add") == 0) {
		const char *name = required(a, "--name", err);
		const char *prov = name ? required(a, "--province", err) : NULL;

		if (!name || !prov || !args_done(a, err))
			return -1;
		if (!admin_school_add(db, key, name, prov, err))
			return -1;
		printf("已添加学校 %s %s\n", key, name);
		return 0;
	}
	if (strcmp(what, "account") == 0 && strcmp(verb, "add") == 0) {
		struct admin_account acc = { 0 };
		char *password = NULL;

		acc.login = key;
		acc.kind = required(a, "--kind", err);
		if (!acc.kind)
			return -1;
		acc.province = arg_value(a, "--province");
		acc.school = arg_value(a, "--school");
		acc.dept = arg_value(a, "--dept");
		acc.name = arg_value(a, "--name");
		if (arg_flag(a, "--password-stdin")) {
			password = read_password_stdin(err);
			if (!password)
				return -1;
			acc.password = password;
		}
		if (args_done(a, err) && admin_account_add(db, &acc, err)) {
			printf("已添加账号 %s（%s）\n", key, acc.kind);
			rc = 0;
		}
		if (password) {
			memset(password, 0, strlen(password));
			free(password);
		}
		return rc;
	}
	if (strcmp(what, "account") == 0 && (strcmp(verb, "lock") == 0 || strcmp(verb, "unlock") == 0)) {
		bool lock = strcmp(verb, "lock") == 0;

		if (!args_done(a, err) || !admin_account_set_locked(db, key, lock, err))
			return -1;
		printf("已%s账号 %s\n", lock ? "锁定" : "解锁", key);
		return 0;
	}
	wq_err_set(err, WQ_ERR_USAGE, "未知命令 wq admin %s %s", what, verb);
	return -1;
}

int
cli_run(const struct wq_opts *o, const struct wq_conf *conf)
{
	struct wq_err err;
	struct wq_conn_spec spec = { conf, o->dsn, NULL, NULL };
	struct args a;
	struct wq_db *db;
	const char *cmd = o->argv[0];
	bool needs_password = false;
	int rc;

	wq_err_clear(&err);
	memset(&a, 0, sizeof(a));
	a.argc = o->argc - 1;
	a.argv = o->argv + 1;
	if (strcmp(cmd, "help") == 0) {
		cli_usage(stdout);
		return WQ_EXIT_OK;
	}
	if (strcmp(cmd, "db") != 0 && strcmp(cmd, "admin") != 0 && strcmp(cmd, "settings") != 0
	    && strcmp(cmd, "account") != 0 && strcmp(cmd, "portal") != 0 && strcmp(cmd, "roster") != 0
	    && strcmp(cmd, "demo") != 0 && strcmp(cmd, "passwd") != 0 && strcmp(cmd, "review") != 0
	    && strcmp(cmd, "warning") != 0 && strcmp(cmd, "agreement") != 0 && strcmp(cmd, "destination") != 0
	    && strcmp(cmd, "termination") != 0 && strcmp(cmd, "stats") != 0) {
		fprintf(stderr, "wq: 未知命令 %s（见 wq --help）\n", cmd);
		return WQ_EXIT_USAGE;
	}
	if (strcmp(cmd, "demo") == 0 && o->argc > 1 && strcmp(o->argv[1], "roster") == 0) {
		rc = cmd_demo(&a, NULL, &err);
		if (rc < 0) {
			cli_print_err(&err);
			return exit_for(&err);
		}
		return rc;
	}
	db = db_connect(&spec, &needs_password, &err);
	if (!db && needs_password && isatty(STDIN_FILENO)) {
		/* the server asks for a password that nothing gave: ask, as psql does */
		char password[256];

		if (tty_read_secret("密码：", password, sizeof(password)) && password[0]) {
			spec.password = password;
			wq_err_clear(&err);
			db = db_connect(&spec, NULL, &err);
			spec.password = NULL;
		}
		memset(password, 0, sizeof(password));
	}
	if (!db) {
		cli_print_err(&err);
		return exit_for(&err);
	}
	if (strcmp(cmd, "db") == 0)
		rc = cmd_db(o, &a, db, &err);
	else if (strcmp(cmd, "admin") == 0)
		rc = cmd_admin(o, &a, db, &err);
	else if (strcmp(cmd, "settings") == 0)
		rc = cmd_settings(&a, db, &err);
	else if (strcmp(cmd, "account") == 0)
		rc = cmd_account(&a, db, &err);
	else if (strcmp(cmd, "roster") == 0)
		rc = cmd_roster(&a, db, conf, &err);
	else if (strcmp(cmd, "demo") == 0)
		rc = cmd_demo(&a, db, &err);
	else if (strcmp(cmd, "passwd") == 0)
		rc = cmd_passwd(&a, db, &err);
	else if (strcmp(cmd, "review") == 0)
		rc = cli_review(&a, db, &err);
	else if (strcmp(cmd, "agreement") == 0)
		rc = cli_agreement(&a, db, &err);
	else if (strcmp(cmd, "termination") == 0)
		rc = cli_termination(&a, db, &err);
	else if (strcmp(cmd, "warning") == 0)
		rc = cli_warning(&a, db, &err);
	else if (strcmp(cmd, "destination") == 0)
		rc = cli_destination(&a, db, &err);
	else if (strcmp(cmd, "stats") == 0)
		rc = cli_stats(&a, db, &err);
	else
		rc = cmd_portal(&a, db, &err);
	db_close(db);
	if (rc < 0) {
		cli_print_err(&err);
		return exit_for(&err);
	}
	return rc;
}
