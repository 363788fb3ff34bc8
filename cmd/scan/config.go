package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"

	"github.com/dcgw-scan/dcgw-scan/policies"
	"go.yaml.in/yaml/v3"
)

// config is the YAML config file (dcgw-scan.yaml). The rule parameters sit at the
// top level and become data.config; the rest steers the CLI.
type config struct {
	policies.Params `yaml:",inline"`
	// PolicyDirs are directories of custom rules, added to those given with --policy.
	PolicyDirs []string `yaml:"policy_dirs"`
	// FailOn is the lowest severity that fails the run (exit 1); --fail-on overrides it.
	FailOn string `yaml:"fail_on"`
}

// loadConfig reads path; an empty path gives the defaults.
func loadConfig(path string) (config, error) {
	cfg := config{Params: policies.DefaultParams()}
	if path == "" {
		return cfg, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("read config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return cfg, fmt.Errorf("%s: %s", path, yamlMessage(err))
	}
	if err := cfg.Params.Validate(); err != nil {
		return cfg, fmt.Errorf("%s: %w", path, oneLine(err))
	}
	if cfg.FailOn != "" {
		if _, err := parseFailOn(cfg.FailOn); err != nil {
			return cfg, fmt.Errorf("%s: fail_on: %w", path, err)
		}
	}
	return cfg, nil
}

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

// yamlType is yaml.v3's " in type main.config": Go names mean nothing to a user.
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
