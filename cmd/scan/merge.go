package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

func newMergeCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "merge SNAPSHOT... --out FILE",
		Short: "Merge snapshots collected separately into one for check",
		Long: `Merge snapshots that collect wrote source by source (konnect, dns, aws, azure, or
snapshots written elsewhere) into one, so check evaluates the whole estate at once:
each rule needs the Konnect side and the cloud side together, and a snapshot of one
source alone leaves the others' rules not evaluated.

Every input is loaded and validated as check would. Cloud entities seen in several
inputs are kept once (the first input's copy); the same Konnect network or custom
domain in two inputs is an error, since there is no telling which is right. Konnect's
Azure ids are respelled to the collected entities' (Azure ids are case-insensitive).
The output is written whole or not at all. Exit 0, or 2 for a bad input.`,
		Example: `  dcgw-scan collect konnect --out konnect.json
  dcgw-scan collect aws --org --role-name DcgwScanReadOnly --out aws.json
  dcgw-scan merge konnect.json aws.json --out estate.json
  dcgw-scan check estate.json --format sarif --output dcgw.sarif`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if out == "" {
				return usageError(errors.New("--out is required"))
			}
			snap, err := mergeFiles(args)
			if err != nil {
				return usageError(err)
			}
			// The merged document must load as check will load it (ids unique across
			// the inputs, references intact) before anything is written.
			data, err := snapshot.Marshal(snap)
			if err != nil {
				return usageError(err)
			}
			if _, err := snapshot.Parse(out, data); err != nil {
				return usageError(fmt.Errorf("the merged snapshot is not valid: %w", err))
			}
			if err := snapshot.WriteFile(out, data); err != nil {
				return usageError(err)
			}
			g.logger.Info("merged", "inputs", len(args), "path", out, "scopes", len(snap.Scopes))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "snapshot file to write (required; written whole or not at all)")
	return cmd
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
	merged.NormalizeIDs()
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
