package app

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestThrottledProgress checks progress lines come at most once a second, except the
// last report, which is always logged.
func TestThrottledProgress(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	report := throttledProgress(l, "aws", func(p [2]int) []any { return []any{"done", p[0], "total", p[1]} },
		func(p [2]int) bool { return p[0] == p[1] })
	for i := 1; i <= 100; i++ {
		report([2]int{i, 100})
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "done=1 ") || !strings.Contains(lines[1], "done=100 total=100") {
		t.Errorf("progress lines:\n%s\nwant the first and the last report only", buf.String())
	}
	for _, line := range lines {
		if !strings.Contains(line, "source=aws") {
			t.Errorf("line without its source: %s", line)
		}
	}
}

func TestSplitList(t *testing.T) {
	t.Parallel()
	got := splitList([]string{"us-east-1, eu-west-1", "", " ap-southeast-2 "})
	if strings.Join(got, "|") != "us-east-1|eu-west-1|ap-southeast-2" {
		t.Errorf("splitList = %q", got)
	}
}
