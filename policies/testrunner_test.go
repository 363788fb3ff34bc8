package policies

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestRunTests(t *testing.T) {
	t.Parallel()
	tests := `package dcgw.cidr.no_cidr_test

import data.dcgw.cidr.no_cidr

test_violation if {
	got := no_cidr.deny with input as {"networks": [{"id": "vpc-1"}]} with data.config.gateway_port as 1
	{f.resource | some f in got} == {"vpc-1"}
}

test_fails if {
	count(no_cidr.deny) == 1 with input as {"networks": []}
}

test_config_is_params if {
	data.config.gateway_port == 8443
	"kongcloud.dev" in data.config.kong_domains
}

test_builtin_error if {
	to_number("not a number") == 1
}

todo_test_later if false
`
	params := DefaultParams()
	params.GatewayPort = 8443
	builtin := fixtureFS(map[string]string{
		"cidr/no_cidr.rego":      rule("dcgw.cidr.no_cidr", meta, noCIDR),
		"cidr/no_cidr_test.rego": tests,
	})
	dir := writeDir(t, map[string]string{
		"acme_test.rego": "package acme_test\n\ntest_user if true\n",
	})
	got, err := RunTests(t.Context(), Options{Dirs: []string{dir}, Params: params, Builtin: builtin})
	if err != nil {
		t.Fatalf("RunTests: %v", err)
	}
	const file = "policies/cidr/no_cidr_test.rego"
	const pkg = "data.dcgw.cidr.no_cidr_test"
	want := []TestResult{
		{Package: pkg, Name: "test_violation", File: file, Row: 5, Pass: true},
		{Package: pkg, Name: "test_fails", File: file, Row: 10, Fail: true},
		{Package: pkg, Name: "test_config_is_params", File: file, Row: 14, Pass: true},
		{Package: pkg, Name: "test_builtin_error", File: file, Row: 19,
			Err: file + `:20: eval_builtin_error: to_number: strconv.ParseFloat: parsing "not a number": invalid syntax`},
		{Package: pkg, Name: "todo_test_later", File: file, Row: 23},
		{Package: "data.acme_test", Name: "test_user", File: dir + "/acme_test.rego", Row: 3, Pass: true},
	}
	// Results are sorted by file: the user directory (an absolute temp path) first.
	want = append(want[5:], want[:5]...)
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(TestResult{}, "Duration")); diff != "" {
		t.Errorf("RunTests mismatch (-want +got):\n%s", diff)
	}
}

func TestRunTestsCompileError(t *testing.T) {
	t.Parallel()
	builtin := fixtureFS(map[string]string{
		"cidr/no_cidr.rego": rule("dcgw.cidr.no_cidr", meta, noCIDR),
		"cidr/no_cidr_test.rego": `package dcgw.cidr.no_cidr_test

test_network if {
	http.send({"method": "GET", "url": "https://example.com"}).status_code == 200
}
`,
	})
	_, err := RunTests(t.Context(), Options{Params: DefaultParams(), Builtin: builtin})
	want := "compile policies: 1 error occurred: policies/cidr/no_cidr_test.rego:4: rego_type_error: undefined function http.send"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("RunTests error:\n got: %v\nwant: %s", err, want)
	}
}
