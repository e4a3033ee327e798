package sample

func ignoredInTests() {
}
