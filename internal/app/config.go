package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dcgw-scan/dcgw-scan/policies"
	"go.yaml.in/yaml/v3"
)

// Config is the YAML config file (dcgw-scan.yaml). The rule parameters sit at the
// top level and become data.config; the rest steers the CLI.
type Config struct {
	policies.Params `yaml:",inline"`
	// PolicyDirs are directories of custom rules, added to those given with --policy.
	PolicyDirs []string `yaml:"policy_dirs"`
	// DisabledRules are rule ids, or id prefixes ending in "*", not to evaluate.
	DisabledRules []string `yaml:"disabled_rules"`
	// Severities override built-in or custom rules' severities by rule id.
	Severities map[string]policies.Severity `yaml:"severities"`
	// FailOn is the lowest severity that fails the run (exit 1); --fail-on overrides it.
	FailOn string `yaml:"fail_on"`
	// Sources are what `scan` and `collect` read.
	Sources Sources `yaml:"sources"`
	// Konnect declares the Konnect side, in the snapshot's shape, for users without
	// API access (instead of sources.konnect); declared is it validated.
	Konnect yaml.Node `yaml:"konnect"`

	declared *declaredKonnect
	// dir is the config file's directory: a relative token_file is read from there.
	dir string
}

// Sources is the config's sources section. A nil source is not configured.
type Sources struct {
	Konnect *KonnectSource `yaml:"konnect"`
	DNS     *DNSSource     `yaml:"dns"`
	AWS     *AWSSource     `yaml:"aws"`
	Azure   *AzureSource   `yaml:"azure"`
	// GCP is recognized so that naming it gets a clear message (no collector in this
	// version), not an unknown-key error; its content is not read.
	GCP yaml.Node `yaml:"gcp"`

	// lines are the lines of the keys under sources, for messages.
	lines map[string]int
}

// KonnectSource configures the Konnect collector. The token comes from KONNECT_TOKEN,
// else from TokenFile; it is never part of the config itself.
type KonnectSource struct {
	// URL is the API base URL; --konnect-url overrides it.
	URL string `yaml:"url"`
	// TokenFile holds the access token (relative to the config file's directory).
	TokenFile string `yaml:"token_file"`
	// Org is the organization id recorded in the scopes.
	Org string `yaml:"org"`
	// CallLimits are max_attempts, timeout and call_timeout.
	CallLimits `yaml:",inline"`
}

// DNSSource configures the DNS collector.
type DNSSource struct {
	// Server is the resolver's host[:port]; empty means the system's.
	Server string `yaml:"server"`
	// Timeout bounds each query attempt, as a Go duration ("2s").
	Timeout string `yaml:"timeout"`
	// Hostnames are the public hostnames to resolve.
	Hostnames []string `yaml:"hostnames"`

	timeout time.Duration
}

// LoadConfig reads path; an empty path gives the defaults.
func LoadConfig(path string) (Config, error) {
	cfg := Config{Params: policies.DefaultParams()}
	if path == "" {
		return cfg, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("read config: %w", err)
	}
	cfg.dir = filepath.Dir(path)
	data, values, err := expandEnv(data)
	if err != nil {
		return cfg, fmt.Errorf("%s: %w", path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		// A value from the environment (a token, say) must not be quoted back.
		return cfg, fmt.Errorf("%s: %s", path, hideValues(yamlMessage(err), values))
	}
	if err := cfg.Params.Validate(); err != nil {
		return cfg, fmt.Errorf("%s: %w", path, oneLine(err))
	}
	if cfg.FailOn != "" {
		if _, err := parseFailOn(cfg.FailOn); err != nil {
			return cfg, fmt.Errorf("%s: fail_on: %w", path, err)
		}
	}
	cfg.Sources.lines = sourceLines(data)
	if err := cfg.Sources.validate(); err != nil {
		return cfg, fmt.Errorf("%s: %s", path, hideValues(oneLine(err).Error(), values))
	}
	if cfg.Konnect.Kind != 0 {
		keyLine := topLevelLine(data, "konnect", cfg.Konnect.Line)
		if cfg.Sources.Konnect != nil {
			return cfg, fmt.Errorf("%s: konnect (line %d) and sources.konnect (line %d) are both set: drop sources.konnect to use the declared Konnect side, or drop konnect to collect it from the API",
				path, keyLine, cfg.Sources.lines["konnect"])
		}
		if cfg.declared, err = parseDeclaredKonnect(path, keyLine, &cfg.Konnect); err != nil {
			return cfg, fmt.Errorf("%s: %s", path, hideValues(err.Error(), values))
		}
	}
	return cfg, nil
}

// topLevelLine is the line of the top-level key of a config, else def.
func topLevelLine(data []byte, key string, def int) int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return def
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == key {
			return top.Content[i].Line
		}
	}
	return def
}

// validate checks what the types cannot say and fills the parsed fields.
func (s *Sources) validate() error {
	if k := s.Konnect; k != nil && k.URL != "" {
		if u, err := url.Parse(k.URL); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return errors.New("sources.konnect.url: want an http(s)://host[/path] URL")
		}
	}
	if d := s.DNS; d != nil && d.Timeout != "" {
		t, err := time.ParseDuration(d.Timeout)
		if err != nil || t <= 0 {
			return fmt.Errorf("sources.dns.timeout: %q is not a positive Go duration (like 2s or 500ms)", d.Timeout)
		}
		d.timeout = t
	}
	var errs []error
	if s.AWS != nil {
		errs = append(errs, s.AWS.validate())
	}
	if s.Azure != nil {
		errs = append(errs, s.Azure.validate())
	}
	errs = append(errs, s.validateLimits())
	return errors.Join(errs...)
}

// unavailable names the configured sources this version cannot collect, with their
// lines: "sources.aws (line 12)".
func (s *Sources) unavailable() []string {
	var out []string
	for _, c := range []struct {
		name string
		node yaml.Node
	}{{"gcp", s.GCP}} {
		if c.node.Kind != 0 {
			line := s.lines[c.name]
			if line == 0 {
				line = c.node.Line
			}
			out = append(out, fmt.Sprintf("sources.%s (line %d)", c.name, line))
		}
	}
	return out
}

// sourceLines maps each key under the top-level sources key of a config to its line,
// and each key of a source to its line as "<source>.<key>".
func sourceLines(data []byte) map[string]int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	lines := map[string]int{}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != "sources" || top.Content[i+1].Kind != yaml.MappingNode {
			continue
		}
		src := top.Content[i+1]
		for j := 0; j+1 < len(src.Content); j += 2 {
			name := src.Content[j].Value
			lines[name] = src.Content[j].Line
			if body := src.Content[j+1]; body.Kind == yaml.MappingNode {
				for k := 0; k+1 < len(body.Content); k += 2 {
					lines[name+"."+body.Content[k].Value] = body.Content[k].Line
				}
			}
		}
	}
	return lines
}

// envRef is one ${VAR} reference.
var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandEnv replaces every ${VAR} with the variable's value, line by line so that
// line numbers in later errors stay right. Comment lines are left as they are. An
// unset variable, or a value with a line break, is an error naming the line. values
// are the non-empty values substituted.
func expandEnv(data []byte) (out []byte, values []string, err error) {
	lines := bytes.SplitAfter(data, []byte("\n"))
	var b bytes.Buffer
	for i, line := range lines {
		if bytes.HasPrefix(bytes.TrimLeft(line, " \t"), []byte("#")) {
			b.Write(line)
			continue
		}
		var lineErr error
		line = envRef.ReplaceAllFunc(line, func(ref []byte) []byte {
			name := string(ref[2 : len(ref)-1])
			v, ok := os.LookupEnv(name)
			switch {
			case !ok:
				lineErr = cmpOr(lineErr, fmt.Errorf("line %d: environment variable %s is not set", i+1, name))
			case strings.ContainsAny(v, "\r\n"):
				lineErr = cmpOr(lineErr, fmt.Errorf("line %d: environment variable %s holds a line break", i+1, name))
			case v != "":
				values = append(values, v)
			}
			return []byte(v)
		})
		if lineErr != nil {
			return nil, nil, lineErr
		}
		b.Write(line)
	}
	return b.Bytes(), values, nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// hideValues replaces the values that came from the environment in msg.
func hideValues(msg string, values []string) string {
	for _, v := range values {
		// Short values (a port, a flag) are no secret and would clobber line numbers.
		if len(v) < 8 {
			continue
		}
		msg = strings.ReplaceAll(msg, v, "[from the environment]")
		// yaml.v3 quotes long values cut short: `kpat_ab...`.
		msg = yamlQuoted.ReplaceAllStringFunc(msg, func(q string) string {
			if cut := strings.TrimSuffix(q[1:len(q)-1], "..."); len(cut) >= 4 && strings.HasPrefix(v, cut) {
				return "[from the environment]"
			}
			return q
		})
	}
	return msg
}

var yamlQuoted = regexp.MustCompile("`[^`]*\\.\\.\\.`")

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlMessage turns yaml.v3's errors into "line N: message" lines joined with "; ".
func yamlMessage(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		var b bytes.Buffer
		for i, e := range te.Errors {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(tidyYAML(e))
		}
		return b.String()
	}
	return tidyYAML(err.Error())
}

// yamlType is yaml.v3's " in type app.Config": Go names mean nothing to a user.
var yamlType = regexp.MustCompile(` in type [\w.*\[\]]+`)

func tidyYAML(msg string) string {
	msg = yamlType.ReplaceAllString(msg, "")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return fmt.Sprintf("line %d: %s", n, m[2])
	}
	return msg
}

// oneLine joins a multi-error into one line.
func oneLine(err error) error {
	var b bytes.Buffer
	for i, line := range bytes.Split([]byte(err.Error()), []byte("\n")) {
		if i > 0 {
			b.WriteString("; ")
		}
		b.Write(line)
	}
	return errors.New(b.String())
}

// parseFailOn accepts a severity or "none" (never fail on findings).
func parseFailOn(s string) (policies.Severity, error) {
	if s == "none" {
		return "", nil
	}
	sev, err := policies.ParseSeverity(s)
	if err != nil {
		return "", fmt.Errorf("%q is not a severity (critical, high, medium, low, info) or none", s)
	}
	return sev, nil
}

// KonnectTokenEnv is the environment variable the Konnect token is read from first.
const KonnectTokenEnv = "KONNECT_TOKEN"

// konnectToken is KONNECT_TOKEN, else the content of token_file (relative to the
// config file's directory), trimmed. Errors name the file, never its content.
func (c Config) konnectToken() (string, error) {
	if t := strings.TrimSpace(os.Getenv(KonnectTokenEnv)); t != "" {
		return t, nil
	}
	k := c.Sources.Konnect
	if k == nil || k.TokenFile == "" {
		return "", fmt.Errorf("no Konnect token: set %s or sources.konnect.token_file", KonnectTokenEnv)
	}
	path := k.TokenFile
	if !filepath.IsAbs(path) {
		path = filepath.Join(c.dir, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", fmt.Errorf("read sources.konnect.token_file %s: %w", path, err)
	}
	t := strings.TrimSpace(string(data))
	if t == "" {
		return "", fmt.Errorf("sources.konnect.token_file %s is empty", path)
	}
	return t, nil
}
