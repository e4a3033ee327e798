package sample

import (
	"fmt"
	"os"
)

type T struct{}

func short() int { return 1 }

func (t *T) three() {
	fmt.Println(os.Args)
}
