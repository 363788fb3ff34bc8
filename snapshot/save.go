package snapshot

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Marshal encodes s as the snapshot file format: sorted (see Sort), indented by two
// spaces, with a trailing newline, so the same estate always gives the same bytes.
// It sorts s in place, fills an empty SchemaVersion and writes nil Scope.Collections
// as [] (the schema requires the member). A SchemaVersion this build does not write
// is an error.
func Marshal(s *Snapshot) ([]byte, error) {
	if s == nil {
		return nil, errors.New("marshal snapshot: nil snapshot")
	}
	switch s.SchemaVersion {
	case SchemaVersion:
	case "":
		s.SchemaVersion = SchemaVersion
	default:
		return nil, fmt.Errorf("marshal snapshot: schema_version %q (this dcgw-scan writes %q)", s.SchemaVersion, SchemaVersion)
	}
	for i := range s.Scopes {
		if s.Scopes[i].Collections == nil {
			s.Scopes[i].Collections = []string{}
		}
	}
	s.Sort()

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil { // Encode ends with a newline.
		return nil, fmt.Errorf("marshal snapshot: %w", err)
	}
	return buf.Bytes(), nil
}

// Save writes s to path atomically: it marshals s (see Marshal) and writes the bytes
// with WriteFile. Save does not validate s: Load reports what is wrong with a saved
// file, with lines.
func Save(path string, s *Snapshot) error {
	data, err := Marshal(s)
	if err != nil {
		return err
	}
	if err := WriteFile(path, data); err != nil {
		return fmt.Errorf("save snapshot: %w", err)
	}
	return nil
}

// WriteFile writes data to path whole or not at all: a temporary file in the same
// directory is written, synced and renamed over path. On any failure it removes the
// temporary file, and path keeps its old content or stays absent. A new file gets mode
// 0644; an existing file keeps its mode.
func WriteFile(path string, data []byte) (err error) {
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		mode = fi.Mode().Perm()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close() // may already be closed; the write error is what matters
			_ = os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(mode); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	// Make the rename itself durable. The file is complete either way, so a
	// directory that cannot be synced is not worth failing for.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// Sort puts every list whose order carries no meaning into a canonical order, so
// that equal estates marshal to equal bytes:
//
//   - every entity collection, Konnect networks and custom domains, attachments and
//     their resource configurations, private DNS attachments, share principals and
//     dns_resolutions by id; Konnect availability by provider and region; scopes by
//     provider/account/region/service;
//   - CIDR and IP lists by address, then prefix length; lists of ids, hostnames,
//     zones, labels and record values by string;
//   - routes of route tables and hub route tables by destination, prefix list,
//     priority, target: every provider picks a route by longest prefix match and an
//     explicit priority, never by position;
//   - a firewall's rules by id, but only when every rule has a distinct id: rules
//     without ids keep the collector's order. The ports, sources, destinations and
//     targets of a rule, the attachments of a firewall, the listeners of a load
//     balancer and the targets of a target group are sets and are sorted.
//
// Left in their order: DNS server lists (the first is preferred), CNAME chains
// (hop order), DNS forwarding configs, scope errors (as they happened). The order of
// each collection is in its entry of the table of collections (collections.go).
func (s *Snapshot) Sort() {
	for _, c := range collections {
		c.list.sort(s)
	}
	slices.SortStableFunc(s.Scopes, func(a, b Scope) int {
		return cmp.Or(
			strings.Compare(a.Provider, b.Provider), strings.Compare(a.Account, b.Account),
			strings.Compare(a.Region, b.Region), strings.Compare(a.Service, b.Service))
	})
	for i := range s.Scopes {
		slices.Sort(s.Scopes[i].Collections)
	}
}

// sortByID sorts a list by id, keeping the order of equal ids (which Load rejects
// in collections, but Sort must not reorder arbitrarily either).
func sortByID[T any](list []T, id func(T) string) {
	slices.SortStableFunc(list, func(a, b T) int { return strings.Compare(id(a), id(b)) })
}

func distinctIDs(rules []FirewallRule) bool {
	seen := make(map[string]bool, len(rules))
	for _, r := range rules {
		if r.ID == "" || seen[r.ID] {
			return false
		}
		seen[r.ID] = true
	}
	return true
}

// comparePrefix orders CIDRs by address, then prefix length; strings that do not
// parse come last, by text. Equal prefixes fall back to the text, so the order is total.
func comparePrefix(a, b string) int {
	pa, errA := netip.ParsePrefix(a)
	pb, errB := netip.ParsePrefix(b)
	switch {
	case errA == nil && errB == nil:
		return cmp.Or(pa.Addr().Compare(pb.Addr()), cmp.Compare(pa.Bits(), pb.Bits()), strings.Compare(a, b))
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}

// compareAddr orders IP addresses numerically (IPv4 first); strings that do not
// parse come last, by text.
func compareAddr(a, b string) int {
	ia, errA := netip.ParseAddr(a)
	ib, errB := netip.ParseAddr(b)
	switch {
	case errA == nil && errB == nil:
		return cmp.Or(ia.Compare(ib), strings.Compare(a, b))
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}

func compareRoute(a, b Route) int {
	return cmp.Or(
		comparePrefix(a.Destination, b.Destination),
		strings.Compare(a.PrefixListID, b.PrefixListID),
		cmp.Compare(a.Priority, b.Priority),
		strings.Compare(a.TargetKind, b.TargetKind),
		strings.Compare(a.TargetID, b.TargetID),
		strings.Compare(a.Origin, b.Origin),
		strings.Compare(a.State, b.State),
	)
}

func compareHubRoute(a, b HubRoute) int {
	return cmp.Or(
		comparePrefix(a.Destination, b.Destination),
		strings.Compare(a.PrefixListID, b.PrefixListID),
		slices.Compare(a.AttachmentIDs, b.AttachmentIDs),
		strings.Compare(a.Type, b.Type),
		strings.Compare(a.State, b.State),
	)
}

func compareAddress(a, b Address) int {
	if a.Kind == AddrCIDR && b.Kind == AddrCIDR {
		return comparePrefix(a.Value, b.Value)
	}
	return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.Value, b.Value))
}
