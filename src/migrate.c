/* migrate.c: apply db/migrations in order, each once, refusing changed files. */
#include "migrate.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"
#include "util.h"

/* Serialises concurrent `wq db migrate` runs on one database. */
#define MIGRATE_LOCK_KEY "7106311"

struct migration {
	int version;
	char *name;
	char *text;
	char *checksum;   /* sha256 hex, as the server computes it */
	bool applied;
	char *applied_at;
};

struct plan {
	struct migration *m;
	int n;
};

static void
plan_fini(struct plan *p)
{
	int i;

	for (i = 0; i < p->n; i++) {
		free(p->m[i].name);
		free(p->m[i].text);
		free(p->m[i].checksum);
		free(p->m[i].applied_at);
	}
	free(p->m);
	memset(p, 0, sizeof(*p));
}

static bool
plan_add(struct plan *p, const char *name, char *text, struct wq_err *err)
{
	char *end;
	long v = strtol(name, &end, 10);
	int i;

	if (end == name || *end != '_' || v <= 0 || v > 9999)
		return wq_err_set(err, WQ_ERR_INPUT, "迁移文件名 %s 应为 NNNN_名称.sql", name);
	for (i = 0; i < p->n; i++)
		if (p->m[i].version == (int)v)
			return wq_err_set(err, WQ_ERR_INPUT, "迁移 %s 与 %s 编号重复", name, p->m[i].name);
	p->m = xrealloc(p->m, sizeof(*p->m) * (size_t)(p->n + 1));
	memset(&p->m[p->n], 0, sizeof(*p->m));
	p->m[p->n].version = (int)v;
	p->m[p->n].name = xstrdup(name);
	p->m[p->n].text = text;
	p->n++;
	return true;
}

static int
cmp_version(const void *a, const void *b)
{
	return ((const struct migration *)a)->version - ((const struct migration *)b)->version;
}

static char *
read_file(const char *path, struct wq_err *err)
{
	char *text;
	size_t len;

	if (read_whole_file(path, 64 * 1024 * 1024, &text, &len) != 0) {
		wq_err_set(err, WQ_ERR_IO, "无法读取 %s：%s", path, strerror(errno));
		return NULL;
	}
	return text;
}

static bool
plan_load(struct plan *p, const char *dir, struct wq_err *err)
{
	const struct wq_embedded_file *f;
	DIR *d;
	struct dirent *de;
	size_t len;
	char *path, *text;

	memset(p, 0, sizeof(*p));
	if (!dir) {
		for (f = wq_migrations; f->name; f++)
			if (!plan_add(p, f->name, xstrdup(f->text), err))
				return false;
	} else {
		d = opendir(dir);
		if (!d)
			return wq_err_set(err, WQ_ERR_IO, "无法打开迁移目录 %s", dir);
		while ((de = readdir(d))) {
			len = strlen(de->d_name);
			if (len < 5 || strcmp(de->d_name + len - 4, ".sql") != 0)
				continue;
			path = xasprintf("%s/%s", dir, de->d_name);
			text = read_file(path, err);
			free(path);
			if (!text || !plan_add(p, de->d_name, text, err)) {
				closedir(d);
				return false;
			}
		}
		closedir(d);
	}
	qsort(p->m, (size_t)p->n, sizeof(*p->m), cmp_version);
	return true;
}

/* Fills checksums (computed by the server) and the applied flags. */
static bool
plan_compare(struct plan *p, struct wq_db *db, struct wq_err *err)
{
	struct wq_rows *rows;
	const char *param[1];
	int i, r, v;
	bool known;

	for (i = 0; i < p->n; i++) {
		param[0] = p->m[i].text;
		rows = db_query(db, "SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", 1, param, err);
		if (!rows)
			return false;
		p->m[i].checksum = xstrdup(rows_get(rows, 0, 0));
		rows_free(rows);
	}
	rows = db_query(db, "SELECT to_regclass('wq.schema_migration') IS NOT NULL", 0, NULL, err);
	if (!rows)
		return false;
	known = strcmp(rows_get(rows, 0, 0), "t") == 0;
	rows_free(rows);
	if (!known)
		return true;
	rows = db_query(db, "SELECT version, name, checksum, to_char(applied_at, 'YYYY-MM-DD HH24:MI') AS applied_at "
		"FROM wq.schema_migration ORDER BY version", 0, NULL, err);
	if (!rows)
		return false;
	for (r = 0; r < rows->nrows; r++) {
		v = atoi(rows_getn(rows, r, "version"));
		for (i = 0; i < p->n && p->m[i].version != v; i++)
			;
		if (i == p->n) {
			wq_err_set(err, WQ_ERR_INPUT,
				"数据库已应用迁移 %s，但本程序没有这个文件：请使用更新的 wq", rows_getn(rows, r, "name"));
			rows_free(rows);
			return false;
		}
		p->m[i].applied = true;
		p->m[i].applied_at = xstrdup(rows_getn(rows, r, "applied_at"));
		if (strcmp(p->m[i].checksum, rows_getn(rows, r, "checksum")) != 0) {
			wq_err_set(err, WQ_ERR_INPUT,
				"迁移 %s 已应用，但文件此后被修改（校验和不同）：拒绝继续。"
				"已应用的迁移不可修改，请新增一个迁移文件", p->m[i].name);
			rows_free(rows);
			return false;
		}
	}
	rows_free(rows);
	return true;
}

static bool
lock(struct wq_db *db, bool on, struct wq_err *err)
{
	return db_exec(db, on ? "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")"
	                      : "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", 0, NULL, err);
}

static bool
apply_one(struct wq_db *db, const struct migration *m, struct wq_err *err)
{
	char version[16];
	const char *params[3];

	snprintf(version, sizeof(version), "%d", m->version);
	params[0] = version;
	params[1] = m->name;
	params[2] = m->checksum;
	if (!db_exec(db, "BEGIN", 0, NULL, err))
		return false;
	if (!db_exec_script(db, m->text, err))
		goto fail;
	if (!db_exec(db, "RESET ROLE", 0, NULL, err))
		goto fail;
	if (!db_exec(db, "INSERT INTO wq.schema_migration (version, name, checksum) VALUES ($1, $2, $3)",
		     3, params, err))
		goto fail;
	if (!db_exec(db, "INSERT INTO wq.event (entity, entity_id, action, after) "
		     "VALUES ('migration', $1, 'apply', jsonb_build_object('name', $2::text, 'checksum', $3::text))",
		     3, params, err))
		goto fail;
	return db_exec(db, "COMMIT", 0, NULL, err);
fail:
	db_exec(db, "ROLLBACK", 0, NULL, NULL);
	return false;
}

bool
migrate_run(struct wq_db *db, const char *dir, FILE *out, struct wq_err *err)
{
	struct plan p;
	int i, applied = 0;
	bool ok = false;
	struct wq_err e2;

	if (!plan_load(&p, dir, err)) {
		plan_fini(&p);
		return false;
	}
	if (!lock(db, true, err)) {
		plan_fini(&p);
		return false;
	}
	if (!plan_compare(&p, db, err))
		goto out;
	for (i = 0; i < p.n; i++) {
		if (p.m[i].applied)
			continue;
		if (!apply_one(db, &p.m[i], err)) {
			/* keep the server's message, say which file */
			e2 = *err;
			wq_err_set(err, e2.code, "迁移 %s 失败，已回滚：%s", p.m[i].name, e2.msg);
			memcpy(err->sqlstate, e2.sqlstate, sizeof(err->sqlstate));
			memcpy(err->detail, e2.detail, sizeof(err->detail));
			memcpy(err->hint, e2.hint, sizeof(err->hint));
			memcpy(err->server, e2.server, sizeof(err->server));
			goto out;
		}
		fprintf(out, "已应用 %s\n", p.m[i].name);
		applied++;
	}
	if (applied == 0)
		fprintf(out, "数据库已是最新：%d 个迁移均已应用，无需更改\n", p.n);
	else
		fprintf(out, "完成：新应用 %d 个迁移，共 %d 个\n", applied, p.n);
	ok = true;
out:
	lock(db, false, NULL);
	plan_fini(&p);
	return ok;
}

bool
migrate_status(struct wq_db *db, const char *dir, FILE *out, struct wq_err *err)
{
	struct plan p;
	int i, pending = 0;
	bool ok;

	if (!plan_load(&p, dir, err)) {
		plan_fini(&p);
		return false;
	}
	ok = plan_compare(&p, db, err);
	if (ok) {
		for (i = 0; i < p.n; i++) {
			if (p.m[i].applied)
				fprintf(out, "已应用  %-32s %s\n", p.m[i].name, p.m[i].applied_at);
			else
				fprintf(out, "待应用  %s\n", p.m[i].name), pending++;
		}
		fprintf(out, "%d 个已应用，%d 个待应用\n", p.n - pending, pending);
	}
	plan_fini(&p);
	return ok;
}

int
migrate_latest_version(void)
{
	const struct wq_embedded_file *f;
	int v = 0;

	for (f = wq_migrations; f->name; f++)
		if (atoi(f->name) > v)
			v = atoi(f->name);
	return v;
}
