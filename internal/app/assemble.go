package app

import (
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// assemble is the one way scan, collect and merge put a snapshot together: it merges
// parts into head in order, gives the ids one spelling (normalizeIDs), keeps the first
// entity of each id, sorts and encodes the result (snapshot.Marshal), and validates it
// by parsing the encoding back as check loads a file (ids unique, references intact).
// name names the document in errors and in the reports; data is the encoding, for the
// caller to write whole or not at all.
func assemble(name string, head *snapshot.Snapshot, parts ...*snapshot.Snapshot) (data []byte, doc *snapshot.Document, err error) {
	for _, p := range parts {
		head.Merge(p)
	}
	normalizeIDs(head)
	head.Dedupe()
	if data, err = snapshot.Marshal(head); err != nil {
		return nil, nil, err
	}
	if doc, err = snapshot.Parse(name, data); err != nil {
		return nil, nil, err
	}
	return data, doc, nil
}

// normalizeIDs gives the Konnect side's Azure ids the spelling of the collected
// entities they name (Azure ids are case-insensitive; rules join ids exactly). It must
// run after every part is merged.
func normalizeIDs(s *snapshot.Snapshot) { s.NormalizeIDs() }
