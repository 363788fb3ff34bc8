package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// inMemoryURI names an unsaved snapshot in SARIF locations and messages.
const inMemoryURI = "snapshot.json"

// ScanOptions are the settings of Scan.
type ScanOptions struct {
	CheckOptions
	// SnapshotOut also saves the collected snapshot to this file (SARIF results then
	// point at it).
	SnapshotOut string
	// KonnectURL overrides sources.konnect.url.
	KonnectURL string
}

// Scan collects every source of the config into one snapshot, saves it when
// opts.SnapshotOut is set, then evaluates and renders the report as Check does. The
// options, config and rules are settled before anything is collected, so a mistake
// costs no API calls. A scan stopped through ctx returns ErrInterrupted.
func Scan(ctx context.Context, opts ScanOptions) (*Report, error) {
	if opts.Config != "" {
		if _, err := os.Stat(opts.Config); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no config %s: dcgw-scan init writes a starting one (then keep the sources you use), or name another with --config", opts.Config)
		}
	}
	s, err := opts.setup()
	if err != nil {
		return nil, err
	}
	p, err := scanPlan(ctx, s.log, s.cfg, opts.KonnectURL)
	if err != nil {
		return nil, err
	}
	eng, err := s.cfg.Engine(ctx, opts.PolicyDirs)
	if err != nil {
		return nil, err
	}

	head, parts := p.run(ctx, s.log)
	if ctx.Err() != nil {
		return nil, interrupted("scan")
	}
	// The report's locations are lines of the saved file, else of the unsaved encoding,
	// named as SARIF results name it.
	name := cmp.Or(opts.SnapshotOut, opts.SARIFURI, inMemoryURI)
	data, doc, err := assemble(name, head, parts...)
	if err != nil {
		return nil, oneLine(err)
	}
	uri, outside := name, false
	if opts.SnapshotOut != "" {
		if err := snapshot.WriteFile(opts.SnapshotOut, data); err != nil {
			return nil, fmt.Errorf("save snapshot: %w", err)
		}
		s.log.Info("snapshot written", "path", opts.SnapshotOut, "scopes", len(doc.Snapshot.Scopes))
		uri, outside = sarifURI(opts.SARIFURI, doc)
	}
	return s.evaluate(ctx, eng, doc, name, uri, outside)
}
