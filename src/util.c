/* util.c: aborting allocators. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

void (*wq_fatal_hook)(const char *msg);

static void
oom(void)
{
	if (wq_fatal_hook)
		wq_fatal_hook("内存不足");
	fputs("wq: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		oom();
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

int
read_whole_file(const char *path, size_t max, char **data, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0, cap;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	/* a regular file's size is known: one allocation */
	cap = S_ISREG(st.st_mode) && st.st_size > 0 && (uintmax_t)st.st_size <= max ?
		(size_t)st.st_size + 2 : 65536;
	buf = xmalloc(cap);
	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			errno = EFBIG;
			goto fail;
		}
	}
	close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
fail:
	saved = errno;
	close(fd);
	free(buf);
	errno = saved;
	return -1;
}

void
wq_request_id(char out[WQ_REQUEST_ID_SIZE])
{
	unsigned char b[16];
	size_t got = 0;
	ssize_t n;
	int fd, i;

	while (got < sizeof(b)) {
		n = getrandom(b + got, sizeof(b) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof(b)) {
		/* a kernel without getrandom(2) */
		fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
		while (fd >= 0 && got < sizeof(b) && (n = read(fd, b + got, sizeof(b) - got)) > 0)
			got += (size_t)n;
		if (fd >= 0)
			close(fd);
		if (got < sizeof(b)) {
			if (wq_fatal_hook)
				wq_fatal_hook("无法取得随机数");
			fputs("wq: no random numbers\n", stderr);
			abort();
		}
	}
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);   /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);   /* RFC 4122 variant */
	for (i = 0; i < 16; i++) {
		static const char hex[] = "0123456789abcdef";

		*out++ = hex[b[i] >> 4];
		*out++ = hex[b[i] & 0x0F];
		if (i == 3 || i == 5 || i == 7 || i == 9)
			*out++ = '-';
	}
	*out = '\0';
}

/* See util.h. */
char *
tmpdir_path(const char *name)
{
	const char *dir = getenv("TMPDIR");

	return xasprintf("%s/%s", str_empty(dir) ? "/tmp" : dir, name);
}

/* See util.h.  The name: .TARGET.PID-N.tmp beside the target (at most 100 bytes of its name). */
char *
tmp_create(const char *path, int *fd)
{
	static unsigned counter;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	int baselen = (int)strnlen(base, 100);
	int tries;

	for (tries = 0; tries < 1000; tries++) {
		char *tmp = xasprintf("%.*s.%.*s.%ld-%u.tmp", dirlen, path, baselen, base,
			(long)getpid(), counter++);

		*fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (*fd >= 0)
			return tmp;
		free(tmp);
		if (errno != EEXIST)
			return NULL;
	}
	errno = EEXIST;
	return NULL;
}
