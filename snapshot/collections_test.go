package snapshot

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// modelCollections are the entity collections of the model, found by reflection: the
// slice fields of Snapshot (but scopes) and of Konnect ("konnect." + name), by their
// JSON names, in document order.
func modelCollections(t *testing.T) []string {
	t.Helper()
	var names []string
	snap := reflect.TypeFor[Snapshot]()
	for i := range snap.NumField() {
		f := snap.Field(i)
		switch {
		case f.Type == reflect.TypeFor[Konnect]():
			for j := range f.Type.NumField() {
				if k := f.Type.Field(j); k.Type.Kind() == reflect.Slice {
					names = append(names, "konnect."+jsonName(k))
				}
			}
		case f.Type.Kind() == reflect.Slice && jsonName(f) != "scopes":
			names = append(names, jsonName(f))
		case f.Type.Kind() == reflect.Struct:
			t.Errorf("Snapshot.%s: a struct field this test does not look into for collections", f.Name)
		}
	}
	return names
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// field is the slice field of collection name in s.
func field(t *testing.T, s *Snapshot, name string) reflect.Value {
	t.Helper()
	v := reflect.ValueOf(s).Elem()
	if rest, ok := strings.CutPrefix(name, "konnect."); ok {
		name, v = rest, v.FieldByName("Konnect")
	}
	for i := range v.NumField() {
		if jsonName(v.Type().Field(i)) == name {
			return v.Field(i)
		}
	}
	t.Fatalf("no field for collection %s", name)
	return reflect.Value{}
}

// counts is the number of elements of every collection of s.
func counts(t *testing.T, s *Snapshot) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, name := range Collections {
		m[name] = field(t, s, name).Len()
	}
	return m
}

// embedsEntity reports whether the elements of a collection are resources with an Entity.
func embedsEntity(typ reflect.Type) bool {
	for i := range typ.NumField() {
		if f := typ.Field(i); f.Anonymous && f.Type == reflect.TypeFor[Entity]() {
			return true
		}
	}
	return false
}

// isCloud reports whether a collection holds cloud resources: Entity elements outside
// the Konnect side. These are what Filter and Dedupe select from.
func isCloud(t *testing.T, name string) bool {
	return !strings.HasPrefix(name, "konnect.") && embedsEntity(field(t, &Snapshot{}, name).Type().Elem())
}

// filler gives every field a value distinct from and greater than the ones filled
// before it: strings "v000001", "v000002" …, ints 1, 2 …, bools true, one element in
// every nested list and map, pointers to filled values.
type filler struct{ n int }

func (f *filler) fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		f.n++
		v.SetString(fmt.Sprintf("v%06d", f.n))
	case reflect.Int:
		f.n++
		v.SetInt(int64(f.n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			f.fill(v.Field(i))
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		f.fill(v.Index(0))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		f.fill(k)
		f.fill(e)
		v.SetMapIndex(k, e)
	default:
		panic(fmt.Sprintf("filler: %s", v.Type()))
	}
}

// filled is a snapshot with n filled elements in every collection, each greater (in
// every field) than the one before it; nothing else is set. It is the same on every call.
func filled(t *testing.T, n int) *Snapshot {
	t.Helper()
	s := &Snapshot{}
	var f filler
	for _, name := range Collections {
		v := field(t, s, name)
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			f.fill(v.Index(i))
		}
	}
	return s
}

// TestCollectionsTable checks that the table of collections names every collection of
// the model, in document order, and that the schema has an element type for each.
func TestCollectionsTable(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff(modelCollections(t), Collections); diff != "" {
		t.Errorf("table of collections vs slice fields of Snapshot and Konnect (-model +table):\n%s", diff)
	}
	for _, c := range collections {
		if len(c.sources) == 0 {
			t.Errorf("%s: no sources", c.name)
		}
		for _, src := range c.sources {
			if !slices.Contains([]string{"aws", "azure", "gcp", "konnect", "dns"}, src) {
				t.Errorf("%s: unknown source %q", c.name, src)
			}
		}
		if !IsCollection(c.name) || !slices.Equal(Sources[c.name], c.sources) {
			t.Errorf("%s: IsCollection or Sources do not follow the table", c.name)
		}
	}
	refs, err := itemRefs(schemaJSON)
	if err != nil {
		t.Fatal(err)
	}
	inSchema := slices.Sorted(func(yield func(string) bool) {
		for name := range refs {
			if name != "scopes" && !yield(name) {
				return
			}
		}
	})
	if diff := cmp.Diff(slices.Sorted(slices.Values(Collections)), inSchema); diff != "" {
		t.Errorf("collections vs the arrays of schema.json (-table +schema):\n%s", diff)
	}
}

// TestCollectionsPaths puts elements into every collection and checks that each
// generic path reaches all of them: Merge, Filter, Dedupe, Sort, EachEntity, the
// duplicate id check and the loader's decoding.
func TestCollectionsPaths(t *testing.T) {
	t.Parallel()
	want := func(f func(name string) int) map[string]int {
		m := map[string]int{}
		for _, name := range Collections {
			m[name] = f(name)
		}
		return m
	}
	expect := func(what string, s *Snapshot, want map[string]int) {
		t.Helper()
		if diff := cmp.Diff(want, counts(t, s)); diff != "" {
			t.Errorf("%s: elements per collection (-want +got):\n%s", what, diff)
		}
	}
	cloud := func(yes, no int) func(string) int {
		return func(name string) int {
			if isCloud(t, name) {
				return yes
			}
			return no
		}
	}

	s := filled(t, 1)
	expect("filled", s, want(func(string) int { return 1 }))
	s.Merge(filled(t, 1))
	expect("Merge", s, want(func(string) int { return 2 }))
	expect("Filter(all)", s.Filter(func(Entity) bool { return true }), want(cloud(2, 0)))
	expect("Filter(none)", s.Filter(func(Entity) bool { return false }), want(cloud(0, 0)))
	s.Dedupe()
	expect("Dedupe", s, want(cloud(1, 2)))

	t.Run("Sort", func(t *testing.T) {
		t.Parallel()
		want, s := filled(t, 2), filled(t, 2)
		for _, name := range Collections {
			v := field(t, s, name)
			reflect.Swapper(v.Interface())(0, 1)
		}
		s.Sort()
		if diff := cmp.Diff(want, s); diff != "" {
			t.Errorf("Sort left collections out of order (-want +got):\n%s", diff)
		}
	})

	t.Run("EachEntity", func(t *testing.T) {
		t.Parallel()
		s := filled(t, 1)
		type visited struct {
			Collection string
			Entity     Entity
		}
		var want []visited
		for _, name := range Collections {
			v := field(t, s, name).Index(0)
			if embedsEntity(v.Type()) {
				want = append(want, visited{name, v.FieldByName("Entity").Interface().(Entity)})
			}
			if name == "konnect.networks" {
				n := v.Interface().(KonnectNetwork)
				at := func(id, label string) visited {
					return visited{"konnect.networks", Entity{ID: id, Name: label, Provider: n.Provider, Account: n.Account, Region: n.Region}}
				}
				want = append(want, at(n.Attachments[0].ID, n.Attachments[0].Name), at(n.PrivateDNS[0].ID, n.PrivateDNS[0].Name))
			}
		}
		var got []visited
		s.EachEntity(func(c string, e Entity) { got = append(got, visited{c, e}) })
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("EachEntity (-want +got):\n%s", diff)
		}
	})

	t.Run("duplicate ids", func(t *testing.T) {
		t.Parallel()
		s := filled(t, 2)
		var want []string
		for _, name := range Collections {
			v := field(t, s, name)
			id := v.Index(0).FieldByName("ID")
			if !id.IsValid() {
				continue // no ids (konnect.availability)
			}
			v.Index(1).FieldByName("ID").Set(id)
			want = append(want, "/"+strings.ReplaceAll(name, ".", "/")+"/1/id")
		}
		var got []string
		for _, p := range check(s) {
			if strings.HasPrefix(p.msg, "duplicate id") {
				got = append(got, p.ptr)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("duplicate id problems (-want +got):\n%s", diff)
		}
	})

	t.Run("decode", func(t *testing.T) {
		t.Parallel()
		// Every element is valid against an empty schema: this checks where the
		// elements go, not the schema (TestCollectionsTable checks that it has them).
		c := jsonschema.NewCompiler()
		if err := c.AddResource("any.json", map[string]any{}); err != nil {
			t.Fatal(err)
		}
		anything, err := c.Compile("any.json")
		if err != nil {
			t.Fatal(err)
		}
		src := filled(t, 2)
		for _, coll := range collections {
			v := field(t, src, coll.name)
			var data []byte
			var elems []bounds
			for i := range v.Len() {
				b, err := json.Marshal(v.Index(i).Interface())
				if err != nil {
					t.Fatal(err)
				}
				elems = append(elems, bounds{len(data), len(data) + len(b)})
				data = append(data, b...)
			}
			p := &loader{
				source:  &source{name: "t.json", data: data},
				schemas: &schemas{items: map[string]*jsonschema.Schema{coll.name: anything}},
			}
			if err := coll.list.decode(p, coll.name, "/"+coll.name, elems); err != nil {
				t.Fatalf("%s: %v", coll.name, err)
			}
			if p.decodeErr != nil {
				t.Fatalf("%s: %v", coll.name, p.decodeErr)
			}
			for _, other := range Collections {
				n := field(t, &p.snap, other).Len()
				if other == coll.name && !reflect.DeepEqual(field(t, &p.snap, other).Interface(), v.Interface()) {
					t.Errorf("%s: decoded %d elements, not the ones written", coll.name, n)
				}
				if other != coll.name && n != 0 {
					t.Errorf("%s: decoded into %s", coll.name, other)
				}
			}
		}
	})
}
