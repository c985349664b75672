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

/* Appends one more line to err->msg (a loader that reports every problem). */
void wq_err_append(struct wq_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
