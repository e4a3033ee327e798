package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkBuildInProcess builds the shipped site in this process: parse,
// simulate, render every frame and assemble the pages (go-graphviz's WASM
// module is already compiled by then). The files are not written.
func BenchmarkBuildInProcess(b *testing.B) {
	for b.Loop() {
		if _, err := buildSite(context.Background(), []string{"../../stories"}, nil, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildProcess runs `avdoc build` as a fresh process, as a user
// does: "cold" with an empty user cache directory ($XDG_CACHE_HOME, where
// internal/gvcache keeps go-graphviz's compiled module), so go-graphviz
// compiles its WASM module from scratch, and "warm" with it in place.
// Compare the two in one run (the machine is noisy).
func BenchmarkBuildProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "avdoc")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	stories, _ := filepath.Abs("../../stories")
	build := func(b *testing.B, cacheHome string) {
		cmd := exec.Command(bin, "build", "-o", filepath.Join(b.TempDir(), "site"), stories)
		cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+cacheHome)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("avdoc build: %v\n%s", err, out)
		}
	}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			build(b, b.TempDir())
		}
	})
	b.Run("warm", func(b *testing.B) {
		tmp := b.TempDir()
		build(b, tmp) // fills the compilation cache
		for b.Loop() {
			build(b, tmp)
		}
	})
}
