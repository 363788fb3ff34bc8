package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	mdns "github.com/miekg/dns"

	"github.com/dcgw-scan/dcgw-scan/internal/app"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// canaryToken is the Konnect token of the end-to-end tests; no output may contain it.
const canaryToken = "kpat_CANARYcmdscanCANARYcmdscan0123456789abcdef"

// konnectFixtures are the Konnect collector's recorded API answers.
const konnectFixtures = "../../collectors/konnect/testdata/happy"

// fakeKonnect serves konnectFixtures as the Konnect API would: /v2/cloud-gateways/a/b
// is a_b.json for page 1 and a_b.pageN.json for page N (an empty page past the last
// file). Every list needs "Bearer canaryToken"; status, when not 0, answers every list
// with that error instead (availability.json, which needs no token, stays served).
func fakeKonnect(t *testing.T, status int) *httptest.Server {
	t.Helper()
	fixtures, err := filepath.Abs(konnectFixtures) // the test may change directory
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, "/v2/cloud-gateways/")
		if r.Method != http.MethodGet || !ok {
			apiProblem(w, http.StatusNotFound, "no such path")
			return
		}
		name := strings.ReplaceAll(rest, "/", "_")
		if !strings.HasSuffix(name, ".json") {
			if r.Header.Get("Authorization") != "Bearer "+canaryToken {
				apiProblem(w, http.StatusUnauthorized, "missing or wrong token")
				return
			}
			if status != 0 {
				apiProblem(w, status, "you do not have permission to perform this action")
				return
			}
			page := r.URL.Query().Get("page[number]")
			if page == "" || page == "1" {
				name += ".json"
			} else {
				name += ".page" + page + ".json"
			}
		}
		body, err := os.ReadFile(filepath.Join(fixtures, name))
		switch {
		case os.IsNotExist(err) && strings.Contains(name, ".page"):
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"meta":{"page":{"number":%s,"size":100,"total":0}},"data":[]}`, r.URL.Query().Get("page[number]"))
		case err != nil:
			apiProblem(w, http.StatusNotFound, "no fixture "+name)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func apiProblem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"status":%d,"title":%s,"detail":%s}`, status, strconv.Quote(http.StatusText(status)), strconv.Quote(detail))
}

// testZone is what the test DNS server answers, authoritatively for every name: a
// configured hostname through Kong, one through an edge, and the fixtures' custom
// domain api.northwindtraders.com through Kong (api.fabrikam-insurance.com does not
// exist: NXDOMAIN, an answer, not an error).
const testZone = `
$TTL 300
gw.example.test.                       IN CNAME 9e454bcfec.gateways.konggateway.com.
www.example.test.                      IN CNAME d111.cdn-edge.test.
d111.cdn-edge.test.                    IN A     203.0.113.10
api.northwindtraders.com.              IN CNAME 9e454bcfec.gateways.konggateway.com.
9e454bcfec.gateways.konggateway.com.   IN A     10.40.139.9
`

// startDNS runs a DNS server on 127.0.0.1 (UDP) answering from testZone and returns
// its address.
func startDNS(t *testing.T) string { return startDNSZone(t, testZone) }

// startDNSZone runs a DNS server on 127.0.0.1 (UDP) answering from zone (master file
// syntax) and returns its address.
func startDNSZone(t *testing.T, zone string) string {
	t.Helper()
	records := map[string][]mdns.RR{}
	zp := mdns.NewZoneParser(strings.NewReader(zone), "", "testzone")
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		name := strings.ToLower(rr.Header().Name)
		records[name] = append(records[name], rr)
	}
	if err := zp.Err(); err != nil {
		t.Fatalf("parse test zone: %v", err)
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen udp: %v", err)
	}
	handler := mdns.HandlerFunc(func(w mdns.ResponseWriter, req *mdns.Msg) {
		resp := new(mdns.Msg)
		resp.SetReply(req)
		resp.Authoritative = true
		if len(req.Question) != 1 {
			_ = w.WriteMsg(resp.SetRcode(req, mdns.RcodeFormatError))
			return
		}
		q := req.Question[0]
		cur := strings.ToLower(q.Name)
		for hops := 0; hops < 10; hops++ {
			rrs, ok := records[cur]
			if !ok {
				if len(resp.Answer) == 0 {
					resp.Rcode = mdns.RcodeNameError
				}
				break
			}
			var next string
			for _, rr := range rrs {
				switch rr := rr.(type) {
				case *mdns.CNAME:
					resp.Answer = append(resp.Answer, rr)
					next = strings.ToLower(rr.Target)
				default:
					if rr.Header().Rrtype == q.Qtype {
						resp.Answer = append(resp.Answer, rr)
					}
				}
			}
			if next == "" {
				break
			}
			cur = next
		}
		_ = w.WriteMsg(resp)
	})
	srv := &mdns.Server{PacketConn: pc, Handler: handler}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go func() { _ = srv.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = srv.Shutdown() })
	return pc.LocalAddr().String()
}

// configFor writes, into a new temporary directory, a config with the sources
// section, where %K stands for api's URL (an unreachable one when api is nil) and %D
// for the DNS server at dnsAddr. It returns the directory, the config and the
// replacer, for the arguments.
func configFor(t *testing.T, api *httptest.Server, dnsAddr, sources string) (dir, cfgPath string, subst *strings.Replacer) {
	t.Helper()
	dir = t.TempDir()
	apiURL := "http://127.0.0.1:1"
	if api != nil {
		apiURL = api.URL
	}
	subst = strings.NewReplacer("%K", apiURL, "%D", dnsAddr)
	return dir, writeConfig(t, dir, subst.Replace(sources)), subst
}

// resourcesOf are the resources of the "RULE resource" findings of rule, in order.
func resourcesOf(findings []string, rule string) []string {
	var out []string
	for _, f := range findings {
		if r, ok := strings.CutPrefix(f, rule+" "); ok {
			out = append(out, r)
		}
	}
	return out
}

// writeConfig writes a config in dir with the given sources section.
func writeConfig(t *testing.T, dir, sources string) string {
	t.Helper()
	path := filepath.Join(dir, "dcgw-scan.yaml")
	if err := os.WriteFile(path, []byte("sources:\n"+sources), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// assertNoCanary fails if any of the outputs or files holds the token.
func assertNoCanary(t *testing.T, stdout []byte, stderr, errLine string, files ...string) {
	t.Helper()
	for what, s := range map[string]string{"stdout": string(stdout), "stderr": stderr, "error line": errLine} {
		if strings.Contains(s, canaryToken) {
			t.Errorf("the token leaked into %s", what)
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue // not written in this case; existence is checked elsewhere
		}
		if strings.Contains(string(data), canaryToken) {
			t.Errorf("the token leaked into %s", f)
		}
	}
}

func scopeStatuses(scopes []snapshot.Scope) []string {
	var out []string
	for _, s := range scopes {
		st := s.Key() + " " + s.Status
		for _, e := range s.Errors {
			st += " " + e.Class
		}
		out = append(out, st)
	}
	return out
}

// TestCollect runs `collect` against the fake Konnect API and the test DNS server.
// KONNECT_TOKEN is set with t.Setenv, so the cases do not run in parallel.
func TestCollect(t *testing.T) {
	t.Setenv(app.KonnectTokenEnv, canaryToken)
	happy := fakeKonnect(t, 0)
	denied := fakeKonnect(t, http.StatusForbidden)
	dnsAddr := startDNS(t)

	tests := []struct {
		name    string
		sources string // the config's sources section; %K is the Konnect URL, %D the DNS server
		args    []string
		api     *httptest.Server
		code    int
		errLine string
		// scopes are "key status [classes]" of the written snapshot; nil: no file.
		scopes []string
		check  func(t *testing.T, snap *snapshot.Snapshot)
	}{
		{
			name:    "konnect",
			sources: "  konnect:\n    url: %K\n    org: org-1\n",
			args:    []string{"konnect"},
			api:     happy,
			code:    exitClean,
			scopes: []string{
				"konnect/org-1/global/availability ok",
				"konnect/org-1/global/cloud-gateways ok",
				"konnect/org-1/global/cloud-gateways/networks/0b2f6a8e-5c1d-4e7a-9f3b-2a6c8d4e1f01 ok",
				"konnect/org-1/global/cloud-gateways/networks/1c3e5a7b-6d2e-4f8b-a04c-3b7d9e5f2a12 ok",
				"konnect/org-1/global/cloud-gateways/networks/2d4f6b8c-7e3f-4a9c-b15d-4c8e0f6a3b23 ok",
				"konnect/org-1/global/custom-domains ok",
			},
			check: func(t *testing.T, snap *snapshot.Snapshot) {
				var ids []string
				for _, n := range snap.Konnect.Networks {
					ids = append(ids, n.ID)
				}
				want := []string{"0b2f6a8e-5c1d-4e7a-9f3b-2a6c8d4e1f01", "1c3e5a7b-6d2e-4f8b-a04c-3b7d9e5f2a12", "2d4f6b8c-7e3f-4a9c-b15d-4c8e0f6a3b23"}
				if diff := cmp.Diff(want, ids); diff != "" {
					t.Errorf("konnect networks (-want +got):\n%s", diff)
				}
				if len(snap.DNSResolutions) != 0 {
					t.Errorf("collect konnect resolved %d hostnames", len(snap.DNSResolutions))
				}
			},
		},
		{
			name:    "--konnect-url overrides the config",
			sources: "  konnect:\n    url: http://127.0.0.1:1\n",
			args:    []string{"konnect", "--konnect-url", "%K"},
			api:     happy,
			code:    exitClean,
			scopes: []string{
				"konnect//global/availability ok",
				"konnect//global/cloud-gateways ok",
				"konnect//global/cloud-gateways/networks/0b2f6a8e-5c1d-4e7a-9f3b-2a6c8d4e1f01 ok",
				"konnect//global/cloud-gateways/networks/1c3e5a7b-6d2e-4f8b-a04c-3b7d9e5f2a12 ok",
				"konnect//global/cloud-gateways/networks/2d4f6b8c-7e3f-4a9c-b15d-4c8e0f6a3b23 ok",
				"konnect//global/custom-domains ok",
			},
		},
		{
			name:    "konnect denied",
			sources: "  konnect:\n    url: %K\n",
			args:    []string{"konnect"},
			api:     denied,
			code:    exitIncomplete,
			errLine: "collect konnect: 2 of 3 scopes failed or are partial",
			scopes: []string{
				"konnect//global/availability ok",
				"konnect//global/cloud-gateways failed denied denied denied",
				"konnect//global/custom-domains failed denied",
			},
			check: func(t *testing.T, snap *snapshot.Snapshot) {
				for _, s := range snap.Scopes {
					for _, e := range s.Errors {
						if !strings.Contains(e.Message, "role") {
							t.Errorf("scope %s: denied message does not name the role: %q", s.Key(), e.Message)
						}
					}
				}
			},
		},
		{
			name:    "dns resolves the configured hostnames only",
			sources: "  konnect:\n    url: %K\n  dns:\n    server: %D\n    timeout: 1s\n    hostnames: [gw.example.test, WWW.example.test.]\n",
			args:    []string{"dns"},
			api:     happy,
			code:    exitClean,
			scopes:  []string{"dns//global/resolve ok"},
			check: func(t *testing.T, snap *snapshot.Snapshot) {
				var got []string
				for _, r := range snap.DNSResolutions {
					got = append(got, fmt.Sprintf("%s %v %v %s", r.Hostname, r.Chain, r.Addresses, r.Rcode))
				}
				want := []string{
					"gw.example.test [9e454bcfec.gateways.konggateway.com] [10.40.139.9] NOERROR",
					"www.example.test [d111.cdn-edge.test] [203.0.113.10] NOERROR",
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("resolutions (-want +got):\n%s", diff)
				}
				if len(snap.Konnect.Networks) != 0 {
					t.Errorf("collect dns read Konnect")
				}
			},
		},
		{name: "no --out", sources: "  dns:\n    hostnames: [a.test]\n", args: []string{"dns", "--out", ""}, code: exitUsage, errLine: "--out is required"},
		{name: "gcp", sources: "  dns: {}\n", args: []string{"gcp"}, code: exitUsage, errLine: `cannot collect "gcp": want konnect, dns, aws or azure`},
		{name: "aws flag on dns", sources: "  dns:\n    hostnames: [a.test]\n", args: []string{"dns", "--regions", "eu-west-1"}, code: exitUsage, errLine: "are for collect aws, not dns"},
		{name: "azure flag on aws", sources: "  dns: {}\n", args: []string{"aws", "--subscription", "00000000-0000-0000-0000-000000000000"}, code: exitUsage, errLine: "--subscription is for collect azure, not aws"},
		{name: "aws org without role name", sources: "  dns: {}\n", args: []string{"aws", "--org"}, code: exitUsage, errLine: "--org and --role-name go together"},
		{name: "aws role and org", sources: "  aws:\n    role_arn: arn:aws:iam::123456789012:role/r\n    org_role_name: r\n", args: []string{"aws"}, code: exitUsage, errLine: "role_arn and org_role_name both set"},
		{name: "aws bad region", sources: "  aws:\n    regions: [eu-west-1, Frankfurt]\n", args: []string{"aws"}, code: exitUsage, errLine: `sources.aws.regions[1]: "Frankfurt" is not an AWS region name`},
		{name: "azure bad subscription", sources: "  azure:\n    subscriptions: [prod]\n", args: []string{"azure"}, code: exitUsage, errLine: `sources.azure.subscriptions[0]: "prod" is not a subscription id`},
		{name: "dns without hostnames", sources: "  dns:\n    server: %D\n", args: []string{"dns"}, code: exitUsage, errLine: "sources.dns.hostnames is empty"},
		{name: "bad config", sources: "  dns:\n    hostname: [a.test]\n", args: []string{"dns"}, code: exitUsage, errLine: "line 3: field hostname not found"},
		{name: "konnect over plain http elsewhere", sources: "  konnect:\n    url: http://konnect.example.com\n", args: []string{"konnect"}, code: exitUsage, errLine: "the token is sent only over https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, cfgPath, subst := configFor(t, tt.api, dnsAddr, tt.sources)
			out := filepath.Join(dir, "out", "snapshot.json")
			if err := os.Mkdir(filepath.Dir(out), 0o755); err != nil {
				t.Fatal(err)
			}
			args := []string{"--log-level", "debug", "collect", "--config", cfgPath, "--out", out}
			for _, a := range tt.args {
				args = append(args, subst.Replace(a))
			}
			stdout, stderr, code, errLine := runCLI(t, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (error %q)", code, tt.code, errLine)
			}
			if !strings.Contains(errLine, tt.errLine) || (tt.errLine == "") != (errLine == "") {
				t.Errorf("error line %q, want one containing %q", errLine, tt.errLine)
			}
			if len(stdout) != 0 {
				t.Errorf("stdout not empty: %q", stdout)
			}
			assertNoCanary(t, stdout, stderr, errLine, out)
			left, err := os.ReadDir(filepath.Dir(out))
			if err != nil {
				t.Fatal(err)
			}
			if tt.scopes == nil {
				if len(left) != 0 {
					t.Errorf("files left behind: %v", dirNames(left))
				}
				return
			}
			if names := dirNames(left); !slices.Equal(names, []string{"snapshot.json"}) {
				t.Errorf("files in the output dir: %v, want [snapshot.json]", names)
			}
			doc, err := snapshot.Load(out)
			if err != nil {
				t.Fatalf("the written snapshot does not load: %v", err)
			}
			if doc.Snapshot.SchemaVersion != snapshot.SchemaVersion || doc.Snapshot.CollectedAt == "" {
				t.Errorf("schema_version %q, collected_at %q", doc.Snapshot.SchemaVersion, doc.Snapshot.CollectedAt)
			}
			if diff := cmp.Diff(tt.scopes, scopeStatuses(doc.Snapshot.Scopes)); diff != "" {
				t.Errorf("scopes (-want +got):\n%s", diff)
			}
			if tt.check != nil {
				tt.check(t, doc.Snapshot)
			}
		})
	}
}
