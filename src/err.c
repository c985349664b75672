/* err.c: status codes and the rich error. */
#include "err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const err_texts[] = {
#define WQ_ERR_TEXT(id, text) text,
	WQ_ERR_INFO(WQ_ERR_TEXT)
#undef WQ_ERR_TEXT
};

const char *
wq_err_text(enum wq_err_code code)
{
	if ((size_t)code >= sizeof(err_texts) / sizeof(err_texts[0]))
		return "未知错误";
	return err_texts[code];
}

void
wq_err_clear(struct wq_err *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

bool
wq_err_set(struct wq_err *err, enum wq_err_code code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return false;
	wq_err_clear(err);
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return false;
}

void
wq_err_append(struct wq_err *err, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (!err)
		return;
	len = strlen(err->msg);
	if (len > 0 && len + 1 < sizeof(err->msg))
		err->msg[len++] = '\n', err->msg[len] = '\0';
	if (len + 1 >= sizeof(err->msg))
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg + len, sizeof(err->msg) - len, fmt, ap);
	va_end(ap);
}

/* SQLSTATEs, exact codes first, then whole classes (two characters). */
static const struct {
	const char *code;
	const char *text;
} sqlstate_texts[] = {
	{ "42501", "没有权限执行此操作" },
	{ "57P01", "服务器已结束本次会话" },
	{ "57P02", "服务器已结束本次会话" },
	{ "57P03", "服务器暂时不接受连接，请稍后再试" },
	{ "57014", "查询超时或已取消" },
	{ "22001", "输入过长" },
	{ "22P02", "输入的格式不正确" },
	{ "22003", "数值超出范围" },
	{ "22007", "日期或时间的格式不正确" },
	{ "22008", "日期或时间超出范围" },
	{ "23505", "已存在相同的记录" },
	{ "23514", "数据不符合要求" },
	{ "23502", "缺少必填的数据" },
	{ "23503", "引用的数据不存在" },
	{ "40001", "并发冲突，请重试" },
	{ "40P01", "并发冲突，请重试" },
	{ "55P03", "数据正被他人修改，请稍后重试" },
	{ "25P02", "本次操作已失败，请重试" },
	{ "42P01", "数据库尚未迁移或缺少所需的表" },
	{ "3F000", "数据库尚未迁移或缺少所需的模式" },
	{ "42883", "数据库尚未迁移或缺少所需的函数" },
	{ "08", "与数据库的连接已断开" },
	{ "53", "服务器资源不足" },
	{ "54", "请求超出服务器的限制" },
	{ "22", "输入的数据不正确" },
	{ "23", "数据不符合要求" },
	{ "28", "用户名或密码错误" },
	{ "40", "并发冲突，请重试" },
	{ "42", "没有权限执行此操作或对象不存在" },
	{ "57", "服务器已结束本次操作" },
	{ "58", "服务器系统错误" },
	{ "XX", "服务器内部错误" },
};

void
wq_sqlstate_message(const char *sqlstate, char *out, size_t size)
{
	size_t i;
	int pass;

	if (!sqlstate)
		sqlstate = "";
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < sizeof(sqlstate_texts) / sizeof(sqlstate_texts[0]); i++) {
			const char *c = sqlstate_texts[i].code;

			if ((pass == 0 && strlen(c) == 5 && strcmp(c, sqlstate) == 0)
			    || (pass == 1 && strlen(c) == 2 && strncmp(c, sqlstate, 2) == 0)) {
				snprintf(out, size, "%s", sqlstate_texts[i].text);
				return;
			}
		}
	if (*sqlstate)
		snprintf(out, size, "数据库错误（SQLSTATE %.5s）", sqlstate);
	else
		snprintf(out, size, "数据库错误");
}

enum wq_err_code
wq_sqlstate_code(const char *sqlstate)
{
	if (!sqlstate)
		return WQ_ERR_PG_QUERY;
	if (strcmp(sqlstate, "42501") == 0)
		return WQ_ERR_PG_DENIED;
	if (strncmp(sqlstate, "08", 2) == 0 || strcmp(sqlstate, "57P01") == 0 || strcmp(sqlstate, "57P02") == 0
	    || strcmp(sqlstate, "57P03") == 0)
		return WQ_ERR_PG_CONN;
	return WQ_ERR_PG_QUERY;
}

bool
wq_text_is_chinese(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	unsigned int cp;

	if (!p)
		return false;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (p[0] == 0xF0 && p[1] >= 0xA0 && p[1] <= 0xBF)
		return true;   /* U+20000..U+3FFFF: CJK extensions B and on */
	/* otherwise a three-byte UTF-8 sequence, U+0800..U+FFFF */
	if ((p[0] & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
		return false;
	cp = ((unsigned int)(p[0] & 0x0F) << 12) | ((unsigned int)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
	return (cp >= 0x2018 && cp <= 0x201D)    /* curly quotes: 院系“x”, “x” 不存在 */
	    || (cp >= 0x2E80 && cp <= 0x9FFF)    /* radicals, punctuation, kana, ideographs */
	    || (cp >= 0xF900 && cp <= 0xFAFF)    /* compatibility ideographs */
	    || (cp >= 0xFF00 && cp <= 0xFFEF);   /* full-width forms */
}

void
wq_err_from_server(struct wq_err *err, const char *sqlstate, const char *primary,
	const char *detail, const char *hint)
{
	if (!err)
		return;
	wq_err_clear(err);
	err->code = wq_sqlstate_code(sqlstate);
	if (sqlstate)
		snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", sqlstate);
	if (wq_text_is_chinese(primary)) {
		snprintf(err->msg, sizeof(err->msg), "%s", primary);
		if (detail)
			snprintf(err->detail, sizeof(err->detail), "%s", detail);
		if (hint)
			snprintf(err->hint, sizeof(err->hint), "%s", hint);
		return;
	}
	wq_sqlstate_message(sqlstate, err->msg, sizeof(err->msg));
	snprintf(err->server, sizeof(err->server), "%s%s%s%s%s", primary ? primary : "",
		detail ? " DETAIL: " : "", detail ? detail : "", hint ? " HINT: " : "", hint ? hint : "");
}

const char *
wq_errno_text(int errnum)
{
	static _Thread_local char buf[48];

	switch (errnum) {
	case ENOENT: return "文件或目录不存在";
	case EACCES: return "没有权限";
	case EPERM: return "不允许此操作";
	case ENOSPC: return "磁盘空间不足";
	case EDQUOT: return "超出磁盘配额";
	case EISDIR: return "是一个目录";
	case ENOTDIR: return "路径中有一项不是目录";
	case EEXIST: return "已存在";
	case EROFS: return "文件系统只读";
	case EFBIG: return "文件太大";
	case ENAMETOOLONG: return "文件名太长";
	case EMFILE: case ENFILE: return "打开的文件太多";
	case EIO: return "输入输出错误";
	case ENOMEM: return "内存不足";
	case EILSEQ: return "含有无法转换的字符";
	case EPIPE: return "输出已关闭";
	default: break;
	}
	snprintf(buf, sizeof(buf), "系统错误（errno %d）", errnum);
	return buf;
}
