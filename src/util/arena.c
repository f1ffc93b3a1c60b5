/*
 * arena.c - region allocator.
 *
 * The model, the budget AST and per-file scratch data live in arenas: allocation is a pointer
 * bump inside a block, and everything is released together by arena_free (STYLE rule 8). Large
 * requests get a block of their own so a big string does not waste a standard block. Memory is
 * returned zeroed, which most callers rely on for their structs.
 */
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum { ARENA_BLOCK_SIZE = 64 * 1024 };

struct arena_block {
	struct arena_block *next; /* older block */
	size_t size;              /* usable bytes in data */
	size_t used;              /* bytes handed out from data */
	alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void *arena_alloc(struct arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	if (size == 0)
		size = align;
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < size) {
		size_t block_size = size > ARENA_BLOCK_SIZE / 4 ? size : ARENA_BLOCK_SIZE;
		b = xmalloc(sizeof *b + block_size);
		b->size = block_size;
		b->used = 0;
		if (size > ARENA_BLOCK_SIZE / 4 && a->head) {
			/* keep filling the current standard block: put the big one behind it */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = b->data + b->used;
	b->used += size;
	a->total += size;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *heap = xvasprintf(fmt, ap);
	va_end(ap);
	char *p = arena_strdup(a, heap);
	free(heap);
	return p;
}

void arena_free(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->total = 0;
}

void arena_adopt(struct arena *into, struct arena *from)
{
	struct arena_block *tail = from->head;
	if (!tail)
		return;
	while (tail->next)
		tail = tail->next;
	if (into->head) {
		/* behind into's current block, which keeps serving allocations */
		tail->next = into->head->next;
		into->head->next = from->head;
	} else {
		into->head = from->head;
	}
	into->total += from->total;
	from->head = NULL;
	from->total = 0;
}
