package konnect

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testToken = "kpat_canaryTOKENcanaryTOKENcanaryTOKEN0123456789"
	testOrg   = "3f6c2a91-7d4e-4b8a-9c15-0e2d8b7f4a63"
)

// Network ids of the testdata/happy fixtures.
const (
	awsNet   = "0b2f6a8e-5c1d-4e7a-9f3b-2a6c8d4e1f01"
	azureNet = "1c3e5a7b-6d2e-4f8b-a04c-3b7d9e5f2a12"
	gcpNet   = "2d4f6b8c-7e3f-4a9c-b15d-4c8e0f6a3b23"
)

// request is what the fake API saw.
type request struct {
	Method, Path, Page, Size, Auth string
}

// fakeAPI serves the fixtures of a testdata directory the way the Konnect API would:
// /v2/cloud-gateways/a/b/c is a_b_c.json for page 1 and a_b_c.pageN.json for page N;
// a page past the last file is an empty page. Override, when set, answers first;
// it returns false to fall through to the fixtures.
type fakeAPI struct {
	dir      string
	override func(w http.ResponseWriter, r *http.Request, n int) bool

	mu    sync.Mutex
	log   []request
	count map[string]int // requests per path
}

func newFakeAPI(t *testing.T, dir string) (*fakeAPI, *httptest.Server) {
	t.Helper()
	f := &fakeAPI{dir: dir, count: map[string]int{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	f.log = append(f.log, request{r.Method, r.URL.Path, q.Get("page[number]"), q.Get("page[size]"), r.Header.Get("Authorization")})
	f.count[r.URL.Path]++
	n := f.count[r.URL.Path]
	override := f.override
	f.mu.Unlock()

	if r.Method != http.MethodGet {
		problem(w, http.StatusMethodNotAllowed, "Method Not Allowed", "read-only fake")
		return
	}
	if override != nil && override(w, r, n) {
		return
	}
	q = r.URL.Query() // an override may rewrite the query
	rest, ok := strings.CutPrefix(r.URL.Path, "/v2/cloud-gateways/")
	if !ok {
		problem(w, http.StatusNotFound, "Not Found", "no such path")
		return
	}
	name := strings.ReplaceAll(rest, "/", "_")
	if !strings.HasSuffix(name, ".json") {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			problem(w, http.StatusUnauthorized, "Unauthorized", "missing or wrong token")
			return
		}
		page := cmpOr(q.Get("page[number]"), "1")
		if page == "1" {
			name += ".json"
		} else {
			name += ".page" + page + ".json"
		}
	}
	body, err := os.ReadFile(filepath.Join(f.dir, name))
	switch {
	case os.IsNotExist(err) && strings.Contains(name, ".page"):
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"meta":{"page":{"number":` + q.Get("page[number]") + `,"size":100,"total":0}},"data":[]}`))
	case err != nil:
		problem(w, http.StatusNotFound, "Not Found", "no fixture "+name)
	default:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}
}

func (f *fakeAPI) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.log...)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func problem(w http.ResponseWriter, status int, title, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"status":` + strconv.Itoa(status) + `,"title":` + strconv.Quote(title) +
		`,"instance":"kong:trace:1234567890","detail":` + strconv.Quote(detail) + `}`))
}

// sleeper records the waits the client asks for and returns at once.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeper) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// newTestClient is a client of srv with instant, recorded waits (1s base backoff, 8s
// cap, 4 tries, Retry-After capped at 60s) and pages of 2, at most 10.
func newTestClient(t *testing.T, srv *httptest.Server, opts ...Option) (*Client, *sleeper) {
	t.Helper()
	sl := &sleeper{}
	all := append([]Option{
		WithHTTPClient(srv.Client()),
		WithSleep(sl.sleep),
		WithRetry(4, time.Second, 8*time.Second),
		WithMaxRetryAfter(time.Minute),
		WithPaging(2, 10),
	}, opts...)
	c, err := NewClient(srv.URL, testToken, all...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c, sl
}
