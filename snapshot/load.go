package snapshot

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// maxReported bounds how many schema violations or semantic problems one Load
// reports; the rest are counted in a final line.
const maxReported = 10

// Error is one problem with a snapshot file, at a place in it. Its text is a single
// line: "file:line:column: message", "file:line: message" or "file: message" when
// the line or column is not known. Load and Parse return an *Error, or several joined
// with errors.Join, so callers can tell a bad input from a failed read with errors.As.
type Error struct {
	Path   string
	Line   int // 1-based; 0 when unknown
	Column int // 1-based, in characters; 0 when unknown
	Msg    string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	default:
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
}

// Load reads, validates and decodes the snapshot file at path. See Parse.
func Load(path string) (*Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	return Parse(path, data)
}

// Parse validates and decodes a snapshot read from the file called name, in order:
// JSON syntax, schema_version, the JSON Schema (Schema), then what the schema cannot
// say (CIDRs and IPs parse, port ranges are ordered, ids are unique per collection,
// scopes name real collections). The first failing step's problems are returned, each
// as an *Error naming the file and line. The Document's Spans give the lines of every
// object with an "id".
func Parse(name string, data []byte) (*Document, error) {
	src := &source{name: name, data: data}

	doc, err := src.decodeAny()
	if err != nil {
		return nil, err
	}
	if err := src.checkVersion(doc); err != nil {
		return nil, err
	}
	if err := src.validateSchema(doc); err != nil {
		return nil, err
	}

	var s Snapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, src.jsonError(err)
	}
	if err := src.report(check(&s), "problem"); err != nil {
		return nil, err
	}

	spans, err := scanSpans(data)
	if err != nil {
		return nil, src.jsonError(err)
	}
	return &Document{Snapshot: &s, Path: name, Spans: spans}, nil
}

// source is a snapshot file being parsed: its name and bytes, for error positions.
type source struct {
	name string
	data []byte
}

// errorAt is an *Error at byte offset off of the file (line and column), or at the
// file as a whole when off is negative.
func (src *source) errorAt(off int64, msg string) *Error {
	e := &Error{Path: src.name, Msg: msg}
	if off >= 0 {
		e.Line, e.Column = position(src.data, off)
	}
	return e
}

// decodeAny decodes the document for schema validation (numbers as json.Number, as
// the validator wants them) and rejects anything after the top-level value.
func (src *source) decodeAny() (any, error) {
	if len(bytes.TrimSpace(src.data)) == 0 {
		return nil, src.errorAt(-1, "empty file, want a JSON snapshot object")
	}
	dec := json.NewDecoder(bytes.NewReader(src.data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, src.jsonError(err)
	}
	off := skipSpace(src.data, dec.InputOffset())
	if off < int64(len(src.data)) {
		return nil, src.errorAt(off, fmt.Sprintf("invalid character %q after top-level value", src.data[off]))
	}
	return doc, nil
}

// jsonError turns an encoding/json error into an *Error at its position.
func (src *source) jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Offset counts the offending byte.
		return src.errorAt(max(syn.Offset-1, 0), syn.Error())
	case errors.As(err, &typ):
		// Offset is just past the value; point at its start when it is a number,
		// the only kind a schema-valid document can still get wrong here.
		off := max(typ.Offset-1, 0)
		for off > 0 && strings.IndexByte("0123456789+-.eE", src.data[off-1]) >= 0 {
			off--
		}
		msg := strings.TrimPrefix(typ.Error(), "json: ")
		return src.errorAt(off, msg)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return src.errorAt(int64(len(src.data)), "unexpected end of JSON input")
	default:
		return &Error{Path: src.name, Msg: strings.TrimPrefix(err.Error(), "json: ")}
	}
}

// checkVersion rejects a document whose schema_version this build does not read,
// before schema validation would drown that in a pile of unrelated violations.
func (src *source) checkVersion(doc any) error {
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil // not an object: the schema says so
	}
	v, ok := obj["schema_version"]
	if !ok {
		return src.errorAt(-1, fmt.Sprintf("missing schema_version (this dcgw-scan reads %q)", SchemaVersion))
	}
	if s, ok := v.(string); !ok || s != SchemaVersion {
		raw, _ := json.Marshal(v)
		return src.errorAt(-1, fmt.Sprintf("unsupported schema_version %s (this dcgw-scan reads %q)", raw, SchemaVersion))
	}
	return nil
}

// problem is something wrong at a JSON pointer of the document. Its line is that of
// the value at "at" when set (an unknown member of the object at ptr), else at ptr.
// When other is set, the message gains its line ("first at line N").
type problem struct {
	ptr   string
	at    string
	msg   string
	other string
}

func (p problem) where() string {
	if p.at != "" {
		return p.at
	}
	return p.ptr
}

// report turns problems into *Errors at their lines, at most maxReported of them
// in document order; what (e.g. "schema violation") names them in the summary line.
func (src *source) report(ps []problem, what string) error {
	if len(ps) == 0 {
		return nil
	}
	want := make([]string, 0, 2*len(ps))
	for _, p := range ps {
		want = append(want, p.where())
		if p.other != "" {
			want = append(want, p.other)
		}
	}
	offs := locate(src.data, want)
	type located struct {
		off int64
		err *Error
	}
	ls := make([]located, 0, len(ps))
	for _, p := range ps {
		off, ok := offs[p.where()]
		if !ok {
			off = -1
		}
		msg := p.msg
		if o, ok := offs[p.other]; ok && p.other != "" {
			line, _ := position(src.data, o)
			msg = fmt.Sprintf("%s (first at line %d)", msg, line)
		}
		ptr := p.ptr
		if ptr == "" {
			ptr = "(root)"
		}
		e := src.errorAt(off, ptr+": "+msg)
		e.Column = 0 // a line is enough for these, and reads better
		ls = append(ls, located{off, e})
	}
	slices.SortStableFunc(ls, func(a, b located) int {
		if c := cmp.Compare(a.off, b.off); c != 0 {
			return c
		}
		return strings.Compare(a.err.Msg, b.err.Msg)
	})
	errs := make([]error, 0, maxReported+1)
	for i, l := range ls {
		if i == maxReported {
			errs = append(errs, &Error{Path: src.name, Msg: fmt.Sprintf("and %d more %ss", len(ls)-i, what)})
			break
		}
		errs = append(errs, l.err)
	}
	return errors.Join(errs...)
}
