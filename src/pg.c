/* pg.c: the database session; the only file that includes libpq-fe.h. */
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "util.h"

struct wq_db {
	PGconn *conn;
	bool busy;        /* an asynchronous query is running */
	bool ended;       /* the server said it is ending the session */
	char ended_state[6];  /* … with this SQLSTATE (57P01, 57P02, …) */
};

/* Keyword/value lists, merged with later entries winning. */
struct kv {
	const char *keys[64];
	const char *vals[64];
	int n;
	PQconninfoOption *parsed[4];  /* kept alive until the connection is made */
	int nparsed;
};

static void
kv_set(struct kv *kv, const char *key, const char *val)
{
	int i;

	if (str_empty(val))
		return;
	for (i = 0; i < kv->n; i++) {
		if (strcmp(kv->keys[i], key) == 0) {
			kv->vals[i] = val;
			return;
		}
	}
	if (kv->n < (int)ARRAY_SIZE(kv->keys) - 1) {
		kv->keys[kv->n] = key;
		kv->vals[kv->n] = val;
		kv->n++;
	}
	kv->keys[kv->n] = NULL;
	kv->vals[kv->n] = NULL;
}

/* Adds every keyword a conninfo string or URI sets. */
static bool
kv_add_conninfo(struct kv *kv, const char *conninfo, const char *what, struct wq_err *err)
{
	PQconninfoOption *opts, *o;
	char *errmsg = NULL;

	if (str_empty(conninfo))
		return true;
	opts = PQconninfoParse(conninfo, &errmsg);
	if (!opts) {
		wq_err_set(err, WQ_ERR_CONF, "%s 无法解析：格式错误", what);
		if (err && errmsg)
			snprintf(err->server, sizeof(err->server), "%s", errmsg);
		if (errmsg)
			PQfreemem(errmsg);
		return false;
	}
	for (o = opts; o->keyword; o++)
		if (o->val)
			kv_set(kv, o->keyword, o->val);
	if (kv->nparsed < (int)ARRAY_SIZE(kv->parsed))
		kv->parsed[kv->nparsed++] = opts;
	else
		PQconninfoFree(opts);
	return true;
}

static void
kv_fini(struct kv *kv)
{
	int i;

	for (i = 0; i < kv->nparsed; i++)
		PQconninfoFree(kv->parsed[i]);
}

static bool
kv_build(struct kv *kv, const struct wq_conn_spec *spec, char *timeout, size_t timeout_size, struct wq_err *err)
{
	const struct wq_conf *c = spec->conf;

	memset(kv, 0, sizeof(*kv));
	kv_set(kv, "fallback_application_name", "wq");
	if (c) {
		if (!kv_add_conninfo(kv, c->conn_dsn, "配置项 connection.dsn", err))
			return false;
		kv_set(kv, "host", c->conn_host);
		kv_set(kv, "port", c->conn_port);
		kv_set(kv, "dbname", c->conn_dbname);
		kv_set(kv, "user", c->conn_user);
		kv_set(kv, "service", c->conn_service);
		kv_set(kv, "sslmode", c->conn_sslmode);
		kv_set(kv, "target_session_attrs", c->conn_target_session_attrs);
		kv_set(kv, "application_name", c->conn_application_name);
		if (c->conn_connect_timeout > 0) {
			snprintf(timeout, timeout_size, "%d", c->conn_connect_timeout);
			kv_set(kv, "connect_timeout", timeout);
		}
	}
	if (!kv_add_conninfo(kv, spec->dsn, "--dsn", err))
		return false;
	kv_set(kv, "user", spec->user);
	kv_set(kv, "password", spec->password);
	kv_set(kv, "client_encoding", "UTF8");
	return true;
}

static const char *
kv_get(const struct kv *kv, const char *key)
{
	int i;

	for (i = 0; i < kv->n; i++)
		if (strcmp(kv->keys[i], key) == 0)
			return kv->vals[i];
	return NULL;
}

char *
db_describe_target(const struct wq_conn_spec *spec)
{
	struct kv kv;
	char timeout[16];
	const char *host, *port, *dbname, *service;
	char *out;

	if (!kv_build(&kv, spec, timeout, sizeof(timeout), NULL)) {
		kv_fini(&kv);
		return xstrdup("（连接参数有误）");
	}
	service = kv_get(&kv, "service");
	if (!service)
		service = getenv("PGSERVICE");
	host = kv_get(&kv, "host");
	if (!host)
		host = getenv("PGHOST");
	port = kv_get(&kv, "port");
	if (!port)
		port = getenv("PGPORT");
	dbname = kv_get(&kv, "dbname");
	if (!dbname)
		dbname = getenv("PGDATABASE");
	if (service && !host)
		out = xasprintf("服务 %s", service);
	else
		out = xasprintf("%s%s%s/%s",
			host ? (host[0] == '/' ? "本机" : host) : "本机",
			port ? ":" : "", port ? port : "", dbname ? dbname : "");
	kv_fini(&kv);
	return out;
}

/* The first line of a libpq message, without its "connection to server ... failed: " prefix. */
static void
first_line(const char *msg, char *out, size_t size)
{
	const char *p = strstr(msg, "failed: ");
	const char *end;
	size_t n;

	if (p && p - msg < 200)
		msg = p + strlen("failed: ");
	end = strchr(msg, '\n');
	n = end ? (size_t)(end - msg) : strlen(msg);
	if (n >= size)
		n = size - 1;
	memcpy(out, msg, n);
	out[n] = '\0';
}

/* Maps a failed connection to a Chinese message.  libpq 15 gives no SQLSTATE here. */
static void
connect_error(PGconn *conn, const char *target, struct wq_err *err)
{
	const char *msg = PQerrorMessage(conn);
	char line[512];

	first_line(msg, line, sizeof(line));
	if (strstr(msg, "password authentication failed") || strstr(msg, "no password supplied")
	    || strstr(msg, "SCRAM authentication")) {
		wq_err_set(err, WQ_ERR_PG_AUTH, "用户名或密码错误");
	} else if (strstr(msg, "is not permitted to log in")) {
		wq_err_set(err, WQ_ERR_PG_LOCKED, "账号已被锁定，请联系学校就业部门");
	} else if (strstr(msg, "could not translate host name") || strstr(msg, "Name or service not known")) {
		wq_err_set(err, WQ_ERR_PG_CONN, "找不到服务器 %s，请检查服务器地址", target);
	} else if (strstr(msg, "Connection refused") || strstr(msg, "No such file or directory")) {
		wq_err_set(err, WQ_ERR_PG_CONN, "无法连接服务器 %s：服务器未运行或拒绝连接", target);
	} else if (strstr(msg, "timeout expired") || strstr(msg, "timed out")) {
		wq_err_set(err, WQ_ERR_PG_CONN, "连接服务器 %s 超时", target);
	} else if (strstr(msg, "does not exist") && strstr(msg, "database")) {
		wq_err_set(err, WQ_ERR_PG_CONN, "服务器 %s 上没有该数据库", target);
	} else if (strstr(msg, "role") && strstr(msg, "does not exist")) {
		/* peer/trust servers say so; never say more than a wrong password would */
		wq_err_set(err, WQ_ERR_PG_AUTH, "用户名或密码错误");
	} else if (strstr(msg, "pg_hba.conf")) {
		wq_err_set(err, WQ_ERR_PG_CONN, "服务器 %s 不允许此连接（pg_hba.conf）", target);
	} else if (strstr(msg, "Peer authentication failed")) {
		wq_err_set(err, WQ_ERR_PG_AUTH, "本机身份验证失败，请输入用户名和密码");
	} else {
		wq_err_set(err, WQ_ERR_PG_CONN, "无法连接服务器 %s", target);
	}
	if (err)
		snprintf(err->server, sizeof(err->server), "%s", line);
}

/* Notices are never printed (the screen is curses'); one that ends the session is noted. */
static void
notice_receive(void *arg, const PGresult *res)
{
	struct wq_db *db = arg;
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	if (state && strncmp(state, "57P0", 4) == 0) {
		db->ended = true;
		snprintf(db->ended_state, sizeof(db->ended_state), "%s", state);
	}
}

struct wq_db *
db_connect(const struct wq_conn_spec *spec, bool *needs_password, struct wq_err *err)
{
	struct kv kv;
	char timeout[16];
	PGconn *conn;
	struct wq_db *db;
	char *target;

	if (needs_password)
		*needs_password = false;
	if (!kv_build(&kv, spec, timeout, sizeof(timeout), err)) {
		kv_fini(&kv);
		return NULL;
	}
	conn = PQconnectdbParams(kv.keys, kv.vals, 0);
	kv_fini(&kv);
	if (!conn) {
		wq_err_set(err, WQ_ERR_OOM, "内存不足");
		return NULL;
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		if (needs_password)
			*needs_password = PQconnectionNeedsPassword(conn);
		target = db_describe_target(spec);
		if (PQconnectionNeedsPassword(conn) && str_empty(spec->password))
			wq_err_set(err, WQ_ERR_PG_AUTH, "请输入密码");
		else
			connect_error(conn, target, err);
		free(target);
		PQfinish(conn);
		return NULL;
	}
	db = xcalloc(1, sizeof(*db));
	db->conn = conn;
	PQsetNoticeReceiver(conn, notice_receive, db);
	return db;
}

void
db_close(struct wq_db *db)
{
	if (!db)
		return;
	PQfinish(db->conn);
	free(db);
}

const char *
db_user(const struct wq_db *db)
{
	return PQuser(db->conn);
}

char *
db_describe(const struct wq_db *db)
{
	const char *host = PQhost(db->conn);

	return xasprintf("%s:%s/%s",
		!host || host[0] == '/' ? "本机" : host, PQport(db->conn), PQdb(db->conn));
}

bool
db_check(struct wq_db *db)
{
	PGresult *res;
	bool ok;

	db_cancel(db);
	if (PQstatus(db->conn) == CONNECTION_OK && !db->ended) {
		res = PQexec(db->conn, "SELECT 1");
		ok = PQresultStatus(res) == PGRES_TUPLES_OK;
		PQclear(res);
		if (ok)
			return true;
	}
	PQreset(db->conn);
	db->ended = false;
	return PQstatus(db->conn) == CONNECTION_OK;
}

/* A send that failed: the connection is gone. */
static bool
conn_lost(struct wq_db *db, struct wq_err *err)
{
	wq_err_set(err, WQ_ERR_PG_CONN, "与数据库的连接已断开");
	if (err)
		snprintf(err->server, sizeof(err->server), "%s", PQerrorMessage(db->conn));
	return false;
}

/* The one gate every result passes.  Returns true when it is a success. */
static bool
result_ok(struct wq_db *db, PGresult *res, struct wq_err *err)
{
	const char *f;

	switch (res ? PQresultStatus(res) : PGRES_FATAL_ERROR) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
	case PGRES_SINGLE_TUPLE:
		return true;
	case PGRES_COPY_OUT:
	case PGRES_COPY_IN:
	case PGRES_COPY_BOTH:
	case PGRES_BAD_RESPONSE:
	case PGRES_NONFATAL_ERROR:
	case PGRES_FATAL_ERROR:
	case PGRES_PIPELINE_SYNC:
	case PGRES_PIPELINE_ABORTED:
		break;
	}
	if (!err)
		return false;
	/* the server's SQLSTATE decides (57P01 comes with a closed connection) */
	f = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!f) {
		/* no result of its own: a FATAL error that came while idle reached
		 * the notice receiver, which kept its SQLSTATE */
		const char *msg = PQerrorMessage(db->conn);

		if (db->ended)
			wq_err_from_server(err, db->ended_state, NULL, NULL, NULL);
		else
			wq_err_set(err, WQ_ERR_PG_CONN, "与数据库的连接已断开");
		snprintf(err->server, sizeof(err->server), "%s", msg);
		return false;
	}
	wq_err_from_server(err, f, PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY),
		PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL), PQresultErrorField(res, PG_DIAG_MESSAGE_HINT));
	return false;
}

static struct wq_rows *
rows_from(PGresult *res)
{
	struct wq_rows *rows = xcalloc(1, sizeof(*rows));
	int r, c;

	rows->nrows = PQntuples(res);
	rows->ncols = PQnfields(res);
	rows->names = xcalloc((size_t)rows->ncols + 1, sizeof(char *));
	for (c = 0; c < rows->ncols; c++)
		rows->names[c] = xstrdup(PQfname(res, c));
	rows->values = xcalloc((size_t)rows->nrows * (size_t)rows->ncols + 1, sizeof(char *));
	for (r = 0; r < rows->nrows; r++)
		for (c = 0; c < rows->ncols; c++)
			if (!PQgetisnull(res, r, c))
				rows->values[r * rows->ncols + c] = xstrdup(PQgetvalue(res, r, c));
	return rows;
}

struct wq_rows *
db_query(struct wq_db *db, const char *sql, int nparams, const char *const *params, struct wq_err *err)
{
	PGresult *res;
	struct wq_rows *rows = NULL;

	db_cancel(db);   /* a synchronous query replaces an asynchronous one */
	res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	if (result_ok(db, res, err))
		rows = rows_from(res);
	PQclear(res);
	return rows;
}

bool
db_exec(struct wq_db *db, const char *sql, int nparams, const char *const *params, struct wq_err *err)
{
	PGresult *res;
	bool ok;

	db_cancel(db);
	res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ok = result_ok(db, res, err);
	PQclear(res);
	return ok;
}

bool
db_exec_script(struct wq_db *db, const char *sql, struct wq_err *err)
{
	PGresult *res;
	bool ok;

	res = PQexec(db->conn, sql);
	ok = result_ok(db, res, err);
	PQclear(res);
	return ok;
}

bool
db_copy_begin(struct wq_db *db, const char *sql, struct wq_err *err)
{
	PGresult *res = PQexec(db->conn, sql);
	bool ok = res && PQresultStatus(res) == PGRES_COPY_IN;

	if (!ok)
		result_ok(db, res, err);
	PQclear(res);
	return ok;
}

bool
db_copy_put(struct wq_db *db, const char *buf, size_t len, struct wq_err *err)
{
	if (PQputCopyData(db->conn, buf, (int)len) == 1)
		return true;
	return conn_lost(db, err);
}

bool
db_copy_end(struct wq_db *db, struct wq_err *err)
{
	PGresult *res;
	bool ok = true;

	if (PQputCopyEnd(db->conn, NULL) != 1)
		return conn_lost(db, err);
	while ((res = PQgetResult(db->conn))) {
		if (ok && !result_ok(db, res, err))
			ok = false;
		PQclear(res);
	}
	return ok;
}

bool
db_send(struct wq_db *db, const char *sql, int nparams, const char *const *params, struct wq_err *err)
{
	if (db->busy)
		db_cancel(db);
	if (!PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0))
		return conn_lost(db, err);
	db->busy = true;
	return true;
}

int
db_poll(struct wq_db *db, struct wq_rows **rows, struct wq_err *err)
{
	PGresult *res;
	bool failed = false;

	*rows = NULL;
	if (!db->busy)
		return 0;
	if (!PQconsumeInput(db->conn)) {
		db->busy = false;
		conn_lost(db, err);
		return 1;
	}
	if (PQisBusy(db->conn))
		return 0;
	/* the whole result is in: take it, then drain to the end */
	while ((res = PQgetResult(db->conn))) {
		if (!failed && !*rows) {
			if (result_ok(db, res, err))
				*rows = rows_from(res);
			else
				failed = true;
		}
		PQclear(res);
	}
	db->busy = false;
	return 1;
}

bool
db_idle_check(struct wq_db *db, wq_notify_fn fn, void *arg)
{
	PGnotify *n;
	PGresult *res;
	const char *state;
	bool gone = false;

	if (db->busy)
		return true;
	if (PQstatus(db->conn) != CONNECTION_OK || !PQconsumeInput(db->conn))
		return false;
	/* the server's word that it ends the session may come before the end
	 * itself: as a notice while idle, or as a result */
	while (!PQisBusy(db->conn) && (res = PQgetResult(db->conn))) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state && (strncmp(state, "57P0", 4) == 0 || strncmp(state, "08", 2) == 0))
			gone = true;
		PQclear(res);
	}
	if (gone || db->ended)
		return false;
	while ((n = PQnotifies(db->conn))) {
		if (fn)
			fn(arg, n->relname, n->extra ? n->extra : "");
		PQfreemem(n);
	}
	return PQstatus(db->conn) == CONNECTION_OK;
}

bool
db_listen(struct wq_db *db, const char *channel, bool on, struct wq_err *err)
{
	char *id = db_quote_ident(db, channel), *sql;
	bool ok;

	if (!id)
		return wq_err_set(err, WQ_ERR_PG_CONN, "与数据库的连接已断开");
	sql = xasprintf("%s %s", on ? "LISTEN" : "UNLISTEN", id);
	ok = db_exec(db, sql, 0, NULL, err);
	free(sql);
	free(id);
	return ok;
}

bool
db_busy(const struct wq_db *db)
{
	return db->busy;
}

int
db_socket(const struct wq_db *db)
{
	return PQsocket(db->conn);
}

void
db_cancel(struct wq_db *db)
{
	PGcancel *c;
	PGresult *res;
	char buf[256];

	if (!db->busy) {
		/* read what the server sent while idle: its word that it ends the
		 * session reaches the notice receiver (with its SQLSTATE) first */
		PQconsumeInput(db->conn);
		return;
	}
	c = PQgetCancel(db->conn);
	if (c) {
		PQcancel(c, buf, sizeof(buf));
		PQfreeCancel(c);
	}
	while ((res = PQgetResult(db->conn)))
		PQclear(res);
	db->busy = false;
}

/* Copies a libpq-allocated string into our allocator and frees the original. */
static char *
take_pq_string(char *q)
{
	char *out;

	if (!q)
		return NULL;
	out = xstrdup(q);
	PQfreemem(q);
	return out;
}

char *
db_quote_ident(struct wq_db *db, const char *s)
{
	return take_pq_string(PQescapeIdentifier(db->conn, s, strlen(s)));
}

char *
db_quote_literal(struct wq_db *db, const char *s)
{
	return take_pq_string(PQescapeLiteral(db->conn, s, strlen(s)));
}

char *
db_password_verifier(struct wq_db *db, const char *role, const char *password, struct wq_err *err)
{
	char *v = take_pq_string(PQencryptPasswordConn(db->conn, password, role, "scram-sha-256"));

	if (!v) {
		wq_err_set(err, WQ_ERR_PG_QUERY, "无法生成密码摘要");
		if (err)
			snprintf(err->server, sizeof(err->server), "%s", PQerrorMessage(db->conn));
	}
	return v;
}

void
rows_free(struct wq_rows *rows)
{
	int i;

	if (!rows)
		return;
	for (i = 0; i < rows->ncols; i++)
		free(rows->names[i]);
	for (i = 0; i < rows->nrows * rows->ncols; i++)
		free(rows->values[i]);
	free(rows->names);
	free(rows->values);
	free(rows);
}

const char *
rows_get(const struct wq_rows *rows, int row, int col)
{
	if (!rows || row < 0 || row >= rows->nrows || col < 0 || col >= rows->ncols)
		return NULL;
	return rows->values[row * rows->ncols + col];
}

int
rows_col(const struct wq_rows *rows, const char *name)
{
	int c;

	for (c = 0; rows && c < rows->ncols; c++)
		if (strcmp(rows->names[c], name) == 0)
			return c;
	return -1;
}

const char *
rows_getn(const struct wq_rows *rows, int row, const char *name)
{
	int col = rows_col(rows, name);
	char *msg;

	if (rows && col < 0) {
		/* the query and the code that reads it disagree: a bug, never bad input */
		msg = xasprintf("内部错误：查询结果中没有列 %s", name);
		if (wq_fatal_hook)
			wq_fatal_hook(msg);
		fprintf(stderr, "wq: %s\n", msg);
		free(msg);
		abort();
	}
	return rows_get(rows, row, col);
}
