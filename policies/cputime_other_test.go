//go:build !unix

package policies_test

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
