/*
 * err.h: the status codes and the rich error every fallible core function fills.
 *
 * Fallible functions return bool (or NULL) and take `struct wq_err *err` last;
 * err may be NULL.  Nothing in src/ prints: the caller decides where a message goes.
 */
#ifndef WQ_ERR_H
#define WQ_ERR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define WQ_ERR_INFO(_) \
	_(OK,        "成功") \
	_(OOM,       "内存不足") \
	_(IO,        "文件读写失败") \
	_(USAGE,     "命令用法错误") \
	_(CONF,      "配置文件错误") \
	_(INPUT,     "输入有误") \
	_(PG_CONN,   "无法连接数据库") \
	_(PG_AUTH,   "用户名或密码错误") \
	_(PG_LOCKED, "账号已被锁定") \
	_(PG_QUERY,  "数据库操作失败") \
	_(PG_DENIED, "没有权限") \
	_(STALE,     "数据已被他人修改")

enum wq_err_code {
#define WQ_ERR_ENUM(id, text) WQ_ERR_##id,
	WQ_ERR_INFO(WQ_ERR_ENUM)
#undef WQ_ERR_ENUM
};

struct wq_err {
	enum wq_err_code code;
	char sqlstate[6];   /* five-character SQLSTATE, or "" */
	char msg[4096];     /* primary message; several lines when a loader collects all problems */
	char detail[1024];  /* secondary text (libpq DETAIL), or "" */
	char hint[512];     /* libpq HINT, or "" */
	char server[1024];  /* the server's or the system's own text (often English): never shown
	                     * to a user, only with --verbose */
};

/* The fixed Chinese text of a code. */
const char *wq_err_text(enum wq_err_code code);

/* Resets err to WQ_ERR_OK with empty strings.  err may be NULL. */
void wq_err_clear(struct wq_err *err);

/*
 * Sets err's code and message (printf format).  err may be NULL.
 * Always returns false so a caller can write `return wq_err_set(...)`.
 */
bool wq_err_set(struct wq_err *err, enum wq_err_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The Chinese message for a SQLSTATE (class or exact code), e.g. "42501" ->
 * "没有权限执行此操作"; an unknown code gives "数据库错误（SQLSTATE xxxxx）".
 * Writes into out (size bytes).
 */
void wq_sqlstate_message(const char *sqlstate, char *out, size_t size);

/* The error code a SQLSTATE stands for (PG_DENIED, PG_CONN, PG_QUERY). */
enum wq_err_code wq_sqlstate_code(const char *sqlstate);

/* True when text begins (after spaces) with a CJK character: a message written in Chinese. */
bool wq_text_is_chinese(const char *text);

/*
 * Fills err from a server error: the project's own functions raise Chinese
 * messages, which are kept with their detail and hint; any other message
 * is replaced by wq_sqlstate_message() and the server's text goes to
 * err->server only.  Any argument but err may be NULL.
 */
void wq_err_from_server(struct wq_err *err, const char *sqlstate, const char *primary,
	const char *detail, const char *hint);

/*
 * The Chinese text of a system error number: ENOENT 文件或目录不存在,
 * EACCES 没有权限, ENOSPC 磁盘空间不足, ... or "系统错误（errno N）".
 * Every file error message in src/ says its cause with this.
 */
const char *wq_errno_text(int errnum);

/* Appends one more line to err->msg (a loader that reports every problem). */
void wq_err_append(struct wq_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
