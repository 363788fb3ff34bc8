package regovalue

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/util"

	"github.com/dcgw-scan/dcgw-scan/internal/synth"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// fill sets every field reachable from v to a distinct non-zero value (slices and
// maps get two elements), so that a converter that forgets a field or a tag shows.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), n)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for range 2 {
			k, x := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, n)
			fill(x, n)
			v.SetMapIndex(k, x)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	}
}

// filled is a snapshot with every field set (fill).
func filled() *snapshot.Snapshot {
	s := &snapshot.Snapshot{}
	n := 0
	fill(reflect.ValueOf(s).Elem(), &n)
	return s
}

// viaJSONRoundTrip is the reference conversion: marshal, then parse.
func viaJSONRoundTrip(v any) (ast.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var x any
	if err := util.UnmarshalJSON(b, &x); err != nil {
		return nil, err
	}
	return ast.InterfaceToValue(x)
}

// sparse is a small snapshot with the zero values omitempty decides on: empty slices,
// zero numbers, false booleans, and a member whose value is nil.
func sparse() *snapshot.Snapshot {
	return &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		Konnect: snapshot.Konnect{Networks: []snapshot.KonnectNetwork{{
			Entity: snapshot.Entity{ID: "kn-1", Provider: "aws", Account: "kong-org", Region: "us-east-1"},
			CIDR:   "10.0.0.0/16",
			Attachments: []snapshot.KonnectAttachment{{
				ID: "att-1", Kind: snapshot.AttachAWSVPCPeering, Account: "111111111111", CIDRBlocks: []string{},
			}},
		}}},
		Networks: []snapshot.Network{
			{Entity: snapshot.Entity{ID: "vpc-b", Provider: "aws"}, Kind: "aws-vpc"},
			{CIDRs: []string{}},
		},
		Scopes: []snapshot.Scope{{Provider: "konnect", Service: "networks", Status: snapshot.ScopeOK}},
	}
}

func TestToValueMatchesJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		v    any
	}{
		{"every field set", filled()},
		{"empty snapshot", &snapshot.Snapshot{}},
		{"sparse estate", sparse()},
		// Large enough that members and flat types pass probeSize values: ids are
		// then converted unshared, repeated ports and sources shared.
		{"synthetic estate", synth.Generate(synth.Options{Networks: 300, Seed: 1})},
		{"nil", nil},
		{"a collection alone", filled().Firewalls},
		{"a struct value", *sparse()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ToValue(tc.v)
			if err != nil {
				t.Fatalf("ToValue: %v", err)
			}
			want, err := viaJSONRoundTrip(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if got.Compare(want) != 0 {
				t.Errorf("ToValue differs from the JSON form (-want +got):\n%s",
					cmp.Diff(want.String(), got.String()))
			}
		})
	}
}

// TestToValueReadOnly checks that converting leaves the value as it was.
func TestToValueReadOnly(t *testing.T) {
	t.Parallel()
	snap := synth.Generate(synth.Options{Networks: 50, Seed: 1})
	if _, err := ToValue(snap); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(synth.Generate(synth.Options{Networks: 50, Seed: 1}), snap); diff != "" {
		t.Errorf("snapshot after ToValue (-before +after):\n%s", diff)
	}
}

// TestMembers checks that the object of the members, converted one by one with one
// Converter, is the value of the whole struct, and that omitted members are left out.
func TestMembers(t *testing.T) {
	t.Parallel()
	for name, snap := range map[string]*snapshot.Snapshot{"every field set": filled(), "sparse estate": sparse()} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			members, err := Members(snap)
			if err != nil {
				t.Fatal(err)
			}
			c := NewConverter()
			pairs := make([][2]*ast.Term, 0, len(members))
			var names []string
			for _, m := range members {
				v, err := c.ToValue(m.Field.Interface())
				if err != nil {
					t.Fatalf("%s: %v", m.Name, err)
				}
				pairs = append(pairs, [2]*ast.Term{ast.StringTerm(m.Name), ast.NewTerm(v)})
				names = append(names, m.Name)
			}
			want, err := viaJSONRoundTrip(snap)
			if err != nil {
				t.Fatal(err)
			}
			if got := ast.NewObject(pairs...); got.Compare(want) != 0 {
				t.Errorf("object of the members differs from the JSON form (-want +got):\n%s",
					cmp.Diff(want.String(), got.String()))
			}
			if name == "sparse estate" {
				if diff := cmp.Diff([]string{"schema_version", "konnect", "networks", "scopes"}, names); diff != "" {
					t.Errorf("members (-want +got):\n%s", diff)
				}
			}
		})
	}
	if _, err := Members(snapshot.Snapshot{}); err == nil {
		t.Error("Members of a struct value (not a pointer) succeeded")
	}
}

// TestSharing checks that the conversion shares the terms of values that repeat
// (port ranges, firewall sources) and stops sharing where values are unique (ids), on
// an estate large enough for the probes to decide.
func TestSharing(t *testing.T) {
	t.Parallel()
	c := NewConverter()
	snap := synth.Generate(synth.Options{Networks: 300, Seed: 1})
	if _, err := c.ToValue(snap); err != nil {
		t.Fatal(err)
	}
	for typ, want := range map[reflect.Type]bool{
		reflect.TypeFor[snapshot.PortRange](): true,
		reflect.TypeFor[snapshot.Address]():   true,
		reflect.TypeFor[snapshot.Route]():     false,
	} {
		ft := c.flat[typ]
		if ft == nil || ft.seen < probeSize {
			t.Fatalf("%s: %d values converted, want a decided probe (>= %d)", typ, ft.seen, probeSize)
		}
		if shared := !ft.off; shared != want {
			t.Errorf("%s: shared %v after %d values (%d new), want %v", typ, shared, ft.seen, ft.added, want)
		}
	}
	checked := 0
	for _, f := range structFields(reflect.TypeFor[snapshot.Subnet]()) {
		st := c.fields[f.id]
		switch f.name {
		case "id":
			if !st.off {
				t.Errorf("subnet id: shared after %d values (%d new), want unshared", st.seen, st.added)
			}
		case "network_id", "provider":
			if st.off {
				t.Errorf("subnet %s: unshared after %d values (%d new), want shared", f.name, st.seen, st.added)
			}
		default:
			continue
		}
		checked++
	}
	if checked != 3 {
		t.Errorf("checked %d subnet members, want id, network_id and provider", checked)
	}
}

// benchNetworks is the size of the synthetic estate the conversion is measured on.
const benchNetworks = 1000

// BenchmarkToValue converts a synthetic estate to the policy input; compare with
// BenchmarkJSONRoundTrip, the conversion it replaces.
func BenchmarkToValue(b *testing.B) {
	snap := synth.Generate(synth.Options{Networks: benchNetworks, Seed: 1})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ToValue(snap); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJSONRoundTrip converts the same estate through encoding/json: marshal, then
// parse into an ast.Value.
func BenchmarkJSONRoundTrip(b *testing.B) {
	snap := synth.Generate(synth.Options{Networks: benchNetworks, Seed: 1})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := viaJSONRoundTrip(snap); err != nil {
			b.Fatal(err)
		}
	}
}

// TestShareSlices checks that a slice of a shared type referred to twice converts to
// one term, that an equal slice with another backing array converts to its own, and
// that the value is the same as without sharing.
func TestShareSlices(t *testing.T) {
	t.Parallel()
	type hop struct {
		Key  string   `json:"key"`
		Tags []string `json:"tags"`
	}
	type flow struct {
		Hops []hop `json:"hops"`
	}
	shared := []hop{{Key: "a", Tags: []string{"x"}}}
	other := []hop{{Key: "a", Tags: []string{"x"}}}
	in := []flow{{Hops: shared}, {Hops: shared}, {Hops: other}}

	c := NewConverter()
	c.ShareSlices(reflect.TypeFor[[]hop]())
	v, err := c.ToValue(in)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := ToValue(in)
	if err != nil {
		t.Fatal(err)
	}
	if v.Compare(plain) != 0 {
		t.Errorf("shared conversion %v differs from the plain one %v", v, plain)
	}
	arr := v.(*ast.Array)
	hops := func(i int) *ast.Term { return arr.Elem(i).Value.(ast.Object).Get(ast.StringTerm("hops")) }
	if hops(0) != hops(1) {
		t.Error("the same slice converted to two terms")
	}
	if hops(0) == hops(2) {
		t.Error("slices with different backing arrays share a term")
	}
}

// TestShareValues checks that equal values of a shared type convert to one term
// whatever their backing arrays, that values differing anywhere (a nested slice, a
// pointer, nil against empty) do not, and that the value is the same as without
// sharing.
func TestShareValues(t *testing.T) {
	t.Parallel()
	type port struct {
		From int `json:"from"`
		To   int `json:"to"`
	}
	type source struct {
		Class string   `json:"class"`
		Addrs []string `json:"addrs,omitempty"`
		Index *int     `json:"index,omitempty"`
		Ports []port   `json:"ports"`
		Extra any      `json:"extra,omitempty"` // not keyable when set
	}
	one, two := 1, 2
	in := []source{
		{Class: "a", Addrs: []string{"x", "y"}, Index: &one, Ports: []port{{1, 2}}},
		{Class: "a", Addrs: []string{"x", "y"}, Index: &one, Ports: []port{{1, 2}}},           // equal to 0
		{Class: "a", Addrs: []string{"x", "y"}, Index: &two, Ports: []port{{1, 2}}},           // pointer differs
		{Class: "a", Addrs: []string{"xy"}, Index: &one, Ports: []port{{1, 2}}},               // strings split differently
		{Class: "a", Addrs: []string{"x", "y"}, Index: &one, Ports: []port{}},                 // empty, not nil
		{Class: "a", Addrs: []string{"x", "y"}, Index: &one},                                  // nil ports
		{Class: "a", Addrs: []string{"x", "y"}, Index: &one, Ports: []port{{1, 2}}, Extra: 1}, // not keyable
		{Class: "a", Addrs: []string{"x", "y"}, Index: &one, Ports: []port{{1, 2}}, Extra: 1},
	}
	c := NewConverter()
	c.ShareValues(reflect.TypeFor[source]())
	c.ShareValues(reflect.TypeFor[[]port]())
	v, err := c.ToValue(in)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := ToValue(in)
	if err != nil {
		t.Fatal(err)
	}
	if v.Compare(plain) != 0 {
		t.Errorf("shared conversion %v differs from the plain one %v", v, plain)
	}
	arr := v.(*ast.Array)
	if arr.Elem(0) != arr.Elem(1) {
		t.Error("equal values converted to two terms")
	}
	for i := 2; i < arr.Len(); i++ {
		if arr.Elem(i) == arr.Elem(0) {
			t.Errorf("value %d shares the term of a different value", i)
		}
	}
	if arr.Elem(6) == arr.Elem(7) {
		t.Error("values that cannot be keyed share a term")
	}
	ports := func(i int) *ast.Term { return arr.Elem(i).Value.(ast.Object).Get(ast.StringTerm("ports")) }
	if ports(0) != ports(2) || ports(0) != ports(6) {
		t.Error("equal port slices inside different values converted to two terms")
	}
}
