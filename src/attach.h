/*
 * attach.h: the attachments of an agreement (the stamped agreement's scan, a
 * photo of a paper agreement): read from a file, typed by their bytes, and
 * fingerprinted with SHA-256.
 *
 * The type comes from the first bytes (JPEG FF D8 FF, PNG's 8-byte
 * signature, PDF "%PDF-"), never from the file name: a PNG named x.pdf is a
 * PNG.  SHA-256 (FIPS 180-4) is implemented here, so no library is needed.
 */
#ifndef WQ_ATTACH_H
#define WQ_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The largest attachment accepted: 10 MiB. */
#define ATTACH_MAX_BYTES ((size_t)10 * 1024 * 1024)

enum attach_type {
	ATTACH_UNKNOWN,
	ATTACH_JPEG,
	ATTACH_PNG,
	ATTACH_PDF,
};

/* The lowercase hex form of a digest, with its NUL. */
#define ATTACH_SHA256_HEX_SIZE 65

struct attachment {
	enum attach_type type;
	unsigned char *data;    /* size bytes (the caller frees with attach_free) */
	size_t size;
	char sha256[ATTACH_SHA256_HEX_SIZE];  /* lowercase hex */
};

/* The type of a file's first len bytes (ATTACH_UNKNOWN when none matches). */
enum attach_type attach_type_of(const void *data, size_t len);

/* "image/jpeg", "image/png", "application/pdf", or "application/octet-stream". */
const char *attach_mime(enum attach_type type);

/* An incremental SHA-256: init, update any number of times, final. */
struct attach_sha256 {
	uint32_t h[8];
	uint64_t len;              /* bytes hashed so far */
	unsigned char block[64];
	size_t used;               /* bytes waiting in block */
};

void attach_sha256_init(struct attach_sha256 *s);
void attach_sha256_update(struct attach_sha256 *s, const void *data, size_t len);
/* The 32-byte digest; s must be initialised again before it is reused. */
void attach_sha256_final(struct attach_sha256 *s, unsigned char out[32]);

/* The SHA-256 of len bytes as 64 lowercase hex digits and a NUL into out. */
void attach_sha256_hex(const void *data, size_t len, char out[ATTACH_SHA256_HEX_SIZE]);

/*
 * Reads the regular file at path into out: its bytes, type, size and
 * SHA-256.  Refuses (WQ_ERR_INPUT, a Chinese message naming path) an empty
 * file, one over ATTACH_MAX_BYTES, a type that is not JPEG, PNG or PDF, and
 * anything but a regular file; WQ_ERR_IO when the file cannot be opened or
 * read (the cause from wq_errno_text).  On failure out is zeroed and holds
 * nothing to free.
 */
bool attach_read(const char *path, struct attachment *out, struct wq_err *err);

/* Frees what attach_read put in a (a may be NULL) and zeroes it. */
void attach_free(struct attachment *a);

/* a's bytes as bytea text ("\\x" and two hex digits a byte), for a query parameter (caller frees). */
char *attach_bytea_text(const struct attachment *a);

/* The file name of path, without its folders (caller frees). */
char *attach_base_name(const char *path);

#endif
