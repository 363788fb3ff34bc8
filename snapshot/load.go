package snapshot

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
//
// Past the syntax check, which is one allocation-free pass over data, Parse streams:
// it walks the top-level and konnect objects and takes each element of a collection
// in turn, noting its spans, validating it against its type's part of the schema and
// decoding it into its typed slice. What it holds besides data and the Snapshot is one
// element's worth of transients and the bounds of the elements, for error positions.
func Parse(name string, data []byte) (*Document, error) {
	src := &source{name: name, data: data}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, src.errorAt(-1, "empty file, want a JSON snapshot object")
	}
	if !json.Valid(data) {
		return nil, src.syntaxError()
	}
	schemas, err := compiledSchemas()
	if err != nil {
		return nil, err
	}
	p := &loader{
		source:  src,
		schemas: schemas,
		sc:      newScanner(data),
		members: make(map[string]int),
		elems:   make(map[string][]bounds),
	}
	return p.parse()
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

// syntaxError finds and describes the syntax error of a document json.Valid rejects.
func (src *source) syntaxError() error {
	dec := json.NewDecoder(bytes.NewReader(src.data))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return src.jsonError(err)
	}
	off := skipSpace(src.data, dec.InputOffset())
	if off < int64(len(src.data)) {
		return src.errorAt(off, fmt.Sprintf("invalid character %q after top-level value", src.data[off]))
	}
	return src.errorAt(-1, "invalid JSON") // json.Valid and json.Decoder disagree: not expected
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

// checkVersion rejects a schema_version this build does not read, before schema
// validation would drown that in a pile of unrelated violations.
func (src *source) checkVersion(v any, present bool) error {
	if !present {
		return src.errorAt(-1, fmt.Sprintf("missing schema_version (this dcgw-scan reads %q)", SchemaVersion))
	}
	if s, ok := v.(string); !ok || s != SchemaVersion {
		raw, _ := json.Marshal(v)
		return src.errorAt(-1, fmt.Sprintf("unsupported schema_version %s (this dcgw-scan reads %q)", raw, SchemaVersion))
	}
	return nil
}

// streamed are the arrays of the document whose elements Parse takes one at a time:
// the collections, and the scopes.
func streamed() []string {
	return append(slices.Clip(Collections), "scopes")
}

func isStreamed(name string) bool {
	return name == "scopes" || IsCollection(name)
}

// bounds are the byte offsets of one collection element: data[start:end].
type bounds struct {
	start, end int
}

// loader is the state of one streaming pass over a syntactically valid document.
type loader struct {
	*source
	schemas *schemas
	sc      *scanner
	snap    Snapshot

	root    int                 // offset of the top-level value
	members map[string]int      // pointer of a member of the root or konnect object → offset of its value
	elems   map[string][]bounds // pointer of a collection ("/konnect/networks") → its elements

	violations []problem // schema violations so far, in the order found
	decodeErr  error     // the first element that schema-valid JSON could not decode into
}

func (p *loader) parse() (*Document, error) {
	p.sc.space()
	p.root = p.sc.off
	if p.data[p.root] != '{' {
		// Not an object: the schema says so (checkVersion has nothing to check).
		vs, err := p.validate(p.schemas.root, decodeTree(p.data), "")
		if err != nil {
			return nil, err
		}
		return nil, p.report(vs, "schema violation")
	}
	skel, err := p.object("")
	if err != nil {
		return nil, err
	}
	v, ok := skel["schema_version"]
	if err := p.checkVersion(v, ok); err != nil {
		return nil, err
	}
	// The skeleton has empty collections, whose elements were validated one by one.
	vs, err := p.validate(p.schemas.root, skel, "")
	if err != nil {
		return nil, err
	}
	if err := p.report(append(vs, p.violations...), "schema violation"); err != nil {
		return nil, err
	}
	if p.decodeErr != nil {
		return nil, p.decodeErr
	}
	// Schema-valid: these are strings when present.
	p.snap.SchemaVersion, _ = skel["schema_version"].(string)
	p.snap.Name, _ = skel["name"].(string)
	p.snap.CollectedAt, _ = skel["collected_at"].(string)
	if err := p.report(check(&p.snap), "problem"); err != nil {
		return nil, err
	}
	// Copy the snapshot out of the loader: a pointer into p would keep the whole
	// loader, the file's bytes included, alive as long as the Document.
	snap := new(Snapshot)
	*snap = p.snap
	return &Document{Snapshot: snap, Path: p.name, Spans: p.sc.spans}, nil
}

// object walks the root object (prefix "") or the konnect object (prefix "/konnect")
// at the scanner, and returns its skeleton: every member decoded for the schema,
// except that collections (arrays of entities) are empty, their elements having been
// taken in turn by collection.
func (p *loader) object(prefix string) (map[string]any, error) {
	sc := p.sc
	skel := make(map[string]any)
	sc.off++ // {
	if sc.next() == '}' {
		sc.off++
		return skel, nil
	}
	for {
		sc.next()
		ks, ke := sc.str()
		key := unquote(p.data[ks:ke])
		sc.next()
		sc.off++ // :
		c := sc.next()
		ptr := prefix + "/" + escapePointer(key)
		if _, dup := p.members[ptr]; !dup {
			p.members[ptr] = sc.off
		}
		collection := key
		if prefix != "" {
			collection = strings.TrimPrefix(prefix, "/") + "." + key
		}
		switch {
		case c == '[' && isStreamed(collection):
			if err := p.collection(collection, ptr); err != nil {
				return nil, err
			}
			skel[key] = []any{}
		case c == '{' && prefix == "" && key == "konnect":
			k, err := p.object(ptr)
			if err != nil {
				return nil, err
			}
			skel[key] = k
		default:
			start := sc.off
			sc.value()
			sc.flush()
			v := decodeTree(p.data[start:sc.off])
			skel[key] = v
			if prefix == "" && key == "schema_version" {
				// Known now: no need to read on to reject the file.
				if err := p.checkVersion(v, true); err != nil {
					return nil, err
				}
			}
		}
		c = sc.next()
		sc.off++ // , or }
		if c == '}' {
			return skel, nil
		}
	}
}

// collection takes the elements of the array at the scanner, the collection name
// (e.g. "konnect.networks") at pointer ptr: it notes their spans and bounds, then
// validates each against the schema of its type and decodes it into the Snapshot.
func (p *loader) collection(name, ptr string) error {
	sc := p.sc
	var elems []bounds
	sc.off++ // [
	if sc.next() == ']' {
		sc.off++
	} else {
		for {
			sc.space()
			start := sc.off
			sc.value()
			elems = append(elems, bounds{start, sc.off})
			sc.flush()
			c := sc.next()
			sc.off++ // , or ]
			if c == ']' {
				break
			}
		}
	}
	p.elems[ptr] = elems
	if name == "scopes" {
		return decodeElements(p, name, ptr, elems, &p.snap.Scopes)
	}
	c := collectionNamed(name)
	if c == nil {
		return fmt.Errorf("%s: no decoder for collection %s", p.name, name) // isStreamed and the table disagree
	}
	return c.list.decode(p, name, ptr, elems)
}

// decodeElements validates the elements of collection name, at pointer ptr, and
// decodes them into dst. After the first schema violation it only validates, to
// report them all. Elements are independent: it spreads them over GOMAXPROCS
// goroutines in contiguous chunks, and merges their findings in document order.
func decodeElements[T any](p *loader, name, ptr string, elems []bounds, dst *[]T) error {
	sch, ok := p.schemas.items[name]
	if !ok {
		return fmt.Errorf("%s: no schema for collection %s", p.name, name)
	}
	out := make([]T, len(elems))
	type chunk struct {
		violations []problem
		decodeErr  error // of the chunk's first element that does not decode
		err        error
	}
	const minChunk = 64 // elements: below that, a goroutine costs more than it saves
	chunks := make([]chunk, max(1, min(runtime.GOMAXPROCS(0), len(elems)/minChunk)))
	size := (len(elems) + len(chunks) - 1) / len(chunks)
	var invalid atomic.Bool // some element violates the schema: stop decoding
	invalid.Store(len(p.violations) > 0)
	var wg sync.WaitGroup
	for c := range chunks {
		wg.Go(func() {
			ch := &chunks[c]
			for i := c * size; i < min((c+1)*size, len(elems)); i++ {
				raw := p.data[elems[i].start:elems[i].end]
				vs, err := p.validate(sch, decodeTree(raw), ptr+"/"+strconv.Itoa(i))
				if err != nil {
					ch.err = err
					return
				}
				if len(vs) > 0 {
					ch.violations = append(ch.violations, vs...)
					invalid.Store(true)
				}
				if invalid.Load() || ch.decodeErr != nil {
					continue
				}
				if err := json.Unmarshal(raw, &out[i]); err != nil {
					ch.decodeErr = p.elementError(err, name, elems[i].start)
				}
			}
		})
	}
	wg.Wait()
	for _, ch := range chunks {
		if ch.err != nil {
			return ch.err
		}
		p.violations = append(p.violations, ch.violations...)
		if p.decodeErr == nil {
			p.decodeErr = ch.decodeErr
		}
	}
	*dst = out
	return nil
}

// elementError is the *Error of decoding the element of collection name at offset
// base: its position and field path as if the whole document had been decoded.
func (p *loader) elementError(err error, name string, base int) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		e := *syn
		e.Offset += int64(base)
		return p.jsonError(&e)
	case errors.As(err, &typ):
		e := *typ
		e.Offset += int64(base)
		if e.Struct != "" || e.Field != "" {
			e.Field = strings.Trim(name+"."+e.Field, ".")
		}
		return p.jsonError(&e)
	}
	return p.jsonError(err)
}

// decodeTree decodes valid JSON for the schema validator as a json.Decoder with
// UseNumber would: objects as map[string]any (the last of repeated keys wins), arrays
// as []any, numbers as json.Number. It trusts the syntax (json.Valid accepted it),
// which saves encoding/json's scan of it.
func decodeTree(raw []byte) any {
	t := tree{data: raw}
	return t.value()
}

type tree struct {
	data []byte
	off  int
}

// next skips whitespace and separators and returns the byte there.
func (t *tree) next() byte {
	for {
		switch c := t.data[t.off]; c {
		case ' ', '\t', '\r', '\n', ',', ':':
			t.off++
		default:
			return c
		}
	}
}

func (t *tree) str() string {
	start := t.off
	t.off = stringEnd(t.data, start)
	return unquote(t.data[start:t.off])
}

func (t *tree) value() any {
	switch c := t.next(); c {
	case '{':
		t.off++
		obj := make(map[string]any)
		for t.next() != '}' {
			key := t.str()
			obj[key] = t.value()
		}
		t.off++
		return obj
	case '[':
		t.off++
		arr := make([]any, 0)
		for t.next() != ']' {
			arr = append(arr, t.value())
		}
		t.off++
		return arr
	case '"':
		return t.str()
	case 't':
		t.off += len("true")
		return true
	case 'f':
		t.off += len("false")
		return false
	case 'n':
		t.off += len("null")
		return nil
	default:
		start := t.off
		for t.off < len(t.data) && !isDelimiter(t.data[t.off]) {
			t.off++
		}
		return json.Number(t.data[start:t.off])
	}
}

// offsetOf is the byte offset where the value at JSON pointer ptr starts, or -1 when
// it cannot be found. Pointers into a collection element are looked for in that
// element only.
func (p *loader) offsetOf(ptr string) int {
	if ptr == "" {
		return p.root
	}
	if off, ok := p.members[ptr]; ok {
		return off
	}
	for _, name := range streamed() {
		coll := "/" + strings.ReplaceAll(name, ".", "/")
		rest, ok := strings.CutPrefix(ptr, coll+"/")
		if !ok {
			continue
		}
		elems := p.elems[coll]
		idx, inner, _ := strings.Cut(rest, "/")
		i, err := strconv.Atoi(idx)
		if err != nil || i < 0 || i >= len(elems) {
			return -1
		}
		b := elems[i]
		if inner == "" {
			return b.start
		}
		if off, ok := locate(p.data[b.start:b.end], []string{"/" + inner})["/"+inner]; ok {
			return b.start + int(off)
		}
		return -1
	}
	if off, ok := locate(p.data, []string{ptr})[ptr]; ok {
		return int(off)
	}
	return -1
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
func (p *loader) report(ps []problem, what string) error {
	if len(ps) == 0 {
		return nil
	}
	type located struct {
		off, other int // -1 when unknown or unset
		p          problem
		err        *Error
	}
	ls := make([]located, len(ps))
	offs := make([]int, 0, len(ps))
	for i, pr := range ps {
		l := located{off: p.offsetOf(pr.where()), other: -1, p: pr}
		if pr.other != "" {
			l.other = p.offsetOf(pr.other)
		}
		offs = append(offs, l.off, l.other)
		ls[i] = l
	}
	lineOf := lines(p.data, offs)
	for i := range ls {
		l := &ls[i]
		msg := l.p.msg
		if l.other >= 0 {
			msg = fmt.Sprintf("%s (first at line %d)", msg, lineOf[l.other])
		}
		ptr := l.p.ptr
		if ptr == "" {
			ptr = "(root)"
		}
		// A line is enough for these, and reads better than a column.
		l.err = &Error{Path: p.name, Msg: ptr + ": " + msg}
		if l.off >= 0 {
			l.err.Line = lineOf[l.off]
		}
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
			errs = append(errs, &Error{Path: p.name, Msg: fmt.Sprintf("and %d more %ss", len(ls)-i, what)})
			break
		}
		errs = append(errs, l.err)
	}
	return errors.Join(errs...)
}
