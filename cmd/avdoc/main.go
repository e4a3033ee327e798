// Command avdoc turns YAML stories about Linux anonymous-memory reverse
// mapping (anon_vma, anon_vma_chain) into checked, illustrated
// explanations.
//
//	avdoc build [-o DIR] [PATH...]   build the site (default stories/ into _site/)
//	avdoc check [PATH...]            run every story and check its expectations
//	avdoc render FILE --step N       draw one step, for an article
//	avdoc version                    print the version
//
// Run `avdoc help COMMAND` for a command's flags.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
