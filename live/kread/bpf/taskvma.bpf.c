// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * avdoc's reader of the reverse map: an iter/task_vma program that writes,
 * for the story's processes and addresses only, each VMA and its same_vma
 * chain of anon_vma_chains (head first), with each AVC's anon_vma and the
 * anon_vma's root, parent and counters, and the AVC's node in its
 * anon_vma's interval tree (from which user space derives the order
 * rmap_walk_anon visits VMAs). The reader runs while every story process
 * is blocked, so the lists hold still.
 *
 * Rebuild with `go generate ./live/kread` (clang); the object is committed.
 */
#include "kread.h"
#include <bpf_helpers.h>
#include <bpf_core_read.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define MAX_CHAIN 64 /* AVCs read per VMA; a longer chain is cut, and said so */

enum rec_kind {
	REC_VMA = 1,
	REC_AVC = 2,
	REC_CUT = 3, /* the chain was longer than MAX_CHAIN */
};

/* One record of the iterator's output: kind, then 15 words. */
struct rec {
	__u64 kind;
	__u64 w[15];
};

/* The story's region addresses: [lo, hi). */
volatile const __u64 lo = 0;
volatile const __u64 hi = 0;

/* The story's processes (tgid -> 1). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u8);
} pids SEC(".maps");

/*
 * Kernel objects the reader has seen (address -> frees since): a free
 * means a later object at that address is another one. anon_vma_cachep is
 * SLAB_TYPESAFE_BY_RCU: the allocator hands a freed anon_vma's memory out
 * again at once.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u64);
} watched SEC(".maps");

/* kmem_cache_free(call_site, ptr, s): count the frees of watched objects. */
SEC("tp_btf/kmem_cache_free")
int count_frees(__u64 *ctx)
{
	__u64 ptr = ctx[1];
	__u64 *n = bpf_map_lookup_elem(&watched, &ptr);

	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

/* mm_page_free(page, order): count the frees of watched struct pages. */
SEC("tp_btf/mm_page_free")
int count_page_frees(__u64 *ctx)
{
	__u64 page = ctx[0];
	__u64 *n = bpf_map_lookup_elem(&watched, &page);

	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

static __always_inline void put_vma(struct rec *r, struct task_struct *task, struct vm_area_struct *vma)
{
	__builtin_memset(r, 0, sizeof(*r));
	r->kind = REC_VMA;
	r->w[0] = BPF_CORE_READ(task, tgid);
	r->w[1] = (__u64)vma;
	r->w[2] = BPF_CORE_READ(vma, vm_start);
	r->w[3] = BPF_CORE_READ(vma, vm_end);
	r->w[4] = BPF_CORE_READ(vma, vm_pgoff);
	r->w[5] = BPF_CORE_READ(vma, vm_flags);
	r->w[6] = (__u64)BPF_CORE_READ(vma, anon_vma);
	r->w[7] = (__u64)BPF_CORE_READ(vma, vm_mm);
}

static __always_inline void put_avc(struct rec *r, struct anon_vma_chain *avc)
{
	struct anon_vma *av = BPF_CORE_READ(avc, anon_vma);

	__builtin_memset(r, 0, sizeof(*r));
	r->kind = REC_AVC;
	r->w[0] = (__u64)avc;
	r->w[1] = (__u64)BPF_CORE_READ(avc, vma);
	r->w[2] = (__u64)av;
	r->w[3] = (__u64)BPF_CORE_READ(av, root);
	r->w[4] = (__u64)BPF_CORE_READ(av, parent);
	r->w[5] = (__u64)(__s32)BPF_CORE_READ(av, refcount.counter);
	r->w[6] = BPF_CORE_READ(av, num_children);
	r->w[7] = BPF_CORE_READ(av, num_active_vmas);
	r->w[8] = BPF_CORE_READ(avc, rb.__rb_parent_color);
	r->w[9] = (__u64)BPF_CORE_READ(avc, rb.rb_left);
	r->w[10] = (__u64)BPF_CORE_READ(avc, rb.rb_right);
	r->w[11] = BPF_CORE_READ(avc, rb_subtree_last);
	r->w[12] = (__u64)BPF_CORE_READ(av, rb_root.rb_root.rb_node);
	r->w[13] = (__u64)BPF_CORE_READ(av, rb_root.rb_leftmost);
	r->w[14] = (__u64)__builtin_preserve_access_index(&avc->rb);
}

SEC("iter/task_vma")
int read_vmas(struct bpf_iter__task_vma *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct vm_area_struct *vma = ctx->vma;
	struct list_head *head, *pos;
	struct rec r;
	__u32 tgid;
	__u64 start;
	int i;

	if (!task || !vma)
		return 0;
	tgid = BPF_CORE_READ(task, tgid);
	/* Threads share their leader's mm: read it once, through the leader. */
	if (BPF_CORE_READ(task, pid) != tgid || !bpf_map_lookup_elem(&pids, &tgid))
		return 0;
	start = BPF_CORE_READ(vma, vm_start);
	if (start < lo || start >= hi)
		return 0;
	put_vma(&r, task, vma);
	bpf_seq_write(seq, &r, sizeof(r));

	head = __builtin_preserve_access_index(&vma->anon_vma_chain);
	pos = BPF_CORE_READ(head, next);
	for (i = 0; i < MAX_CHAIN && pos && pos != head; i++) {
		struct anon_vma_chain *avc =
			(void *)pos - bpf_core_field_offset(struct anon_vma_chain, same_vma);
		put_avc(&r, avc);
		bpf_seq_write(seq, &r, sizeof(r));
		pos = BPF_CORE_READ(pos, next);
	}
	if (pos && pos != head) {
		__builtin_memset(&r, 0, sizeof(r));
		r.kind = REC_CUT;
		bpf_seq_write(seq, &r, sizeof(r));
	}
	return 0;
}
