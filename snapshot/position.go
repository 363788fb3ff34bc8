package snapshot

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// position is the 1-based line and column (in characters) of byte offset off.
func position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[start:]) + 1
}

// skipSpace returns the offset of the first byte at or after off that is not JSON
// whitespace or a separator (':' or ','): where the next token starts.
func skipSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// lineCursor counts lines for offsets visited in increasing order, so that a whole
// walk over the document costs one pass over its bytes.
type lineCursor struct {
	data []byte
	off  int64
	line int
}

func (c *lineCursor) lineAt(off int64) int {
	if off > c.off {
		c.line += bytes.Count(c.data[c.off:off], []byte{'\n'})
		c.off = off
	}
	return c.line
}

// scanSpans maps the "id" of every JSON object that has a string "id" member, at any
// depth, to the lines of that object. When an id occurs in several objects, the one
// that starts first wins: the outermost of nested ones, else the earliest. One
// streaming pass; linear in the size of data.
func scanSpans(data []byte) (map[string]Span, error) {
	type frame struct {
		obj       bool
		expectKey bool
		key       string
		id        string
		hasID     bool
		start     int64
		startLine int
	}
	type found struct {
		span  Span
		start int64
	}
	byID := make(map[string]found)
	lines := lineCursor{data: data, line: 1}
	stack := make([]frame, 0, 16)
	// afterValue marks the end of a member's value in the innermost object.
	afterValue := func() {
		if n := len(stack); n > 0 && stack[n-1].obj {
			stack[n-1].expectKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case json.Delim:
			off := dec.InputOffset() - 1 // the delimiter itself
			switch t {
			case '{':
				stack = append(stack, frame{obj: true, expectKey: true, start: off, startLine: lines.lineAt(off)})
			case '[':
				stack = append(stack, frame{})
			case '}':
				f := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if f.hasID {
					prev, seen := byID[f.id]
					if !seen || f.start < prev.start {
						byID[f.id] = found{Span{StartLine: f.startLine, EndLine: lines.lineAt(off)}, f.start}
					}
				}
				afterValue()
			case ']':
				stack = stack[:len(stack)-1]
				afterValue()
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1].obj {
				top := &stack[n-1]
				if top.expectKey {
					top.key, top.expectKey = t, false
					continue
				}
				if top.key == "id" && !top.hasID {
					top.id, top.hasID = t, true
				}
			}
			afterValue()
		default:
			afterValue()
		}
	}
	spans := make(map[string]Span, len(byID))
	for id, f := range byID {
		spans[id] = f.span
	}
	return spans, nil
}

// locate finds the byte offsets where the values at the given JSON pointers start
// ("" is the whole document). Pointers it cannot find are absent from the result.
// It walks the whole document once, and is meant for the few pointers of errors.
func locate(data []byte, pointers []string) map[string]int64 {
	want := make(map[string]bool, len(pointers))
	for _, p := range pointers {
		want[p] = true
	}
	out := make(map[string]int64, len(want))
	type frame struct {
		obj       bool
		path      string
		expectKey bool
		key       string
		index     int
	}
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(data))
	prev := int64(0)
	for len(out) < len(want) {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		start := skipSpace(data, prev)
		prev = dec.InputOffset()

		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		// tok starts a value, or is an object key.
		path := ""
		if n := len(stack); n > 0 {
			top := &stack[n-1]
			if top.obj {
				if top.expectKey {
					top.key, top.expectKey = tok.(string), false
					continue
				}
				path = top.path + "/" + escapePointer(top.key)
				top.expectKey = true
			} else {
				path = top.path + "/" + strconv.Itoa(top.index)
				top.index++
			}
		}
		if want[path] {
			if _, dup := out[path]; !dup {
				out[path] = start
			}
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{obj: d == '{', path: path, expectKey: d == '{'})
		}
	}
	return out
}

// escapePointer escapes one JSON pointer reference token (RFC 6901).
func escapePointer(tok string) string {
	if !strings.ContainsAny(tok, "~/") {
		return tok
	}
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}

// pointer builds a JSON pointer from reference tokens (strings or ints).
func pointer(toks ...any) string {
	var sb strings.Builder
	for _, t := range toks {
		sb.WriteByte('/')
		switch t := t.(type) {
		case string:
			sb.WriteString(escapePointer(t))
		case int:
			sb.WriteString(strconv.Itoa(t))
		}
	}
	return sb.String()
}
