package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"weak"

	"github.com/google/go-cmp/cmp"
)

func TestLoadValid(t *testing.T) {
	t.Parallel()
	doc, err := Load("testdata/valid.json")
	if err != nil {
		t.Fatal(err)
	}
	if doc.Path != "testdata/valid.json" {
		t.Errorf("Path = %q", doc.Path)
	}
	want := &Snapshot{
		SchemaVersion: "1",
		Name:          "acme-prod",
		CollectedAt:   "2025-11-20T10:00:00Z",
		Konnect: Konnect{Networks: []KonnectNetwork{{
			Entity:       Entity{ID: "kn-1", Provider: "aws", Account: "111111111111", Region: "us-east-2", Name: "prod"},
			CIDR:         "10.100.0.0/16",
			State:        "ready",
			DataPlaneIPs: []string{"10.100.1.10", "10.100.2.10"},
			Hostnames:    []string{"abc.gateways.konggateway.com"},
			Attachments: []KonnectAttachment{{
				ID: "att-1", Kind: AttachAWSVPCPeering, State: "ready", CIDRBlocks: []string{"10.0.0.0/16"},
				Account: "222222222222", NetworkID: "vpc-1", PeeringID: "pcx-1",
			}},
		}}},
		Networks: []Network{{
			Entity: Entity{ID: "vpc-1", Provider: "aws", Account: "222222222222", Region: "us-east-2", Tags: map[string]string{"env": "prod"}},
			Kind:   "aws-vpc",
			CIDRs:  []string{"10.0.0.0/16", "100.64.0.0/16"},
		}},
		RouteTables: []RouteTable{{
			Entity: Entity{ID: "rtb-1", Provider: "aws"}, NetworkID: "vpc-1", Main: true,
			Routes: []Route{
				{Destination: "10.0.0.0/16", TargetKind: TargetLocal, State: "active"},
				{Destination: "10.100.0.0/16", TargetKind: TargetPeering, TargetID: "pcx-1", State: "active"},
			},
		}},
		Firewalls: []Firewall{{
			Entity: Entity{ID: "sg-1", Provider: "aws"}, Kind: "aws-security-group", NetworkID: "vpc-1", Stateful: true,
			Rules: []FirewallRule{{
				ID: "sgr-1", Direction: "ingress", Action: "allow", Protocol: "tcp",
				Ports:   []PortRange{{From: 443, To: 443}},
				Sources: []Address{{Kind: AddrCIDR, Value: "10.100.0.0/16"}},
			}},
		}},
		Scopes: []Scope{{
			Provider: "aws", Account: "222222222222", Region: "us-east-2", Service: "ec2", Status: ScopeOK,
			Collections: []string{"firewalls", "networks", "route_tables"},
		}},
	}
	if diff := cmp.Diff(want, doc.Snapshot); diff != "" {
		t.Errorf("snapshot (-want +got):\n%s", diff)
	}
	// Every object with an id, at any depth, with the lines of its braces.
	wantSpans := map[string]Span{
		"kn-1":  {7, 35},
		"att-1": {23, 33},
		"vpc-1": {39, 52},
		"rtb-1": {55, 73},
		"sg-1":  {76, 102},
		"sgr-1": {83, 100},
	}
	if diff := cmp.Diff(wantSpans, doc.Spans); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}
	if sp, ok := doc.Span("sgr-1"); !ok || sp != (Span{83, 100}) {
		t.Errorf("Span(sgr-1) = %v, %v", sp, ok)
	}
}

// The checked-in example is in canonical form: Marshal gives back its exact bytes.
func TestValidFileIsCanonical(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/valid.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse("valid.json", raw)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Marshal(doc.Snapshot)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(raw), string(got)); diff != "" {
		t.Errorf("Marshal(Load(valid.json)) differs (-file +marshal):\n%s", diff)
	}
}

func TestScanSpans(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want map[string]Span
	}{
		{
			name: "outer object wins over a nested one with the same id",
			in:   "{\"id\": \"x\",\n \"inner\": {\n  \"id\": \"x\"\n }\n}\n",
			want: map[string]Span{"x": {1, 5}},
		},
		{
			name: "outer wins even when its id member comes after the nested object",
			in:   "{\"inner\": {\"id\": \"y\"},\n \"id\": \"y\"\n}",
			want: map[string]Span{"y": {1, 3}},
		},
		{
			name: "first sibling wins",
			in:   "[\n{\"id\": \"z\"},\n{\"id\": \"z\",\n \"n\": 1}\n]",
			want: map[string]Span{"z": {2, 2}},
		},
		{
			name: "non-string ids, id values elsewhere and id-named values are not ids",
			in:   "{\"a\": {\"id\": 7}, \"b\": \"id\", \"c\": [\"id\", {\"name\": \"id\"}], \"d\": {\"tags\": {\"id\": \"t\"}, \"x\": 1}}",
			want: map[string]Span{"t": {1, 1}},
		},
		{
			name: "escaped ids are decoded",
			in:   "{\n\"id\": \"a\\u002fb\"\n}",
			want: map[string]Span{"a/b": {1, 3}},
		},
		{
			name: "only the first id member of an object counts",
			in:   "{\"id\": \"first\", \"id\": \"second\"}",
			want: map[string]Span{"first": {1, 1}},
		},
		{
			name: "no ids",
			in:   "{\"a\": [1, 2, {\"b\": null}]}",
			want: map[string]Span{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := scanSpans([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("spans (-want +got):\n%s", diff)
			}
		})
	}
}

// decodeTree must give the schema validator what encoding/json gives with UseNumber.
func TestDecodeTree(t *testing.T) {
	t.Parallel()
	tests := []string{
		`{}`,
		`[]`,
		` {"a": [1, -2.5e3, 0, {"b": null}], "c": true, "d": false} `,
		"{\n  \"k\\\"q\": \"v\\\\\",\n  \"e\": \"\\u00e9\\n\\/\"\n}",
		`{"dup": 1, "dup": [2]}`,
		`{"x": "caf\u00e9 \u2603", "y": [[], {}, ""]}`,
		`"\u002f"`,
		`12345678901234567890`,
		`null`,
		"{\"bad utf8\": \"\xff\"}",
	}
	for _, in := range tests {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			dec := json.NewDecoder(strings.NewReader(in))
			dec.UseNumber()
			var want any
			if err := dec.Decode(&want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, decodeTree([]byte(in))); diff != "" {
				t.Errorf("decodeTree(%s) (-encoding/json +got):\n%s", in, diff)
			}
		})
	}
}

// Parse takes the members of the document in any order, and collections in any
// layout; what it gives does not depend on either.
func TestParseLayout(t *testing.T) {
	t.Parallel()
	in := `{"networks": [{"id": "vpc-1", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.0.0.0/16"]},
{"id":"vpc-2","provider":"aws","kind":"aws-vpc","tags":{"id":"vpc-1"}}],"konnect":{"custom_domains":[],"networks":[
  {"id": "kn-1", "provider": "aws", "cidr": "10.100.0.0/16", "attachments": [{"id": "a\u002f1",
   "kind": "aws-vpc-peering-attachment"}]}]}, "name": "n",
 "scopes": [{"provider": "aws", "service": "ec2", "status": "ok", "collections": ["networks"]}],
 "schema_version": "1"}`
	d, err := Parse("x.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := &Snapshot{
		SchemaVersion: "1",
		Name:          "n",
		Konnect: Konnect{
			CustomDomains: []CustomDomain{},
			Networks: []KonnectNetwork{{
				Entity: Entity{ID: "kn-1", Provider: "aws"}, CIDR: "10.100.0.0/16",
				Attachments: []KonnectAttachment{{ID: "a/1", Kind: AttachAWSVPCPeering}},
			}},
		},
		Networks: []Network{
			{Entity: Entity{ID: "vpc-1", Provider: "aws"}, Kind: "aws-vpc", CIDRs: []string{"10.0.0.0/16"}},
			{Entity: Entity{ID: "vpc-2", Provider: "aws", Tags: map[string]string{"id": "vpc-1"}}, Kind: "aws-vpc"},
		},
		Scopes: []Scope{{Provider: "aws", Service: "ec2", Status: ScopeOK, Collections: []string{"networks"}}},
	}
	if diff := cmp.Diff(want, d.Snapshot); diff != "" {
		t.Errorf("snapshot (-want +got):\n%s", diff)
	}
	wantSpans := map[string]Span{"vpc-1": {1, 1}, "vpc-2": {2, 2}, "kn-1": {3, 4}, "a/1": {3, 4}}
	if diff := cmp.Diff(wantSpans, d.Spans); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}
	want2, err := Parse("x.json", []byte(strings.NewReplacer("\n", "", " ", "").Replace(in)))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, want2.Snapshot); diff != "" {
		t.Errorf("snapshot on one line (-want +got):\n%s", diff)
	}
}

// Large collections are checked in parallel chunks; what is reported is still the
// first problems in document order.
func TestParseLargeCollections(t *testing.T) {
	t.Parallel()
	elems := func(n int, elem func(i int) string) string {
		var sb strings.Builder
		for i := range n {
			if i > 0 {
				sb.WriteString(",\n")
			}
			sb.WriteString(elem(i))
		}
		return sb.String()
	}
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "schema violations across chunks, in document order",
			in: doc(`  "networks": [` + elems(500, func(i int) string {
				provider := "aws"
				if i == 7 || i == 450 {
					provider = "amazon"
				}
				return fmt.Sprintf(`{"id": "vpc-%d", "provider": %q, "kind": "aws-vpc"}`, i, provider)
			}) + `]`),
			// Element i is on line 3+i.
			want: `bad.json:10: /networks/7/provider: value must be one of 'aws', 'azure', 'gcp', 'konnect'
bad.json:453: /networks/450/provider: value must be one of 'aws', 'azure', 'gcp', 'konnect'`,
		},
		{
			name: "the first element that does not decode is reported",
			in: doc(`  "route_tables": [` + elems(500, func(i int) string {
				priority := "1"
				if i == 300 || i == 420 {
					priority = "99999999999999999999"
				}
				return fmt.Sprintf(`{"id": "rtb-%d", "provider": "aws", "network_id": "vpc-1", "routes": [{"target_kind": "local", "priority": %s}]}`, i, priority)
			}) + `]`),
			want: `bad.json:303:109: cannot unmarshal number 99999999999999999999 into Go struct field Route.route_tables.routes.priority of type int`,
		},
		{
			name: "duplicate ids across chunks",
			in: doc(`  "subnets": [` + elems(500, func(i int) string {
				return fmt.Sprintf(`{"id": "subnet-%d", "provider": "aws", "network_id": "vpc-1"}`, i%490)
			}) + `]`),
			want: `bad.json:493: /subnets/490/id: duplicate id "subnet-0" (first at line 3)
bad.json:494: /subnets/491/id: duplicate id "subnet-1" (first at line 4)
bad.json:495: /subnets/492/id: duplicate id "subnet-2" (first at line 5)
bad.json:496: /subnets/493/id: duplicate id "subnet-3" (first at line 6)
bad.json:497: /subnets/494/id: duplicate id "subnet-4" (first at line 7)
bad.json:498: /subnets/495/id: duplicate id "subnet-5" (first at line 8)
bad.json:499: /subnets/496/id: duplicate id "subnet-6" (first at line 9)
bad.json:500: /subnets/497/id: duplicate id "subnet-7" (first at line 10)
bad.json:501: /subnets/498/id: duplicate id "subnet-8" (first at line 11)
bad.json:502: /subnets/499/id: duplicate id "subnet-9" (first at line 12)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("bad.json", []byte(tt.in))
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// doc wraps members (indented JSON lines) into a snapshot; the first member is on line 3.
func doc(members ...string) string {
	return "{\n  \"schema_version\": \"1\",\n" + strings.Join(members, ",\n") + "\n}\n"
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		// Malformed JSON: file:line:column.
		{
			name: "missing comma",
			in:   "{\n  \"schema_version\": \"1\"\n  \"name\": \"x\"\n}\n",
			want: `bad.json:3:3: invalid character '"' after object key:value pair`,
		},
		{
			name: "column counts characters, not bytes",
			in:   "{\n  \"name\": \"café\" x\n}",
			want: `bad.json:2:18: invalid character 'x' after object key:value pair`,
		},
		{
			name: "truncated",
			in:   "{\n  \"schema_version\": \"1\",\n  \"networks\": [\n",
			want: `bad.json:4:1: unexpected end of JSON input`,
		},
		{
			name: "data after the document",
			in:   "{\"schema_version\": \"1\"}\n\n  {}",
			want: `bad.json:3:3: invalid character '{' after top-level value`,
		},
		{
			name: "empty",
			in:   "\n \n",
			want: `bad.json: empty file, want a JSON snapshot object`,
		},
		// Versions, before the schema.
		{
			name: "unknown version",
			in:   "{\"schema_version\": \"2\", \"networks\": 5, \"bogus\": true}",
			want: `bad.json: unsupported schema_version "2" (this dcgw-scan reads "1")`,
		},
		{
			name: "version as a number",
			in:   "{\"schema_version\": 1}",
			want: `bad.json: unsupported schema_version 1 (this dcgw-scan reads "1")`,
		},
		{
			name: "missing version",
			in:   "{\n  \"networks\": []\n}",
			want: `bad.json: missing schema_version (this dcgw-scan reads "1")`,
		},
		// Schema violations: file:line: pointer: message.
		{
			name: "not an object",
			in:   "[\n]",
			want: `bad.json:1: (root): got array, want object`,
		},
		{
			name: "misspelt member is reported on its own line",
			in: doc(`  "networks": [
    {
      "id": "vpc-1",
      "provider": "aws",
      "kind": "aws-vpc",
      "cidr": ["10.0.0.0/16"]
    }
  ]`),
			want: `bad.json:8: /networks/0: unknown member "cidr"`,
		},
		{
			name: "wrong type, missing member, bad enum, in document order",
			in: doc(`  "route_tables": [
    {
      "id": "rtb-1",
      "provider": "aws",
      "main": "yes"
    }
  ],
  "networks": [
    {
      "id": "vpc-1",
      "provider": "amazon"
    }
  ]`),
			want: `bad.json:4: /route_tables/0: missing property 'network_id'
bad.json:7: /route_tables/0/main: got string, want boolean
bad.json:11: /networks/0: missing property 'kind'
bad.json:13: /networks/0/provider: value must be one of 'aws', 'azure', 'gcp', 'konnect'`,
		},
		{
			name: "bad date-time",
			in:   doc(`  "collected_at": "yesterday"`),
			want: `bad.json:3: /collected_at: 'yesterday' is not valid date-time: less than 20 characters long`,
		},
		{
			name: "port out of range",
			in: doc(`  "firewalls": [{"id": "sg-1", "provider": "aws", "kind": "aws-security-group",
    "rules": [{"direction": "ingress", "action": "allow", "protocol": "tcp",
      "ports": [{"from": 0, "to": 70000}]}]}]`),
			want: `bad.json:5: /firewalls/0/rules/0/ports/0/to: got 70000, want at most 65535`,
		},
		{
			name: "negative port",
			in: doc(`  "firewalls": [{"id": "sg-1", "provider": "aws", "kind": "aws-security-group",
    "rules": [{"direction": "ingress", "action": "allow", "protocol": "tcp",
      "ports": [{"from": -1, "to": 22}]}]}]`),
			want: `bad.json:5: /firewalls/0/rules/0/ports/0/from: got -1, want at least 0`,
		},
		// Numbers the schema allows but Go cannot hold: file:line:column.
		{
			name: "integer overflow",
			in: doc(`  "route_tables": [{"id": "rtb-1", "provider": "aws", "network_id": "vpc-1",
    "routes": [{"target_kind": "local", "priority": 99999999999999999999}]}]`),
			want: `bad.json:4:53: cannot unmarshal number 99999999999999999999 into Go struct field Route.route_tables.routes.priority of type int`,
		},
		// What the schema cannot say: file:line: pointer: message.
		{
			name: "malformed addresses, port ranges, unknown collections",
			in: doc(`  "konnect": {
    "networks": [{"id": "kn-1", "provider": "aws", "cidr": "10.100.0.0/33",
      "data_plane_ips": ["10.100.1.300"],
      "attachments": [{"id": "a", "kind": "aws-transit-gateway-attachment", "cidr_blocks": ["10/8"]}]}]
  },
  "networks": [{"id": "vpc-1", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.0.0.0/16", "10.1.0.0"]}],
  "firewalls": [{"id": "sg-1", "provider": "aws", "kind": "aws-security-group",
    "rules": [{"direction": "ingress", "action": "allow", "protocol": "tcp",
      "ports": [{"from": 444, "to": 443}],
      "sources": [{"kind": "cidr", "value": "anywhere"}, {"kind": "tag", "value": "web"}]}]}],
  "target_groups": [{"id": "tg-1", "provider": "aws", "target_type": "ip", "targets": [{"id": "i-123"}]}],
  "private_endpoints": [{"id": "rc-1", "provider": "aws", "kind": "aws-lattice-resource-configuration",
    "type": "SINGLE", "definition": {"kind": "ip", "value": "10.0.0.256"}, "port_ranges": ["443", "9000-8000"]}],
  "scopes": [{"provider": "aws", "service": "ec2", "status": "ok", "collections": ["networks", "netwroks"]}]`),
			want: `bad.json:4: /konnect/networks/0/cidr: "10.100.0.0/33" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json:5: /konnect/networks/0/data_plane_ips/0: "10.100.1.300" is not an IP address
bad.json:6: /konnect/networks/0/attachments/0/cidr_blocks/0: "10/8" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json:8: /networks/0/cidrs/1: "10.1.0.0" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json:11: /firewalls/0/rules/0/ports/0: port range 444-443: from is above to
bad.json:12: /firewalls/0/rules/0/sources/0/value: "anywhere" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json:13: /target_groups/0/targets/0/id: "i-123" is not an IP address
bad.json:15: /private_endpoints/0/definition/value: "10.0.0.256" is not an IP address
bad.json:15: /private_endpoints/0/port_ranges/1: port range "9000-8000": from is above to
bad.json:16: /scopes/0/collections/1: unknown collection "netwroks" (want one of ` + strings.Join(Collections, ", ") + `)`,
		},
		{
			name: "duplicate ids name the first occurrence",
			in: doc(`  "networks": [
    {"id": "vpc-1", "provider": "aws", "kind": "aws-vpc"},
    {"id": "vpc-2", "provider": "aws", "kind": "aws-vpc"},
    {"id": "vpc-1", "provider": "aws", "kind": "aws-vpc"}
  ],
  "firewalls": [{"id": "sg-1", "provider": "aws", "kind": "aws-security-group", "rules": [
    {"id": "r", "direction": "ingress", "action": "allow", "protocol": "tcp"},
    {"id": "r", "direction": "egress", "action": "allow", "protocol": "tcp"}]}],
  "subnets": [{"id": "vpc-1", "provider": "aws", "network_id": "vpc-1"}]`),
			want: `bad.json:6: /networks/2/id: duplicate id "vpc-1" (first at line 4)
bad.json:10: /firewalls/0/rules/1/id: duplicate id "r" (first at line 9)`,
		},
		{
			name: "many problems are capped",
			in: doc(`  "networks": [{"id": "vpc-1", "provider": "aws", "kind": "aws-vpc", "cidrs": [
    "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]}]`),
			want: `bad.json:4: /networks/0/cidrs/0: "a" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json:4: /networks/0/cidrs/1: "b" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json:4: /networks/0/cidrs/2: "c" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json:4: /networks/0/cidrs/3: "d" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json:4: /networks/0/cidrs/4: "e" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json:4: /networks/0/cidrs/5: "f" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json:4: /networks/0/cidrs/6: "g" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json:4: /networks/0/cidrs/7: "h" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json:4: /networks/0/cidrs/8: "i" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json:4: /networks/0/cidrs/9: "j" is not a CIDR (want e.g. 10.0.0.0/16)
bad.json: and 2 more problems`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := Parse("bad.json", []byte(tt.in))
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", d.Snapshot)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			var perr *Error
			if !errors.As(err, &perr) || perr.Path != "bad.json" {
				t.Errorf("error %T does not hold a *snapshot.Error for bad.json", err)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "none.json")
	_, err := Load(path)
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load(missing) = %v, want a not-exist error", err)
	}
	if want := "read snapshot: open " + path + ": no such file or directory"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

// TestParseDoesNotRetainFile checks that a Document keeps nothing of the file's bytes
// alive: on a large estate they are as big as the snapshot itself.
func TestParseDoesNotRetainFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "valid.json"))
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Clone(data) // a buffer of our own, nothing else refers to
	gone := weak.Make(&data[0])
	doc, err := Parse("valid.json", data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	data = nil
	runtime.GC()
	runtime.GC()
	if gone.Value() != nil {
		t.Error("the Document keeps the file's bytes alive")
	}
	runtime.KeepAlive(doc)
}
