/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * The few kernel types the reverse-map readers use, as CO-RE definitions:
 * the loader relocates every field access against the running kernel's BTF
 * (/sys/kernel/btf/vmlinux), so only the names must match, not the layout.
 * Checked against Linux 6.18 (mm_types.h, rmap.h).
 */
#ifndef AVDOC_KREAD_H
#define AVDOC_KREAD_H

#include <linux/types.h>
#include <linux/bpf.h>

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct list_head {
	struct list_head *next, *prev;
};

struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
};

struct rb_root {
	struct rb_node *rb_node;
};

struct rb_root_cached {
	struct rb_root rb_root;
	struct rb_node *rb_leftmost;
};

typedef struct {
	int counter;
} atomic_t;

struct anon_vma {
	struct anon_vma *root;
	atomic_t refcount;
	unsigned long num_children;
	unsigned long num_active_vmas;
	struct anon_vma *parent;
	struct rb_root_cached rb_root;
};

struct vm_area_struct;

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;
	struct rb_node rb;
	unsigned long rb_subtree_last;
};

struct mm_struct;

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	struct mm_struct *vm_mm;
	unsigned long vm_flags;
	struct list_head anon_vma_chain;
	struct anon_vma *anon_vma;
	unsigned long vm_pgoff;
};

/*
 * struct page, flavoured: page->index became __folio_index (6.16), and
 * flags a memdesc_flags_t (6.18); the readers copy flags by address, so
 * its type does not matter.
 */
struct address_space;

struct page {
	struct address_space *mapping;
	atomic_t _mapcount;
	atomic_t _refcount;
};

struct page___folio_index {
	unsigned long __folio_index;
};

struct page___index {
	unsigned long index;
};

struct task_struct {
	int pid;
	int tgid;
};

struct seq_file;

struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
};

struct bpf_iter__task_vma {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	struct vm_area_struct *vma;
};

#pragma clang attribute pop

#endif
