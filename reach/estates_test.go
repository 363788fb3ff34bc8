package reach

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

func loadEstate(t testing.TB, name string) *snapshot.Document {
	t.Helper()
	doc, err := snapshot.Load(filepath.Join("..", "testdata", "estates", name, "snapshot.json"))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

// TestEstates builds every example estate twice: the flows and destinations are equal
// (deterministic), the build leaves the snapshot as it was, every destination is under
// its own key and every flow names one of them, and every hop names a resource id that
// is in the snapshot file (so reports can point at its lines).
func TestEstates(t *testing.T) {
	dirs, err := os.ReadDir(filepath.Join("..", "testdata", "estates"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range dirs {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			t.Parallel()
			doc := loadEstate(t, e.Name())
			before := loadEstate(t, e.Name())
			m := Build(doc.Snapshot, Options{})
			m2 := Build(doc.Snapshot, Options{})
			a := m.Flows()
			if diff := cmp.Diff(a, m2.Flows()); diff != "" {
				t.Errorf("two builds differ (-first +second):\n%s", diff)
			}
			if diff := cmp.Diff(m.Destinations(), m2.Destinations()); diff != "" {
				t.Errorf("two builds' destinations differ (-first +second):\n%s", diff)
			}
			if diff := cmp.Diff(before.Snapshot, doc.Snapshot); diff != "" {
				t.Errorf("Build modified the snapshot:\n%s", diff)
			}
			for k, d := range m.Destinations() {
				if d.Key != k {
					t.Errorf("destination %q listed under key %q", d.Key, k)
				}
			}
			for _, f := range a {
				d, ok := m.Destinations()[f.Destination]
				if !ok {
					t.Errorf("flow from %s/%s names destination %q, not among the destinations", f.Source.Class, f.Source.ID, f.Destination)
				}
				for _, hs := range [][]Hop{f.Hops, f.ReturnHops} {
					for _, h := range hs {
						if _, ok := doc.Span(h.ResourceID); !ok {
							t.Errorf("flow to %s from %s/%s: hop %s %q names %q, not in the snapshot", d.ID, f.Source.Class, f.Source.ID, h.Kind, h.Key, h.ResourceID)
						}
					}
				}
			}
		})
	}
}
