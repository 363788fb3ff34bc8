package app

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/collectors/azure"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Merge loads the snapshots at paths, each validated as check would, merges them and
// writes the result to out, whole or not at all. The same Konnect network or custom
// domain in two inputs is an error: there is no telling which is right. The merged
// name joins the inputs' names; its collection time is the latest.
func Merge(paths []string, out string, log *slog.Logger) error {
	log = orDiscard(log)
	if out == "" {
		return errors.New("--out is required")
	}
	snap, err := mergeFiles(paths)
	if err != nil {
		return err
	}
	// The merged document must load as check will load it (ids unique across the
	// inputs, references intact) before anything is written.
	data, err := snapshot.Marshal(snap)
	if err != nil {
		return err
	}
	if _, err := snapshot.Parse(out, data); err != nil {
		return fmt.Errorf("the merged snapshot is not valid: %w", err)
	}
	if err := snapshot.WriteFile(out, data); err != nil {
		return err
	}
	log.Info("merged", "inputs", len(paths), "path", out, "scopes", len(snap.Scopes))
	return nil
}

// mergeFiles loads and merges the snapshots at paths.
func mergeFiles(paths []string) (*snapshot.Snapshot, error) {
	merged := &snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion}
	var names []string
	kongFrom := map[string]string{} // "network id" / "domain id" → the file that has it
	for _, p := range paths {
		doc, err := snapshot.Load(p)
		if err != nil {
			return nil, err
		}
		s := doc.Snapshot
		for _, n := range s.Konnect.Networks {
			if err := claim(kongFrom, "Konnect network "+n.ID, p); err != nil {
				return nil, err
			}
		}
		for _, d := range s.Konnect.CustomDomains {
			if err := claim(kongFrom, "Konnect custom domain "+d.ID, p); err != nil {
				return nil, err
			}
		}
		if s.Name != "" {
			names = append(names, s.Name)
		}
		if s.CollectedAt > merged.CollectedAt {
			merged.CollectedAt = s.CollectedAt
		}
		merged.Merge(s)
	}
	merged.Name = strings.Join(names, " + ")
	merged.Dedupe()
	azure.MatchKonnectIDs(merged)
	merged.Sort()
	return merged, nil
}

// claim records that what comes from file, or fails when another file has it too.
func claim(from map[string]string, what, file string) error {
	if prev, ok := from[what]; ok {
		return fmt.Errorf("%s is in both %s and %s: merge one collection of the Konnect side", what, prev, file)
	}
	from[what] = file
	return nil
}
