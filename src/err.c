/* err.c: status codes and the rich error. */
#include "err.h"

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
