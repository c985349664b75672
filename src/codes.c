/*
 * codes.c: the code tables in memory.
 *
 * Rows are kept in an array in the order added.  One open-addressing hash
 * table (linear probing, power-of-two size, at most half full) indexes
 * every row three times: by (kind, code), (kind, name) and, when there is
 * one, (kind, short_name).  A slot remembers which of the three it is (its
 * rank: 0 code, 1 name, 2 short name), so one probe sequence finds every
 * candidate and the best rank, then the first row added, wins.
 */
#include "codes.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"
#include "util.h"

enum {
	RANK_CODE = 0,
	RANK_NAME = 1,
	RANK_SHORT = 2,
	MASK_CODE = 1 << RANK_CODE,
	MASK_NAME = 1 << RANK_NAME,
	MASK_SHORT = 1 << RANK_SHORT,
	MASK_ANY = MASK_CODE | MASK_NAME | MASK_SHORT,
};

struct codes_slot {
	uint64_t hash;
	size_t row;          /* index + 1; 0 = empty */
	unsigned char rank;  /* RANK_* */
};

/* FNV-1a over kind, a NUL, then len bytes of key. */
static uint64_t
key_hash(const char *kind, const char *key, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;
	size_t i;

	for (; *kind; kind++) {
		h ^= (unsigned char)*kind;
		h *= 0x100000001b3u;
	}
	h ^= 0xff;  /* separator: no byte of UTF-8 text is 0xff */
	h *= 0x100000001b3u;
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 0x100000001b3u;
	}
	return h;
}

/* The string of row that a slot of this rank indexes. */
static const char *
row_key(const struct codes_row *row, unsigned char rank)
{
	switch (rank) {
	case RANK_CODE:
		return row->code;
	case RANK_NAME:
		return row->name;
	default:
		return row->short_name;
	}
}

/* Puts (hash, row, rank) into a table known to have room. */
static void
slot_put(struct codes_slot *slots, size_t nslots, uint64_t hash, size_t row, unsigned char rank)
{
	size_t i = (size_t)hash & (nslots - 1);

	while (slots[i].row != 0)
		i = (i + 1) & (nslots - 1);
	slots[i].hash = hash;
	slots[i].row = row + 1;
	slots[i].rank = rank;
}

/* Doubles the index (or makes the first one) and re-inserts every slot. */
static void
grow_index(struct codes *codes)
{
	size_t n = codes->nslots ? codes->nslots * 2 : 64;
	struct codes_slot *slots = xcalloc(n, sizeof(*slots));
	size_t i;

	for (i = 0; i < codes->nslots; i++)
		if (codes->slots[i].row != 0)
			slot_put(slots, n, codes->slots[i].hash, codes->slots[i].row - 1,
				codes->slots[i].rank);
	free(codes->slots);
	codes->slots = slots;
	codes->nslots = n;
}

/* Indexes the key of rank of row i, unless that key is NULL or empty. */
static void
index_key(struct codes *codes, size_t i, unsigned char rank)
{
	const struct codes_row *row = &codes->rows[i];
	const char *key = row_key(row, rank);
	size_t len;

	if (str_empty(key))
		return;
	if ((codes->nused + 1) * 2 > codes->nslots)
		grow_index(codes);
	len = strlen(key);
	slot_put(codes->slots, codes->nslots, key_hash(row->kind, key, len), i, rank);
	codes->nused++;
	if (rank != RANK_CODE && len > codes->max_key)
		codes->max_key = len;
}

/*
 * The best row of kind whose key of a rank in mask equals the len bytes at
 * key: the lowest rank, then the first added.  NULL when there is none.
 */
static const struct codes_row *
lookup(const struct codes *codes, const char *kind, const char *key, size_t len,
	unsigned int mask)
{
	const struct codes_row *best = NULL;
	unsigned int best_rank = 0;
	size_t best_index = 0;
	uint64_t h;
	size_t i;

	if (!codes || codes->nslots == 0 || !kind || !key)
		return NULL;
	h = key_hash(kind, key, len);
	for (i = (size_t)h & (codes->nslots - 1); codes->slots[i].row != 0;
	     i = (i + 1) & (codes->nslots - 1)) {
		const struct codes_slot *s = &codes->slots[i];
		const struct codes_row *row;
		const char *k;

		if (s->hash != h || !(mask & (1u << s->rank)))
			continue;
		row = &codes->rows[s->row - 1];
		k = row_key(row, s->rank);
		if (strncmp(k, key, len) != 0 || k[len] != '\0' || strcmp(row->kind, kind) != 0)
			continue;
		if (!best || s->rank < best_rank || (s->rank == best_rank && s->row - 1 < best_index)) {
			best = row;
			best_rank = s->rank;
			best_index = s->row - 1;
		}
	}
	return best;
}

/* codes_init: an empty table; nothing is allocated until the first codes_add. */
void
codes_init(struct codes *codes)
{
	memset(codes, 0, sizeof(*codes));
}

/* codes_fini: frees every row's strings, the rows and the index; codes is zeroed. */
void
codes_fini(struct codes *codes)
{
	size_t i;

	if (!codes)
		return;
	for (i = 0; i < codes->nrows; i++) {
		free(codes->rows[i].kind);
		free(codes->rows[i].code);
		free(codes->rows[i].name);
		free(codes->rows[i].short_name);
	}
	free(codes->rows);
	free(codes->slots);
	memset(codes, 0, sizeof(*codes));
}

/*
 * codes_add: copies the row into the table (the caller keeps its strings)
 * and indexes its code, name and short name.  NULL strings count as "".
 */
void
codes_add(struct codes *codes, const char *kind, const char *code, const char *name,
	const char *short_name, bool eligible)
{
	struct codes_row *row;
	size_t i;

	if (codes->nrows == codes->cap) {
		codes->cap = codes->cap ? codes->cap * 2 : 64;
		codes->rows = xrealloc(codes->rows, codes->cap * sizeof(*codes->rows));
	}
	i = codes->nrows++;
	row = &codes->rows[i];
	row->kind = xstrdup(kind ? kind : "");
	row->code = xstrdup(code ? code : "");
	row->name = xstrdup(name ? name : "");
	row->short_name = str_empty(short_name) ? NULL : xstrdup(short_name);
	row->eligible = eligible;
	index_key(codes, i, RANK_CODE);
	index_key(codes, i, RANK_NAME);
	index_key(codes, i, RANK_SHORT);
}

/* codes_find: the code for a code, name or short name of kind; borrowed, or NULL. */
const char *
codes_find(const struct codes *codes, const char *kind, const char *value)
{
	const struct codes_row *row;

	if (str_empty(value))
		return NULL;
	row = lookup(codes, kind, value, strlen(value), MASK_ANY);
	return row ? row->code : NULL;
}

/* codes_get: the row with exactly this code; borrowed, or NULL. */
const struct codes_row *
codes_get(const struct codes *codes, const char *kind, const char *code)
{
	if (str_empty(code))
		return NULL;
	return lookup(codes, kind, code, strlen(code), MASK_CODE);
}

/* codes_name: the name for a code; borrowed, or NULL. */
const char *
codes_name(const struct codes *codes, const char *kind, const char *code)
{
	const struct codes_row *row = codes_get(codes, kind, code);

	return row ? row->name : NULL;
}

/* codes_eligible: the row's eligible flag; false for an unknown code. */
bool
codes_eligible(const struct codes *codes, const char *kind, const char *code)
{
	const struct codes_row *row = codes_get(codes, kind, code);

	return row && row->eligible;
}

/*
 * codes_find_prefix: tries every prefix of text that ends on a character
 * boundary, longest first (no longer than the longest name in the table),
 * against names and short names.  Borrowed, or NULL.
 */
const char *
codes_find_prefix(const struct codes *codes, const char *kind, const char *text, size_t *len)
{
	size_t ends[256];
	size_t nends = 0;
	size_t pos = 0;
	size_t textlen;
	unsigned int cp;

	if (len)
		*len = 0;
	if (!codes || str_empty(text))
		return NULL;
	textlen = strlen(text);
	while (pos < textlen && pos < codes->max_key && nends < ARRAY_SIZE(ends)) {
		pos += (size_t)str_utf8_decode(text + pos, textlen - pos, &cp);
		ends[nends++] = pos;
	}
	while (nends > 0) {
		const struct codes_row *row;

		pos = ends[--nends];
		row = lookup(codes, kind, text, pos, MASK_NAME | MASK_SHORT);
		if (row) {
			if (len)
				*len = pos;
			return row->code;
		}
	}
	return NULL;
}

/* codes_rows: the rows in the order added; borrowed. */
const struct codes_row *
codes_rows(const struct codes *codes, size_t *n)
{
	*n = codes ? codes->nrows : 0;
	return codes ? codes->rows : NULL;
}
