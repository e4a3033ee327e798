// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * avdoc's reader of struct page: a syscall program, run with
 * BPF_PROG_TEST_RUN, that reads page->flags, page->mapping, page->index and
 * page->_mapcount of the struct pages user space asks for (their addresses:
 * vmemmap base + pfn * sizeof(struct page)); and a tp_btf/mm_page_alloc
 * program that catches the struct pages allocated by one process, from
 * which user space calibrates the vmemmap base (not exported here).
 * Requests and results go through globals: a syscall program may not do
 * arithmetic on its context pointer.
 *
 * Rebuild with `go generate ./live/kread` (clang); the object is committed.
 */
#include "kread.h"
#include <bpf_helpers.h>
#include <bpf_core_read.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define MAX_PAGES 64 /* struct pages read per run */
#define MAX_CAUGHT 32 /* allocations caught for calibration */

struct page_out {
	__u64 flags;
	__u64 mapping;
	__u64 index;
	__s64 mapcount; /* _mapcount + 1: the page's mapcount */
	__s64 refcount;
	__u64 ok; /* 1 when every field was read */
};

/* Input: the struct page addresses to read. */
__u64 req[MAX_PAGES];
__u32 nreq;
/* Output. */
struct page_out out[MAX_PAGES];
__u64 page_size; /* sizeof(struct page) in the running kernel */

/* Calibration: the tgid to watch, and the struct pages it allocated. */
__u32 calib_tgid;
__u64 caught[MAX_CAUGHT];
__u32 ncaught;

static __always_inline int read_page(struct page *pg, struct page_out *o)
{
	struct page___folio_index *fi = (void *)pg;
	struct page___index *ix = (void *)pg;
	int err = 0;

	/* flags comes first in every struct page: read its word at offset 0,
	 * whatever its type (unsigned long, memdesc_flags_t since 6.18). */
	err |= bpf_probe_read_kernel(&o->flags, sizeof(o->flags), (void *)pg);
	err |= bpf_probe_read_kernel(&o->mapping, sizeof(o->mapping), __builtin_preserve_access_index(&pg->mapping));
	if (bpf_core_field_exists(fi->__folio_index))
		err |= bpf_probe_read_kernel(&o->index, sizeof(o->index), __builtin_preserve_access_index(&fi->__folio_index));
	else
		err |= bpf_probe_read_kernel(&o->index, sizeof(o->index), __builtin_preserve_access_index(&ix->index));
	o->mapcount = (__s64)BPF_CORE_READ(pg, _mapcount.counter) + 1;
	o->refcount = BPF_CORE_READ(pg, _refcount.counter);
	o->ok = err == 0;
	return 0;
}

SEC("syscall")
int read_pages(void *ctx)
{
	__u32 i;

	page_size = bpf_core_type_size(struct page);
	for (i = 0; i < MAX_PAGES && i < nreq; i++) {
		__builtin_memset(&out[i], 0, sizeof(out[i]));
		if (req[i])
			read_page((struct page *)req[i], &out[i]);
	}
	return 0;
}

/* mm_page_alloc(page, order, gfp_flags, migratetype) */
SEC("tp_btf/mm_page_alloc")
int catch_alloc(__u64 *ctx)
{
	__u32 n = ncaught;

	if (bpf_get_current_pid_tgid() >> 32 != calib_tgid || n >= MAX_CAUGHT)
		return 0;
	caught[n] = ctx[0];
	ncaught = n + 1;
	return 0;
}
