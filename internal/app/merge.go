package app

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Merge loads the snapshots at paths, each validated as check would, puts them
// together through the one assembly path and writes the result to out, whole or not
// at all. The same Konnect network or custom domain in two inputs is an error: there
// is no telling which is right. The merged name joins the inputs' names; its
// collection time is the latest.
func Merge(paths []string, out string, log *slog.Logger) error {
	log = orDiscard(log)
	if out == "" {
		return errors.New("--out is required")
	}
	head := &snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion}
	var (
		names []string
		parts []*snapshot.Snapshot
	)
	kongFrom := map[string]string{} // "network id" / "domain id" → the file that has it
	for _, p := range paths {
		doc, err := snapshot.Load(p)
		if err != nil {
			return err
		}
		s := doc.Snapshot
		for _, n := range s.Konnect.Networks {
			if err := claim(kongFrom, "Konnect network "+n.ID, p); err != nil {
				return err
			}
		}
		for _, d := range s.Konnect.CustomDomains {
			if err := claim(kongFrom, "Konnect custom domain "+d.ID, p); err != nil {
				return err
			}
		}
		if s.Name != "" {
			names = append(names, s.Name)
		}
		head.CollectedAt = max(head.CollectedAt, s.CollectedAt)
		parts = append(parts, s)
	}
	head.Name = strings.Join(names, " + ")
	data, doc, err := assemble(out, head, parts...)
	if err != nil {
		return fmt.Errorf("the merged snapshot is not valid: %w", err)
	}
	if err := snapshot.WriteFile(out, data); err != nil {
		return err
	}
	log.Info("merged", "inputs", len(paths), "path", out, "scopes", len(doc.Snapshot.Scopes))
	return nil
}

// claim records that what comes from file, or fails when another file has it too.
func claim(from map[string]string, what, file string) error {
	if prev, ok := from[what]; ok {
		return fmt.Errorf("%s is in both %s and %s: merge one collection of the Konnect side", what, prev, file)
	}
	from[what] = file
	return nil
}
