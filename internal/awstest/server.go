// Package awstest serves recorded AWS API responses over HTTP, so the AWS collector's
// tests run the real SDK clients (signing, retries, pagination, deserializers) against
// the APIs' real wire formats: EC2 and ELBv2 Query XML, STS Query XML, Route 53 REST XML,
// VPC Lattice and RAM REST JSON, WAFv2 and Organizations JSON 1.1.
//
// A manifest (YAML) lists the recorded responses and what request each answers:
//
//	access_keys: {AKIDEXAMPLE: "111111111111"}   # access key id -> account
//	responses:
//	  - service: ec2              # the SigV4 signing name
//	    operation: DescribeVpcs   # Query/JSON: the action; REST: the SDK operation name
//	    account: "111111111111"   # optional
//	    region: us-east-1         # optional
//	    params: {NextToken: p2}   # optional: request parameters that must match
//	    file: ec2/DescribeVpcs-2.xml
//	    error: {code: Throttling, message: Rate exceeded, status: 400}  # instead of file
//	    times: 1                  # answer this many times, then fall through
//
// The account comes from the access key id in the request's SigV4 credential scope, the
// region and service from the same scope. Parameters are the Query form fields, a REST
// request's query parameters and its URL path (as "path"), and the top-level string
// fields of a JSON body. The most specific match (the most of params, account and
// region given) wins, ties go to the earlier entry; a request nothing matches is answered with an error and reported by
// Unmatched (Start fails the test with it).
package awstest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// Manifest is one manifest file.
type Manifest struct {
	AccessKeys map[string]string `yaml:"access_keys"`
	Responses  []*Response       `yaml:"responses"`
}

// Response is one recorded answer and the requests it matches.
type Response struct {
	Service   string            `yaml:"service"`
	Operation string            `yaml:"operation"`
	Account   string            `yaml:"account"`
	Region    string            `yaml:"region"`
	Params    map[string]string `yaml:"params"`
	File      string            `yaml:"file"`
	Error     *Error            `yaml:"error"`
	Times     int               `yaml:"times"`

	body []byte
	used int
	// where is manifest:index, for messages.
	where string
}

// Error is a recorded error answer.
type Error struct {
	Code    string `yaml:"code"`
	Message string `yaml:"message"`
	Status  int    `yaml:"status"`
}

// Call is one request the server answered (or could not).
type Call struct {
	Account   string
	Region    string
	Service   string
	Operation string
	Params    map[string]string
	// Response is the manifest entry that answered, "" when none matched.
	Response string
	At       time.Time
}

// Server is a running fake AWS endpoint.
type Server struct {
	// URL is the endpoint to give the SDK (BaseEndpoint or AWS_ENDPOINT_URL).
	URL string
	// Latency is added to every answer (set it before the first request).
	Latency time.Duration

	srv       *httptest.Server
	mu        sync.Mutex
	responses []*Response
	keys      map[string]string
	calls     []Call
	unmatched []string
}

// Start loads the manifests and starts a server that the test closes when it ends; a
// request no manifest entry answered fails the test then.
func Start(t testing.TB, manifests ...string) *Server {
	t.Helper()
	s, err := New(manifests...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		for _, u := range s.Unmatched() {
			t.Errorf("awstest: no recorded response for %s", u)
		}
	})
	return s
}

// New loads the manifests and starts a server; the caller closes it.
func New(manifests ...string) (*Server, error) {
	s := &Server{keys: map[string]string{}}
	for _, path := range manifests {
		if err := s.load(path); err != nil {
			return nil, err
		}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s, nil
}

func (s *Server) load(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for k, v := range m.AccessKeys {
		s.keys[k] = v
	}
	for i, r := range m.Responses {
		r.where = fmt.Sprintf("%s:responses[%d]", path, i)
		switch {
		case r.Service == "" || r.Operation == "":
			return fmt.Errorf("%s: service and operation are required", r.where)
		case (r.File == "") == (r.Error == nil):
			return fmt.Errorf("%s: give file or error, not both or neither", r.where)
		case r.File != "":
			if r.body, err = os.ReadFile(filepath.Join(filepath.Dir(path), r.File)); err != nil {
				return fmt.Errorf("%s: %w", r.where, err)
			}
		}
		s.responses = append(s.responses, r)
	}
	return nil
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Calls are the requests served so far, in the order they arrived.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Reset forgets the calls and the use counts of the responses (times), so one server
// can serve several collections.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
	for _, r := range s.responses {
		r.used = 0
	}
}

// Unmatched describes the requests no manifest entry answered.
func (s *Server) Unmatched() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.unmatched)
}

// credentialRE reads the access key, region and service of a SigV4 Authorization header.
var credentialRE = regexp.MustCompile(`Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	m := credentialRE.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		http.Error(w, "awstest: request is not SigV4-signed", http.StatusForbidden)
		return
	}
	body, _ := io.ReadAll(r.Body)
	region, service := m[2], m[3]
	s.mu.Lock()
	account, known := s.keys[m[1]]
	s.mu.Unlock()
	if !known {
		account = "unknown-key:" + m[1]
	}
	op, params := request(service, r, body)
	call := Call{Account: account, Region: region, Service: service, Operation: op, Params: params, At: time.Now()}

	s.mu.Lock()
	resp := s.match(call)
	if resp != nil {
		resp.used++
		call.Response = resp.where
	} else {
		s.unmatched = append(s.unmatched, describe(call))
	}
	s.calls = append(s.calls, call)
	s.mu.Unlock()

	if s.Latency > 0 {
		select {
		case <-time.After(s.Latency):
		case <-r.Context().Done():
			return
		}
	}
	if resp == nil {
		writeError(w, service, Error{Code: "AwstestNoRecording", Message: "no recorded response for " + describe(call), Status: http.StatusNotImplemented})
		return
	}
	if resp.Error != nil {
		writeError(w, service, *resp.Error)
		return
	}
	w.Header().Set("Content-Type", contentType(service))
	w.Header().Set("X-Amzn-Requestid", "awstest-request")
	_, _ = w.Write(resp.body)
}

// match is the most specific unexhausted response for c (s.mu held).
func (s *Server) match(c Call) *Response {
	var best *Response
	for _, r := range s.responses {
		if r.Service != c.Service || r.Operation != c.Operation ||
			(r.Account != "" && r.Account != c.Account) || (r.Region != "" && r.Region != c.Region) ||
			(r.Times > 0 && r.used >= r.Times) {
			continue
		}
		ok := true
		for k, v := range r.Params {
			if c.Params[k] != v {
				ok = false
				break
			}
		}
		if ok && (best == nil || r.specificity() > best.specificity()) {
			best = r
		}
	}
	return best
}

// specificity ranks matching responses: each param, the account and the region count.
func (r *Response) specificity() int {
	n := len(r.Params)
	if r.Account != "" {
		n++
	}
	if r.Region != "" {
		n++
	}
	return n
}

func describe(c Call) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s account=%s region=%s", c.Service, c.Operation, c.Account, c.Region)
	for _, k := range slices.Sorted(maps.Keys(c.Params)) {
		fmt.Fprintf(&b, " %s=%q", k, c.Params[k])
	}
	return b.String()
}

// Protocols by signing name.
const (
	protoEC2      = "ec2"
	protoQuery    = "query"
	protoRESTXML  = "rest-xml"
	protoJSON     = "json"
	protoRESTJSON = "rest-json"
)

func protocol(service string) string {
	switch service {
	case "ec2":
		return protoEC2
	case "elasticloadbalancing", "sts", "iam":
		return protoQuery
	case "route53":
		return protoRESTXML
	case "wafv2", "organizations":
		return protoJSON
	default: // vpc-lattice, ram
		return protoRESTJSON
	}
}

// restOps names the REST operations the collector calls, by method and path.
var restOps = []struct {
	service, method string
	path            *regexp.Regexp
	op              string
}{
	{"route53", "GET", regexp.MustCompile(`^/2013-04-01/hostedzone$`), "ListHostedZones"},
	{"route53", "GET", regexp.MustCompile(`^/2013-04-01/hostedzone/[^/]+$`), "GetHostedZone"},
	{"route53", "GET", regexp.MustCompile(`^/2013-04-01/hostedzone/[^/]+/rrset$`), "ListResourceRecordSets"},
	{"route53", "GET", regexp.MustCompile(`^/2013-04-01/hostedzonesbyvpc$`), "ListHostedZonesByVPC"},
	{"vpc-lattice", "GET", regexp.MustCompile(`^/resourcegateways$`), "ListResourceGateways"},
	{"vpc-lattice", "GET", regexp.MustCompile(`^/resourcegateways/[^/]+$`), "GetResourceGateway"},
	{"vpc-lattice", "GET", regexp.MustCompile(`^/resourceconfigurations$`), "ListResourceConfigurations"},
	{"vpc-lattice", "GET", regexp.MustCompile(`^/resourceconfigurations/[^/]+$`), "GetResourceConfiguration"},
	{"vpc-lattice", "GET", regexp.MustCompile(`^/servicenetworkresourceassociations$`), "ListServiceNetworkResourceAssociations"},
	{"vpc-lattice", "GET", regexp.MustCompile(`^/resourceendpointassociations$`), "ListResourceEndpointAssociations"},
	{"ram", "POST", regexp.MustCompile(`^/getresourceshares$`), "GetResourceShares"},
	{"ram", "POST", regexp.MustCompile(`^/listprincipals$`), "ListPrincipals"},
	{"ram", "POST", regexp.MustCompile(`^/listresources$`), "ListResources"},
	{"ram", "POST", regexp.MustCompile(`^/getresourceshareassociations$`), "GetResourceShareAssociations"},
}

// request is the operation and parameters of r.
func request(service string, r *http.Request, body []byte) (string, map[string]string) {
	params := map[string]string{}
	switch protocol(service) {
	case protoEC2, protoQuery:
		form, _ := url.ParseQuery(string(body))
		for k, v := range form {
			params[k] = strings.Join(v, ",")
		}
		op := params["Action"]
		delete(params, "Action")
		delete(params, "Version")
		return op, params
	case protoJSON:
		jsonParams(body, params)
		target := r.Header.Get("X-Amz-Target")
		return target[strings.LastIndexByte(target, '.')+1:], params
	}
	for k, v := range r.URL.Query() {
		params[k] = strings.Join(v, ",")
	}
	params["path"] = r.URL.Path
	jsonParams(body, params)
	for _, o := range restOps {
		if o.service == service && o.method == r.Method && o.path.MatchString(r.URL.Path) {
			return o.op, params
		}
	}
	return r.Method + " " + r.URL.Path, params
}

// jsonParams adds the top-level string, number and boolean fields of a JSON body.
func jsonParams(body []byte, params map[string]string) {
	var fields map[string]any
	if len(bytes.TrimSpace(body)) == 0 || json.Unmarshal(body, &fields) != nil {
		return
	}
	for k, v := range fields {
		switch v := v.(type) {
		case string:
			params[k] = v
		case float64, bool:
			params[k] = fmt.Sprint(v)
		}
	}
}

func contentType(service string) string {
	switch protocol(service) {
	case protoJSON:
		return "application/x-amz-json-1.1"
	case protoRESTJSON:
		return "application/json"
	default:
		return "text/xml"
	}
}

// writeError answers with e in the service's wire format.
func writeError(w http.ResponseWriter, service string, e Error) {
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	esc := func(s string) string {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	switch protocol(service) {
	case protoEC2:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>awstest-request</RequestID></Response>`,
			esc(e.Code), esc(e.Message))
	case protoQuery, protoRESTXML:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>awstest-request</RequestId></ErrorResponse>`,
			esc(e.Code), esc(e.Message))
	case protoJSON:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.Code, "message": e.Message})
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Errortype", e.Code)
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": e.Message})
	}
}
