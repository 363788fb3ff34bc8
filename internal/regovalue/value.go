// Package regovalue converts Go values to OPA values: ast.Value as encoding/json
// would marshal them, without the JSON round trip. It never modifies the values it
// converts.
package regovalue

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/util"
)

// ToValue converts v to the OPA value of its JSON form: what encoding/json would
// marshal, parsed back into an ast.Value. It is Converter.ToValue on a new Converter.
func ToValue(v any) (ast.Value, error) { return NewConverter().ToValue(v) }

// Converter converts Go values to OPA values, sharing one term among equal values
// across every value it converts (OPA never mutates terms): strings of a struct
// member such as network_id or kind (references, kinds and states repeat many times in
// an estate), and whole flat structs such as port ranges and firewall sources. A member
// or type whose values turn out mostly distinct (ids) is converted without the lookups;
// see sharing. Object keys come from a per-type cache shared by all converters. A
// Converter is not safe for concurrent use.
type Converter struct {
	strs map[string]*ast.Term
	flat map[reflect.Type]*flatTerms
	// fields are the string statistics of each struct member (by jsonField.id; made
	// on first use, and pointers so that cur stays valid while fields grows), and cur
	// those of the member being converted (nil outside any struct).
	fields []*sharing
	cur    *sharing
	// shared are the slice types ShareSlices names, and slices the terms of the
	// slices of those types converted so far, by backing array and length.
	shared map[reflect.Type]bool
	slices map[sliceID]*ast.Term
	// values are the terms of the types ShareValues names, by the key of the value
	// (appendKey); key is the buffer keys are built in.
	values map[reflect.Type]map[string]*ast.Term
	key    []byte
}

// sliceID identifies a slice by its type, backing array and length.
type sliceID struct {
	t   reflect.Type
	ptr uintptr
	n   int
}

// ShareSlices makes c convert slices of type t that share their backing array and
// length (the same slice referred to from many places, such as the hops of flows that
// take the same path) into one term. It is for values whose slices are shared by
// construction: a lookup per slice costs more than it saves on slices that are not.
func (c *Converter) ShareSlices(t reflect.Type) {
	if t.Kind() != reflect.Slice {
		return
	}
	if c.shared == nil {
		c.shared, c.slices = map[reflect.Type]bool{}, map[sliceID]*ast.Term{}
	}
	c.shared[t] = true
}

// ShareValues makes c convert equal values of struct or slice type t (equal in every
// JSON member, nested slices and pointers compared by content) into one term, such as
// the sources of flows or their port ranges. A value holding something it cannot
// compare (a map, a float, an interface holding a value, a custom JSON encoding) is
// converted on its own. It is for values that repeat by content though not by
// identity (ShareSlices is cheaper for those): a lookup builds a key from the whole
// value. t must not be recursive.
func (c *Converter) ShareValues(t reflect.Type) {
	if t.Kind() != reflect.Struct && t.Kind() != reflect.Slice {
		return
	}
	if c.values == nil {
		c.values = map[reflect.Type]map[string]*ast.Term{}
	}
	if c.values[t] == nil {
		c.values[t] = map[string]*ast.Term{}
	}
}

// shareValue converts v of a type ShareValues names, once per distinct key.
func (c *Converter) shareValue(v reflect.Value, terms map[string]*ast.Term) (*ast.Term, error) {
	buf, ok := appendKey(c.key[:0], v)
	c.key = buf[:0]
	if !ok {
		return c.convert(v)
	}
	if x, ok := terms[string(buf)]; ok {
		return x, nil
	}
	k := string(buf) // before converting: a nested shared value reuses c.key
	x, err := c.convert(v)
	if err != nil {
		return nil, err
	}
	terms[k] = x
	return x, nil
}

// appendKey appends to buf a key of v's JSON-relevant content: values of one type with
// equal keys have equal JSON forms. ok is false for a value it cannot key (a map, an
// interface holding a value, a float, a custom JSON encoding).
func appendKey(buf []byte, v reflect.Value) ([]byte, bool) {
	t := v.Type()
	if t.Implements(jsonMarshaler) || t.Implements(textMarshaler) {
		return buf, false
	}
	switch v.Kind() {
	case reflect.String:
		buf = strconv.AppendInt(buf, int64(v.Len()), 10)
		return append(append(buf, ':'), v.String()...), true
	case reflect.Bool:
		if v.Bool() {
			return append(buf, 't'), true
		}
		return append(buf, 'f'), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return append(strconv.AppendInt(buf, v.Int(), 10), ';'), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return append(strconv.AppendUint(buf, v.Uint(), 10), ';'), true
	case reflect.Pointer:
		if v.IsNil() {
			return append(buf, 'n'), true
		}
		return appendKey(append(buf, '*'), v.Elem())
	case reflect.Interface:
		// Only nil: values of different types in an interface may key alike.
		return append(buf, 'n'), v.IsNil()
	case reflect.Slice:
		if v.IsNil() {
			return append(buf, 'n'), true
		}
		fallthrough
	case reflect.Array:
		buf = append(strconv.AppendInt(append(buf, '['), int64(v.Len()), 10), ':')
		for i := range v.Len() {
			var ok bool
			if buf, ok = appendKey(buf, v.Index(i)); !ok {
				return buf, false
			}
		}
		return buf, true
	case reflect.Struct:
		buf = append(buf, '{')
		for _, f := range structFields(t) {
			fv, ok := fieldByIndex(v, f.index)
			if !ok {
				buf = append(buf, '-')
				continue
			}
			if buf, ok = appendKey(buf, fv); !ok {
				return buf, false
			}
		}
		return append(buf, '}'), true
	}
	return buf, false
}

// NewConverter returns a Converter that shares nothing yet.
func NewConverter() *Converter {
	return &Converter{strs: map[string]*ast.Term{}, flat: map[reflect.Type]*flatTerms{}}
}

// ToValue converts v as encoding/json would marshal it: field names from json tags,
// omitempty, embedded structs inlined; a value with its own MarshalJSON or
// MarshalText, a float and a []byte go through encoding/json. v is only read.
func (c *Converter) ToValue(v any) (ast.Value, error) {
	t, err := c.toTerm(reflect.ValueOf(v))
	if err != nil {
		return nil, err
	}
	return t.Value, nil
}

// A Member is one member of a struct's JSON object.
type Member struct {
	// Name is the member name, as encoding/json writes it.
	Name string
	// Field is the struct field that holds the member's value. It is settable: a
	// caller that converts a large struct member by member may release each member once
	// it is converted.
	Field reflect.Value
}

// Members lists the JSON members of the struct p points to, in encoding/json's order,
// without those encoding/json would leave out (omitempty with an empty value, an
// embedded nil pointer). ToValue of the object made of each Name and the ToValue of
// its Field equals ToValue(p).
func Members(p any) ([]Member, error) {
	v := reflect.ValueOf(p)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("members of %T: want a non-nil pointer to a struct", p)
	}
	v = v.Elem()
	fields := structFields(v.Type())
	out := make([]Member, 0, len(fields))
	for _, f := range fields {
		fv, ok := fieldByIndex(v, f.index)
		if !ok || (f.omitEmpty && isEmpty(fv)) {
			continue
		}
		if !fv.CanSet() {
			return nil, fmt.Errorf("members of %s: %s is reached through an unexported embedded struct", v.Type(), f.name)
		}
		out = append(out, Member{Name: f.name, Field: fv})
	}
	return out, nil
}

// array converts a slice or array element by element.
func (c *Converter) array(v reflect.Value) (*ast.Term, error) {
	terms := make([]*ast.Term, v.Len())
	for i := range terms {
		x, err := c.toTerm(v.Index(i))
		if err != nil {
			return nil, err
		}
		terms[i] = x
	}
	return ast.ArrayTerm(terms...), nil
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	nullTerm      = ast.NullTerm()
)

// sharing is whether sharing terms pays for one struct member or type: it is probed
// on its first probeSize values, and turned off when most of them were new.
type sharing struct {
	seen, added int
	off         bool
}

// probeSize is how many values of a member or type are looked up before deciding
// whether sharing their terms pays: it does when at least half of them repeat.
const probeSize = 1024

// note records a lookup that found (added false) or added a shared term, and reports
// whether sharing was just turned off.
func (s *sharing) note(added bool) bool {
	s.seen++
	if added {
		s.added++
	}
	if s.seen == probeSize && s.added > probeSize/2 {
		s.off = true
	}
	return s.off
}

// str is the term for s: one shared term per distinct string, except in a struct
// member whose strings are mostly distinct (ids), where a lookup costs more than it
// saves.
func (c *Converter) str(s string) *ast.Term {
	st := c.cur
	if st != nil && st.off {
		return ast.StringTerm(s)
	}
	t, ok := c.strs[s]
	if !ok {
		t = ast.StringTerm(s)
		c.strs[s] = t
	}
	if st != nil {
		st.note(!ok)
	}
	return t
}

// toTerm converts v as encoding/json would marshal it.
func (c *Converter) toTerm(v reflect.Value) (*ast.Term, error) {
	if !v.IsValid() {
		return nullTerm, nil
	}
	if terms := c.values[v.Type()]; terms != nil {
		return c.shareValue(v, terms)
	}
	return c.convert(v)
}

// convert is toTerm without the lookup of ShareValues.
func (c *Converter) convert(v reflect.Value) (*ast.Term, error) {
	t := v.Type()
	if t.Implements(jsonMarshaler) || t.Implements(textMarshaler) {
		return viaJSON(v)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nullTerm, nil
		}
		return c.toTerm(v.Elem())
	case reflect.String:
		return c.str(v.String()), nil
	case reflect.Bool:
		return ast.BooleanTerm(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ast.IntNumberTerm(int(v.Int())), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return ast.NumberTerm(json.Number(strconv.FormatUint(v.Uint(), 10))), nil
	case reflect.Float32, reflect.Float64:
		return viaJSON(v)
	case reflect.Slice:
		if v.IsNil() {
			return nullTerm, nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return viaJSON(v) // []byte is base64 in JSON
		}
		if c.shared[t] && v.Len() > 0 {
			id := sliceID{t: t, ptr: v.Pointer(), n: v.Len()}
			if x, ok := c.slices[id]; ok {
				return x, nil
			}
			x, err := c.array(v)
			if err != nil {
				return nil, err
			}
			c.slices[id] = x
			return x, nil
		}
		fallthrough
	case reflect.Array:
		return c.array(v)
	case reflect.Map:
		if v.IsNil() {
			return nullTerm, nil
		}
		if t.Key().Kind() != reflect.String {
			return viaJSON(v)
		}
		pairs := make([][2]*ast.Term, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			x, err := c.toTerm(it.Value())
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, [2]*ast.Term{c.str(it.Key().String()), x})
		}
		return ast.ObjectTerm(pairs...), nil
	case reflect.Struct:
		info := structOf(t)
		if !info.flat {
			return c.object(v, info.fields)
		}
		return c.flatObject(v, t, info.fields)
	}
	return nil, fmt.Errorf("cannot convert a value of type %s", t)
}

// flatObject converts a value of a flat struct type (structInfo.flat), sharing one
// term among equal values while that pays: a type whose values mostly differ (routes,
// attachments) stops being looked up after probeSize values, as a lookup that misses
// costs more than it saves.
func (c *Converter) flatObject(v reflect.Value, t reflect.Type, fields []jsonField) (*ast.Term, error) {
	ft := c.flat[t]
	if ft == nil {
		ft = &flatTerms{terms: map[any]*ast.Term{}}
		c.flat[t] = ft
	}
	if ft.off || !v.CanInterface() { // reached through an unexported embedded struct
		return c.object(v, fields)
	}
	key := v.Interface()
	x, ok := ft.terms[key]
	if !ok {
		var err error
		if x, err = c.object(v, fields); err != nil {
			return nil, err
		}
		ft.terms[key] = x
	}
	if ft.note(!ok) {
		ft.terms = nil
	}
	return x, nil
}

// flatTerms are the shared terms of one flat struct type.
type flatTerms struct {
	sharing
	terms map[any]*ast.Term
}

// object converts a struct to an object of its JSON members (structFields).
func (c *Converter) object(v reflect.Value, fields []jsonField) (*ast.Term, error) {
	pairs := make([][2]*ast.Term, 0, len(fields))
	for _, f := range fields {
		fv, ok := fieldByIndex(v, f.index)
		if !ok || (f.omitEmpty && isEmpty(fv)) {
			continue
		}
		if f.id >= len(c.fields) {
			c.fields = append(c.fields, make([]*sharing, f.id+1-len(c.fields))...)
		}
		if c.fields[f.id] == nil {
			c.fields[f.id] = &sharing{}
		}
		outer := c.cur
		c.cur = c.fields[f.id]
		x, err := c.toTerm(fv)
		c.cur = outer
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		pairs = append(pairs, [2]*ast.Term{f.key, x})
	}
	return ast.ObjectTerm(pairs...), nil
}

// viaJSON converts the rare value toTerm does not walk itself through encoding/json.
func viaJSON(v reflect.Value) (*ast.Term, error) {
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, err
	}
	var x any
	if err := util.UnmarshalJSON(b, &x); err != nil {
		return nil, err
	}
	val, err := ast.InterfaceToValue(x)
	if err != nil {
		return nil, err
	}
	return ast.NewTerm(val), nil
}

// fieldByIndex follows an index path through embedded structs; ok is false when an
// embedded pointer on the way is nil (encoding/json then omits the fields).
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// isEmpty is encoding/json's notion of an empty value for omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// jsonField is one JSON member of a struct type.
type jsonField struct {
	id        int // unique among the members of every type (Converter.fields)
	name      string
	key       *ast.Term // the member name, shared by every object of the type
	index     []int
	omitEmpty bool
}

// structInfo is what the converter needs of a struct type, worked out once per type.
type structInfo struct {
	fields []jsonField
	// flat holds for a type made only of strings, booleans and integers, with no
	// custom JSON encoding: a port range, an address, a route. Equal values of such a
	// type convert to equal objects, so the converter makes one term per distinct
	// value (an estate repeats the same port ranges and sources across firewall rules
	// many times).
	flat bool
}

var (
	structCache sync.Map // reflect.Type → *structInfo
	fieldIDs    atomic.Int64
)

// structOf is the structInfo of a struct type, from the cache after the first call.
func structOf(t reflect.Type) *structInfo {
	if info, ok := structCache.Load(t); ok {
		return info.(*structInfo)
	}
	info := &structInfo{fields: jsonFields(t), flat: !t.Implements(jsonMarshaler) && !t.Implements(textMarshaler)}
	for i := range t.NumField() {
		ft := t.Field(i).Type
		switch ft.Kind() {
		case reflect.String, reflect.Bool,
			reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			info.flat = info.flat && !ft.Implements(jsonMarshaler) && !ft.Implements(textMarshaler)
		default:
			info.flat = false
		}
	}
	got, _ := structCache.LoadOrStore(t, info)
	return got.(*structInfo)
}

// structFields lists the JSON members of a struct type (cached).
func structFields(t reflect.Type) []jsonField { return structOf(t).fields }

// jsonFields lists the JSON members of a struct type in encoding/json's order,
// inlining untagged embedded structs. Name conflicts between embedded fields are
// resolved as encoding/json does for the common case: the shallower field wins.
func jsonFields(t reflect.Type) []jsonField {
	var fields []jsonField
	depth := map[string]int{}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), index...), i)
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
				walk(ft, idx)
				continue
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if d, ok := depth[name]; ok {
				if d <= len(idx) {
					continue
				}
				fields = slicesDeleteName(fields, name)
			}
			depth[name] = len(idx)
			fields = append(fields, jsonField{
				id:        int(fieldIDs.Add(1) - 1),
				name:      name,
				key:       ast.StringTerm(name),
				index:     idx,
				omitEmpty: strings.Contains(","+opts+",", ",omitempty,"),
			})
		}
	}
	walk(t, nil)
	return fields
}

func slicesDeleteName(fields []jsonField, name string) []jsonField {
	out := fields[:0]
	for _, f := range fields {
		if f.name != name {
			out = append(out, f)
		}
	}
	return out
}
