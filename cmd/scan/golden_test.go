package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// catalogue says, per golden extension, where a report holds the rule catalogue and
// which one file pins it. Every estate's report carries the same catalogue (all built-in
// rules); the estate goldens leave it out and each estate's catalogue is compared with
// that one file, so changing a rule's wording rewrites two files, not every golden.
var catalogue = map[string]struct {
	path   []string // object keys; a number indexes an array
	golden string   // relative to the repository root
}{
	".sarif": {[]string{"runs", "0", "tool", "driver", "rules"}, "testdata/catalogue.sarif.json"},
	".json":  {[]string{"rules"}, "testdata/catalogue.json"},
}

// checkGolden compares a report with its golden file (-update rewrites it); for SARIF
// and JSON it compares the report without its rule catalogue, and the catalogue with
// the catalogue golden.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if c, ok := catalogue[filepath.Ext(path)]; ok {
		rest, rules, err := cut(got, c.path...)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		compareGolden(t, c.golden, rules)
		got = rest
	}
	compareGolden(t, path, got)
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v (run go test ./cmd/scan -run TestEstates -update to create it)", err)
		return
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-golden +got):\n%s", path, diff)
	}
}

// cut removes the member at path from the JSON document doc. It returns the rest of the
// document and the removed value, each indented as the writers indent a report (two
// spaces, a final newline), with strings kept as written.
func cut(doc []byte, path ...string) (rest, value []byte, err error) {
	r, v, err := cutRaw(doc, path)
	if err != nil {
		return nil, nil, err
	}
	if rest, err = indent(r); err != nil {
		return nil, nil, err
	}
	if value, err = indent(v); err != nil {
		return nil, nil, err
	}
	return rest, value, nil
}

// cutRaw returns raw, compacted where it was rebuilt, without the member at path, and
// that member's value.
func cutRaw(raw []byte, path []string) (rest, value json.RawMessage, err error) {
	if len(path) == 0 {
		return nil, nil, fmt.Errorf("empty path")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	open, err := dec.Token()
	if err != nil {
		return nil, nil, err
	}
	var out bytes.Buffer
	keyEnc := json.NewEncoder(&out)
	keyEnc.SetEscapeHTML(false)
	n := 0
	switch open {
	case json.Delim('{'):
		out.WriteByte('{')
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return nil, nil, err
			}
			key, _ := tok.(string)
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil, nil, err
			}
			if key == path[0] {
				if len(path) == 1 {
					value = v
					continue
				}
				if v, value, err = cutRaw(v, path[1:]); err != nil {
					return nil, nil, fmt.Errorf("%s: %w", key, err)
				}
			}
			if n > 0 {
				out.WriteByte(',')
			}
			if err := keyEnc.Encode(key); err != nil {
				return nil, nil, err
			}
			out.WriteByte(':')
			out.Write(v)
			n++
		}
		out.WriteByte('}')
	case json.Delim('['):
		at, err := strconv.Atoi(path[0])
		if err != nil || len(path) == 1 {
			return nil, nil, fmt.Errorf("%q does not index an array member's member", path[0])
		}
		out.WriteByte('[')
		for ; dec.More(); n++ {
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil, nil, err
			}
			if n == at {
				if v, value, err = cutRaw(v, path[1:]); err != nil {
					return nil, nil, fmt.Errorf("%d: %w", n, err)
				}
			}
			if n > 0 {
				out.WriteByte(',')
			}
			out.Write(v)
		}
		out.WriteByte(']')
	default:
		return nil, nil, fmt.Errorf("%q: not an object or array", path[0])
	}
	if value == nil {
		return nil, nil, fmt.Errorf("no %q", path[0])
	}
	return out.Bytes(), value, nil
}

func indent(raw []byte) ([]byte, error) {
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func TestCut(t *testing.T) {
	t.Parallel()
	doc := []byte(`{"runs": [{"tool": {"driver": {"name": "x", "rules": [{"id": "<R&1>"}], "version": "1"}}}], "z": 1}` + "\n")
	tests := []struct {
		path      []string
		rest, val string
		wantErr   bool
	}{
		{
			path: []string{"runs", "0", "tool", "driver", "rules"},
			rest: "{\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n          \"name\": \"x\",\n          \"version\": \"1\"\n        }\n      }\n    }\n  ],\n  \"z\": 1\n}\n",
			val:  "[\n  {\n    \"id\": \"<R&1>\"\n  }\n]\n",
		},
		{path: []string{"z"}, rest: "{\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n          \"name\": \"x\",\n          \"rules\": [\n            {\n              \"id\": \"<R&1>\"\n            }\n          ],\n          \"version\": \"1\"\n        }\n      }\n    }\n  ]\n}\n", val: "1\n"},
		{path: []string{"rules"}, wantErr: true},
		{path: []string{"runs", "1", "tool"}, wantErr: true},
		{path: []string{"runs", "tool"}, wantErr: true},
		{path: []string{"z", "a"}, wantErr: true},
	}
	for _, tt := range tests {
		rest, val, err := cut(doc, tt.path...)
		if tt.wantErr {
			if err == nil {
				t.Errorf("cut(%v): no error, rest %s", tt.path, rest)
			}
			continue
		}
		if err != nil {
			t.Errorf("cut(%v): %v", tt.path, err)
			continue
		}
		if diff := cmp.Diff(tt.rest, string(rest)); diff != "" {
			t.Errorf("cut(%v) rest (-want +got):\n%s", tt.path, diff)
		}
		if diff := cmp.Diff(tt.val, string(val)); diff != "" {
			t.Errorf("cut(%v) value (-want +got):\n%s", tt.path, diff)
		}
	}
}
