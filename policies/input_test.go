package policies

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

// viaEncodingJSON is the reference conversion: marshal, then parse.
func viaEncodingJSON(t *testing.T, snap *snapshot.Snapshot) ast.Value {
	t.Helper()
	b, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var x any
	if err := util.UnmarshalJSON(b, &x); err != nil {
		t.Fatal(err)
	}
	v, err := ast.InterfaceToValue(x)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestInputValueMatchesJSON(t *testing.T) {
	t.Parallel()
	full := &snapshot.Snapshot{}
	n := 0
	fill(reflect.ValueOf(full).Elem(), &n)

	// Zero values where omitempty matters: empty slices, zero numbers, false.
	sparse := estate()
	sparse.Networks = append(sparse.Networks, snapshot.Network{CIDRs: []string{}})
	sparse.Konnect.Networks[0].Attachments[0].CIDRBlocks = []string{}

	tests := []struct {
		name string
		snap *snapshot.Snapshot
	}{
		{"every field set", full},
		{"empty snapshot", &snapshot.Snapshot{}},
		{"sparse estate", sparse},
		// Large enough that members and flat types pass probeSize values: ids are
		// then converted unshared, repeated ports and sources shared.
		{"synthetic estate", synth.Generate(synth.Options{Networks: 300, Seed: 1})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := inputValue(tc.snap, false)
			if err != nil {
				t.Fatalf("inputValue: %v", err)
			}
			want := viaEncodingJSON(t, tc.snap)
			if got.Compare(want) != 0 {
				t.Errorf("inputValue differs from the JSON form (-want +got):\n%s",
					cmp.Diff(want.String(), got.String()))
			}
		})
	}
}

// TestConsumeInput checks that the consuming conversion gives the same input and
// leaves only the name, version and scopes in the snapshot.
func TestConsumeInput(t *testing.T) {
	t.Parallel()
	full := &snapshot.Snapshot{}
	n := 0
	fill(reflect.ValueOf(full).Elem(), &n)
	want := viaEncodingJSON(t, full)
	wantLocs := locations(full)
	kept := snapshot.Snapshot{SchemaVersion: full.SchemaVersion, Name: full.Name, CollectedAt: full.CollectedAt, Scopes: full.Scopes}

	in, err := ConsumeInput(full)
	if err != nil {
		t.Fatalf("ConsumeInput: %v", err)
	}
	if in.value.Compare(want) != 0 {
		t.Errorf("ConsumeInput differs from the JSON form (-want +got):\n%s", cmp.Diff(want.String(), in.value.String()))
	}
	if diff := cmp.Diff(kept, *full); diff != "" {
		t.Errorf("snapshot after ConsumeInput (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantLocs, in.locs, cmp.AllowUnexported(location{})); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(kept.Scopes, in.scopes); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}
}

func TestLocations(t *testing.T) {
	t.Parallel()
	snap := estate()
	snap.Konnect.Networks[0].PrivateDNS = []snapshot.KonnectPrivateDNS{{ID: "pdns-1", Kind: "aws-private-hosted-zone"}}
	snap.Subnets = []snapshot.Subnet{{Entity: entity("subnet-1", "gcp", "proj", "europe-west1"), NetworkID: "net"}}
	snap.Shares = []snapshot.Share{{Entity: entity("share-1", "aws", "333", "us-west-2")}}
	// A second entity with a known id does not move it.
	snap.Firewalls = []snapshot.Firewall{{Entity: entity("vpc-a", "azure", "x", "y"), Kind: "azure-nsg"}}

	got := locations(snap)
	want := map[string]location{
		"kn-1":     {"aws", "kong-org", "us-east-1"},
		"att-1":    {"aws", "kong-org", "us-east-1"},
		"pdns-1":   {"aws", "kong-org", "us-east-1"},
		"vpc-a":    {"aws", "222222222222", "eu-west-2"},
		"vpc-b":    {"aws", "111111111111", "eu-west-1"},
		"vpc-ok":   {"aws", "111111111111", "eu-west-1"},
		"subnet-1": {"gcp", "proj", "europe-west1"},
		"share-1":  {"aws", "333", "us-west-2"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(location{})); diff != "" {
		t.Errorf("locations mismatch (-want +got):\n%s", diff)
	}
}

// BenchmarkInput is the conversion of a synthetic estate to the policy input, the part
// of BenchmarkEvaluate that does not depend on the rules.
func BenchmarkInput(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("networks=%d", n), func(b *testing.B) {
			snap := synth.Generate(synth.Options{Networks: n, Seed: 1})
			b.ReportAllocs()
			for b.Loop() {
				if _, err := inputValue(snap, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestInputSharing checks that the conversion shares the terms of values that repeat
// (port ranges, firewall sources) and stops sharing where values are unique (ids), on
// an estate large enough for the probes to decide.
func TestInputSharing(t *testing.T) {
	t.Parallel()
	c := converter{strs: map[string]*ast.Term{}, flat: map[reflect.Type]*flatTerms{}}
	snap := synth.Generate(synth.Options{Networks: 300, Seed: 1})
	if _, err := c.toTerm(reflect.ValueOf(snap).Elem()); err != nil {
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
