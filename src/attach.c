/*
 * attach.c: attachments read from a file, typed by their magic numbers and
 * hashed with SHA-256 (FIPS 180-4).  See attach.h.
 */
#include "attach.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define ACCEPTED_TYPES "JPEG、PNG 或 PDF"

/* ---- types ---------------------------------------------------------------- */

static const unsigned char jpeg_magic[] = { 0xFF, 0xD8, 0xFF };
static const unsigned char png_magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
static const unsigned char pdf_magic[] = { '%', 'P', 'D', 'F', '-' };

static bool
starts_with(const unsigned char *data, size_t len, const unsigned char *magic, size_t n)
{
	return len >= n && memcmp(data, magic, n) == 0;
}

enum attach_type
attach_type_of(const void *data, size_t len)
{
	const unsigned char *p = data;

	if (!p)
		return ATTACH_UNKNOWN;
	if (starts_with(p, len, jpeg_magic, sizeof(jpeg_magic)))
		return ATTACH_JPEG;
	if (starts_with(p, len, png_magic, sizeof(png_magic)))
		return ATTACH_PNG;
	if (starts_with(p, len, pdf_magic, sizeof(pdf_magic)))
		return ATTACH_PDF;
	return ATTACH_UNKNOWN;
}

const char *
attach_mime(enum attach_type type)
{
	switch (type) {
	case ATTACH_JPEG: return "image/jpeg";
	case ATTACH_PNG: return "image/png";
	case ATTACH_PDF: return "application/pdf";
	case ATTACH_UNKNOWN: break;
	}
	return "application/octet-stream";
}

/* ---- SHA-256 -------------------------------------------------------------- */

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t
ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void
sha256_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
			(uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (i = 0; i < 64; i++) {
		uint32_t s1 = ror(e, 6) ^ ror(e, 11) ^ ror(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = hh + s1 + ch + sha256_k[i] + w[i];
		uint32_t s0 = ror(a, 2) ^ ror(a, 13) ^ ror(a, 22);
		uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = s0 + maj;

		hh = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void
attach_sha256_init(struct attach_sha256 *s)
{
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, h0, sizeof(h0));
	s->len = 0;
	s->used = 0;
}

void
attach_sha256_update(struct attach_sha256 *s, const void *data, size_t len)
{
	const unsigned char *p = data;

	s->len += len;
	if (s->used > 0) {
		size_t take = sizeof(s->block) - s->used;

		if (take > len)
			take = len;
		memcpy(s->block + s->used, p, take);
		s->used += take;
		p += take;
		len -= take;
		if (s->used < sizeof(s->block))
			return;
		sha256_block(s->h, s->block);
		s->used = 0;
	}
	for (; len >= sizeof(s->block); p += sizeof(s->block), len -= sizeof(s->block))
		sha256_block(s->h, p);
	if (len > 0) {
		memcpy(s->block, p, len);
		s->used = len;
	}
}

void
attach_sha256_final(struct attach_sha256 *s, unsigned char out[32])
{
	uint64_t bits = s->len * 8;
	int i;

	/* 0x80, zeros up to 56 bytes of the last block, then the length in bits (big-endian) */
	s->block[s->used++] = 0x80;
	if (s->used > 56) {
		memset(s->block + s->used, 0, sizeof(s->block) - s->used);
		sha256_block(s->h, s->block);
		s->used = 0;
	}
	memset(s->block + s->used, 0, 56 - s->used);
	for (i = 0; i < 8; i++)
		s->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_block(s->h, s->block);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(s->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)s->h[i];
	}
	memset(s, 0, sizeof(*s));
}

void
attach_sha256_hex(const void *data, size_t len, char out[ATTACH_SHA256_HEX_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	struct attach_sha256 s;
	unsigned char d[32];
	int i;

	attach_sha256_init(&s);
	attach_sha256_update(&s, data, len);
	attach_sha256_final(&s, d);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 0xF];
	}
	out[64] = '\0';
}

/* ---- files ---------------------------------------------------------------- */

bool
attach_read(const char *path, struct attachment *out, struct wq_err *err)
{
	struct stat st;
	enum attach_type type;
	unsigned char *buf = NULL;
	size_t n = 0, cap;
	int fd, saved;

	memset(out, 0, sizeof(*out));
	if (str_empty(path))
		return wq_err_set(err, WQ_ERR_USAGE, "没有指定附件文件");
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == EISDIR)
			return wq_err_set(err, WQ_ERR_INPUT, "%s: 是目录，不是附件文件", path);
		return wq_err_set(err, WQ_ERR_IO, "%s: 无法读取附件：%s", path, wq_errno_text(errno));
	}
	if (fstat(fd, &st) != 0) {
		saved = errno;
		close(fd);
		return wq_err_set(err, WQ_ERR_IO, "%s: 无法读取附件：%s", path, wq_errno_text(saved));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return wq_err_set(err, WQ_ERR_INPUT, "%s: 是目录，不是附件文件", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return wq_err_set(err, WQ_ERR_INPUT, "%s: 不是普通文件，不能作为附件", path);
	}
	if (st.st_size == 0) {
		close(fd);
		return wq_err_set(err, WQ_ERR_INPUT, "%s: 是空文件，不能作为附件", path);
	}
	if ((uintmax_t)st.st_size > ATTACH_MAX_BYTES)
		goto too_big;

	/* one byte more than the size, so a file that grew while read is still caught */
	cap = (size_t)st.st_size + 1;
	buf = xmalloc(cap);
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap > ATTACH_MAX_BYTES)
				goto too_big;
			cap = cap * 2 > ATTACH_MAX_BYTES + 1 ? ATTACH_MAX_BYTES + 1 : cap * 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			free(buf);
			close(fd);
			return wq_err_set(err, WQ_ERR_IO, "%s: 无法读取附件：%s", path,
				wq_errno_text(saved));
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > ATTACH_MAX_BYTES)
			goto too_big;
	}
	close(fd);

	if (n == 0) {
		free(buf);
		return wq_err_set(err, WQ_ERR_INPUT, "%s: 是空文件，不能作为附件", path);
	}
	type = attach_type_of(buf, n);
	if (type == ATTACH_UNKNOWN) {
		free(buf);
		return wq_err_set(err, WQ_ERR_INPUT,
			"%s: 不是可接受的附件类型（只接受 " ACCEPTED_TYPES " 文件）", path);
	}
	out->type = type;
	out->data = buf;
	out->size = n;
	attach_sha256_hex(buf, n, out->sha256);
	return true;

too_big:
	free(buf);
	close(fd);
	return wq_err_set(err, WQ_ERR_INPUT, "%s: 文件过大（附件不能超过 %zu MiB）", path,
		ATTACH_MAX_BYTES >> 20);
}

void
attach_free(struct attachment *a)
{
	if (!a)
		return;
	free(a->data);
	memset(a, 0, sizeof(*a));
}

char *
attach_bytea_text(const struct attachment *a)
{
	static const char hex[] = "0123456789abcdef";
	char *text = xmalloc(a->size * 2 + 3);
	size_t i;

	text[0] = '\\';
	text[1] = 'x';
	for (i = 0; i < a->size; i++) {
		text[2 + 2 * i] = hex[a->data[i] >> 4];
		text[3 + 2 * i] = hex[a->data[i] & 15];
	}
	text[2 + 2 * a->size] = '\0';
	return text;
}

char *
attach_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return xstrdup(slash ? slash + 1 : path);
}
