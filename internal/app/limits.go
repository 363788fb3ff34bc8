package app

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/dcgw-scan/dcgw-scan/collectors/konnect"
)

// CallLimits are the tries and deadlines of a source's API calls: sources.aws,
// sources.azure and sources.konnect each take them. Zero values take the collector's
// defaults (10 tries, 30s, 3m).
type CallLimits struct {
	// MaxAttempts is how many times a throttled or transiently failing call is tried,
	// the first included.
	MaxAttempts int `yaml:"max_attempts"`
	// Timeout bounds one try, as a Go duration: connecting (TLS included) and waiting
	// for the response headers.
	Timeout string `yaml:"timeout"`
	// CallTimeout bounds one call (one page of a list), as a Go duration: every try and
	// the backoff between them included.
	CallTimeout string `yaml:"call_timeout"`

	timeout, callTimeout time.Duration
}

// Bounds of the call limits: beyond them a value is a mistake, not a setting.
const (
	maxAttemptsMax = 50
	minTimeout     = 10 * time.Millisecond
	maxTimeout     = 10 * time.Minute
	maxCallTimeout = time.Hour
)

// validateLimits checks the call limits of every configured source and fills their
// parsed durations.
func (s *Sources) validateLimits() error {
	var errs []error
	if s.AWS != nil {
		errs = append(errs, s.AWS.CallLimits.validate(SourceAWS, s.lines))
	}
	if s.Azure != nil {
		errs = append(errs, s.Azure.CallLimits.validate(SourceAzure, s.lines))
	}
	if s.Konnect != nil {
		errs = append(errs, s.Konnect.CallLimits.validate(SourceKonnect, s.lines))
	}
	return errors.Join(errs...)
}

// validate checks sources.<source>'s limits; lines maps "<source>.<key>" to its line
// in the config (nil: no lines in the messages).
func (l *CallLimits) validate(source string, lines map[string]int) error {
	var errs []error
	at := func(key string) string {
		if n := lines[source+"."+key]; n > 0 {
			return fmt.Sprintf("line %d: sources.%s.%s", n, source, key)
		}
		return "sources." + source + "." + key
	}
	if l.MaxAttempts != 0 || lines[source+".max_attempts"] > 0 {
		if l.MaxAttempts < 1 || l.MaxAttempts > maxAttemptsMax {
			errs = append(errs, fmt.Errorf("%s: %d is out of range: want 1 to %d tries (the first included)", at("max_attempts"), l.MaxAttempts, maxAttemptsMax))
		}
	}
	duration := func(key, value string, limit time.Duration, dst *time.Duration) {
		if value == "" && lines[source+"."+key] == 0 {
			return
		}
		d, err := time.ParseDuration(value)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: %q is not a Go duration (like 30s or 2m)", at(key), value))
		case d < minTimeout || d > limit:
			errs = append(errs, fmt.Errorf("%s: %s is out of range: want %s to %s", at(key), value, minTimeout, limit))
		default:
			*dst = d
		}
	}
	duration("timeout", l.Timeout, maxTimeout, &l.timeout)
	duration("call_timeout", l.CallTimeout, maxCallTimeout, &l.callTimeout)
	return errors.Join(errs...)
}

// clientOptions are the Konnect client's tries and timeouts from sources.konnect.
func (s KonnectSource) clientOptions() []konnect.Option {
	var opts []konnect.Option
	if s.MaxAttempts > 0 {
		opts = append(opts, konnect.WithMaxAttempts(s.MaxAttempts))
	}
	if s.timeout > 0 || s.callTimeout > 0 {
		opts = append(opts, konnect.WithTimeouts(cmp.Or(s.timeout, konnect.DefaultTimeout), cmp.Or(s.callTimeout, konnect.DefaultCallTimeout)))
	}
	return opts
}
