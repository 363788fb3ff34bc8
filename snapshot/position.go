package snapshot

import (
	"bytes"
	"encoding/json"
	"slices"
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

// scanner walks a document that json.Valid accepted, one byte at a time, counting
// lines as it goes and noting the lines of every object with a string "id" member.
// It trusts the syntax: on bytes json.Valid rejects its behaviour is undefined.
//
// The objects it notes are those of one unit at a time (a collection element, or a
// whole document), kept in local; flush moves them to spans, where the earliest unit
// wins. Within a unit the object that starts first wins: the outermost of nested
// ones, else the earliest. Units are disjoint and visited in order, so the result is
// that rule over the whole document.
type scanner struct {
	data  []byte
	off   int // of the next byte
	line  int // of data[off], 1-based
	spans map[string]Span
	local map[string]idObject
}

// idObject is an object with an id in the current unit, and where it starts.
type idObject struct {
	span  Span
	start int
}

func newScanner(data []byte) *scanner {
	return &scanner{data: data, line: 1, spans: make(map[string]Span), local: make(map[string]idObject)}
}

// space skips JSON whitespace, counting newlines (the only place they may be).
func (s *scanner) space() {
	for s.off < len(s.data) {
		switch s.data[s.off] {
		case '\n':
			s.line++
		case ' ', '\t', '\r':
		default:
			return
		}
		s.off++
	}
}

// next skips whitespace and returns the byte there without consuming it, or 0 at the end.
func (s *scanner) next() byte {
	s.space()
	if s.off == len(s.data) {
		return 0
	}
	return s.data[s.off]
}

// str consumes the string at s.off and returns the bounds of its quoted form.
func (s *scanner) str() (start, end int) {
	start, s.off = s.off, stringEnd(s.data, s.off)
	return start, s.off
}

// stringEnd is the offset just past the valid JSON string that starts at data[start].
func stringEnd(data []byte, start int) int {
	i := start + 1
	for {
		i += bytes.IndexByte(data[i:], '"')
		// The quote closes the string unless an odd number of backslashes escape it.
		k := i
		for data[k-1] == '\\' {
			k--
		}
		if (i-k)%2 == 0 {
			return i + 1
		}
		i++
	}
}

// value consumes the value at s.off (after any whitespace).
func (s *scanner) value() {
	switch s.next() {
	case '{':
		s.object()
	case '[':
		s.array()
	case '"':
		s.str()
	default:
		for s.off < len(s.data) && !isDelimiter(s.data[s.off]) {
			s.off++
		}
	}
}

// isDelimiter reports whether c ends a number or literal in valid JSON.
func isDelimiter(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

func (s *scanner) object() {
	start, startLine := s.off, s.line
	s.off++ // {
	var id string
	hasID := false
	if s.next() == '}' {
		s.off++
		return
	}
	for {
		ks, ke := s.str()
		s.next()
		s.off++ // :
		if !hasID && s.next() == '"' && isIDKey(s.data[ks:ke]) {
			vs, ve := s.str()
			id, hasID = unquote(s.data[vs:ve]), true
		} else {
			s.value()
		}
		c := s.next()
		s.off++ // , or }
		if c == '}' {
			break
		}
		s.space()
	}
	if hasID {
		if prev, seen := s.local[id]; !seen || start < prev.start {
			s.local[id] = idObject{Span{StartLine: startLine, EndLine: s.line}, start}
		}
	}
}

func (s *scanner) array() {
	s.off++ // [
	if s.next() == ']' {
		s.off++
		return
	}
	for {
		s.value()
		c := s.next()
		s.off++ // , or ]
		if c == ']' {
			return
		}
	}
}

// flush ends a unit: its ids that no earlier unit has go into spans.
func (s *scanner) flush() {
	for id, o := range s.local {
		if _, seen := s.spans[id]; !seen {
			s.spans[id] = o.span
		}
	}
	clear(s.local)
}

// isIDKey reports whether the quoted object key q is "id", escaped or not.
func isIDKey(q []byte) bool {
	if string(q) == `"id"` {
		return true
	}
	return bytes.IndexByte(q, '\\') >= 0 && unquote(q) == "id"
}

// unquote decodes the quoted JSON string q as encoding/json does.
func unquote(q []byte) string {
	inner := q[1 : len(q)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner)
	}
	var v string
	if err := json.Unmarshal(q, &v); err != nil {
		return string(inner) // unreachable on valid JSON
	}
	return v
}

// scanSpans maps the "id" of every JSON object that has a string "id" member, at any
// depth, to the lines of that object. When an id occurs in several objects, the one
// that starts first wins: the outermost of nested ones, else the earliest. One pass;
// linear in the size of data.
func scanSpans(data []byte) (map[string]Span, error) {
	if !json.Valid(data) {
		var v json.RawMessage
		return nil, json.Unmarshal(data, &v)
	}
	s := newScanner(data)
	s.value()
	s.flush()
	return s.spans, nil
}

// lines maps each of the byte offsets offs to its 1-based line, in one pass over data.
func lines(data []byte, offs []int) map[int]int {
	sorted := slices.Clone(offs)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	out := make(map[int]int, len(sorted))
	line, at := 1, 0
	for _, off := range sorted {
		o := min(max(off, 0), len(data))
		line += bytes.Count(data[at:o], []byte{'\n'})
		at = o
		out[off] = line
	}
	return out
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
