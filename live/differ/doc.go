// Package differ tests a model against the running kernel (avdoc live
// --random): seeded random event sequences, drawn from the explorer's
// alphabet, run step by step in real processes and under the model, and
// the first difference is shrunk by delta debugging to a short sequence
// that still shows a difference of the same kind.
package differ
