/* dbtest.c: helpers shared by the database suites. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "admin.h"
#include "dbtest.h"
#include "demo.h"
#include "import.h"
#include "migrate.h"
#include "util.h"

static const char *sock;
static const char *dbname;

bool
dbtest_init(void)
{
	sock = getenv("WQ_TEST_SOCK");
	dbname = getenv("WQ_TEST_DB");
	if (!sock || !dbname) {
		fprintf(stderr, "WQ_TEST_SOCK and WQ_TEST_DB must be set (tests/db/run.sh does)\n");
		return false;
	}
	return true;
}

struct wq_db *
dbtest_migrated(void)
{
	struct wq_db *db;
	struct wq_err err;
	FILE *devnull;
	bool ok;

	if (!dbtest_init())
		return NULL;
	db = must_connect(NULL);
	devnull = fopen("/dev/null", "w");
	wq_err_clear(&err);
	ok = devnull && migrate_run(db, NULL, devnull, &err);
	if (devnull)
		fclose(devnull);
	if (!ok) {
		fprintf(stderr, "migrate: %s\n", err.msg);
		db_close(db);
		return NULL;
	}
	return db;
}

struct wq_db *
dbtest_fixture(const char *const *lines)
{
	struct wq_db *db = dbtest_migrated();
	struct wq_err err;
	char code[16], name[128], third[32];
	bool ok;

	if (!db)
		return NULL;
	for (; *lines; lines++) {
		wq_err_clear(&err);
		if (sscanf(*lines, "%15s %127s %31s", code, name, third) != 3) {
			fprintf(stderr, "fixture: cannot read \"%s\"\n", *lines);
			db_close(db);
			return NULL;
		}
		ok = strlen(code) == 2 ? admin_province_set(db, code, name, third, &err)
			: admin_school_add(db, code, name, third, &err);
		if (!ok) {
			fprintf(stderr, "fixture: %s: %s\n", *lines, err.msg);
			db_close(db);
			return NULL;
		}
	}
	return db;
}

int
dbtest_teardown(void **state)
{
	db_close(*state);
	return 0;
}

/* Connects as login (password "pw-" + login), or as the superuser when login is NULL. */
struct wq_db *
connect_as(const char *login, const char *password, struct wq_err *err)
{
	char dsn[512];
	char pw[128];
	struct wq_conn_spec spec = { NULL, dsn, NULL, NULL };

	snprintf(dsn, sizeof(dsn), "host=%s dbname=%s user=%s", sock, dbname, login ? login : "postgres");
	if (login) {
		if (!password) {
			snprintf(pw, sizeof(pw), "pw-%s", login);
			password = pw;
		}
		spec.password = password;
	}
	return db_connect(&spec, NULL, err);
}

struct wq_db *
must_connect(const char *login)
{
	struct wq_err err;
	struct wq_db *db;

	wq_err_clear(&err);
	db = connect_as(login, NULL, &err);
	if (!db)
		fail_msg("connect as %s: %s", login ? login : "postgres", err.msg);
	return db;
}

/* The single text value of a one-row, one-column query (caller frees), or NULL. */
char *
scalar(struct wq_db *db, const char *sql)
{
	struct wq_err err;
	struct wq_rows *rows;
	char *v = NULL;

	wq_err_clear(&err);
	rows = db_query(db, sql, 0, NULL, &err);
	if (!rows)
		fail_msg("%s: %s", sql, err.msg);
	if (rows->nrows == 1 && rows_get(rows, 0, 0))
		v = xstrdup(rows_get(rows, 0, 0));
	rows_free(rows);
	return v;
}

void
assert_scalar(struct wq_db *db, const char *sql, const char *expected)
{
	char *v = scalar(db, sql);

	if (!v || strcmp(v, expected) != 0)
		fail_msg("%s\n  expected: %s\n  got:      %s", sql, expected, v ? v : "(null)");
	free(v);
}

/* The statement fails with the given SQLSTATE (NULL: any error). */
void
assert_refused(struct wq_db *db, const char *sql, const char *sqlstate)
{
	struct wq_err err;
	bool ok;

	wq_err_clear(&err);
	ok = db_exec(db, sql, 0, NULL, &err);
	if (ok)
		fail_msg("expected refusal, but it ran: %s", sql);
	if (sqlstate && strcmp(err.sqlstate, sqlstate) != 0)
		fail_msg("%s\n  expected SQLSTATE %s, got %s: %s", sql, sqlstate, err.sqlstate, err.msg);
	/* leave no failed transaction behind */
	db_exec(db, "ROLLBACK", 0, NULL, NULL);
}

void
must_exec(struct wq_db *db, const char *sql)
{
	struct wq_err err;

	wq_err_clear(&err);
	if (!db_exec(db, sql, 0, NULL, &err))
		fail_msg("%s: %s", sql, err.msg);
}

void
add_account(struct wq_db *db, const char *login, const char *kind, const char *province,
	const char *school, const char *dept)
{
	struct admin_account a = { 0 };
	struct wq_err err;
	char pw[128];

	snprintf(pw, sizeof(pw), "pw-%s", login);
	a.login = login;
	a.kind = kind;
	a.province = province;
	a.school = school;
	a.dept = dept;
	a.name = login;
	a.password = pw;
	wq_err_clear(&err);
	if (!admin_account_add(db, &a, &err))
		fail_msg("account add %s: %s", login, err.msg);
}

/*
 * Imports n rows of the generated roster of school (demo_write_roster with
 * seed) through the real import, as db: for the caller's own school, or, with
 * as_operator, naming the school (db is then the operator).
 */
bool
demo_import(struct wq_db *db, const struct demo_school *school, int n, unsigned seed, bool as_operator,
	struct wq_err *err)
{
	char path[] = "/tmp/wq-dbtest-XXXXXX.csv";
	struct import_opts opts = { 0 };
	struct import_result res;
	FILE *f, *devnull;
	int fd = mkstemps(path, 4), rc;

	if (fd < 0 || !(f = fdopen(fd, "w")))
		return wq_err_set(err, WQ_ERR_IO, "temporary file");
	if (!demo_write_roster(f, school, n, seed, err)) {
		fclose(f);
		unlink(path);
		return false;
	}
	fclose(f);
	opts.path = path;
	opts.encoding = CSV_ENC_AUTO;
	opts.school_code = as_operator ? school->code : NULL;
	devnull = fopen("/dev/null", "w");
	rc = roster_import(db, &opts, devnull, devnull, &res, err);
	fclose(devnull);
	unlink(path);
	return rc == 0;
}

void
import_demo(struct wq_db *db, const struct demo_school *school, int n)
{
	struct wq_err err;

	wq_err_clear(&err);
	if (!demo_import(db, school, n, 7, false, &err))
		fail_msg("import: %s", err.msg);
}

char *
q(struct wq_db *db, const char *fmt, ...)
{
	va_list ap;
	char sql[4096];

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return scalar(db, sql);
}

char *
refusal(struct wq_db *db, const char *fmt, ...)
{
	va_list ap;
	char sql[4096];
	struct wq_err err;
	struct wq_rows *r;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	wq_err_clear(&err);
	r = db_query(db, sql, 0, NULL, &err);
	if (r) {
		rows_free(r);
		fail_msg("not refused: %s", sql);
	}
	return xstrdup(err.msg);
}
