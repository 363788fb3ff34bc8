package snapshot

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files (snapshot/schema.json) from the code")

// TestSchema fails when the checked-in schema.json is not what the Go types give.
// Refresh it with: go test ./snapshot -run TestSchema -update
func TestSchema(t *testing.T) {
	got, err := GenerateSchema()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("schema.json", got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("schema.json is stale; run `go test ./snapshot -run TestSchema -update` (-checked-in +generated):\n%s", diff)
	}
	if !bytes.Equal(Schema(), want) {
		t.Error("Schema() is not the embedded schema.json")
	}
}

func TestSchemaShape(t *testing.T) {
	t.Parallel()
	var s struct {
		Schema      string         `json:"$schema"`
		ID          string         `json:"$id"`
		Title       string         `json:"title"`
		Description string         `json:"description"`
		Additional  *bool          `json:"additionalProperties"`
		Required    []string       `json:"required"`
		Defs        map[string]any `json:"$defs"`
	}
	if err := json.Unmarshal(Schema(), &s); err != nil {
		t.Fatal(err)
	}
	if s.Schema != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %q, want draft 2020-12", s.Schema)
	}
	if s.ID != SchemaID {
		t.Errorf("$id = %q, want %q", s.ID, SchemaID)
	}
	if s.Title == "" || s.Description == "" {
		t.Error("title and description must be set")
	}
	if s.Additional == nil || *s.Additional {
		t.Error("the root must forbid additional properties")
	}
	if diff := cmp.Diff([]string{"schema_version"}, s.Required); diff != "" {
		t.Errorf("root required (-want +got):\n%s", diff)
	}
	// Every object type forbids unknown members, so typos are caught.
	for name, def := range s.Defs {
		d := def.(map[string]any)
		if d["type"] == "object" && d["additionalProperties"] != false {
			t.Errorf("$defs/%s allows additional properties", name)
		}
	}
	// Descriptions come from the Go doc comments.
	net := s.Defs["Network"].(map[string]any)
	if want := "Network is a VPC (AWS), VNet (Azure) or VPC network (GCP)."; net["description"] != want {
		t.Errorf("$defs/Network description = %q, want %q", net["description"], want)
	}
}
