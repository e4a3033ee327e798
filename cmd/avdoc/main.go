// Command avdoc turns YAML stories about Linux anonymous-memory reverse
// mapping (anon_vma, anon_vma_chain) into checked, illustrated
// explanations.
//
//	avdoc build [-o DIR] [PATH...]   build the site (default stories/ into _site/)
//	avdoc check [PATH...]            run every story and check its expectations
//	avdoc render FILE --step N|all   draw one step, or a film strip, for an article
//	avdoc serve [PATH...]            build, serve on loopback, rebuild and reload on changes
//	avdoc explore --kernel K         search event sequences for the shortest that breaks an invariant
//	avdoc mdbook                     an mdBook preprocessor: stories and figures in a book
//	avdoc schema                     print the JSON Schema of the story format
//	avdoc new NAME                   scaffold a story that checks
//	avdoc models                     list the kernel models and fixes
//	avdoc version                    print the version
//
// Run `avdoc help COMMAND` for a command's flags.
package main

import (
	"os"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/batchgc"
	"github.com/avdoc/avdoc/live/agent"
)

func main() {
	// hidden: a live story's processes are avdoc re-executed (live/agent)
	agent.RunIfAgent()
	batchgc.TuneFor(os.Args[1:], "build", "check", "render", renderWorkerCmd)
	if len(os.Args) > 1 && os.Args[1] == renderWorkerCmd { // hidden: see worker.go
		os.Exit(runRenderWorker(os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
